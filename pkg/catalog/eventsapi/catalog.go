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
	"github.com/reinvent-cli/reinvent/pkg/catalog/portal"
)

// DefaultURL is the base URL of the AWS Events API.
const DefaultURL = "https://api.awsevents.com"

// ErrAuth is wrapped by the error of a fetch the API refused: no sign-in,
// a sign-in refused even after a refresh, or an account not registered for
// the event. It is portal.ErrAuth, so that callers map both sources alike.
var ErrAuth = portal.ErrAuth

// ErrUnavailable is wrapped by the error of a fetch that gave up after
// transient failures (5xx, 429, timeouts). It is portal.ErrUnavailable.
var ErrUnavailable = portal.ErrUnavailable

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
	// only its fields are used, with portal.Retry's defaults.
	Retry portal.Retry
}

var _ catalog.Source = (*Catalog)(nil)

var defaultHTTP = &http.Client{Timeout: 30 * time.Second}

// Name implements catalog.Source.
func (c *Catalog) Name() string { return "events-api" }

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
	var ev struct {
		TimeZone string `json:"timezone"`
	}
	if err := json.Unmarshal(data, &ev); err != nil {
		return nil, fmt.Errorf("events-api: GET %s: malformed answer: %v", evPath, err)
	}
	if ev.TimeZone != "" {
		if l, err := time.LoadLocation(ev.TimeZone); err == nil {
			loc = l
		} else if loc == nil {
			return nil, fmt.Errorf("events-api: event %s: unknown time zone %q", event, ev.TimeZone)
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
		for i := range p.Items {
			s, err := mapSession(&p.Items[i], loc)
			if err != nil {
				return nil, fmt.Errorf("events-api: page %d: items[%d].%w", n, i, err)
			}
			sessions = append(sessions, s)
		}
		if opts.Progress != nil {
			opts.Progress(len(sessions), p.TotalCount)
		}
		if p.NextToken == nil || *p.NextToken == "" {
			break
		}
		if seen[*p.NextToken] {
			return nil, fmt.Errorf("events-api: page %d: nextToken repeats an earlier one; the API is paging in a loop", n)
		}
		seen[*p.NextToken] = true
		next = *p.NextToken
	}

	if cl.token != "" {
		data, err := cl.get(ctx, evPath+"/schedule", nil)
		if err != nil {
			return nil, err
		}
		var sch struct {
			Favorites []string `json:"favorites"`
			Reserved  []string `json:"reserved"`
		}
		if err := json.Unmarshal(data, &sch); err != nil {
			return nil, fmt.Errorf("events-api: GET %s/schedule: malformed answer: %v", evPath, err)
		}
		fav, res := set(sch.Favorites), set(sch.Reserved)
		for i := range sessions {
			id := sessions[i].SessionID
			sessions[i].Starred = fav[id]
			sessions[i].Reserved = res[id]
		}
	}
	if sessions == nil {
		sessions = []catalog.Session{}
	}
	for i := range sessions {
		sessions[i].Normalize(opts.Location)
	}
	return &catalog.Catalog{Source: c.Name(), Event: event, FetchedAt: time.Now(), Sessions: sessions}, nil
}

func set(ids []string) map[string]bool {
	m := make(map[string]bool, len(ids))
	for _, id := range ids {
		m[id] = true
	}
	return m
}

// client makes the requests of one fetch, holding its token and its one
// refresh.
type client struct {
	c     *Catalog
	event string
	retry portal.Retry
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
	r := cl.retry
	begin := r.Now()
	for n := 1; ; n++ {
		data, a := try()
		if a == nil || !a.transient {
			return data, a
		}
		if err := ctx.Err(); err != nil {
			return nil, &attempt{err: err}
		}
		d := r.Delay(n, a.retryAfter)
		if n >= r.Attempts || r.Now().Sub(begin)+d > r.MaxElapsed {
			return nil, &attempt{err: &giveUpError{attempts: n, last: a.err}}
		}
		if err := r.Sleep(ctx, d); err != nil {
			return nil, &attempt{err: err}
		}
	}
}

