package cli

import (
	"context"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/reinvent-cli/reinvent/pkg/catalog"
	"github.com/reinvent-cli/reinvent/pkg/render"
	"github.com/reinvent-cli/reinvent/pkg/schedule"
	"github.com/reinvent-cli/reinvent/pkg/setup"
	"github.com/reinvent-cli/reinvent/pkg/show"
)

// ShowOptions are the inputs of reinvent show.
type ShowOptions struct {
	setup.Deps
	// Show are show.Run's options, which the flags set.
	Show   show.Options
	Format string
}

// NewCmdShow returns the show command.
func NewCmdShow(f *Factory, runF func(context.Context, *ShowOptions) error) *cobra.Command {
	opts := &ShowOptions{Deps: f.Deps()}
	opts.Show.Plan.Plan.TimeLimit = schedule.DefaultTimeLimit
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
			opts.Show.Codes = catalog.SplitCodes(args)
			if len(opts.Show.Codes) == 0 {
				return usageErrorf("give at least one session code, e.g. reinvent show SVS401")
			}
			if err := checkFormat(opts.Format, show.Formats); err != nil {
				return err
			}
			if err := opts.Show.Plan.Plan.Check(); err != nil {
				return usageError(err)
			}
			if err := schedule.CheckCodes(opts.Show.Codes); err != nil {
				return usageError(err)
			}
			return runCommand(cmd.Context(), opts, runF, showRun)
		},
	}
	cmd.Flags().StringVar(&opts.Format, "format", "text", "output format: "+strings.Join(show.Formats, " or "))
	planFlags(cmd.Flags(), &opts.Show.Plan, "travel", "buffer", "unknown-travel")
	addSourceFlags(f, cmd)
	return cmd
}

func showRun(ctx context.Context, opts *ShowOptions) error {
	src, err := opts.Source()
	if err != nil {
		return err
	}
	so := opts.Show
	so.Plan = opts.PlanOptions(so.Plan)
	rep, err := show.Run(ctx, opts.PlanDeps(src, false), so)
	if err != nil {
		return planError(err)
	}
	width := render.TerminalWidth(opts.IO.Out, opts.IO.StdoutTTY, os.Getenv)
	if err := rep.Write(opts.IO.Out, opts.Format, opts.Config.Location, width); err != nil {
		return err
	}
	if len(rep.NotFound) > 0 {
		return render.NoneFound(src.Name(), rep.NotFound, rep.Suggestions)
	}
	return nil
}
