package main

import (
	"bytes"
	"context"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	fakeevents "github.com/reinvent-cli/reinvent/internal/fake/events"
	fakentfy "github.com/reinvent-cli/reinvent/internal/fake/ntfy"
	"github.com/reinvent-cli/reinvent/internal/testenv"
	sessionhistory "github.com/reinvent-cli/reinvent/internal/tools/history"
	"github.com/reinvent-cli/reinvent/pkg/calendar"
	"github.com/reinvent-cli/reinvent/pkg/catalog"
	"github.com/reinvent-cli/reinvent/pkg/catalog/eventsapi"
	"github.com/reinvent-cli/reinvent/pkg/follow"
	"github.com/reinvent-cli/reinvent/pkg/notify"
	"github.com/reinvent-cli/reinvent/pkg/reserve"
	"github.com/reinvent-cli/reinvent/pkg/schedule"
	"github.com/reinvent-cli/reinvent/pkg/store"
)

// followBenchSessions is the size of the followed catalog: the 2026
// catalog's 2,043 and room to grow, served in 10 pages of 250.
const followBenchSessions = 2400

// followBench is an attendee signed in to the AWS Events API fake, which
// serves a 2,400-session catalog in pages of 250 (internal/tools/history's
// sessions), with 4 held seats and 15 favorites, and an ntfy fake that
// the notices go to. Both are reached through fronts that answer every
// request latency late, as servers across the network do. The catalog
// flips between two versions that differ in five followed sessions (one
// held seat moved; a favorite moved, one relocated, one renamed, and one
// whose seats are filling up), so that every run after the baseline has
// notices to record and send.
type followBench struct {
	events   *fakeevents.Server
	ntfy     *fakentfy.Server
	api      string // the events fake's slow front, as --events-api-url
	notify   string // the notify URL, through ntfy's slow front
	dir, db  string
	versions [2][]any
	version  int
	// minute is the fake's clock, which its quotas count by: a minute
	// later on every flip, as runs at follow's shortest --every are.
	minute time.Time
}

func newFollowBench(b *testing.B, latency time.Duration) *followBench {
	b.Helper()
	sessions := make([]catalog.Session, followBenchSessions)
	for i := range sessions {
		sessions[i] = sessionhistory.Session(i, 0)
		sessions[i].Reservable, sessions[i].SeatAvailability = true, "available"
	}
	var starred, held []string
	for i := 7; i < len(sessions); i += 160 {
		starred = append(starred, sessions[i].SessionID)
	}
	for i := 311; i < len(sessions); i += 600 {
		held = append(held, sessions[i].SessionID)
	}
	changed := slices.Clone(sessions)
	edit := func(i int, f func(*catalog.Session)) { s := changed[i]; f(&s); changed[i] = s }
	edit(311, func(s *catalog.Session) { s.Start, s.End = s.Start.Add(time.Hour), s.End.Add(time.Hour) })
	edit(7, func(s *catalog.Session) { s.Start, s.End = s.Start.Add(30*time.Minute), s.End.Add(30*time.Minute) })
	edit(167, func(s *catalog.Session) { s.Room = "Room 210" })
	edit(327, func(s *catalog.Session) { s.Title += ", part 2" })
	edit(487, func(s *catalog.Session) { s.SeatAvailability = "limited" })

	w := &followBench{dir: b.TempDir(), minute: time.Now()}
	w.versions[0] = fakeevents.FromCatalog(sessions, testenv.Vegas)
	w.versions[1] = fakeevents.FromCatalog(changed, testenv.Vegas)
	w.events = fakeevents.New("reinvent2026", w.versions[0])
	b.Cleanup(w.events.Close)
	w.events.Lock()
	w.events.Event.TimeZone = "America/Los_Angeles"
	w.events.Event.AuthenticationRequired = true // as reinvent2026: anonymous reads get 401
	w.events.Token = "at-bench"
	w.events.Reserved, w.events.Favorites = held, starred
	w.events.Now = func() time.Time { return w.minute } // under the fake's lock
	w.events.Unlock()
	api := late(latency, w.events.Config.Handler)
	b.Cleanup(api.Close)
	w.api = api.URL

	w.ntfy = fakentfy.New()
	b.Cleanup(w.ntfy.Close)
	target, err := url.Parse(w.ntfy.URL())
	if err != nil {
		b.Fatal(err)
	}
	ntfy := late(latency, httputil.NewSingleHostReverseProxy(target))
	b.Cleanup(ntfy.Close)
	w.notify = "ntfy://" + strings.TrimPrefix(ntfy.URL, "http://") + "/" + ntfyTopic + "?scheme=http"

	w.db = filepath.Join(w.dir, "reinvent.db")
	tokens := `{"access_token":"at-bench","refresh_token":"rt-bench"}`
	if err := os.WriteFile(filepath.Join(w.dir, "events-api-tokens.json"), []byte(tokens), 0o600); err != nil {
		b.Fatal(err)
	}
	return w
}

