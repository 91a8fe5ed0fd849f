package watch

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/reinvent-cli/reinvent/pkg/catalog"
	"github.com/reinvent-cli/reinvent/pkg/store"
	"github.com/reinvent-cli/reinvent/pkg/x"
)

// Poster makes one post on X and returns its id. *x.Client implements it.
type Poster interface {
	Post(ctx context.Context, p x.Post) (string, error)
}

// Deps are what a run of watch works with.
type Deps struct {
	// Store is the store a run compares with and records in. In a dry
	// run, nil is a store not created yet: every session is new and no
	// post is pending. *store.Store and the DynamoDB store are ones.
	Store store.Watch
	// Fetch returns the whole catalog as the source has it now.
	Fetch func(ctx context.Context) (*catalog.Catalog, error)
	// SaveCache, when set, keeps a catalog that changed in the store's
	// catalog cache.
	SaveCache func(ctx context.Context, cat *catalog.Catalog)
	// Poster posts the changes; nil means a run that posts nothing.
	Poster Poster
	Logger *slog.Logger
}

// Options say what a run of watch does.
type Options struct {
	Event string
	// Source names the catalog's source in the store's record of the run.
	Source   string
	Location *time.Location
	// AnnounceInitial posts every session of the first run, which
	// otherwise records a silent baseline.
	AnnounceInitial bool
	// AllowMassRemoval records a fetch that removes more than MassRemoval
	// of the known sessions.
	AllowMassRemoval bool
	// Link, when set, is a URL template (see Link) whose URL ends every
	// single post of a new or updated session; digests and removals get
	// none. Empty is no URL in any post, which is what X bills least.
	Link string
	// MaxPosts caps the posts one run makes; the rest stay pending, and
	// the run ends with ErrMaxPosts. 0 is no cap.
	MaxPosts int
	// DigestOver, when above 0, makes a run with more than DigestOver
	// changes to post announce them all in digest posts (Digests) instead
	// of one post each (docs/watch.md, "Digests"). 0 never digests.
	DigestOver int
	// Now is the run's clock; nil means time.Now.
	Now func() time.Time
	// DryRun fetches and compares and then changes nothing: it takes no
	// lock, records nothing, saves no catalog and posts nothing. The
	// Report holds the changes and, with Tweet, the posts a run would make
	// now (Report.Posts). Deps.Poster is not used.
	DryRun bool
	// Tweet makes a dry run plan the posts of a run with a Poster. A run
	// that is not dry posts when Deps.Poster is set, whatever Tweet.
	Tweet bool
}

// ErrMaxPosts is the PostError's Err of a run that made Options.MaxPosts
// posts and left the rest pending.
var ErrMaxPosts = errors.New("the run made as many posts as --max-posts allows")

// Report is what a run did.
type Report struct {
	// Fetched is the number of sessions fetched.
	Fetched int
	// Baseline is set on the first run on an empty store.
	Baseline bool
	// Recorded is set once the changes are recorded; a run that records
	// nothing has only Fetched, Baseline and Diff.
	Recorded bool
	// Diff is what changed, as recorded.
	Diff *Result
	// Posted holds the codes whose change of this run was posted.
	Posted map[string]bool
	// Done, Pending and Failed count the posts made, left for the next run
	// and refused by X for good. In a dry run, Pending counts the posts
	// past Options.MaxPosts that a run would leave pending.
	Done, Pending, Failed int
	// DryRun is set on the report of a dry run, which recorded and posted
	// nothing.
	DryRun bool
	// Posts are, in a dry run with Options.Tweet, the posts a run would
	// make now, in order: those left pending by earlier runs, oldest
	// first, then this run's. Posted then holds the codes of this run's
	// changes these posts carry.
	Posts []Planned
}

// Planned is a post a dry run found that a run would make.
type Planned struct {
	Text string
	// Codes are the codes of the changes the post carries: one, or a
	// digest's several.
	Codes []string
	// Earlier is set on a post left pending by an earlier run.
	Earlier bool
}

// MassRemovalError is the error of a run that recorded nothing because
// the fetch would remove more than MassRemoval of the Known sessions.
type MassRemovalError struct {
	Removed, Known int
}

func (e *MassRemovalError) Error() string {
	return fmt.Sprintf("the catalog would remove %d of %d known sessions (more than %d%%), so nothing was recorded; if it really shrank, run again with --allow-mass-removal",
		e.Removed, e.Known, int(MassRemoval*100))
}

// PostError is the error of a run whose posting stopped early: Err is why
// (x.ErrRateLimited, x.ErrAuth, x.ErrUnavailable, or the context's error),
// and Pending posts are left for the next run.
type PostError struct {
	Err     error
	Pending int
}

