package portal

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	fakeportal "github.com/reinvent-cli/reinvent/internal/fake/portal"
	"github.com/reinvent-cli/reinvent/internal/testenv"
	"github.com/reinvent-cli/reinvent/pkg/catalog"
)

const fixture = "../../../testdata/portal/listsessions-page.json"

// harness is a fake portal and a Catalog pointed at it whose sleeps are
// recorded instead of waited.
type harness struct {
	srv *fakeportal.Server
	c   *Catalog

	mu     sync.Mutex
	sleeps []time.Duration
	tokens []bool // the fresh argument of every Token call
}

func newHarness(t testing.TB, sessions []*fakeportal.Session) *harness {
	h := &harness{srv: fakeportal.New(t, "tok-1", sessions)}
	h.c = &Catalog{
		URL:  h.srv.URL,
		HTTP: h.srv.Client(),
		Token: func(_ context.Context, fresh bool) (string, error) {
			h.mu.Lock()
			defer h.mu.Unlock()
			h.tokens = append(h.tokens, fresh)
			if fresh {
				return "tok-2", nil
			}
			return "tok-1", nil
		},
		Retry: Retry{
			Sleep: func(_ context.Context, d time.Duration) error {
				h.mu.Lock()
				defer h.mu.Unlock()
				h.sleeps = append(h.sleeps, d)
				return nil
			},
			Jitter: func() float64 { return 0.5 },
		},
	}
	return h
}

func (h *harness) fetch(t testing.TB) (*catalog.Catalog, error) {
	t.Helper()
	return h.c.Fetch(context.Background(), catalog.FetchOptions{Event: "ev-1", Location: testenv.Vegas})
}

func loadFixture(t testing.TB) []*fakeportal.Session {
	t.Helper()
	s, err := fakeportal.LoadPage(fixture)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestFetchPagesUntilNextTokenIsNull(t *testing.T) {
	for _, n := range []int{0, 1, 100, 101, 250} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			h := newHarness(t, fakeportal.Generate(n))
			var progress [][2]int
			cat, err := h.c.Fetch(context.Background(), catalog.FetchOptions{
				Event: "ev-1", Location: testenv.Vegas,
				Progress: func(done, total int) { progress = append(progress, [2]int{done, total}) },
			})
			if err != nil {
				t.Fatal(err)
			}
			if len(cat.Sessions) != n {
				t.Fatalf("got %d sessions, want %d", len(cat.Sessions), n)
			}
			if cat.Source != "portal" || cat.Event != "ev-1" || cat.Sessions == nil {
				t.Errorf("catalog = source %q event %q sessions nil %v", cat.Source, cat.Event, cat.Sessions == nil)
			}
			seen := map[string]bool{}
			for _, s := range cat.Sessions {
				if seen[s.SessionID] {
					t.Fatalf("session %s twice", s.SessionID)
				}
				seen[s.SessionID] = true
			}
			pages := max(1, (n+99)/100)
			if got := h.srv.Requests(); got != pages {
				t.Errorf("%d requests, want %d", got, pages)
			}
			if in := h.srv.Inputs(); in[0] != "ev-1 100 -" || (pages > 1 && in[1] != "ev-1 100 page-from-100") {
				t.Errorf("inputs = %q, want eventId, maxResults 100 and the nextToken of the page before", in)
			}
			if len(progress) != pages || progress[pages-1] != [2]int{n, n} {
				t.Errorf("progress = %v, want %d calls ending with (%d, %d)", progress, pages, n, n)
			}
		})
	}
}

