package follow

import (
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/http"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/reinvent-cli/reinvent/internal/catalogtest"
	"github.com/reinvent-cli/reinvent/internal/testenv"
	"github.com/reinvent-cli/reinvent/pkg/calendar"
	"github.com/reinvent-cli/reinvent/pkg/catalog"
	"github.com/reinvent-cli/reinvent/pkg/catalog/eventsapi"
	"github.com/reinvent-cli/reinvent/pkg/notify"
	"github.com/reinvent-cli/reinvent/pkg/reserve"
	"github.com/reinvent-cli/reinvent/pkg/schedule"
	"github.com/reinvent-cli/reinvent/pkg/store"
)

// sink is a notify.Sink that records what it is sent, and fails while
// fail is set.
type sink struct {
	mu       sync.Mutex
	service  string
	fail     bool
	replaces bool
	got      []notify.Notice
}

func (s *sink) Service() string { return s.service }
func (s *sink) Where() string   { return s.service + " at example.com" }
func (s *sink) Replaces() bool  { return s.replaces }
func (s *sink) Send(_ context.Context, n notify.Notice) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.fail {
		return errors.New(s.service + " at example.com: 503 Service Unavailable")
	}
	s.got = append(s.got, n)
	return nil
}

func (s *sink) ids() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var ids []string
	for _, n := range s.got {
		ids = append(ids, n.ID)
	}
	return ids
}

// conference is a small catalog: two held seats (SVS401, CNS312), and the
// codes followed besides (ARC302 with a repeat, DAT301, API304).
func conference() []catalog.Session {
	at := catalogtest.At
	s := func(code, title, venue string, start time.Time, mod func(*catalog.Session)) catalog.Session {
		c := catalog.Session{Code: code, SessionID: "id-" + code, Title: title, Venue: venue, Room: "Room 1", Start: start,
			SeatAvailability: "available", Reservable: true}
		if mod != nil {
			mod(&c)
		}
		return catalogtest.Session(c)
	}
	held := func(c *catalog.Session) { c.Reserved = true }
	full := func(c *catalog.Session) { c.SeatAvailability = "unavailable" }
	return []catalog.Session{
		s("SVS401", "Serverless at scale", "Venetian", at(0, 13), held),
		s("CNS312", "Containers", "Venetian", at(0, 15), held),
		s("ARC302", "Architecture", "Venetian", at(0, 10), nil),
		s("ARC302-R1", "Architecture", "Wynn", at(1, 10), nil),
		s("DAT301", "Databases", "MGM Grand", at(2, 9), full),
		s("API304", "APIs", "Caesars Forum", at(3, 10), nil),
		s("XYZ100", "Not followed", "Venetian", at(0, 9), nil),
	}
}

type world struct {
	t        *testing.T
	st       *store.Store
	sessions []catalog.Session
	sinks    []*sink
	now      time.Time
	ics      string
	codes    []string // the codes followed; nil: ARC302, DAT301, API304
}

func newWorld(t *testing.T) *world {
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "reinvent.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return &world{t: t, st: st, sessions: conference(), now: catalogtest.At(-30, 12),
		sinks: []*sink{{service: "ntfy", replaces: true}, {service: "smtp"}}}
}

func (w *world) deps() Deps {
	var targets []Target
	for i, s := range w.sinks {
		targets = append(targets, Target{Key: string(rune('a' + i)), Sink: s})
	}
	sessions := slices.Clone(w.sessions)
	return Deps{Store: w.st, Notify: targets, Now: func() time.Time { return w.now },
		Plan: reserve.PlanDeps{Fetch: func(context.Context) (*catalog.Catalog, error) {
			return &catalog.Catalog{Sessions: sessions}, nil
		}}}
}

