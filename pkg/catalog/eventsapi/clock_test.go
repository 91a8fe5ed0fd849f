package eventsapi

import (
	"context"
	"net/http"
	"testing"
	"time"

	fakeevents "github.com/reinvent-cli/reinvent/internal/fake/events"
)

// TestClockOffset: against a service whose clock is 42.3 s ahead of ours,
// the offset read from the Date headers of a few answers is within a
// second of it, and says how sure it is.
func TestClockOffset(t *testing.T) {
	for _, skew := range []time.Duration{42300 * time.Millisecond, -7*time.Minute - 250*time.Millisecond, 0} {
		fake := fakeevents.New("reinvent2026", nil)
		fake.Now = func() time.Time { return time.Now().Add(skew) }
		c := &Catalog{BaseURL: fake.URL, Token: func(context.Context, bool) (string, error) { return "t", nil }}
		if _, ok := c.ClockOffset(); ok {
			t.Fatal("an offset before any answer")
		}
		for range 5 {
			if _, err := c.Schedule(context.Background(), "reinvent2026"); err != nil {
				t.Fatal(err)
			}
		}
		fake.Close()
		got, ok := c.ClockOffset()
		if !ok || got < skew-time.Second || got > skew+time.Second {
			t.Errorf("skew %v: offset %v (ok %v), want within 1 s", skew, got, ok)
		}
		if u := c.ClockUncertainty(); u > 600*time.Millisecond {
			t.Errorf("skew %v: uncertain by %v, want at most about half a second", skew, u)
		}
	}
}

// TestClockObserve: the ranges of several answers intersect, a Date that
// is not a date is ignored, and an answer that contradicts the others (the
// service's clock was set) starts the estimate again.
func TestClockObserve(t *testing.T) {
	var c serverClock
	base := time.Date(2026, 10, 8, 16, 59, 0, 0, time.UTC)
	c.observe("not a date", base, base.Add(time.Millisecond))
	if _, _, ok := c.offset(); ok {
		t.Fatal("measured from a Date that is not a date")
	}
	// Our clock reads base+0.2 s when the service says :00 (it was between
	// :00 and :01): the offset is in [-0.21 s, +0.8 s].
	c.observe(base.Format(http.TimeFormat), base.Add(200*time.Millisecond), base.Add(210*time.Millisecond))
	// Later our clock reads +1.9 s as the service turns :01 → [-0.91, 0.1].
	c.observe(base.Add(time.Second).Format(http.TimeFormat), base.Add(1900*time.Millisecond), base.Add(1910*time.Millisecond))
	off, within, _ := c.offset()
	if off != -55*time.Millisecond || within != 155*time.Millisecond {
		t.Errorf("offset %v ± %v, want -55ms ± 155ms (the intersection)", off, within)
	}
	c.observe(base.Add(time.Hour).Format(http.TimeFormat), base.Add(2*time.Second), base.Add(2*time.Second))
	if off, _, _ := c.offset(); off < time.Hour-3*time.Second || off > time.Hour {
		t.Errorf("after the service's clock was set an hour on: %v", off)
	}
}

// FuzzClockObserve: any Date header and any timing keep the range
// well-formed: the estimate lies within it.
func FuzzClockObserve(f *testing.F) {
	f.Add("Thu, 08 Oct 2026 16:59:57 GMT", int64(0), int64(30))
	f.Add("Monday, 01-Jan-06 15:04:05 GMT", int64(5), int64(1))
	f.Add("", int64(0), int64(0))
	f.Fuzz(func(t *testing.T, date string, sent, took int64) {
		var c serverClock
		at := time.Date(2026, 10, 8, 17, 0, 0, 0, time.UTC).Add(time.Duration(sent % int64(time.Hour)))
		c.observe(date, at, at.Add(time.Duration(took%int64(time.Minute))))
		c.observe("Thu, 08 Oct 2026 17:00:00 GMT", at, at.Add(time.Millisecond))
		if _, within, ok := c.offset(); ok && within < 0 {
			t.Fatalf("negative range: %v", within)
		}
	})
}
