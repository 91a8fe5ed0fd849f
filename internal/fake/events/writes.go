package fakeevents

import (
	"encoding/json"
	"io"
	"math"
	"net"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// The writes of the AWS Events API, from the guide's pages as
// docs/events-api.md "Writes" gives them: ReserveSessions and
// AssociateFavorites take {"sessionIds": [1 to 10 distinct ids]} and
// answer {"result": {"successful": [ids], "failed": [{sessionId, code,
// conflictsWith?}]}}, a 200 that can hold failures; CancelReservation and
// DisassociateFavorite answer 204, or 404 when there is nothing to remove;
// CreatePersonalTime takes UTC times without an offset and answers with no
// body. 409 means the operation is closed; 429 carries Retry-After, and a
// refused request spends no quota.

// Write is one write request the fake got.
type Write struct {
	Key        string    // "reserve", "cancel", "favorite", "unfavorite", "personal-time"
	SessionIDs []string  // the ids sent (one for a cancel)
	Status     int       // the status answered; 0 when the connection was dropped
	Done       bool      // whether it was carried out (answered 2xx, or done before a fault)
	Reserved   []string  // the session ids a reservation took a seat for
	At         time.Time // when it arrived, on the fake's clock
}

// DefaultQuotas are the quotas per attendee per minute of the guide's
// Quotas page (docs/events-api.md "Quotas"): sessions for "reserve" and
// "favorite", requests for the others.
var DefaultQuotas = map[string]int{
	"session": 120, "sessions": 60, "schedule": 60, "reserve": 30, "favorite": 30,
}

// OthersQuota is the quota per minute of every other operation.
const OthersQuota = 30

var isWrite = map[string]bool{"reserve": true, "cancel": true, "favorite": true, "unfavorite": true, "personal-time": true}

// failed is one entry of a batch write's "failed".
type failed struct {
	SessionID     string   `json:"sessionId"`
	Code          string   `json:"code"`
	ConflictsWith []string `json:"conflictsWith,omitempty"`
}

// answer is what a write answers: a status and a body, or nothing.
type answer struct {
	status int
	body   any
}

// write serves one write. The schedule changes under the lock; the answer
// is written after it is released, so that a Hold does not stop the fake.
func (s *Server) write(w http.ResponseWriter, r *http.Request, event, key, sessionID string) {
	data, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	s.Lock()
	a, f, rec := s.writeLocked(r, event, key, sessionID, data)
	if f != nil && f.Drop {
		rec.Status = 0
	} else if f != nil {
		rec.Status = f.Status
	}
	s.Writes = append(s.Writes, rec)
	if s.AfterWrite != nil {
		s.AfterWrite(rec)
	}
	s.Unlock()
	if f == nil {
		a.write(w)
		return
	}
	if f.Hold != nil {
		f.Hold()
	}
	if f.Drop {
		drop(w)
		return
	}
	f.write(w)
}

// writeLocked does a write and returns its answer, or the failure queued
// to be given instead.
func (s *Server) writeLocked(r *http.Request, event, key, sessionID string, data []byte) (answer, *Failure, Write) {
	rec := Write{Key: key, At: s.tick()}
	if sessionID != "" {
		rec.SessionIDs = []string{sessionID}
	}
	say := func(status int, msg string) (answer, *Failure, Write) {
		rec.Status = status
		return answer{status, map[string]string{"message": msg}}, nil, rec
	}
	if event != s.Event.EventID {
		return say(http.StatusNotFound, "Event not found: "+event)
	}
	s.Requests[key]++
	s.Auth = append(s.Auth, r.Header.Get("Authorization"))
	var body struct {
		SessionIDs []string `json:"sessionIds"`
	}
	bodyErr := json.Unmarshal(data, &body)
	if key == "reserve" || key == "favorite" {
		rec.SessionIDs = body.SessionIDs
	}
	var f *Failure
	if q := s.Fail[key]; len(q) > 0 {
		s.Fail[key] = q[1:]
		f = &q[0]
		if !f.Done {
			return answer{}, f, rec
		}
	}
	bearer, hasToken := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !hasToken || (s.Token != "" && bearer != s.Token) {
		return say(http.StatusUnauthorized, "Unauthorized")
	}
	closed := s.ReservationsClosed || (!s.OpensAt.IsZero() && rec.At.Before(s.OpensAt))
	if closed && (key == "reserve" || key == "cancel") {
		return say(http.StatusConflict, "Reservations are not open for this event")
	}
	var ids []string
	var pt PersonalTime
	switch key {
	case "reserve", "favorite":
		if bodyErr != nil {
			return say(http.StatusBadRequest, "The request body is not valid JSON")
		}
		ids = body.SessionIDs
		if len(ids) < 1 || len(ids) > 10 {
			return say(http.StatusBadRequest, "sessionIds must hold 1 to 10 session ids")
		}
		if len(slices.Compact(slices.Sorted(slices.Values(ids)))) != len(ids) {
			return say(http.StatusBadRequest, "sessionIds must be distinct")
		}
	case "personal-time":
		var msg string
		if pt, msg = readPersonalTime(data); msg != "" {
			return say(http.StatusBadRequest, msg)
		}
	}
	weight := 1
	if key == "reserve" || key == "favorite" {
		weight = len(ids)
	}
	if wait, ok := s.spend(key, weight); !ok {
		rec.Status = http.StatusTooManyRequests
		return answer{http.StatusTooManyRequests, retryAfter(wait)}, nil, rec
	}
	var a answer
	switch key {
	case "reserve":
		result, took := s.reserve(ids)
		a, rec.Reserved = answer{http.StatusOK, map[string]any{"result": result}}, took
	case "favorite":
		a = answer{http.StatusOK, map[string]any{"result": s.favorite(ids)}}
	case "cancel":
		a = s.remove(&s.Reserved, sessionID, "No reservation for session "+sessionID)
		if a.status == http.StatusNoContent {
			if n, ok := s.Seats[sessionID]; ok {
				s.Seats[sessionID] = n + 1
				s.band(sessionID, "limited")
			}
		}
	case "unfavorite":
		a = s.remove(&s.Favorites, sessionID, "Session "+sessionID+" is not a favorite")
	case "personal-time":
		pt.PersonalTimeID = "pt-" + strconv.Itoa(len(s.PersonalTime)+1)
		s.PersonalTime = append(s.PersonalTime, pt)
		a = answer{status: http.StatusCreated}
	}
	rec.Status, rec.Done = a.status, a.status < 300
	return a, f, rec
}

// retryAfter is a 429's answer: the seconds left in the window.
type retryAfter time.Duration

func (a answer) write(w http.ResponseWriter) {
	if ra, ok := a.body.(retryAfter); ok {
		w.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(time.Duration(ra).Seconds()))))
		message(w, a.status, "Too many requests")
		return
	}
	if a.body == nil {
		w.WriteHeader(a.status)
		return
	}
	writeJSON(w, a.status, a.body)
}

