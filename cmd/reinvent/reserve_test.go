package main

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	fakeevents "github.com/reinvent-cli/reinvent/internal/fake/events"
)

// reservable is a reservable session with seats to spare at the Venetian.
func reservable(id, code, date, clock string) fakeevents.Session {
	s := sessionAt(id, code, "Title of "+code, "Venetian", "Level 2 | Hall "+code, date, clock, "60")
	s.IsReservable, s.SeatAvailability = new(true), "available"
	return s
}

// signedIn is the binary's flags for fake with a store signed in to it.
func signedIn(t *testing.T, fake *fakeevents.Server) []string {
	t.Helper()
	db := filepath.Join(t.TempDir(), "reinvent.db")
	tokens := `{"access_token":"at-e2e","refresh_token":"rt-e2e"}`
	if err := os.WriteFile(filepath.Join(filepath.Dir(db), "events-api-tokens.json"), []byte(tokens), 0o600); err != nil {
		t.Fatal(err)
	}
	return []string{"--events-api-url", fake.URL, "--db", db}
}

// reserveWorld is the Events API fake with four requested codes: SVS401's
// first instance is full and its repeat is not, ARC302 has seats,
// DAT301 is held already and AIM315 is walk-up.
func reserveWorld(t *testing.T) (*fakeevents.Server, []string) {
	t.Helper()
	walk := reservable("w1", "AIM315", "2026-12-02", "13:00")
	walk.SeatAvailability = "walkUp"
	fake := fakeevents.New("reinvent2026", []any{
		reservable("a1", "SVS401", "2026-12-01", "09:00"), reservable("a2", "SVS401-R", "2026-12-01", "13:00"),
		reservable("b1", "ARC302", "2026-12-01", "11:00"), reservable("c1", "DAT301", "2026-11-30", "10:00"), walk,
	})
	t.Cleanup(fake.Close)
	fake.Lock()
	fake.Event.TimeZone = "America/Los_Angeles"
	fake.Reserved = []string{"c1"}
	fake.Seats = map[string]int{"a1": 0, "a2": 5, "b1": 5, "c1": 5}
	fake.Unlock()
	return fake, signedIn(t, fake)
}

var worldCodes = []string{"SVS401", "ARC302", "DAT301", "AIM315"}

// held is what the account holds, sorted.
func held(fake *fakeevents.Server) string {
	fake.Lock()
	defer fake.Unlock()
	h := slices.Clone(fake.Reserved)
	slices.Sort(h)
	return strings.Join(h, " ")
}

// writes are the reservation requests the fake got, each as its ids and
// status ("a1+b1:200"; status 0 is a dropped connection).
func writes(fake *fakeevents.Server) []string {
	fake.Lock()
	defer fake.Unlock()
	var out []string
	for _, w := range fake.Writes {
		if w.Key == "reserve" {
			out = append(out, fmt.Sprintf("%s:%d", strings.Join(w.SessionIDs, "+"), w.Status))
		}
	}
	return out
}

// noRepeats fails when a session was sent again after a write had taken
// its seat. A session that a lost answer leaves not held may be sent once
// more: the write never arrived, or it was refused and is refused again,
// which changes nothing.
func noRepeats(t *testing.T, fake *fakeevents.Server) {
	t.Helper()
	fake.Lock()
	defer fake.Unlock()
	done := map[string]bool{}
	for _, w := range fake.Writes {
		if w.Key != "reserve" {
			continue
		}
		for _, id := range w.SessionIDs {
			if done[id] {
				t.Errorf("session %s was sent again after a write of it was done: %+v", id, fake.Writes)
			}
		}
		for _, id := range w.Reserved {
			done[id] = true
		}
	}
}

type reserveReport struct {
	Reserved    []struct{ Code, Session, From string } `json:"reserved"`
	AlreadyHeld []struct{ Session string }             `json:"already_held"`
	WalkUp      []struct{ Session string }             `json:"walk_up"`
	NotHeld     []struct{ Code, Reason string }        `json:"not_held"`
	Requests    int                                    `json:"requests"`
	Reconciled  int                                    `json:"reconciled"`
}

func reserveJSON(t *testing.T, args ...string) (*reserveReport, string, int) {
	t.Helper()
	out, errOut, code := run(t, append([]string{"reserve", "--yes", "--format", "json"}, args...)...)
	var rep reserveReport
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("reserve: exit %d, %v\n%s%s", code, err, out, errOut)
	}
	return &rep, errOut, code
}

