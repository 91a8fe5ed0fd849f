package cli

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/reinvent-cli/reinvent/pkg/catalog"
	"github.com/reinvent-cli/reinvent/pkg/follow"
	"github.com/reinvent-cli/reinvent/pkg/render"
	"github.com/reinvent-cli/reinvent/pkg/reserve"
	"github.com/reinvent-cli/reinvent/pkg/schedule"
	"github.com/reinvent-cli/reinvent/pkg/search"
	"github.com/reinvent-cli/reinvent/pkg/settings"
	"github.com/reinvent-cli/reinvent/pkg/show"
	"github.com/reinvent-cli/reinvent/pkg/watch"
)

// Completion of values (docs/completion.md): what bash, zsh and fish offer
// for a flag's value or an argument. It reads the settings as a run does,
// but only the store's catalog cache or the embedded sample: it never
// fetches.

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
// --source, --day, --venue, --track, --level, and the codes of --fits; and
// session codes as the arguments of codeCommands.
func (f *Factory) registerCompletions(root *cobra.Command) {
	c := &completer{f: f}
	byName := map[string]cobra.CompletionFunc{
		"format": completeFormat,
		"source": completeSource,
		"day":    c.facet(catalog.DayChoices),
		"venue": c.facet(func(s []catalog.Session, _ *time.Location) []catalog.Choice {
			return catalog.VenueChoices(s, schedule.Builtin().Venues())
		}),
		"track": c.facet(func(s []catalog.Session, _ *time.Location) []catalog.Choice { return catalog.TrackChoices(s) }),
		"level": c.facet(func(s []catalog.Session, _ *time.Location) []catalog.Choice { return catalog.LevelChoices(s) }),
		"fits":  c.codes,
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
			cmd.ValidArgsFunction = c.codes
		}
		for _, sub := range cmd.Commands() {
			walk(sub)
		}
	}
	walk(root)
}

// completeFormat offers the formats of the command being completed.
func completeFormat(cmd *cobra.Command, _ []string, toComplete string) ([]string, cobra.ShellCompDirective) {
	return withPrefix(formatsOf[cmd.Name()], toComplete), cobra.ShellCompDirectiveNoFileComp
}

// sources are the named sources, with what each is.
var sources = []catalog.Choice{
	{Value: "events-api", Description: "the AWS Events API (reinvent login)"},
	{Value: "portal", Description: "the attendee portal"},
	{Value: "sample", Description: "the embedded sample catalog, no account"},
}

// completeSource offers the named sources, and the .json and .csv files
// (and directories) that begin with what is typed.
func completeSource(_ *cobra.Command, _ []string, toComplete string) ([]string, cobra.ShellCompDirective) {
	var out []string
	for _, s := range sources {
		if strings.HasPrefix(s.Value, toComplete) {
			out = append(out, s.Value+"\t"+s.Description)
		}
	}
	dir, base := filepath.Split(toComplete)
	entries, _ := os.ReadDir(orDot(dir))
	directive := cobra.ShellCompDirectiveNoFileComp
	for _, e := range entries {
		name := e.Name()
		switch {
		case !strings.HasPrefix(name, base) || strings.HasPrefix(name, ".") && !strings.HasPrefix(base, "."):
		case e.IsDir():
			out = append(out, dir+name+string(filepath.Separator))
			directive |= cobra.ShellCompDirectiveNoSpace
		case catalog.FileFormat(name) != "":
			out = append(out, dir+name)
		}
	}
	return out, directive
}

// orDot is dir, or "." when it is empty.
func orDot(dir string) string {
	if dir == "" {
		return "."
	}
	return dir
}

// completer completes values from the catalog, which it reads once.
type completer struct {
	f      *Factory
	loaded bool
	cat    *catalog.Catalog
}

// codes offers the session codes of the catalog that begin with
// the code being typed (after the last comma of a comma list), with their
// titles, leaving out those already given.
func (c *completer) codes(cmd *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective) {
	cat := c.catalog(cmd)
	if cat == nil {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	head, last := cutLast(toComplete)
	given := map[string]bool{}
	for _, c := range catalog.SplitCodes(append(slices.Clone(args), head)) {
		given[strings.ToUpper(c)] = true
	}
	var out []string
	for _, ch := range catalog.CodeChoices(cat.Sessions, last) {
		if !given[ch.Value] {
			out = append(out, head+ch.Value+"\t"+ch.Description)
		}
	}
	return out, cobra.ShellCompDirectiveNoFileComp
}

// A facet is what --day, --venue, --track or --level take: from the
// sessions of the catalog when there is one (none otherwise), in loc.
type facet func(sessions []catalog.Session, loc *time.Location) []catalog.Choice

// facet offers the values of a facet that begin with what is typed after
// the last comma, case folded.
func (c *completer) facet(values facet) cobra.CompletionFunc {
	return func(cmd *cobra.Command, _ []string, toComplete string) ([]string, cobra.ShellCompDirective) {
		var sessions []catalog.Session
		if cat := c.catalog(cmd); cat != nil {
			sessions = cat.Sessions
		}
		head, last := cutLast(toComplete)
		var out []string
		for _, ch := range values(sessions, c.location()) {
			if strings.HasPrefix(strings.ToLower(ch.Value), strings.ToLower(last)) {
				out = append(out, strings.TrimSuffix(head+ch.Value+"\t"+ch.Description, "\t"))
			}
		}
		return out, cobra.ShellCompDirectiveNoFileComp
	}
}

// catalog is the catalog completion offers values from: the
// embedded sample for --source sample, else the store's copy of the
// configured source and event however old it is (cached.Cache.Last); nil
// when there is none. The settings are read as a run reads them (flags,
// environment, config file); a setting that does not check out keeps its
// default. Nothing is fetched.
func (c *completer) catalog(cmd *cobra.Command) *catalog.Catalog {
	if c.loaded {
		return c.cat
	}
	c.loaded = true
	_ = c.f.settings.loadFor(cmd)
	c.cat = c.f.Cached(c.location())
	return c.cat
}

// location is the event's zone as the settings say, else UTC.
func (c *completer) location() *time.Location {
	cfg := c.f.Config
	if cfg.Location != nil {
		return cfg.Location
	}
	if loc, err := time.LoadLocation(cfg.Timezone); err == nil && cfg.Timezone != "" {
		return loc
	}
	return time.UTC
}

// cutLast splits a comma list being typed into what comes before its last
// value, the comma included, and that value.
func cutLast(s string) (head, last string) {
	i := strings.LastIndex(s, ",")
	return s[:i+1], s[i+1:]
}

// withPrefix are the values that begin with prefix.
func withPrefix(values []string, prefix string) []string {
	var out []string
	for _, v := range values {
		if strings.HasPrefix(v, prefix) {
			out = append(out, v)
		}
	}
	return out
}

// unknownSubcommand is the usage error of a command group (x, x webhooks,
// completion) given a word that names none of its subcommands: it names
// the closest ones, as the root does for a mistyped command.
func unknownSubcommand(cmd *cobra.Command, typed string) error {
	return usageErrorf("unknown command %q for %q%s; run '%s --help' for the list of commands",
		typed, cmd.CommandPath(), settings.DidYouMean(settings.Closest(typed, subcommandNames(cmd)), settings.AsIs), cmd.CommandPath())
}