func TestFetchMapsEveryField(t *testing.T) {
	h := newHarness(t, loadFixture(t))
	cat, err := h.fetch(t)
	if err != nil {
		t.Fatal(err)
	}
	at := func(ms int64) time.Time { return time.UnixMilli(ms).In(testenv.Vegas) }
	want := []catalog.Session{{
		Code: "ZZQ301-R1", BaseCode: "ZZQ301", SessionID: "11111111-aaaa-4bbb-8ccc-000000000001",
		Title:    "Tuning imaginary queues at scale [REPEAT]",
		Abstract: "A made-up talk about queues that never drain, written for the test fixture.",
		Type:     "Breakout Session", Level: 300,
		Tracks:   []string{"Imaginary Systems", "Queues"},
		Topics:   []string{"Serverless", "Make-Believe"},
		Services: []string{"Amazon Example Queue Service", "AWS Pretend Lambda"},
		Roles:    []string{"Developers", "Architects"}, Industries: []string{},
		Speakers: []string{"Ada Example", "Bo Sample"},
		Start:    at(1795890600000), End: at(1795890600000 + 60*60000),
		Venue: "Fictional Hall", Room: "Level 2, Room 201",
		Starred: true, Reserved: true, Status: "published",
	}, {
		Code: "ZZQ301", BaseCode: "ZZQ301", SessionID: "11111111-aaaa-4bbb-8ccc-000000000002",
		Title: "Tuning imaginary queues at scale", Abstract: "The first run of the made-up talk.",
		Type: "Breakout Session", Level: 300,
		Tracks: []string{}, Topics: []string{}, Services: []string{}, Roles: []string{}, Industries: []string{}, Speakers: []string{},
		Start: at(1795804200000), End: at(1795804200000 + 45*60000),
		Venue: "Invented Forum", Room: "Forum 1", Status: "published",
	}, {
		Code: "ZZW210", BaseCode: "ZZW210", SessionID: "11111111-aaaa-4bbb-8ccc-000000000003",
		Title: "An unscheduled workshop", Abstract: "No time announced yet.", Type: "Workshop", Level: 200,
		Tracks: []string{}, Topics: []string{}, Services: []string{}, Roles: []string{}, Industries: []string{}, Speakers: []string{},
		Status: "draft", Embargoed: true,
	}, {
		Code: "ZZK100-L", BaseCode: "ZZK100", SessionID: "11111111-aaaa-4bbb-8ccc-000000000004",
		Title: "Keynote for nobody", Type: "Keynote", Level: 100,
		Tracks: []string{}, Topics: []string{}, Services: []string{}, Roles: []string{}, Industries: []string{}, Speakers: []string{},
		Start: at(1795975200000), End: at(1795975200000 + 90*60000),
		Venue: "Fictional Hall", Room: "Main Stage", Status: "published",
	}, {
		Code: "ZZX401", BaseCode: "ZZX401", SessionID: "11111111-aaaa-4bbb-8ccc-000000000005",
		Title: "Expert deep dive", Abstract: "Only for experts.", Type: "chalktalk", Level: 400,
		Tracks: []string{}, Topics: []string{}, Services: []string{}, Roles: []string{}, Industries: []string{}, Speakers: []string{},
		Start: at(1796061600000), End: at(1796061600000 + 60*60000),
		Room: "Room Without Venue", Status: "published",
	}, {
		Code: "ZZU200", BaseCode: "ZZU200", SessionID: "11111111-aaaa-4bbb-8ccc-000000000006",
		Title: "Level unknown", Abstract: "Unknown level word.", Type: "Breakout Session", Level: 0,
		Tracks: []string{}, Topics: []string{}, Services: []string{}, Roles: []string{}, Industries: []string{}, Speakers: []string{},
		Start: at(1796061600000), End: at(1796061600000 + 30*60000), Status: "published",
	}}
	if len(cat.Sessions) != len(want) {
		t.Fatalf("got %d sessions, want %d", len(cat.Sessions), len(want))
	}
	for i := range want {
		if got := cat.Sessions[i]; !got.Equal(&want[i]) {
			t.Errorf("session %d:\n got %+v\nwant %+v", i, got, want[i])
		}
		if got := cat.Sessions[i]; got.Scheduled() && got.Start.Location() != testenv.Vegas {
			t.Errorf("session %d start in %v, want %v", i, got.Start.Location(), testenv.Vegas)
		}
	}
	if auth := h.srv.Authorizations(); len(auth) != 1 || auth[0] != "tok-1" {
		t.Errorf("Authorization headers = %q, want the raw token once", auth)
	}
}

