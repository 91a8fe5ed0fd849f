package cli

import (
	"cmp"
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/reinvent-cli/reinvent/pkg/calendar"
	"github.com/reinvent-cli/reinvent/pkg/catalog"
	"github.com/reinvent-cli/reinvent/pkg/follow"
	"github.com/reinvent-cli/reinvent/pkg/notify"
	"github.com/reinvent-cli/reinvent/pkg/schedule"
	"github.com/reinvent-cli/reinvent/pkg/setup"
)

// FollowOptions are the inputs of reinvent follow.
type FollowOptions struct {
	setup.Deps
	// Run are follow.Run's options, and Every follow.Every's, which the
	// flags set.
	Run         follow.Options
	Every       follow.EveryOptions
	CalendarURL bool
	Format      string
}

// defaultCalendarAddr is where --serve-calendar listens unless told.
const defaultCalendarAddr = "127.0.0.1:8765"

// NewCmdFollow returns the follow command.
func NewCmdFollow(f *Factory, runF func(context.Context, *FollowOptions) error) *cobra.Command {
	opts := &FollowOptions{Deps: f.Deps()}
	opts.Run.Plan.Plan.UnknownTravel = schedule.DefaultUnknownTravel
	cmd := &cobra.Command{
		Use:   "follow [CODE...] [--starred] [--every DUR] [--ics FILE] [--serve-calendar ADDR] [--dry-run] [--format text|json]",
		Short: "Follow your plan through the conference: private notices and a live calendar",
		Long: `Follow the plan of the codes (or, with --starred or no code, your starred and
reserved sessions): each run fetches the catalog, plans as schedule does (keeping
what it can of the last plan) and compares with the last run in the store (--db).

The first run records a baseline. After it, each change is a notice: a session
moved, relocated, renamed, cancelled or back, its seats, a new repeat, the plan,
and, urgent, a held seat that now clashes. Notices are printed and sent once to
each URL of the notify setting (REINVENT_NOTIFY or the config file, never a flag;
docs/notify.md); a failing one keeps its notices for the next run, exit 5.

--ics FILE rewrites a calendar every run. --every DUR (at least 1m) runs until
stopped; --serve-calendar ADDR then serves the calendar at the secret URL that
--calendar-url prints. docs/follow.md has the details.`,
		Example: `  # Record a baseline of your starred sessions, then run from cron every 5 minutes
  reinvent follow --starred
  */5 * * * * reinvent follow --starred --ics ~/reinvent.ics --log-level warn

  # Run all week, with notices on your phone and a calendar it subscribes to
  REINVENT_NOTIFY=ntfy://ntfy.sh/my-secret-topic reinvent follow --every 5m --serve-calendar 127.0.0.1:8765
  reinvent follow --calendar-url`,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Run.Plan.Codes = catalog.SplitCodes(args)
			opts.Run.Plan.Starred = opts.Run.Plan.Starred || len(opts.Run.Plan.Codes) == 0
			if err := checkFormat(opts.Format, follow.Formats); err != nil {
				return err
			}
			if err := follow.Check(opts.Run, opts.Every, opts.CalendarURL); err != nil {
				return usageError(err)
			}
			if opts.Run.Rebook && f.Config.Source != "events-api" && !opts.Run.DryRun {
				return usageErrorf("--rebook reserves on the AWS Events API, and --source is %q: use --source events-api after reinvent login, or --dry-run", f.Config.Source)
			}
			opts.Logger = f.Logger
			return runCommand(cmd.Context(), opts, runF, followRun)
		},
	}
	fl := cmd.Flags()
	fl.BoolVar(&opts.Run.Plan.Starred, "starred", false, "follow your starred and reserved sessions (the default with no code)")
	fl.DurationVar(&opts.Every.Every, "every", 0, "run every `DUR` (at least 1m) until stopped; 0 runs once")
	fl.StringVar(&opts.Run.ICS, "ics", "", "rewrite this calendar `FILE` on every run")
	fl.StringVar(&opts.Every.Serve, "serve-calendar", "", "with --every, serve the calendar on `ADDR` (such as "+defaultCalendarAddr+")")
	fl.BoolVar(&opts.CalendarURL, "calendar-url", false, "print the calendar's secret URL and exit")
	fl.BoolVar(&opts.Run.DryRun, "dry-run", false, "compare and print the notices; record, send and write nothing")
	fl.StringVar(&opts.Format, "format", "text", "output format: text or json (one object per notice)")
	planFlags(fl, &opts.Run.Plan, "travel", "buffer")
	fl.BoolVar(&opts.Run.Rebook, "rebook", false, "reserve, on every run, the planned sessions not held yet that have seats (Events API)")
	fl.IntVar(&opts.Run.Reserve.MaxWrites, "max-writes", 0, "with --rebook, send at most `N` reservation requests a run (0: no bound)")
	fl.BoolVar(&opts.Run.Swap, "swap", false, "with --rebook, swap held seats for a strictly better plan; a seat given up is reserved again at once if the new one is not had")
	addSourceFlags(f, cmd)
	return cmd
}

func followRun(ctx context.Context, opts *FollowOptions) error {
	cfg := opts.Config
	if opts.CalendarURL {
		tok, err := setup.AtStore(cfg, calendar.TokenBeside)
		if err != nil {
			return err
		}
		fmt.Fprintf(opts.IO.Out, "http://%s%s\n", cmp.Or(opts.Every.Serve, defaultCalendarAddr), (&calendar.Server{Token: tok}).Path())
		return nil
	}
	var urls []string // a dry run sends nothing and needs none
	if !opts.Run.DryRun {
		urls = notify.Split(cfg.Notify)
	}
	targets, err := follow.Targets(urls, notify.Options{})
	if err != nil {
		return usageErrorf("notify: %v", err)
	}
	st, err := opts.OpenStore(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	src, err := opts.Source()
	if err != nil {
		return err
	}
	d := follow.Deps{Store: st, Notify: targets, Logger: opts.Logger, Plan: opts.PlanDeps(src, true)}
	fo := opts.Run
	fo.Event, fo.Plan, fo.Reserve.Logger = cfg.EventFor(cfg.Source), opts.PlanOptions(fo.Plan), opts.Logger
	fo.Calendar = calendar.Options{Name: follow.CalendarName(fo.Event), Refresh: opts.Every.Every, Location: cfg.Location}
	if fo.Rebook && cfg.Source == "events-api" {
		if d.Writer, err = opts.Account(); err != nil {
			return err
		}
	}
	if opts.Every.Every == 0 {
		r, err := follow.Run(ctx, d, fo)
		return printFollow(opts, r, err)
	}
	eo := opts.Every
	eo.Done = func(r *follow.Report, err error) {
		if err := printFollow(opts, r, err); err != nil {
			opts.Logger.Warn("follow run failed; trying again at the next tick", "err", err)
		}
	}
	if eo.Serve != "" {
		if eo.Token, err = setup.AtStore(cfg, calendar.TokenBeside); err != nil {
			return err
		}
	}
	return follow.Every(ctx, d, fo, eo) // ExitCode classifies its error
}

// printFollow prints a run's notices and summary, and maps its error.
func printFollow(opts *FollowOptions, r *follow.Report, err error) error {
	if r != nil {
		if werr := r.Write(opts.IO.Out, opts.IO.ErrOut, opts.Format == "json", opts.Config.Summary()); werr != nil {
			return werr
		}
	}
	return err // ExitCode classifies it
}
