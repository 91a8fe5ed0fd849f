package eventsapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	fakeevents "github.com/reinvent-cli/reinvent/internal/fake/events"
	"github.com/reinvent-cli/reinvent/internal/testenv"
	"github.com/reinvent-cli/reinvent/pkg/catalog"
	"github.com/reinvent-cli/reinvent/pkg/retry"
)

const event = "reinvent2026"

// item is a session as the guide documents it: the length and the level
// are strings.
func item(i int) fakeevents.Session {
	return fakeevents.Session{
		SessionID:    fmt.Sprintf("id-%03d", i),
		Abbreviation: fmt.Sprintf("ARC%d", 300+i),
		Title:        fmt.Sprintf("Session %d", i),
		Level:        "300 - Advanced",
		Venue:        "Venetian",
		Room:         "Level 3 | Lido 3001A",
		SessionTime:  &fakeevents.SessionTime{Date: "2026-12-01", Time: "10:00", Length: "60"},
	}
}

func items(n int) []any {
	l := make([]any, n)
	for i := range l {
		l[i] = item(i)
	}
	return l
}

// sleeper records the delays asked for instead of sleeping.
// sleeper records the waits asked for and moves a clock by them instead
// of waiting; the fake's quota windows follow that clock.
type sleeper struct {
	mu     sync.Mutex
	delays []time.Duration
	slept  time.Duration
}

func (s *sleeper) sleep(_ context.Context, d time.Duration) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.delays = append(s.delays, d)
	s.slept += d
	return nil
}

// now is a clock that starts on a minute and moves only by the waits.
func (s *sleeper) now() time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	return time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC).Add(s.slept)
}

func newCatalog(srv *fakeevents.Server, sl *sleeper) *Catalog {
	srv.Lock()
	srv.Now = sl.now
	srv.Unlock()
	return &Catalog{
		BaseURL: srv.URL,
		HTTP:    srv.Client(),
		Retry:   retry.Policy{Sleep: sl.sleep, Now: sl.now, Jitter: func() float64 { return 0 }},
	}
}

func fetch(t *testing.T, c *Catalog) (*catalog.Catalog, error) {
	t.Helper()
	return c.Fetch(context.Background(), catalog.FetchOptions{Event: event, Location: testenv.Vegas})
}

// TestListSessionsQuota: 250 pages of one session go past ListSessions'
// quota of 60 a minute; the client waits out each minute as Retry-After
// says and gets every session.
func TestListSessionsQuota(t *testing.T) {
	srv := fakeevents.New(event, items(250))
	defer srv.Close()
	srv.PageSizes = []int{1}
	sl := &sleeper{}
	cat, err := fetch(t, newCatalog(srv, sl))
	if err != nil {
		t.Fatal(err)
	}
	if len(cat.Sessions) != 250 || len(sl.delays) != 4 || sl.slept != 4*time.Minute {
		t.Errorf("%d sessions after waits %v; want 250 after 4 waits of a minute", len(cat.Sessions), sl.delays)
	}
}

func TestPaging(t *testing.T) {
	for _, total := range []int{0, 1, 99, 250} {
		for _, sizes := range [][]int{nil, {1}, {3, 0, 7, 100}, {50, 2, 99, 13}} {
			t.Run(fmt.Sprintf("%d/%v", total, sizes), func(t *testing.T) {
				srv := fakeevents.New(event, items(total))
				defer srv.Close()
				srv.PageSizes = sizes
				var progress []int
				c := newCatalog(srv, &sleeper{})
				cat, err := c.Fetch(context.Background(), catalog.FetchOptions{
					Event: event, Location: testenv.Vegas,
					Progress: func(done, tot int) {
						if tot != total {
							t.Errorf("progress total %d, want %d", tot, total)
						}
						progress = append(progress, done)
					},
				})
				if err != nil {
					t.Fatal(err)
				}
				if len(cat.Sessions) != total || cat.Sessions == nil {
					t.Fatalf("got %d sessions (nil %v), want %d", len(cat.Sessions), cat.Sessions == nil, total)
				}
				for i, s := range cat.Sessions {
					if s.SessionID != fmt.Sprintf("id-%03d", i) {
						t.Fatalf("session %d is %s", i, s.SessionID)
					}
				}
				if len(progress) == 0 || progress[len(progress)-1] != total {
					t.Errorf("progress %v", progress)
				}
				if cat.Source != "events-api" || cat.Event != event {
					t.Errorf("source %q event %q", cat.Source, cat.Event)
				}
				if srv.Count("schedule") != 0 {
					t.Error("anonymous fetch asked for the schedule")
				}
			})
		}
	}
}

