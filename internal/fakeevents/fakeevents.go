// Package fakeevents is a fake of the official AWS Events API on loopback,
// speaking its wire format, for tests.
package fakeevents

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
)

// Failure is an answer the fake gives instead of the real one.
type Failure struct {
	Status      int
	Body        string // sent as is
	ContentType string // "application/json" when empty and Body starts with "{"
	RetryAfter  string // Retry-After header, when not empty
}

// Server is a fake Events API. Set its fields before the first request,
// or under Lock.
type Server struct {
	*httptest.Server

	sync.Mutex
	Event    string           // the one event it knows
	TimeZone string           // the event's "timezone"; omitted when empty
	Sessions []map[string]any // session items as sent
	// PageSizes are the sizes of the pages in turn (the last repeats);
	// empty means 100 a page.
	PageSizes []int
	// Token, when not empty, is the only bearer token accepted; requests
	// without it get 401. When empty, anonymous requests are allowed (and
	// any token too).
	Token     string
	Favorites []string
	Reserved  []string
	// Fail holds answers to give, in order, to the next requests whose
	// path ends with the key ("/sessions", "/schedule", or the event id).
	Fail map[string][]Failure
	// FailPage answers every request for a page of sessions (1 is the
	// first) with its failure.
	FailPage map[int]Failure

	// Requests counts the requests per path suffix key, and Auth records
	// the Authorization header of each request in order.
	Requests map[string]int
	Auth     []string
}

// New starts a fake for event with sessions.
func New(event string, sessions []map[string]any) *Server {
	s := &Server{Event: event, Sessions: sessions, Fail: map[string][]Failure{}, Requests: map[string]int{}}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	return s
}

// FailNext queues failures for requests to the endpoint key: "event",
// "sessions" or "schedule".
func (s *Server) FailNext(key string, f ...Failure) {
	s.Lock()
	defer s.Unlock()
	s.Fail[key] = append(s.Fail[key], f...)
}

// Count is how many requests endpoint key got.
func (s *Server) Count(key string) int {
	s.Lock()
	defer s.Unlock()
	return s.Requests[key]
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	s.Lock()
	defer s.Unlock()
	prefix := "/v1/events/" + s.Event
	var key string
	switch r.URL.Path {
	case prefix:
		key = "event"
	case prefix + "/sessions":
		key = "sessions"
	case prefix + "/schedule":
		key = "schedule"
	default:
		writeJSON(w, http.StatusNotFound, map[string]string{"message": "Not found: " + r.URL.Path})
		return
	}
	if r.Method != http.MethodGet {
		writeJSON(w, http.StatusMethodNotAllowed, map[string]string{"message": "method not allowed"})
		return
	}
	s.Requests[key]++
	s.Auth = append(s.Auth, r.Header.Get("Authorization"))
	if q := s.Fail[key]; len(q) > 0 {
		s.Fail[key] = q[1:]
		q[0].write(w)
		return
	}
	bearer, hasToken := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if s.Token != "" && (!hasToken || bearer != s.Token) {
		writeJSON(w, http.StatusUnauthorized, map[string]string{"message": "Unauthorized"})
		return
	}
	switch key {
	case "event":
		ev := map[string]any{"eventId": s.Event, "name": "Fake " + s.Event}
		if s.TimeZone != "" {
			ev["timezone"] = s.TimeZone
		}
		writeJSON(w, http.StatusOK, ev)
	case "schedule":
		if !hasToken {
			writeJSON(w, http.StatusUnauthorized, map[string]string{"message": "Unauthorized"})
			return
		}
		writeJSON(w, http.StatusOK, map[string]any{"favorites": nonNil(s.Favorites), "reserved": nonNil(s.Reserved)})
	case "sessions":
		s.sessions(w, r)
	}
}

func (f Failure) write(w http.ResponseWriter) {
	ct := f.ContentType
	if ct == "" && strings.HasPrefix(f.Body, "{") {
		ct = "application/json"
	}
	if ct != "" {
		w.Header().Set("Content-Type", ct)
	}
	if f.RetryAfter != "" {
		w.Header().Set("Retry-After", f.RetryAfter)
	}
	w.WriteHeader(f.Status)
	_, _ = w.Write([]byte(f.Body))
}

func nonNil(l []string) []string {
	if l == nil {
		return []string{}
	}
	return l
}

// sessions answers one page. Tokens are "p<page>.<offset>".
func (s *Server) sessions(w http.ResponseWriter, r *http.Request) {
	offset, pageNo := 0, 0
	if t := r.URL.Query().Get("nextToken"); t != "" {
		p, o, ok := strings.Cut(strings.TrimPrefix(t, "p"), ".")
		var err1, err2 error
		pageNo, err1 = strconv.Atoi(p)
		offset, err2 = strconv.Atoi(o)
		if !ok || err1 != nil || err2 != nil || offset < 0 || offset > len(s.Sessions) {
			writeJSON(w, http.StatusBadRequest, map[string]string{"message": "invalid nextToken"})
			return
		}
	}
	if f, ok := s.FailPage[pageNo+1]; ok {
		f.write(w)
		return
	}
	size := 100
	if len(s.PageSizes) > 0 {
		size = s.PageSizes[min(pageNo, len(s.PageSizes)-1)]
	}
	end := min(offset+size, len(s.Sessions))
	items := s.Sessions[offset:end]
	if items == nil {
		items = []map[string]any{}
	}
	body := map[string]any{"items": items, "totalCount": len(s.Sessions)}
	if end < len(s.Sessions) {
		body["nextToken"] = "p" + strconv.Itoa(pageNo+1) + "." + strconv.Itoa(end)
	}
	writeJSON(w, http.StatusOK, body)
}
