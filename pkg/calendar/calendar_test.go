package calendar

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/reinvent-cli/reinvent/internal/catalogtest"
	"github.com/reinvent-cli/reinvent/pkg/catalog"
)

// The runs of the tests: the first records the calendar, the second
// changes it; the week starts on November 30.
var (
	run1 = time.Date(2026, time.November, 20, 12, 0, 0, 0, time.UTC)
	run2 = time.Date(2026, time.November, 21, 12, 0, 0, 0, time.UTC)
)

// arc is a planned session on Tuesday 10:00-11:00 at the Venetian.
func arc() catalog.Session {
	return catalogtest.Session(catalog.Session{Code: "ARC302-R1", SessionID: "1718000000002-ARC",
		Title: "Resilience at scale", Abstract: "Trade-offs.", Venue: "Venetian", Room: "Level 3, Lido 3005",
		Start: catalogtest.At(1, 10)})
}

// svs is a planned session on Monday 14:00-15:00 at the Wynn.
func svs() catalog.Session {
	return catalogtest.Session(catalog.Session{Code: "SVS401", SessionID: "1718000000001-SVS",
		Title: "Serverless", Venue: "Wynn", Room: "Lafite 4", Start: catalogtest.At(0, 14)})
}

func with(s catalog.Session, change func(*catalog.Session)) catalog.Session {
	change(&s)
	return s
}

func tentative(s catalog.Session) Planned { return Planned{Session: s} }
func held(s catalog.Session) Planned      { return Planned{Session: s, Held: true} }

// event is what a test expects of one entry.
type event struct {
	code     string
	status   string
	sequence int
	modified time.Time
}

func (e event) String() string {
	return fmt.Sprintf("%s %s seq %d modified %s", e.code, e.status, e.sequence, e.modified.Format(time.DateTime))
}

func events(entries []Entry) []event {
	var out []event
	for _, e := range entries {
		out = append(out, event{e.Session.Code, e.Status, e.Sequence, e.LastModified})
	}
	return out
}

func TestUpdate(t *testing.T) {
	arcEnd := arc().End
	for _, tc := range []struct {
		name  string
		first []Planned // the plan of the first run, at run1
		then  []Planned // the plan of the second run
		now   time.Time // of the second run; run2 when zero
		want  []event
	}{
		{name: "new sessions are tentative, or confirmed when held, at sequence 0",
			then: []Planned{tentative(arc()), held(svs())},
			want: []event{{"SVS401", Confirmed, 0, run2}, {"ARC302-R1", Tentative, 0, run2}}},
		{name: "an unchanged plan changes nothing",
			first: []Planned{tentative(arc())}, then: []Planned{tentative(arc())},
			want: []event{{"ARC302-R1", Tentative, 0, run1}}},
		{name: "moved",
			first: []Planned{tentative(arc())},
			then:  []Planned{tentative(with(arc(), func(s *catalog.Session) { s.Start, s.End = s.Start.Add(time.Hour), s.End.Add(time.Hour) }))},
			want:  []event{{"ARC302-R1", Tentative, 1, run2}}},
		{name: "longer",
			first: []Planned{tentative(arc())},
			then:  []Planned{tentative(with(arc(), func(s *catalog.Session) { s.End = s.End.Add(30 * time.Minute) }))},
			want:  []event{{"ARC302-R1", Tentative, 1, run2}}},
		{name: "another room",
			first: []Planned{tentative(arc())},
			then:  []Planned{tentative(with(arc(), func(s *catalog.Session) { s.Room = "Level 2, Titian 2201" }))},
			want:  []event{{"ARC302-R1", Tentative, 1, run2}}},
		{name: "another venue",
			first: []Planned{tentative(arc())},
			then:  []Planned{tentative(with(arc(), func(s *catalog.Session) { s.Venue = "Caesars Forum" }))},
			want:  []event{{"ARC302-R1", Tentative, 1, run2}}},
		{name: "renamed",
			first: []Planned{tentative(arc())},
			then:  []Planned{tentative(with(arc(), func(s *catalog.Session) { s.Title = "Resilience, revisited" }))},
			want:  []event{{"ARC302-R1", Tentative, 1, run2}}},
		{name: "a new abstract is no revision, but is a modification",
			first: []Planned{tentative(arc())},
			then:  []Planned{tentative(with(arc(), func(s *catalog.Session) { s.Abstract = "New words." }))},
			want:  []event{{"ARC302-R1", Tentative, 0, run2}}},
		{name: "a seat taken: confirmed",
			first: []Planned{tentative(arc())}, then: []Planned{held(arc())},
			want: []event{{"ARC302-R1", Confirmed, 1, run2}}},
		{name: "a seat let go: tentative again",
			first: []Planned{held(arc())}, then: []Planned{tentative(arc())},
			want: []event{{"ARC302-R1", Tentative, 1, run2}}},
		{name: "left the plan: cancelled and kept",
			first: []Planned{tentative(arc()), held(svs())}, then: []Planned{held(svs())},
			want: []event{{"SVS401", Confirmed, 0, run1}, {"ARC302-R1", Cancelled, 1, run2}}},
		{name: "left the plan: kept while it ends",
			first: []Planned{tentative(arc())}, now: arcEnd,
			want: []event{{"ARC302-R1", Cancelled, 1, arcEnd}}},
		{name: "left the plan after its end: dropped",
			first: []Planned{tentative(arc())}, now: arcEnd.Add(time.Second),
			want: nil},
		{name: "cancelled by the catalog while planned",
			first: []Planned{held(arc())},
			then:  []Planned{held(with(arc(), func(s *catalog.Session) { s.Status = "Cancelled" }))},
			want:  []event{{"ARC302-R1", Cancelled, 1, run2}}},
		{name: "the same session twice is one event, held if either is",
			then: []Planned{tentative(arc()), held(arc())},
			want: []event{{"ARC302-R1", Confirmed, 0, run2}}},
		{name: "a session with no time is no event",
			then: []Planned{tentative(with(arc(), func(s *catalog.Session) { s.Start, s.End = time.Time{}, time.Time{} }))},
			want: nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			now := tc.now
			if now.IsZero() {
				now = run2
			}
			got := events(Update(Update(nil, tc.first, run1), tc.then, now))
			if fmt.Sprint(got) != fmt.Sprint(tc.want) {
				t.Errorf("got  %v\nwant %v", got, tc.want)
			}
		})
	}
}