// fixturePage is testdata/eventsapi/listsessions-page.json: a page written
// by hand in the guide's shapes (docs/events-api.md).
func fixturePage(t *testing.T) []any {
	t.Helper()
	data, err := os.ReadFile("../../../testdata/eventsapi/listsessions-page.json")
	if err != nil {
		t.Fatal(err)
	}
	var p struct{ Items []json.RawMessage }
	if err := json.Unmarshal(data, &p); err != nil {
		t.Fatal(err)
	}
	out := make([]any, len(p.Items))
	for i, it := range p.Items {
		out[i] = it
	}
	return out
}

// TestFixturePage reads a page as the 2026 catalog was served: string
// lengths and levels, no venue for Wynn/Encore and Caesars Palace, a session
// not scheduled yet, seat bands.
func TestFixturePage(t *testing.T) {
	srv := fakeevents.New(event, fixturePage(t))
	defer srv.Close()
	srv.Event.TimeZone = "America/Los_Angeles"
	cat, err := newCatalog(srv, &sleeper{}).Fetch(context.Background(), catalog.FetchOptions{Event: event, Location: time.UTC})
	if err != nil {
		t.Fatal(err)
	}
	if len(cat.Warnings) != 0 {
		t.Errorf("warnings for a page in the documented shape: %q", cat.Warnings)
	}
	la := testenv.Vegas
	at := func(d, h, m int) time.Time { return time.Date(2026, 11, 30, h, m, 0, 0, la).AddDate(0, 0, d) }
	type row struct {
		code, venue, room string
		start             time.Time
		minutes           int
		level             int
		reservable        bool
		band              string
	}
	want := []row{
		{"SVS401", "Venetian", "Level 5 | Palazzo D", at(0, 10, 0), 60, 400, true, "limited"},
		{"ARC302-R", "Wynn", "Level 1 | Latour 2", at(2, 11, 30), 60, 300, true, "available"},
		{"AIM315-R1", "Encore", "Level 1 | Chopin 2", at(3, 13, 0), 120, 300, true, "veryLimited"},
		{"COP327", "Caesars Palace", "Level 3 | Palace 1", at(1, 14, 0), 60, 300, true, "unavailable"},
		{"NET201", "MGM Grand", "Level 1 | Grand Ballroom 122", at(4, 9, 0), 20, 0, false, "walkUp"},
		{"AIM350", "", "", time.Time{}, 0, 300, false, ""},
		{"DEV330", "Wynn/Encore", "Level 2 | Lounge", at(2, 16, 0), 30, 300, false, ""},
		{"GHJ101", "Caesars Forum", "Level 1 | Alliance 314", at(1, 8, 0), 540, 100, false, ""},
	}
	if len(cat.Sessions) != len(want) {
		t.Fatalf("%d sessions, want %d", len(cat.Sessions), len(want))
	}
	for i, w := range want {
		s := cat.Sessions[i]
		got := row{s.Code, s.Venue, s.Room, s.Start, int(s.End.Sub(s.Start) / time.Minute), s.Level, s.Reservable, s.SeatAvailability}
		if !got.start.Equal(w.start) {
			t.Errorf("%s starts %v, want %v", w.code, got.start, w.start)
		}
		got.start = w.start
		if got != w {
			t.Errorf("session %d:\n got %+v\nwant %+v", i, got, w)
		}
	}
	s := cat.Sessions[0]
	if s.Abstract != "Go beyond the basics of AWS Lambda.\nLeave with a checklist." ||
		!slices.Equal(s.Speakers, []string{"Ada Lovelace", "Alan Turing"}) ||
		!slices.Equal(s.Services, []string{"AWS Lambda", "AWS Step Functions"}) ||
		!slices.Equal(s.Roles, []string{"Developer / Engineer"}) || s.Type != "Breakout session" {
		t.Errorf("SVS401: %+v", s)
	}
	if s.Start.Location() != time.UTC {
		t.Errorf("start not in opts.Location: %v", s.Start.Location())
	}
	if a := cat.Sessions[7]; !a.AllDay {
		t.Errorf("GHJ101 is not all day: %+v", a)
	}
}