func (w *world) options() Options {
	codes := w.codes
	if codes == nil {
		codes = []string{"ARC302", "DAT301", "API304"}
	}
	return Options{Event: "reinvent2026", ICS: w.ics,
		Plan:     reserve.PlanOptions{Codes: codes, Plan: schedule.Options{Location: testenv.Vegas, UnknownTravel: 30 * time.Minute}},
		Calendar: calendar.Options{Name: "re:Invent 2026", Location: testenv.Vegas}}
}

func (w *world) run() (*Report, error) {
	w.t.Helper()
	w.now = w.now.Add(time.Hour)
	return Run(context.Background(), w.deps(), w.options())
}

func (w *world) edit(code string, f func(*catalog.Session)) {
	for i := range w.sessions {
		if w.sessions[i].Code == code {
			f(&w.sessions[i])
			return
		}
	}
	w.t.Fatalf("no session %s", code)
}

func (w *world) remove(code string) {
	w.sessions = slices.DeleteFunc(w.sessions, func(s catalog.Session) bool { return s.Code == code })
}

func kinds(ns []Notice) []string {
	var out []string
	for _, n := range ns {
		out = append(out, n.Kind+" "+n.Session)
	}
	return out
}

func TestFirstRunIsABaseline(t *testing.T) {
	w := newWorld(t)
	r, err := w.run()
	if err != nil {
		t.Fatal(err)
	}
	if !r.Baseline || len(r.Notices) != 0 {
		t.Fatalf("first run: baseline %v, notices %v; want a baseline and no notice", r.Baseline, kinds(r.Notices))
	}
	// Five codes (two held seats and three asked for), six instances of them.
	if r.Codes != 5 || r.Sessions != 6 {
		t.Errorf("follows %d codes, %d sessions; want 5 and 6", r.Codes, r.Sessions)
	}
	if !strings.Contains(r.Summary(), "Following 6 sessions of 5 codes") {
		t.Errorf("summary %q", r.Summary())
	}
	for _, s := range w.sinks {
		if len(s.got) != 0 {
			t.Errorf("%s got %d notices on a baseline", s.service, len(s.got))
		}
	}
	r, err = w.run()
	if err != nil || r.Baseline || len(r.Notices) != 0 {
		t.Fatalf("a run with no change: %v, baseline %v, notices %v", err, r.Baseline, kinds(r.Notices))
	}
}

