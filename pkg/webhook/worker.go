package webhook

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/reinvent-cli/reinvent/pkg/catalog"
	"github.com/reinvent-cli/reinvent/pkg/schedule"
	"github.com/reinvent-cli/reinvent/pkg/store"
	"github.com/reinvent-cli/reinvent/pkg/x"
)

// Poster makes one post; *x.Client is one.
type Poster interface {
	Post(ctx context.Context, p x.Post) (string, error)
}

// Worker answers the queued mentions: it schedules their codes on the
// cached catalog and posts the answer as a thread, one post at a time,
// recording each post so that a restart goes on where it stopped.
type Worker struct {
	Store  store.Bot
	Poster Poster
	// Catalog returns the current catalog, or nil while none is loaded;
	// it never fetches.
	Catalog   func() *catalog.Catalog
	Plan      schedule.Options
	BotHandle string
	UserLimit int
	Logger    *slog.Logger
	// MaxAttempts is how often a mention is tried before it goes to the
	// dead letters; 0 means 8.
	MaxAttempts int
	// Backoff is the wait before attempt n+1; nil means 30 s doubling up
	// to 30 min.
	Backoff func(n int) time.Duration
	// Lease is how long a claimed job is this worker's before another may
	// take it back; 0 means an hour (DefaultLease). A worker that stops at
	// a known time, such as a Lambda invocation's deadline, leases for
	// that long (docs/serverless.md, "The function").
	Lease time.Duration
	Now   func() time.Time

	once sync.Once
	wake chan struct{}
}

// limiter tells X's post rate limit as the last post's answer told it;
// *x.Client is one.
type limiter interface {
	PostLimit() x.RateLimit
}

// DefaultLease is how long a claimed job is its worker's. A job takes at
// most a few minutes (each post's retries are bounded); after a crash the
// next start takes the job back at once (Store.ResetRunning), so the lease
// only guards against a worker that hangs.
const DefaultLease = time.Hour

func (w *Worker) init() {
	w.once.Do(func() {
		w.wake = make(chan struct{}, 1)
		if w.Now == nil {
			w.Now = time.Now
		}
		if w.MaxAttempts == 0 {
			w.MaxAttempts = 8
		}
		if w.Lease <= 0 {
			w.Lease = DefaultLease
		}
		if w.Backoff == nil {
			w.Backoff = func(n int) time.Duration {
				return min(30*time.Second<<min(n-1, 10), 30*time.Minute)
			}
		}
	})
}

// Wake tells the worker new jobs are queued, or the catalog arrived.
func (w *Worker) Wake() {
	w.init()
	select {
	case w.wake <- struct{}{}:
	default:
	}
}

// Run answers jobs with n goroutines until stop is closed; then it drains:
// it answers the jobs already due and returns. Cancelling ctx stops at
// once; a job cut short is resumed by the next start.
func (w *Worker) Run(ctx context.Context, stop <-chan struct{}, n int) {
	w.init()
	var wg sync.WaitGroup
	for range n {
		wg.Go(func() { w.loop(ctx, stop) })
	}
	wg.Wait()
}

func (w *Worker) loop(ctx context.Context, stop <-chan struct{}) {
	for ctx.Err() == nil {
		stopping := closed(stop)
		if w.Catalog() == nil {
			if stopping {
				return
			}
			w.sleep(ctx, stop, time.Minute) // until Wake: the catalog is in
			continue
		}
		// X's post rate limit, as any worker on the store heard of it:
		// no worker posts before it lifts.
		until, err := w.Store.Held(ctx, store.HoldPosts)
		if err != nil {
			if ctx.Err() != nil || stopping {
				return
			}
			w.Logger.Error("could not read the post hold", "err", err)
			w.sleep(ctx, stop, time.Second)
			continue
		}
		if w.Now().Before(until) {
			if stopping {
				return // the jobs wait for the next start
			}
			w.sleep(ctx, stop, until.Sub(w.Now()))
			continue
		}
		job, err := w.Store.Claim(ctx, w.Now(), w.Lease)
		switch {
		case errors.Is(err, store.ErrNoJob):
			if stopping {
				return
			}
			wait := time.Minute
			if next, ok, err := w.Store.NextDue(ctx); err == nil && ok {
				wait = max(min(next.Sub(w.Now()), wait), 10*time.Millisecond)
			}
			w.sleep(ctx, stop, wait)
			continue
		case err != nil:
			if ctx.Err() != nil || stopping {
				return
			}
			w.Logger.Error("could not read the job queue", "err", err)
			w.sleep(ctx, stop, time.Second)
			continue
		}
		w.Wake() // another worker may take the next job
		w.answer(ctx, job)
	}
}

