package x

import (
	"net/http"
	"testing"
	"time"
)

func TestParseRateLimit(t *testing.T) {
	h := http.Header{}
	h.Set("x-rate-limit-limit", "300")
	h.Set("x-rate-limit-remaining", "299")
	h.Set("x-rate-limit-reset", "1796112900")
	r := parseRateLimit(h)
	if !r.Known || r.Limit != 300 || r.Remaining != 299 || !r.Reset.Equal(time.Unix(1796112900, 0)) {
		t.Fatalf("parseRateLimit = %+v", r)
	}
	if p := r.Pace(time.Unix(1796112000, 0)); p != 900*time.Second/299 {
		t.Errorf("Pace = %s, want 900 s / 299", p)
	}
	r.Remaining = 0
	if p := r.Pace(time.Unix(1796112000, 0)); p != 900*time.Second {
		t.Errorf("Pace with none left = %s, want the time to the reset", p)
	}
	if p := r.Pace(time.Unix(1796113000, 0)); p != 0 {
		t.Errorf("Pace after the reset = %s, want 0", p)
	}
	for _, bad := range []map[string]string{
		{"x-rate-limit-remaining": "5"},
		{"x-rate-limit-reset": "1796112900"},
		{"x-rate-limit-remaining": "-1", "x-rate-limit-reset": "1796112900"},
		{"x-rate-limit-remaining": "5", "x-rate-limit-reset": "soon"},
	} {
		h := http.Header{}
		for k, v := range bad {
			h.Set(k, v)
		}
		if r := parseRateLimit(h); r.Known {
			t.Errorf("%v read as %+v", bad, r)
		}
	}
}

// TestUntilReset: the wait for a window's reset is the time to it and a
// second, never more than one window, even for a reset so far off that the
// time to it overflows a Duration.
func TestUntilReset(t *testing.T) {
	now := time.Unix(1796112000, 0)
	for _, c := range []struct {
		reset time.Time
		want  time.Duration
	}{
		{time.Time{}, 0},
		{now.Add(-time.Hour), 0},
		{now, 0},
		{now.Add(10 * time.Minute), 10*time.Minute + time.Second},
		{now.Add(Window), Window},
		{now.Add(Window + time.Second), Window},
		{time.Unix(99999999999, 0), Window},
		{time.Unix(1<<62, 0), Window},
	} {
		if got := UntilReset(c.reset, now); got != c.want {
			t.Errorf("UntilReset(%s) = %s, want %s", c.reset.UTC().Format(time.RFC3339), got, c.want)
		}
	}
	h := http.Header{"X-Rate-Limit-Limit": {"300"}, "X-Rate-Limit-Remaining": {"0"}, "X-Rate-Limit-Reset": {"99999999999"}}
	if p := parseRateLimit(h).Pace(now); p != Window {
		t.Errorf("Pace with none left and a far-future reset = %s, want one window", p)
	}
}

// FuzzParseRateLimit: whatever the headers say, and whenever now is, every
// wait derived from them (the pace of a page, the wait after a 429) is
// within [0, Window].
func FuzzParseRateLimit(f *testing.F) {
	f.Add("300", "299", "1796112900", int64(1796112000))
	f.Add("", "0", "99999999999999999999", int64(1796112000))
	f.Add("300", "0", "99999999999", int64(1796112000))
	f.Add("300", "1", "9223372036854775807", int64(-9223372036854775808))
	f.Add("", "5", "1", int64(9223372036854775807))
	f.Fuzz(func(t *testing.T, limit, remaining, reset string, nowUnix int64) {
		h := http.Header{"X-Rate-Limit-Limit": {limit}, "X-Rate-Limit-Remaining": {remaining}, "X-Rate-Limit-Reset": {reset}}
		r := parseRateLimit(h)
		if r.Known && (r.Remaining < 0 || r.Reset.Unix() <= 0) {
			t.Fatalf("%q %q %q read as %+v", limit, remaining, reset, r)
		}
		for _, now := range []time.Time{time.Unix(1796112000, 0), time.Unix(nowUnix, 0)} {
			if p := r.Pace(now); p < 0 || p > Window {
				t.Fatalf("pace %s from %+v at %d; want within [0, %s]", p, r, now.Unix(), Window)
			}
			if w := UntilReset(rateLimitReset(h), now); w < 0 || w > Window {
				t.Fatalf("wait %s after a 429 with reset %q at %d; want within [0, %s]", w, reset, now.Unix(), Window)
			}
		}
	})
}