func TestEveryKindOfNotice(t *testing.T) {
	w := newWorld(t)
	if _, err := w.run(); err != nil {
		t.Fatal(err)
	}
	at := catalogtest.At
	w.edit("API304", func(s *catalog.Session) { s.Start, s.End, s.Title = at(3, 14), at(3, 15), "APIs, revised" })
	w.edit("DAT301", func(s *catalog.Session) { s.SeatAvailability, s.Room = "limited", "Room 9" })
	w.sessions = append(w.sessions, catalogtest.Session(catalog.Session{Code: "DAT301-R1", SessionID: "id-DAT301-R1", Title: "Databases",
		Venue: "MGM Grand", Start: at(4, 9)}))
	w.remove("ARC302")
	// A held seat moves onto the other: the plan keeps the earlier one.
	w.edit("CNS312", func(s *catalog.Session) {
		s.Start, s.End = at(0, 13).Add(15*time.Minute), at(0, 14).Add(15*time.Minute)
	})
	r, err := w.run()
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"clash CNS312",
		"cancelled ARC302",
		"plan ARC302-R1",
		"relocated DAT301",
		"seats DAT301",
		"new-repeat DAT301-R1",
		"moved API304",
		"renamed API304",
	}
	got := kinds(r.Notices)
	for _, k := range want {
		if !slices.Contains(got, k) {
			t.Errorf("no notice %q; got %v", k, got)
		}
	}
	if got[0] != "clash CNS312" {
		t.Errorf("first notice %q; the urgent clash comes first", got[0])
	}
	// CNS312 moved too, but a held seat's band is not news: no seats notice for it.
	if len(got) != len(want)+1 || !slices.Contains(got, "moved CNS312") {
		t.Errorf("notices %v; want %v and CNS312's move", got, want)
	}
	byKind := map[string]Notice{}
	for _, n := range r.Notices {
		byKind[n.Kind+" "+n.Session] = n
	}
	if n := byKind["seats DAT301"]; n.Old != "unavailable" || !strings.Contains(n.New, "limited: seats opened") {
		t.Errorf("seats notice %+v", n)
	}
	if n := byKind["moved API304"]; n.Old != "Thu 3 Dec 10:00–11:00" || n.New != "Thu 3 Dec 14:00–15:00" {
		t.Errorf("moved notice %+v", n)
	}
	if n := byKind["plan ARC302-R1"]; n.Code != "ARC302" || !strings.Contains(n.Old, "ARC302 Mon") || !strings.Contains(n.New, "ARC302-R1 Tue") || !strings.Contains(n.New, "was cancelled") {
		t.Errorf("plan notice %+v", n)
	}
	if n := byKind["clash CNS312"]; !strings.Contains(n.New, "SVS401") {
		t.Errorf("clash notice %+v", n)
	}
	// Every notice went to both sinks, the clash at the highest priority.
	for _, s := range w.sinks {
		if len(s.got) != len(got) {
			t.Errorf("%s got %d notices, want %d", s.service, len(s.got), len(got))
		}
		if s.got[0].Priority != notify.Urgent || !strings.Contains(s.got[0].Title, "CNS312") {
			t.Errorf("%s's first notice %+v; want CNS312's clash, urgent", s.service, s.got[0])
		}
	}
	for _, n := range r.Notices {
		if !slices.Equal(n.Sent, []string{"ntfy", "smtp"}) {
			t.Errorf("%s %s sent to %v", n.Kind, n.Session, n.Sent)
		}
	}
	// The same catalog again: nothing new, nothing resent.
	r, err = w.run()
	if err != nil || len(r.Notices) != 0 || len(w.sinks[0].got) != len(got) {
		t.Fatalf("a rerun: %v, notices %v, ntfy got %d", err, kinds(r.Notices), len(w.sinks[0].got))
	}
}

func TestCancelledAndReturned(t *testing.T) {
	w := newWorld(t)
	if _, err := w.run(); err != nil {
		t.Fatal(err)
	}
	w.edit("API304", func(s *catalog.Session) { s.Status = "cancelled" })
	r, _ := w.run()
	if got := kinds(r.Notices); !slices.Contains(got, "cancelled API304") {
		t.Errorf("notices %v; want API304 cancelled", got)
	}
	w.edit("API304", func(s *catalog.Session) { s.Status = "" })
	r, _ = w.run()
	if got := kinds(r.Notices); !slices.Contains(got, "returned API304") {
		t.Errorf("notices %v; want API304 back", got)
	}
	// Gone from the catalog, then back.
	saved := slices.Clone(w.sessions)
	w.remove("API304")
	r, _ = w.run()
	if got := kinds(r.Notices); !slices.Contains(got, "cancelled API304") || !slices.Contains(got, "plan API304") {
		t.Errorf("notices %v; want API304 removed and out of the plan", got)
	}
	w.sessions = saved
	r, _ = w.run()
	if got := kinds(r.Notices); !slices.Contains(got, "returned API304") || !slices.Contains(got, "plan API304") {
		t.Errorf("notices %v; want API304 back and in the plan", got)
	}
}

