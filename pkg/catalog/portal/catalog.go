// Package portal reads the session catalog of the re:Invent attendee portal:
// Cognito sign-in and its GraphQL API.
package portal

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	graphql "github.com/hasura/go-graphql-client"

	"github.com/reinvent-cli/reinvent/pkg/catalog"
)

// DefaultURL is the portal's GraphQL endpoint.
const DefaultURL = "https://api.us-east-1.prod.events.aws.a2z.com/attendee/graphql"

// pageSize is how many sessions one ListSessions call asks for.
const pageSize = 100

// listSessionsQuery asks for the fields the session model needs. Custom
// fields are an interface: multi-selects carry values, single-selects value.
const listSessionsQuery = `query ListSessions($input: ListSessionsInput!) {
  listSessions(input: $input) {
    results {
      sessionId
      alias
      name
      description
      status
      type
      level
      startTime
      duration
      isFavoritedByMe
      isEmbargoed
      myReservationStatus
      room { name venue { name } }
      sessionType { name }
      tracks { name }
      speakers { firstName lastName }
      customFieldDetails {
        name
        ... on CustomFieldValueMultiSelect { values { name } }
        ... on CustomFieldValueSingleSelect { value { name } }
      }
    }
    totalCount
    nextToken
  }
}`

// Catalog is the portal as a catalog.Source: it pages ListSessions with the
// access token Token gives.
type Catalog struct {
	URL  string       // GraphQL endpoint; DefaultURL when empty
	HTTP *http.Client // nil means a client with a 30 s timeout
	// Token returns the access token; fresh asks for a new sign-in because
	// the portal refused the last one.
	Token func(ctx context.Context, fresh bool) (string, error)
	// Retry bounds the retries of each request after transient failures.
	Retry Retry
}

var _ catalog.Source = (*Catalog)(nil)

var defaultHTTP = &http.Client{Timeout: 30 * time.Second}

// Name implements catalog.Source.
func (c *Catalog) Name() string { return "portal" }

// Fetch implements catalog.Source: it pages ListSessions for opts.Event
// until nextToken is null. It returns no catalog unless every page came.
//
// Each page is decoded while the next one is requested, so that decoding
// hides behind the portal's latency.
func (c *Catalog) Fetch(ctx context.Context, opts catalog.FetchOptions) (*catalog.Catalog, error) {
	if c.Token == nil {
		return nil, fmt.Errorf("portal: no sign-in configured: %w", ErrAuth)
	}
	s := &signIn{token: c.Token}
	if err := s.get(ctx, false); err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var (
		sessions []catalog.Session
		next     *string
		seen     = map[string]bool{}
		pending  <-chan decoded // the page being decoded
	)
	collect := func() error {
		d := <-pending
		pending = nil
		if d.err != nil {
			return fmt.Errorf("%w (in page %d)", d.err, d.n)
		}
		sessions = append(sessions, d.p.sessions...)
		if opts.Progress != nil {
			opts.Progress(len(sessions), d.p.total)
		}
		return nil
	}
	for n := 1; ; n++ {
		data, err := c.fetchPage(ctx, s, opts.Event, next, n)
		if err != nil {
			if pending != nil {
				if perr := collect(); perr != nil {
					return nil, perr // the earlier page's fault is the cause
				}
			}
			return nil, err
		}
		head, err := decodeHead(data)
		if err != nil {
			return nil, fmt.Errorf("%w (in page %d)", err, n)
		}
		if pending != nil {
			if err := collect(); err != nil {
				return nil, err
			}
		}
		ch := make(chan decoded, 1)
		go func(n int) {
			p, err := decodePage(data, opts.Location)
			if err != nil {
				cancel() // stop the request for the next page
			}
			ch <- decoded{n: n, p: p, err: err}
		}(n)
		pending = ch
		if head.NextToken == nil {
			break
		}
		if seen[*head.NextToken] {
			return nil, fmt.Errorf("portal: page %d: nextToken repeats an earlier one; the portal is paging in a loop", n)
		}
		seen[*head.NextToken] = true
		next = head.NextToken
	}
	if err := collect(); err != nil {
		return nil, err
	}
	if sessions == nil {
		sessions = []catalog.Session{}
	}
	return &catalog.Catalog{Source: c.Name(), Event: opts.Event, FetchedAt: time.Now(), Sessions: sessions}, nil
}

// decoded is the outcome of decoding page n.
type decoded struct {
	n   int
	p   *page
	err error
}

