package webhook

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/reinvent-cli/reinvent/pkg/catalog"
	"github.com/reinvent-cli/reinvent/pkg/schedule"
	"github.com/reinvent-cli/reinvent/pkg/store"
	"github.com/reinvent-cli/reinvent/pkg/x"
)

// Deps are what Serve works with.
type Deps struct {
	// Store holds the queue of mentions, the posts made and the poller's
	// cursor; the caller opens it and closes it after Serve returns.
	Store store.Bot
	// KeepCatalog hands set the catalog, and a fresh one whenever it is
	// old, until ctx ends; wait returns once it has stopped.
	KeepCatalog func(ctx context.Context, set func(*catalog.Catalog)) (wait func(), err error)
	// Poster posts the replies (an *x.Client); with Options.DryRun a
	// DryRun logs them instead.
	Poster Poster
	// Timeline reads the mention timeline; needed only with Options.Poll.
	Timeline Timeline
	Logger   *slog.Logger
}

// Options say how Serve answers mentions.
type Options struct {
	// Addr is the address to listen on; "" is no listener, only polling.
	Addr string
	// Path is the webhook's URL path (Mux).
	Path string
	// Poll, when above 0, reads the mention timeline this often (Poller).
	Poll time.Duration
	// Workers is how many mentions are answered at once; 0 means 1.
	Workers int
	// UserLimit is the answers per user an hour; 0 is no limit.
	UserLimit int
	// DrainTimeout is how long a stopping server goes on answering the
	// mentions already queued.
	DrainTimeout time.Duration
	BotHandle    string
	// ConsumerSecret and ClientSecret answer X's CRC checks and check
	// the signatures of deliveries (Handler).
	ConsumerSecret, ClientSecret string
	// Plan says how the codes of a mention are scheduled.
	Plan schedule.Options
	// DryRun logs the reply threads instead of posting them (DryRun).
	DryRun bool
	// Ready, when set, is called with the listening address once the
	// server accepts connections, or with "" once a server without a
	// listener polls.
	Ready func(addr string)
}

// PollError is Serve's error when the poller gave up: the account
// cannot be read, X refused the credentials (it wraps x.ErrAuth), or they
// are not the bot's (ErrWrongAccount).
type PollError struct{ Err error }

// Error says why polling stopped, and what to check when X refused the
// credentials.
func (e *PollError) Error() string {
	if errors.Is(e.Err, x.ErrAuth) {
		return "poll mentions: " + e.Err.Error() + "; check the four x-* credentials"
	}
	return "poll mentions: " + e.Err.Error()
}

func (e *PollError) Unwrap() error { return e.Err }

// Check says what is wrong with o, in the words of serve-webhook's flags
// (docs/cli/reinvent_serve-webhook.md), or returns nil.
func (o Options) Check() error {
	switch {
	case o.Workers < 1:
		return errors.New("--workers must be at least 1")
	case o.UserLimit < 0:
		return errors.New("--user-limit must not be negative")
	case !strings.HasPrefix(o.Path, "/"):
		return fmt.Errorf("--path %q must start with /", o.Path)
	case o.Path == HealthPath:
		return fmt.Errorf("--path must not be %s, which answers health checks", HealthPath)
	case o.Poll < 0:
		return errors.New("--poll must not be negative; 0 turns polling off")
	case o.Poll > 0 && o.Poll < time.Second:
		return fmt.Errorf("--poll %s is shorter than a second; X allows a read every few seconds at most", o.Poll)
	case o.Addr == "" && o.Poll == 0:
		return errors.New("--addr '' serves no webhook, so there is nothing to answer; add --poll DURATION to read the mentions instead")
	case strings.HasPrefix(o.BotHandle, "@"):
		return fmt.Errorf("bot-handle %q: give the handle without the @", o.BotHandle)
	}
	return nil
}

// Missing names the settings a server of o lacks (docs/webhook.md): the
// bot's handle, and the X credentials of cred it uses: all four, except in a
// dry run that does not poll, which posts nothing and needs only the
// consumer secret for X's CRC checks and signatures.
func (o Options) Missing(cred x.Credentials) []string {
	var missing []string
	if o.BotHandle == "" {
		missing = append(missing, "bot-handle")
	}
	if !o.DryRun || o.Poll > 0 {
		return append(missing, cred.Missing()...)
	}
	if cred.ConsumerSecret == "" {
		missing = append(missing, "x-consumer-secret")
	}
	return missing
}