// TestLoose reads the values the guide allows in other shapes: numbers as
// numbers, times with seconds or AM/PM, a session time zone, an all-day
// session with a date only, a bare session.
func TestLoose(t *testing.T) {
	raw := func(s string) any { return json.RawMessage(s) }
	srv := fakeevents.New(event, []any{
		raw(`{"sessionId":"a","abbreviation":"svs401-r1","level":400,"venue":"Venetian","room":"Level 5 | Palazzo B",
		      "sessionTime":{"date":"2026-12-02","time":"13:30:00","length":45},"status":"Published","embargoed":true}`),
		raw(`{"sessionId":"b","abbreviation":"GPSBUS210","level":"200","sessionTime":{"date":"2026-12-03","time":"9:00 AM","length":"60","timezone":"America/New_York"}}`),
		raw(`{"sessionId":"c","abbreviation":"AIM3315"}`),
		raw(`{"sessionId":"d","abbreviation":"EXP100","isAllDaySession":true,"sessionTime":{"date":"2026-12-04"}}`),
		raw(`{"sessionId":"e","abbreviation":"DAT201","venue":"Wynn/Encore","room":"Wynn/Encore | Encore Ballroom B","isReservable":"true","sessionTime":{"date":"2026-12-01","time":"1:15 pm","length":"30"}}`),
		raw(`{"sessionId":"f","abbreviation":"DAT202","room":"The Venetian | Level 2 | Hall D","speakers":["Plain Name",{"name":"Obj Name"},3]}`),
	})
	defer srv.Close()
	srv.Event.TimeZone = "America/Los_Angeles"
	cat, err := fetch(t, newCatalog(srv, &sleeper{}))
	if err != nil {
		t.Fatal(err)
	}
	if len(cat.Warnings) != 0 {
		t.Errorf("warnings: %q", cat.Warnings)
	}
	la := testenv.Vegas
	ny, _ := time.LoadLocation("America/New_York")
	a := cat.Sessions[0]
	if a.Code != "SVS401-R1" || a.BaseCode != "SVS401" || a.Level != 400 || !a.Embargoed || a.Status != "Published" ||
		!a.Start.Equal(time.Date(2026, 12, 2, 13, 30, 0, 0, la)) || a.End.Sub(a.Start) != 45*time.Minute {
		t.Errorf("numbers as numbers: %+v", a)
	}
	if b := cat.Sessions[1]; !b.Start.Equal(time.Date(2026, 12, 3, 9, 0, 0, 0, ny)) || b.End.Sub(b.Start) != time.Hour || b.Level != 200 {
		t.Errorf("session time zone and AM: %+v", b)
	}
	c := cat.Sessions[2]
	for name, l := range map[string][]string{"tracks": c.Tracks, "topics": c.Topics, "services": c.Services, "roles": c.Roles, "industries": c.Industries, "speakers": c.Speakers} {
		if l == nil || len(l) != 0 {
			t.Errorf("%s = %#v, want []", name, l)
		}
	}
	if c.Scheduled() || c.Level != 0 || len(c.Unreadable) != 0 {
		t.Errorf("bare session: %+v", c)
	}
	if d := cat.Sessions[3]; !d.AllDay || !d.Start.Equal(time.Date(2026, 12, 4, 0, 0, 0, 0, la)) || d.End.Sub(d.Start) != 24*time.Hour {
		t.Errorf("all-day session: %+v", d)
	}
	if e := cat.Sessions[4]; e.Venue != "Encore" || e.Room != "Encore Ballroom B" || !e.Reservable ||
		!e.Start.Equal(time.Date(2026, 12, 1, 13, 15, 0, 0, la)) {
		t.Errorf("pm, venue repeated in the room, reservable as a string: %+v", e)
	}
	if f := cat.Sessions[5]; f.Venue != "Venetian" || f.Room != "Level 2 | Hall D" || !slices.Equal(f.Speakers, []string{"Plain Name", "Obj Name", "3"}) {
		t.Errorf("venue from a room with The: %+v", f)
	}
}

