// Package eventsapi reads the session catalog and your schedule from the official AWS Events API.
package eventsapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/reinvent-cli/reinvent/pkg/catalog"
	"github.com/reinvent-cli/reinvent/pkg/retry"
)

// DefaultURL is the base URL of the AWS Events API.
const DefaultURL = "https://api.awsevents.com"

// ErrAuth is wrapped by the error of a fetch the API refused: no sign-in,
// a sign-in refused even after a refresh, or an account not registered for
// the event. It wraps catalog.ErrAuth, so that callers map every source alike.
var ErrAuth = catalog.SourceError("the AWS Events API refused the sign-in", catalog.ErrAuth)

// ErrUnavailable is wrapped by the error of a fetch that gave up after
// transient failures (5xx, 429, timeouts), or could not reach the API at
// all. It wraps catalog.ErrUnavailable.
var ErrUnavailable = catalog.SourceError("the AWS Events API is unavailable", catalog.ErrUnavailable)

// maxBody bounds how much of one answer is read.
const maxBody = 64 << 20

// Catalog is the AWS Events API as a catalog.Source.
type Catalog struct {
	BaseURL string       // DefaultURL when empty
	Event   string       // event id when FetchOptions.Event is empty
	HTTP    *http.Client // nil means a client with a 30 s timeout
	// Token returns the access token; fresh asks for a new one because the
	// API refused the last. Nil, or a token "", reads anonymously.
	Token func(ctx context.Context, fresh bool) (string, error)
	// Retry bounds the retries of each request after transient failures;
	// zero fields take retry.Policy's defaults.
	Retry retry.Policy

	clock serverClock // from the answers' Date headers
}

var _ catalog.Source = (*Catalog)(nil)

var defaultHTTP = &http.Client{Timeout: 30 * time.Second}

// Name implements catalog.Source.
func (c *Catalog) Name() string { return "events-api" }

// SignedIn reports whether c reads as the attendee: it has a token. Without
// one it reads anonymously and has no schedule.
func (c *Catalog) SignedIn(ctx context.Context) (bool, error) {
	if c.Token == nil {
		return false, nil
	}
	t, err := c.Token(ctx, false)
	return err == nil && t != "", err
}

// Fetch implements catalog.Source: the event's time zone, every page of
// sessions, and, when signed in, the schedule for starred and reserved. It
// returns no catalog unless every request succeeded.
func (c *Catalog) Fetch(ctx context.Context, opts catalog.FetchOptions) (*catalog.Catalog, error) {
	event := opts.Event
	if event == "" {
		event = c.Event
	}
	if event == "" {
		return nil, errors.New("events-api: no event given")
	}
	cl := &client{c: c, event: event, retry: c.Retry.WithDefaults()}
	if c.Token != nil {
		t, err := c.Token(ctx, false)
		if err != nil {
			return nil, err
		}
		cl.token = t
	}
	evPath := "/v1/events/" + url.PathEscape(event)

	loc := opts.Location
	data, err := cl.get(ctx, evPath, nil)
	if err != nil {
		return nil, err
	}
	tz, err := eventZone(data)
	if err != nil {
		return nil, fmt.Errorf("events-api: GET %s: %v", evPath, err)
	}
	var warnings, unkeyed []string
	leftOut := 0
	if tz != "" {
		if l, err := time.LoadLocation(tz); err == nil {
			loc = l
		} else {
			warnings = append(warnings, fmt.Sprintf("event %s: unknown time zone %q; times are read in --timezone", event, catalog.CleanLine(tz)))
		}
	}
	if loc == nil {
		loc = time.UTC
	}

	var (
		sessions []catalog.Session
		next     string
		seen     = map[string]bool{}
	)
	for n := 1; ; n++ {
		q := url.Values{}
		if next != "" {
			q.Set("nextToken", next)
		}
		data, err := cl.get(ctx, evPath+"/sessions", q)
		if err != nil {
			return nil, fmt.Errorf("%w (page %d)", err, n)
		}
		p, err := decodePage(data)
		if err != nil {
			return nil, fmt.Errorf("events-api: page %d: %w", n, err)
		}
		for i, item := range p.Items {
			s, why, err := readSession(item, loc)
			if err != nil {
				warnings = append(warnings, fmt.Sprintf("page %d, item %d: %v; left out", n, i+1, err))
				leftOut++
				if s.SessionID != "" {
					unkeyed = append(unkeyed, s.SessionID)
				}
				continue
			}
			if len(why) > 0 {
				warnings = append(warnings, s.Code+": "+strings.Join(why, "; "))
			}
			sessions = append(sessions, s)
		}
		if opts.Progress != nil {
			opts.Progress(len(sessions), p.TotalCount)
		}
		if p.NextToken == "" {
			break
		}
		if seen[p.NextToken] {
			return nil, fmt.Errorf("events-api: page %d: nextToken repeats an earlier one; the API is paging in a loop", n)
		}
		seen[p.NextToken] = true
		next = p.NextToken
	}

	if cl.token != "" {
		data, err := cl.get(ctx, evPath+"/schedule", nil)
		if err != nil {
			return nil, err
		}
		sch, err := decodeSchedule(data)
		if err != nil {
			return nil, fmt.Errorf("events-api: GET %s/schedule: %v", evPath, err)
		}
		for i := range sessions {
			id := sessions[i].SessionID
			sessions[i].Starred = sch.Favorites[id]
			sessions[i].Reserved = sch.Reserved[id]
		}
	}
	if sessions == nil {
		sessions = []catalog.Session{}
	}
	for i := range sessions {
		sessions[i].Normalize(opts.Location)
	}
	return &catalog.Catalog{Source: c.Name(), Event: event, FetchedAt: time.Now(), Sessions: sessions, Warnings: warnings, Unkeyed: unkeyed, LeftOut: leftOut}, nil
}