func TestParseLevel(t *testing.T) {
	for in, want := range map[string]int{
		"introductory": 100, "Intermediate": 200, "advanced": 300, "EXPERT": 400,
		"300 - Advanced": 300, "Advanced (300)": 300, "400": 400, "": 0, "wizard": 0, "500": 0,
	} {
		if got := catalog.ParseLevel(in); got != want {
			t.Errorf("ParseLevel(%q) = %d, want %d", in, got, want)
		}
	}
}

// failOn answers request n with status and headers instead of the fake.
func failOn(n int, status int, header map[string]string) func(int, http.ResponseWriter, *http.Request) bool {
	return func(i int, w http.ResponseWriter, _ *http.Request) bool {
		if i != n && n != 0 {
			return false
		}
		for k, v := range header {
			w.Header().Set(k, v)
		}
		w.WriteHeader(status)
		_, _ = w.Write([]byte("<html>busy</html>"))
		return true
	}
}

func TestFetchRetries503OnPage3(t *testing.T) {
	h := newHarness(t, fakeportal.Generate(250))
	h.srv.Intercept = failOn(3, http.StatusServiceUnavailable, nil)
	cat, err := h.fetch(t)
	if err != nil {
		t.Fatal(err)
	}
	if len(cat.Sessions) != 250 || h.srv.Requests() != 4 {
		t.Errorf("%d sessions in %d requests, want 250 in 4", len(cat.Sessions), h.srv.Requests())
	}
	// Base 500 ms, equal jitter at 0.5: 250 ms + 125 ms.
	if len(h.sleeps) != 1 || h.sleeps[0] != 375*time.Millisecond {
		t.Errorf("sleeps = %v, want [375ms]", h.sleeps)
	}
}

func TestFetchHonoursRetryAfter(t *testing.T) {
	h := newHarness(t, fakeportal.Generate(10))
	h.srv.Intercept = failOn(1, http.StatusTooManyRequests, map[string]string{"Retry-After": "7"})
	if _, err := h.fetch(t); err != nil {
		t.Fatal(err)
	}
	if len(h.sleeps) != 1 || h.sleeps[0] != 7*time.Second {
		t.Errorf("sleeps = %v, want [7s]", h.sleeps)
	}
}

func TestFetchGivesUpWithErrUnavailable(t *testing.T) {
	for name, intercept := range map[string]func(int, http.ResponseWriter, *http.Request) bool{
		"503": failOn(0, http.StatusServiceUnavailable, nil),
		"502": failOn(0, http.StatusBadGateway, nil),
		"connection reset": func(_ int, w http.ResponseWriter, _ *http.Request) bool {
			conn, _, err := http.NewResponseController(w).Hijack()
			if err == nil {
				_ = conn.Close()
			}
			return true
		},
	} {
		t.Run(name, func(t *testing.T) {
			h := newHarness(t, fakeportal.Generate(250))
			h.srv.Intercept = func(n int, w http.ResponseWriter, r *http.Request) bool {
				return n > 1 && intercept(n, w, r)
			}
			cat, err := h.fetch(t)
			if !errors.Is(err, ErrUnavailable) || cat != nil {
				t.Fatalf("Fetch = %v, %v; want no catalog and ErrUnavailable", cat, err)
			}
			if !strings.Contains(err.Error(), "page 2") || !strings.Contains(err.Error(), "6 attempts") {
				t.Errorf("error %q does not say page 2 and 6 attempts", err)
			}
			if h.srv.Requests() != 1+6 || len(h.sleeps) != 5 {
				t.Errorf("%d requests, %d sleeps; want 7 and 5", h.srv.Requests(), len(h.sleeps))
			}
		})
	}
}

func TestFetchServerDown(t *testing.T) {
	h := newHarness(t, nil)
	h.srv.Close()
	cat, err := h.fetch(t)
	if !errors.Is(err, ErrUnavailable) || cat != nil {
		t.Fatalf("Fetch = %v, %v; want ErrUnavailable", cat, err)
	}
}

