package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"time"

	"github.com/spf13/cobra"

	"github.com/reinvent-cli/reinvent/pkg/store"
	"github.com/reinvent-cli/reinvent/pkg/watch"
	"github.com/reinvent-cli/reinvent/pkg/x"
)

// WatchOptions are the inputs of reinvent watch.
type WatchOptions struct {
	IO     *IOStreams
	Config *Config
	f      *Factory

	Tweet            bool
	AnnounceInitial  bool
	AllowMassRemoval bool
	Format           string
	// Now is the clock of the run; tests pin it.
	Now func() time.Time
}

// NewCmdWatch returns the watch command.
func NewCmdWatch(f *Factory, runF func(context.Context, *WatchOptions) error) *cobra.Command {
	opts := &WatchOptions{IO: f.IO, Config: f.Config, f: f, Now: time.Now}
	cmd := &cobra.Command{
		Use:   "watch [--tweet] [--announce-initial] [--allow-mass-removal] [--format text|json]",
		Short: "Record catalog changes and post new or changed sessions to X",
		Long: `Fetch the whole catalog, compare it with the store (--db), record a new version
of every session whose data changed and a tombstone for every session that
disappeared, and print one line per change. Made to run from cron.

The first run on an empty store records a baseline and prints and posts nothing,
unless --announce-initial. A fetch that fails records nothing. A fetch that would
remove more than 20% of the known sessions records nothing and exits 1, unless
--allow-mass-removal. Embargoed sessions are skipped. Two runs on one store never
overlap: the second exits 1 at once.

With --tweet, each new, removed or reappeared session and each change of title,
start, end, venue or room is posted to X exactly once, across crashes and reruns:
a post that could not be made is made by the next run with --tweet. On X's rate
limit it stops posting and exits 5; the rest stays pending. The X credentials
come from the environment or the config file (REINVENT_X_CONSUMER_KEY,
REINVENT_X_CONSUMER_SECRET, REINVENT_X_ACCESS_TOKEN, REINVENT_X_ACCESS_TOKEN_SECRET).

The catalog of an event that requires registration is gated: posting it publicly
may break the event's terms of use. Check them before you use --tweet.

--format json prints one JSON object per change (NDJSON): code, kind (new,
updated, removed, reappeared), fields, old, new, posted. A summary goes to stderr,
unless --log-level is warn or error: then a run with no change prints nothing,
which keeps cron quiet.`,
		Example: `  # Record a baseline of the sample catalog in a scratch store, then compare again
  reinvent watch --source sample --db /tmp/reinvent.db
  reinvent watch --source sample --db /tmp/reinvent.db

  # From cron, every 15 minutes, posting changes to X
  */15 * * * * reinvent watch --tweet --log-level warn`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if !slices.Contains([]string{"text", "json"}, opts.Format) {
				return usageErrorf("unknown --format %q: use text, json", opts.Format)
			}
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return watchRun(cmd.Context(), opts)
		},
	}
	cmd.Flags().BoolVar(&opts.Tweet, "tweet", false, "post each change to X")
	cmd.Flags().BoolVar(&opts.AnnounceInitial, "announce-initial", false, "on the first run, post every session instead of recording a silent baseline")
	cmd.Flags().BoolVar(&opts.AllowMassRemoval, "allow-mass-removal", false, "record a fetch that removes more than 20% of known sessions")
	cmd.Flags().StringVar(&opts.Format, "format", "text", "output format: text or json")
	addSourceFlags(f, cmd)
	f.settings.addTo(cmd.Flags(), "x-api-url", "x-consumer-key") // bot-handle is serve-webhook's
	return cmd
}

