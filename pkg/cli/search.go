package cli

import (
	"context"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/reinvent-cli/reinvent/pkg/catalog"
	"github.com/reinvent-cli/reinvent/pkg/render"
	"github.com/reinvent-cli/reinvent/pkg/reserve"
	"github.com/reinvent-cli/reinvent/pkg/schedule"
	"github.com/reinvent-cli/reinvent/pkg/search"
	"github.com/reinvent-cli/reinvent/pkg/setup"
)

// SearchOptions are the inputs of reinvent search.
type SearchOptions struct {
	setup.Deps

	Query  search.Query
	Levels []string
	Format string
	// Fits are the codes, and the options, of the plan whose gaps
	// --fits and --fits-starred look in (search.Query.Fits).
	Fits reserve.PlanOptions
}

// NewCmdSearch returns the search command. Tests pass runF to check flag
// parsing without searching.
func NewCmdSearch(f *Factory, runF func(context.Context, *SearchOptions) error) *cobra.Command {
	opts := &SearchOptions{Deps: f.Deps()}
	opts.Fits.Plan.TimeLimit = schedule.DefaultTimeLimit
	cmd := &cobra.Command{
		Use:   "search [WORDS...] [--day DAY] [--venue VENUE] [--fits CODE...] [--format table|json|csv]",
		Short: "Find sessions by words, day, venue, track, level, and what fits your plan",
		Long: `Find sessions and their codes: the best match first, each session with every
repeat (instance) under its base code, with its time, venue, room and seat band.

Words are looked for in the code, title, abstract, speakers, tracks, services
and topics, as whole words or the start of one, whatever the case and accents:
"kubernetes", "bedrock agent" (both words), "ARC3" (ARC301 to ARC399). With no
words, search lists what the filters keep in time order.

Filters keep the matching instances only. --day takes a weekday (tue, Tuesday)
or a date (2026-12-01); --after and --before a local time (an instance starts at
or after --after and ends by --before); --seats a band (available, limited,
veryLimited, unavailable, walkUp); --venue, --track, --topic and --type match
case-insensitively. Every filter may be repeated or given a comma list: values
of one filter are alternatives, different filters all apply.

--fits CODE... plans those codes as reinvent schedule does, around the seats
you hold, and lists only the sessions that fit its gaps, the walk between
venues and --buffer included, nothing in the plan moved. docs/search.md has
the rules.`,
		Example: `  # Where do the codes come from? From the embedded sample catalog, no account needed
  reinvent search --source sample kubernetes

  # Level 300 and 400 sessions on Tuesday afternoon at the Venetian
  reinvent search --day tue --after 13:00 --venue Venetian --level 300,400

  # What else can I see around my plan, without walking too far?
  reinvent search --fits SVS401,ARC302 --day wed --buffer 10m

  # Everything that fits around your starred sessions, as JSON
  reinvent search --fits-starred --limit 0 --format json`,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Query.Words = strings.Join(args, " ")
			opts.Fits.Codes = catalog.SplitCodes(opts.Fits.Codes)
			var err error
			if opts.Query.Levels, err = search.ParseLevels(opts.Levels); err != nil {
				return usageError(err)
			}
			if err := opts.Query.Check(); err != nil {
				return usageError(err)
			}
			if err := checkFormat(opts.Format, search.Formats); err != nil {
				return err
			}
			for _, name := range []string{"travel", "buffer", "unknown-travel"} {
				if cmd.Flags().Changed(name) && len(opts.Fits.Codes) == 0 && !opts.Fits.Starred {
					return usageErrorf("--%s is for --fits: give --fits CODE... or --fits-starred too", name)
				}
			}
			if err := schedule.CheckCodes(opts.Fits.Codes); err != nil {
				return usageError(err)
			}
			if err := opts.Fits.Plan.Check(); err != nil {
				return usageError(err)
			}
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return searchRun(cmd.Context(), opts)
		},
	}
	fl := cmd.Flags()
	fl.StringArrayVar(&opts.Query.Days, "day", nil, "only on this `DAY`: a weekday (tue, Tuesday) or a date (2026-12-01)")
	fl.StringArrayVar(&opts.Query.Venues, "venue", nil, "only at this `VENUE` (Venetian, Wynn, ...)")
	fl.StringArrayVar(&opts.Query.Tracks, "track", nil, "only sessions of this `TRACK`")
	fl.StringArrayVar(&opts.Query.Topics, "topic", nil, "only sessions of this `TOPIC`")
	fl.StringArrayVar(&opts.Query.Types, "type", nil, "only sessions of this `TYPE` (Breakout session, Workshop, ...)")
	fl.StringArrayVar(&opts.Levels, "level", nil, "only sessions of this `LEVEL` (100, 200, 300, 400)")
	fl.StringVar(&opts.Query.After, "after", "", "only instances that start at or after `HH:MM`, local time")
	fl.StringVar(&opts.Query.Before, "before", "", "only instances that end by `HH:MM`, local time")
	fl.BoolVar(&opts.Query.Reservable, "reservable", false, "only instances that take reservations")
	fl.StringArrayVar(&opts.Query.Seats, "seats", nil, "only instances whose seat `BAND` is this (available, limited, veryLimited, unavailable, walkUp)")
	fl.IntVar(&opts.Query.Limit, "limit", search.DefaultLimit, "show at most this many sessions; 0 shows all")
	fl.StringVar(&opts.Format, "format", "table", "output format: table, json or csv")
	fl.StringArrayVar(&opts.Fits.Codes, "fits", nil, "only sessions that fit the plan of these `CODES` (comma lists, repeatable)")
	fl.BoolVar(&opts.Fits.Starred, "fits-starred", false, "only sessions that fit the plan of your starred sessions (after the --fits codes)")
	planFlags(fl, &opts.Fits, "travel", "buffer", "unknown-travel")
	addSourceFlags(f, cmd)
	return cmd
}

func searchRun(ctx context.Context, opts *SearchOptions) error {
	src, err := opts.Source()
	if err != nil {
		return err
	}
	q := opts.Query
	if len(opts.Fits.Codes) > 0 || opts.Fits.Starred {
		fits := opts.PlanOptions(opts.Fits)
		q.Fits = &fits
	}
	res, err := search.Find(ctx, search.Deps{Plan: opts.PlanDeps(src, false), Dir: opts.IndexDir(), Location: opts.Config.Location}, q)
	if err != nil {
		return planError(err)
	}
	if err := res.WriteNotes(opts.IO.ErrOut); err != nil {
		return err
	}
	width := render.TerminalWidth(opts.IO.Out, opts.IO.StdoutTTY, os.Getenv)
	return search.Write(opts.IO.Out, opts.IO.ErrOut, opts.Format, res, width)
}