func TestFetchSignsInAgainOnceOn401(t *testing.T) {
	h := newHarness(t, fakeportal.Generate(150))
	h.srv.SetToken("tok-2") // only a fresh sign-in's token works
	cat, err := h.fetch(t)
	if err != nil {
		t.Fatal(err)
	}
	if len(cat.Sessions) != 150 {
		t.Errorf("%d sessions, want 150", len(cat.Sessions))
	}
	if fmt.Sprint(h.tokens) != "[false true]" {
		t.Errorf("Token calls (fresh) = %v, want [false true]", h.tokens)
	}
	if got := h.srv.Authorizations(); fmt.Sprint(got) != "[tok-1 tok-2 tok-2]" {
		t.Errorf("Authorization headers = %v", got)
	}
}

func TestFetch401TwiceIsErrAuth(t *testing.T) {
	h := newHarness(t, fakeportal.Generate(10))
	h.srv.SetToken("another")
	cat, err := h.fetch(t)
	if !errors.Is(err, ErrAuth) || cat != nil {
		t.Fatalf("Fetch = %v, %v; want ErrAuth", cat, err)
	}
	if errors.Is(err, ErrUnavailable) || len(h.sleeps) != 0 || h.srv.Requests() != 2 {
		t.Errorf("%d requests, sleeps %v, err %v; want 2 requests and no retry", h.srv.Requests(), h.sleeps, err)
	}
}

func TestFetchShowsGraphQLErrors(t *testing.T) {
	h := newHarness(t, fakeportal.Generate(150))
	h.srv.Rewrite = func(n int, body []byte) []byte {
		if n == 2 {
			return []byte(`{"data":null,"errors":[{"message":"eventId ev-1 is not open"}]}`)
		}
		return body
	}
	cat, err := h.fetch(t)
	if err == nil || cat != nil || !strings.Contains(err.Error(), "eventId ev-1 is not open") {
		t.Fatalf("Fetch = %v, %v; want the GraphQL message", cat, err)
	}
	if errors.Is(err, ErrUnavailable) || h.srv.Requests() != 2 {
		t.Errorf("a GraphQL error was retried: %d requests, %v", h.srv.Requests(), err)
	}
}

func TestFetchSchemaErrorFromRealGraphQL(t *testing.T) {
	// A nextToken the fake does not know is an error of its resolver.
	h := newHarness(t, fakeportal.Generate(150))
	h.srv.Rewrite = func(n int, body []byte) []byte {
		if n == 1 {
			return bytes.Replace(body, []byte(`"page-from-100"`), []byte(`"bogus"`), 1)
		}
		return body
	}
	_, err := h.fetch(t)
	if err == nil || !strings.Contains(err.Error(), `invalid nextToken \"bogus\"`) && !strings.Contains(err.Error(), `invalid nextToken "bogus"`) {
		t.Fatalf("err = %v, want the resolver's message", err)
	}
}

