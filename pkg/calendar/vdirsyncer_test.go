package calendar

import (
	"bytes"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-ical"

	"github.com/reinvent-cli/reinvent/internal/testenv"
	"github.com/reinvent-cli/reinvent/pkg/catalog"
)

// clientEvent is an event as the client's copy holds it.
type clientEvent struct {
	start  time.Time
	tzid   string
	status string
}

// clientCopy reads the events of the .ics files vdirsyncer wrote, by the
// code their SUMMARY starts with: vdirsyncer's http storage gives each
// event the hash of its text as its UID (it ignores the feed's UIDs), so a
// revised event is a new item there and the old one is deleted.
func clientCopy(t *testing.T, dir string) map[string][]clientEvent {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "copy", "*.ics"))
	if err != nil {
		t.Fatal(err)
	}
	events := map[string][]clientEvent{}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		cal, err := ical.NewDecoder(bytes.NewReader(b)).Decode()
		if err != nil {
			t.Fatalf("%s: %v\n%s", f, err, b)
		}
		for _, e := range cal.Events() {
			summary, _ := e.Props.Text(ical.PropSummary)
			code, _, _ := strings.Cut(summary, " ")
			start, err := e.DateTimeStart(nil)
			if err != nil {
				t.Fatalf("%s: DTSTART: %v", f, err)
			}
			status := ""
			if p := e.Props.Get(ical.PropStatus); p != nil {
				status = p.Value
			}
			events[code] = append(events[code], clientEvent{start, e.Props.Get(ical.PropDateTimeStart).Params.Get(ical.PropTimezoneID), status})
		}
	}
	return events
}

// A real calendar client follows the served calendar: when a session
// moves, its copy of the event moves, and a session that left the plan is
// cancelled or gone from it.
func TestVdirsyncerFollowsTheCalendar(t *testing.T) {
	if err := testenv.Ensure("the live calendar's client test", []string{"vdirsyncer"}, "vdirsyncer"); err != nil {
		t.Fatal(err)
	}
	o := Options{Name: "re:Invent 2026 (reinvent follow)", Refresh: 15 * time.Minute, Location: testenv.Vegas}
	p := &published{}
	publish := func(entries []Entry, now time.Time) {
		var b bytes.Buffer
		if err := Write(&b, entries, o); err != nil {
			t.Fatal(err)
		}
		p.set(b.Bytes(), now)
	}
	s := &Server{Token: testToken, Current: p.current}
	srv := httptest.NewServer(s)
	defer srv.Close()

	dir := t.TempDir()
	cal := Update(nil, []Planned{held(arc()), tentative(svs())}, run1)
	publish(cal, run1)
	testenv.VdirsyncerClient(t, dir, srv.URL+s.Path())
	testenv.Vdirsyncer(t, dir, "sync")
	first := clientCopy(t, dir)
	want := []clientEvent{{arc().Start, "America/Los_Angeles", Confirmed}}
	if got := first["ARC302-R1"]; !sameEvents(got, want) {
		t.Fatalf("first sync: ARC302-R1 is %+v in the client, want %+v", got, want)
	}
	want = []clientEvent{{svs().Start, "America/Los_Angeles", Tentative}}
	if got := first["SVS401"]; !sameEvents(got, want) {
		t.Fatalf("first sync: SVS401 is %+v in the client, want %+v", got, want)
	}

	// ARC302-R1 moves two hours later; SVS401 leaves the plan.
	moved := with(arc(), func(s *catalog.Session) { s.Start, s.End = s.Start.Add(2*time.Hour), s.End.Add(2*time.Hour) })
	cal = Update(cal, []Planned{held(moved)}, run2)
	publish(cal, run2)
	testenv.Vdirsyncer(t, dir, "sync")
	second := clientCopy(t, dir)
	want = []clientEvent{{moved.Start, "America/Los_Angeles", Confirmed}}
	if got := second["ARC302-R1"]; !sameEvents(got, want) {
		t.Errorf("after the move: ARC302-R1 is %+v in the client, want only %+v", got, want)
	}
	if got := second["SVS401"]; len(got) > 1 || len(got) == 1 && got[0].status != Cancelled {
		t.Errorf("SVS401 left the plan but is %+v in the client, want one CANCELLED event or none", got)
	}
}

func sameEvents(got, want []clientEvent) bool {
	if len(got) != len(want) {
		return false
	}
	for i := range got {
		if !got[i].start.Equal(want[i].start) || got[i].tzid != want[i].tzid || got[i].status != want[i].status {
			return false
		}
	}
	return true
}
