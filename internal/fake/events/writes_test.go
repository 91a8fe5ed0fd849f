package fakeevents

import (
	"encoding/json"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"
)

// world is a fake with three sessions on one morning (a1 and a2 overlap),
// a walk-up, and a signed-in client.
func world(t *testing.T) *Server {
	t.Helper()
	yes := true
	at := func(id, clock string) Session {
		return Session{SessionID: id, Abbreviation: strings.ToUpper(id) + "01", IsReservable: &yes, SeatAvailability: "available",
			SessionTime: &SessionTime{Date: "2026-12-01", Time: clock, Length: "60"}}
	}
	walk := at("w1", "15:00")
	walk.SeatAvailability = "walkUp"
	s := New("reinvent2026", []any{at("a1", "09:00"), at("a2", "09:30"), at("b1", "11:00"), walk})
	s.Event.TimeZone = "America/Los_Angeles"
	t.Cleanup(s.Close)
	return s
}

// call sends a request with a bearer token and returns the status, the
// body and Retry-After.
func call(t *testing.T, s *Server, method, path, body string) (int, string, string) {
	t.Helper()
	req, _ := http.NewRequest(method, s.URL+"/v1/events/reinvent2026"+path, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer t")
	resp, err := s.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(data), resp.Header.Get("Retry-After")
}

type result struct {
	Result struct {
		Successful []string `json:"successful"`
		Failed     []struct {
			SessionID     string   `json:"sessionId"`
			Code          string   `json:"code"`
			ConflictsWith []string `json:"conflictsWith"`
		} `json:"failed"`
	} `json:"result"`
}

func reserve(t *testing.T, s *Server, ids ...string) (result, int) {
	t.Helper()
	b, _ := json.Marshal(map[string][]string{"sessionIds": ids})
	st, body, _ := call(t, s, http.MethodPost, "/reservations", string(b))
	var r result
	if st == http.StatusOK {
		if err := json.Unmarshal([]byte(body), &r); err != nil {
			t.Fatalf("%v: %s", err, body)
		}
	}
	return r, st
}

// failures are a result's failures as "id:code[:conflicts]".
func (r result) failures() string {
	var out []string
	for _, f := range r.Result.Failed {
		out = append(out, f.SessionID+":"+f.Code+strings.Join(append([]string{""}, f.ConflictsWith...), ":"))
	}
	return strings.Join(out, " ")
}

// TestReserve: seats run out, clashes come from what is held and from
// personal time, a repeat is alreadyScheduled, a walk-up is not
// reservable, and the schedule shows what was taken.
func TestReserve(t *testing.T) {
	s := world(t)
	s.Seats = map[string]int{"b1": 1}
	s.PersonalTime = []PersonalTime{{PersonalTimeID: "pt-lunch", StartDateTime: "2026-12-01T20:00:00", EndDateTime: "2026-12-01T21:00:00", Title: "Lunch"}}
	r, st := reserve(t, s, "a1", "a2", "b1", "w1", "zz")
	if st != http.StatusOK || strings.Join(r.Result.Successful, " ") != "a1 b1" ||
		r.failures() != "a2:scheduleConflict:a1 w1:sessionNotReservable zz:other" {
		t.Errorf("status %d, successful %v, failed %s", st, r.Result.Successful, r.failures())
	}
	if r, _ = reserve(t, s, "a1"); r.failures() != "a1:alreadyScheduled" {
		t.Errorf("a repeat: %s", r.failures())
	}
	// The seat is given back by a cancel and taken by someone else.
	if st, _, _ := call(t, s, http.MethodDelete, "/reservations/b1", ""); st != http.StatusNoContent {
		t.Errorf("cancel: %d", st)
	}
	if st, _, _ := call(t, s, http.MethodDelete, "/reservations/b1", ""); st != http.StatusNotFound {
		t.Errorf("cancel again: %d, want 404", st)
	}
	s.Lock()
	s.Seats["b1"] = 0
	s.Unlock()
	if r, _ = reserve(t, s, "b1"); r.failures() != "b1:sessionFull" {
		t.Errorf("no seat left: %s", r.failures())
	}
	// Personal time at 12:00 Las Vegas (20:00 UTC) blocks a session then.
	s.Lock()
	s.Sessions = append(s.Sessions, Session{SessionID: "c1", IsReservable: new(true), SessionTime: &SessionTime{Date: "2026-12-01", Time: "12:30", Length: "60"}})
	s.Unlock()
	if r, _ = reserve(t, s, "c1"); r.failures() != "c1:scheduleConflict:pt-lunch" {
		t.Errorf("over personal time: %s", r.failures())
	}
	st, body, _ := call(t, s, http.MethodGet, "/schedule", "")
	if st != http.StatusOK || !strings.Contains(body, `"reserved":["a1"]`) {
		t.Errorf("schedule: %d %s", st, body)
	}
}

// TestWriteShapes: 1 to 10 distinct ids, a 409 while reservations are
// closed, a sign-in needed, favorites like reservations.
func TestWriteShapes(t *testing.T) {
	s := world(t)
	for _, body := range []string{`{"sessionIds":[]}`, `{"sessionIds":["a1","a1"]}`, `{"sessionIds":["1","2","3","4","5","6","7","8","9","10","11"]}`, `not json`} {
		if st, msg, _ := call(t, s, http.MethodPost, "/reservations", body); st != http.StatusBadRequest || !strings.Contains(msg, `"message"`) {
			t.Errorf("%s: %d %s, want 400 with a message", body, st, msg)
		}
	}
	s.ReservationsClosed = true
	if _, st := reserve(t, s, "a1"); st != http.StatusConflict {
		t.Errorf("closed: %d, want 409", st)
	}
	st, body, _ := call(t, s, http.MethodPost, "/favorites", `{"sessionIds":["a1","a2"]}`)
	if st != http.StatusOK || !strings.Contains(body, `"successful":["a1","a2"]`) {
		t.Errorf("favorites while reservations are closed: %d %s", st, body)
	}
	st, body, _ = call(t, s, http.MethodPost, "/favorites", `{"sessionIds":["a1"]}`)
	if !strings.Contains(body, `"code":"alreadyFavorited"`) {
		t.Errorf("favorite again: %d %s", st, body)
	}
	if st, _, _ := call(t, s, http.MethodDelete, "/favorites/b1", ""); st != http.StatusNotFound {
		t.Errorf("unfavorite what is not a favorite: %d", st)
	}
	req, _ := http.NewRequest(http.MethodPost, s.URL+"/v1/events/reinvent2026/favorites", strings.NewReader(`{"sessionIds":["b1"]}`))
	if resp, err := s.Client().Do(req); err != nil || resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("no sign-in: %v %v", resp.StatusCode, err)
	}
}