// once sends one request and classifies how it failed.
func (cl *client) once(ctx context.Context, path string, q url.Values) ([]byte, *attempt) {
	base := cl.c.BaseURL
	if base == "" {
		base = DefaultURL
	}
	u := strings.TrimRight(base, "/") + path
	if len(q) > 0 {
		u += "?" + q.Encode()
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, &attempt{err: err}
	}
	req.Header.Set("Accept", "application/json")
	if cl.token != "" {
		req.Header.Set("Authorization", "Bearer "+cl.token)
	}
	hc := cl.c.HTTP
	if hc == nil {
		hc = defaultHTTP
	}
	resp, err := hc.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return nil, &attempt{err: ctx.Err()}
		}
		return nil, &attempt{err: err, transient: true}
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	if err != nil {
		if ctx.Err() != nil {
			return nil, &attempt{err: ctx.Err()}
		}
		return nil, &attempt{err: fmt.Errorf("answer cut short: %w", err), transient: true}
	}
	st := resp.StatusCode
	switch {
	case st == http.StatusOK:
		return body, nil
	case st == http.StatusUnauthorized:
		return nil, &attempt{err: errors.New(statusLine(st, body)), auth: true}
	case st == http.StatusForbidden:
		if msg, ok := jsonMessage(body); ok {
			m := "events-api: you are not registered for " + cl.event + " (403 Forbidden"
			if msg != "" {
				m += ": " + msg
			}
			return nil, &attempt{err: &authError{m + "); register for the event or sign in with the account that is"}}
		}
		return nil, &attempt{err: errors.New(statusLine(st, body))}
	case st == http.StatusTooManyRequests || st >= 500:
		return nil, &attempt{
			err:        errors.New(statusLine(st, body)),
			transient:  true,
			retryAfter: portal.ParseRetryAfter(resp.Header.Get("Retry-After"), cl.retry.Now()),
		}
	default:
		return nil, &attempt{err: errors.New(statusLine(st, body))}
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

// page is one answer of GET /v1/events/{event}/sessions.
type page struct {
	Items      []wireSession `json:"items"`
	TotalCount int           `json:"totalCount"`
	NextToken  *string       `json:"nextToken"`
}

// decodePage decodes a page of sessions.
func decodePage(data []byte) (*page, error) {
	var p page
	if err := json.Unmarshal(data, &p); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) && te.Field != "" {
			return nil, fmt.Errorf("%s: unexpected %s", te.Field, te.Value)
		}
		return nil, fmt.Errorf("malformed answer: %v", err)
	}
	if p.TotalCount < 0 {
		return nil, fmt.Errorf("totalCount: negative (%d)", p.TotalCount)
	}
	return &p, nil
}

// wireSession is a session as the API sends it.
type wireSession struct {
	SessionID       string    `json:"sessionId"`
	Abbreviation    string    `json:"abbreviation"`
	Title           string    `json:"title"`
	Abstract        string    `json:"abstract"`
	Type            string    `json:"type"`
	Level           level     `json:"level"`
	Venue           nameOf    `json:"venue"`
	Room            nameOf    `json:"room"`
	IsAllDaySession bool      `json:"isAllDaySession"`
	SessionTime     *wireTime `json:"sessionTime"`
	Speakers        names     `json:"speakers"`
	Tracks          names     `json:"tracks"`
	Topics          names     `json:"topics"`
	Services        names     `json:"services"`
	Roles           names     `json:"roles"`
	Industries      names     `json:"industries"`
	Status          string    `json:"status"`
	Embargoed       *bool     `json:"embargoed"`
	IsEmbargoed     *bool     `json:"isEmbargoed"`
}

