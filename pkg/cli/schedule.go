package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/reinvent-cli/reinvent/pkg/catalog"
	"github.com/reinvent-cli/reinvent/pkg/catalog/eventsapi"
	"github.com/reinvent-cli/reinvent/pkg/render"
	"github.com/reinvent-cli/reinvent/pkg/reserve"
	"github.com/reinvent-cli/reinvent/pkg/schedule"
)

// ScheduleOptions are the inputs of reinvent schedule.
type ScheduleOptions struct {
	CatalogDeps

	Codes         []string
	Starred       bool
	Format        string
	TravelFile    string
	Buffer        time.Duration
	UnknownTravel time.Duration
	TimeLimit     time.Duration
	// IgnoreReserved plans from scratch, as if nothing were held.
	IgnoreReserved bool
}

var scheduleFormats = []string{"table", "json", "csv", "ics"}

// NewCmdSchedule returns the schedule command. Tests pass runF to check
// flag parsing without running the solver.
func NewCmdSchedule(f *Factory, runF func(context.Context, *ScheduleOptions) error) *cobra.Command {
	opts := &ScheduleOptions{CatalogDeps: f.catalogDeps()}
	cmd := &cobra.Command{
		Use:   "schedule [CODE...] [--starred] [--format table|json|csv|ics]",
		Short: "Build the best schedule from session codes, across all repeats",
		Long: `Build the schedule that fits the most of the given session codes, choosing among
every repeat of each and allowing for the walk between venues.

Codes are in priority order: the first is the one you want most. A base code such
as SVS401 stands for every repeat (SVS401, SVS401-R, SVS401-R1, ...); a full code
such as SVS401-R1 for that one instance, and a code ending in = (AIM306=) for
exactly that instance even when it is also a base code. Codes may be separated by
commas. --starred adds, after the codes given: first the sessions you hold a seat
for, each as exactly that instance; then your starred keynotes; then your other
starred sessions, in catalog order, each by base code, so that any repeat may be
chosen.

Two sessions fit together when they are on different days, or when the later one
starts at least the travel time between their venues plus --buffer after the
earlier one ends. The built-in travel table holds planning minutes between the
re:Invent venues (walking time plus 10 minutes, see docs/travel.md); --travel
overrides pairs of it, and a pair nobody knows costs --unknown-travel. An all-day
session you drop in on (a lounge, the expo, self-paced labs) blocks nothing; other
all-day sessions clash with everything on their day (docs/schedule.md).

The schedule is optimal, in this order: the most codes scheduled; then earlier
codes before later ones; then the fewest minutes of travel. Every code that does
not fit is listed with the sessions that block it, and every code not found with
close matches. Some codes not found still exit 0; only when none of the codes
exists does schedule exit 1.

The seats you hold are fixed in the plan: the schedule keeps every one of them that
fits with the others, whatever that costs the rest, and only a clash between two
held seats leaves one out (and says so). On the AWS Events API with a sign-in
(reinvent login) they come from your schedule, and your personal time is busy too:
nothing is placed inside a block, and the walk to and from its location counts
when it names a venue; on another source they are the catalog's reserved sessions.
--ignore-reserved plans from scratch. reinvent reserve books such a plan.

A base code and an instance of it (SVS401 and SVS401-R1) name the same talk: the
first mention is kept, and stderr says which code was merged into which.`,
		Example: `  # Two sessions from the embedded sample catalog, no account needed
  reinvent schedule --source sample SVS401 ARC302

  # Your starred sessions after two must-haves, as a calendar file
  reinvent schedule SVS401 ARC302 --starred --format ics > reinvent.ics

  # Keep 10 minutes spare between sessions, with your own walking times
  reinvent schedule --buffer 10m --travel travel.yaml SVS401 ARC302 DAT301`,
		RunE: func(cmd *cobra.Command, args []string) error {
			args = catalog.SplitCodes(args)
			opts.Codes = args
			opts.Source = f.Source
			if len(args) == 0 && !opts.Starred {
				return usageErrorf("give at least one session code or --starred, e.g. reinvent schedule SVS401 ARC302")
			}
			if !slices.Contains(scheduleFormats, opts.Format) {
				return usageErrorf("unknown --format %q: use %s", opts.Format, strings.Join(scheduleFormats, ", "))
			}
			if opts.Buffer < 0 {
				return usageErrorf("--buffer must not be negative, got %v", opts.Buffer)
			}
			if opts.UnknownTravel < 0 {
				return usageErrorf("--unknown-travel must not be negative, got %v", opts.UnknownTravel)
			}
			if opts.TimeLimit <= 0 {
				return usageErrorf("--time-limit must be positive, got %v", opts.TimeLimit)
			}
			for _, c := range args {
				code, _ := schedule.CutExact(c)
				if _, err := catalog.ParseCode(code); err != nil {
					return usageErrorf("%v", err)
				}
			}
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return scheduleRun(cmd.Context(), opts)
		},
	}
	cmd.Flags().BoolVar(&opts.Starred, "starred", false, "add your starred sessions after the given codes")
	cmd.Flags().StringVar(&opts.Format, "format", "table", "output format: table, json, csv or ics")
	cmd.Flags().StringVar(&opts.TravelFile, "travel", "", "YAML or JSON `FILE` of travel minutes between venues, overriding built-in pairs")
	cmd.Flags().DurationVar(&opts.Buffer, "buffer", 0, "extra time to keep free between two sessions on the same day")
	cmd.Flags().DurationVar(&opts.UnknownTravel, "unknown-travel", 30*time.Minute, "travel time between venues the travel table does not know")
	cmd.Flags().BoolVar(&opts.IgnoreReserved, "ignore-reserved", false, "plan from scratch instead of around the seats you hold (and, on the Events API, your personal time)")
	cmd.Flags().DurationVar(&opts.TimeLimit, "time-limit", 2*time.Second, "longest the search may take; then the best schedule found is shown, marked not proven optimal")
	addSourceFlags(f, cmd)
	return cmd
}

