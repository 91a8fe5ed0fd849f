package watch

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/reinvent-cli/reinvent/pkg/x"
)

// TestPostErrorStopped: a run that stopped posting says why and how many
// posts wait for the next run, and whether it stopped at a limit (exit 5):
// X's rate limit (with its reset time when X gave one), X unavailable,
// --max-posts. Refused credentials stay x.ErrAuth (exit 3) and another stop
// is its own error.
func TestPostErrorStopped(t *testing.T) {
	reset := time.Date(2026, 12, 1, 14, 5, 0, 0, time.Local)
	for _, tt := range []struct {
		name  string
		err   error
		want  string
		early bool
		is    error
	}{
		{"rate limit", &x.RateLimitError{Reset: reset}, "X's rate limit was reached until 14:05; 3 posts left pending for the next run with --tweet", true, nil},
		{"rate limit, no reset", fmt.Errorf("post: %w", x.ErrRateLimited), "X's rate limit was reached; 3 posts left pending for the next run with --tweet", true, nil},
		{"unavailable", fmt.Errorf("post: %w", x.ErrUnavailable), "; 3 posts left pending for the next run with --tweet", true, x.ErrUnavailable},
		{"max posts", ErrMaxPosts, "; 3 posts left pending for the next run with --tweet", true, ErrMaxPosts},
		{"auth", fmt.Errorf("post: %w", x.ErrAuth), "; check the X credentials; 3 posts left pending for the next run with --tweet", false, x.ErrAuth},
		{"cancelled", context.Canceled, "context canceled", false, context.Canceled},
	} {
		err, early := (&PostError{Err: tt.err, Pending: 3}).Stopped()
		if !strings.HasSuffix(err.Error(), tt.want) || early != tt.early || (tt.is != nil && !errors.Is(err, tt.is)) {
			t.Errorf("%s: %q, early %v; want ...%q, early %v, wrapping %v", tt.name, err, early, tt.want, tt.early, tt.is)
		}
	}
}

// TestOptionsCheck: a negative cap or digest threshold, or a link that is
// not a URL template, is refused in the words of watch's flags.
func TestOptionsCheck(t *testing.T) {
	for _, tt := range []struct {
		o    Options
		want string
	}{
		{Options{}, ""},
		{Options{MaxPosts: 3, DigestOver: 10, Link: "https://example.com/{code}"}, ""},
		{Options{MaxPosts: -1}, "--max-posts -1: give a number of posts, or 0 for no cap"},
		{Options{DigestOver: -2}, "--digest-over -2: give a number of changes, or 0 for never"},
		{Options{Link: "not a url"}, "--link: "},
	} {
		err := tt.o.Check()
		if (tt.want == "") != (err == nil) || err != nil && !strings.HasPrefix(err.Error(), tt.want) {
			t.Errorf("%+v: %v, want %q", tt.o, err, tt.want)
		}
	}
}