type wireTime struct {
	Date     string `json:"date"`
	Time     string `json:"time"`
	Length   *int   `json:"length"`
	TimeZone string `json:"timezone"`
}

// level is a level as a number (300) or words ("300 - Advanced").
type level int

func (l *level) UnmarshalJSON(b []byte) error {
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	switch v := v.(type) {
	case float64:
		*l = level(catalog.ParseLevel(strconv.FormatFloat(v, 'f', -1, 64)))
	case string:
		*l = level(catalog.ParseLevel(v))
	default:
		*l = 0
	}
	return nil
}

// nameOf is a string, or an object with a name.
type nameOf string

func (n *nameOf) UnmarshalJSON(b []byte) error {
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*n = nameOf(nameOfValue(v))
	return nil
}

func nameOfValue(v any) string {
	switch v := v.(type) {
	case string:
		return strings.TrimSpace(v)
	case map[string]any:
		s, _ := v["name"].(string)
		return strings.TrimSpace(s)
	}
	return ""
}

// names is a list of strings or of objects with a name; empty names are
// dropped.
type names []string

func (n *names) UnmarshalJSON(b []byte) error {
	var v []any
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*n = nil
	for _, e := range v {
		if s := nameOfValue(e); s != "" {
			*n = append(*n, s)
		}
	}
	return nil
}

// mapSession maps an API session onto the model; loc is the event's zone.
// Its error starts with the field name.
func mapSession(w *wireSession, loc *time.Location) (catalog.Session, error) {
	if strings.TrimSpace(w.Abbreviation) == "" {
		return catalog.Session{}, errors.New("abbreviation: missing; every session needs a code")
	}
	s := catalog.Session{
		Code:       strings.TrimSpace(w.Abbreviation),
		SessionID:  w.SessionID,
		Title:      w.Title,
		Abstract:   w.Abstract,
		Type:       w.Type,
		Level:      int(w.Level),
		Venue:      string(w.Venue),
		Room:       string(w.Room),
		AllDay:     w.IsAllDaySession,
		Status:     w.Status,
		Speakers:   w.Speakers,
		Tracks:     w.Tracks,
		Topics:     w.Topics,
		Services:   w.Services,
		Roles:      w.Roles,
		Industries: w.Industries,
	}
	if w.Embargoed != nil {
		s.Embargoed = *w.Embargoed
	} else if w.IsEmbargoed != nil {
		s.Embargoed = *w.IsEmbargoed
	}
	if st := w.SessionTime; st != nil && strings.TrimSpace(st.Date) != "" {
		zone := loc
		if st.TimeZone != "" {
			l, err := time.LoadLocation(st.TimeZone)
			if err != nil {
				return catalog.Session{}, fmt.Errorf("sessionTime.timezone: unknown time zone %q", st.TimeZone)
			}
			zone = l
		}
		clock := strings.TrimSpace(st.Time)
		if clock == "" {
			clock = "00:00"
		}
		var start time.Time
		var err error
		for _, layout := range []string{"2006-01-02 15:04", "2006-01-02 15:04:05", "2006-01-02 3:04 PM"} {
			if start, err = time.ParseInLocation(layout, strings.TrimSpace(st.Date)+" "+clock, zone); err == nil {
				break
			}
		}
		if err != nil {
			return catalog.Session{}, fmt.Errorf("sessionTime: %q %q is not a date and time", st.Date, st.Time)
		}
		s.Start, s.End = start, start
		switch {
		case st.Length != nil:
			if *st.Length < 0 || *st.Length > 7*24*60 {
				return catalog.Session{}, fmt.Errorf("sessionTime.length: %d minutes is out of range", *st.Length)
			}
			s.End = start.Add(time.Duration(*st.Length) * time.Minute)
		case w.IsAllDaySession && strings.TrimSpace(st.Time) == "":
			s.End = start.AddDate(0, 0, 1)
		}
	}
	s.Normalize(loc)
	return s, nil
}