// signIn holds the access token of one fetch and allows it one fresh
// sign-in.
type signIn struct {
	token func(ctx context.Context, fresh bool) (string, error)
	value string
	fresh bool
}

func (s *signIn) get(ctx context.Context, fresh bool) error {
	t, err := s.token(ctx, fresh)
	if err != nil {
		return err // the sign-in's errors say what failed already
	}
	s.value, s.fresh = t, s.fresh || fresh
	return nil
}

// fetchPage gets page n, retrying transient failures and signing in again
// once after a 401.
func (c *Catalog) fetchPage(ctx context.Context, s *signIn, event string, next *string, n int) (json.RawMessage, error) {
	for {
		var data json.RawMessage
		ae := do(ctx, c.Retry, func() *attemptError {
			var ae *attemptError
			data, ae = c.post(ctx, s.value, event, next)
			return ae
		})
		switch {
		case ae == nil:
			return data, nil
		case !ae.auth:
			return nil, fmt.Errorf("portal: page %d: %w", n, ae.err)
		case s.fresh:
			return nil, fmt.Errorf("portal: page %d: %w: the portal answered 401 Unauthorized after a fresh sign-in; run reinvent login", n, ErrAuth)
		}
		if err := s.get(ctx, true); err != nil {
			return nil, err
		}
	}
}

// recorder keeps the status, headers and transport error of the one
// request a graphql.Client makes, which the client does not expose.
type recorder struct {
	http   *http.Client
	status int
	header http.Header
	err    error
}

func (r *recorder) Do(req *http.Request) (*http.Response, error) {
	resp, err := r.http.Do(req)
	r.err = err
	if resp != nil {
		r.status, r.header = resp.StatusCode, resp.Header
	}
	return resp, err
}

// post sends one ListSessions request and classifies how it failed.
func (c *Catalog) post(ctx context.Context, token, event string, next *string) (json.RawMessage, *attemptError) {
	hc, url := c.HTTP, c.URL
	if hc == nil {
		hc = defaultHTTP
	}
	if url == "" {
		url = DefaultURL
	}
	rec := &recorder{http: hc}
	client := graphql.NewClient(url, rec).WithRequestModifier(func(r *http.Request) {
		r.Header.Set("Authorization", token)
	})
	vars := map[string]any{"input": map[string]any{"eventId": event, "maxResults": pageSize, "nextToken": next}}
	data, err := client.ExecRaw(ctx, listSessionsQuery, vars, graphql.OperationName("ListSessions"))
	switch {
	case rec.err != nil:
		if ctx.Err() != nil {
			return nil, &attemptError{err: ctx.Err()}
		}
		if nf := catalog.HostNotFound(rec.err); nf != nil {
			return nil, &attemptError{err: fmt.Errorf("%w: %w", ErrUnavailable, nf)}
		}
		return nil, &attemptError{err: rec.err, transient: true}
	case rec.status == http.StatusUnauthorized:
		return nil, &attemptError{err: errors.New("401 Unauthorized"), auth: true}
	case rec.status == http.StatusTooManyRequests || rec.status >= 500:
		return nil, &attemptError{
			err:        fmt.Errorf("%d %s", rec.status, http.StatusText(rec.status)),
			transient:  true,
			retryAfter: ParseRetryAfter(rec.header.Get("Retry-After"), time.Now()),
		}
	case rec.status >= 300 || (rec.status != http.StatusOK && rec.status != http.StatusCreated):
		return nil, &attemptError{err: fmt.Errorf("unexpected answer %d %s%s", rec.status, http.StatusText(rec.status), bodyHint(err))}
	case err != nil:
		return nil, graphQLError(err)
	}
	return data, nil
}

// bodyHint quotes the start of an error body the client kept.
func bodyHint(err error) string {
	var ne graphql.NetworkError
	if errors.As(err, &ne) && strings.TrimSpace(ne.Body()) != "" {
		b := strings.Join(strings.Fields(ne.Body()), " ")
		if len(b) > 200 {
			b = b[:200] + "…"
		}
		return ": " + b
	}
	return ""
}