func watchRun(ctx context.Context, opts *WatchOptions) error {
	cfg, f := opts.Config, opts.f
	var poster *x.Client
	if opts.Tweet {
		c, err := f.xClient("--tweet")
		if err != nil {
			return err
		}
		poster = c
	}
	st, err := f.openStore(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	unlock, err := st.Lock("watch")
	if err != nil {
		if errors.Is(err, store.ErrLocked) {
			return fmt.Errorf("%w; try again when it has finished", err)
		}
		return err
	}
	defer unlock()

	src, err := f.Source()
	if err != nil {
		return err
	}
	cat, err := fetch(ctx, f, src)
	if err != nil {
		return err
	}
	event := cfg.EventFor(cfg.Source)
	heads, err := st.Heads(ctx, event)
	if err != nil {
		return err
	}
	res, err := watch.DiffCatalog(heads, cat, cfg.Location)
	if err != nil {
		return err
	}
	for _, code := range res.Duplicates {
		fmt.Fprintf(opts.IO.ErrOut, "warning: the catalog lists %s more than once; the first was used\n", code)
	}
	if res.MassRemoval() && !opts.AllowMassRemoval {
		return fmt.Errorf("the catalog would remove %d of %d known sessions (more than %d%%), so nothing was recorded; if it really shrank, run again with --allow-mass-removal",
			len(res.Removed), res.Known, int(watch.MassRemoval*100))
	}

	baseline := heads.Len() == 0
	announce := opts.Tweet && (!baseline || opts.AnnounceInitial)
	run := store.Run{Event: event, Source: src.Name(), At: opts.Now(), Sessions: res.Sessions, Removed: res.Removed}
	for i := range res.Changes {
		c := &res.Changes[i]
		sc := store.Change{Code: c.Code, Kind: c.Kind, Fields: c.Fields, Old: c.Old, New: c.New}
		if announce && c.Newsworthy {
			sc.Post = watch.Text(c, heads.Seq(c.Code)+1, cfg.Location)
		}
		run.Changes = append(run.Changes, sc)
	}
	runID, err := st.Record(ctx, run)
	if err != nil {
		return fmt.Errorf("record the changes: %w", err)
	}
	if len(res.Changes) > 0 && isLive(cfg.Source) {
		f.saveCache(ctx, st, src.Name(), event, cat)
	}

	var post postResult
	if poster != nil {
		post = postPending(ctx, st, poster, event, runID, opts.Now, f)
	}
	if !baseline || opts.AnnounceInitial {
		if err := printChanges(opts.IO.Out, opts.Format, res.Changes, opts.Tweet, post.posted, cfg.Location); err != nil {
			return err
		}
	}
	if cfg.LogLevel == "debug" || cfg.LogLevel == "info" {
		summarize(opts.IO.ErrOut, len(cat.Sessions), baseline, res, opts, post)
	}
	return post.err
}

// postResult is the outcome of posting the outbox.
type postResult struct {
	posted  map[string]bool // codes whose change of this run was posted
	done    int
	pending int
	failed  int
	err     error // the error the run exits with, if any
}

// postPending posts the event's pending outbox, oldest first. An attempt
// is committed before each request and the post marked done only after X
// answered; docs/exactly-once.md says why that posts each change once.
func postPending(ctx context.Context, st *store.Store, c *x.Client, event string, runID int64, now func() time.Time, f *Factory) postResult {
	r := postResult{posted: map[string]bool{}}
	items, err := st.Pending(ctx, event)
	if err != nil {
		r.err = err
		return r
	}
	for i, it := range items {
		if err := st.Attempt(ctx, it.ID, now()); err != nil {
			r.err = err
			r.pending = len(items) - i
			return r
		}
		id, err := c.Post(ctx, x.Post{Text: it.Text})
		var mark error
		switch {
		case err == nil, errors.Is(err, x.ErrDuplicate):
			mark = st.Posted(ctx, it.ID, id, now(), err != nil)
			r.done++
			r.posted[it.Code] = r.posted[it.Code] || it.RunID == runID
		case errors.Is(err, x.ErrRateLimited), errors.Is(err, x.ErrAuth), errors.Is(err, x.ErrUnavailable), ctx.Err() != nil:
			_ = st.Retry(context.WithoutCancel(ctx), it.ID, err.Error())
			r.pending = len(items) - i
			r.err = postStopError(err, r.pending)
			return r
		default:
			// X refused this post for good (a 400): keep it for inspection
			// and go on with the others.
			f.Logger.Error("X refused a post", "code", it.Code, "err", err)
			mark = st.Failed(ctx, it.ID, err.Error())
			r.failed++
		}
		if mark != nil {
			r.err = fmt.Errorf("record the post of %s: %w", it.Code, mark)
			r.pending = len(items) - i - 1
			return r
		}
	}
	if r.failed > 0 {
		r.err = fmt.Errorf("%d posts were refused by X for good; they are kept as failed in the store, see the log above", r.failed)
	}
	return r
}

// postStopError is the error of a posting run that stopped early, with its
// exit code.
func postStopError(err error, pending int) error {
	left := fmt.Sprintf("%d posts left pending for the next run with --tweet", pending)
	switch {
	case errors.Is(err, x.ErrRateLimited):
		msg := "X's rate limit was reached"
		var rl *x.RateLimitError
		if errors.As(err, &rl) && !rl.Reset.IsZero() {
			msg += " until " + rl.Reset.Local().Format("15:04")
		}
		return &ExitError{Code: ExitPending, Err: fmt.Errorf("%s; %s", msg, left)}
	case errors.Is(err, x.ErrAuth):
		return &ExitError{Code: ExitAuth, Err: fmt.Errorf("%w; check the X credentials; %s", err, left)}
	case errors.Is(err, x.ErrUnavailable):
		return &ExitError{Code: ExitPending, Err: fmt.Errorf("%w; %s", err, left)}
	}
	return err
}

// printChanges writes one line per change, as text or NDJSON.
func printChanges(w io.Writer, format string, changes []watch.Change, tweet bool, posted map[string]bool, loc *time.Location) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	for i := range changes {
		c := &changes[i]
		if format == "json" {
			line := struct {
				Code   string         `json:"code"`
				Kind   string         `json:"kind"`
				Fields []string       `json:"fields"`
				Old    map[string]any `json:"old"`
				New    map[string]any `json:"new"`
				Posted bool           `json:"posted"`
			}{c.Code, c.Kind, c.Fields, c.Old, c.New, posted[c.Code]}
			if line.Fields == nil {
				line.Fields = []string{}
			}
			if err := enc.Encode(line); err != nil {
				return err
			}
			continue
		}
		text := c.Kind + " " + c.Code + ": " + c.Describe(loc)
		if tweet && c.Newsworthy {
			text += map[bool]string{true: " [posted]", false: " [pending]"}[posted[c.Code]]
		}
		if _, err := fmt.Fprintln(w, text); err != nil {
			return err
		}
	}
	return nil
}

// summarize writes the run's summary line to stderr.
func summarize(w io.Writer, fetched int, baseline bool, res *watch.Result, opts *WatchOptions, post postResult) {
	count := map[string]int{}
	for _, c := range res.Changes {
		count[c.Kind]++
	}
	switch {
	case baseline && !opts.AnnounceInitial:
		fmt.Fprintf(w, "Recorded a baseline of %d sessions; nothing posted (the next runs report changes against it)\n", len(res.Sessions))
	default:
		fmt.Fprintf(w, "%d sessions: %d new, %d updated, %d removed, %d reappeared\n",
			fetched-res.Embargoed, count[watch.KindNew], count[watch.KindUpdated], count[watch.KindRemoved], count[watch.KindReappeared])
	}
	if opts.Tweet {
		fmt.Fprintf(w, "Posted %d to X; %d pending\n", post.done, post.pending)
	}
}

// isLive reports whether the source is fetched over the network, so its
// catalog is worth caching.
func isLive(source string) bool { return source == "portal" || source == "events-api" }
