package reserve

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/reinvent-cli/reinvent/internal/catalogtest"
	"github.com/reinvent-cli/reinvent/internal/testenv"
	"github.com/reinvent-cli/reinvent/pkg/catalog"
	"github.com/reinvent-cli/reinvent/pkg/catalog/eventsapi"
	"github.com/reinvent-cli/reinvent/pkg/retry"
	"github.com/reinvent-cli/reinvent/pkg/schedule"
	"github.com/reinvent-cli/reinvent/pkg/store"
)

// account is an attendee's account in memory: seats per session, what is
// held, and faults to inject. It records every write sent.
type account struct {
	seats    map[string]int
	held     map[string]bool
	personal []eventsapi.PersonalTime
	refuse   map[string]string // session id → failure code
	// lose makes the n-th write (1-based) happen and its answer get lost;
	// drop makes it get lost before it happens; down makes the first down
	// writes get lost before they happen, as in an outage.
	lose, drop, down int
	writes           [][]string
	// applied are the writes (indexes into writes) the account carried out.
	applied []int
	// before, when set, runs before each write is applied.
	before func(a *account, n int)
}

func (a *account) Schedule(context.Context, string) (*eventsapi.Schedule, error) {
	held := map[string]bool{}
	for k, v := range a.held {
		held[k] = v
	}
	return &eventsapi.Schedule{Reserved: held, Favorites: map[string]bool{}, Personal: a.personal}, nil
}

func (a *account) Reserve(_ context.Context, _ string, ids []string) (*eventsapi.Result, error) {
	a.writes = append(a.writes, slices.Clone(ids))
	if a.before != nil {
		a.before(a, len(a.writes))
	}
	if len(a.writes) == a.drop || len(a.writes) <= a.down {
		return nil, fmt.Errorf("503 Service Unavailable: %w", eventsapi.ErrUncertain)
	}
	a.applied = append(a.applied, len(a.writes)-1)
	r := &eventsapi.Result{}
	for _, id := range ids {
		switch {
		case a.held[id]:
			r.Failed = append(r.Failed, eventsapi.Failure{SessionID: id, Code: eventsapi.CodeAlreadyScheduled})
		case a.refuse[id] != "":
			r.Failed = append(r.Failed, eventsapi.Failure{SessionID: id, Code: a.refuse[id]})
		case a.seats[id] == 0:
			r.Failed = append(r.Failed, eventsapi.Failure{SessionID: id, Code: eventsapi.CodeSessionFull})
		default:
			a.seats[id]--
			a.held[id] = true
			r.Successful = append(r.Successful, id)
		}
	}
	if len(a.writes) == a.lose {
		return nil, fmt.Errorf("connection reset: %w", eventsapi.ErrUncertain)
	}
	return r, nil
}

var day = time.Date(2026, 12, 1, 0, 0, 0, 0, testenv.Vegas)

// session is a reservable session at hour h for an hour at the Venetian.
func session(code string, h int) catalog.Session {
	return catalogtest.Session(catalog.Session{Code: code, SessionID: "id-" + code, Title: "Title of " + code, Venue: "Venetian",
		Start: day.Add(time.Duration(h) * time.Hour), Reservable: true, SeatAvailability: catalog.SeatAvailable})
}

func newStore(t *testing.T) *store.Store { return newStoreB(t) }

func newStoreB(t testing.TB) *store.Store {
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "reinvent.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func options(codes ...string) Options {
	return Options{Event: "reinvent2026", Codes: codes,
		Plan:  schedule.Options{Location: testenv.Vegas, UnknownTravel: 30 * time.Minute},
		Sleep: func(context.Context, time.Duration) error { return nil }}
}

func codesOf(es []Entry) string {
	var out []string
	for _, e := range es {
		c := e.Session.Code
		if c == "" {
			c = e.Code
		}
		if e.From != "" {
			c += "<" + e.From
		}
		if e.Why != "" {
			c += "(" + e.Why + ")"
		}
		out = append(out, c)
	}
	return strings.Join(out, " ")
}

// noRepeats fails when a session was sent again after the account had
// carried out a write of it.
func noRepeats(t *testing.T, a *account) {
	t.Helper()
	done := map[string]bool{}
	for i, w := range a.writes {
		for _, id := range w {
			if done[id] {
				t.Errorf("session %s was sent again after a write of it was done: writes %v", id, a.writes)
			}
		}
		if slices.Contains(a.applied, i) {
			for _, id := range w {
				done[id] = true
			}
		}
	}
}

