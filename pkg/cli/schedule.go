package cli

import (
	"context"
	"errors"
	"os"

	"github.com/spf13/cobra"

	"github.com/reinvent-cli/reinvent/pkg/catalog"
	"github.com/reinvent-cli/reinvent/pkg/render"
	"github.com/reinvent-cli/reinvent/pkg/reserve"
	"github.com/reinvent-cli/reinvent/pkg/schedule"
	"github.com/reinvent-cli/reinvent/pkg/setup"
)

// ScheduleOptions are the inputs of reinvent schedule.
type ScheduleOptions struct {
	setup.Deps
	// Plan are the codes and reserve.PlanAround's options, which the
	// flags set.
	Plan   reserve.PlanOptions
	Format string
}

// NewCmdSchedule returns the schedule command. Tests pass runF to check
// flag parsing without running the solver.
func NewCmdSchedule(f *Factory, runF func(context.Context, *ScheduleOptions) error) *cobra.Command {
	opts := &ScheduleOptions{Deps: f.Deps()}
	cmd := &cobra.Command{
		Use:   "schedule [CODE...] [--starred] [--format table|json|csv|ics]",
		Short: "Build the best schedule from session codes, across all repeats",
		Long: `Build the schedule that fits the most of the given session codes, choosing among
every repeat of each and allowing for the walk between venues.

Codes are in priority order and may be separated by commas: a base code (SVS401)
stands for every repeat, a full code (SVS401-R1) for that instance, and a code
ending in = (AIM306=) for exactly that instance. --starred adds, after them, the
seats you hold, then your starred keynotes, then your other starred sessions.

Two sessions fit when the later starts at least the travel between their venues
(docs/travel.md; --travel, --unknown-travel) plus --buffer after the earlier ends.
Codes that do not fit are listed with what blocks them; only when no code exists
does schedule exit 1. The seats you hold (and, on the AWS Events API, your
personal time) are fixed unless --ignore-reserved. docs/schedule.md has the rules.`,
		Example: `  # Two sessions from the embedded sample catalog, no account needed
  reinvent schedule --source sample SVS401 ARC302

  # Your starred sessions after two must-haves, as a calendar file
  reinvent schedule SVS401 ARC302 --starred --format ics > reinvent.ics

  # Keep 10 minutes spare between sessions, with your own walking times
  reinvent schedule --buffer 10m --travel travel.yaml SVS401 ARC302 DAT301`,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Plan.Codes = catalog.SplitCodes(args)
			if len(opts.Plan.Codes) == 0 && !opts.Plan.Starred {
				return usageErrorf("give at least one session code or --starred, e.g. reinvent schedule SVS401 ARC302")
			}
			if err := checkFormat(opts.Format, render.Formats); err != nil {
				return err
			}
			if err := opts.Plan.Plan.Check(); err != nil {
				return usageError(err)
			}
			if err := schedule.CheckCodes(opts.Plan.Codes); err != nil {
				return usageError(err)
			}
			return runCommand(cmd.Context(), opts, runF, scheduleRun)
		},
	}
	cmd.Flags().BoolVar(&opts.Plan.Starred, "starred", false, "add your starred sessions after the given codes")
	cmd.Flags().StringVar(&opts.Format, "format", "table", "output format: table, json, csv or ics")
	cmd.Flags().BoolVar(&opts.Plan.IgnoreHeld, "ignore-reserved", false, "plan from scratch instead of around the seats you hold (and, on the Events API, your personal time)")
	planFlags(cmd.Flags(), &opts.Plan, "travel", "buffer", "unknown-travel", "time-limit")
	addSourceFlags(f, cmd)
	return cmd
}

func scheduleRun(ctx context.Context, opts *ScheduleOptions) error {
	src, err := opts.Source()
	if err != nil {
		return err
	}
	p, err := reserve.PlanAround(ctx, opts.PlanDeps(src, false), opts.PlanOptions(opts.Plan))
	if err != nil {
		return planError(err)
	}
	if err := p.WriteNotes(opts.IO.ErrOut); err != nil {
		return err
	}
	res := p.Result
	if p.NoneFound {
		return render.NoneFound(src.Name(), res.NotFound, p.Suggestions)
	}
	ro := render.ScheduleOptions{
		Location:    opts.Config.Location,
		Suggestions: p.Suggestions,
		Stamp:       p.Catalog.FetchedAt,
		Seats:       render.SeatsOf(res, p.Catalog.Sessions),
		Width:       render.TerminalWidth(opts.IO.Out, opts.IO.StdoutTTY, os.Getenv),
	}
	return render.WriteSchedule(opts.IO.Out, opts.IO.ErrOut, opts.Format, res, ro)
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
