package fakeevents

import (
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

// clockAt gives a fake a clock a test moves by hand.
type clockAt struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clockAt) now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clockAt) set(t time.Time) { c.mu.Lock(); defer c.mu.Unlock(); c.t = t }

// TestOpensAt: before OpensAt on the fake's clock a reservation and a
// cancel get 409 and spend no quota; from OpensAt on they are served.
// Every answer's Date is the fake's clock, and each write records when it
// came.
func TestOpensAt(t *testing.T) {
	s := world(t)
	open := time.Date(2026, 10, 8, 17, 0, 0, 0, time.UTC)
	clock := &clockAt{t: open.Add(-3 * time.Second)}
	s.Now, s.OpensAt = clock.now, open
	s.Quotas = map[string]int{"reserve": 2}

	for range 3 {
		if _, st := reserve(t, s, "a1", "b1"); st != http.StatusConflict {
			t.Fatalf("reserve before the opening: status %d, want 409", st)
		}
	}
	if st, _, _ := call(t, s, http.MethodDelete, "/reservations/a1", ""); st != http.StatusConflict {
		t.Fatalf("cancel before the opening: status %d, want 409", st)
	}
	req, _ := http.NewRequest(http.MethodGet, s.URL+"/v1/events/reinvent2026/schedule", nil)
	req.Header.Set("Authorization", "Bearer t")
	resp, err := s.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if got, want := resp.Header.Get("Date"), "Thu, 08 Oct 2026 16:59:57 GMT"; got != want {
		t.Errorf("Date = %q, want the fake's clock %q", got, want)
	}

	clock.set(open)
	r, st := reserve(t, s, "a1", "b1")
	if st != http.StatusOK || len(r.Result.Successful) != 2 {
		t.Fatalf("reserve at the opening: status %d, %+v; want both held (the 409s spent no quota)", st, r)
	}
	if w := s.Writes[len(s.Writes)-1]; !w.At.Equal(open) {
		t.Errorf("the write's time = %v, want %v", w.At, open)
	}
	if w := s.Writes[0]; !w.At.Equal(open.Add(-3*time.Second)) || w.Status != http.StatusConflict {
		t.Errorf("the first write = %+v, want a 409 at %v", w, open.Add(-3*time.Second))
	}
}

// TestSeatScript: other attendees take the last seat of b1 and give one
// back later; the band and the seats follow the script on the fake's
// clock, whatever the request.
func TestSeatScript(t *testing.T) {
	s := world(t)
	t0 := time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC)
	clock := &clockAt{t: t0}
	s.Now = clock.now
	s.SeatScript = []SeatChange{
		{At: t0.Add(time.Minute), SessionID: "b1", Seats: 0, Band: "unavailable"},
		{At: t0.Add(2 * time.Minute), SessionID: "b1", Seats: 1, Band: "limited"},
	}
	band := func() string {
		_, body, _ := call(t, s, http.MethodGet, "/sessions/b1", "")
		_, after, _ := strings.Cut(body, `"seatAvailability":"`)
		b, _, _ := strings.Cut(after, `"`)
		return b
	}
	if b := band(); b != "available" {
		t.Fatalf("band before the script = %q", b)
	}
	clock.set(t0.Add(time.Minute))
	if r, _ := reserve(t, s, "b1"); r.failures() != "b1:sessionFull" {
		t.Fatalf("after the last seat was taken: %q, want b1:sessionFull", r.failures())
	}
	if b := band(); b != "unavailable" {
		t.Errorf("band = %q, want unavailable", b)
	}
	clock.set(t0.Add(3 * time.Minute))
	if b := band(); b != "limited" {
		t.Errorf("band after a seat came back = %q, want limited", b)
	}
	if r, _ := reserve(t, s, "b1"); len(r.Result.Successful) != 1 {
		t.Fatalf("the seat given back: %+v, want it held", r)
	}
	if b := band(); b != "unavailable" {
		t.Errorf("band after taking the one seat = %q, want unavailable", b)
	}
}