func closed(c <-chan struct{}) bool {
	select {
	case <-c:
		return true
	default:
		return false
	}
}

// sleep waits d, a wake-up, stop, or the end of ctx.
func (w *Worker) sleep(ctx context.Context, stop <-chan struct{}, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-stop:
	case <-w.wake:
	case <-t.C:
	}
}

// answer posts the thread of one job, from the first post not made yet.
func (w *Worker) answer(ctx context.Context, job *store.Job) {
	log := w.Logger.With("mention", job.ID, "user", job.User)
	if job.Attempts >= w.MaxAttempts {
		// Cut short by a stop or crash on every try (Store.ResetRunning
		// counts those): this job may be what brings the server down.
		w.fail(ctx, job, log, fmt.Errorf("interrupted %d times: %s", job.Attempts, job.LastError), true)
		return
	}
	thread, err := w.thread(ctx, job)
	if err != nil {
		w.fail(ctx, job, log, err, false)
		return
	}
	for i := len(job.Replies); i < len(thread); i++ {
		reply := job.ID
		if i > 0 {
			reply = job.Replies[i-1]
		}
		if l, ok := w.Poster.(limiter); ok {
			if r := l.PostLimit(); r.Known && r.Remaining == 0 && w.Now().Before(r.Reset) {
				w.hold(ctx, job, log, r.Reset, "X's post rate limit is spent")
				return
			}
		}
		id, err := w.Poster.Post(ctx, x.Post{Text: thread[i], InReplyTo: reply})
		switch {
		case errors.Is(err, x.ErrDuplicate):
			// Posted by an earlier attempt that died before recording it.
			// X does not say its id: look it up by its stamp, the post's
			// last line, so the rest of the thread replies to it.
			id = w.findPosted(ctx, log, thread[i], job.ID)
		case err != nil:
			var api *x.APIError
			w.fail(ctx, job, log, fmt.Errorf("post %d of %d: %w", i+1, len(thread), err), errors.As(err, &api))
			return
		}
		if err := w.Store.AddReply(ctx, job.ID, id); err != nil {
			w.fail(ctx, job, log, err, false)
			return
		}
		job.Replies = append(job.Replies, id)
	}
	if err := w.Store.Finish(ctx, job.ID); err != nil {
		log.Error("could not mark a mention answered", "err", err)
		return
	}
	log.Info("answered a mention", "posts", len(thread))
}

// finder finds a post of the bot's by the end of its text; *x.Client is
// one.
type finder interface {
	Find(ctx context.Context, suffix string) (string, error)
}

// findPosted returns the id of the bot's post text, made by an earlier
// attempt, or fallback when it cannot be found.
func (w *Worker) findPosted(ctx context.Context, log *slog.Logger, text, fallback string) string {
	f, ok := w.Poster.(finder)
	if !ok {
		return fallback
	}
	stamp := text[strings.LastIndex(text, "\n")+1:]
	id, err := f.Find(ctx, stamp)
	switch {
	case err != nil:
		log.Warn("X says a post was made before, but it could not be found; the thread goes on from the mention", "err", err)
	case id == "":
		log.Warn("X says a post was made before, but it is not among the bot's last 100; the thread goes on from the mention")
	default:
		return id
	}
	return fallback
}

// thread returns the job's thread, worded once and kept with the job so
// that every attempt posts the same texts.
func (w *Worker) thread(ctx context.Context, job *store.Job) ([]string, error) {
	if len(job.Thread) > 0 {
		return job.Thread, nil
	}
	var posts []string
	switch codes, truncated := Codes(job.Text, w.BotHandle, MaxCodes); {
	case job.Kind == store.KindLimited:
		posts = []string{LimitText(job.User, w.UserLimit)}
	case len(codes) == 0:
		posts = []string{HelpText(job.User, w.BotHandle)}
	default:
		cat := w.Catalog()
		res, err := schedule.Plan(codes, cat.Sessions, w.Plan)
		if err != nil {
			return nil, err
		}
		posts = Thread(job.User, res, truncated, w.Plan.Location)
	}
	posts = Stamp(posts, job.ID)
	if err := w.Store.SetThread(ctx, job.ID, posts); err != nil {
		return nil, err
	}
	job.Thread = posts
	return posts, nil
}

