package render

import (
	"bytes"
	"io"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	arran "github.com/arran4/golang-ical"
	"github.com/emersion/go-ical"

	"github.com/reinvent-cli/reinvent/internal/testenv"
	"github.com/reinvent-cli/reinvent/pkg/catalog"
	"github.com/reinvent-cli/reinvent/pkg/schedule"
)

// parseICS reads a calendar with emersion/go-ical, an implementation
// independent of the one that wrote it, and has that library's encoder
// check the structure RFC 5545 requires (one UID and DTSTAMP per event,
// STANDARD or DAYLIGHT inside VTIMEZONE, ...).
func parseICS(t *testing.T, data []byte) *ical.Calendar {
	t.Helper()
	cal, err := ical.NewDecoder(bytes.NewReader(data)).Decode()
	if err != nil {
		t.Fatalf("calendar does not parse: %v\n%s", err, data)
	}
	if err := ical.NewEncoder(io.Discard).Encode(cal); err != nil {
		t.Fatalf("calendar is not well formed: %v", err)
	}
	return cal
}

func text(t *testing.T, c *ical.Component, name string) string {
	t.Helper()
	p := c.Props.Get(name)
	if p == nil {
		t.Fatalf("%s has no %s", c.Name, name)
	}
	s, err := p.Text()
	if err != nil {
		t.Fatalf("%s %s: %v", c.Name, name, err)
	}
	return s
}

func TestScheduleICSParses(t *testing.T) {
	r, o := sampleResult(t)
	out := render(t, renderers["schedule.ics"], r, o)
	cal := parseICS(t, out)

	for name, want := range map[string]string{
		"PRODID": "-//reinvent//schedule//EN", "VERSION": "2.0", "CALSCALE": "GREGORIAN",
	} {
		if got := cal.Props.Get(name); got == nil || got.Value != want {
			t.Errorf("%s = %v, want %q", name, got, want)
		}
	}
	var zones []string
	for _, c := range cal.Children {
		if c.Name == ical.CompTimezone {
			zones = append(zones, text(t, c, ical.PropTimezoneID))
		}
	}
	if len(zones) != 1 || zones[0] != "America/Los_Angeles" {
		t.Errorf("VTIMEZONEs: %q", zones)
	}

	events := cal.Events()
	if len(events) != len(r.Scheduled) {
		t.Fatalf("%d events, want %d", len(events), len(r.Scheduled))
	}
	wantUID := []string{
		"svs401-r1-1718000000001-SVS@reinvent",
		"arc302-r1-1718000000002-ARC@reinvent",
		"dev301-" + "1796076000" + "@reinvent", // no session ID: the start's Unix time
		"cop201-r1-1718000000004-COP@reinvent",
	}
	for i, e := range events {
		s := r.Scheduled[i].Session
		if got := text(t, e.Component, ical.PropUID); got != wantUID[i] {
			t.Errorf("event %d UID = %q, want %q", i, got, wantUID[i])
		}
		for _, p := range []struct {
			name string
			want time.Time
		}{{ical.PropDateTimeStart, s.Start}, {ical.PropDateTimeEnd, s.End}} {
			prop := e.Props.Get(p.name)
			if tz := prop.Params.Get(ical.PropTimezoneID); tz != "America/Los_Angeles" {
				t.Errorf("%s %s TZID = %q", s.Code, p.name, tz)
			}
			got, err := prop.DateTime(nil)
			if err != nil || !got.Equal(p.want) {
				t.Errorf("%s %s = %v (%v), want %v", s.Code, p.name, got, err, p.want)
			}
		}
		if stamp, err := e.Props.DateTime(ical.PropDateTimeStamp, nil); err != nil || !stamp.Equal(o.Stamp) {
			t.Errorf("%s DTSTAMP = %v (%v), want %v", s.Code, stamp, err, o.Stamp)
		}
		if got, want := text(t, e.Component, ical.PropLocation), s.Venue+", "+s.Room; got != want {
			t.Errorf("%s LOCATION = %q, want %q", s.Code, got, want)
		}
		if got, want := text(t, e.Component, ical.PropSummary), s.Code+" – "+s.Title; got != want {
			t.Errorf("%s SUMMARY = %q, want %q", s.Code, got, want)
		}
		want := s.Code + " – " + s.Title
		if s.Abstract != "" {
			want += "\n\n" + s.Abstract
		}
		if got := text(t, e.Component, ical.PropDescription); got != want {
			t.Errorf("%s DESCRIPTION = %q, want %q", s.Code, got, want)
		}
	}
	if !bytes.Contains(out, []byte(`DTSTART;TZID=America/Los_Angeles:20261130T100000`+"\r\n")) {
		t.Error("DTSTART is not written as a wall time with a TZID")
	}
}

