package portal

import (
	"context"
	"errors"
	"testing"
	"time"
)

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2026, 11, 23, 15, 0, 0, 0, time.UTC)
	for in, want := range map[string]time.Duration{
		"":                              0,
		"7":                             7 * time.Second,
		"0":                             0,
		"-3":                            0,
		"soon":                          0,
		"Mon, 23 Nov 2026 15:00:30 GMT": 30 * time.Second,
		"Mon, 23 Nov 2026 14:00:00 GMT": 0,
	} {
		if got := ParseRetryAfter(in, now); got != want {
			t.Errorf("ParseRetryAfter(%q) = %v, want %v", in, got, want)
		}
	}
}

func TestRetryDelayBackoffWithJitter(t *testing.T) {
	for _, jitter := range []float64{0, 0.999} {
		r := Retry{Jitter: func() float64 { return jitter }}.WithDefaults()
		prev := time.Duration(0)
		for attempt := 1; attempt <= 10; attempt++ {
			d := r.Delay(attempt, 0)
			full := min(r.BaseDelay<<(attempt-1), r.MaxDelay)
			if d < full/2 || d > full {
				t.Errorf("jitter %v attempt %d: delay %v outside [%v, %v]", jitter, attempt, d, full/2, full)
			}
			if d < prev {
				t.Errorf("jitter %v attempt %d: delay %v shrank from %v", jitter, attempt, d, prev)
			}
			prev = d
		}
	}
	if d := (Retry{}).WithDefaults().Delay(1, 42*time.Second); d != 42*time.Second {
		t.Errorf("Retry-After 42s gave delay %v", d)
	}
}

// TestRetryStopsAtTheTimeBound uses a clock that the injected sleep
// advances, so the 60 s bound is reached before the attempts run out.
func TestRetryStopsAtTheTimeBound(t *testing.T) {
	clock := time.Date(2026, 11, 23, 15, 0, 0, 0, time.UTC)
	var slept time.Duration
	r := Retry{
		Attempts:   100,
		MaxElapsed: 60 * time.Second,
		Now:        func() time.Time { return clock },
		Sleep: func(_ context.Context, d time.Duration) error {
			clock = clock.Add(d)
			slept += d
			return nil
		},
	}
	tries := 0
	ae := do(context.Background(), r, func() *attemptError {
		tries++
		return &attemptError{err: errors.New("503 Service Unavailable"), transient: true, retryAfter: 25 * time.Second}
	})
	if ae == nil || !errors.Is(ae.err, ErrUnavailable) {
		t.Fatalf("do = %v, want ErrUnavailable", ae)
	}
	if tries != 3 || slept != 50*time.Second {
		t.Errorf("%d tries, slept %v; want 3 tries and 50s (a third wait would pass 60s)", tries, slept)
	}
}

func TestRetryDoesNotRetryPermanentErrors(t *testing.T) {
	tries := 0
	ae := do(context.Background(), Retry{Sleep: func(context.Context, time.Duration) error { t.Fatal("slept"); return nil }},
		func() *attemptError { tries++; return &attemptError{err: errors.New("400")} })
	if ae == nil || tries != 1 || errors.Is(ae.err, ErrUnavailable) {
		t.Errorf("do = %v after %d tries", ae, tries)
	}
}