func TestReserveFallsBackFromAFullInstance(t *testing.T) {
	sessions := []catalog.Session{session("SVS401", 9), session("SVS401-R", 13), session("ARC302", 11), session("ARC302-R", 15), session("DAT301", 17)}
	sessions[4].SeatAvailability = catalog.SeatWalkUp
	a := &account{seats: map[string]int{"id-SVS401": 0, "id-SVS401-R": 5, "id-ARC302": 5, "id-ARC302-R": 5}, held: map[string]bool{}}
	rep, err := Run(context.Background(), newStore(t), a, sessions, options("SVS401", "ARC302", "DAT301"))
	if err != nil {
		t.Fatal(err)
	}
	// SVS401 at 9 is full: its repeat at 13 takes its place.
	if got := codesOf(rep.Reserved); got != "ARC302 SVS401-R<SVS401" {
		t.Errorf("reserved %q", got)
	}
	if got := codesOf(rep.WalkUp); got != "DAT301" {
		t.Errorf("walk-up %q", got)
	}
	if len(rep.NotHeld) != 0 || !a.held["id-SVS401-R"] || !a.held["id-ARC302"] || a.held["id-ARC302-R"] {
		t.Errorf("not held %v, account holds %v", codesOf(rep.NotHeld), a.held)
	}
	noRepeats(t, a)
}

func TestReserveAroundHeldSeatsAndPersonalTime(t *testing.T) {
	sessions := []catalog.Session{session("SVS401", 9), session("SVS401-R", 14), session("ARC302", 10), session("ARC302-R", 16)}
	a := &account{seats: map[string]int{"id-SVS401": 5, "id-SVS401-R": 5, "id-ARC302-R": 5, "id-ARC302": 5}, held: map[string]bool{"id-ARC302": true},
		personal: []eventsapi.PersonalTime{{ID: "p1", Title: "Lunch", Start: day.Add(8 * time.Hour).UTC(), End: day.Add(9*time.Hour + 30*time.Minute).UTC()}}}
	rep, err := Run(context.Background(), newStore(t), a, sessions, options("SVS401", "ARC302"))
	if err != nil {
		t.Fatal(err)
	}
	if got := codesOf(rep.AlreadyHeld); got != "ARC302" {
		t.Errorf("already held %q", got)
	}
	if got := codesOf(rep.Reserved); got != "SVS401-R" {
		t.Errorf("reserved %q (SVS401 at 9 is inside the personal block)", got)
	}
	if len(a.writes) != 1 || len(a.writes[0]) != 1 {
		t.Errorf("writes %v, want one of SVS401-R alone", a.writes)
	}
}

func TestReserveClashAppearsMidRun(t *testing.T) {
	var sessions []catalog.Session
	seats := map[string]int{}
	var codes []string
	for i := range 12 {
		s := session(fmt.Sprintf("AIM%d", 100+i), 0)
		s.Start = day.Add(time.Duration(8*60+i*70) * time.Minute)
		s.End = s.Start.Add(time.Hour)
		sessions = append(sessions, s)
		seats[s.SessionID] = 3
		codes = append(codes, s.Code)
	}
	other := session("AIM111-R", 0)
	other.Start, other.End = sessions[11].Start.Add(24*time.Hour), sessions[11].End.Add(24*time.Hour)
	sessions = append(sessions, other)
	seats[other.SessionID] = 3
	a := &account{seats: seats, held: map[string]bool{}}
	// Between the two batches, the attendee reserves something else at
	// the time of AIM111 on the website.
	a.before = func(a *account, n int) {
		if n == 2 {
			a.held["website-hold"] = true
			a.refuse = map[string]string{"id-AIM111": eventsapi.CodeScheduleConflict}
		}
	}
	rep, err := Run(context.Background(), newStore(t), a, sessions, options(codes...))
	if err != nil {
		t.Fatal(err)
	}
	if !a.held["id-AIM111-R"] || a.held["id-AIM111"] || len(rep.Reserved) != 12 {
		t.Errorf("reserved %q; account %v", codesOf(rep.Reserved), a.held)
	}
	noRepeats(t, a)
}