// TestUnreadableSession keeps a session the client cannot read in full as
// not scheduled, says which on the catalog's warnings, and never fails the
// fetch of the others.
func TestUnreadableSession(t *testing.T) {
	raw := func(s string) any { return json.RawMessage(s) }
	srv := fakeevents.New(event, []any{
		item(0),
		raw(`{"sessionId":"x1","abbreviation":"TBA101","title":"Date to come","sessionTime":{"date":"TBA","time":"10:00","length":"60"}}`),
		raw(`{"sessionId":"x2","abbreviation":"NEG101","sessionTime":{"date":"2026-12-01","time":"10:00","length":"-30"}}`),
		raw(`{"sessionId":"x3","abbreviation":"TZ101","sessionTime":{"date":"2026-12-01","time":"10:00","length":"60","timezone":"Mars/Olympus"}}`),
		raw(`{"sessionId":"x4","abbreviation":"TTL101","title":["a"],"level":{"x":1},"sessionTime":{"date":"2026-12-01","time":"25:99","length":"60"}}`),
		raw(`{"sessionId":"x5","title":"no code"}`),
		raw(`"just a string"`),
		item(1),
	})
	defer srv.Close()
	cat, err := fetch(t, newCatalog(srv, &sleeper{}))
	if err != nil {
		t.Fatal(err)
	}
	codes := []string{}
	for _, s := range cat.Sessions {
		codes = append(codes, s.Code)
	}
	if !slices.Equal(codes, []string{"ARC300", "TBA101", "NEG101", "TZ101", "TTL101", "ARC301"}) {
		t.Fatalf("codes %v", codes)
	}
	for _, s := range cat.Sessions[1:5] {
		if s.Scheduled() || !slices.Contains(s.Unreadable, "start") || !slices.Contains(s.Unreadable, "end") {
			t.Errorf("%s: scheduled %v, unreadable %v", s.Code, s.Scheduled(), s.Unreadable)
		}
	}
	if s := cat.Sessions[1]; s.Title != "Date to come" {
		t.Errorf("the rest of a session read in part is kept: %+v", s)
	}
	if s := cat.Sessions[4]; s.Title != "" || !slices.Contains(s.Unreadable, "title") || !slices.Contains(s.Unreadable, "level") {
		t.Errorf("title 5: %+v", s)
	}
	if len(cat.Warnings) != 6 {
		t.Fatalf("warnings %q", cat.Warnings)
	}
	for i, want := range []string{`TBA101: sessionTime: "TBA" is not a date`, `NEG101: sessionTime: length "-30"`,
		`TZ101: sessionTime: unknown time zone "Mars/Olympus"`, `TTL101: title: ["a"] is not text`,
		"page 1, item 6: session x5 has no code (abbreviation); left out", `page 1, item 7: "just a string" is not a session object; left out`} {
		if !strings.Contains(cat.Warnings[i], want) {
			t.Errorf("warning %d = %q, want it to contain %q", i, cat.Warnings[i], want)
		}
	}
}

func TestEventTimeZoneFallback(t *testing.T) {
	srv := fakeevents.New(event, items(1))
	defer srv.Close()
	ny, _ := time.LoadLocation("America/New_York")
	cat, err := newCatalog(srv, &sleeper{}).Fetch(context.Background(), catalog.FetchOptions{Event: event, Location: ny})
	if err != nil {
		t.Fatal(err)
	}
	if s := cat.Sessions[0]; !s.Start.Equal(time.Date(2026, 12, 1, 10, 0, 0, 0, ny)) {
		t.Errorf("start %v, want 10:00 in opts.Location", s.Start)
	}
}