// The library the writer uses reads its output back too.
func TestScheduleICSParsesWithWriterLibrary(t *testing.T) {
	r, o := sampleResult(t)
	cal, err := arran.ParseCalendar(bytes.NewReader(render(t, renderers["schedule.ics"], r, o)))
	if err != nil {
		t.Fatal(err)
	}
	events := cal.Events()
	if len(events) != len(r.Scheduled) {
		t.Fatalf("%d events, want %d", len(events), len(r.Scheduled))
	}
	for i, e := range events {
		s := r.Scheduled[i].Session
		if start, err := e.GetStartAt(); err != nil || !start.Equal(s.Start) {
			t.Errorf("%s start = %v (%v), want %v", s.Code, start, err, s.Start)
		}
		if got := arran.FromText(e.GetProperty(arran.ComponentPropertyLocation).Value); got != place(&s) {
			t.Errorf("%s location = %q", s.Code, got)
		}
	}
}

// Lines are at most 75 octets, end in CRLF, and folding never splits a
// UTF-8 sequence, even in text made of multi-byte characters.
func TestScheduleICSLines(t *testing.T) {
	r, o := sampleResult(t)
	long := strings.Repeat("Ünïcödé 🚀 ", 40) + "\r\nend; of, it\\"
	r.Scheduled[0].Session.Abstract = long
	r.Scheduled[1].Session.Title = strings.Repeat("é", 100)
	out := render(t, renderers["schedule.ics"], r, o)

	if !bytes.HasSuffix(out, []byte("END:VCALENDAR\r\n")) {
		t.Error("calendar does not end with END:VCALENDAR and CRLF")
	}
	if n, crlf := bytes.Count(out, []byte("\n")), bytes.Count(out, []byte("\r\n")); n != crlf {
		t.Errorf("%d line feeds, only %d after a carriage return", n, crlf)
	}
	lines := strings.Split(strings.TrimSuffix(string(out), "\r\n"), "\r\n")
	folded := 0
	for _, l := range lines {
		if len(l) > 75 {
			t.Errorf("line of %d octets: %q", len(l), l)
		}
		if !utf8.ValidString(l) {
			t.Errorf("line splits a UTF-8 sequence: %q", l)
		}
		if strings.HasPrefix(l, " ") {
			folded++
		}
	}
	if folded < 10 {
		t.Errorf("only %d continuation lines; the long texts were not folded", folded)
	}

	cal := parseICS(t, out)
	wantDesc := r.Scheduled[0].Session.Code + " – " + r.Scheduled[0].Session.Title + "\n\n" +
		strings.TrimSpace(strings.ReplaceAll(long, "\r\n", "\n"))
	if got := text(t, cal.Events()[0].Component, ical.PropDescription); got != wantDesc {
		t.Errorf("DESCRIPTION did not round-trip:\n got %q\nwant %q", got, wantDesc)
	}
	if got := text(t, cal.Events()[1].Component, ical.PropSummary); got != "ARC302-R1 – "+strings.Repeat("é", 100) {
		t.Errorf("SUMMARY did not round-trip: %q", got)
	}
}