func TestFailingSinkKeepsItsNoticesPending(t *testing.T) {
	w := newWorld(t)
	if _, err := w.run(); err != nil {
		t.Fatal(err)
	}
	w.sinks[1].fail = true
	w.edit("API304", func(s *catalog.Session) { s.Room = "Room 2" })
	w.edit("DAT301", func(s *catalog.Session) { s.Room = "Room 3" })
	r, err := w.run()
	if !errors.Is(err, ErrPending) || r.Pending != 2 {
		t.Fatalf("run with a failing sink: %v, pending %d; want ErrPending and 2", err, r.Pending)
	}
	if !strings.Contains(err.Error(), "smtp at example.com: 503") {
		t.Errorf("error %q does not say which sink failed", err)
	}
	if len(w.sinks[0].got) != 2 || len(w.sinks[1].got) != 0 {
		t.Errorf("ntfy got %d, smtp %d; the failing sink must not hold back the other", len(w.sinks[0].got), len(w.sinks[1].got))
	}
	w.sinks[1].fail = false
	r, err = w.run()
	if err != nil || r.Earlier != 2 || len(r.Notices) != 0 {
		t.Fatalf("next run: %v, earlier %d, notices %d; want the 2 pending sent", err, r.Earlier, len(r.Notices))
	}
	if !slices.Equal(w.sinks[0].ids(), w.sinks[1].ids()) {
		t.Errorf("ntfy got %v, smtp %v; want each notice once at each", w.sinks[0].ids(), w.sinks[1].ids())
	}
}

func TestDryRunRecordsAndSendsNothing(t *testing.T) {
	w := newWorld(t)
	if _, err := w.run(); err != nil {
		t.Fatal(err)
	}
	w.ics = filepath.Join(t.TempDir(), "plan.ics")
	w.edit("API304", func(s *catalog.Session) { s.Room = "Room 2" })
	o := w.options()
	o.DryRun = true
	r, err := Run(context.Background(), w.deps(), o)
	if err != nil || len(r.Notices) != 1 || r.Notices[0].Sent != nil {
		t.Fatalf("dry run: %v, %+v", err, r.Notices)
	}
	if len(w.sinks[0].got) != 0 {
		t.Errorf("a dry run sent %d notices", len(w.sinks[0].got))
	}
	if _, err := filepath.Glob(w.ics); err != nil {
		t.Fatal(err)
	}
	r, err = w.run()
	if err != nil || len(r.Notices) != 1 {
		t.Fatalf("the run after a dry run: %v, %v; want the notice the dry run showed", err, kinds(r.Notices))
	}
}

func TestShrunkCatalogRecordsNothing(t *testing.T) {
	w := newWorld(t)
	if _, err := w.run(); err != nil {
		t.Fatal(err)
	}
	full := slices.Clone(w.sessions)
	w.sessions = w.sessions[:3]
	if _, err := w.run(); !errors.Is(err, ErrShrunk) {
		t.Fatalf("a catalog of 3 after 7: %v, want ErrShrunk", err)
	}
	w.sessions = full
	r, err := w.run()
	if err != nil || len(r.Notices) != 0 {
		t.Errorf("after the catalog came back: %v, %v; want no notice", err, kinds(r.Notices))
	}
}

func TestPlanKeepsThePreviousChoice(t *testing.T) {
	w := newWorld(t)
	// ARC302's two instances are equally good: one a day, same venue.
	w.edit("ARC302-R1", func(s *catalog.Session) { s.Venue = "Venetian" })
	if _, err := w.run(); err != nil {
		t.Fatal(err)
	}
	prev, _, _ := w.st.FollowState(context.Background(), "reinvent2026")
	for range 3 {
		r, err := w.run()
		if err != nil || len(r.Notices) != 0 {
			t.Fatalf("rerun: %v, %v", err, kinds(r.Notices))
		}
	}
	now, _, _ := w.st.FollowState(context.Background(), "reinvent2026")
	if !strings.Contains(string(prev), `"ARC302":{"session":"ARC302`) || string(extract(prev)) != string(extract(now)) {
		t.Errorf("the plan changed with nothing in the catalog changed")
	}
}

// extract is the plan part of a stored state.
func extract(state []byte) string {
	s := string(state)
	i := strings.Index(s, `"plan":`)
	j := strings.Index(s, `"held":`)
	if i < 0 || j < i {
		return s
	}
	return s[i:j]
}