// graphQLError turns the client's error for a 200 answer into ours: a body
// cut short is transient, a body that is not JSON is malformed, and
// GraphQL errors[] are shown with their messages.
func graphQLError(err error) *attemptError {
	var errs graphql.Errors
	if !errors.As(err, &errs) {
		return &attemptError{err: err}
	}
	var msgs []string
	for _, e := range errs {
		if e.Extensions["code"] == graphql.ErrJsonDecode {
			if inner := errors.Unwrap(e); errors.Is(inner, io.ErrUnexpectedEOF) || isNetError(inner) {
				return &attemptError{err: fmt.Errorf("answer cut short: %w", inner), transient: true}
			}
			return &attemptError{err: fmt.Errorf("malformed answer: %s", e.Message)}
		}
		msgs = append(msgs, e.Message)
	}
	return &attemptError{err: fmt.Errorf("GraphQL error: %s", strings.Join(msgs, "; "))}
}

func isNetError(err error) bool {
	var ne interface{ Timeout() bool }
	return errors.As(err, &ne)
}

// page is one decoded ListSessions answer.
type page struct {
	sessions []catalog.Session
	total    int
	next     *string
}

// wireSession is a session as the portal sends it.
type wireSession struct {
	SessionID           string  `json:"sessionId"`
	Alias               string  `json:"alias"`
	Name                string  `json:"name"`
	Description         string  `json:"description"`
	Status              string  `json:"status"`
	Type                string  `json:"type"`
	Level               *string `json:"level"`
	StartTime           *int64  `json:"startTime"`
	Duration            *int64  `json:"duration"`
	IsFavoritedByMe     bool    `json:"isFavoritedByMe"`
	IsEmbargoed         bool    `json:"isEmbargoed"`
	MyReservationStatus string  `json:"myReservationStatus"`
	Room                *struct {
		Name  string `json:"name"`
		Venue *struct {
			Name string `json:"name"`
		} `json:"venue"`
	} `json:"room"`
	SessionType *struct {
		Name string `json:"name"`
	} `json:"sessionType"`
	Tracks []struct {
		Name string `json:"name"`
	} `json:"tracks"`
	Speakers []struct {
		FirstName string `json:"firstName"`
		LastName  string `json:"lastName"`
	} `json:"speakers"`
	CustomFieldDetails []struct {
		Name   string      `json:"name"`
		Values []wireValue `json:"values"`
		Value  *wireValue  `json:"value"`
	} `json:"customFieldDetails"`
}

type wireValue struct {
	Name string `json:"name"`
}

// decodePage decodes the data of a ListSessions answer into normalized
// sessions. An error names the field that is wrong.
func decodePage(data []byte, loc *time.Location) (*page, error) {
	var wire struct {
		ListSessions *struct {
			Results    *[]wireSession `json:"results"`
			TotalCount int            `json:"totalCount"`
			NextToken  *string        `json:"nextToken"`
		} `json:"listSessions"`
	}
	if err := json.Unmarshal(data, &wire); err != nil {
		// Decode result by result to name the one that is wrong.
		return nil, resultError(data, err)
	}
	ls := wire.ListSessions
	if ls == nil {
		return nil, errors.New("portal: listSessions: missing from the answer")
	}
	if err := (pageHead{TotalCount: ls.TotalCount, NextToken: ls.NextToken}).check(); err != nil {
		return nil, err
	}
	if ls.Results == nil {
		return nil, errors.New("portal: listSessions.results: missing from the answer")
	}
	p := &page{sessions: make([]catalog.Session, 0, len(*ls.Results)), total: ls.TotalCount, next: ls.NextToken}
	for i := range *ls.Results {
		s, err := mapSession(&(*ls.Results)[i], loc)
		if err != nil {
			return nil, fmt.Errorf("portal: results[%d].%w", i, err)
		}
		p.sessions = append(p.sessions, s)
	}
	return p, nil
}

// pageHead is what the next request needs from an answer.
type pageHead struct {
	TotalCount int     `json:"totalCount"`
	NextToken  *string `json:"nextToken"`
}

func (h pageHead) check() error {
	switch {
	case h.TotalCount < 0:
		return fmt.Errorf("portal: listSessions.totalCount: negative (%d)", h.TotalCount)
	case h.NextToken != nil && *h.NextToken == "":
		return errors.New("portal: listSessions.nextToken: empty string; want a token or null")
	}
	return nil
}

// decodeHead reads the paging fields of an answer, skipping the results.
func decodeHead(data []byte) (pageHead, error) {
	var wire struct {
		ListSessions *pageHead `json:"listSessions"`
	}
	if err := json.Unmarshal(data, &wire); err != nil {
		return pageHead{}, fieldError("", err)
	}
	if wire.ListSessions == nil {
		return pageHead{}, errors.New("portal: listSessions: missing from the answer")
	}
	return *wire.ListSessions, wire.ListSessions.check()
}

