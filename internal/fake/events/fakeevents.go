// Package fakeevents is a fake of the official AWS Events API on loopback,
// for tests. It speaks the shapes of the AWS Events API Developer Guide
// (docs/events-api.md names the page of each): single objects wrapped,
// lengths and levels as strings, venues missing where the 2026 catalog
// leaves them out, short pages, {"message"} errors.
package fakeevents

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Session is a session as ListSessions and GetSession send it
// (docs/events-api.md, "What a session contains"). Every field is optional:
// the guide says "A field is present only when the event provides it".
// Length and level are strings, as the service sends them.
type Session struct {
	SessionID        string       `json:"sessionId,omitempty"`
	Title            string       `json:"title,omitempty"`
	Abbreviation     string       `json:"abbreviation,omitempty"` // the session code
	Abstract         string       `json:"abstract,omitempty"`
	Type             string       `json:"type,omitempty"`
	Level            string       `json:"level,omitempty"` // "300 - Advanced"
	Venue            string       `json:"venue,omitempty"` // absent for Wynn/Encore and Caesars Palace in 2026
	Room             string       `json:"room,omitempty"`  // then it starts with the venue: "Wynn/Encore | Level 1 | Latour 1"
	IsAllDaySession  *bool        `json:"isAllDaySession,omitempty"`
	IsReservable     *bool        `json:"isReservable,omitempty"`
	SeatAvailability string       `json:"seatAvailability,omitempty"` // absent before reservations open
	SessionTime      *SessionTime `json:"sessionTime,omitempty"`
	Speakers         []Speaker    `json:"speakers,omitempty"`
	Tracks           []string     `json:"tracks,omitempty"`
	Topics           []string     `json:"topics,omitempty"`
	Industries       []string     `json:"industries,omitempty"`
	AreasOfInterest  []string     `json:"areasOfInterest,omitempty"`
	Roles            []string     `json:"roles,omitempty"`
	Services         []string     `json:"services,omitempty"`
	Segments         []string     `json:"segments,omitempty"`
	Features         []string     `json:"features,omitempty"`
}

// SessionTime is a session's time: the local date and time and the length
// in minutes as a string ("60"). The 2026 catalog sends no timezone.
type SessionTime struct {
	Date     string `json:"date,omitempty"` // "2026-12-01"
	Time     string `json:"time,omitempty"` // "10:00"
	Length   string `json:"length,omitempty"`
	TimeZone string `json:"timezone,omitempty"`
}

// Speaker is one presenter.
type Speaker struct {
	Name string `json:"name,omitempty"`
}

// Event is GetEvent's event (docs/events-api.md, "GetEvent"), sent as
// {"event": {...}}.
type Event struct {
	EventID                string `json:"eventId"`
	Name                   string `json:"name,omitempty"`
	EventType              string `json:"eventType,omitempty"`
	StartDate              string `json:"startDate,omitempty"`
	EndDate                string `json:"endDate,omitempty"`
	IsOnline               bool   `json:"isOnline"`
	AuthenticationRequired bool   `json:"authenticationRequired"`
	TimeZone               string `json:"timezone,omitempty"`
}

// PersonalTime is an entry of GetSchedule's personalTime, in UTC without
// an offset (docs/events-api.md, "GetSchedule").
type PersonalTime struct {
	PersonalTimeID string `json:"personalTimeId"`
	StartDateTime  string `json:"startDateTime"`
	EndDateTime    string `json:"endDateTime"`
	Title          string `json:"title"`
	Description    string `json:"description"`
	Location       string `json:"location,omitempty"`
}

// Failure is an answer the fake gives instead of the real one.
type Failure struct {
	Status      int
	Body        string // sent as is
	ContentType string // "application/json" when empty and Body starts with "{"
	RetryAfter  string // Retry-After header, when not empty
	// Done carries out a write before this answer is given in place of
	// its own: a 500 after the seat was taken.
	Done bool
	// Drop closes the connection instead of answering: with Done, the
	// write happens and its answer is lost.
	Drop bool
	// Hold, when set, is called before the answer, without the fake's
	// lock: a test can stop there and kill the client.
	Hold func()
}

// EdgeRefusal is how the edge in front of the service refuses a client it
// throttles: 403 with no body (docs/events-api.md, "Errors").
var EdgeRefusal = Failure{Status: http.StatusForbidden}

// DefaultPageSize is the page size the service chose for the 2026 catalog:
// 2,043 sessions came in 9 pages of 250.
const DefaultPageSize = 250

