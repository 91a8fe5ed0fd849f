package retry

import (
	"context"
	"errors"
	"testing"
	"time"
)

func TestSleepHonoursContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := Sleep(ctx, time.Hour); !errors.Is(err, context.Canceled) {
		t.Errorf("Sleep = %v, want context.Canceled", err)
	}
}

func TestDelay(t *testing.T) {
	p := Policy{Jitter: func() float64 { return 0 }}.WithDefaults()
	for attempt, want := range map[int]time.Duration{1: 250 * time.Millisecond, 2: 500 * time.Millisecond, 3: time.Second, 10: 5 * time.Second} {
		if got := p.Delay(attempt, 0); got != want {
			t.Errorf("Delay(%d) = %v, want %v", attempt, got, want)
		}
	}
	if got := p.Delay(1, 42*time.Second); got != 42*time.Second {
		t.Errorf("Retry-After not honoured: %v", got)
	}
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	for h, want := range map[string]time.Duration{"7": 7 * time.Second, "": 0, "-3": 0, "junk": 0,
		now.Add(30 * time.Second).Format("Mon, 02 Jan 2006 15:04:05 GMT"): 30 * time.Second} {
		if got := ParseRetryAfter(h, now); got != want {
			t.Errorf("ParseRetryAfter(%q) = %v, want %v", h, got, want)
		}
	}
}
