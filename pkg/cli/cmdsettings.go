package cli

import (
	"os"
	"slices"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/reinvent-cli/reinvent/pkg/settings"
)

// Every flag of every command is a setting too (docs/configuration.md,
// "Command settings"): --buffer is also REINVENT_BUFFER and "buffer:" in
// the config file. A flag name that two commands use with different
// meanings (--format is csv|json for download and text|json for watch) is
// a setting under each command's own name, COMMAND-FLAG: schedule-format,
// REINVENT_SCHEDULE_FORMAT. The flag keeps its short name. A flag that
// means the same in every command (--password-stdin) is one setting.

// commandSettings maps the settings of command flags.
type commandSettings struct {
	// byCommand maps a command and one of its flags to the setting's name.
	byCommand map[string]map[string]string
	// shared maps a flag name several commands use to their settings'
	// names, for the error about the bare name in a config file.
	shared map[string][]string
}

// notSettings are flags that are not settings: help, and what only makes
// sense typed at a terminal.
var notSettings = []string{"help"}

// registerCommands makes a setting of every local flag of root's commands.
func (s *binding) registerCommands(root *cobra.Command) {
	uses := map[string][]string{}     // flag name → commands
	meanings := map[string][]string{} // flag name → its usage texts
	for _, c := range root.Commands() {
		// Before the command runs, Flags holds only the command's own flags:
		// LocalNonPersistentFlags would merge the parents' in first, which
		// costs every run a third of its start-up.
		c.Flags().VisitAll(func(fl *pflag.Flag) {
			if s.flags.Lookup(fl.Name) != nil || c.PersistentFlags().Lookup(fl.Name) != nil || slices.Contains(notSettings, fl.Name) {
				return
			}
			uses[fl.Name] = append(uses[fl.Name], c.Name())
			if !slices.Contains(meanings[fl.Name], fl.Usage) {
				meanings[fl.Name] = append(meanings[fl.Name], fl.Usage)
			}
		})
	}
	cs := commandSettings{byCommand: map[string]map[string]string{}, shared: map[string][]string{}}
	for flag, cmds := range uses {
		for _, c := range cmds {
			name := flag
			if len(meanings[flag]) > 1 { // one name, several meanings
				name = c + "-" + flag
				cs.shared[flag] = append(cs.shared[flag], name)
			}
			if cs.byCommand[c] == nil {
				cs.byCommand[c] = map[string]string{}
			}
			cs.byCommand[c][flag] = name
		}
		slices.Sort(cs.shared[flag])
	}
	s.commands = cs
}

// commandNames lists the settings of command flags.
func (s *binding) commandNames() []string {
	var names []string
	for _, m := range s.commands.byCommand {
		for _, n := range m {
			names = append(names, n)
		}
	}
	return names
}

// loadCommand sets every flag of cmd that was not given from its setting's
// environment variable or config file key.
func (s *binding) loadCommand(cmd *cobra.Command, get func(name string) (any, bool), lineOf func(name string) string) error {
	if cmd == nil {
		return nil
	}
	names := s.commands.byCommand[cmd.Name()]
	var err error
	cmd.LocalNonPersistentFlags().VisitAll(func(fl *pflag.Flag) {
		name, ok := names[fl.Name]
		if !ok || fl.Changed || err != nil {
			return
		}
		v, ok := get(name)
		if !ok {
			return
		}
		origin := lineOf(name)
		val, serr := settings.Scalar(v)
		if serr == nil && fl.Value.Set(val) != nil {
			serr = settings.InvalidValue(fl.Value.Type(), val)
		}
		if serr != nil {
			err = usageErrorf("%s: %v", origin, serr)
			return
		}
		fl.Changed = true // so that the command sees it as given, as for a flag
	})
	return err
}

// envWarnings names the REINVENT_ variables that are set but name no
// setting, with the closest settings' variables: those of cmd (which may be
// nil) first, so that REINVENT_FROMAT for schedule is
// REINVENT_SCHEDULE_FORMAT.
func (s *binding) envWarnings(cmd *cobra.Command) []string {
	ofCmd, all := s.settingSpellings(cmd)
	return settings.EnvWarnings(os.Environ(), append(s.names(), s.commandNames()...), ofCmd, all)
}