// Server is a fake Events API. Set its fields before the first request,
// or under Lock.
type Server struct {
	*httptest.Server

	sync.Mutex
	Event    Event // the one event it knows; EventID is its id
	Sessions []any // items as sent: Session, or json.RawMessage for any other shape
	// PageSizes are the sizes of the pages in turn (the last repeats);
	// empty means DefaultPageSize. A size of 0 gives an empty page that
	// still carries a nextToken.
	PageSizes []int
	// Token, when not empty, is the only bearer token accepted; requests
	// with another get 401. Without a token, catalog reads are allowed
	// unless Event.AuthenticationRequired; the schedule always needs one.
	Token        string
	Favorites    []string
	Reserved     []string
	PersonalTime []PersonalTime
	// Fail holds answers to give, in order, to the next requests of an
	// endpoint: "event", "sessions", "session", "schedule", or a write:
	// "reserve", "cancel", "favorite", "unfavorite", "personal-time".
	// An outage of the next n writes is n failures (FailNext with
	// slices.Repeat); one that is not Done spends no quota.
	Fail map[string][]Failure
	// FailPage answers every request for a page of sessions (1 is the
	// first) with its failure.
	FailPage map[int]Failure

	// Seats are the seats left per session id; a session missing from it
	// has seats to spare. A reservation takes one, a cancel gives it
	// back, and the last seat taken turns seatAvailability "unavailable".
	Seats map[string]int
	// ReservationsClosed answers every reservation and cancel 409, as the
	// service did before reservations opened.
	ReservationsClosed bool
	// OpensAt, when set, answers every reservation and cancel 409 before
	// it on the fake's clock (Now), as ReservationsClosed does: the
	// opening of reserved seating (docs/events-api.md, fake's rule 23).
	OpensAt time.Time
	// SeatScript is other attendees taking and giving back seats: each
	// change applies once the fake's clock reaches its At, in order, on
	// the next request (fake's rule 24).
	SeatScript []SeatChange
	scripted   int // the changes of SeatScript applied
	// Delay is how long the fake takes over every request before it
	// answers: the round trip of a real service (30 ms in the
	// performance figures of docs/performance.md).
	Delay time.Duration
	// Refuse answers a reservation of a session id with this failure
	// code: insufficientAccess, or a code the client does not know.
	Refuse map[string]string
	// PassedBefore, when set, makes sessions that start before it answer
	// timePassed.
	PassedBefore time.Time
	// Quotas are what each operation may spend per Window: requests, or
	// sessions for "reserve" and "favorite". An operation missing from it
	// has its DefaultQuotas, else OthersQuota. A request refused with
	// 429 spends nothing. Window is a minute when 0; Now is time.Now when
	// nil.
	Quotas map[string]int
	Window time.Duration
	// Now is the fake's clock: quotas, OpensAt, SeatScript and the Date
	// header of every answer follow it. A test skews the service's clock
	// with time.Now().Add(skew).
	Now    func() time.Time
	window time.Time
	spent  map[string]int

	// Requests counts the requests per endpoint, and Auth records the
	// Authorization header of each request in order. Writes records every
	// write request in order.
	Requests map[string]int
	Auth     []string
	Writes   []Write
	// AfterWrite, when set, is called under the lock after each write is
	// recorded: a test can change the account between two writes, as
	// another device of the attendee would.
	AfterWrite func(Write)
}

// New starts a fake for event with sessions (Session values, or
// json.RawMessage for shapes a test wants to send as they are).
func New(event string, sessions []any) *Server {
	s := &Server{
		Event:    Event{EventID: event, Name: "Fake " + event, EventType: "conference"},
		Sessions: sessions,
		Fail:     map[string][]Failure{},
		Requests: map[string]int{},
	}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	return s
}

// FailNext queues failures for requests to the endpoint key.
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

// message is the error body of every operation: {"message": ...}.
func message(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, map[string]string{"message": msg})
}

// SeatChange is a change of a session's seats by other attendees: from
// At on, SessionID has Seats seats left (Server.Seats) and the band Band
// (seatAvailability; unchanged when "").
type SeatChange struct {
	At        time.Time
	SessionID string
	Seats     int
	Band      string
}

// clock is the fake's time: Now, or time.Now.
func (s *Server) clock() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