// late serves h through a loopback server that holds every request back
// for latency before handing it on.
func late(latency time.Duration, h http.Handler) *httptest.Server {
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		t := time.NewTimer(latency)
		defer t.Stop()
		select {
		case <-t.C:
			h.ServeHTTP(w, r)
		case <-r.Context().Done():
		}
	}))
}

// flip serves the other version of the catalog, a minute later.
func (w *followBench) flip() {
	w.version = 1 - w.version
	w.events.Lock()
	w.minute = w.minute.Add(follow.MinEvery)
	w.events.Sessions = w.versions[w.version]
	w.events.Unlock()
}

// requests are the requests the events fake has had, per endpoint, and
// the notices ntfy has been sent.
func (w *followBench) requests() map[string]int {
	w.events.Lock()
	n := maps.Clone(w.events.Requests)
	w.events.Unlock()
	n["ntfy"] = w.ntfy.Published()
	return n
}

// report reports the requests per run made since before, by endpoint.
func (w *followBench) report(b *testing.B, before map[string]int, runs int) {
	after := w.requests()
	total := 0
	for _, k := range []string{"event", "sessions", "schedule", "ntfy"} {
		n := after[k] - before[k]
		total += n
		b.ReportMetric(float64(n)/float64(runs), k+"-req/op")
	}
	b.ReportMetric(float64(total)/float64(runs), "req/op")
}

// BenchmarkFollowRun2400 is one run of follow.Run after a baseline, as
// `reinvent follow --ics FILE` makes it: a fresh fetch of 2,400 sessions
// and the schedule from the AWS Events API fake, the plan around what is
// held, the notices of five changed sessions recorded in the real SQLite
// store and sent to the ntfy fake, the calendar file rewritten. Every
// request is answered 30 ms late (the 30ms case), or at once on loopback
// (the 0ms case, which leaves what the run itself costs). Allocations
// include the fakes', which run in this process: see
// BenchmarkFollowFakeRequests2400.
func BenchmarkFollowRun2400(b *testing.B) {
	for _, latency := range []time.Duration{30 * time.Millisecond, 0} {
		b.Run(latency.String(), func(b *testing.B) { benchFollowRun(b, latency) })
	}
}

func benchFollowRun(b *testing.B, latency time.Duration) {
	ctx := context.Background()
	w := newFollowBench(b, latency)
	st, err := store.Open(ctx, w.db)
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	api := &eventsapi.Catalog{BaseURL: w.api, Event: historyEvent,
		Token: func(context.Context, bool) (string, error) { return "at-bench", nil }}
	sink, err := notify.Open(w.notify, notify.Options{})
	if err != nil {
		b.Fatal(err)
	}
	d := follow.Deps{Store: st, Notify: []follow.Target{{Key: notify.Key(w.notify), Sink: sink}},
		Plan: reserve.PlanDeps{
			Fetch: func(ctx context.Context) (*catalog.Catalog, error) {
				return api.Fetch(ctx, catalog.FetchOptions{Event: historyEvent, Location: testenv.Vegas, Fresh: true})
			},
			Account: func() (reserve.Holder, error) { return api, nil }}}
	o := follow.Options{Event: historyEvent, ICS: filepath.Join(w.dir, "reinvent.ics"),
		Plan: reserve.PlanOptions{Starred: true, Event: historyEvent,
			Plan: schedule.Options{UnknownTravel: 30 * time.Minute, Location: testenv.Vegas}},
		Calendar: calendar.Options{Name: "re:Invent 2026 (reinvent follow)", Location: testenv.Vegas}}
	r, err := follow.Run(ctx, d, o)
	if err != nil || !r.Baseline || r.Sessions == 0 {
		b.Fatalf("baseline: %v, %+v", err, r)
	}
	b.Logf("following %d sessions of %d codes in a catalog of %d", r.Sessions, r.Codes, len(r.Planned.Catalog.Sessions))
	before, notices := w.requests(), 0
	b.ReportAllocs()
	for b.Loop() {
		b.StopTimer()
		w.flip()
		b.StartTimer()
		r, err := follow.Run(ctx, d, o)
		if err != nil || len(r.Notices) == 0 || r.Pending > 0 {
			b.Fatalf("a run after the baseline: %v; %d notices, %d pending", err, len(r.Notices), r.Pending)
		}
		notices += len(r.Notices)
	}
	b.StopTimer()
	w.report(b, before, b.N)
	b.ReportMetric(float64(notices)/float64(b.N), "notices/op")
}

