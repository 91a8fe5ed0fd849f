package reserve

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/reinvent-cli/reinvent/pkg/catalog"
	"github.com/reinvent-cli/reinvent/pkg/catalog/eventsapi"
	"github.com/reinvent-cli/reinvent/pkg/store"
)

// Opening says how Run waits through a closed reservation system (409)
// for it to open (docs/reserve.md, "The opening minute").
type Opening struct {
	// At is when reservations open, on the service's clock; zero when it
	// is not known, and then the probes go at SteadyProbe.
	At time.Time
	// GiveUpAfter ends the wait with ErrNotOpen when reservations are
	// still closed this long after the run began to wait; 0 waits for ever.
	GiveUpAfter time.Duration
	// Progress, when set, is told of the countdown and of each probe.
	Progress func(OpeningProgress)
}

// OpeningProgress is where the wait for the opening stands.
type OpeningProgress struct {
	// Left is the time until Opening.At on the service's clock (negative
	// after it); 0 when At is not known.
	Left time.Duration
	// Next is the time until the next probe.
	Next time.Duration
	// Probes counts the probes sent, all refused so far unless Open.
	Probes int
	// Open: a probe was accepted; Held are the codes it holds.
	Open bool
	Held []string
}

// SteadyProbe is the time between two probes when the opening time is not
// known, or a minute after it: a probe of 10 sessions every 20 s names 30
// sessions a minute, the quota, so the probes stay inside it even if the
// service counted a refused one (docs/reserve.md).
const SteadyProbe = 20 * time.Second

// ErrNotOpen is wrapped by Run's error when reservations stayed closed
// for Opening.GiveUpAfter.
var ErrNotOpen = errors.New("reservations did not open")

// clocked is an account that knows the service's clock:
// *eventsapi.Catalog, from the answers' Date headers.
type clocked interface {
	ClockOffset() (time.Duration, bool)
}

// nextProbe is when, on the service's clock now, the next probe for an
// opening at at goes (docs/reserve.md, "The probe schedule"): nothing
// before a minute ahead; every 10 s until 10 s ahead; every 2 s until a
// second ahead; every half second from then until 5 s after; every 5 s
// until a minute after; then every SteadyProbe. The probes fall on a grid
// aligned to at, so one goes at the opening itself.
func nextProbe(at, now time.Time) time.Time {
	left := at.Sub(now)
	every := SteadyProbe
	switch {
	case left > time.Minute:
		return at.Add(-time.Minute)
	case left > 10*time.Second:
		every = 10 * time.Second
	case left > time.Second:
		every = 2 * time.Second
	case left > -5*time.Second:
		every = 500 * time.Millisecond
	case left > -time.Minute:
		every = 5 * time.Second
	}
	// The first grid point strictly after now.
	d := now.Sub(at)
	k := d / every
	if d%every != 0 && d < 0 {
		k-- // round toward the past
	}
	k++
	return at.Add(k * every)
}

// scarcest is the first batch of want to probe with: at most
// eventsapi.MaxBatch sessions, those whose band says they fill first
// (veryLimited, then limited, then available, then no band), in the
// plan's order within a band.
func scarcest(want []catalog.Session) []string {
	rank := map[string]int{catalog.SeatVeryLimited: 0, catalog.SeatLimited: 1, catalog.SeatAvailable: 2, "": 3}
	order := slices.Clone(want)
	slices.SortStableFunc(order, func(a, b catalog.Session) int {
		ra, ok := rank[a.SeatAvailability]
		if !ok {
			ra = 4
		}
		rb, ok := rank[b.SeatAvailability]
		if !ok {
			rb = 4
		}
		return cmp.Compare(ra, rb)
	})
	ids := make([]string, 0, eventsapi.MaxBatch)
	for _, s := range order[:min(len(order), eventsapi.MaxBatch)] {
		ids = append(ids, s.SessionID)
	}
	return ids
}

// open probes with the scarcest batch of want until a probe is accepted
// (then the seats it holds are taken in and the run goes on at full
// speed), ctx ends, or o.GiveUpAfter passes. A probe is a real,
// journaled reservation: refused with 409 it did nothing.
func (r *run) open(ctx context.Context, want []catalog.Session) error {
	o := r.o.Opening
	ids := scarcest(want)
	began := r.o.Now()
	logged := false
	var last time.Time // the last probe's time on the schedule
	for probes := 0; ; probes++ {
		serverNow := r.serverNow(&logged)
		next := serverNow // unknown opening: the first probe at once
		if !o.At.IsZero() {
			// After the estimate of the service's clock, which each
			// answer refines, moved back: not the same probe twice.
			next = nextProbe(o.At, later(serverNow, last))
			last = next
		} else if probes > 0 {
			next = serverNow.Add(SteadyProbe)
		}
		wait := next.Sub(serverNow)
		if o.GiveUpAfter > 0 && r.o.Now().Add(wait).Sub(began) > o.GiveUpAfter {
			return fmt.Errorf("%w after %s of probing: %d %s, all answered 409", ErrNotOpen, o.GiveUpAfter, probes, plural(probes, "probe"))
		}
		if err := r.countdown(ctx, o, next, probes, &logged); err != nil {
			return err
		}
		probe := ids
		if next.Before(o.At) {
			// Before the announced time, a probe names only the
			// scarcest session: if the service counted refused
			// requests after all, the ten probes before it would spend
			// ten sessions of the quota, not a hundred.
			probe = ids[:1]
		}
		res, err := r.reserve(ctx, probe)
		if errors.Is(err, eventsapi.ErrClosed) {
			r.o.Logger.Debug("probe refused: reservations not open yet", "probe", probes+1)
			continue
		}
		if err != nil {
			return err
		}
		r.opened = true
		if _, err := r.learn(ctx, res); err != nil {
			return err
		}
		if o.Progress != nil {
			var held []string
			for _, id := range probe {
				if r.held.Reserved[id] {
					held = append(held, r.byID[id].Code)
				}
			}
			o.Progress(OpeningProgress{Left: r.left(o), Probes: probes + 1, Open: true, Held: held})
		}
		r.o.Logger.Info("reservations are open", "probes", probes+1, "clock_within", r.clockUncertainty().Round(time.Millisecond).String())
		return nil
	}
}