// Serve runs the bot until ctx ends (docs/webhook.md): it takes the
// store's serve-webhook lock, puts back the mentions a crash cut short,
// keeps the catalog, queues the mentions that are delivered to Addr or
// polled, and answers them with Workers workers. When ctx ends it stops
// taking mentions, answers those queued for up to DrainTimeout and
// returns nil; the rest are answered after the next start. It returns an
// error when it cannot start, when the listener fails, or when the poller
// gives up (a *PollError); it stops everything it started before it
// returns.
func Serve(ctx context.Context, d Deps, o Options) error {
	log := d.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	// One server per store: the next one takes back the jobs in hand.
	unlock, err := d.Store.Lock("serve-webhook")
	if err != nil {
		return err
	}
	defer unlock()
	if n, err := d.Store.ResetRunning(ctx); err != nil {
		return err
	} else if n > 0 {
		log.Info("resuming mentions cut short by the last stop", "jobs", n)
	}

	// hard ends the drain; ctx ends on the first signal.
	hard, cancelHard := context.WithCancel(context.WithoutCancel(ctx))
	defer cancelHard()
	var cur atomic.Pointer[catalog.Catalog]
	poster := d.Poster
	if o.DryRun {
		poster = &DryRun{Logger: log}
	}
	worker := &Worker{
		Store: d.Store, Poster: poster, Catalog: cur.Load, Plan: o.Plan,
		BotHandle: o.BotHandle, UserLimit: o.UserLimit, Logger: log,
	}
	// The workers wait for the first catalog; a live one is refreshed in
	// the background when older than max-age, never while a mention waits.
	wait, err := d.KeepCatalog(ctx, func(cat *catalog.Catalog) { cur.Store(cat); worker.Wake() })
	if err != nil {
		return err
	}
	defer wait() // before the caller closes the store
	// Deliveries that arrive while a commit runs are stored together in
	// the next one: one fsync for many mentions.
	batcher := NewBatcher(worker.Enqueue, 0)
	defer batcher.Close() // commits what handlers still wait for

	// The listener and the poller report why they stopped on failed.
	failed := make(chan error, 2)
	var intake sync.WaitGroup
	defer intake.Wait()
	polling, stopPolling := context.WithCancel(ctx)
	defer stopPolling()
	srv, err := listen(o, batcher.Queue, log, &intake, failed)
	if err != nil {
		return err
	}
	if srv != nil {
		defer srv.Close() // after Shutdown, or on a failure
	}
	if o.Poll > 0 {
		poller := &Poller{
			Timeline: d.Timeline, Store: d.Store, Queue: batcher.Queue,
			BotHandle: o.BotHandle, Interval: o.Poll, Logger: log,
		}
		intake.Go(func() {
			if err := poller.Run(polling); err != nil {
				failed <- &PollError{Err: err}
			}
		})
		if o.Addr == "" && o.Ready != nil {
			o.Ready("")
		}
	}

	stop := make(chan struct{})
	workers := make(chan struct{})
	go func() { worker.Run(hard, stop, max(o.Workers, 1)); close(workers) }()
	select {
	case err := <-failed:
		close(stop)
		cancelHard()
		<-workers
		return err
	case <-ctx.Done():
	}
	log.Info("stopping: no new mentions; answering the queued ones", "drain_timeout", o.DrainTimeout)
	if srv != nil {
		shutdown, cancel := context.WithTimeout(hard, 10*time.Second)
		defer cancel()
		if err := srv.Shutdown(shutdown); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Warn("some connections did not finish", "err", err)
		}
	}
	close(stop)
	timer := time.AfterFunc(o.DrainTimeout, cancelHard)
	defer timer.Stop()
	<-workers
	if hard.Err() != nil {
		log.Warn("drain timeout: the mentions left are answered after the next start")
	}
	log.Info("stopped")
	return nil
}

// listen serves the webhook on o.Addr, queueing the delivered mentions
// with queue, and reports on failed if the server fails; it returns nil
// when o.Addr is "".
func listen(o Options, queue func(context.Context, []Mention) error, log *slog.Logger, running *sync.WaitGroup, failed chan<- error) (*http.Server, error) {
	if o.Addr == "" {
		return nil, nil
	}
	handler := &Handler{
		ConsumerSecret: o.ConsumerSecret, ClientSecret: o.ClientSecret, BotHandle: o.BotHandle, Logger: log,
		Queue: queue,
	}
	srv := NewServer(o.Addr, Mux(o.Path, handler), log)
	ln, err := net.Listen("tcp", o.Addr)
	if err != nil {
		return nil, fmt.Errorf("listen on %s: %w; choose another --addr", o.Addr, err)
	}
	running.Go(func() {
		if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
			failed <- fmt.Errorf("serve: %w", err)
		}
	})
	log.Info("serving the X webhook", "addr", ln.Addr().String(), "path", o.Path, "workers", o.Workers, "dry_run", o.DryRun)
	if o.Ready != nil {
		o.Ready(ln.Addr().String())
	}
	return srv, nil
}