// A UID depends only on the session: the same across runs, and unchanged
// when the session is renamed or moved.
func TestScheduleICSUIDStable(t *testing.T) {
	uids := func(r *schedule.Result, o ScheduleOptions) []string {
		var ids []string
		for _, e := range parseICS(t, render(t, renderers["schedule.ics"], r, o)).Events() {
			ids = append(ids, text(t, e.Component, ical.PropUID))
		}
		return ids
	}
	r, o := sampleResult(t)
	before := uids(r, o)
	seen := map[string]bool{}
	for _, id := range before {
		if seen[id] {
			t.Errorf("UID %q used twice", id)
		}
		seen[id] = true
	}

	r, o = sampleResult(t)
	r.Scheduled[0].Session.Title = "Renamed"
	r.Scheduled[0].Session.Start = r.Scheduled[0].Session.Start.Add(time.Hour)
	r.Scheduled[0].Session.End = r.Scheduled[0].Session.End.Add(time.Hour)
	r.Scheduled[1].Session.Venue = "Encore"
	o.Stamp = o.Stamp.Add(24 * time.Hour)
	if after := uids(r, o); strings.Join(after, " ") != strings.Join(before, " ") {
		t.Errorf("UIDs changed:\n%q\n%q", before, after)
	}
}

// With nothing scheduled the calendar still parses: it holds the time zone
// and no events.
func TestScheduleICSEmpty(t *testing.T) {
	r := &schedule.Result{Requested: []string{"NET201"}, Unscheduled: []schedule.Unscheduled{{Code: "NET201", Reason: schedule.ReasonNoTime}}}
	cal := parseICS(t, render(t, renderers["schedule.ics"], r, ScheduleOptions{Location: testenv.Vegas}))
	if n := len(cal.Events()); n != 0 {
		t.Errorf("%d events", n)
	}
}

// The VTIMEZONE alone, without the TZID's name, gives every instant in
// the years it covers the offset Go's zone data gives.
func TestVTimezoneMatchesZoneData(t *testing.T) {
	for _, name := range []string{
		"America/Los_Angeles", "Europe/London", "Australia/Sydney", "Australia/Lord_Howe",
		"Pacific/Chatham", "Asia/Kolkata", "America/Sao_Paulo", "UTC",
	} {
		t.Run(name, func(t *testing.T) {
			loc, err := time.LoadLocation(name)
			if err != nil {
				t.Fatal(err)
			}
			from := time.Date(2025, time.November, 30, 10, 0, 0, 0, loc)
			to := time.Date(2027, time.March, 1, 0, 0, 0, 0, loc)
			cal := &arran.Calendar{}
			cal.SetProductId("-//test//EN")
			cal.SetVersion("2.0")
			cal.AddVTimezone(vtimezone(name, loc, from, to))
			var b bytes.Buffer
			if err := cal.SerializeTo(&b, arran.WithNewLineWindows); err != nil {
				t.Fatal(err)
			}
			tz := parseICS(t, b.Bytes()).Children[0]

			type obs struct {
				onset time.Time
				to    int
			}
			var list []obs
			for _, c := range tz.Children {
				onset, err := time.Parse(icsLocalTime, c.Props.Get(ical.PropDateTimeStart).Value)
				if err != nil {
					t.Fatal(err)
				}
				list = append(list, obs{
					onset.Add(-time.Duration(offsetSeconds(t, c.Props.Get(ical.PropTimezoneOffsetFrom).Value)) * time.Second),
					offsetSeconds(t, c.Props.Get(ical.PropTimezoneOffsetTo).Value),
				})
			}
			for u := time.Date(2025, time.January, 1, 0, 0, 0, 0, loc); u.Before(time.Date(2028, time.January, 1, 0, 0, 0, 0, loc)); u = u.Add(30 * time.Minute) {
				got, found := 0, false
				for _, o := range list {
					if !o.onset.After(u) {
						got, found = o.to, true
					}
				}
				if _, want := u.Zone(); !found || got != want {
					t.Fatalf("at %v the VTIMEZONE gives %d (found %v), Go %d\n%s", u, got, found, want, b.String())
				}
			}
		})
	}
}