func (r *reserveReport) reserved() string {
	var got []string
	for _, e := range r.Reserved {
		s := e.Session
		if e.From != "" {
			s += "<" + e.From
		}
		got = append(got, s)
	}
	slices.Sort(got)
	return strings.Join(got, " ")
}

// TestReserveEndToEnd: a dry run writes nothing; without a terminal and
// --yes it is a dry run too; with --yes a full instance falls back to its
// repeat, the held seat and the walk-up are reported, and a lost answer
// (the seats taken, the connection dropped) is read back, not resent.
func TestReserveEndToEnd(t *testing.T) {
	fake, args := reserveWorld(t)
	out, errOut, code := run(t, append(append([]string{"reserve", "--dry-run"}, worldCodes...), args...)...)
	if code != 0 || !strings.HasPrefix(out, "Dry run: would reserve 2 sessions; 1 already held, 1 walk-up") || len(writes(fake)) != 0 {
		t.Fatalf("dry run: exit %d, writes %v\n%s%s", code, writes(fake), out, errOut)
	}
	out, errOut, code = run(t, append(append([]string{"reserve"}, worldCodes...), args...)...)
	if code != 0 || !strings.Contains(errOut, "no --yes: nothing is reserved") || len(writes(fake)) != 0 {
		t.Fatalf("without a terminal or --yes: exit %d, writes %v\n%s%s", code, writes(fake), out, errOut)
	}

	fake.FailNext("reserve", fakeevents.Failure{Done: true, Drop: true})
	rep, errOut, code := reserveJSON(t, append(worldCodes, args...)...)
	if code != 0 || rep.reserved() != "ARC302 SVS401-R<SVS401" || len(rep.AlreadyHeld) != 1 || len(rep.WalkUp) != 1 || len(rep.NotHeld) != 0 || rep.Reconciled != 1 {
		t.Errorf("exit %d, reserved %q, report %+v\n%s", code, rep.reserved(), rep, errOut)
	}
	if got := strings.Join(writes(fake), " "); got != "a1+b1:0 a1:200 a2:200" {
		t.Errorf("writes %s; want the lost one, the full instance alone, then its repeat", got)
	}
	noRepeats(t, fake)
	if h := held(fake); h != "a2 b1 c1" {
		t.Errorf("the account holds %s", h)
	}

	// Run again: everything is held, nothing is sent.
	before := len(writes(fake))
	if out, errOut, code = run(t, append(append([]string{"reserve", "--yes"}, worldCodes...), args...)...); code != 0 || len(writes(fake)) != before {
		t.Errorf("second run: exit %d, new writes %v\n%s%s", code, writes(fake)[before:], out, errOut)
	}
	// schedule knows what is held: SVS401 is planned at its held repeat.
	if out, errOut, code = run(t, append([]string{"schedule", "SVS401", "--format", "json"}, args...)...); code != 0 || !strings.Contains(out, `"session": "SVS401-R"`) {
		t.Errorf("schedule around held seats: exit %d\n%s%s", code, out, errOut)
	}
}

// TestReserveUncertainAnswers: a 503 before the write happened is read
// back and sent once more; a 500 after it happened is read back and not
// sent again; a write lost twice is sent a third time and holds.
func TestReserveUncertainAnswers(t *testing.T) {
	fake, args := reserveWorld(t)
	fake.FailNext("reserve", fakeevents.Failure{Status: 503, Body: `{"message":"Service Unavailable"}`},
		fakeevents.Failure{Status: 500, Body: `{"message":"Internal Server Error"}`, Done: true})
	rep, errOut, code := reserveJSON(t, append([]string{"ARC302", "DAT301"}, args...)...)
	if code != 0 || rep.reserved() != "ARC302" || rep.Reconciled != 2 {
		t.Errorf("exit %d, reserved %q, reconciled %d\n%s", code, rep.reserved(), rep.Reconciled, errOut)
	}
	if got := strings.Join(writes(fake), " "); got != "b1:503 b1:500" {
		t.Errorf("writes %s; want the 503, then once more, done with a 500, and no third", got)
	}
	noRepeats(t, fake)

	fake.FailNext("reserve", fakeevents.Failure{Status: 503}, fakeevents.Failure{Status: 503})
	rep, errOut, code = reserveJSON(t, append([]string{"SVS401-R"}, args...)...)
	if code != 0 || rep.reserved() != "SVS401-R" || rep.Reconciled != 2 || held(fake) != "a2 b1 c1" {
		t.Errorf("lost twice: exit %d, reserved %q, reconciled %d, held %s\n%s", code, rep.reserved(), rep.Reconciled, held(fake), errOut)
	}
	if got := strings.Join(writes(fake)[2:], " "); got != "a2:503 a2:503 a2:200" {
		t.Errorf("lost twice: writes %s; want the same session three times", got)
	}
	noRepeats(t, fake)
}