// tick applies the seat changes that are due and returns the time. The
// caller holds the lock.
func (s *Server) tick() time.Time {
	now := s.clock()
	for ; s.scripted < len(s.SeatScript) && !now.Before(s.SeatScript[s.scripted].At); s.scripted++ {
		c := s.SeatScript[s.scripted]
		if s.Seats == nil {
			s.Seats = map[string]int{}
		}
		s.Seats[c.SessionID] = c.Seats
		for i, it := range s.Sessions {
			if ses, ok := it.(Session); ok && ses.SessionID == c.SessionID && c.Band != "" {
				ses.SeatAvailability = c.Band
				s.Sessions[i] = ses
			}
		}
	}
	return now
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	// Every answer carries the service's clock (RFC 9110 Date, one-second
	// resolution), which the client corrects its own by.
	s.Lock()
	now, delay := s.tick(), s.Delay
	s.Unlock()
	w.Header().Set("Date", now.UTC().Format(http.TimeFormat))
	time.Sleep(delay) // the service's round trip, not a synchronisation
	rest, ok := strings.CutPrefix(r.URL.Path, "/v1/events/")
	if !ok {
		message(w, http.StatusNotFound, "Not found")
		return
	}
	id, sub, _ := strings.Cut(rest, "/")
	key, sessionID, method := route(r.Method, sub)
	if key == "" {
		message(w, http.StatusNotFound, "Not found")
		return
	}
	if r.Method != method {
		message(w, http.StatusMethodNotAllowed, "Method not allowed")
		return
	}
	if isWrite[key] {
		s.write(w, r, id, key, sessionID)
		return
	}
	s.Lock()
	defer s.Unlock()
	if id != s.Event.EventID {
		message(w, http.StatusNotFound, "Event not found: "+id)
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
	if hasToken && s.Token != "" && bearer != s.Token {
		message(w, http.StatusUnauthorized, "Unauthorized")
		return
	}
	needsSignIn := key == "schedule" || (key != "event" && s.Event.AuthenticationRequired)
	if needsSignIn && !hasToken {
		message(w, http.StatusUnauthorized, "Unauthorized")
		return
	}
	if !s.readSpend(w, key) {
		return
	}
	switch key {
	case "event":
		writeJSON(w, http.StatusOK, map[string]any{"event": s.Event})
	case "schedule":
		pt := s.PersonalTime
		if pt == nil {
			pt = []PersonalTime{}
		}
		writeJSON(w, http.StatusOK, map[string]any{"schedule": map[string]any{
			"reserved": nonNil(s.Reserved), "favorites": nonNil(s.Favorites), "personalTime": pt,
		}})
	case "session":
		for _, it := range s.Sessions {
			if ses, ok := it.(Session); ok && ses.SessionID == sessionID {
				writeJSON(w, http.StatusOK, map[string]any{"session": ses})
				return
			}
		}
		message(w, http.StatusNotFound, "Session not found: "+sessionID)
	case "sessions":
		s.sessions(w, r)
	}
}

// route names the operation of a path under /v1/events/{id}/ and the
// method it takes: "event", "sessions", "session", "schedule" (reads);
// "reserve", "cancel", "favorite", "unfavorite", "personal-time" (writes,
// docs/events-api.md "Writes"). The key is empty for a path it does not
// know.
func route(method, sub string) (key, sessionID, allowed string) {
	switch {
	case sub == "":
		return "event", "", http.MethodGet
	case sub == "sessions":
		return "sessions", "", http.MethodGet
	case strings.HasPrefix(sub, "sessions/"):
		return "session", strings.TrimPrefix(sub, "sessions/"), http.MethodGet
	case sub == "schedule":
		return "schedule", "", http.MethodGet
	case sub == "reservations":
		return "reserve", "", http.MethodPost
	case strings.HasPrefix(sub, "reservations/"):
		return "cancel", strings.TrimPrefix(sub, "reservations/"), http.MethodDelete
	case sub == "favorites":
		return "favorite", "", http.MethodPost
	case strings.HasPrefix(sub, "favorites/"):
		return "unfavorite", strings.TrimPrefix(sub, "favorites/"), http.MethodDelete
	case sub == "personal-time":
		return "personal-time", "", http.MethodPost
	}
	return "", "", ""
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

// sessions answers one page of ListSessions. Tokens are opaque to clients;
// here they are "p<page>.<offset>". includeAbstracts=false leaves the
// abstracts out, as the guide describes.
func (s *Server) sessions(w http.ResponseWriter, r *http.Request) {
	offset, pageNo := 0, 0
	if t := r.URL.Query().Get("nextToken"); t != "" {
		p, o, ok := strings.Cut(strings.TrimPrefix(t, "p"), ".")
		var err1, err2 error
		pageNo, err1 = strconv.Atoi(p)
		offset, err2 = strconv.Atoi(o)
		if !ok || err1 != nil || err2 != nil || offset < 0 || offset > len(s.Sessions) {
			message(w, http.StatusBadRequest, "Invalid nextToken")
			return
		}
	}
	if f, ok := s.FailPage[pageNo+1]; ok {
		f.write(w)
		return
	}
	size := DefaultPageSize
	if len(s.PageSizes) > 0 {
		size = s.PageSizes[min(pageNo, len(s.PageSizes)-1)]
	}
	end := min(offset+size, len(s.Sessions))
	items := make([]any, 0, end-offset)
	for _, it := range s.Sessions[offset:end] {
		if ses, ok := it.(Session); ok && r.URL.Query().Get("includeAbstracts") == "false" {
			ses.Abstract = ""
			it = ses
		}
		items = append(items, it)
	}
	body := map[string]any{"items": items, "totalCount": len(s.Sessions)}
	if end < len(s.Sessions) {
		body["nextToken"] = "p" + strconv.Itoa(pageNo+1) + "." + strconv.Itoa(end)
	}
	writeJSON(w, http.StatusOK, body)
}
