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

func FuzzParseRateLimit(f *testing.F) {
	f.Add("300", "299", "1796112900")
	f.Add("", "0", "99999999999999999999")
	f.Fuzz(func(t *testing.T, limit, remaining, reset string) {
		h := http.Header{"X-Rate-Limit-Limit": {limit}, "X-Rate-Limit-Remaining": {remaining}, "X-Rate-Limit-Reset": {reset}}
		r := parseRateLimit(h)
		if r.Known && (r.Remaining < 0 || r.Reset.Unix() <= 0) {
			t.Fatalf("%q %q %q read as %+v", limit, remaining, reset, r)
		}
		if p := r.Pace(time.Unix(1796112000, 0)); p < 0 {
			t.Fatalf("negative pace %s from %+v", p, r)
		}
	})
}