// fail schedules another attempt of job, or moves it to the dead letters
// when it failed for good or too often.
func (w *Worker) fail(ctx context.Context, job *store.Job, log *slog.Logger, err error, permanent bool) {
	if ctx.Err() != nil {
		// Shutting down: the lease lapses and the next start resumes it.
		return
	}
	if permanent || job.Attempts+1 >= w.MaxAttempts {
		log.Error("mention moved to the dead letters", "attempts", job.Attempts+1, "err", err)
		if err := w.Store.Dead(ctx, job.ID, err.Error()); err != nil {
			log.Error("could not mark a mention dead", "err", err)
		}
		return
	}
	var rl *x.RateLimitError
	if errors.As(err, &rl) {
		// Not the mention's fault: it waits for the reset, and so do the
		// other mentions, without spending an attempt.
		until := rl.Reset
		if until.IsZero() {
			until = w.Now().Add(15 * time.Minute)
		}
		w.hold(ctx, job, log, until, err.Error())
		return
	}
	wait := w.Backoff(job.Attempts + 1)
	log.Warn("mention will be tried again", "in", wait.Round(time.Second), "err", err)
	if err := w.Store.RetryJob(ctx, job.ID, w.Now().Add(wait), err.Error()); err != nil {
		log.Error("could not reschedule a mention", "err", err)
	}
}

// hold puts job back until the post rate limit lifts at until, without
// counting an attempt, and holds the posts of every worker on the store
// until then.
func (w *Worker) hold(ctx context.Context, job *store.Job, log *slog.Logger, until time.Time, why string) {
	if ctx.Err() != nil {
		return
	}
	// X's longest post window is a day; a reset said to be later is not
	// believed, so no header can hold the answers for longer.
	if limit := w.Now().Add(24*time.Hour + time.Minute); until.After(limit) {
		until = limit
	}
	if err := w.Store.Hold(ctx, store.HoldPosts, until); err != nil {
		log.Error("could not hold the posts of the other workers", "err", err)
	}
	log.Warn("posts held until X's rate limit lifts; the mention stays queued", "until", until.UTC().Format(time.RFC3339), "why", why)
	if err := w.Store.Postpone(ctx, job.ID, until, why); err != nil {
		log.Error("could not reschedule a mention", "err", err)
	}
}

// Enqueue stores mentions in the durable queue, in one transaction, and
// wakes the workers. A user over UserLimit answers an hour (0 means no
// limit) gets one polite note instead, and a mention already queued is not
// queued again. It is what a Batcher commits.
func (w *Worker) Enqueue(ctx context.Context, ms []Mention) error {
	now := w.now()
	limit := w.UserLimit
	if limit == 0 {
		limit = 1 << 30
	}
	jobs := make([]store.Job, len(ms))
	for i, m := range ms {
		jobs[i] = store.Job{ID: m.ID, UserID: m.UserID, User: m.User, Text: m.Text,
			Kind: store.KindSchedule, NextAt: now, CreatedAt: now}
	}
	outs, err := w.Store.EnqueueBatch(ctx, jobs, limit, time.Hour)
	if err != nil {
		return err
	}
	if w.Logger != nil {
		for i, m := range ms {
			w.Logger.Debug("mention received", "mention", m.ID, "user", m.User, "outcome", outs[i].String())
		}
	}
	w.Wake()
	return nil
}

func (w *Worker) now() time.Time {
	w.init()
	return w.Now()
}

// DryRun is a Poster that logs posts instead of making them.
type DryRun struct {
	Logger *slog.Logger
	n      atomic.Int64
}

// Post logs p and returns a made-up id.
func (p *DryRun) Post(_ context.Context, post x.Post) (string, error) {
	id := fmt.Sprintf("dry-run-%d", p.n.Add(1))
	p.Logger.Info("dry run: would post", "id", id, "in_reply_to", post.InReplyTo, "text", post.Text)
	return id, nil
}