func TestLevel(t *testing.T) {
	for in, want := range map[string]int{
		`"300 - Advanced"`: 300, `"100 – Foundational"`: 100, `"200"`: 200, `400`: 400, `300.0`: 300,
		`"Expert"`: 400, `"intermediate"`: 200, `null`: 0, `""`: 0, `"Keynote"`: 0, `250`: 0,
	} {
		s, why, err := readSession(json.RawMessage(`{"abbreviation":"ARC302","level":`+in+`}`), time.UTC)
		if err != nil || s.Level != want || len(why) != 0 {
			t.Errorf("level %s = %d, %v %v; want %d", in, s.Level, why, err, want)
		}
	}
	s, why, err := readSession(json.RawMessage(`{"abbreviation":"ARC302","level":true}`), time.UTC)
	if err != nil || s.Level != 0 || len(why) != 1 || !slices.Equal(s.Unreadable, []string{"level"}) {
		t.Errorf("level true: %d %v %v %v", s.Level, why, s.Unreadable, err)
	}
}

func TestScheduleMarksStarredAndReserved(t *testing.T) {
	srv := fakeevents.New(event, items(5))
	defer srv.Close()
	srv.Token = "tok"
	srv.Favorites = []string{"id-001", "id-003", "id-999"}
	srv.Reserved = []string{"id-003", "id-004"}
	c := newCatalog(srv, &sleeper{})
	c.Token = func(context.Context, bool) (string, error) { return "tok", nil }
	cat, err := fetch(t, c)
	if err != nil {
		t.Fatal(err)
	}
	var starred, reserved []string
	for _, s := range cat.Sessions {
		if s.Starred {
			starred = append(starred, s.SessionID)
		}
		if s.Reserved {
			reserved = append(reserved, s.SessionID)
		}
	}
	if !slices.Equal(starred, []string{"id-001", "id-003"}) || !slices.Equal(reserved, []string{"id-003", "id-004"}) {
		t.Errorf("starred %v reserved %v", starred, reserved)
	}
	for _, a := range srv.Auth {
		if a != "Bearer tok" {
			t.Errorf("Authorization %q", a)
		}
	}
}

func TestAnonymous(t *testing.T) {
	srv := fakeevents.New(event, items(3))
	defer srv.Close()
	c := newCatalog(srv, &sleeper{})
	c.Token = func(context.Context, bool) (string, error) { return "", nil }
	cat, err := fetch(t, c)
	if err != nil || len(cat.Sessions) != 3 {
		t.Fatalf("%v %v", cat, err)
	}
	for _, a := range srv.Auth {
		if a != "" {
			t.Errorf("anonymous request sent Authorization %q", a)
		}
	}
}

func Test401Anonymous(t *testing.T) {
	srv := fakeevents.New(event, items(3))
	defer srv.Close()
	srv.Token = "needed"
	srv.Event.AuthenticationRequired = true
	cat, err := fetch(t, newCatalog(srv, &sleeper{}))
	if cat != nil || !errors.Is(err, ErrAuth) || !strings.Contains(err.Error(), "run `reinvent login`") {
		t.Fatalf("cat %v err %v", cat, err)
	}
}

func Test401RefreshesOnce(t *testing.T) {
	srv := fakeevents.New(event, items(250))
	defer srv.Close()
	srv.Token = "new"
	var calls []bool
	c := newCatalog(srv, &sleeper{})
	c.Token = func(_ context.Context, fresh bool) (string, error) {
		calls = append(calls, fresh)
		if fresh {
			return "new", nil
		}
		return "expired", nil
	}
	cat, err := fetch(t, c)
	if err != nil || len(cat.Sessions) != 250 {
		t.Fatalf("%v", err)
	}
	if !slices.Equal(calls, []bool{false, true}) {
		t.Errorf("token calls %v, want one fresh", calls)
	}
}