// spread is n reservable sessions that do not clash, four a day from
// Tuesday at 9:00, 11:00, 13:00 and 15:00, with their codes.
func spread(prefix, idPrefix string, n int) ([]any, []string) {
	var items []any
	var codes []string
	for i := range n {
		code := fmt.Sprintf("%s%d01", prefix, 10+i)
		items = append(items, reservable(fmt.Sprintf("%s%02d", idPrefix, i), code, fmt.Sprintf("2026-12-0%d", 1+i/4), fmt.Sprintf("%d:00", 9+2*(i%4))))
		codes = append(codes, code)
	}
	return items, codes
}

// TestReserveQuota: twelve sessions are two requests; the second finds
// the quota spent, waits the Retry-After and goes through.
func TestReserveQuota(t *testing.T) {
	items, codes := spread("QTA", "q", 12)
	fake := fakeevents.New("reinvent2026", items)
	t.Cleanup(fake.Close)
	fake.Lock()
	// A window of 2 s of 10 sessions, on a clock that starts at the
	// first reservation: the second request lands in the same window.
	base := time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC)
	var first time.Time
	fake.Quotas, fake.Window = map[string]int{"reserve": 10}, 2*time.Second
	fake.Now = func() time.Time { // called under the fake's lock
		if fake.Requests["reserve"] == 0 {
			return base
		}
		if first.IsZero() {
			first = time.Now()
		}
		return base.Add(time.Since(first))
	}
	fake.Unlock()
	rep, errOut, code := reserveJSON(t, append(codes, signedIn(t, fake)...)...)
	if code != 0 || len(rep.Reserved) != 12 {
		t.Errorf("exit %d, %d reserved\n%s", code, len(rep.Reserved), errOut)
	}
	w := writes(fake)
	if len(w) != 3 || !strings.HasSuffix(w[0], ":200") || !strings.HasSuffix(w[1], ":429") || !strings.HasSuffix(w[2], ":200") || strings.Count(w[0], "+") != 9 {
		t.Errorf("writes %v; want 10 sessions, then a 429, then the rest", w)
	}
	noRepeats(t, fake)
}

// TestReserveClashAppearsMidRun: between two requests the attendee blocks
// out, on another device, the time of a session still to be reserved. The
// fake answers scheduleConflict; reserve reads the schedule, replans, and
// takes the code's other instance.
func TestReserveClashAppearsMidRun(t *testing.T) {
	items, codes := spread("CLA", "k", 10)
	// LATE401 is planned last, on Friday at 15:00 with no walk; its repeat
	// on Thursday at 17:00 is a walk to the MGM Grand.
	late := sessionAt("z2", "LATE401-R", "Title of LATE401", "MGM Grand", "Level 1 | Room 116", "2026-12-03", "17:00", "60")
	late.IsReservable, late.SeatAvailability = new(true), "available"
	items = append(items, reservable("z1", "LATE401", "2026-12-04", "15:00"), late)
	codes = append(codes, "LATE401")
	fake := fakeevents.New("reinvent2026", items)
	t.Cleanup(fake.Close)
	fake.Lock()
	fake.Event.TimeZone = "America/Los_Angeles"
	fake.AfterWrite = func(w fakeevents.Write) { // called under the fake's lock
		if w.Key == "reserve" && len(fake.PersonalTime) == 0 {
			// Friday 14:00-17:00 in Las Vegas, in UTC without an offset.
			fake.PersonalTime = append(fake.PersonalTime, fakeevents.PersonalTime{PersonalTimeID: "pt-1",
				StartDateTime: "2026-12-04T22:00:00", EndDateTime: "2026-12-05T01:00:00", Title: "Flight home"})
		}
	}
	fake.Unlock()
	rep, errOut, code := reserveJSON(t, append(codes, signedIn(t, fake)...)...)
	w := writes(fake)
	if code != 0 || len(rep.Reserved) != 11 || !strings.Contains(rep.reserved(), "LATE401-R<LATE401") ||
		len(w) != 3 || strings.Count(w[0], "+") != 9 || w[1] != "z1:200" || w[2] != "z2:200" {
		t.Errorf("exit %d, writes %v, reserved %q, not held %+v\n%s", code, w, rep.reserved(), rep.NotHeld, errOut)
	}
	if h := held(fake); strings.Contains(h, "z1") || !strings.Contains(h, "z2") {
		t.Errorf("the account holds %s", h)
	}
	noRepeats(t, fake)
}

