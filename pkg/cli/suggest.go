package cli

import (
	"slices"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/reinvent-cli/reinvent/pkg/catalog"
)

// maxSuggestions is how many names a "did you mean" offers.
const maxSuggestions = 3

// spelling is a way to write a name: a setting is spelled by its own name
// and, for the command being run, by its flag's name (schedule's "format"
// is the setting schedule-format).
type spelling struct{ typed, name string }

// spellings returns names, each spelled as itself.
func spellings(names ...string) []spelling {
	out := make([]spelling, len(names))
	for i, n := range names {
		out[i] = spelling{n, n}
	}
	return out
}

// closest returns up to three names that typed is a typo of, nearest first:
// a name at most two edits away (one for a word of three letters or fewer),
// or one that typed begins, which counts as one edit. The groups are tried in turn and the first with
// a match wins, so that what the command being run accepts comes before
// what only another command does.
func closest(typed string, groups ...[]spelling) []string {
	limit := 2
	if len(typed) <= 3 {
		limit = 1
	}
	for _, g := range groups {
		best := map[string]int{} // name → its smallest distance
		for _, s := range g {
			d := catalog.EditDistance(typed, s.typed)
			if len(typed) >= 3 && strings.HasPrefix(strings.ToLower(s.typed), strings.ToLower(typed)) {
				d = min(d, 1)
			}
			if d > limit {
				continue
			}
			if old, ok := best[s.name]; !ok || d < old {
				best[s.name] = d
			}
		}
		if len(best) == 0 {
			continue
		}
		names := make([]string, 0, len(best))
		for n := range best {
			names = append(names, n)
		}
		slices.SortFunc(names, func(a, b string) int {
			if best[a] != best[b] {
				return best[a] - best[b]
			}
			return strings.Compare(a, b)
		})
		return names[:min(maxSuggestions, len(names))]
	}
	return nil
}

// didYouMean is " (did you mean a, b or c?)" for the names, each written
// by show, or "" when there are none.
func didYouMean(names []string, show func(string) string) string {
	if len(names) == 0 {
		return ""
	}
	return " (did you mean " + orList(names, show) + "?)"
}

// orList is "a", "a or b", "a, b or c", each written by show.
func orList(names []string, show func(string) string) string {
	shown := make([]string, len(names))
	for i, n := range names {
		shown[i] = show(n)
	}
	if len(shown) == 1 {
		return shown[0]
	}
	return strings.Join(shown[:len(shown)-1], ", ") + " or " + shown[len(shown)-1]
}

func asIs(s string) string { return s }

// subcommandNames lists the names and aliases of cmd's subcommands a user
// may type.
func subcommandNames(cmd *cobra.Command) []spelling {
	var out []spelling
	for _, c := range cmd.Commands() {
		if !c.IsAvailableCommand() && c.Name() != "help" {
			continue
		}
		out = append(out, spelling{c.Name(), c.Name()})
		for _, a := range c.Aliases {
			out = append(out, spelling{a, c.Name()})
		}
	}
	return out
}

// flagNames lists the flags cmd accepts, by their long names.
func flagNames(cmd *cobra.Command) []spelling {
	var out []spelling
	cmd.Flags().VisitAll(func(fl *pflag.Flag) {
		if !fl.Hidden {
			out = append(out, spelling{fl.Name, fl.Name})
		}
	})
	return out
}

// settingSpellings returns the settings, in two groups for closest: those
// of cmd, spelled by their names and by their flags' names, then every
// setting. cmd may be nil.
func (s *settings) settingSpellings(cmd *cobra.Command) (ofCmd, all []spelling) {
	if cmd != nil {
		names := s.commands.byCommand[cmd.Name()]
		cmd.Flags().VisitAll(func(fl *pflag.Flag) {
			name := names[fl.Name]
			if s.flags.Lookup(fl.Name) != nil {
				name = fl.Name
			}
			if name == "" || name == "config" {
				return
			}
			ofCmd = append(ofCmd, spelling{fl.Name, name}, spelling{name, name})
		})
	}
	for _, n := range append(s.names(), s.commandNames()...) {
		if n != "config" {
			all = append(all, spelling{n, n})
		}
	}
	return ofCmd, all
}