// BenchmarkFollowFakeRequests2400 makes the requests of a follow run (the
// event, the 10 pages, the schedule twice) with a plain client that
// discards the answers, on loopback with no latency: what the events fake
// and HTTP cost in this process, to subtract from BenchmarkFollowRun2400's
// allocations.
func BenchmarkFollowFakeRequests2400(b *testing.B) {
	w := newFollowBench(b, 0)
	base := w.api + "/v1/events/" + historyEvent
	get := func(u string) {
		req, err := http.NewRequest(http.MethodGet, u, nil)
		if err != nil {
			b.Fatal(err)
		}
		req.Header.Set("Authorization", "Bearer at-bench")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		defer resp.Body.Close()
		if _, err := io.Copy(io.Discard, resp.Body); err != nil || resp.StatusCode != http.StatusOK {
			b.Fatalf("GET %s: %v %v", u, resp.Status, err)
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		w.flip() // a minute on, inside the quota
		get(base)
		pages := (followBenchSessions + fakeevents.DefaultPageSize - 1) / fakeevents.DefaultPageSize
		for p := range pages {
			q := ""
			if p > 0 {
				q = "?nextToken=p" + strconv.Itoa(p) + "." + strconv.Itoa(p*fakeevents.DefaultPageSize)
			}
			get(base + "/sessions" + q)
		}
		get(base + "/schedule")
		get(base + "/schedule")
	}
}

// BenchmarkBinaryFollow2400 is BenchmarkFollowRun2400's run from the
// built binary, as cron starts it: `reinvent follow --ics FILE` with the
// notify URL in REINVENT_NOTIFY, every request 30 ms late. maxrss-MiB is
// the largest max RSS of the runs, as GNU time measures it: the binary
// runs in a process that time forks, since a child of this process would
// start from this one's peak (see lowerRSSFloor). Without /usr/bin/time
// the binary is this process's child, and maxrss-MiB is its own only
// above floor-MiB.
func BenchmarkBinaryFollow2400(b *testing.B) {
	w := newFollowBench(b, 30*time.Millisecond)
	home := b.TempDir()
	rssFile := filepath.Join(w.dir, "maxrss")
	_, noTime := os.Stat("/usr/bin/time")
	run := func() (stdout string, maxRSS int64) {
		args := []string{"follow", "--events-api-url", w.api, "--db", w.db, "--ics", filepath.Join(w.dir, "reinvent.ics")}
		cmd := exec.Command(binary, args...)
		if noTime == nil {
			cmd = exec.Command("/usr/bin/time", append([]string{"-o", rssFile, "-f", "%M", binary}, args...)...)
		}
		cmd.Env = append(testenv.HomeEnv(home), "REINVENT_NOTIFY="+w.notify)
		var out, errOut bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errOut
		if err := cmd.Run(); err != nil {
			b.Fatalf("follow: %v\n%s", err, errOut.String())
		}
		if noTime == nil {
			kib, err := os.ReadFile(rssFile)
			if err != nil {
				b.Fatal(err)
			}
			if maxRSS, err = strconv.ParseInt(strings.TrimSpace(string(kib)), 10, 64); err != nil {
				b.Fatalf("GNU time's %%M: %v", err)
			}
		} else if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
			maxRSS = ru.Maxrss // KiB on Linux
		}
		return out.String(), maxRSS
	}
	if out, _ := run(); out != "" {
		b.Fatalf("the baseline printed notices:\n%s", out)
	}
	var floor float64
	if noTime != nil {
		floor = lowerRSSFloor(b)
	}
	before, notices := w.requests(), 0
	var maxRSS int64
	for b.Loop() {
		b.StopTimer()
		w.flip()
		b.StartTimer()
		out, rss := run()
		if out == "" {
			b.Fatal("a run after the baseline printed no notice")
		}
		notices += strings.Count(out, "\n")
		maxRSS = max(maxRSS, rss)
	}
	b.StopTimer()
	w.report(b, before, b.N)
	b.ReportMetric(float64(notices)/float64(b.N), "notices/op")
	b.ReportMetric(float64(maxRSS)/1024, "maxrss-MiB")
	if noTime != nil {
		b.ReportMetric(floor, "floor-MiB")
	}
}
