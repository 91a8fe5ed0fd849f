package cli

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/reinvent-cli/reinvent/pkg/catalog"
	"github.com/reinvent-cli/reinvent/pkg/render"
	"github.com/reinvent-cli/reinvent/pkg/reserve"
	"github.com/reinvent-cli/reinvent/pkg/schedule"
	"github.com/reinvent-cli/reinvent/pkg/setup"
	"github.com/reinvent-cli/reinvent/pkg/show"
)

// ShowOptions are the inputs of reinvent show.
type ShowOptions struct {
	setup.Deps

	Codes         []string
	Format        string
	TravelFile    string
	Buffer        time.Duration
	UnknownTravel time.Duration
}

// NewCmdShow returns the show command.
func NewCmdShow(f *Factory, runF func(context.Context, *ShowOptions) error) *cobra.Command {
	opts := &ShowOptions{Deps: f.Deps()}
	cmd := &cobra.Command{
		Use:   "show CODE... [--format text|json]",
		Short: "Show sessions in full: every repeat, seats, speakers, and what each clashes with",
		Long: `Show each session of the codes in full, one block each in the order given: every
repeat with its time, venue, room and seat band, the type, level, tracks, topics,
services and speakers, and the abstract.

Each repeat says whether you hold a seat for it (on --source events-api, your
schedule when signed in; on any other source, the catalog's reserved flag) and
what it clashes with in your plan: the plan reinvent schedule --starred makes
around what you hold, personal time and the walk between venues included.

A base code (SVS401) shows every repeat; a full code (SVS401-R1) that repeat,
naming the others. A code that names no session exits 1 with the closest codes.
docs/show.md has more.`,
		Example: `  reinvent show --source sample SVS401
  reinvent show ARC302-R1 SVS401 --format json`,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Codes = catalog.SplitCodes(args)
			if len(opts.Codes) == 0 {
				return usageErrorf("give at least one session code, e.g. reinvent show SVS401")
			}
			if !slices.Contains(show.Formats, opts.Format) {
				return usageErrorf("unknown --format %q: use %s", opts.Format, strings.Join(show.Formats, ", "))
			}
			if err := opts.planOptions().Check(); err != nil {
				return usageError(err)
			}
			if err := schedule.CheckCodes(opts.Codes); err != nil {
				return usageError(err)
			}
			return runCommand(cmd.Context(), opts, runF, showRun)
		},
	}
	cmd.Flags().StringVar(&opts.Format, "format", "text", "output format: "+strings.Join(show.Formats, " or "))
	cmd.Flags().StringVar(&opts.TravelFile, "travel", "", "YAML or JSON `FILE` of travel minutes between venues, overriding built-in pairs")
	cmd.Flags().DurationVar(&opts.Buffer, "buffer", 0, "extra time to keep free between two sessions on the same day")
	cmd.Flags().DurationVar(&opts.UnknownTravel, "unknown-travel", 30*time.Minute, "travel time between venues the travel table does not know")
	addSourceFlags(f, cmd)
	return cmd
}

func showRun(ctx context.Context, opts *ShowOptions) error {
	src, err := opts.Source()
	if err != nil {
		return err
	}
	rep, err := show.Run(ctx, opts.Plan(src, false), show.Options{Codes: opts.Codes, Plan: reserve.PlanOptions{
		TravelFile: opts.TravelFile, Event: opts.Config.EventFor("events-api"),
		Plan: opts.planOptions(),
	}})
	if err != nil {
		return planError(err)
	}
	width := render.TerminalWidth(opts.IO.Out, opts.IO.StdoutTTY, os.Getenv)
	if err := rep.Write(opts.IO.Out, opts.Format, opts.Config.Location, width); err != nil {
		return err
	}
	if len(rep.NotFound) > 0 {
		return &ExitError{Code: ExitFailure, Err: fmt.Errorf("no session in %s matches %s", src.Name(), render.NotFound(rep.NotFound, rep.Suggestions))}
	}
	return nil
}

// planOptions are the solver's options of the plan show compares with:
// schedule's defaults but for the flags they share.
func (opts *ShowOptions) planOptions() schedule.Options {
	return schedule.Options{Buffer: opts.Buffer, UnknownTravel: opts.UnknownTravel, Location: opts.Config.Location, TimeLimit: 2 * time.Second}
}
