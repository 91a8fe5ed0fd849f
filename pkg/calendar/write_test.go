package calendar

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/emersion/go-ical"

	"github.com/reinvent-cli/reinvent/internal/catalogtest"
	"github.com/reinvent-cli/reinvent/internal/testenv"
	"github.com/reinvent-cli/reinvent/pkg/catalog"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata")

// golden compares got with testdata/name byte for byte, or rewrites the
// file with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./pkg/calendar -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file (go test ./pkg/calendar -update rewrites it)\n--- got ---\n%s\n--- want ---\n%s", name, got, want)
	}
}

// sampleCalendar holds an event of each status and a drop-in: a held seat
// that moved, a planned session, a session that left the plan, and the
// Jam Lounge.
func sampleCalendar() ([]Entry, Options) {
	lounge := catalogtest.Session(catalog.Session{Code: "GHJ101", SessionID: "1718000000009-GHJ",
		Title: "AWS Jam Lounge", Venue: "Venetian", Room: "Level 2, Hall B",
		Start: catalogtest.At(2, 8), End: catalogtest.At(2, 17), AllDay: true})
	cal := Update(nil, []Planned{tentative(arc()), tentative(svs()), tentative(lounge)}, run1)
	moved := with(arc(), func(s *catalog.Session) {
		s.Start, s.End = s.Start.Add(2*time.Hour), s.End.Add(2*time.Hour)
		s.Title = `"Well-architected" resilience, at scale; part 1 🚀`
	})
	cal = Update(cal, []Planned{held(moved), tentative(lounge)}, run2)
	return cal, Options{Name: "re:Invent 2026 (reinvent follow)", Refresh: 15 * time.Minute, Location: testenv.Vegas}
}

func write(t testing.TB, entries []Entry, o Options) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := Write(&b, entries, o); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestWriteGolden(t *testing.T) {
	entries, o := sampleCalendar()
	golden(t, "follow.ics", write(t, entries, o))
}

// The same calendar gives the same bytes, so that its ETag changes only
// when the calendar does.
func TestWriteDeterministic(t *testing.T) {
	entries, o := sampleCalendar()
	if a, b := write(t, entries, o), write(t, entries, o); !bytes.Equal(a, b) {
		t.Error("two writes of one calendar differ")
	}
}

// icalendarEvent is what the Python reader says of an event.
type icalendarEvent struct {
	UID      string `json:"uid"`
	Sequence int    `json:"sequence"`
	Status   string `json:"status"`
	Start    string `json:"dtstart"` // ISO 8601 with the offset
	TZID     string `json:"tzid"`
	Transp   string `json:"transp"`
}

// readICalendar is a reader independent of the writer: Debian's
// python3-icalendar, the library many calendar tools are built on.
const readICalendar = `
import json, sys
from icalendar import Calendar
cal = Calendar.from_ical(open(sys.argv[1], 'rb').read())
out = {'name': str(cal.get('x-wr-calname')), 'refresh': str(cal.get('refresh-interval').to_ical().decode()),
       'refresh_value': str(cal.get('refresh-interval').params.get('VALUE')), 'ttl': str(cal.get('x-published-ttl')), 'events': []}
for ev in cal.walk('VEVENT'):
    start = ev.get('dtstart')
    out['events'].append({'uid': str(ev.get('uid')), 'sequence': int(ev.get('sequence')), 'status': str(ev.get('status')),
                          'dtstart': ev.decoded('dtstart').isoformat(), 'tzid': str(start.params.get('TZID', '')),
                          'transp': str(ev.get('transp', 'OPAQUE'))})
json.dump(out, sys.stdout)
`