func (e *PostError) Error() string {
	return fmt.Sprintf("%v; %d posts left pending", e.Err, e.Pending)
}

func (e *PostError) Unwrap() error { return e.Err }

// Stopped says in one line why posting stopped and what is left for the
// next run with --tweet. early is true when the run stopped at a limit
// (X's rate limit or outage, or ErrMaxPosts), which watch exits 5 for
// (docs/watch.md); X's refusal of the credentials keeps x.ErrAuth in the
// chain, and any other stop (the context's end) is Err as it is.
func (e *PostError) Stopped() (err error, early bool) {
	left := fmt.Sprintf("%d posts left pending for the next run with --tweet", e.Pending)
	switch {
	case errors.Is(e.Err, x.ErrRateLimited):
		msg := "X's rate limit was reached"
		var rl *x.RateLimitError
		if errors.As(e.Err, &rl) && !rl.Reset.IsZero() {
			msg += " until " + rl.Reset.Local().Format("15:04")
		}
		return fmt.Errorf("%s; %s", msg, left), true
	case errors.Is(e.Err, x.ErrAuth):
		return fmt.Errorf("%w; check the X credentials; %s", e.Err, left), false
	case errors.Is(e.Err, x.ErrUnavailable), errors.Is(e.Err, ErrMaxPosts):
		return fmt.Errorf("%w; %s", e.Err, left), true
	}
	return e.Err, false
}

// Check says what is wrong with o, in the words of watch's flags
// (docs/cli/reinvent_watch.md), or returns nil.
func (o Options) Check() error {
	switch {
	case o.MaxPosts < 0:
		return fmt.Errorf("--max-posts %d: give a number of posts, or 0 for no cap", o.MaxPosts)
	case o.DigestOver < 0:
		return fmt.Errorf("--digest-over %d: give a number of changes, or 0 for never", o.DigestOver)
	case o.Link != "":
		if err := CheckLink(o.Link); err != nil {
			return fmt.Errorf("--link: %w", err)
		}
	}
	return nil
}

// Run is one run of watch (docs/watch.md): it takes the store's watch lock,
// fetches the catalog, compares it with the latest versions, records the
// changes and their posts (one each, or digests when there are more than
// Options.DigestOver) in one transaction, and then, with a Poster,
// posts the event's pending outbox, oldest first. Nothing is recorded when
// the fetch fails or would be a mass removal. A post is attempted only
// after its attempt is committed and marked done only after X answered,
// which posts each change exactly once (docs/exactly-once.md). With
// Options.DryRun it only fetches, compares and, with Options.Tweet, plans
// the posts, and leaves the store as it was.
func Run(ctx context.Context, d Deps, o Options) (*Report, error) {
	now := o.Now
	if now == nil {
		now = time.Now
	}
	if !o.DryRun {
		unlock, err := d.Store.Lock("watch")
		if err != nil {
			if errors.Is(err, store.ErrLocked) {
				return nil, fmt.Errorf("%w; try again when it has finished", err)
			}
			return nil, err
		}
		defer unlock()
	}

	cat, err := d.Fetch(ctx)
	if err != nil {
		return nil, err
	}
	heads := &store.Heads{}
	if d.Store != nil {
		if heads, err = d.Store.Heads(ctx, o.Event); err != nil {
			return nil, err
		}
	}
	res, err := DiffCatalog(heads, cat, o.Location)
	if err != nil {
		return nil, err
	}
	r := &Report{Fetched: len(cat.Sessions), Baseline: heads.Len() == 0, Diff: res, Posted: map[string]bool{}, DryRun: o.DryRun}
	if res.MassRemoval() && !o.AllowMassRemoval {
		return r, &MassRemovalError{Removed: len(res.Removed), Known: res.Known}
	}

	tweet := d.Poster != nil && !o.DryRun || o.DryRun && o.Tweet
	announce := tweet && (!r.Baseline || o.AnnounceInitial)
	run := store.Run{Event: o.Event, Source: o.Source, At: now(), Sessions: res.Sessions, Removed: res.Removed}
	var news []int // the changes to post, by index
	for i := range res.Changes {
		c := &res.Changes[i]
		run.Changes = append(run.Changes, store.Change{Code: c.Code, Kind: c.Kind, Fields: c.Fields, Old: c.Old, New: c.New})
		if announce && c.Newsworthy {
			news = append(news, i)
		}
	}
	seq := func(code string) int { return heads.Seq(code) + 1 }
	if o.DigestOver > 0 && len(news) > o.DigestOver {
		cs := make([]*Change, len(news))
		for j, i := range news {
			cs[j] = &res.Changes[i]
		}
		run.Digests = Digests(cs, seq, o.Location)
	} else {
		for _, i := range news {
			c := &res.Changes[i]
			link := ""
			if c.Kind != KindRemoved {
				link = Link(o.Link, &c.Session, o.Event)
			}
			run.Changes[i].Post = TextLink(c, seq(c.Code), o.Location, link)
		}
	}
	if o.DryRun {
		if !tweet {
			return r, nil
		}
		return r, plan(ctx, d, o, &run, r)
	}
	runID, err := d.Store.Record(ctx, run)
	if err != nil {
		return r, fmt.Errorf("record the changes: %w", err)
	}
	r.Recorded = true
	if len(res.Changes) > 0 && d.SaveCache != nil {
		d.SaveCache(ctx, cat)
	}
	if d.Poster == nil {
		return r, nil
	}
	return r, postPending(ctx, d, o, runID, now, r)
}

