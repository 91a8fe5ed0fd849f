package main

import (
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	fakeevents "github.com/reinvent-cli/reinvent/internal/fake/events"
)

// seats is the reservation side of the AWS Events API, in the shapes of the
// guide's ReserveSessions and CancelReservation pages (docs/events-api.md,
// docs/reserve.md), over the catalog fake: POST
// /v1/events/{event}/reservations {"sessionIds"} answers {"result":
// {"successful", "failed": [{sessionId, code}]}}; DELETE
// .../reservations/{id} answers 204 or 404. Held seats are the fake's
// Reserved, which GetSchedule serves.
type seats struct {
	fake *fakeevents.Server
	mu   sync.Mutex
	left map[string]int // seats left per session id
	// loseNext makes the next reservation happen and its answer get lost.
	loseNext bool
	// closed answers 409.
	closed bool
	sent   [][]string
}

func (s *seats) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	const path = "/v1/events/reinvent2026/reservations"
	if r.Method != http.MethodPost || r.URL.Path != path {
		s.fake.Config.Handler.ServeHTTP(w, r)
		return
	}
	var body struct {
		SessionIDs []string `json:"sessionIds"`
	}
	data, _ := io.ReadAll(r.Body)
	if json.Unmarshal(data, &body) != nil || len(body.SessionIDs) < 1 || len(body.SessionIDs) > 10 {
		w.WriteHeader(http.StatusBadRequest)
		io.WriteString(w, `{"message":"sessionIds must hold 1 to 10 ids"}`)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sent = append(s.sent, body.SessionIDs)
	if s.closed {
		w.WriteHeader(http.StatusConflict)
		io.WriteString(w, `{"message":"Reservations are not open"}`)
		return
	}
	type failure struct {
		SessionID string `json:"sessionId"`
		Code      string `json:"code"`
	}
	res := struct {
		Successful []string  `json:"successful"`
		Failed     []failure `json:"failed"`
	}{Successful: []string{}, Failed: []failure{}}
	s.fake.Lock()
	for _, id := range body.SessionIDs {
		switch {
		case slices.Contains(s.fake.Reserved, id):
			res.Failed = append(res.Failed, failure{id, "alreadyScheduled"})
		case s.left[id] <= 0:
			res.Failed = append(res.Failed, failure{id, "sessionFull"})
		default:
			s.left[id]--
			s.fake.Reserved = append(s.fake.Reserved, id)
			res.Successful = append(res.Successful, id)
		}
	}
	s.fake.Unlock()
	if s.loseNext {
		s.loseNext = false
		conn, _, err := w.(http.Hijacker).Hijack()
		if err == nil {
			conn.(*net.TCPConn).SetLinger(0)
			conn.Close()
		}
		return
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]any{"result": res})
}

// writes returns the reservation requests sent so far.
func (s *seats) writes() [][]string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.sent)
}

// set changes the seats' faults under their lock.
func (s *seats) set(f func(*seats)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f(s)
}

// reserveWorld is the events fake with reservable sessions, seats, and a
// signed-in store.
func reserveWorld(t *testing.T) (*seats, []string) {
	t.Helper()
	yes := true
	at := func(id, code, date, clock string) fakeevents.Session {
		s := sessionAt(id, code, "Title of "+code, "Venetian", "Level 2 | Hall "+code, date, clock, "60")
		s.IsReservable, s.SeatAvailability = &yes, "available"
		return s
	}
	walk := at("w1", "AIM315", "2026-12-02", "13:00")
	walk.SeatAvailability = "walkUp"
	fake := fakeevents.New("reinvent2026", []any{
		at("a1", "SVS401", "2026-12-01", "09:00"), at("a2", "SVS401-R", "2026-12-01", "13:00"),
		at("b1", "ARC302", "2026-12-01", "11:00"), at("c1", "DAT301", "2026-11-30", "10:00"), walk,
	})
	fake.Lock()
	fake.Event.TimeZone = "America/Los_Angeles"
	fake.Reserved = []string{"c1"} // DAT301 is held already
	fake.Unlock()
	s := &seats{fake: fake, left: map[string]int{"a1": 0, "a2": 5, "b1": 5, "c1": 5}}
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	t.Cleanup(fake.Close)
	db := filepath.Join(t.TempDir(), "reinvent.db")
	tokens := `{"access_token":"at-e2e","refresh_token":"rt-e2e"}`
	if err := os.WriteFile(filepath.Join(filepath.Dir(db), "events-api-tokens.json"), []byte(tokens), 0o600); err != nil {
		t.Fatal(err)
	}
	return s, []string{"--events-api-url", srv.URL, "--db", db}
}