func Test401AfterRefresh(t *testing.T) {
	srv := fakeevents.New(event, items(3))
	defer srv.Close()
	srv.Token = "never"
	n := 0
	c := newCatalog(srv, &sleeper{})
	c.Token = func(context.Context, bool) (string, error) { n++; return "bad", nil }
	cat, err := fetch(t, c)
	if cat != nil || !errors.Is(err, ErrAuth) || !strings.Contains(err.Error(), "reinvent login") || n != 2 {
		t.Fatalf("cat %v err %v token calls %d", cat, err, n)
	}
	if got := srv.Count("event"); got != 2 {
		t.Errorf("%d requests, want 2 (one retry)", got)
	}
}

func Test403NotRegistered(t *testing.T) {
	srv := fakeevents.New(event, items(3))
	defer srv.Close()
	srv.FailNext("sessions", fakeevents.Failure{Status: http.StatusForbidden, Body: `{"message":"User is not registered"}`})
	cat, err := fetch(t, newCatalog(srv, &sleeper{}))
	if cat != nil || !errors.Is(err, ErrAuth) || !strings.Contains(err.Error(), "you are not registered for "+event) {
		t.Fatalf("cat %v err %v", cat, err)
	}
}

func Test403HTML(t *testing.T) {
	srv := fakeevents.New(event, items(3))
	defer srv.Close()
	srv.FailNext("sessions", fakeevents.Failure{Status: http.StatusForbidden, Body: "<html><body>Request blocked</body></html>", ContentType: "text/html"})
	cat, err := fetch(t, newCatalog(srv, &sleeper{}))
	if cat != nil || err == nil || errors.Is(err, ErrAuth) || strings.Contains(err.Error(), "<") || !strings.Contains(err.Error(), "403 Forbidden") {
		t.Fatalf("cat %v err %v", cat, err)
	}
}

func Test429RetryAfter(t *testing.T) {
	srv := fakeevents.New(event, items(250))
	defer srv.Close()
	srv.PageSizes = []int{100}
	srv.FailNext("sessions",
		fakeevents.Failure{Status: http.StatusTooManyRequests, Body: `{"message":"slow down"}`, RetryAfter: "7"},
		fakeevents.Failure{Status: http.StatusTooManyRequests, RetryAfter: "2"})
	sl := &sleeper{}
	cat, err := fetch(t, newCatalog(srv, sl))
	if err != nil || len(cat.Sessions) != 250 {
		t.Fatal(err)
	}
	if !slices.Equal(sl.delays, []time.Duration{7 * time.Second, 2 * time.Second}) {
		t.Errorf("delays %v", sl.delays)
	}
}

func Test5xxThenSuccess(t *testing.T) {
	srv := fakeevents.New(event, items(10))
	defer srv.Close()
	srv.PageSizes = []int{4}
	srv.FailNext("sessions", fakeevents.Failure{Status: http.StatusBadGateway}, fakeevents.Failure{Status: http.StatusServiceUnavailable, Body: "<html>down</html>"})
	sl := &sleeper{}
	cat, err := fetch(t, newCatalog(srv, sl))
	if err != nil || len(cat.Sessions) != 10 || len(sl.delays) != 2 {
		t.Fatalf("%v %v", err, sl.delays)
	}
}

func Test5xxGivesUp(t *testing.T) {
	srv := fakeevents.New(event, items(10))
	defer srv.Close()
	var fs []fakeevents.Failure
	for range 20 {
		fs = append(fs, fakeevents.Failure{Status: http.StatusInternalServerError, Body: "<!DOCTYPE html><html><h1>Internal error</h1></html>", ContentType: "text/html"})
	}
	srv.FailNext("sessions", fs...)
	sl := &sleeper{}
	cat, err := fetch(t, newCatalog(srv, sl))
	if cat != nil || !errors.Is(err, ErrUnavailable) {
		t.Fatalf("cat %v err %v", cat, err)
	}
	if strings.Contains(err.Error(), "<") || strings.Contains(err.Error(), "Internal error") || !strings.Contains(err.Error(), "500 Internal Server Error") {
		t.Errorf("error shows the HTML body or no status: %v", err)
	}
	if got := srv.Count("sessions"); got != 6 {
		t.Errorf("%d attempts, want 6", got)
	}
	if len(sl.delays) != 5 || sl.delays[0] != 250*time.Millisecond || sl.delays[4] != 4*time.Second {
		t.Errorf("delays %v", sl.delays)
	}
}

