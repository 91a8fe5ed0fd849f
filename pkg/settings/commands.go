package settings

import (
	"fmt"
	"slices"
	"strings"
)

// Every flag of every command is a setting too (docs/configuration.md,
// "Command settings"): --buffer is also REINVENT_BUFFER and "buffer:" in
// the config file. A flag name that two commands use with different
// meanings (--format is csv|json for download and text|json for watch) is
// a setting under each command's own name, COMMAND-FLAG: schedule-format,
// REINVENT_SCHEDULE_FORMAT. The flag keeps its short name. A flag that
// means the same in every command (--password-stdin) is one setting.

// FlagUse is a flag of a command that is a setting too, with its help,
// which says what it means.
type FlagUse struct{ Command, Flag, Usage string }

// Commands maps the settings of command flags.
type Commands struct {
	// ByCommand maps a command and one of its flags to the setting's name.
	ByCommand map[string]map[string]string
	// Shared maps a flag name several commands use to their settings'
	// names, for the error about the bare name in a config file.
	Shared map[string][]string
}

// CommandSettings names the setting of every flag use.
func CommandSettings(uses []FlagUse) Commands {
	meanings := map[string][]string{} // flag name → its usage texts
	for _, u := range uses {
		if !slices.Contains(meanings[u.Flag], u.Usage) {
			meanings[u.Flag] = append(meanings[u.Flag], u.Usage)
		}
	}
	cs := Commands{ByCommand: map[string]map[string]string{}, Shared: map[string][]string{}}
	for _, u := range uses {
		name := u.Flag
		if len(meanings[u.Flag]) > 1 { // one name, several meanings
			name = u.Command + "-" + u.Flag
			cs.Shared[u.Flag] = append(cs.Shared[u.Flag], name)
			slices.Sort(cs.Shared[u.Flag])
		}
		if cs.ByCommand[u.Command] == nil {
			cs.ByCommand[u.Command] = map[string]string{}
		}
		cs.ByCommand[u.Command][u.Flag] = name
	}
	return cs
}

// Names lists the settings of command flags.
func (cs Commands) Names() []string {
	var names []string
	for _, m := range cs.ByCommand {
		for _, n := range m {
			names = append(names, n)
		}
	}
	return names
}

// FileLines reads the keys of a config file (FileKeys) and returns the
// line of each. A key must be one of globals (the settings that are not
// command flags) or a command flag's setting: a flag name that means
// something different for each command, or a key that names no setting
// (with closest's suggestions for it), is a one-line error at its line.
func (cs Commands) FileLines(path string, data []byte, globals []string, closest func(key string) []string) (map[string]int, error) {
	keys, err := FileKeys(path, data)
	if err != nil {
		return nil, err
	}
	known := append(slices.Clone(globals), cs.Names()...)
	slices.Sort(known)
	lines := map[string]int{}
	for _, k := range keys {
		if names := cs.Shared[k.Name]; len(names) > 0 {
			return nil, fmt.Errorf("config file %s:%d: %q means something different for each command; use %s", path, k.Line, k.Name, strings.Join(names, ", "))
		}
		if _, ok := slices.BinarySearch(known, k.Name); !ok || k.Name == "config" {
			return nil, fmt.Errorf("config file %s:%d: unknown setting %q%s; the settings are listed in reinvent --help and docs/configuration.md",
				path, k.Line, k.Name, DidYouMean(closest(k.Name), AsIs))
		}
		lines[k.Name] = k.Line
	}
	return lines, nil
}

// Missing is the error "WHAT a, b: set REINVENT_A, REINVENT_B in the
// environment, or put "a: ...", "b: ..." in the config file": both places a
// setting may come from, by their own names.
func Missing(what string, names []string) error {
	env := make([]string, len(names))
	keys := make([]string, len(names))
	for i, n := range names {
		env[i] = EnvName(n)
		keys[i] = fmt.Sprintf("%q", n+": ...")
	}
	return fmt.Errorf("%s %s: set %s in the environment, or put %s in the config file",
		what, strings.Join(names, ", "), strings.Join(env, ", "), strings.Join(keys, ", "))
}