// client makes the requests of one fetch, holding its token and its one
// refresh.
type client struct {
	c     *Catalog
	event string
	retry retry.Policy
	token string
	fresh bool // the token was refreshed after a 401 already
}

// authError is a refusal; it wraps ErrAuth with its own wording.
type authError struct{ msg string }

func (e *authError) Error() string { return e.msg }
func (e *authError) Unwrap() error { return ErrAuth }

// giveUpError says the API stayed unavailable; it wraps ErrUnavailable and
// the last failure.
type giveUpError struct {
	attempts int
	last     error
}

func (e *giveUpError) Error() string {
	return "the AWS Events API is unavailable after " + strconv.Itoa(e.attempts) + " attempts: " + e.last.Error()
}

func (e *giveUpError) Unwrap() []error { return []error{ErrUnavailable, e.last} }

// unavailableError is a failure that no retry mends (a host that does not
// resolve); it wraps ErrUnavailable, so that it exits 4 like one that
// stayed down.
type unavailableError struct{ err error }

func (e *unavailableError) Error() string   { return e.err.Error() }
func (e *unavailableError) Unwrap() []error { return []error{ErrUnavailable, e.err} }

// attempt is the outcome of one failed request.
type attempt struct {
	err        error
	transient  bool
	auth       bool // 401
	retryAfter time.Duration
}

// get GETs path with q, retrying transient failures and refreshing the
// token once after a 401. It returns the body of a 200 answer.
func (cl *client) get(ctx context.Context, path string, q url.Values) ([]byte, error) {
	for {
		data, a := cl.withRetry(ctx, func() ([]byte, *attempt) { return cl.once(ctx, path, q) })
		switch {
		case a == nil:
			return data, nil
		case !a.auth:
			return nil, fmt.Errorf("events-api: GET %s: %w", path, a.err)
		case cl.token == "":
			return nil, &authError{"events-api: event " + cl.event + " needs a sign-in (401 Unauthorized): run `reinvent login`"}
		case cl.fresh || cl.c.Token == nil:
			return nil, &authError{"events-api: the AWS Events API refused the sign-in even after a refresh (401 Unauthorized): run `reinvent login`"}
		}
		cl.fresh = true
		t, err := cl.c.Token(ctx, true)
		if err != nil {
			return nil, err
		}
		if t == "" {
			return nil, &authError{"events-api: the sign-in has expired: run `reinvent login`"}
		}
		cl.token = t
	}
}

// withRetry runs try until it succeeds, fails for good, or the retry bound
// is spent.
func (cl *client) withRetry(ctx context.Context, try func() ([]byte, *attempt)) ([]byte, *attempt) {
	var (
		data []byte
		a    *attempt
	)
	n, spent, err := cl.retry.Do(ctx, func() (bool, time.Duration) {
		data, a = try()
		if a == nil || !a.transient {
			return false, 0
		}
		return true, a.retryAfter
	})
	switch {
	case err != nil:
		return nil, &attempt{err: err}
	case spent:
		return nil, &attempt{err: &giveUpError{attempts: n, last: a.err}}
	}
	return data, a
}

// once sends one GET and classifies how it failed.
func (cl *client) once(ctx context.Context, path string, q url.Values) ([]byte, *attempt) {
	data, _, a := cl.send(ctx, http.MethodGet, path, q, nil)
	return data, a
}

