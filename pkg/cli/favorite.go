package cli

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/reinvent-cli/reinvent/pkg/catalog"
	"github.com/reinvent-cli/reinvent/pkg/reserve"
	"github.com/reinvent-cli/reinvent/pkg/schedule"
	"github.com/reinvent-cli/reinvent/pkg/setup"
)

// AccountWriteOptions are the inputs of reinvent favorite and cancel.
type AccountWriteOptions struct {
	setup.Deps

	Codes []string
	// From is a download file whose starred sessions favorite adds.
	From string
	// DryRun shows what would be sent and sends nothing.
	DryRun bool
}

// NewCmdFavorite returns the favorite command.
func NewCmdFavorite(f *Factory, runF func(context.Context, *AccountWriteOptions) error) *cobra.Command {
	cmd, opts := newCmdAccountWrite(f, &cobra.Command{
		Use:   "favorite [CODE...] [--from FILE]",
		Short: "Add sessions to your favorites on the AWS Events API",
		Long: `Add the sessions of the codes, or those starred in a file written by reinvent
download (--from), to your favorites on the AWS Events API: a base code such as
SVS401 adds every repeat. Each request is written to the store before it is sent.
--dry-run shows what would be sent, on every source. docs/reserve.md has more.`,
		Example: `  reinvent favorite SVS401 ARC302-R1
  reinvent favorite --from starred-2025.csv`,
	}, "give at least one session code or --from FILE", "sent", favoriteRun, runF)
	cmd.Flags().StringVar(&opts.From, "from", "", "a `FILE` written by reinvent download: add its starred sessions")
	return cmd
}

// NewCmdCancel returns the cancel command.
func NewCmdCancel(f *Factory, runF func(context.Context, *AccountWriteOptions) error) *cobra.Command {
	cmd, _ := newCmdAccountWrite(f, &cobra.Command{
		Use:   "cancel CODE...",
		Short: "Give up reserved seats on the AWS Events API",
		Long: `Cancel your reservation of the sessions of the codes: a base code cancels whichever
repeat you hold. Each cancel is written to the store before it is sent, and one
not answered is settled by reading your schedule back. --dry-run shows what would
be cancelled, on every source. docs/reserve.md has more.`,
		Example: `  reinvent cancel ARC302`,
	}, "give at least one session code to cancel, e.g. reinvent cancel ARC302", "cancelled", cancelRun, runF)
	return cmd
}

// newCmdAccountWrite completes cmd as favorite or cancel: noCode is the
// usage error with no code (nor --from), sent what the dry run would do.
func newCmdAccountWrite(f *Factory, cmd *cobra.Command, noCode, sent string, run, runF func(context.Context, *AccountWriteOptions) error) (*cobra.Command, *AccountWriteOptions) {
	opts := &AccountWriteOptions{Deps: f.Deps()}
	cmd.RunE = func(cmd *cobra.Command, args []string) error {
		opts.Codes = catalog.SplitCodes(args)
		if len(opts.Codes) == 0 && opts.From == "" {
			return usageErrorf("%s", noCode)
		}
		if f.Config.Source != "events-api" && !opts.DryRun {
			return usageErrorf("%s writes to the AWS Events API, and --source is %q: use --source events-api after reinvent login, or --dry-run to see what would be %s", cmd.Name(), f.Config.Source, sent)
		}
		return runCommand(cmd.Context(), opts, runF, run)
	}
	cmd.Flags().BoolVar(&opts.DryRun, "dry-run", false, "show what would be "+sent+"; send nothing")
	addSourceFlags(f, cmd)
	return cmd, opts
}

// writeOptions are the options of favorite's and cancel's writes.
func (opts *AccountWriteOptions) writeOptions() reserve.WriteOptions {
	return reserve.WriteOptions{Event: opts.Config.EventFor("events-api"), DryRun: opts.DryRun}
}

func favoriteRun(ctx context.Context, opts *AccountWriteOptions) error {
	codes := opts.Codes
	if opts.From != "" {
		fs, err := catalog.NewFileSource(opts.From)
		if err != nil {
			return usageErrorf("--from: %v", err)
		}
		fc, err := fs.Fetch(ctx, catalog.FetchOptions{Location: opts.Config.Location})
		if err != nil {
			return err
		}
		codes = append(codes, schedule.StarredCodes(fc.Sessions)...)
	}
	acct, st, cat, err := opts.AccountWrites(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	rep, err := reserve.Favorite(ctx, st, acct, cat.Sessions, codes, opts.writeOptions())
	if err != nil {
		return err // ExitCode classifies it
	}
	if err := rep.WriteText(opts.IO.Out); err != nil {
		return err
	}
	return rep.Incomplete() // exit 1 when some were not found or not added
}

func cancelRun(ctx context.Context, opts *AccountWriteOptions) error {
	acct, st, cat, err := opts.AccountWrites(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	rep, err := reserve.Cancel(ctx, st, acct, cat.Sessions, opts.Codes, opts.writeOptions())
	if werr := rep.WriteText(opts.IO.Out); err == nil {
		err = werr
	}
	if err != nil {
		return err // ExitCode classifies it
	}
	return rep.Incomplete() // exit 1 when seats may still be held
}