// TestReserveKilledRunResumed: a run killed while a write is in flight,
// run again, ends with the reservations of an uninterrupted run and sends
// no done write again; whether the write had happened or not.
func TestReserveKilledRunResumed(t *testing.T) {
	clean, cleanArgs := reserveWorld(t)
	if _, errOut, code := reserveJSON(t, append(worldCodes, cleanArgs...)...); code != 0 {
		t.Fatalf("uninterrupted run: exit %d\n%s", code, errOut)
	}
	want := held(clean)

	for _, done := range []bool{true, false} {
		t.Run(fmt.Sprintf("done=%v", done), func(t *testing.T) {
			fake, args := reserveWorld(t)
			inFlight, release := make(chan struct{}), make(chan struct{})
			fake.FailNext("reserve", fakeevents.Failure{Done: done, Drop: true, Hold: func() {
				close(inFlight)
				<-release
			}})
			defer close(release)
			cmd := command(t, append(append([]string{"reserve", "--yes"}, worldCodes...), args...)...)
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			<-inFlight
			if err := cmd.Process.Kill(); err != nil {
				t.Fatal(err)
			}
			_ = cmd.Wait()

			// The rerun shares the killed run's store.
			rep, errOut, code := reserveJSON(t, append(worldCodes, args...)...)
			if code != 0 || held(fake) != want || rep.Reconciled != 1 {
				t.Errorf("rerun: exit %d, holds %s (uninterrupted: %s), reconciled %d\n%s", code, held(fake), want, rep.Reconciled, errOut)
			}
			noRepeats(t, fake)
		})
	}
}

// TestReserveClosed: a 409 exits 1 with one line.
func TestReserveClosed(t *testing.T) {
	fake, args := reserveWorld(t)
	fake.Lock()
	fake.ReservationsClosed = true
	fake.Unlock()
	_, errOut, code := run(t, append([]string{"reserve", "--yes", "ARC302"}, args...)...)
	if code != 1 || !strings.Contains(errOut, "reservations are not open for this event") || strings.Count(strings.TrimSpace(errOut), "\n") > 0 {
		t.Errorf("exit %d, stderr %q; want 1 and one line", code, errOut)
	}
}

// TestFavoriteAndCancel: favorite sends twelve sessions in two requests;
// cancel frees a seat, and cancelling it again says it is gone.
func TestFavoriteAndCancel(t *testing.T) {
	var items []any
	var codes []string
	for i := range 12 {
		code := fmt.Sprintf("FAV%d01", 10+i)
		items = append(items, reservable(fmt.Sprintf("f%02d", i), code, "2026-12-01", fmt.Sprintf("%d:00", 8+i)))
		codes = append(codes, code)
	}
	fake := fakeevents.New("reinvent2026", items)
	t.Cleanup(fake.Close)
	fake.Lock()
	fake.Favorites = []string{"f00"}
	fake.Reserved = []string{"f03"}
	fake.Seats = map[string]int{"f03": 0}
	fake.Unlock()
	args := signedIn(t, fake)
	out, errOut, code := run(t, append(append([]string{"favorite"}, codes...), args...)...)
	if code != 0 || !strings.Contains(out, "12 sessions are favorites now") || fake.Count("favorite") != 2 {
		t.Errorf("favorite: exit %d, %d requests\n%s%s", code, fake.Count("favorite"), out, errOut)
	}
	out, errOut, code = run(t, append([]string{"cancel", "FAV1301", "FAV1401"}, args...)...)
	if code != 0 || out != "FAV1301: cancelled\nFAV1401: no seat held\n" || held(fake) != "" {
		t.Errorf("cancel: exit %d, holds %q\n%s%s", code, held(fake), out, errOut)
	}
	fake.Lock()
	seats := fake.Seats["f03"]
	fake.Unlock()
	if seats != 1 {
		t.Errorf("the cancelled seat was not given back: %d left", seats)
	}
	out, errOut, code = run(t, append([]string{"cancel", "FAV1301"}, args...)...)
	if code != 0 || out != "FAV1301: no seat held\n" {
		t.Errorf("cancel again: exit %d\n%s%s", code, out, errOut)
	}

	// The cancel's answer is lost after the seat was freed: read back.
	fake.Lock()
	fake.Reserved = []string{"f05"}
	fake.Unlock()
	fake.FailNext("cancel", fakeevents.Failure{Done: true, Drop: true})
	out, errOut, code = run(t, append([]string{"cancel", "FAV1501"}, args...)...)
	if code != 0 || out != "FAV1501: cancelled\n" || held(fake) != "" || fake.Count("cancel") != 2 {
		t.Errorf("cancel with a lost answer: exit %d, holds %q, %d cancels\n%s%s", code, held(fake), fake.Count("cancel"), out, errOut)
	}
}

