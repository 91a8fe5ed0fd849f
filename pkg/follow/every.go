package follow

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/reinvent-cli/reinvent/pkg/calendar"
	"github.com/reinvent-cli/reinvent/pkg/catalog"
	"github.com/reinvent-cli/reinvent/pkg/reserve"
	"github.com/reinvent-cli/reinvent/pkg/schedule"
)

// MinEvery is the shortest interval of --every. A run reads the whole
// catalog (about 10 ListSessions requests for 2,400 sessions) and your
// schedule (one GetSchedule); once a minute that is a sixth of the AWS
// Events API's quota of 60 ListSessions a minute, which leaves the rest to
// reserve, schedule and the website (docs/follow.md, "Every").
const MinEvery = time.Minute

// EveryOptions are those of a follow that runs until it is stopped.
type EveryOptions struct {
	// Every is the time between the starts of two runs, plus up to a
	// tenth of it at random (jitter), so that many followers do not all
	// call at the same second.
	Every time.Duration
	// Serve is the address of the calendar server; "" serves none.
	Serve string
	// Token is the calendar's secret token (calendar.Token).
	Token string
	// Ready is called with the calendar server's address once it
	// listens (for tests and the log).
	Ready func(addr string)
	// Done is called after every run with its report and error.
	Done func(*Report, error)
}

// Every runs follow every o.Every until ctx is done, then finishes the run
// under way (its sends included) and returns nil. A run that fails on the
// network, or finds the lock taken, is reported to Done and tried again
// at the next tick; an error of sign-in ends it. With o.Serve, it serves
// the live calendar the runs write until it returns.
func Every(ctx context.Context, d Deps, fo Options, o EveryOptions) error {
	cal := &current{}
	if prev, err := d.load(ctx, fo.Event); err == nil && prev != nil && len(prev.Calendar) > 0 {
		var buf bytes.Buffer
		if calendar.Write(&buf, prev.Calendar, fo.Calendar) == nil {
			cal.set(buf.Bytes(), lastChange(prev.Calendar, d.now()))
		}
	}
	stop, err := serveCalendar(ctx, o, cal, d.logger())
	if err != nil {
		return err
	}
	defer stop()
	for {
		// A signal lets the run under way finish: its notices are
		// recorded, and sending them is quick.
		r, err := Run(context.WithoutCancel(ctx), d, fo)
		if r != nil && r.Calendar != nil {
			cal.set(r.Calendar, r.CalendarChanged)
		}
		if o.Done != nil {
			o.Done(r, err)
		}
		if fatal(err) {
			return err
		}
		wait := o.Every + time.Duration(rand.Int64N(int64(o.Every/10)+1))
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil
		case <-t.C:
		}
	}
}

// fatal reports whether an error of a run ends Every: a sign-in that is
// gone, or what no later run can change (a travel file with a mistake,
// nothing to follow). Anything else (the network, a sink, the lock, a
// shrunk catalog, a page that could not be read) is tried again at the
// next tick.
func fatal(err error) bool {
	var te *schedule.TravelError
	return errors.Is(err, catalog.ErrAuth) || errors.Is(err, reserve.ErrNothingStarred) || errors.As(err, &te)
}

// current is the calendar as last written, for the server.
type current struct {
	mu       sync.Mutex
	body     []byte
	modified time.Time
}

func (c *current) set(b []byte, t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.body, c.modified = b, t
}

func (c *current) get() ([]byte, time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.body, c.modified
}

// serveCalendar starts the calendar server when o.Serve is set, and logs
// its secret URL; stop shuts it down.
func serveCalendar(ctx context.Context, o EveryOptions, cal *current, log *slog.Logger) (stop func(), err error) {
	if o.Serve == "" {
		return func() {}, nil
	}
	ln, err := net.Listen("tcp", o.Serve)
	if err != nil {
		return nil, fmt.Errorf("serve the calendar on %s: %w", o.Serve, err)
	}
	srv := &http.Server{Handler: &calendar.Server{Token: o.Token, Current: cal.get}, ReadHeaderTimeout: 10 * time.Second}
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = srv.Serve(ln)
	}()
	log.Info("serving the calendar: subscribe to this URL, and share it with no one", "url", "http://"+ln.Addr().String()+(&calendar.Server{Token: o.Token}).Path())
	if o.Ready != nil {
		o.Ready(ln.Addr().String())
	}
	return func() {
		sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(sctx)
		<-done
	}, nil
}