// drop closes the connection with no answer, as a lost answer looks to
// the client.
func drop(w http.ResponseWriter) {
	conn, _, err := w.(http.Hijacker).Hijack()
	if err != nil {
		return
	}
	if tc, ok := conn.(*net.TCPConn); ok {
		_ = tc.SetLinger(0)
	}
	_ = conn.Close()
}

// spend takes weight from key's quota in the current window, or says how
// long until the window ends when it would go over.
func (s *Server) spend(key string, weight int) (time.Duration, bool) {
	now := s.clock()
	win := s.Window
	if win <= 0 {
		win = time.Minute
	}
	if start := now.Truncate(win); !start.Equal(s.window) || s.spent == nil {
		s.window, s.spent = start, map[string]int{}
	}
	limit, ok := s.Quotas[key]
	if !ok {
		limit, ok = DefaultQuotas[key]
	}
	if !ok {
		limit = OthersQuota
	}
	if s.spent[key]+weight > limit {
		return max(s.window.Add(win).Sub(now), time.Second), false
	}
	s.spent[key] += weight
	return 0, true
}

// readSpend is spend for a read, answering the 429 itself.
func (s *Server) readSpend(w http.ResponseWriter, key string) bool {
	wait, ok := s.spend(key, 1)
	if !ok {
		answer{http.StatusTooManyRequests, retryAfter(wait)}.write(w)
	}
	return ok
}

// reserve takes a seat in each session it can, in order.
func (s *Server) reserve(ids []string) (result map[string]any, took []string) {
	ok, bad := []string{}, []failed{}
	for _, id := range ids {
		ses, found := s.session(id)
		start, end, timed := s.interval(ses)
		var clash []string
		if timed {
			clash = s.clashes(start, end)
		}
		switch {
		case !found:
			bad = append(bad, failed{SessionID: id, Code: "other"})
		case s.Refuse[id] != "":
			bad = append(bad, failed{SessionID: id, Code: s.Refuse[id]})
		case slices.Contains(s.Reserved, id):
			bad = append(bad, failed{SessionID: id, Code: "alreadyScheduled"})
		case ses.IsReservable == nil || !*ses.IsReservable || ses.SeatAvailability == "walkUp":
			bad = append(bad, failed{SessionID: id, Code: "sessionNotReservable"})
		case timed && !s.PassedBefore.IsZero() && start.Before(s.PassedBefore):
			bad = append(bad, failed{SessionID: id, Code: "timePassed"})
		case len(clash) > 0:
			bad = append(bad, failed{SessionID: id, Code: "scheduleConflict", ConflictsWith: clash})
		case s.hasSeatCount(id) && s.Seats[id] <= 0:
			bad = append(bad, failed{SessionID: id, Code: "sessionFull"})
		default:
			if s.hasSeatCount(id) {
				s.Seats[id]--
				if s.Seats[id] == 0 {
					s.band(id, "unavailable")
				}
			}
			s.Reserved = append(s.Reserved, id)
			ok = append(ok, id)
		}
	}
	return map[string]any{"successful": ok, "failed": bad}, ok
}