// resultError explains why data did not decode, naming the result by its
// index when one result is at fault.
func resultError(data []byte, err error) error {
	var wire struct {
		ListSessions *struct {
			Results []json.RawMessage `json:"results"`
		} `json:"listSessions"`
	}
	if json.Unmarshal(data, &wire) == nil && wire.ListSessions != nil {
		for i, raw := range wire.ListSessions.Results {
			var w wireSession
			if err := json.Unmarshal(raw, &w); err != nil {
				return fieldError(fmt.Sprintf("results[%d]", i), err)
			}
		}
	}
	return fieldError("", err)
}

// fieldError names the JSON field a decoding error is about.
func fieldError(prefix string, err error) error {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		path := te.Field
		switch {
		case prefix != "" && path != "":
			path = prefix + "." + path
		case prefix != "":
			path = prefix
		}
		if path == "" {
			path = "answer"
		}
		return fmt.Errorf("portal: %s: want %s, got %s", path, jsonKind(te.Type.Kind().String()), te.Value)
	}
	if prefix == "" {
		prefix = "answer"
	}
	return fmt.Errorf("portal: %s: %w", prefix, err)
}

// jsonKind names a Go kind the way a JSON document would.
func jsonKind(kind string) string {
	switch {
	case strings.HasPrefix(kind, "int"), strings.HasPrefix(kind, "uint"), strings.HasPrefix(kind, "float"):
		return "a number"
	case kind == "string":
		return "a string"
	case kind == "bool":
		return "true or false"
	case kind == "slice", kind == "array":
		return "a list"
	default:
		return "an object"
	}
}

// mapSession maps a portal session onto the model. Its error starts with
// the field name, for the caller to prefix with the result index.
func mapSession(w *wireSession, loc *time.Location) (catalog.Session, error) {
	if strings.TrimSpace(w.Alias) == "" {
		return catalog.Session{}, errors.New("alias: missing; every session needs a code")
	}
	s := catalog.Session{
		Code:      w.Alias,
		SessionID: w.SessionID,
		Title:     w.Name,
		Abstract:  w.Description,
		Type:      w.Type,
		Status:    w.Status,
		Starred:   w.IsFavoritedByMe,
		Embargoed: w.IsEmbargoed,
		Reserved:  strings.EqualFold(w.MyReservationStatus, "RESERVED"),
	}
	if w.Level != nil {
		s.Level = catalog.ParseLevel(*w.Level)
	}
	if w.SessionType != nil && w.SessionType.Name != "" {
		s.Type = w.SessionType.Name
	}
	if w.Room != nil {
		s.Room = w.Room.Name
		if w.Room.Venue != nil {
			s.Venue = w.Room.Venue.Name
		}
	}
	if w.StartTime != nil {
		const maxMillis = 253402300799999 // 9999-12-31T23:59:59.999Z
		if *w.StartTime <= 0 || *w.StartTime > maxMillis {
			return catalog.Session{}, fmt.Errorf("startTime: %d is not a time in epoch milliseconds", *w.StartTime)
		}
		s.Start = time.UnixMilli(*w.StartTime)
		s.End = s.Start
		if w.Duration != nil {
			if *w.Duration < 0 || *w.Duration > 7*24*60 {
				return catalog.Session{}, fmt.Errorf("duration: %d minutes is out of range", *w.Duration)
			}
			s.End = s.Start.Add(time.Duration(*w.Duration) * time.Minute)
		}
	}
	for _, t := range w.Tracks {
		if t.Name != "" {
			s.Tracks = append(s.Tracks, t.Name)
		}
	}
	for _, sp := range w.Speakers {
		if name := strings.TrimSpace(sp.FirstName + " " + sp.LastName); name != "" {
			s.Speakers = append(s.Speakers, name)
		}
	}
	for _, f := range w.CustomFieldDetails {
		var dst *[]string
		switch f.Name {
		case "AWS Service":
			dst = &s.Services
		case "Topic / Industry":
			dst = &s.Topics
		case "Job Role":
			dst = &s.Roles
		case "Industry":
			dst = &s.Industries
		default:
			continue
		}
		for _, v := range f.Values {
			if v.Name != "" {
				*dst = append(*dst, v.Name)
			}
		}
		if f.Value != nil && f.Value.Name != "" {
			*dst = append(*dst, f.Value.Name)
		}
	}
	s.Normalize(loc)
	return s, nil
}
