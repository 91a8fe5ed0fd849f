package webhook

import (
	"context"
	"errors"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	fakex "github.com/reinvent-cli/reinvent/internal/fake/x"
	"github.com/reinvent-cli/reinvent/internal/testenv"
	"github.com/reinvent-cli/reinvent/pkg/catalog"
	"github.com/reinvent-cli/reinvent/pkg/schedule"
	"github.com/reinvent-cli/reinvent/pkg/store"
	"github.com/reinvent-cli/reinvent/pkg/x"
)

// serveRig is what Serve needs, without cobra: a real store, the fake X
// as poster and timeline, and the sample catalog.
type serveRig struct {
	st   *store.Store
	x    *fakex.Server
	deps Deps
	opts Options
}

func newServeRig(t *testing.T) *serveRig {
	r := newRig(t) // a store, and the fake X that its worker's client posts to
	r.x.SetBot("reinventbot")
	client := r.w.Poster.(*x.Client)
	keep := func(_ context.Context, set func(*catalog.Catalog)) (func(), error) {
		set(sampleCatalog())
		return func() {}, nil
	}
	return &serveRig{st: r.st, x: r.x,
		deps: Deps{Store: r.st, KeepCatalog: keep, Poster: client, Timeline: client},
		opts: Options{Addr: "127.0.0.1:0", Path: "/webhook", Workers: 2, UserLimit: 5, DrainTimeout: time.Minute,
			BotHandle: "reinventbot", ConsumerSecret: cred.ConsumerSecret,
			Plan: schedule.Options{Location: testenv.Vegas, UnknownTravel: 30 * time.Minute}},
	}
}

// start runs Serve and returns the address it listens on and stop,
// which ends ctx and returns Serve's result.
func (r *serveRig) start(t *testing.T) (addr string, stop func() error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan string, 1)
	errs := make(chan error, 1)
	o := r.opts
	o.Ready = func(addr string) { ready <- addr }
	go func() { errs <- Serve(ctx, r.deps, o) }()
	stop = sync.OnceValue(func() error { cancel(); return <-errs })
	t.Cleanup(func() { _ = stop() })
	select {
	case addr = <-ready:
	case err := <-errs:
		errs <- err
		t.Fatalf("Serve returned %v before it was ready", err)
	}
	return addr, stop
}

// TestServeAnswersADeliveryThenDrains: a signed delivery is queued and,
// when ctx ends, answered before Serve returns nil.
func TestServeAnswersADeliveryThenDrains(t *testing.T) {
	r := newServeRig(t)
	r.x.Exists("77")
	addr, stop := r.start(t)
	deliverMention(t, addr, "77")
	if err := stop(); err != nil {
		t.Fatalf("Serve returned %v; want nil after a drain", err)
	}
	posts := r.x.Posts()
	if len(posts) == 0 || !strings.Contains(posts[0].Text, "@zoe 2 of 2 sessions scheduled") {
		t.Fatalf("the queued mention was not answered before Serve returned: %+v", posts)
	}
	if _, err := net.Dial("tcp", addr); err == nil {
		t.Error("the listener still accepts connections after Serve returned")
	}
}

// TestServeStopsAllWhenThePollerGivesUp: credentials of another account
// end Serve with a PollError, and the listener it started is closed, so a
// program that goes on (a test, a Lambda) holds no port.
func TestServeStopsAllWhenThePollerGivesUp(t *testing.T) {
	r := newServeRig(t)
	r.x.SetBot("someoneelse")
	r.opts.Poll = time.Hour
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	addrs := make(chan string, 1)
	r.opts.Ready = func(addr string) { addrs <- addr }
	err := Serve(ctx, r.deps, r.opts)
	var pe *PollError
	if !errors.As(err, &pe) || !errors.Is(err, ErrWrongAccount) {
		t.Fatalf("Serve returned %v; want a PollError of ErrWrongAccount", err)
	}
	if !strings.HasPrefix(err.Error(), "poll mentions: ") {
		t.Errorf("error %q does not say the poll failed", err)
	}
	if _, err := net.Dial("tcp", <-addrs); err == nil {
		t.Error("the listener still accepts connections after Serve gave up")
	}
	// The lock is released too: the next Serve starts.
	r.x.SetBot("reinventbot")
	r.opts.Poll = 0
	_, stop := r.start(t)
	if err := stop(); err != nil {
		t.Fatalf("the next Serve returned %v", err)
	}
}

// TestServeOneServerPerStore: a second Serve on the same store refuses
// to start while the first runs.
func TestServeOneServerPerStore(t *testing.T) {
	r := newServeRig(t)
	r.start(t)
	err := Serve(context.Background(), r.deps, r.opts)
	if err == nil || !strings.Contains(err.Error(), "serve-webhook") {
		t.Fatalf("a second Serve on the store returned %v; want the lock's error", err)
	}
}

// TestServePollsWithoutAListener: without a listener Serve answers polled
// mentions and says it is ready with "".
func TestServePollsWithoutAListener(t *testing.T) {
	r := newServeRig(t)
	r.opts.Addr, r.opts.Poll = "", time.Hour
	addr, stop := r.start(t)
	if addr != "" {
		t.Errorf("Ready(%q); want \"\" without a listener", addr)
	}
	if !r.x.WaitTimelineReads(1, 10*time.Second) {
		t.Fatal("Serve never read the mention timeline")
	}
	if err := stop(); err != nil {
		t.Fatalf("Serve returned %v", err)
	}
}