// A write whose answer is lost is settled by reading the schedule back;
// a run killed after journaling is settled by the next run. What the
// schedule holds is never sent again; what it does not hold is sent once
// more, knowingly, and a refusal then says why.
func TestReserveLostAnswerAndKilledRun(t *testing.T) {
	sessions := []catalog.Session{session("SVS401", 9), session("ARC302", 11)}
	a := &account{seats: map[string]int{"id-SVS401": 5, "id-ARC302": 5}, held: map[string]bool{}, lose: 1}
	st := newStore(t)
	rep, err := Run(context.Background(), st, a, sessions, options("SVS401", "ARC302"))
	if err != nil {
		t.Fatal(err)
	}
	if len(a.writes) != 1 || len(rep.Reserved) != 2 || rep.Reconciled != 1 {
		t.Errorf("writes %v, reserved %q, reconciled %d: want one write, both held, one settled", a.writes, codesOf(rep.Reserved), rep.Reconciled)
	}
	noRepeats(t, a)

	// The answer is lost before the write happens (a 503): read back, not
	// held, sent once more.
	d := &account{seats: map[string]int{"id-SVS401": 5, "id-ARC302": 5}, held: map[string]bool{}, drop: 1}
	rep, err = Run(context.Background(), newStore(t), d, sessions, options("SVS401", "ARC302"))
	if err != nil {
		t.Fatal(err)
	}
	if len(d.writes) != 2 || len(rep.Reserved) != 2 || rep.Reconciled != 1 {
		t.Errorf("after a 503: writes %v, reserved %q, reconciled %d: want two writes, both held, one settled", d.writes, codesOf(rep.Reserved), rep.Reconciled)
	}
	noRepeats(t, d)

	// Lost twice: read back each time, and sent a third time.
	e := &account{seats: map[string]int{"id-SVS401": 5}, held: map[string]bool{}, down: 2}
	rep, err = Run(context.Background(), newStore(t), e, sessions[:1], options("SVS401"))
	if err != nil {
		t.Fatal(err)
	}
	if len(e.writes) != 3 || codesOf(rep.Reserved) != "SVS401" || rep.Reconciled != 2 {
		t.Errorf("lost twice: writes %v, reserved %q, reconciled %d: want three writes and SVS401 held", e.writes, codesOf(rep.Reserved), rep.Reconciled)
	}

	// Killed runs: the journal says a write was sent; the account holds
	// one of its two sessions, and the other still has seats, or has none.
	for _, seats := range []int{5, 0} {
		st2 := newStore(t)
		if _, err := st2.JournalWrite(context.Background(), "reinvent2026", "reserve", []string{"id-SVS401", "id-ARC302"}, time.Now()); err != nil {
			t.Fatal(err)
		}
		b := &account{seats: map[string]int{"id-SVS401": 5, "id-ARC302": seats}, held: map[string]bool{"id-SVS401": true}}
		rep, err = Run(context.Background(), st2, b, sessions, options("SVS401", "ARC302"))
		if err != nil {
			t.Fatal(err)
		}
		wantReserved, wantNotHeld := "ARC302", ""
		if seats == 0 {
			wantReserved, wantNotHeld = "", "ARC302(full)"
		}
		if len(b.writes) != 1 || !slices.Equal(b.writes[0], []string{"id-ARC302"}) || rep.Reconciled != 1 || codesOf(rep.AlreadyHeld) != "SVS401" ||
			codesOf(rep.Reserved) != wantReserved || codesOf(rep.NotHeld) != wantNotHeld {
			t.Errorf("after a killed run (%d seats): writes %v, reconciled %d, held %q, reserved %q, not held %q", seats, b.writes, rep.Reconciled,
				codesOf(rep.AlreadyHeld), codesOf(rep.Reserved), codesOf(rep.NotHeld))
		}
		if open, _ := st2.Writes(context.Background(), "reinvent2026", store.WriteSent); len(open) != 0 {
			t.Errorf("%d writes still open", len(open))
		}
	}
}