func offsetSeconds(t *testing.T, s string) int {
	t.Helper()
	if len(s) != 5 && len(s) != 7 || (s[0] != '+' && s[0] != '-') {
		t.Fatalf("bad UTC offset %q", s)
	}
	n := 0
	for i, mul := range []int{3600, 60, 1} {
		if 1+2*i+2 > len(s) {
			break
		}
		var d int
		for _, c := range s[1+2*i : 1+2*i+2] {
			d = d*10 + int(c-'0')
		}
		n += d * mul
	}
	if s[0] == '-' {
		n = -n
	}
	return n
}

func TestUTCOffset(t *testing.T) {
	for sec, want := range map[int]string{0: "+0000", -8 * 3600: "-0800", 5*3600 + 1800: "+0530", 12*3600 + 45*60: "+1245", -(3600 + 30*60 + 52): "-013052"} {
		if got := utcOffset(sec); got != want {
			t.Errorf("utcOffset(%d) = %q, want %q", sec, got, want)
		}
	}
}

// A session the catalog gave a start but no end is an event that ends
// when it starts, not one in the year 1.
func TestScheduleICSNoEnd(t *testing.T) {
	loc := testenv.Vegas
	start := time.Date(2026, time.December, 1, 9, 0, 0, 0, loc)
	r := &schedule.Result{Requested: []string{"KEY001"}, Scheduled: []schedule.Choice{{Code: "KEY001", Session: catalog.Session{Code: "KEY001", Start: start}}}}
	e := parseICS(t, render(t, renderers["schedule.ics"], r, ScheduleOptions{Location: loc})).Events()[0]
	if end, err := e.DateTimeEnd(nil); err != nil || !end.Equal(start) {
		t.Errorf("DTEND = %v (%v)", end, err)
	}
}

// Whatever text a catalog holds, the calendar parses, its lines stay
// within 75 octets of valid UTF-8, and SUMMARY, LOCATION and DESCRIPTION
// read back as written.
func FuzzScheduleICSText(f *testing.F) {
	f.Add("SVS401-R1", "Title, with; \"quotes\" 🚀", "Line one\r\nline two\\", "The Venetian", "Level 3, Lido 3005")
	f.Add("A1", strings.Repeat("é", 80), strings.Repeat("ü🚀 ", 60), "", "")
	f.Add("A1", "\x00\x7f\xff", "\r\r\n\t", "\\", ";")
	loc := time.FixedZone("Event", -8*3600)
	f.Fuzz(func(t *testing.T, code, title, abstract, venue, room string) {
		s := catalog.Session{Code: code, Title: title, Abstract: abstract, Venue: venue, Room: room,
			Start: time.Date(2026, 12, 1, 9, 0, 0, 0, loc), End: time.Date(2026, 12, 1, 10, 0, 0, 0, loc)}
		r := &schedule.Result{Requested: []string{code}, Scheduled: []schedule.Choice{{Code: code, Session: s}}}
		out := render(t, renderers["schedule.ics"], r, ScheduleOptions{Location: loc})
		for _, l := range strings.Split(strings.TrimSuffix(string(out), "\r\n"), "\r\n") {
			if len(l) > 75 || !utf8.ValidString(l) || strings.ContainsAny(l, "\r\n") {
				t.Fatalf("bad line %q", l)
			}
		}
		events := parseICS(t, out).Events()
		if len(events) != 1 {
			t.Fatalf("%d events", len(events))
		}
		e := events[0].Component
		if got, want := text(t, e, ical.PropSummary), icsText(summary(&s)); got != want {
			t.Errorf("SUMMARY = %q, want %q", got, want)
		}
		if got, want := text(t, e, ical.PropDescription), icsText(description(&s)); got != want {
			t.Errorf("DESCRIPTION = %q, want %q", got, want)
		}
		if p := place(&s); p != "" {
			if got, want := text(t, e, ical.PropLocation), icsText(p); got != want {
				t.Errorf("LOCATION = %q, want %q", got, want)
			}
		}
		if start, err := events[0].DateTimeStart(nil); err != nil || !start.Equal(s.Start) {
			t.Errorf("DTSTART = %v (%v)", start, err)
		}
	})
}