// A cancelled event keeps its sequence while it stays out of the plan, is
// dropped once it has ended, and comes back with a higher sequence.
func TestUpdateCancelledThenBack(t *testing.T) {
	cal := Update(nil, []Planned{tentative(arc())}, run1)
	cal = Update(cal, nil, run2)
	run3 := run2.Add(time.Hour)
	cal = Update(cal, nil, run3)
	if got, want := fmt.Sprint(events(cal)), fmt.Sprint([]event{{"ARC302-R1", Cancelled, 1, run2}}); got != want {
		t.Fatalf("still out of the plan: got %v, want %v", got, want)
	}
	run4 := run3.Add(time.Hour)
	back := Update(cal, []Planned{tentative(arc())}, run4)
	if got, want := fmt.Sprint(events(back)), fmt.Sprint([]event{{"ARC302-R1", Tentative, 2, run4}}); got != want {
		t.Errorf("back in the plan: got %v, want %v", got, want)
	}
	if back[0].UID != cal[0].UID {
		t.Errorf("UID %q became %q", cal[0].UID, back[0].UID)
	}
	if gone := Update(cal, nil, arc().End.Add(time.Minute)); len(gone) != 0 {
		t.Errorf("after its end: %v", events(gone))
	}
}

// Entries are sorted by start, then UID, whatever the plan's order, and
// the session written is the newest.
func TestUpdateOrderAndSession(t *testing.T) {
	twin := with(arc(), func(s *catalog.Session) { s.Code, s.SessionID = "ARC302-R2", "1718000000003-ARC" })
	cal := Update(nil, []Planned{tentative(arc()), tentative(twin), held(svs())}, run1)
	var codes []string
	for _, e := range cal {
		codes = append(codes, e.Session.Code)
	}
	if got := strings.Join(codes, " "); got != "SVS401 ARC302-R1 ARC302-R2" {
		t.Errorf("order %s, want SVS401 ARC302-R1 ARC302-R2", got)
	}
	moved := with(arc(), func(s *catalog.Session) { s.Start, s.End = catalogtest.At(0, 8), catalogtest.At(0, 9) })
	cal = Update(cal, []Planned{tentative(moved)}, run2)
	if cal[0].Session.Code != "ARC302-R1" || !cal[0].Session.Start.Equal(moved.Start) || cal[0].Status != Tentative {
		t.Errorf("the moved session is not first with its new time: %+v", cal[0])
	}
}

// A session the catalog re-keyed (a new session ID, the same full code)
// keeps the UID subscribed calendars know it by.
func TestUpdateRekeyedKeepsUID(t *testing.T) {
	cal := Update(nil, []Planned{tentative(arc())}, run1)
	rekeyed := with(arc(), func(s *catalog.Session) { s.SessionID = "a7f3c2-new-id" })
	next := Update(cal, []Planned{tentative(rekeyed)}, run2)
	if len(next) != 1 || next[0].UID != cal[0].UID || next[0].Sequence != 0 || next[0].Status != Tentative {
		t.Errorf("got %+v, want one tentative event with UID %q at sequence 0", next, cal[0].UID)
	}
}

// The store keeps the calendar as JSON between runs: read back, it writes
// the same bytes, and the same plan changes nothing.
func TestEntriesJSONRoundTrip(t *testing.T) {
	entries, o := sampleCalendar()
	b, err := json.Marshal(entries)
	if err != nil {
		t.Fatal(err)
	}
	var back []Entry
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(write(t, back, o), write(t, entries, o)) {
		t.Error("the calendar read back from JSON writes other bytes")
	}
	var plan []Planned
	for _, e := range entries {
		if e.Status != Cancelled {
			plan = append(plan, Planned{Session: e.Session, Held: e.Status == Confirmed})
		}
	}
	later := run2.Add(time.Hour)
	if got, want := fmt.Sprint(events(Update(back, plan, later))), fmt.Sprint(events(Update(entries, plan, later))); got != want {
		t.Errorf("after a JSON round trip the same plan gives\n%s\nnot\n%s", got, want)
	}
	if got := events(Update(back, plan, later)); fmt.Sprint(got) != fmt.Sprint(events(entries)) {
		t.Errorf("the same plan changed the calendar: %v, was %v", got, events(entries))
	}
}