// TestReserveEndToEnd: a dry run writes nothing; without a terminal and
// --yes it is a dry run too; with --yes a full instance falls back to its
// repeat, the held seat and the walk-up are reported, and no session is
// sent twice, even when an answer is lost.
func TestReserveEndToEnd(t *testing.T) {
	s, args := reserveWorld(t)
	codes := []string{"SVS401", "ARC302", "DAT301", "AIM315"}
	out, errOut, code := run(t, append(append([]string{"reserve", "--dry-run"}, codes...), args...)...)
	if code != 0 || !strings.HasPrefix(out, "Dry run: would reserve 2 sessions; 1 already held, 1 walk-up") || len(s.writes()) != 0 {
		t.Fatalf("dry run: exit %d, %d writes\n%s%s", code, len(s.writes()), out, errOut)
	}
	out, errOut, code = run(t, append(append([]string{"reserve"}, codes...), args...)...)
	if code != 0 || !strings.Contains(errOut, "no --yes: nothing is reserved") || len(s.writes()) != 0 {
		t.Fatalf("without a terminal or --yes: exit %d, %d writes\n%s%s", code, len(s.writes()), out, errOut)
	}

	s.set(func(s *seats) { s.loseNext = true }) // the first answer is lost after the seats are taken
	out, errOut, code = run(t, append(append([]string{"reserve", "--yes", "--format", "json"}, codes...), args...)...)
	if code != 0 {
		t.Fatalf("reserve: exit %d\n%s%s", code, out, errOut)
	}
	var rep struct {
		Reserved    []struct{ Code, Session, From string } `json:"reserved"`
		AlreadyHeld []struct{ Session string }             `json:"already_held"`
		WalkUp      []struct{ Session string }             `json:"walk_up"`
		NotHeld     []struct{ Code, Reason string }        `json:"not_held"`
		Reconciled  int                                    `json:"reconciled"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	var got []string
	for _, r := range rep.Reserved {
		got = append(got, r.Session+"<"+r.From)
	}
	slices.Sort(got)
	if strings.Join(got, " ") != "ARC302< SVS401-R<SVS401" || len(rep.AlreadyHeld) != 1 || len(rep.WalkUp) != 1 || len(rep.NotHeld) != 0 || rep.Reconciled != 1 {
		t.Errorf("report: reserved %v, held %v, walk-up %v, not held %v, reconciled %d\n%s", got, rep.AlreadyHeld, rep.WalkUp, rep.NotHeld, rep.Reconciled, errOut)
	}
	seen := map[string]bool{}
	for _, w := range s.writes() {
		for _, id := range w {
			if seen[id] {
				t.Errorf("session %s sent twice: %v", id, s.writes())
			}
			seen[id] = true
		}
	}
	if seen["w1"] || seen["c1"] {
		t.Errorf("a walk-up or held session was sent: %v", s.writes())
	}
	s.fake.Lock()
	held := slices.Clone(s.fake.Reserved)
	s.fake.Unlock()
	slices.Sort(held)
	if strings.Join(held, " ") != "a2 b1 c1" {
		t.Errorf("the account holds %v", held)
	}

	// Run again: everything is held, nothing is sent.
	before := len(s.writes())
	if out, errOut, code = run(t, append(append([]string{"reserve", "--yes"}, codes...), args...)...); code != 0 || len(s.writes()) != before {
		t.Errorf("second run: exit %d, %d new writes\n%s%s", code, len(s.writes())-before, out, errOut)
	}

	// schedule knows what is held: SVS401 is planned at its held repeat.
	if out, errOut, code = run(t, append([]string{"schedule", "SVS401", "--format", "json"}, args...)...); code != 0 || !strings.Contains(out, `"session": "SVS401-R"`) {
		t.Errorf("schedule around held seats: exit %d\n%s%s", code, out, errOut)
	}
}

// TestReserveClosed: a 409 exits 1 with one line.
func TestReserveClosed(t *testing.T) {
	s, args := reserveWorld(t)
	s.set(func(s *seats) { s.closed = true })
	_, errOut, code := run(t, append([]string{"reserve", "--yes", "ARC302"}, args...)...)
	if code != 1 || !strings.Contains(errOut, "reservations are not open for this event") || strings.Count(strings.TrimSpace(errOut), "\n") > 0 {
		t.Errorf("exit %d, stderr %q; want 1 and one line", code, errOut)
	}
}