// plan fills r.Posts with the posts a run would make now, without
// recording or posting anything: the event's pending outbox, oldest first,
// then those of run in the order Record queues them (the changes' own,
// then the digests), the first o.MaxPosts of them when it is above 0.
func plan(ctx context.Context, d Deps, o Options, run *store.Run, r *Report) error {
	var posts []Planned
	if d.Store != nil {
		items, err := d.Store.Pending(ctx, o.Event)
		if err != nil {
			return err
		}
		for _, it := range items {
			codes := it.Codes
			if codes == nil {
				codes = []string{it.Code}
			}
			posts = append(posts, Planned{Text: it.Text, Codes: codes, Earlier: true})
		}
	}
	for _, c := range run.Changes {
		if c.Post != "" {
			posts = append(posts, Planned{Text: c.Post, Codes: []string{c.Code}})
		}
	}
	for _, dg := range run.Digests {
		posts = append(posts, Planned{Text: dg.Text, Codes: dg.Codes})
	}
	if o.MaxPosts > 0 && len(posts) > o.MaxPosts {
		r.Pending = len(posts) - o.MaxPosts
		posts = posts[:o.MaxPosts]
	}
	for _, p := range posts {
		for _, code := range p.Codes {
			r.Posted[code] = r.Posted[code] || !p.Earlier
		}
	}
	r.Posts = posts
	return nil
}

// postPending posts the event's pending outbox, oldest first, counting
// into r, and stops after o.MaxPosts posts.
func postPending(ctx context.Context, d Deps, o Options, runID int64, now func() time.Time, r *Report) error {
	items, err := d.Store.Pending(ctx, o.Event)
	if err != nil {
		return err
	}
	for i, it := range items {
		if o.MaxPosts > 0 && r.Done+r.Failed >= o.MaxPosts {
			r.Pending = len(items) - i
			return &PostError{Err: ErrMaxPosts, Pending: r.Pending}
		}
		if err := d.Store.Attempt(ctx, it.ID, now()); err != nil {
			r.Pending = len(items) - i
			return err
		}
		id, err := d.Poster.Post(ctx, x.Post{Text: it.Text})
		var mark error
		switch {
		case err == nil, errors.Is(err, x.ErrDuplicate):
			// For a digest, this one mark posts every change it carries.
			mark = d.Store.Posted(ctx, it.ID, id, now(), err != nil)
			r.Done++
			codes := it.Codes
			if codes == nil {
				codes = []string{it.Code}
			}
			for _, code := range codes {
				r.Posted[code] = r.Posted[code] || it.RunID == runID
			}
		case errors.Is(err, x.ErrRateLimited), errors.Is(err, x.ErrAuth), errors.Is(err, x.ErrUnavailable), ctx.Err() != nil:
			_ = d.Store.Retry(context.WithoutCancel(ctx), it.ID, err.Error())
			r.Pending = len(items) - i
			return &PostError{Err: err, Pending: r.Pending}
		default:
			// X refused this post for good (a 400): keep it for inspection
			// and go on with the others.
			if d.Logger != nil {
				args := []any{"code", it.Code, "err", err}
				if it.Codes != nil {
					args = append(args, "digest_of", it.Codes)
				}
				d.Logger.Error("X refused a post", args...)
			}
			mark = d.Store.Failed(ctx, it.ID, err.Error())
			r.Failed++
		}
		if mark != nil {
			r.Pending = len(items) - i - 1
			return fmt.Errorf("record the post of %s: %w", it.Code, mark)
		}
	}
	if r.Failed > 0 {
		return fmt.Errorf("%d posts were refused by X for good; they are kept as failed in the store, see the log above", r.Failed)
	}
	return nil
}