// A drop-in all-day session (the Jam Lounge) is free time in the calendar,
// as the plan treats it; a timed session and an all-day hackathon, which
// takes the day, stay busy.
func TestScheduleICSDropInTransparent(t *testing.T) {
	loc := testenv.Vegas
	at := func(h int) time.Time { return time.Date(2026, time.December, 2, h, 0, 0, 0, loc) }
	r := &schedule.Result{
		Requested: []string{"GHJ101", "SVS401", "HAC301"},
		Scheduled: []schedule.Choice{
			{Code: "GHJ101", Session: catalog.Session{Code: "GHJ101", Title: "AWS Jam Lounge", Start: at(8), End: at(17), AllDay: true, Venue: "Venetian"}},
			{Code: "SVS401", Session: catalog.Session{Code: "SVS401", Title: "Serverless", Start: at(10), End: at(11), Venue: "Venetian"}},
			{Code: "HAC301", Session: catalog.Session{Code: "HAC301", Title: "GameDay hackathon", Start: time.Date(2026, time.December, 3, 8, 0, 0, 0, loc),
				End: time.Date(2026, time.December, 3, 17, 0, 0, 0, loc), AllDay: true, Venue: "MGM Grand"}},
		},
		Optimal: true,
	}
	out := render(t, renderers["schedule.ics"], r, ScheduleOptions{Location: loc})
	want := map[string]string{"GHJ101": "TRANSPARENT", "SVS401": "OPAQUE", "HAC301": "OPAQUE"}
	events := parseICS(t, out).Events()
	if len(events) != 3 {
		t.Fatalf("%d events, want 3", len(events))
	}
	for _, e := range events {
		code, _, _ := strings.Cut(text(t, e.Component, ical.PropSummary), " ")
		got := "OPAQUE" // RFC 5545's default when TRANSP is left out
		if p := e.Props.Get(ical.PropTransparency); p != nil {
			got = p.Value
		}
		if got != want[code] {
			t.Errorf("%s is %s, want %s", code, got, want[code])
		}
	}
	if n := bytes.Count(out, []byte("\r\nTRANSP:TRANSPARENT\r\n")); n != 1 {
		t.Errorf("%d TRANSP:TRANSPARENT lines, want 1:\n%s", n, out)
	}
}

// A zone other computers cannot know by name (a fixed zone, time.Local)
// gives times in UTC and no VTIMEZONE.
func TestScheduleICSUnnamedZone(t *testing.T) {
	start := time.Date(2026, time.December, 1, 9, 0, 0, 0, time.FixedZone("Event", -8*3600))
	r := &schedule.Result{Requested: []string{"KEY001"}, Scheduled: []schedule.Choice{{Code: "KEY001",
		Session: catalog.Session{Code: "KEY001", Start: start, End: start.Add(time.Hour)}}}}
	for _, loc := range []*time.Location{start.Location(), time.Local} {
		out := render(t, renderers["schedule.ics"], r, ScheduleOptions{Location: loc})
		if !bytes.Contains(out, []byte("\r\nDTSTART:20261201T170000Z\r\n")) || bytes.Contains(out, []byte("TZID")) {
			t.Errorf("%v: want UTC times and no TZID:\n%s", loc, out)
		}
		if got, err := parseICS(t, out).Events()[0].DateTimeStart(nil); err != nil || !got.Equal(start) {
			t.Errorf("%v: DTSTART = %v (%v)", loc, got, err)
		}
	}
}