func plural(n int, word string) string {
	if n == 1 {
		return word
	}
	return word + "s"
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// countdown sleeps until next on the service's clock, telling Progress
// every second, and correcting by the service's clock as it learns it.
func (r *run) countdown(ctx context.Context, o *Opening, next time.Time, probes int, logged *bool) error {
	for {
		at := next
		if at.Equal(o.At) {
			// The probe at the opening waits until the service's clock
			// has surely passed it, by the estimate as it stands: a
			// probe a moment early would be refused, and the next one
			// is half a second later.
			at = at.Add(r.clockUncertainty())
		}
		wait := at.Sub(r.serverNow(logged))
		if o.Progress != nil {
			o.Progress(OpeningProgress{Left: r.left(o), Next: max(wait, 0), Probes: probes})
		}
		if wait <= 0 {
			return nil
		}
		if r.refine(ctx, wait, logged) {
			continue
		}
		if err := r.o.Sleep(ctx, min(wait, time.Second)); err != nil {
			return err
		}
	}
}

// maxRefines bounds the schedule reads a run spends on the service's clock.
const maxRefines = 5

// refine narrows the estimate of the service's clock while there is time
// before the next probe: it reads the schedule at the moment the estimate
// says the service's clock turns a second, so that the answer's Date,
// one side of it or the other, halves the range (docs/events-api.md, "The
// service's clock"). It reports whether it read; at most maxRefines times
// a run, and only while the estimate is off by more than 50 ms.
func (r *run) refine(ctx context.Context, wait time.Duration, logged *bool) bool {
	if r.refines >= maxRefines || r.clockUncertainty() <= 50*time.Millisecond {
		return false
	}
	if _, ok := r.acct.(clocked); !ok {
		return false
	}
	now := r.serverNow(logged)
	turn := now.Truncate(time.Second).Add(time.Second)
	if turn.Add(200 * time.Millisecond).After(now.Add(wait)) {
		return false // no time before the probe
	}
	if err := r.o.Sleep(ctx, turn.Sub(now)); err != nil {
		return false
	}
	r.refines++
	if _, err := r.acct.Schedule(ctx, r.o.Event); err != nil {
		r.o.Logger.Debug("a read to set the clock by failed", "err", err)
	}
	return true
}

// serverNow is our clock corrected by the service's, logged once known.
func (r *run) serverNow(logged *bool) time.Time {
	now := r.o.Now()
	c, ok := r.acct.(clocked)
	if !ok {
		return now
	}
	off, known := c.ClockOffset()
	if known && !*logged {
		*logged = true
		r.o.Logger.Info("the service's clock", "offset", fmt.Sprintf("%+.1fs", off.Seconds()))
	}
	return now.Add(off)
}

// clockUncertainty is how far the estimate of the service's clock may be
// off, when the account knows.
func (r *run) clockUncertainty() time.Duration {
	if c, ok := r.acct.(interface{ ClockUncertainty() time.Duration }); ok {
		return c.ClockUncertainty()
	}
	return 0
}

// left is the time until the opening on the service's clock; 0 when its
// time is not known.
func (r *run) left(o *Opening) time.Duration {
	if o.At.IsZero() {
		return 0
	}
	logged := true
	return o.At.Sub(r.serverNow(&logged))
}

// lockAndSettle takes the store's reserve lock shared with other runs
// (follow --rebook, another reserve), which pace their writes to the one
// quota from the journal. A run alone on the store first holds the lock
// alone while it settles the writes that earlier runs left open; beside
// another, whose writes may be in flight, it only reads the schedule.
func (r *run) lockAndSettle(ctx context.Context) (unlock func() error, err error) {
	alone, err := r.st.Lock("reserve")
	switch {
	case err == nil:
		err = r.settle(ctx, true)
		if uerr := alone(); err == nil {
			err = uerr
		}
		if err != nil {
			return nil, err
		}
		return r.st.LockShared(ctx, "reserve")
	case !errors.Is(err, store.ErrLocked):
		return nil, err
	}
	unlock, err = r.st.LockShared(ctx, "reserve")
	if err != nil {
		return nil, err
	}
	if err := r.settle(ctx, false); err != nil {
		unlock()
		return nil, err
	}
	return unlock, nil
}
