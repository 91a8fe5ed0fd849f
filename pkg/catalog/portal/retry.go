package portal

import (
	"context"
	"strconv"
	"time"

	"github.com/reinvent-cli/reinvent/pkg/catalog"
	"github.com/reinvent-cli/reinvent/pkg/retry"
)

// ErrUnavailable is wrapped by the error of a fetch that gave up because the
// portal kept failing with transient errors (5xx, 429, timeouts, resets).
// It wraps catalog.ErrUnavailable, which every source's outage wraps.
var ErrUnavailable = catalog.SourceError("the attendee portal is unavailable", catalog.ErrUnavailable)

// ErrAuth is wrapped by the error of a fetch the portal refused even after
// a fresh sign-in. It wraps catalog.ErrAuth.
var ErrAuth = catalog.SourceError("the attendee portal refused the sign-in", catalog.ErrAuth)

// Retry is the retry policy of the portal's requests (package retry).
type Retry = retry.Policy

// ParseRetryAfter reads a Retry-After header (package retry).
var ParseRetryAfter = retry.ParseRetryAfter

// attemptError is the outcome of one failed request.
type attemptError struct {
	err        error
	transient  bool          // worth retrying
	auth       bool          // 401: sign in again
	retryAfter time.Duration // from a 429 or 503
}

// do runs try until it succeeds, fails for good, or the retry bound r is
// spent; then the error wraps ErrUnavailable.
func do(ctx context.Context, r Retry, try func() *attemptError) *attemptError {
	var ae *attemptError
	n, spent, err := r.Do(ctx, func() (bool, time.Duration) {
		ae = try()
		if ae == nil || !ae.transient {
			return false, 0
		}
		return true, ae.retryAfter
	})
	switch {
	case err != nil:
		return &attemptError{err: err}
	case spent:
		return &attemptError{err: &giveUpError{attempts: n, last: ae.err}}
	}
	return ae
}

// giveUpError says the portal stayed unavailable; it wraps ErrUnavailable
// and the last failure.
type giveUpError struct {
	attempts int
	last     error
}

func (e *giveUpError) Error() string {
	return ErrUnavailable.Error() + " after " + strconv.Itoa(e.attempts) + " attempts: " + e.last.Error()
}

func (e *giveUpError) Unwrap() []error { return []error{ErrUnavailable, e.last} }