func TestErrorMessageShown(t *testing.T) {
	srv := fakeevents.New(event, items(1))
	defer srv.Close()
	srv.FailNext("event", fakeevents.Failure{Status: http.StatusNotFound, Body: `{"message":"Event not found"}`})
	_, err := fetch(t, newCatalog(srv, &sleeper{}))
	if err == nil || !strings.Contains(err.Error(), "404 Not Found: Event not found") {
		t.Fatalf("err %v", err)
	}
	srv.FailNext("event", fakeevents.Failure{Status: http.StatusBadRequest})
	_, err = fetch(t, newCatalog(srv, &sleeper{}))
	if err == nil || !strings.HasSuffix(err.Error(), "400 Bad Request") {
		t.Fatalf("err %v", err)
	}
}

func TestTimeoutGivesUp(t *testing.T) {
	srv := fakeevents.New(event, items(1))
	defer srv.Close()
	srv.Close() // connection refused: a transport error
	sl := &sleeper{}
	c := newCatalog(srv, sl)
	c.Retry.Attempts = 3
	cat, err := fetch(t, c)
	if cat != nil || !errors.Is(err, ErrUnavailable) || len(sl.delays) != 2 {
		t.Fatalf("cat %v err %v delays %v", cat, err, sl.delays)
	}
}

// TestBadPage fails the fetch on a page that is not a page: no items, not
// JSON, items not a list. Nothing of the catalog is returned.
func TestBadPage(t *testing.T) {
	for name, body := range map[string]string{
		"no items":        `{"totalCount": 3}`,
		"null items":      `{"items": null, "totalCount": 3}`,
		"items an object": `{"items": {"a": 1}}`,
		"not JSON":        `<html><body>Service Unavailable</body></html>`,
		"a list":          `[1, 2, 3]`,
		"bad total":       `{"items": [], "totalCount": "many"}`,
		"bad token":       `{"items": [], "nextToken": {"x": 1}}`,
	} {
		t.Run(name, func(t *testing.T) {
			srv := fakeevents.New(event, items(3))
			defer srv.Close()
			srv.PageSizes = []int{1}
			srv.FailPage = map[int]fakeevents.Failure{2: {Status: http.StatusOK, Body: body, ContentType: "application/json"}}
			cat, err := fetch(t, newCatalog(srv, &sleeper{}))
			if cat != nil || err == nil || !strings.Contains(err.Error(), "page 2") {
				t.Fatalf("cat %v err %v", cat, err)
			}
			if strings.Contains(err.Error(), "<") {
				t.Errorf("error shows the body: %v", err)
			}
		})
	}
}

// TestWrappedObjects reads GetEvent and GetSchedule wrapped, as the guide
// documents them ({"event": …}, {"schedule": …}), from the fixtures.
func TestWrappedObjects(t *testing.T) {
	evData, err := os.ReadFile("../../../testdata/eventsapi/getevent.json")
	if err != nil {
		t.Fatal(err)
	}
	if tz, err := eventZone(evData); err != nil || tz != "America/Los_Angeles" {
		t.Errorf("event zone %q %v", tz, err)
	}
	schData, err := os.ReadFile("../../../testdata/eventsapi/getschedule.json")
	if err != nil {
		t.Fatal(err)
	}
	sch, err := decodeSchedule(schData)
	if err != nil || len(sch.Reserved) != 1 || len(sch.Favorites) != 2 || !sch.Favorites["b7a1c0de-0003-4e2f-9a55-3f1f0c2b7a03"] {
		t.Errorf("schedule %+v %v", sch, err)
	}
	for _, bad := range []string{`{"schedule": []}`, `{"schedule": {"favorites": "all"}}`, `nope`} {
		if _, err := decodeSchedule([]byte(bad)); err == nil {
			t.Errorf("schedule %s accepted", bad)
		}
	}
}

