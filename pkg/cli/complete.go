package cli

import (
	"io"
	"slices"
	"strings"
	"sync"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/reinvent-cli/reinvent/pkg/catalog"
	completion "github.com/reinvent-cli/reinvent/pkg/complete" // complete is the tests' helper
	"github.com/reinvent-cli/reinvent/pkg/follow"
	"github.com/reinvent-cli/reinvent/pkg/render"
	"github.com/reinvent-cli/reinvent/pkg/reserve"
	"github.com/reinvent-cli/reinvent/pkg/search"
	"github.com/reinvent-cli/reinvent/pkg/settings"
	"github.com/reinvent-cli/reinvent/pkg/show"
	"github.com/reinvent-cli/reinvent/pkg/watch"
)

// Completion of values (docs/completion.md): what bash, zsh and fish offer
// for a flag's value or an argument, chosen by pkg/complete. It reads the
// settings as a run does, but only the store's catalog cache or the
// embedded sample: it never fetches.

// formatsOf are the values of each command's --format: the package
// variable the command checks its --format against.
var formatsOf = map[string][]string{
	"download": catalog.Formats,
	"schedule": render.Formats,
	"search":   search.Formats,
	"show":     show.Formats,
	"reserve":  reserve.Formats,
	"follow":   follow.Formats,
	"watch":    watch.Formats,
}

// codeCommands take session codes as arguments.
var codeCommands = []string{"schedule", "reserve", "favorite", "cancel", "show", "follow"}

// registerCompletions gives every command of root the completion of its
// flags' values, by flag name, whichever command has the flag: --format,
// --source, the facets (complete.Facets), and the codes of --fits; and
// session codes as the arguments of codeCommands. The catalog is read
// once, when a value needs it.
func (f *Factory) registerCompletions(root *cobra.Command) {
	var once sync.Once
	var sessions []catalog.Session
	// cached reads the settings as a run does (a setting that does not
	// check out keeps its default) and the catalog that setup.Env.Cached
	// gives: it never fetches.
	cached := func(cmd *cobra.Command) []catalog.Session {
		once.Do(func() {
			_ = f.settings.loadFor(cmd)
			if cat := f.Cached(f.Config.Zone()); cat != nil {
				sessions = cat.Sessions
			}
		})
		return sessions
	}
	none := cobra.ShellCompDirectiveNoFileComp
	codes := func(cmd *cobra.Command, args []string, typed string) ([]string, cobra.ShellCompDirective) {
		return completion.Codes(cached(cmd), args, typed), none
	}
	byName := map[string]cobra.CompletionFunc{
		"format": func(cmd *cobra.Command, _ []string, typed string) ([]string, cobra.ShellCompDirective) {
			return completion.Values(formatsOf[cmd.Name()], typed), none
		},
		"source": func(_ *cobra.Command, _ []string, typed string) ([]string, cobra.ShellCompDirective) {
			values, noSpace := completion.Source(typed)
			if noSpace {
				return values, none | cobra.ShellCompDirectiveNoSpace
			}
			return values, none
		},
		"fits": codes,
	}
	for name, choices := range completion.Facets {
		byName[name] = func(cmd *cobra.Command, _ []string, typed string) ([]string, cobra.ShellCompDirective) {
			return completion.Facet(choices(cached(cmd), f.Config.Zone()), typed), none
		}
	}
	done := map[*pflag.Flag]bool{}
	var walk func(cmd *cobra.Command)
	walk = func(cmd *cobra.Command) {
		for _, fs := range []*pflag.FlagSet{cmd.PersistentFlags(), cmd.Flags()} {
			fs.VisitAll(func(fl *pflag.Flag) {
				if fn, ok := byName[fl.Name]; ok && !done[fl] {
					done[fl] = true
					_ = cmd.RegisterFlagCompletionFunc(fl.Name, fn) // only fails for a flag registered already
				}
			})
		}
		if slices.Contains(codeCommands, cmd.Name()) && cmd.ValidArgsFunction == nil {
			cmd.ValidArgsFunction = codes
		}
		for _, sub := range cmd.Commands() {
			walk(sub)
		}
	}
	walk(root)
}

// completionCommand makes root's completion command work whatever the
// configuration says and refuse a shell it does not know, and its bash
// script complete comma lists (complete.BashCommas).
func completionCommand(root *cobra.Command) {
	c, _, err := root.Find([]string{"completion"})
	if err != nil || c == root {
		return
	}
	c.Annotations = map[string]string{skipConfig: "yes"}
	var shells []string
	for _, sh := range c.Commands() {
		shells = append(shells, sh.Name())
		if sh.Name() == "bash" {
			sh.RunE = func(cmd *cobra.Command, _ []string) error {
				noDesc, _ := cmd.Flags().GetBool("no-descriptions")
				return completion.WriteBash(cmd.OutOrStdout(), root.Name(), func(w io.Writer) error { return root.GenBashCompletionV2(w, !noDesc) })
			}
		}
	}
	c.Args = cobra.ArbitraryArgs
	c.RunE = func(cmd *cobra.Command, args []string) error {
		if len(args) > 0 {
			return usageErrorf("unknown shell %q: use %s", args[0], strings.Join(shells, ", "))
		}
		return cmd.Help()
	}
}

// unknownSubcommand is the usage error of a command group (x, x webhooks,
// completion) given a word that names none of its subcommands: it names
// the closest ones, as the root does for a mistyped command.
func unknownSubcommand(cmd *cobra.Command, typed string) error {
	return usageErrorf("unknown command %q for %q%s; run '%s --help' for the list of commands",
		typed, cmd.CommandPath(), settings.DidYouMean(settings.Closest(typed, subcommandNames(cmd)), settings.AsIs), cmd.CommandPath())
}