func scheduleRun(ctx context.Context, opts *ScheduleOptions) error {
	src, err := opts.Source()
	if err != nil {
		return err
	}
	p, err := reserve.PlanAround(ctx, reserve.PlanDeps{
		Fetch:   func(ctx context.Context) (*catalog.Catalog, error) { return opts.Fetch(ctx, src, false) },
		Account: planAccount(opts.Config, opts.Account),
	}, reserve.PlanOptions{
		Codes: opts.Codes, Starred: opts.Starred, TravelFile: opts.TravelFile,
		Event: opts.Config.EventFor("events-api"), IgnoreHeld: opts.IgnoreReserved,
		Plan: schedule.Options{Buffer: opts.Buffer, UnknownTravel: opts.UnknownTravel, Location: opts.Config.Location, TimeLimit: opts.TimeLimit},
	})
	if err != nil {
		return planError(err)
	}
	if err := p.WriteNotes(opts.IO.ErrOut); err != nil {
		return err
	}
	res := p.Result
	if p.NoneFound {
		return &ExitError{Code: ExitFailure, Err: fmt.Errorf("no session in %s matches %s", src.Name(), render.NotFound(res.NotFound, p.Suggestions))}
	}
	ro := render.ScheduleOptions{
		Location:    opts.Config.Location,
		Suggestions: p.Suggestions,
		Stamp:       p.Catalog.FetchedAt,
		Seats:       render.SeatsOf(res, p.Catalog.Sessions),
		Width:       render.TerminalWidth(opts.IO.Out, opts.IO.StdoutTTY, os.Getenv),
	}
	write := map[string]func(io.Writer, *schedule.Result, render.ScheduleOptions) error{
		"table": render.ScheduleTable,
		"json":  render.ScheduleJSON,
		"csv":   render.ScheduleCSV,
		"ics":   render.ScheduleICS,
	}[opts.Format]
	if err := write(opts.IO.Out, res, ro); err != nil {
		return err
	}
	if opts.Format == "csv" || opts.Format == "ics" {
		// These formats have no room for what is missing: stderr says it.
		return render.WriteMissing(opts.IO.ErrOut, res, ro)
	}
	return nil
}

// planAccount is the account a plan works around: the AWS Events API's,
// when it is the source; nil otherwise.
func planAccount(c *Config, account func() (*eventsapi.Catalog, error)) func() (reserve.Holder, error) {
	if c.Source != "events-api" || account == nil {
		return nil
	}
	return func() (reserve.Holder, error) {
		a, err := account()
		if err != nil {
			return nil, err
		}
		return a, nil
	}
}

// planError makes a travel file's error of reserve.PlanAround exit 2, the
// command line's mistake; ExitCode classifies the others.
func planError(err error) error {
	var te *schedule.TravelError
	if errors.As(err, &te) {
		return usageErrorf("%v", err)
	}
	return err
}