func TestEveryServesTheCalendarAndStopsOnCancel(t *testing.T) {
	w := newWorld(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	runs := 0
	addr := make(chan string, 1)
	var mu sync.Mutex
	err := Every(ctx, w.deps(), w.options(), EveryOptions{Every: time.Millisecond, Serve: "127.0.0.1:0", Token: strings.Repeat("ab", 16),
		Ready: func(a string) { addr <- a },
		Done: func(r *Report, err error) {
			mu.Lock()
			defer mu.Unlock()
			runs++
			if err != nil {
				t.Errorf("run %d: %v", runs, err)
			}
			if runs == 2 {
				resp, err := http.Get("http://" + <-addr + "/calendar/" + strings.Repeat("ab", 16) + ".ics")
				if err != nil {
					t.Fatal(err)
				}
				body, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				if resp.StatusCode != 200 || !strings.Contains(string(body), "SUMMARY:API304") && !strings.Contains(string(body), "API304") {
					t.Errorf("calendar: %d %s", resp.StatusCode, body)
				}
				cancel()
			}
		}})
	if err != nil || runs != 2 {
		t.Errorf("Every: %v after %d runs; want nil after 2", err, runs)
	}
}

// TestEveryGoesOnAfterANetworkFailure: a run that fails on the network is
// tried again at the next tick; a sign-in that is gone ends Every.
func TestEveryGoesOnAfterANetworkFailure(t *testing.T) {
	for _, tt := range []struct {
		err      error
		wantRuns int
		wantErr  bool
	}{
		{fmt.Errorf("fetch page 3: %w", catalog.ErrUnavailable), 3, false},
		{fmt.Errorf("refresh the sign-in: %w", catalog.ErrAuth), 1, true},
	} {
		w := newWorld(t)
		d := w.deps()
		d.Plan.Fetch = func(context.Context) (*catalog.Catalog, error) { return nil, tt.err }
		ctx, cancel := context.WithCancel(context.Background())
		runs := 0
		err := Every(ctx, d, w.options(), EveryOptions{Every: time.Millisecond, Done: func(_ *Report, err error) {
			runs++
			if !errors.Is(err, tt.err) {
				t.Errorf("run %d: %v, want %v", runs, err, tt.err)
			}
			if runs == 3 {
				cancel()
			}
		}})
		cancel()
		if runs != tt.wantRuns || (err != nil) != tt.wantErr {
			t.Errorf("%v: Every returned %v after %d runs; want %d runs, an error %v", tt.err, err, runs, tt.wantRuns, tt.wantErr)
		}
	}
}

// holder is a signed-in account: the conference's two held seats and its
// personal time (with no location: the walk to and from it costs the
// unknown-travel 30 minutes).
type holder struct{ personal []eventsapi.PersonalTime }

func (holder) SignedIn(context.Context) (bool, error) { return true, nil }
func (h holder) Schedule(context.Context, string) (*eventsapi.Schedule, error) {
	return &eventsapi.Schedule{Reserved: map[string]bool{"id-SVS401": true, "id-CNS312": true}, Favorites: map[string]bool{},
		Personal: h.personal}, nil
}

// TestHeldSeatMovedOntoPersonalTime: personal time is busy; when a held
// seat moves onto it, the seat is what now clashes, urgently.
func TestHeldSeatMovedOntoPersonalTime(t *testing.T) {
	w := newWorld(t)
	at := catalogtest.At
	h := holder{personal: []eventsapi.PersonalTime{{ID: "p1", Title: "Lunch with Ann", Start: at(0, 11), End: at(0, 12)}}}
	d := w.deps()
	d.Plan.Account = func() (reserve.Holder, error) { return h, nil }
	if _, err := Run(context.Background(), d, w.options()); err != nil {
		t.Fatal(err)
	}
	w.edit("SVS401", func(s *catalog.Session) {
		s.Start, s.End = at(0, 11).Add(30*time.Minute), at(0, 12).Add(30*time.Minute)
	})
	d = w.deps()
	d.Plan.Account = func() (reserve.Holder, error) { return h, nil }
	r, err := Run(context.Background(), d, w.options())
	if err != nil {
		t.Fatal(err)
	}
	if got := kinds(r.Notices); len(got) == 0 || got[0] != "clash SVS401" {
		t.Fatalf("notices %v; want SVS401's clash first", got)
	}
	if n := r.Notices[0]; n.New != "clashes with personal time (Lunch with Ann)" {
		t.Errorf("clash notice %+v", n)
	}
	if r.Planned.Result.Unscheduled != nil && slices.ContainsFunc(r.Planned.Result.Unscheduled, func(u schedule.Unscheduled) bool { return reserve.IsPersonal(u.Code) }) {
		t.Errorf("personal time shows as an unscheduled code: %+v", r.Planned.Result.Unscheduled)
	}
}

// account is a signed-in attendee whose seats can be reserved: the
// conference's two held seats to start with.
type account struct {
	mu       sync.Mutex
	reserved map[string]bool
	full     map[string]bool
	requests int
	cancels  []string
	writes   []string // "reserve ID,ID" and "cancel ID", in order
}

func newAccount() *account {
	return &account{reserved: map[string]bool{"id-SVS401": true, "id-CNS312": true}, full: map[string]bool{}}
}

func (a *account) SignedIn(context.Context) (bool, error) { return true, nil }
func (a *account) Schedule(context.Context, string) (*eventsapi.Schedule, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	return &eventsapi.Schedule{Reserved: maps.Clone(a.reserved), Favorites: map[string]bool{}}, nil
}
func (a *account) Reserve(_ context.Context, _ string, ids []string) (*eventsapi.Result, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.requests++
	a.writes = append(a.writes, "reserve "+strings.Join(ids, ","))
	res := &eventsapi.Result{}
	for _, id := range ids {
		if a.full[id] {
			res.Failed = append(res.Failed, eventsapi.Failure{SessionID: id, Code: eventsapi.CodeSessionFull})
			continue
		}
		a.reserved[id] = true
		res.Successful = append(res.Successful, id)
	}
	return res, nil
}

func (a *account) Favorite(context.Context, string, []string) (*eventsapi.Result, error) {
	return &eventsapi.Result{}, nil
}

func (a *account) Cancel(_ context.Context, _ string, id string) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.cancels = append(a.cancels, id)
	a.writes = append(a.writes, "cancel "+id)
	if !a.reserved[id] {
		return eventsapi.ErrNotHeld
	}
	delete(a.reserved, id)
	return nil
}