// generated is a catalog of n sessions as the service sends them: base
// codes of one to three instances (the first, then -R1 and -R2) spread
// over the five days at the five venues, every one reservable with seats
// to spare; and 16 requested base codes, the first with repeats.
func generated(n int) ([]any, []string) {
	rng := rand.New(rand.NewPCG(2026, 12))
	prefixes := strings.Fields("AIM ARC CMP DAT DEV GMD HYB NET SEC STG SVS")
	venues := []string{"Venetian", "Wynn", "Encore", "Caesars Forum", "MGM Grand"}
	var items []any
	var codes []string
	for k := 0; len(items) < n; k++ {
		base := fmt.Sprintf("%s%d", prefixes[k%len(prefixes)], 200+k/len(prefixes))
		copies := 1 + rng.IntN(3)
		if copies > 1 && len(codes) < 16 {
			codes = append(codes, base)
		}
		for c := range min(copies, n-len(items)) {
			code := base
			if c > 0 {
				code += fmt.Sprintf("-R%d", c)
			}
			venue := venues[rng.IntN(len(venues))]
			s := sessionAt(fmt.Sprintf("g%04d", len(items)), code, "Title of "+base, venue, "Level 1 | Room "+code,
				fmt.Sprintf("2026-%s", []string{"11-30", "12-01", "12-02", "12-03", "12-04"}[rng.IntN(5)]),
				fmt.Sprintf("%d:%02d", 8+rng.IntN(10), 30*rng.IntN(2)), "60")
			s.IsReservable, s.SeatAvailability = new(true), "available"
			items = append(items, s)
		}
	}
	return items, codes
}