func TestWriteReadByPythonICalendar(t *testing.T) {
	if err := testenv.EnsurePython("the live calendar's reader test", []string{"icalendar"}, "python3-icalendar"); err != nil {
		t.Fatal(err)
	}
	entries, o := sampleCalendar()
	path := filepath.Join(t.TempDir(), "follow.ics")
	if err := os.WriteFile(path, write(t, entries, o), 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(testenv.DebianPython, "-c", readICalendar, path).Output()
	if err != nil {
		var stderr []byte
		if ee, ok := err.(*exec.ExitError); ok {
			stderr = ee.Stderr
		}
		t.Fatalf("python3-icalendar cannot read the calendar: %v\n%s", err, stderr)
	}
	var got struct {
		Name         string           `json:"name"`
		Refresh      string           `json:"refresh"`
		RefreshValue string           `json:"refresh_value"`
		TTL          string           `json:"ttl"`
		Events       []icalendarEvent `json:"events"`
	}
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	if got.Name != o.Name || got.Refresh != "PT15M" || got.RefreshValue != "DURATION" || got.TTL != "PT15M" {
		t.Errorf("name %q, refresh %q (VALUE=%s), TTL %q; want %q, PT15M (VALUE=DURATION), PT15M",
			got.Name, got.Refresh, got.RefreshValue, got.TTL, o.Name)
	}
	if len(got.Events) != len(entries) {
		t.Fatalf("%d events, want %d: %s", len(got.Events), len(entries), out)
	}
	for i, e := range entries {
		transp := "OPAQUE"
		if e.Session.Code == "GHJ101" {
			transp = "TRANSPARENT"
		}
		want := icalendarEvent{UID: e.UID, Sequence: e.Sequence, Status: e.Status,
			Start: e.Session.Start.In(testenv.Vegas).Format(time.RFC3339), TZID: "America/Los_Angeles", Transp: transp}
		if got.Events[i] != want {
			t.Errorf("event %d:\n got %+v\nwant %+v", i, got.Events[i], want)
		}
	}
	// The three statuses and the two sequences are all there.
	var seen []string
	for _, e := range got.Events {
		seen = append(seen, e.Status)
	}
	if s := strings.Join(seen, " "); s != "CANCELLED CONFIRMED TENTATIVE" {
		t.Errorf("statuses %s, want CANCELLED CONFIRMED TENTATIVE (SVS401, ARC302-R1, GHJ101)", s)
	}
}

func TestDuration(t *testing.T) {
	for d, want := range map[time.Duration]string{
		15 * time.Minute:                      "PT15M",
		time.Hour:                             "PT1H",
		90 * time.Minute:                      "PT1H30M",
		time.Hour + 30*time.Second:            "PT1H0M30S",
		45 * time.Second:                      "PT45S",
		1500 * time.Millisecond:               "PT2S",
		24 * time.Hour:                        "P1D",
		25*time.Hour + 5*time.Minute:          "P1DT1H5M",
		time.Nanosecond:                       "PT1S",
		2*time.Minute + 3*time.Second:         "PT2M3S",
		48*time.Hour + time.Second:            "P2DT1S",
		7*24*time.Hour + 12*time.Hour:         "P7DT12H",
		10*time.Minute + 500*time.Microsecond: "PT10M1S",
	} {
		if got := duration(d); got != want {
			t.Errorf("duration(%v) = %q, want %q", d, got, want)
		}
	}
}

// With no refresh and no name, those properties are left out.
func TestWriteNoRefresh(t *testing.T) {
	entries, _ := sampleCalendar()
	out := write(t, entries, Options{Location: testenv.Vegas})
	for _, p := range []string{"REFRESH-INTERVAL", "X-PUBLISHED-TTL", "X-WR-CALNAME"} {
		if bytes.Contains(out, []byte(p)) {
			t.Errorf("%s written with no Refresh and no Name", p)
		}
	}
}

// An empty calendar (nothing planned yet) still parses.
func TestWriteEmpty(t *testing.T) {
	cal := parse(t, write(t, nil, Options{Name: "re:Invent", Location: testenv.Vegas}))
	if n := len(cal.Events()); n != 0 {
		t.Errorf("%d events", n)
	}
}

// A status that is not one of the three is refused, not written.
func TestWriteBadStatus(t *testing.T) {
	entries, o := sampleCalendar()
	entries[0].Status = "MAYBE\x1b[31m"
	err := Write(&bytes.Buffer{}, entries, o)
	if err == nil || !strings.Contains(err.Error(), `"MAYBE"`) || strings.ContainsAny(err.Error(), "\x1b\n") {
		t.Errorf("error = %v, want one line naming the status without its escape", err)
	}
}

// parse reads a calendar with emersion/go-ical, independent of the writer.
func parse(t testing.TB, data []byte) *ical.Calendar {
	t.Helper()
	cal, err := ical.NewDecoder(bytes.NewReader(data)).Decode()
	if err != nil {
		t.Fatalf("calendar does not parse: %v\n%s", err, data)
	}
	return cal
}

// Whatever text the store or the options hold, the calendar parses, its
// lines are at most 75 octets of valid UTF-8 ending in CRLF, and no control
// character gets in.
func FuzzWriteText(f *testing.F) {
	f.Add("arc302-r1-1@reinvent", "re:Invent 2026", "Title, with; \"quotes\" 🚀", "Line one\r\nline two\\", "Level 3, Lido")
	f.Add("x\x1b[2J", "\x07\x9b31m", strings.Repeat("é", 80), strings.Repeat("ü🚀 ", 60), "\x00\x7f\xff")
	f.Add("", "", "", "", "")
	f.Fuzz(func(t *testing.T, uid, name, title, abstract, room string) {
		s := arc()
		s.Title, s.Abstract, s.Room = title, abstract, room
		out := write(t, []Entry{{UID: uid, Session: s, Status: Tentative, LastModified: run1}},
			Options{Name: name, Refresh: time.Minute, Location: testenv.Vegas})
		if !bytes.HasSuffix(out, []byte("\r\n")) {
			t.Fatal("does not end in CRLF")
		}
		for _, l := range strings.Split(strings.TrimSuffix(string(out), "\r\n"), "\r\n") {
			if len(l) > 75 || !utf8.ValidString(l) {
				t.Fatalf("bad line %q", l)
			}
			for _, r := range l {
				if r < 0x20 && r != '\t' || r >= 0x7f && r <= 0x9f {
					t.Fatalf("control character %U in line %q", r, l)
				}
			}
		}
		if n := len(parse(t, out).Events()); n != 1 {
			t.Fatalf("%d events", n)
		}
	})
}
