// Package retry is the one retry policy of every outside service reinvent
// talks to (the portal, the AWS Events API, X): how many tries, how long in
// all, the backoff between them, and the server's Retry-After.
package retry

import (
	"context"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Policy bounds how a request is retried after transient failures. The zero
// value means the defaults: 6 attempts, 60 s in all, backoff from 500 ms
// doubling up to 10 s, with jitter.
type Policy struct {
	Attempts   int           // tries per request, including the first
	MaxElapsed time.Duration // total time a request may spend retrying
	BaseDelay  time.Duration // delay before the second try
	MaxDelay   time.Duration // cap on one delay (Retry-After is honoured beyond it)

	// Sleep waits for d or until ctx is done; tests inject an instant one.
	Sleep func(ctx context.Context, d time.Duration) error
	// Now tells the time, for the MaxElapsed bound.
	Now func() time.Time
	// Jitter returns a number in [0, 1); nil is math/rand.
	Jitter func() float64
}

// WithDefaults returns r with every zero field set to its default.
func (r Policy) WithDefaults() Policy {
	if r.Attempts <= 0 {
		r.Attempts = 6
	}
	if r.MaxElapsed <= 0 {
		r.MaxElapsed = 60 * time.Second
	}
	if r.BaseDelay <= 0 {
		r.BaseDelay = 500 * time.Millisecond
	}
	if r.MaxDelay <= 0 {
		r.MaxDelay = 10 * time.Second
	}
	if r.Sleep == nil {
		r.Sleep = Sleep
	}
	if r.Now == nil {
		r.Now = time.Now
	}
	if r.Jitter == nil {
		r.Jitter = rand.Float64
	}
	return r
}

// Delay is the wait before try attempt+1 (attempt counts from 1): equal
// jitter over an exponential backoff, or the server's Retry-After.
func (r Policy) Delay(attempt int, retryAfter time.Duration) time.Duration {
	if retryAfter > 0 {
		return retryAfter
	}
	d := r.BaseDelay << min(attempt-1, 20)
	if d <= 0 || d > r.MaxDelay {
		d = r.MaxDelay
	}
	return d/2 + time.Duration(r.Jitter()*float64(d/2))
}

// Sleep waits for d or until ctx is done.
func Sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// ParseRetryAfter reads a Retry-After header: delay-seconds or an HTTP
// date; 0 when absent or in the past.
func ParseRetryAfter(h string, now time.Time) time.Duration {
	h = strings.TrimSpace(h)
	if h == "" {
		return 0
	}
	if n, err := strconv.Atoi(h); err == nil {
		if n < 0 {
			return 0
		}
		return time.Duration(n) * time.Second
	}
	if t, err := http.ParseTime(h); err == nil && t.After(now) {
		return t.Sub(now)
	}
	return 0
}

// Do calls try until it asks for no retry, ctx ends, or the policy is
// spent. try says whether its failure is worth another try (false for a
// success or a failure for good) and the server's Retry-After, if any. Do
// returns how many tries were made, whether it stopped because the policy
// was spent on a failure worth retrying, and ctx's error when the context
// ended first. Zero fields of p take the defaults.
func (p Policy) Do(ctx context.Context, try func() (again bool, retryAfter time.Duration)) (tries int, spent bool, err error) {
	p = p.WithDefaults()
	begin := p.Now()
	for n := 1; ; n++ {
		again, retryAfter := try()
		if !again {
			return n, false, nil
		}
		if err := ctx.Err(); err != nil {
			return n, false, err
		}
		d := p.Delay(n, retryAfter)
		if n >= p.Attempts || p.Now().Sub(begin)+d > p.MaxElapsed {
			return n, true, nil
		}
		if err := p.Sleep(ctx, d); err != nil {
			return n, false, err
		}
	}
}