// TestRebookTakesWhatOpened: with --rebook, a run reserves the planned
// instances not held that have seats, and says so in a notice; a session
// with no seats is left, and taken once its seats open; a rerun books
// nothing twice.
func TestRebookTakesWhatOpened(t *testing.T) {
	w := newWorld(t)
	acct := newAccount()
	run := func() *Report { t.Helper(); return w.rebook(acct, false) }
	if r := run(); !r.Baseline || acct.requests != 0 {
		t.Fatalf("baseline: %v, %d reservation requests; a baseline books nothing", r.Baseline, acct.requests)
	}
	// DAT301 is full (its band says so, and the API agrees); the rest has seats.
	acct.full["id-DAT301"] = true
	r := run()
	if got := kinds(r.Notices); !slices.Equal(got, []string{"reserved API304", "reserved ARC302"}) {
		t.Errorf("notices %v; want ARC302 and API304 reserved", got)
	}
	if !acct.reserved["id-ARC302"] || !acct.reserved["id-API304"] || acct.reserved["id-DAT301"] {
		t.Errorf("held %v", acct.reserved)
	}
	// DAT301's seats open.
	delete(acct.full, "id-DAT301")
	w.edit("DAT301", func(s *catalog.Session) { s.SeatAvailability = "limited" })
	before := acct.requests
	r = run()
	got := kinds(r.Notices)
	if !slices.Contains(got, "reserved DAT301") || !slices.Contains(got, "seats DAT301") {
		t.Fatalf("notices %v; want DAT301's seats and its reservation", got)
	}
	for _, n := range r.Notices {
		if n.Kind == KindReserved && !strings.HasSuffix(n.New, ", seats opened") {
			t.Errorf("reserved notice %+v; want why: seats opened", n)
		}
	}
	if acct.requests != before+1 {
		t.Errorf("%d requests, want 1", acct.requests-before)
	}
	// Nothing new: nothing sent.
	before = acct.requests
	if r := run(); len(r.Notices) != 0 || acct.requests != before {
		t.Errorf("a rerun: notices %v, %d requests", kinds(r.Notices), acct.requests-before)
	}
}