// send sends one request with body (JSON, or none) and classifies how it
// failed; it also returns the status of an answer that came.
func (cl *client) send(ctx context.Context, method, path string, q url.Values, body []byte) ([]byte, int, *attempt) {
	data, st, a := cl.sendOnce(ctx, method, path, q, body)
	return data, st, a
}

func (cl *client) sendOnce(ctx context.Context, method, path string, q url.Values, reqBody []byte) ([]byte, int, *attempt) {
	base := cl.c.BaseURL
	if base == "" {
		base = DefaultURL
	}
	u := strings.TrimRight(base, "/") + path
	if len(q) > 0 {
		u += "?" + q.Encode()
	}
	var rb io.Reader
	if reqBody != nil {
		rb = bytes.NewReader(reqBody)
	}
	req, err := http.NewRequestWithContext(ctx, method, u, rb)
	if err != nil {
		return nil, 0, &attempt{err: err}
	}
	req.Header.Set("Accept", "application/json")
	if reqBody != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if cl.token != "" {
		req.Header.Set("Authorization", "Bearer "+cl.token)
	}
	hc := cl.c.HTTP
	if hc == nil {
		hc = defaultHTTP
	}
	sent := time.Now()
	resp, err := hc.Do(req)
	if err == nil {
		cl.c.clock.observe(resp.Header.Get("Date"), sent, time.Now())
	}
	if err != nil {
		if ctx.Err() != nil {
			return nil, 0, &attempt{err: ctx.Err()}
		}
		if nf := catalog.HostNotFound(err); nf != nil {
			return nil, 0, &attempt{err: &unavailableError{nf}}
		}
		return nil, 0, &attempt{err: err, transient: true}
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	st := resp.StatusCode
	if err != nil {
		if ctx.Err() != nil {
			return nil, st, &attempt{err: ctx.Err()}
		}
		return nil, 0, &attempt{err: fmt.Errorf("answer cut short: %w", err), transient: true}
	}
	switch {
	case st == http.StatusOK || (method != http.MethodGet && st >= 200 && st < 300):
		// A write's success is any 2xx: the guide names 200 for
		// ReserveSessions and no status for the others (docs/events-api.md
		// "Writes").
		return body, st, nil
	case st == http.StatusUnauthorized:
		return nil, st, &attempt{err: errors.New(statusLine(st, body)), auth: true}
	case st == http.StatusForbidden:
		if msg, ok := jsonMessage(body); ok {
			m := "events-api: you are not registered for " + cl.event + " (403 Forbidden"
			if msg != "" {
				m += ": " + msg
			}
			return nil, st, &attempt{err: &authError{m + "); register for the event or sign in with the account that is"}}
		}
		return nil, st, &attempt{err: errors.New(statusLine(st, body))}
	case st == http.StatusTooManyRequests || st >= 500:
		return nil, st, &attempt{
			err:        errors.New(statusLine(st, body)),
			transient:  true,
			retryAfter: retry.ParseRetryAfter(resp.Header.Get("Retry-After"), cl.now()),
		}
	default:
		return nil, st, &attempt{err: errors.New(statusLine(st, body))}
	}
}

// statusLine is "404 Not Found", followed by the API's message when the
// body is JSON with one. Other bodies (HTML from the edge) are not shown.
func statusLine(st int, body []byte) string {
	s := strconv.Itoa(st) + " " + http.StatusText(st)
	if msg, ok := jsonMessage(body); ok && msg != "" {
		s += ": " + msg
	}
	return s
}

// jsonMessage reads {"message": ...} from an error body; ok says the body
// is a JSON object at all.
func jsonMessage(body []byte) (msg string, ok bool) {
	body = bytes.TrimSpace(body)
	if len(body) == 0 || body[0] != '{' {
		return "", false
	}
	var m map[string]any
	if json.Unmarshal(body, &m) != nil {
		return "", false
	}
	for _, k := range []string{"message", "Message", "error_description", "error"} {
		if v, ok := m[k].(string); ok && strings.TrimSpace(v) != "" {
			v = strings.Join(strings.Fields(v), " ")
			if r := []rune(v); len(r) > 300 {
				v = string(r[:300]) + "…"
			}
			return v, true
		}
	}
	return "", true
}

// now is the retry policy's clock, or the wall clock when it has none.
func (cl *client) now() time.Time {
	if cl.retry.Now != nil {
		return cl.retry.Now()
	}
	return time.Now()
}
