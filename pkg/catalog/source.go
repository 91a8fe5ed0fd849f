package catalog

import (
	"context"
	"errors"
	"fmt"
	"net"
	"time"
)

// Source fetches a whole catalog from one place: the embedded sample, a
// file written by download, or a live service.
type Source interface {
	// Name is how the source is named in output, e.g. "sample" or a path.
	Name() string
	// Fetch returns every session of the event, normalized with
	// Session.Normalize(opts.Location). A fetch that fails returns no
	// catalog: callers never see a partial one.
	Fetch(ctx context.Context, opts FetchOptions) (*Catalog, error)
}

// FetchOptions are what every source needs to know for a fetch.
type FetchOptions struct {
	Event    string         // event id; sources with a fixed event ignore it
	Location *time.Location // the event's wall-clock zone
	// Progress, when not nil, is told how many sessions have been fetched
	// out of total (0 when unknown).
	Progress func(done, total int)
	// Fresh asks a caching source for the source's catalog as it is now,
	// not a cached copy (download and watch).
	Fresh bool
}

// HostNotFound returns, for an error that says a host name does not
// resolve, an error that says so with what to do, and nil for any other
// error. A name that does not resolve will not resolve on a retry, so
// sources fail at once on it instead of retrying as they do when a host
// refuses connections or times out.
func HostNotFound(err error) error {
	var dns *net.DNSError
	if !errors.As(err, &dns) || !dns.IsNotFound {
		return nil
	}
	return fmt.Errorf("the host %s does not resolve (no such host): check the URL setting and your network, or try --source sample, which needs none", dns.Name)
}

// The errors every source's failures wrap, so that callers map them to exit
// codes alike whatever the source: ErrAuth for a refused or missing
// sign-in (exit 3), ErrUnavailable for a service that stayed down after
// retries or cannot be reached at all (exit 4).
var (
	ErrAuth        = errors.New("the source refused the sign-in")
	ErrUnavailable = errors.New("the source is unavailable")
)

// SourceError returns an error that reads msg, in the source's own words,
// and wraps kind (ErrAuth or ErrUnavailable).
func SourceError(msg string, kind error) error { return &sourceError{msg, kind} }

type sourceError struct {
	msg  string
	kind error
}

func (e *sourceError) Error() string { return e.msg }
func (e *sourceError) Unwrap() error { return e.kind }
