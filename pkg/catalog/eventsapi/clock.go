package eventsapi

import (
	"net/http"
	"sync"
	"time"
)

// serverClock is what the answers' Date headers say of the service's clock:
// the offset from ours lies in [lo, hi] (docs/events-api.md, "The
// service's clock").
type serverClock struct {
	mu       sync.Mutex
	lo, hi   time.Duration
	measured bool
}

// observe narrows the offset by one answer: sent and got are our clock when
// the request left and when the answer's headers came, date its Date
// header. The service stamped Date at some instant between sent and got,
// and Date drops the fraction of its second, so the service's clock then
// read between date and date+1s: the offset lies in [date-got,
// date+1s-sent]. Several answers narrow it to the intersection of their
// ranges; one that does not meet it (the service's clock was set) starts
// again from its own range.
func (c *serverClock) observe(date string, sent, got time.Time) {
	d, err := http.ParseTime(date)
	if err != nil || got.Before(sent) {
		return
	}
	lo, hi := d.Sub(got), d.Add(time.Second).Sub(sent)
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.measured && lo <= c.hi && c.lo <= hi {
		lo, hi = max(lo, c.lo), min(hi, c.hi)
	}
	c.lo, c.hi, c.measured = lo, hi, true
}

// offset is the best estimate: the middle of the range, and how far off it
// can be at most.
func (c *serverClock) offset() (offset, within time.Duration, ok bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return (c.lo + c.hi) / 2, (c.hi - c.lo) / 2, c.measured
}

// ClockOffset is how far the service's clock is ahead of ours (negative
// when behind), measured from the Date header of the answers so far to
// within a little more than half a second; ok is false before the first
// answer with a Date. Our clock plus the offset is the service's.
func (c *Catalog) ClockOffset() (offset time.Duration, ok bool) {
	offset, _, ok = c.clock.offset()
	return offset, ok
}

// ClockUncertainty is how far ClockOffset may be off at most.
func (c *Catalog) ClockUncertainty() time.Duration {
	_, within, _ := c.clock.offset()
	return within
}