// TestReserveThroughOutages: a reservation whose answer does not come
// for a while (5xx answers of several shapes, dropped connections) is
// read back, and what is not held is sent again, the same instances,
// after the retry policy's backoff: the run ends with the seats of an
// undisturbed one, falls back from nothing, and a rerun sends nothing.
// An outage longer than the retry policy stops the run with exit 4 and
// the codes whose answers were lost; the rerun holds everything. The
// cases mostly wait out backoffs, so they run in parallel.
func TestReserveThroughOutages(t *testing.T) {
	items, codes := generated(1200)
	world := func(t *testing.T) (*fakeevents.Server, []string) {
		fake := fakeevents.New("reinvent2026", items)
		t.Cleanup(fake.Close)
		fake.Lock()
		fake.Event.TimeZone = "America/Los_Angeles"
		fake.Unlock()
		return fake, append(slices.Clone(codes), signedIn(t, fake)...)
	}
	calm, args := world(t)
	want, errOut, wantCode := reserveJSON(t, args...)
	if len(want.Reserved) < 12 || strings.Contains(want.reserved(), "<") {
		t.Fatalf("undisturbed run: exit %d, reserved %q, not held %+v\n%s", wantCode, want.reserved(), want.NotHeld, errOut)
	}
	wantHeld := held(calm)

	t.Run("503 past the retry policy", func(t *testing.T) {
		t.Parallel()
		fake, args := world(t)
		fake.FailNext("reserve", slices.Repeat([]fakeevents.Failure{{Status: 503, Body: `{"message":"Service Unavailable"}`}}, 100)...)
		out, errOut, code := run(t, append([]string{"reserve", "--yes", "--format", "json"}, args...)...)
		w := writes(fake)
		// One line of error, after the warnings logged as each answer was lost.
		lines := strings.Split(strings.TrimSpace(errOut), "\n")
		errLine := lines[len(lines)-1]
		for _, l := range lines[:len(lines)-1] {
			if !strings.Contains(l, "level=WARN msg=\"a write's answer was lost; reading the schedule back before anything else\"") {
				t.Errorf("stderr line %q: want only the lost answers' warnings before the error", l)
			}
		}
		lost, _, _ := strings.Cut(strings.TrimPrefix(errLine, "reinvent: the AWS Events API is unavailable: answer lost for "), " after ")
		if code != 4 || strings.Count(lost, ", ") != 9 || len(w) < 2 || held(fake) != "" {
			t.Errorf("exit %d, writes %v, held %q\n%s%s", code, w, held(fake), out, errOut)
		}
		// The report says it too: the first batch's codes are "answer
		// lost", the rest of the plan "not sent".
		var stopped reserveReport
		if err := json.Unmarshal([]byte(out), &stopped); err != nil {
			t.Fatalf("the report: %v\n%s", err, out)
		}
		why := map[string]int{}
		for _, e := range stopped.NotHeld {
			why[e.Reason]++
			if e.Reason == "answer lost" && !strings.Contains(lost, e.Code) {
				t.Errorf("%s is answer lost in the report, not in the error %q", e.Code, lost)
			}
		}
		if why["answer lost"] != 10 || why["not sent"] != len(want.Reserved)-10 || len(stopped.Reserved) != 0 {
			t.Errorf("not held %+v, reserved %d; want 10 answer lost and %d not sent", stopped.NotHeld, len(stopped.Reserved), len(want.Reserved)-10)
		}
		for _, x := range w {
			if x != w[0] {
				t.Errorf("writes %v; want the first batch again and again, and nothing else", w)
				break
			}
		}
		fake.Lock()
		fake.Fail["reserve"] = nil // the service is back
		fake.Unlock()
		rep, errOut, code := reserveJSON(t, args...)
		if code != wantCode || rep.reserved() != want.reserved() || held(fake) != wantHeld || rep.Reconciled != 0 {
			t.Errorf("rerun: exit %d, reserved %q, reconciled %d; undisturbed %q\n%s", code, rep.reserved(), rep.Reconciled, want.reserved(), errOut)
		}
		noRepeats(t, fake)
	})

	html := "<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1></body></html>"
	for _, tc := range []struct {
		name string
		f    fakeevents.Failure
		n    int
	}{
		{"500 twice", fakeevents.Failure{Status: 500, Body: `{"message":"Internal Server Error"}`}, 2},
		{"503 three times", fakeevents.Failure{Status: 503, Body: `{"message":"Service Unavailable"}`}, 3},
		{"502 HTML twice", fakeevents.Failure{Status: 502, Body: html, ContentType: "text/html"}, 2},
		{"empty 503 twice", fakeevents.Failure{Status: 503}, 2},
		{"dropped twice", fakeevents.Failure{Drop: true}, 2},
		{"500 after the write twice", fakeevents.Failure{Status: 500, Body: `{"message":"Internal Server Error"}`, Done: true}, 2},
		{"dropped after the write twice", fakeevents.Failure{Drop: true, Done: true}, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			fake, args := world(t)
			fake.FailNext("reserve", slices.Repeat([]fakeevents.Failure{tc.f}, tc.n)...)
			rep, errOut, code := reserveJSON(t, args...)
			if code != wantCode || rep.reserved() != want.reserved() || len(rep.NotHeld) != len(want.NotHeld) || held(fake) != wantHeld {
				t.Errorf("exit %d, reserved %q, not held %+v; undisturbed: reserved %q, not held %+v\nwrites %v\n%s",
					code, rep.reserved(), rep.NotHeld, want.reserved(), want.NotHeld, writes(fake), errOut)
			}
			noRepeats(t, fake)
			before := len(writes(fake))
			again, errOut, code := reserveJSON(t, args...)
			if code != wantCode || len(writes(fake)) != before || len(again.AlreadyHeld) != len(want.Reserved) {
				t.Errorf("rerun: exit %d, new writes %v, already held %d\n%s", code, writes(fake)[before:], len(again.AlreadyHeld), errOut)
			}
		})
	}
}