// setField sets results[i].field (a dotted path) of an answer to v.
func setField(t *testing.T, body []byte, i int, path string, v any) []byte {
	t.Helper()
	var doc map[string]any
	if err := json.Unmarshal(body, &doc); err != nil {
		t.Fatal(err)
	}
	m := doc["data"].(map[string]any)["listSessions"].(map[string]any)
	if i >= 0 {
		m = m["results"].([]any)[i].(map[string]any)
	}
	keys := strings.Split(path, ".")
	for _, k := range keys[:len(keys)-1] {
		m = m[k].(map[string]any)
	}
	m[keys[len(keys)-1]] = v
	b, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestFetchNamesTheMalformedField(t *testing.T) {
	for _, tc := range []struct {
		i     int
		path  string
		value any
		want  string
	}{
		{3, "startTime", "tomorrow", "portal: results[3].startTime: want a number"},
		{1, "duration", "an hour", "portal: results[1].duration: want a number"},
		{0, "isFavoritedByMe", "yes", "portal: results[0].isFavoritedByMe: want true or false"},
		{2, "room.venue.name", 42, "portal: results[2].room.venue.name: want a string"},
		{4, "room", "Forum 1", "portal: results[4].room: want an object"},
		{4, "tracks", "Generated", "portal: results[4].tracks: want a list"},
		{2, "alias", nil, "portal: results[2].alias: missing"},
		{3, "startTime", -5, "portal: results[3].startTime: -5 is not a time"},
		{-1, "totalCount", "many", "portal: listSessions.totalCount: want a number"},
		{-1, "results", nil, "portal: listSessions.results: missing"},
	} {
		t.Run(tc.want, func(t *testing.T) {
			h := newHarness(t, fakeportal.Generate(5))
			h.srv.Rewrite = func(_ int, body []byte) []byte { return setField(t, body, tc.i, tc.path, tc.value) }
			cat, err := h.fetch(t)
			if err == nil || cat != nil || !strings.HasPrefix(err.Error(), tc.want) {
				t.Fatalf("Fetch = %v, %v; want an error starting %q", cat, err, tc.want)
			}
		})
	}
}

func TestFetchNotJSON(t *testing.T) {
	h := newHarness(t, fakeportal.Generate(5))
	h.srv.Rewrite = func(int, []byte) []byte { return []byte("<html>maintenance</html>") }
	_, err := h.fetch(t)
	if err == nil || !strings.Contains(err.Error(), "malformed answer") || errors.Is(err, ErrUnavailable) {
		t.Fatalf("err = %v, want a malformed answer", err)
	}
}

func TestFetchStopsOnCancel(t *testing.T) {
	h := newHarness(t, fakeportal.Generate(250))
	ctx, cancel := context.WithCancel(context.Background())
	h.srv.Intercept = func(n int, _ http.ResponseWriter, _ *http.Request) bool {
		if n == 2 {
			cancel()
		}
		return false
	}
	cat, err := h.c.Fetch(ctx, catalog.FetchOptions{Event: "ev-1", Location: testenv.Vegas})
	if !errors.Is(err, context.Canceled) || cat != nil {
		t.Fatalf("Fetch = %v, %v; want context.Canceled", cat, err)
	}
}

func FuzzDecodePage(f *testing.F) {
	b, err := os.ReadFile(fixture)
	if err != nil {
		f.Fatal(err)
	}
	var doc struct{ Data json.RawMessage }
	if err := json.Unmarshal(b, &doc); err != nil {
		f.Fatal(err)
	}
	f.Add([]byte(doc.Data))
	f.Add([]byte(`{"listSessions":{"results":[],"totalCount":0,"nextToken":null}}`))
	f.Add([]byte(`{"listSessions":{"results":[{"alias":"A1","startTime":1,"duration":-1}],"totalCount":1}}`))
	f.Add([]byte(`{"listSessions":null}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := decodePage(data, testenv.Vegas)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "portal: ") {
				t.Errorf("error %q does not start with portal:", err)
			}
			return
		}
		for _, s := range p.sessions {
			if s.Tracks == nil || s.Speakers == nil || s.Code == "" {
				t.Errorf("session not normalized: %+v", s)
			}
			if s.End.Before(s.Start) {
				t.Errorf("session ends before it starts: %+v", s)
			}
		}
	})
}

// BenchmarkFetch3000 fetches 3,000 sessions (30 pages) from the fake with
// 30 ms added to every request; x-ideal is the time per fetch over 30 × 30 ms.
// The no-latency run shows the cost of the client and the fake alone.
func BenchmarkFetch3000(b *testing.B) {
	for _, latency := range []time.Duration{30 * time.Millisecond, 0} {
		b.Run(fmt.Sprintf("latency=%v", latency), func(b *testing.B) {
			h := newHarness(b, fakeportal.Generate(3000))
			h.srv.Latency = latency
			b.ReportAllocs()
			begin := time.Now()
			for b.Loop() {
				cat, err := h.fetch(b)
				if err != nil || len(cat.Sessions) != 3000 {
					b.Fatal(err)
				}
			}
			if latency > 0 {
				b.ReportMetric(float64(time.Since(begin))/float64(b.N)/float64(30*latency), "x-ideal")
			}
		})
	}
}

func TestFixtureIsInTheRepository(t *testing.T) {
	// Tests read only the repository's own fixture, never ../shared.
	if abs, err := filepath.Abs(fixture); err != nil || strings.Contains(abs, "/shared/") {
		t.Errorf("fixture %s (%v) is outside the repository", abs, err)
	}
}