func (s *Server) hasSeatCount(id string) bool {
	_, ok := s.Seats[id]
	return ok
}

// favorite adds each session to the favorites.
func (s *Server) favorite(ids []string) map[string]any {
	ok, bad := []string{}, []failed{}
	for _, id := range ids {
		_, found := s.session(id)
		switch {
		case !found:
			bad = append(bad, failed{SessionID: id, Code: "other"})
		case slices.Contains(s.Favorites, id):
			bad = append(bad, failed{SessionID: id, Code: "alreadyFavorited"})
		default:
			s.Favorites = append(s.Favorites, id)
			ok = append(ok, id)
		}
	}
	return map[string]any{"successful": ok, "failed": bad}
}

func (s *Server) remove(list *[]string, id, missing string) answer {
	i := slices.Index(*list, id)
	if i < 0 {
		return answer{http.StatusNotFound, map[string]string{"message": missing}}
	}
	*list = slices.Delete(*list, i, i+1)
	return answer{status: http.StatusNoContent}
}

func (s *Server) session(id string) (Session, bool) {
	for _, it := range s.Sessions {
		if ses, ok := it.(Session); ok && ses.SessionID == id {
			return ses, true
		}
	}
	return Session{}, false
}

// band sets a session's seatAvailability, as the service's band follows
// the seats left.
func (s *Server) band(id, band string) {
	for i, it := range s.Sessions {
		if ses, ok := it.(Session); ok && ses.SessionID == id && ses.SeatAvailability != "" {
			ses.SeatAvailability = band
			s.Sessions[i] = ses
		}
	}
}

// zone is the event's zone, in which session times are local.
func (s *Server) zone() *time.Location {
	name := s.Event.TimeZone
	if name == "" {
		name = "America/Los_Angeles"
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return time.UTC
	}
	return loc
}

// interval is when a session runs; an all-day session takes its day.
func (s *Server) interval(ses Session) (time.Time, time.Time, bool) {
	st := ses.SessionTime
	if st == nil || st.Date == "" {
		return time.Time{}, time.Time{}, false
	}
	loc := s.zone()
	if ses.IsAllDaySession != nil && *ses.IsAllDaySession {
		day, err := time.ParseInLocation("2006-01-02", st.Date, loc)
		return day, day.AddDate(0, 0, 1), err == nil
	}
	start, err := time.ParseInLocation("2006-01-02 15:04", st.Date+" "+st.Time, loc)
	n, lerr := strconv.Atoi(st.Length)
	if err != nil || lerr != nil || n <= 0 {
		return time.Time{}, time.Time{}, false
	}
	return start, start.Add(time.Duration(n) * time.Minute), true
}

// clashes are the held sessions and personal times that overlap
// [start, end).
func (s *Server) clashes(start, end time.Time) []string {
	var out []string
	for _, id := range s.Reserved {
		ses, _ := s.session(id)
		if a, b, ok := s.interval(ses); ok && a.Before(end) && start.Before(b) {
			out = append(out, id)
		}
	}
	for _, p := range s.PersonalTime {
		a, err1 := time.ParseInLocation(utcLayout, p.StartDateTime, time.UTC)
		b, err2 := time.ParseInLocation(utcLayout, p.EndDateTime, time.UTC)
		if err1 == nil && err2 == nil && a.Before(end) && start.Before(b) {
			out = append(out, p.PersonalTimeID)
		}
	}
	return out
}

// utcLayout is how personal times are written: UTC, no offset.
const utcLayout = "2006-01-02T15:04:05"

// readPersonalTime reads CreatePersonalTime's body; the message says what
// is wrong with it.
func readPersonalTime(data []byte) (PersonalTime, string) {
	var p PersonalTime
	if json.Unmarshal(data, &p) != nil {
		return p, "The request body is not valid JSON"
	}
	a, err1 := time.ParseInLocation(utcLayout, p.StartDateTime, time.UTC)
	b, err2 := time.ParseInLocation(utcLayout, p.EndDateTime, time.UTC)
	switch {
	case err1 != nil || err2 != nil:
		return p, "startDateTime and endDateTime must be UTC times without an offset: YYYY-MM-DDTHH:mm:ss"
	case a.Second() != 0 || b.Second() != 0:
		return p, "seconds must be 00"
	case !a.Before(b) || b.Sub(a)%(5*time.Minute) != 0:
		return p, "the length must be a whole number of 5 minutes"
	case strings.TrimSpace(p.Title) == "":
		return p, "title is required"
	}
	return p, ""
}
