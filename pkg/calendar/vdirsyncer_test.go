package calendar

import (
	"bytes"
	"fmt"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-ical"

	"github.com/reinvent-cli/reinvent/internal/testenv"
	"github.com/reinvent-cli/reinvent/pkg/catalog"
)

// vdirsyncerConfig syncs the served calendar (vdirsyncer's read-only
// "http" storage) one way into a folder of .ics files, one per event, as a
// calendar client keeps its copy.
const vdirsyncerConfig = `[general]
status_path = "%[1]s/status/"

[pair follow]
a = "follow_served"
b = "follow_copy"
collections = null
conflict_resolution = "a wins"

[storage follow_served]
type = "http"
url = "%[2]s"

[storage follow_copy]
type = "filesystem"
path = "%[1]s/copy/"
fileext = ".ics"
`

// vdirsyncer runs vdirsyncer with the config in dir, answering yes to any
// question, and fails the test when it fails.
func vdirsyncer(t *testing.T, dir string, args ...string) {
	t.Helper()
	cmd := exec.Command("vdirsyncer", append([]string{"--config", filepath.Join(dir, "config")}, args...)...)
	cmd.Env = append(testenv.HomeEnv(dir), "LANG=C.UTF-8", "LC_ALL=C.UTF-8")
	cmd.Stdin = strings.NewReader(strings.Repeat("y\n", 8))
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("vdirsyncer %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	t.Logf("vdirsyncer %s:\n%s", strings.Join(args, " "), out)
}

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
	if err := os.WriteFile(filepath.Join(dir, "config"), fmt.Appendf(nil, vdirsyncerConfig, dir, srv.URL+s.Path()), 0o600); err != nil {
		t.Fatal(err)
	}

	cal := Update(nil, []Planned{held(arc()), tentative(svs())}, run1)
	publish(cal, run1)
	vdirsyncer(t, dir, "discover")
	vdirsyncer(t, dir, "sync")
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
	vdirsyncer(t, dir, "sync")
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
