package cli

import (
	"context"
	"errors"

	"github.com/spf13/cobra"

	"github.com/reinvent-cli/reinvent/pkg/setup"
	"github.com/reinvent-cli/reinvent/pkg/store/backend"
	"github.com/reinvent-cli/reinvent/pkg/watch"
)

// WatchOptions are the inputs of reinvent watch.
type WatchOptions struct {
	setup.Deps
	// Run are watch.Run's options, which the flags set.
	Run    watch.Options
	Format string
}

// NewCmdWatch returns the watch command.
func NewCmdWatch(f *Factory, runF func(context.Context, *WatchOptions) error) *cobra.Command {
	opts := &WatchOptions{Deps: f.Deps()}
	cmd := &cobra.Command{
		Use:   "watch [--tweet] [--dry-run] [--max-posts N] [--digest-over N] [--announce-initial] [--allow-mass-removal] [--format text|json]",
		Short: "Record catalog changes and post new or changed sessions to X",
		Long: `Fetch the whole catalog, compare it with the store (--db), record every session
that changed or disappeared, and print one line per change. Made to run from cron.

The first run records a silent baseline, unless --announce-initial. Embargoed
sessions are skipped. A fetch that fails, or that would remove more than 20% of
the known sessions (unless --allow-mass-removal), records nothing and exits 1, as
does a run while another holds the store.

With --tweet, each new, removed or reappeared session and each change of title,
time, venue or room is posted to X exactly once, with the four x-* credentials.
X's rate limit or --max-posts leaves the rest pending (exit 5); --dry-run changes
nothing. The catalog of an event that requires registration is gated: posting it
publicly may break the event's terms of use. Check them before you use --tweet.

A summary goes to stderr unless --log-level is warn or error. docs/watch.md says
what is posted and how.`,
		Example: `  # Record a baseline of the sample catalog in a scratch store, then compare again
  reinvent watch --source sample --db /tmp/reinvent.db
  reinvent watch --source sample --db /tmp/reinvent.db

  # What would be posted to X now, posting and recording nothing
  reinvent watch --tweet --dry-run

  # From cron, every 15 minutes, posting changes to X
  */15 * * * * reinvent watch --tweet --log-level warn`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkFormat(opts.Format, watch.Formats); err != nil {
				return err
			}
			if err := opts.Run.Check(); err != nil {
				return usageError(err)
			}
			opts.Logger = f.Logger
			return runCommand(cmd.Context(), opts, runF, watchRun)
		},
	}
	cmd.Flags().BoolVar(&opts.Run.Tweet, "tweet", false, "post each change to X")
	cmd.Flags().BoolVar(&opts.Run.DryRun, "dry-run", false, "print the changes and, with --tweet, the posts a run would make; record and post nothing")
	cmd.Flags().BoolVar(&opts.Run.AnnounceInitial, "announce-initial", false, "on the first run, post every session instead of recording a silent baseline")
	cmd.Flags().BoolVar(&opts.Run.AllowMassRemoval, "allow-mass-removal", false, "record a fetch that removes more than 20% of known sessions")
	cmd.Flags().IntVar(&opts.Run.MaxPosts, "max-posts", 0, "with --tweet, make at most `N` posts this run and leave the rest pending (exit 5); 0 is no cap")
	cmd.Flags().IntVar(&opts.Run.DigestOver, "digest-over", 0, "with --tweet, post a run of more than `N` changes as digests, several changes a post; 0 is never")
	cmd.Flags().StringVar(&opts.Run.Link, "link", "", "with --tweet, end each post of a new or updated session with this `URL`, {code}, {id} and {event} filled in; a post with a URL costs X about 13 times more")
	cmd.Flags().StringVar(&opts.Format, "format", "text", "output format: text or json")
	addSourceFlags(f, cmd)
	f.settings.addTo(cmd.Flags(), "x-api-url", "x-consumer-key") // bot-handle is serve-webhook's
	return cmd
}

func watchRun(ctx context.Context, opts *WatchOptions) error {
	var poster watch.Poster
	if opts.Run.Tweet && !opts.Run.DryRun {
		c, err := opts.XClient("--tweet", true)
		if err != nil {
			return err
		}
		poster = c
	}
	st, err := opts.OpenBackend(ctx, backend.Options{Existing: opts.Run.DryRun})
	if err != nil {
		return err
	}
	if st != nil {
		defer st.Close()
	}
	d, wo, err := opts.Watch(st, poster, opts.Run)
	if err != nil {
		return err
	}
	r, err := watch.Run(ctx, d, wo)
	if r == nil {
		return err
	}
	if werr := r.Print(opts.IO.Out, opts.IO.ErrOut, wo, opts.Format == "json", opts.Config.Summary(), err); werr != nil {
		return werr
	}
	var pe *watch.PostError
	if errors.As(err, &pe) {
		if err, early := pe.Stopped(); early {
			return &ExitError{Code: ExitPending, Err: err}
		}
		return err // ExitCode classifies it
	}
	return err
}