// TestRebookReplacesASeatThatNowClashes: a held seat moved onto another;
// --rebook reserves another instance of its code that fits, and never
// cancels the seat that clashes.
func TestRebookReplacesASeatThatNowClashes(t *testing.T) {
	w := newWorld(t)
	w.sessions = append(w.sessions, catalogtest.Session(catalog.Session{Code: "CNS312-R", SessionID: "id-CNS312-R", Title: "Containers",
		Venue: "Venetian", Room: "Room 1", Start: catalogtest.At(1, 15), SeatAvailability: "available", Reservable: true}))
	acct := newAccount()
	run := func() *Report { t.Helper(); return w.rebook(acct, false) }
	run()
	run() // books ARC302, DAT301 and API304: the plan's other codes
	w.edit("CNS312", func(s *catalog.Session) {
		s.Start, s.End = catalogtest.At(0, 13).Add(15*time.Minute), catalogtest.At(0, 14).Add(15*time.Minute)
	})
	r := run()
	got := kinds(r.Notices)
	if !slices.Contains(got, "clash CNS312") || !slices.Contains(got, "reserved CNS312-R") {
		t.Fatalf("notices %v; want CNS312's clash and CNS312-R reserved", got)
	}
	for _, n := range r.Notices {
		if n.Kind == KindReserved && !strings.Contains(n.New, "in place of CNS312, which now clashes") {
			t.Errorf("reserved notice %+v", n)
		}
	}
	if !acct.reserved["id-CNS312"] || !acct.reserved["id-CNS312-R"] {
		t.Errorf("held %v; want both CNS312 (never cancelled without --swap) and CNS312-R", acct.reserved)
	}
}

// TestSwapGivesUpTheSeatThatClashes: with --swap, once another instance
// of a clashing seat's code is held, the seat that clashes is given up,
// and only that one; without a replacement, nothing is cancelled.
func TestSwapGivesUpTheSeatThatClashes(t *testing.T) {
	w := newWorld(t)
	w.sessions = append(w.sessions, catalogtest.Session(catalog.Session{Code: "CNS312-R", SessionID: "id-CNS312-R", Title: "Containers",
		Venue: "Venetian", Room: "Room 1", Start: catalogtest.At(1, 15), SeatAvailability: "available", Reservable: true}))
	acct := newAccount()
	run := func() *Report { t.Helper(); return w.rebook(acct, true) }
	run()
	run()
	if len(acct.cancels) != 0 {
		t.Fatalf("cancels %v with nothing clashing", acct.cancels)
	}
	w.edit("CNS312", func(s *catalog.Session) {
		s.Start, s.End = catalogtest.At(0, 13).Add(15*time.Minute), catalogtest.At(0, 14).Add(15*time.Minute)
	})
	r := run()
	got := kinds(r.Notices)
	for _, k := range []string{"clash CNS312", "reserved CNS312-R", "released CNS312"} {
		if !slices.Contains(got, k) {
			t.Errorf("notices %v; want %q", got, k)
		}
	}
	if !slices.Equal(acct.cancels, []string{"id-CNS312"}) || acct.reserved["id-CNS312"] || !acct.reserved["id-CNS312-R"] || !acct.reserved["id-SVS401"] {
		t.Errorf("cancels %v, held %v; want CNS312 alone given up, for CNS312-R", acct.cancels, acct.reserved)
	}
	for _, n := range r.Notices {
		if n.Kind == KindReleased && n.New != "no longer held, given up: it clashed with SVS401" {
			t.Errorf("released notice %+v", n)
		}
	}
	if r := run(); len(r.Notices) != 0 || len(acct.cancels) != 1 {
		t.Errorf("a rerun: notices %v, cancels %v", kinds(r.Notices), acct.cancels)
	}
}