// TestReserveThroughAnOutage: while answers are lost, the batch is read
// back and what is not held is sent again, the same instances, after the
// retry policy's backoff; nothing is planned again, so the seats are
// those of a run with no outage. Past the policy, the run stops with
// ErrUnavailable: the batch is "answer lost", the rest "not sent", and
// the next run holds everything.
func TestReserveThroughAnOutage(t *testing.T) {
	var sessions []catalog.Session
	var codes []string
	for i := range 12 {
		s, r := session(fmt.Sprintf("HYB%d", 200+i), 2*i), session(fmt.Sprintf("HYB%d-R", 200+i), 2*i+1)
		sessions = append(sessions, s, r)
		codes = append(codes, s.Code)
	}
	fresh := func(down int) *account {
		seats := map[string]int{}
		for _, s := range sessions {
			seats[s.SessionID] = 5
		}
		return &account{seats: seats, held: map[string]bool{}, down: down}
	}
	calm := fresh(0)
	want, err := Run(context.Background(), newStore(t), calm, sessions, options(codes...))
	if err != nil || len(want.Reserved) != 12 {
		t.Fatalf("undisturbed: %v, reserved %q", err, codesOf(want.Reserved))
	}

	a := fresh(3)
	o := options(codes...)
	waits := clock(&o)
	o.Retry.Jitter = func() float64 { return 0 }
	rep, err := Run(context.Background(), newStore(t), a, sessions, o)
	if err != nil || codesOf(rep.Reserved) != codesOf(want.Reserved) || len(rep.NotHeld) != 0 || rep.Reconciled != 3 {
		t.Errorf("three lost answers: %v, reserved %q (undisturbed %q), not held %q, reconciled %d", err, codesOf(rep.Reserved), codesOf(want.Reserved), codesOf(rep.NotHeld), rep.Reconciled)
	}
	if len(a.writes) != 5 || !slices.Equal(a.writes[0], a.writes[3]) || len(a.writes[4]) != 2 {
		t.Errorf("writes %v; want the first batch four times, then the other two", a.writes)
	}
	// The backoff, and no wait for the quota: the three lost requests
	// took nothing, so they are not counted against it.
	if want := []time.Duration{250 * time.Millisecond, 500 * time.Millisecond, time.Second}; !slices.Equal(*waits, want) {
		t.Errorf("waits %v; want %v, the retry policy's backoff", *waits, want)
	}
	noRepeats(t, a)

	st := newStore(t)
	b := fresh(1000)
	o = options(codes...)
	clock(&o)
	o.Retry = retry.Policy{Attempts: 4}
	rep, err = Run(context.Background(), st, b, sessions, o)
	if !errors.Is(err, eventsapi.ErrUnavailable) || !errors.Is(err, catalog.ErrUnavailable) || !strings.Contains(err.Error(), "answer lost for HYB200, ") {
		t.Errorf("err = %v; want ErrUnavailable naming the codes", err)
	}
	lost, notSent := 0, 0
	for _, e := range rep.NotHeld {
		switch e.Why {
		case "answer lost":
			lost++
		case "not sent":
			notSent++
		default:
			t.Errorf("not held %s: %s", e.Code, e.Why)
		}
	}
	if len(b.writes) != 4 || lost != 10 || notSent != 2 || len(rep.Reserved) != 0 {
		t.Errorf("writes %d, %d answer lost, %d not sent, reserved %q; want 4 writes of one batch, 10 and 2", len(b.writes), lost, notSent, codesOf(rep.Reserved))
	}
	b.down = 0
	rep, err = Run(context.Background(), st, b, sessions, options(codes...))
	if err != nil || codesOf(rep.Reserved) != codesOf(want.Reserved) {
		t.Errorf("after the outage: %v, reserved %q; want %q", err, codesOf(rep.Reserved), codesOf(want.Reserved))
	}
}

// clock gives o a clock that its Sleep moves on, and returns the waits.
func clock(o *Options) *[]time.Duration {
	now := day
	var waits []time.Duration
	o.Now = func() time.Time { return now }
	o.Sleep = func(_ context.Context, d time.Duration) error { waits = append(waits, d); now = now.Add(d); return nil }
	return &waits
}

func TestReservePacedToTheQuota(t *testing.T) {
	var sessions []catalog.Session
	seats := map[string]int{}
	var codes []string
	now := day
	for i := range 25 {
		s := session(fmt.Sprintf("CMP%d", 200+i), 0)
		s.Start = day.Add(time.Duration(i*24) * time.Hour / 5)
		s.End = s.Start.Add(time.Hour)
		sessions = append(sessions, s)
		seats[s.SessionID] = 1
		codes = append(codes, s.Code)
	}
	a := &account{seats: seats, held: map[string]bool{}}
	o := options(codes...)
	o.Quota = 10
	var waits []time.Duration
	o.Now = func() time.Time { return now }
	o.Sleep = func(_ context.Context, d time.Duration) error { waits = append(waits, d); now = now.Add(d); return nil }
	rep, err := Run(context.Background(), newStore(t), a, sessions, o)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Reserved) != 25 || len(a.writes) != 3 || len(waits) != 2 || waits[0] != time.Minute {
		t.Errorf("reserved %d in %d writes, waits %v: want 25 in 3, two waits of a minute", len(rep.Reserved), len(a.writes), waits)
	}
}