// TestQuota: 30 sessions a minute; the request that would go over is
// refused with Retry-After and spends nothing; the next minute is new.
func TestQuota(t *testing.T) {
	s := world(t)
	now := time.Date(2026, 12, 1, 8, 0, 40, 0, time.UTC)
	s.Now = func() time.Time { return now }
	var many []any
	for i := range 40 {
		many = append(many, Session{SessionID: "q" + string(rune('A'+i)), IsReservable: new(true)})
	}
	s.Sessions = append(s.Sessions, many...)
	ids := func(from, to int) []string {
		var out []string
		for i := from; i < to; i++ {
			out = append(out, "q"+string(rune('A'+i)))
		}
		return out
	}
	for _, b := range [][]string{ids(0, 10), ids(10, 20), ids(20, 25)} {
		if _, st := reserve(t, s, b...); st != http.StatusOK {
			t.Fatalf("within the quota: %d", st)
		}
	}
	b, _ := json.Marshal(map[string][]string{"sessionIds": ids(25, 35)})
	st, body, ra := call(t, s, http.MethodPost, "/reservations", string(b))
	if st != http.StatusTooManyRequests || ra != "20" || !strings.Contains(body, `"message"`) {
		t.Errorf("over the quota: %d, Retry-After %q, %s; want 429, 20", st, ra, body)
	}
	// Refused, it spent nothing: 5 more still fit this minute.
	if r, st := reserve(t, s, ids(25, 30)...); st != http.StatusOK || len(r.Result.Successful) != 5 {
		t.Errorf("the 5 left in the minute: %d %v", st, r.Result.Successful)
	}
	now = now.Add(20 * time.Second)
	if _, st := reserve(t, s, ids(30, 40)...); st != http.StatusOK {
		t.Errorf("the next minute: %d", st)
	}
	s.Lock()
	n := len(s.Reserved)
	s.Unlock()
	if n != 40 {
		t.Errorf("%d held, want 40", n)
	}
}