// rebook runs follow --rebook (and --swap) against acct, an hour after
// the last run.
func (w *world) rebook(acct *account, swap bool) *Report {
	w.t.Helper()
	d := w.deps()
	d.Plan.Account = func() (reserve.Holder, error) { return acct, nil }
	d.Writer = acct
	o := w.options()
	o.Rebook, o.Swap = true, swap
	o.Reserve = reserve.Options{Sleep: func(context.Context, time.Duration) error { return nil }}
	w.now = w.now.Add(time.Hour)
	r, err := Run(context.Background(), d, o)
	if err != nil {
		w.t.Fatal(err)
	}
	return r
}

// TestRebookDryRunSaysWhatItWouldReserve: --rebook --dry-run reserves
// nothing and says on stderr what it would reserve.
func TestRebookDryRunSaysWhatItWouldReserve(t *testing.T) {
	w := newWorld(t)
	acct := newAccount()
	w.rebook(acct, false) // the baseline
	d := w.deps()
	d.Plan.Account = func() (reserve.Holder, error) { return acct, nil }
	d.Writer = acct
	o := w.options()
	o.Rebook, o.DryRun = true, true
	r, err := Run(context.Background(), d, o)
	if err != nil {
		t.Fatal(err)
	}
	var out, errOut strings.Builder
	if err := r.Write(&out, &errOut, false, true); err != nil {
		t.Fatal(err)
	}
	if acct.requests != 0 || !strings.Contains(errOut.String(), "would reserve ARC302       Mon 10:00 Venetian  Architecture\n") {
		t.Errorf("%d requests; stderr %q", acct.requests, errOut.String())
	}
}

// TestCalendarFileFailureHoldsBackNoNotice: a calendar file that cannot be
// written is an error of the run, after its notices were sent.
func TestCalendarFileFailureHoldsBackNoNotice(t *testing.T) {
	w := newWorld(t)
	if _, err := w.run(); err != nil {
		t.Fatal(err)
	}
	w.ics = filepath.Join(t.TempDir(), "gone", "plan.ics")
	w.edit("API304", func(s *catalog.Session) { s.Room = "Room 2" })
	r, err := w.run()
	if err == nil || !strings.Contains(err.Error(), "the notices were sent") || len(r.Notices) != 1 || len(w.sinks[0].got) != 1 {
		t.Errorf("run: %v; notices %v, ntfy got %d; want the notice sent and the file's error", err, kinds(r.Notices), len(w.sinks[0].got))
	}
}

// TestEveryKindHasWordsAtTheSink: every kind of notice reaches a sink
// with a title that says what happened, and a tag.
func TestEveryKindHasWordsAtTheSink(t *testing.T) {
	for _, k := range []string{KindMoved, KindRelocated, KindRenamed, KindCancelled, KindReturned, KindSeats, KindNewRepeat,
		KindPlan, KindClash, KindReserved, KindReleased, KindSwapFailed, KindSeatLost} {
		n := sinkNotice(&Notice{ID: "x", Kind: k, Session: "ARC302"})
		if strings.TrimSpace(strings.TrimPrefix(n.Title, "ARC302")) == "" || len(n.Tags) != 1 || n.Tags[0] == "" {
			t.Errorf("%s: title %q, tags %q", k, n.Title, n.Tags)
		}
	}
}