// TestEventTimeZone reads session times in the event's zone from GetEvent,
// wrapped as documented; an unknown zone is a warning, not a failure.
func TestEventTimeZone(t *testing.T) {
	ny, _ := time.LoadLocation("America/New_York")
	for tz, want := range map[string]*time.Location{"America/New_York": ny, "Nowhere/Else": time.UTC} {
		srv := fakeevents.New(event, items(1))
		srv.Event.TimeZone = tz
		cat, err := newCatalog(srv, &sleeper{}).Fetch(context.Background(), catalog.FetchOptions{Event: event, Location: time.UTC})
		srv.Close()
		if err != nil {
			t.Fatal(err)
		}
		if s := cat.Sessions[0]; !s.Start.Equal(time.Date(2026, 12, 1, 10, 0, 0, 0, want)) {
			t.Errorf("event zone %s: start %v", tz, s.Start)
		}
		if (want == time.UTC) != (len(cat.Warnings) == 1) {
			t.Errorf("event zone %s: warnings %q", tz, cat.Warnings)
		}
	}
}

func TestRetryAfterDate(t *testing.T) {
	now := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	if d := retry.ParseRetryAfter(now.Add(30*time.Second).Format(http.TimeFormat), now); d != 30*time.Second {
		t.Errorf("got %v", d)
	}
	if d := retry.ParseRetryAfter("junk", now); d != 0 {
		t.Errorf("got %v", d)
	}
}

func FuzzDecodePage(f *testing.F) {
	f.Add([]byte(`{"items":[{"sessionId":"a","abbreviation":"ARC302","level":"300 - Advanced","sessionTime":{"date":"2026-12-01","time":"10:00","length":"60"}}],"totalCount":1}`))
	f.Add([]byte(`{"items":[],"totalCount":0,"nextToken":"x"}`))
	f.Add([]byte(`{"items":[{"abbreviation":"X1","speakers":[{"name":"A"},"B",3],"venue":{"name":"Wynn"},"level":300,"room":"Wynn/Encore | Latour 1"}]}`))
	f.Add([]byte(`{"items":[{"abbreviation":"X1","sessionTime":{"date":"TBA","time":"1:00 pm","length":-5}}]}`))
	f.Add([]byte(`<html></html>`))
	f.Add([]byte(`{"items":null,"totalCount":-1}`))
	loc := time.UTC
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := decodePage(data)
		if err != nil {
			if p != nil {
				t.Fatal("page with an error")
			}
			return
		}
		if p.TotalCount < 0 {
			t.Fatal("negative total accepted")
		}
		for _, it := range p.Items {
			s, _, err := readSession(it, loc)
			if err != nil {
				continue
			}
			if s.Code == "" {
				t.Fatal("a session without a code")
			}
			if s.Tracks == nil || s.Speakers == nil || s.Industries == nil {
				t.Fatal("nil list")
			}
			if s.Level != 0 && (s.Level < 100 || s.Level > 400) {
				t.Fatalf("level %d", s.Level)
			}
			if s.End.Before(s.Start) {
				t.Fatal("end before start")
			}
			for _, v := range []string{s.Title, s.Room, s.Venue, s.Abstract} {
				if strings.ContainsAny(v, "\x1b\u009b\u202e") {
					t.Fatalf("control character kept in %q", v)
				}
			}
		}
	})
}

// TestHostNotFound fails at once, without retries, when the API's host
// does not resolve, and says to try the sample.
func TestHostNotFound(t *testing.T) {
	dials := 0
	c := &Catalog{
		BaseURL: "https://api.awsevents.invalid",
		HTTP: &http.Client{Transport: &http.Transport{DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			dials++
			return nil, &net.DNSError{Err: "no such host", Name: "api.awsevents.invalid", IsNotFound: true}
		}}},
		Retry: retry.Policy{Sleep: (&sleeper{}).sleep},
	}
	cat, err := fetch(t, c)
	if cat != nil || !errors.Is(err, ErrUnavailable) || !strings.Contains(err.Error(), "--source sample") || dials != 1 {
		t.Fatalf("cat %v, err %v, %d dials; want one dial and an error suggesting --source sample", cat, err, dials)
	}
}