// TestLostAnswer: the write happens and the connection drops; a 503
// queued without Done changes nothing; Hold stops the answer.
func TestLostAnswer(t *testing.T) {
	s := world(t)
	arrived, release := make(chan struct{}), make(chan struct{})
	s.FailNext("reserve", Failure{Done: true, Drop: true},
		Failure{Status: http.StatusServiceUnavailable},
		Failure{Done: true, Status: http.StatusInternalServerError, Hold: func() { close(arrived); <-release }})
	b, _ := json.Marshal(map[string][]string{"sessionIds": {"a1"}})
	req, _ := http.NewRequest(http.MethodPost, s.URL+"/v1/events/reinvent2026/reservations", strings.NewReader(string(b)))
	req.Header.Set("Authorization", "Bearer t")
	if _, err := s.Client().Do(req); err == nil {
		t.Fatalf("a dropped answer came: %v", err)
	}
	if _, st := reserve(t, s, "b1"); st != http.StatusServiceUnavailable {
		t.Errorf("503: %d", st)
	}
	done := make(chan int)
	go func() { _, st := reserve(t, s, "w1", "b1"); done <- st }()
	<-arrived
	// While the answer is held, the fake answers other requests.
	if st, body, _ := call(t, s, http.MethodGet, "/schedule", ""); st != http.StatusOK || !strings.Contains(body, `"reserved":["a1","b1"]`) {
		t.Errorf("schedule while an answer is held: %d %s", st, body)
	}
	close(release)
	if st := <-done; st != http.StatusInternalServerError {
		t.Errorf("held answer: %d", st)
	}
	var log []string
	s.Lock()
	for _, w := range s.Writes {
		log = append(log, strings.Join(w.SessionIDs, ",")+"/"+map[bool]string{true: "done", false: "not"}[w.Done])
	}
	s.Unlock()
	if want := []string{"a1/done", "b1/not", "w1,b1/done"}; !slices.Equal(log, want) {
		t.Errorf("writes %v, want %v", log, want)
	}
}

// TestPersonalTime: UTC without an offset, seconds 00, whole 5 minutes.
func TestPersonalTime(t *testing.T) {
	s := world(t)
	for body, want := range map[string]int{
		`{"startDateTime":"2026-12-01T20:00:00","endDateTime":"2026-12-01T20:45:00","title":"Lunch"}`:     http.StatusCreated,
		`{"startDateTime":"2026-12-01T20:00:00Z","endDateTime":"2026-12-01T20:45:00","title":"Lunch"}`:    http.StatusBadRequest,
		`{"startDateTime":"2026-12-01T20:00:00","endDateTime":"2026-12-01T20:42:00","title":"Lunch"}`:     http.StatusBadRequest,
		`{"startDateTime":"2026-12-01T20:00:30","endDateTime":"2026-12-01T20:45:30","title":"Lunch"}`:     http.StatusBadRequest,
		`{"startDateTime":"2026-12-01T20:00:00","endDateTime":"2026-12-01T19:00:00","title":"Backwards"}`: http.StatusBadRequest,
	} {
		if st, _, _ := call(t, s, http.MethodPost, "/personal-time", body); st != want {
			t.Errorf("%s: %d, want %d", body, st, want)
		}
	}
	if _, body, _ := call(t, s, http.MethodGet, "/schedule", ""); !strings.Contains(body, `"personalTimeId":"pt-1"`) {
		t.Errorf("schedule: %s", body)
	}
}
