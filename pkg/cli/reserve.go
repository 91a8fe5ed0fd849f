package cli

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/reinvent-cli/reinvent/pkg/catalog"
	"github.com/reinvent-cli/reinvent/pkg/catalog/eventsapi"
	"github.com/reinvent-cli/reinvent/pkg/reserve"
	"github.com/reinvent-cli/reinvent/pkg/setup"
)

// ReserveOptions are the inputs of reinvent reserve.
type ReserveOptions struct {
	setup.Deps
	// Plan are the codes and the plan's options, Run reserve.Run's
	// others, which the flags set.
	Plan     reserve.PlanOptions
	Run      reserve.Options
	Opening  reserve.OpeningFlags
	Yes      bool
	Format   string
	Progress bool // draw the wait for the opening on stderr
}

// NewCmdReserve returns the reserve command.
func NewCmdReserve(f *Factory, runF func(context.Context, *ReserveOptions) error) *cobra.Command {
	opts := &ReserveOptions{Deps: f.Deps()}
	cmd := &cobra.Command{
		Use:   "reserve [CODE...] [--starred] [--dry-run] [--yes] [--format table|json]",
		Short: "Reserve the seats of the best schedule on the AWS Events API",
		Long: `Plan the codes exactly as schedule does, around the seats you already hold and your
personal time, then reserve the planned sessions you do not hold yet on the AWS
Events API (sign in first with reinvent login).

Requests of at most 10 sessions are paced to the API's quota. A full session or a
clash makes the plan again; walk-up sessions take no reservation. Every request is
written to the store (--db) before it is sent, and an unanswered one is settled by
reading your schedule back, in this run or, if it was killed, the next.

On a terminal it shows what it will reserve and asks first; without one it writes
only with --yes. --dry-run never writes, and works on every source.

--at-open waits while reservations are closed (409) and books the moment they
open; docs/reserve.md, "The opening minute", gives the probe schedule.

Exit 0 when every planned code ends held or walk-up, 1 when some could not be held
(they are listed) or reservations are not open, 3 when the sign-in is needed or
refused, 4 when the API stayed unavailable. docs/reserve.md has an example.`,
		Example: `  # See what would be reserved, then reserve it
  reinvent reserve --dry-run SVS401 ARC302 DAT301
  reinvent reserve SVS401 ARC302 DAT301

  # From cron or a script: your starred sessions, no questions
  reinvent reserve --starred --yes --format json

  # Wait for reservations to open at 10:00 (the event's zone), then book
  reinvent reserve --at-open --open-at 10:00 --yes SVS401 ARC302`,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Plan.Codes = catalog.SplitCodes(args)
			switch badFormat := checkFormat(opts.Format, reserve.Formats); {
			case len(opts.Plan.Codes) == 0 && !opts.Plan.Starred:
				return usageErrorf("give at least one session code or --starred, e.g. reinvent reserve SVS401 ARC302")
			case badFormat != nil:
				return badFormat
			case opts.Plan.Plan.Buffer < 0 || opts.Plan.Plan.UnknownTravel < 0:
				return usageErrorf("--buffer and --unknown-travel must not be negative")
			case opts.Run.MaxWrites < 0:
				return usageErrorf("--max-writes %d is negative: give the most write requests the run may send, or 0 for no bound", opts.Run.MaxWrites)
			case f.Config.Source != "events-api" && !opts.Run.DryRun:
				return usageErrorf("reserve writes to the AWS Events API, and --source is %q: use --source events-api after reinvent login, or --dry-run to see what would be reserved", f.Config.Source)
			}
			if _, err := opts.Opening.Opening(time.Now(), f.Config.Location); err != nil {
				return usageErrorf("%v", err)
			}
			opts.Logger, opts.Progress = f.Logger, f.Progress()
			return runCommand(cmd.Context(), opts, runF, reserveRun)
		},
	}
	cmd.Flags().BoolVar(&opts.Plan.Starred, "starred", false, "also your starred sessions, after the codes")
	cmd.Flags().BoolVar(&opts.Run.DryRun, "dry-run", false, "plan and say what would be reserved; write nothing")
	cmd.Flags().BoolVar(&opts.Yes, "yes", false, "reserve without asking (needed to write without a terminal)")
	cmd.Flags().StringVar(&opts.Format, "format", "table", "output format: table or json")
	planFlags(cmd.Flags(), &opts.Plan, "travel", "buffer", "unknown-travel")
	cmd.Flags().BoolVar(&opts.Opening.AtOpen, "at-open", false, "wait while reservations are closed (409), probing, and book the moment they open")
	cmd.Flags().StringVar(&opts.Opening.OpenAt, "open-at", "", "with --at-open, when they open: RFC 3339, or `HH:MM` today in the event's zone")
	cmd.Flags().DurationVar(&opts.Opening.GiveUpAfter, "give-up-after", 0, "with --at-open, stop waiting after this long (0: never)")
	cmd.Flags().IntVar(&opts.Run.MaxWrites, "max-writes", 0, "send at most `N` write requests (0: no bound)")
	addSourceFlags(f, cmd)
	return cmd
}

func reserveRun(ctx context.Context, opts *ReserveOptions) error {
	acct, err := opts.ReserveAccount()
	if err != nil {
		return err
	}
	st, err := opts.OpenStore(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	// Seats come and go: the catalog is fetched as it is now.
	_, cat, err := opts.Catalog(ctx, true)
	if err != nil {
		return err
	}
	po := opts.PlanOptions(opts.Plan)
	ro := opts.Run
	ro.Event, ro.Codes, ro.Starred, ro.Plan, ro.TravelFile, ro.Logger = po.Event, po.Codes, po.Starred, po.Plan, po.TravelFile, opts.Logger
	if ro.Opening, err = opts.Opening.Opening(time.Now(), opts.Config.Location); err == nil && ro.Opening != nil && opts.Progress {
		ro.Opening.Progress = reserve.ProgressTo(opts.IO.ErrOut)
	}
	interactive := opts.IO.StdinTTY && opts.IO.StderrTTY
	switch {
	case ro.DryRun, opts.Yes:
	case interactive:
		ro.Confirm = reserve.Ask(opts.IO.In, opts.IO.ErrOut, opts.Config.Location)
	default:
		ro.DryRun = true
		fmt.Fprintln(opts.IO.ErrOut, "No terminal to ask on, and no --yes: nothing is reserved; this is what would be.")
	}
	rep, err := reserve.Run(ctx, st, acct, cat.Sessions, ro)
	if errors.Is(err, catalog.ErrUnavailable) && rep != nil {
		// Stopped mid-run: what is held, and what is not and why.
		if werr := rep.Write(opts.IO.Out, opts.Format == "json", opts.Config.Location); werr != nil {
			return werr
		}
	}
	switch {
	case errors.Is(err, eventsapi.ErrClosed):
		return errors.New("reservations are not open for this event (the AWS Events API answered 409); --at-open waits for them")
	case errors.Is(err, reserve.ErrNotOpen):
		return fmt.Errorf("%v; run again later, or with a longer --give-up-after", err)
	case err != nil:
		return planError(err) // a travel file's error exits 2; ExitCode classifies the others
	}
	if err := rep.Write(opts.IO.Out, opts.Format == "json", opts.Config.Location); err != nil {
		return err
	}
	return rep.Unheld() // exit 1 when some codes could not be held
}
