package eventsapi

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/reinvent-cli/reinvent/internal/fakeevents"
	"github.com/reinvent-cli/reinvent/pkg/catalog"
	"github.com/reinvent-cli/reinvent/pkg/catalog/portal"
)

const event = "reinvent2026"

func vegas(t *testing.T) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("America/Los_Angeles")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func item(i int) map[string]any {
	return map[string]any{
		"sessionId":    fmt.Sprintf("id-%03d", i),
		"abbreviation": fmt.Sprintf("ARC%d", 300+i),
		"title":        fmt.Sprintf("Session %d", i),
		"level":        "300 - Advanced",
		"sessionTime":  map[string]any{"date": "2026-12-01", "time": "10:00", "length": 60},
	}
}

func items(n int) []map[string]any {
	l := make([]map[string]any, n)
	for i := range l {
		l[i] = item(i)
	}
	return l
}

// sleeper records the delays asked for instead of sleeping.
type sleeper struct {
	mu     sync.Mutex
	delays []time.Duration
}

func (s *sleeper) sleep(_ context.Context, d time.Duration) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.delays = append(s.delays, d)
	return nil
}

func newCatalog(srv *fakeevents.Server, sl *sleeper) *Catalog {
	return &Catalog{
		BaseURL: srv.URL,
		HTTP:    srv.Client(),
		Retry:   portal.Retry{Sleep: sl.sleep, Jitter: func() float64 { return 0 }},
	}
}

func fetch(t *testing.T, c *Catalog) (*catalog.Catalog, error) {
	t.Helper()
	return c.Fetch(context.Background(), catalog.FetchOptions{Event: event, Location: vegas(t)})
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
					Event: event, Location: vegas(t),
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

func TestMapping(t *testing.T) {
	full := map[string]any{
		"sessionId":        "abc-1",
		"abbreviation":     "svs401-r1",
		"title":            "Serverless",
		"abstract":         "Deep dive.",
		"type":             "Breakout session",
		"level":            "400 - Expert",
		"venue":            "Venetian",
		"room":             "Palazzo B",
		"isAllDaySession":  false,
		"sessionTime":      map[string]any{"date": "2026-12-02", "time": "13:30", "length": 45},
		"speakers":         []any{map[string]any{"name": "Ada Lovelace"}, map[string]any{"name": "Alan Turing"}},
		"tracks":           []any{"Serverless"},
		"topics":           []any{"Compute"},
		"services":         []any{"AWS Lambda", "Amazon SQS"},
		"roles":            []any{"Developer"},
		"industries":       []any{"Retail"},
		"status":           "Published",
		"embargoed":        true,
		"someUnknownField": 7,
	}
	tz := map[string]any{
		"sessionId": "abc-2", "abbreviation": "GPSBUS210", "level": 200,
		"sessionTime": map[string]any{"date": "2026-12-03", "time": "09:00", "length": 60, "timezone": "America/New_York"},
	}
	bare := map[string]any{"sessionId": "abc-3", "abbreviation": "AIM3315"}
	allDay := map[string]any{
		"sessionId": "abc-4", "abbreviation": "EXP100", "isAllDaySession": true,
		"sessionTime": map[string]any{"date": "2026-12-04"},
	}
	srv := fakeevents.New(event, []map[string]any{full, tz, bare, allDay})
	defer srv.Close()
	srv.TimeZone = "America/Los_Angeles"
	c := newCatalog(srv, &sleeper{})
	cat, err := c.Fetch(context.Background(), catalog.FetchOptions{Event: event, Location: time.UTC})
	if err != nil {
		t.Fatal(err)
	}
	la := vegas(t)
	start := time.Date(2026, 12, 2, 13, 30, 0, 0, la)
	want := catalog.Session{
		Code: "SVS401-R1", BaseCode: "SVS401", SessionID: "abc-1", Title: "Serverless",
		Abstract: "Deep dive.", Type: "Breakout session", Level: 400,
		Tracks: []string{"Serverless"}, Topics: []string{"Compute"},
		Services: []string{"AWS Lambda", "Amazon SQS"}, Roles: []string{"Developer"},
		Industries: []string{"Retail"}, Speakers: []string{"Ada Lovelace", "Alan Turing"},
		Start: start, End: start.Add(45 * time.Minute), Venue: "Venetian", Room: "Palazzo B",
		Status: "Published", Embargoed: true,
	}
	got := cat.Sessions[0]
	if !got.Equal(&want) {
		t.Errorf("got  %+v\nwant %+v", got, want)
	}
	if got.Start.Location() != time.UTC {
		t.Errorf("start not normalized to opts.Location: %v", got.Start.Location())
	}

	ny, _ := time.LoadLocation("America/New_York")
	if s := cat.Sessions[1]; !s.Start.Equal(time.Date(2026, 12, 3, 9, 0, 0, 0, ny)) || s.End.Sub(s.Start) != time.Hour || s.Level != 200 {
		t.Errorf("session time zone: %+v", s)
	}
	b := cat.Sessions[2]
	for name, l := range map[string][]string{"tracks": b.Tracks, "topics": b.Topics, "services": b.Services, "roles": b.Roles, "industries": b.Industries, "speakers": b.Speakers} {
		if l == nil || len(l) != 0 {
			t.Errorf("%s = %#v, want []", name, l)
		}
	}
	if b.Scheduled() || b.Level != 0 {
		t.Errorf("bare session: %+v", b)
	}
	a := cat.Sessions[3]
	if !a.AllDay || !a.Start.Equal(time.Date(2026, 12, 4, 0, 0, 0, 0, la)) || a.End.Sub(a.Start) != 24*time.Hour {
		t.Errorf("all-day session: %+v", a)
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
		`"Expert"`: 400, `"intermediate"`: 200, `null`: 0, `""`: 0, `"Keynote"`: 0, `250`: 0, `true`: 0,
	} {
		var l level
		if err := l.UnmarshalJSON([]byte(in)); err != nil || int(l) != want {
			t.Errorf("level %s = %d, %v; want %d", in, l, err, want)
		}
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

func TestBadPage(t *testing.T) {
	srv := fakeevents.New(event, []map[string]any{item(0), {"sessionId": "x", "abbreviation": "ABC123", "title": 5}})
	defer srv.Close()
	cat, err := fetch(t, newCatalog(srv, &sleeper{}))
	if cat != nil || err == nil || !strings.Contains(err.Error(), "page 1") {
		t.Fatalf("cat %v err %v", cat, err)
	}
}

func TestRetryAfterDate(t *testing.T) {
	now := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	if d := portal.ParseRetryAfter(now.Add(30*time.Second).Format(http.TimeFormat), now); d != 30*time.Second {
		t.Errorf("got %v", d)
	}
	if d := portal.ParseRetryAfter("junk", now); d != 0 {
		t.Errorf("got %v", d)
	}
}

func FuzzDecodePage(f *testing.F) {
	f.Add([]byte(`{"items":[{"sessionId":"a","abbreviation":"ARC302","level":"300 - Advanced","sessionTime":{"date":"2026-12-01","time":"10:00","length":60}}],"totalCount":1}`))
	f.Add([]byte(`{"items":[],"totalCount":0,"nextToken":"x"}`))
	f.Add([]byte(`{"items":[{"speakers":[{"name":"A"},"B",3],"venue":{"name":"Wynn"},"level":300}]}`))
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
		for i := range p.Items {
			s, err := mapSession(&p.Items[i], loc)
			if err != nil {
				continue
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
		}
	})
}