func TestReserveDryRunAndRefusal(t *testing.T) {
	sessions := []catalog.Session{session("SVS401", 9), session("ARC302", 11)}
	a := &account{seats: map[string]int{"id-SVS401": 5, "id-ARC302": 5}, held: map[string]bool{}, refuse: map[string]string{"id-ARC302": "someNewCode"}}
	o := options("SVS401", "ARC302")
	o.DryRun = true
	rep, err := Run(context.Background(), newStore(t), a, sessions, o)
	if err != nil || len(a.writes) != 0 || !rep.DryRun || len(rep.ToReserve) != 2 {
		t.Fatalf("dry run: %v, writes %v, to reserve %q", err, a.writes, codesOf(rep.ToReserve))
	}
	rep, err = Run(context.Background(), newStore(t), a, sessions, options("SVS401", "ARC302"))
	if err != nil {
		t.Fatal(err)
	}
	if codesOf(rep.Reserved) != "SVS401" || codesOf(rep.NotHeld) != "ARC302(someNewCode)" {
		t.Errorf("reserved %q, not held %q", codesOf(rep.Reserved), codesOf(rep.NotHeld))
	}
	noRepeats(t, a)
}

func TestReserveStopsOnClosed(t *testing.T) {
	_, err := Run(context.Background(), newStore(t), closed{}, []catalog.Session{session("SVS401", 9)}, options("SVS401"))
	if !errors.Is(err, eventsapi.ErrClosed) {
		t.Errorf("err = %v, want ErrClosed", err)
	}
}

type closed struct{}

func (closed) Schedule(context.Context, string) (*eventsapi.Schedule, error) {
	return &eventsapi.Schedule{Reserved: map[string]bool{}}, nil
}
func (closed) Reserve(context.Context, string, []string) (*eventsapi.Result, error) {
	return nil, fmt.Errorf("409: %w", eventsapi.ErrClosed)
}

// TestReserveTravelFile: Options.TravelFile replaces pairs of the
// built-in table before anything is planned (Venetian to Wynn is 35
// minutes built in, 10 in the file, so a session at the Wynn 15 minutes
// after one at the Venetian fits), and a file that cannot be read is a
// *schedule.TravelError with nothing sent.
func TestReserveTravelFile(t *testing.T) {
	venetian, wynn := session("SVS401", 9), session("ARC302", 10)
	wynn.Venue, wynn.Start = "Wynn", wynn.Start.Add(15*time.Minute)
	wynn.End = wynn.Start.Add(time.Hour)
	sessions := []catalog.Session{venetian, wynn}
	seats := func() *account {
		return &account{seats: map[string]int{"id-SVS401": 5, "id-ARC302": 5}, held: map[string]bool{}}
	}
	a := seats()
	rep, err := Run(context.Background(), newStore(t), a, sessions, options("SVS401", "ARC302"))
	if err != nil || codesOf(rep.Reserved) != "SVS401" {
		t.Fatalf("built-in table: %v, reserved %q; want SVS401 alone (35 minutes to the Wynn)", err, codesOf(rep.Reserved))
	}
	file := filepath.Join(t.TempDir(), "travel.yaml")
	if err := os.WriteFile(file, []byte("minutes:\n  Venetian:\n    Wynn: 10\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	o := options("SVS401", "ARC302")
	o.TravelFile = file
	a = seats()
	if rep, err = Run(context.Background(), newStore(t), a, sessions, o); err != nil || codesOf(rep.Reserved) != "ARC302 SVS401" && codesOf(rep.Reserved) != "SVS401 ARC302" {
		t.Errorf("with the travel file: %v, reserved %q; want both", err, codesOf(rep.Reserved))
	}
	o.TravelFile = filepath.Join(t.TempDir(), "missing.yaml")
	a = seats()
	var te *schedule.TravelError
	if _, err = Run(context.Background(), newStore(t), a, sessions, o); !errors.As(err, &te) || len(a.writes) != 0 {
		t.Errorf("a missing travel file: %v (want a *schedule.TravelError), writes %v", err, a.writes)
	}
}
