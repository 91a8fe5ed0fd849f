package render

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // the tests need America/Los_Angeles wherever they run

	"github.com/emersion/go-ical"

	"github.com/reinvent-cli/reinvent/internal/testenv"
	"github.com/reinvent-cli/reinvent/pkg/catalog"
	"github.com/reinvent-cli/reinvent/pkg/schedule"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/golden")

const goldenDir = "testdata/golden"

// sampleResult is a schedule with everything the renderers show: two days,
// a known and an unknown travel, an alternate, a conflict, a session with
// no time, codes not found with and without suggestions, a title with a
// comma, quotes and an emoji, a title too long for the table, and an
// abstract over several lines.
func sampleResult(t testing.TB) (*schedule.Result, ScheduleOptions) {
	loc := testenv.Vegas
	at := func(day, h, m int) time.Time { return time.Date(2026, time.November, 30+day, h, m, 0, 0, loc) }
	session := func(code, id, title, abstract string, start time.Time, minutes int, venue, room string) catalog.Session {
		s := catalog.Session{
			Code: code, SessionID: id, Title: title, Abstract: abstract,
			Start: start, End: start.Add(time.Duration(minutes) * time.Minute), Venue: venue, Room: room,
		}
		s.Normalize(loc)
		return s
	}
	r := &schedule.Result{
		Requested: []string{"SVS401", "ARC302", "API308", "DEV301", "COP201", "NET201", "XYZ999", "QQQ111"},
		Scheduled: []schedule.Choice{
			{
				Code: "SVS401",
				Session: session("SVS401-R1", "1718000000001-SVS", "Best practices for serverless developers",
					"Learn how to build serverless applications that scale.\nBring a laptop; we start on time.",
					at(0, 10, 0), 60, "Venetian", "Level 3, Lido 3005"),
				Alternates: []string{"SVS401-R2"},
			},
			{
				Code: "ARC302",
				Session: session("ARC302-R1", "1718000000002-ARC", `"Well-architected" systems, at scale 🚀`,
					`Trade-offs, patterns; and a C:\path with a backslash.`,
					at(0, 11, 35), 60, "Wynn", "Lafite 4"),
			},
			{
				Code: "DEV301",
				Session: session("DEV301", "", "Building resilient multi-Region event-driven architectures with Amazon EventBridge and AWS Step Functions",
					"", at(0, 14, 0), 120, "MGM Grand", "Level 1, Grand Ballroom 122"),
			},
			{
				Code: "COP201",
				Session: session("COP201-R1", "1718000000004-COP", "Governance at scale", "Über-long day two.",
					at(1, 9, 0), 60, "Caesars Forum", "Alliance 305"),
			},
		},
		Unscheduled: []schedule.Unscheduled{
			{Code: "API308", Reason: schedule.ReasonConflict, BlockedBy: []string{"ARC302-R1", "DEV301"}},
			{Code: "NET201", Reason: schedule.ReasonNoTime},
		},
		NotFound: []string{"XYZ999", "QQQ111"},
		Optimal:  true,
	}
	r.Scheduled[0].Session.SeatAvailability = catalog.SeatLimited
	r.Scheduled[3].Session.SeatAvailability = "nearlyGone" // a band added after this was written
	schedule.SetLegs(r.Scheduled, schedule.Options{
		Travel:        schedule.NewTravel(map[string]map[string]int{"Venetian": {"Wynn": 25, "Caesars Forum": 25}}),
		UnknownTravel: 30 * time.Minute,
		Location:      loc,
	})
	o := ScheduleOptions{
		Seats:       map[string]string{"SVS401-R2": catalog.SeatAvailable, "SVS401-R1": catalog.SeatLimited},
		Location:    loc,
		Suggestions: map[string][]string{"XYZ999": {"SVS402", "SVS410"}},
		Stamp:       time.Date(2026, time.November, 20, 15, 4, 5, 0, time.UTC),
	}
	return r, o
}

// golden compares got with testdata/golden/name byte for byte, or rewrites
// the file with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join(goldenDir, name)
	if *update {
		if err := os.MkdirAll(goldenDir, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./pkg/render -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file (go test ./pkg/render -update rewrites it)\n--- got ---\n%s\n--- want ---\n%s", name, got, want)
	}
}

func render(t *testing.T, f func(*bytes.Buffer, *schedule.Result, ScheduleOptions) error, r *schedule.Result, o ScheduleOptions) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := f(&b, r, o); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

var renderers = map[string]func(*bytes.Buffer, *schedule.Result, ScheduleOptions) error{
	"schedule.txt":  func(b *bytes.Buffer, r *schedule.Result, o ScheduleOptions) error { return ScheduleTable(b, r, o) },
	"schedule.json": func(b *bytes.Buffer, r *schedule.Result, o ScheduleOptions) error { return ScheduleJSON(b, r, o) },
	"schedule.csv":  func(b *bytes.Buffer, r *schedule.Result, o ScheduleOptions) error { return ScheduleCSV(b, r, o) },
	"schedule.ics":  func(b *bytes.Buffer, r *schedule.Result, o ScheduleOptions) error { return ScheduleICS(b, r, o) },
}

func TestScheduleGolden(t *testing.T) {
	for name, f := range renderers {
		t.Run(name, func(t *testing.T) {
			r, o := sampleResult(t)
			golden(t, name, render(t, f, r, o))
		})
	}
}

// Rendering twice gives the same bytes: no clock, no map order.
func TestScheduleStable(t *testing.T) {
	for name, f := range renderers {
		r, o := sampleResult(t)
		a := render(t, f, r, o)
		r, o = sampleResult(t)
		if b := render(t, f, r, o); !bytes.Equal(a, b) {
			t.Errorf("%s: two renderings differ", name)
		}
	}
}

func TestScheduleTable(t *testing.T) {
	r, o := sampleResult(t)
	out := string(render(t, renderers["schedule.txt"], r, o))
	for _, want := range []string{
		"4 of 8 sessions scheduled; times in Las Vegas time, PST\n",
		"Monday, November 30\n",
		"Tuesday, December 1\n",
		"  10:00–11:00  SVS401-R1",
		"Venetian, Level 3, Lido 3005\n",
		"seats: limited · also fits: SVS401-R2 (available)\n", "seats: nearlyGone\n",
		"↓ 25 min to Wynn (35 min free)\n",
		"↓ 30 min to MGM Grand (unknown distance; 1 h 25 min free)\n",
		"  DEV301     Building resilient multi-Region event-driven architectures with Amazon\n",
		"                          EventBridge and AWS Step Functions\n                          MGM Grand, Level 1, Grand Ballroom 122\n",
		"  COP201-R1  Governance at scale                       Caesars Forum, Alliance 305\n",
		"API308  conflict: blocked by ARC302-R1, DEV301\n",
		"NET201  no time announced yet\n",
		"XYZ999  did you mean SVS402, SVS410?\n",
		"  QQQ111\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "not proven optimal") {
		t.Errorf("an optimal schedule is said not to be:\n%s", out)
	}
	if strings.Contains(out, "to Caesars Forum") {
		t.Errorf("a travel note crosses days:\n%s", out)
	}
	for _, line := range strings.Split(out, "\n") {
		if w := textWidth(line); w >= DefaultWidth {
			t.Errorf("line is %d columns wide: %q", w, line)
		}
		if line != strings.TrimRight(line, " ") {
			t.Errorf("trailing space: %q", line)
		}
	}
	if strings.ContainsRune(out, '\x1b') {
		t.Error("table has escape sequences")
	}

	// Narrow and wide terminals: every line fits, words are never split,
	// and the room is whole when the width allows it.
	for _, w := range []int{60, 80, 160} {
		o := o
		o.Width = w
		out := string(render(t, renderers["schedule.txt"], r, o))
		for _, line := range strings.Split(out, "\n") {
			if textWidth(line) >= w {
				t.Errorf("width %d: line is %d columns: %q", w, textWidth(line), line)
			}
		}
		if w >= 80 && !strings.Contains(out, "MGM Grand, Level 1, Grand Ballroom 122\n") {
			t.Errorf("width %d cuts the room:\n%s", w, out)
		}
		if !strings.Contains(out, "serverless") || !strings.Contains(out, "developers") || !strings.Contains(out, "EventBridge") {
			t.Errorf("width %d splits words:\n%s", w, out)
		}
	}

	r.Optimal = false
	out = string(render(t, renderers["schedule.txt"], r, o))
	if !strings.HasPrefix(out, "4 of 8 sessions scheduled (not proven optimal: time limit reached); times in Las Vegas time, PST\n") {
		t.Errorf("summary of a schedule not proven optimal:\n%s", out)
	}

	for i := range r.Scheduled {
		r.Scheduled[i].Leg = nil
	}
	if out = string(render(t, renderers["schedule.txt"], r, o)); strings.Contains(out, "↓") {
		t.Errorf("travel notes without legs:\n%s", out)
	}
}

// The table at the widths of common terminals, each a golden file.
func TestScheduleTableGoldenWidths(t *testing.T) {
	for _, w := range []int{60, 80, 160} {
		r, o := sampleResult(t)
		o.Width = w
		golden(t, fmt.Sprintf("schedule-%d.txt", w), render(t, renderers["schedule.txt"], r, o))
	}
}

// A title keeps at least 40 columns, or all there is right of the code on
// a narrower terminal, however long the rooms are; a room that does not fit
// beside its title goes on the line below, whole. Nothing is cut.
func TestScheduleTableTitles(t *testing.T) {
	r, o := sampleResult(t)
	start := time.Date(2026, time.December, 2, 13, 0, 0, 0, testenv.Vegas)
	r.Scheduled = append(r.Scheduled, schedule.Choice{Code: "AIM356", Session: catalog.Session{Code: "AIM356",
		Title: "How AnyCompany Health migrated 2,000 applications with Amazon Bedrock AgentCore",
		Start: start, End: start.Add(time.Hour), Venue: "Caesars Palace", Room: "Level 2 | Palace Ballroom 3"}})
	for _, w := range []int{60, 70, 80, 90, 100, 120, 160, 200} {
		o.Width = w
		out := string(render(t, renderers["schedule.txt"], r, o))
		lines := strings.Split(out, "\n")
		for _, l := range lines {
			if textWidth(l) >= w {
				t.Errorf("width %d: line is %d columns: %q", w, textWidth(l), l)
			}
		}
		for _, c := range r.Scheduled {
			title, where := c.Session.Title, place(&c.Session)
			row := slices.IndexFunc(lines, func(l string) bool { return strings.Contains(l, "  "+c.Session.Code+" ") })
			if row < 0 {
				t.Fatalf("width %d: no row for %s:\n%s", w, c.Session.Code, out)
			}
			// The row's text from the title's column on, and the lines
			// indented to that column under it.
			first := lines[row][strings.Index(lines[row], c.Session.Code)+len(c.Session.Code):]
			under := textWidth(lines[row]) - textWidth(strings.TrimLeft(first, " "))
			texts := []string{strings.TrimLeft(first, " ")}
			for _, l := range lines[row+1:] {
				body := strings.TrimLeft(l, " ")
				if textWidth(l)-textWidth(body) != under || strings.HasPrefix(body, "seats:") || strings.HasPrefix(body, "also fits:") {
					break
				}
				texts = append(texts, body)
			}
			// The place is beside the title's first line, or after
			// the title's last.
			want := title + " " + where
			if before, ok := strings.CutSuffix(texts[0], "  "+where); ok {
				texts[0], want = strings.TrimRight(before, " "), title
			}
			if got := strings.Join(strings.Fields(strings.Join(texts, " ")), " "); got != want {
				t.Errorf("width %d: %s shows %q, want the title and place whole: %q", w, c.Session.Code, got, want)
			}
			// Each title line but the last is as full as a column of
			// floor columns makes it.
			floor := min(minTitleCol, w-1-under)
			words := len(strings.Fields(title))
			for i := 0; words > 0 && i < len(texts); i++ {
				words -= len(strings.Fields(texts[i]))
				if words > 0 && i+1 < len(texts) {
					next := strings.Fields(texts[i+1])[0]
					if textWidth(texts[i])+1+textWidth(next) <= floor {
						t.Errorf("width %d: %s's title wraps at %q, before %d columns:\n%s", w, c.Session.Code, texts[i], floor, out)
					}
				}
			}
		}
	}
	o.Width = 100
	out := string(render(t, renderers["schedule.txt"], r, o))
	if want := "  13:00–14:00  AIM356     How AnyCompany Health migrated 2,000 applications with Amazon Bedrock\n" +
		"                          AgentCore\n                          Caesars Palace, Level 2 | Palace Ballroom 3\n"; !strings.Contains(out, want) {
		t.Errorf("AIM356 at 100 columns, want\n%s\n%s", want, out)
	}
}

// The table and the calendar clean what they show by the catalog's rule,
// even for a session that did not come from a source (docs/security.md).
func TestRenderCleansHandBuiltSession(t *testing.T) {
	start := time.Date(2026, time.December, 1, 9, 0, 0, 0, testenv.Vegas)
	r := &schedule.Result{Requested: []string{"EVL101"}, Scheduled: []schedule.Choice{{Code: "EVL101", Session: catalog.Session{
		Code: "EVL101", Title: "Evil \x1b[31mRED\x1b[0m title\x1b]0;pwned\x07", Abstract: "One\u009b2J\ntwo\u202e",
		Start: start, End: start.Add(time.Hour), Venue: "Venetian\x1b[1m", Room: "Level 2 |\x1b]8;;https://e.example/\x1b\\ Hall D"}}}}
	o := ScheduleOptions{Location: testenv.Vegas}
	table := string(render(t, renderers["schedule.txt"], r, o))
	if !strings.Contains(table, "  EVL101  Evil RED title  Venetian, Level 2 | Hall D\n") {
		t.Errorf("table:\n%s", table)
	}
	ics := render(t, renderers["schedule.ics"], r, o)
	e := parseICS(t, ics).Events()[0].Component
	for prop, want := range map[string]string{
		ical.PropSummary: "EVL101 – Evil RED title", ical.PropLocation: "Venetian, Level 2 | Hall D",
		ical.PropDescription: "EVL101 – Evil RED title\n\nOne\ntwo",
	} {
		if got := text(t, e, prop); got != want {
			t.Errorf("%s = %q, want %q", prop, got, want)
		}
	}
	if i := bytes.IndexAny(ics, "\x1b\a\u009b\u202e"); i >= 0 {
		t.Errorf("calendar holds a control character: %q", ics[max(0, i-20):min(len(ics), i+20)])
	}
}

func TestWrapPlace(t *testing.T) {
	for _, c := range []struct {
		in   string
		w    int
		want []string
	}{
		{"Caesars Palace, Level 3 | Milano 1", 40, []string{"Caesars Palace, Level 3 | Milano 1"}},
		{"Caesars Palace, Level 3 | Milano 1", 33, []string{"Caesars Palace, Level 3 |", "Milano 1"}},
		{"Caesars Palace, Level 3 | Milano 1", 20, []string{"Caesars Palace,", "Level 3 | Milano 1"}},
		{"MGM Grand, Level 1, Grand Ballroom 122", 12, []string{"MGM Grand,", "Level 1,", "Grand", "Ballroom 122"}},
		{"Venetian", 5, []string{"Vene…"}},
		{"", 10, []string{""}},
	} {
		if got := wrapPlace(c.in, c.w); !slices.Equal(got, c.want) {
			t.Errorf("wrapPlace(%q, %d) = %q, want %q", c.in, c.w, got, c.want)
		}
	}
}

// The same venue, however it is spelled, needs no note; a venue the table
// knows only as a pair with itself gets one.
func TestScheduleTableSameVenue(t *testing.T) {
	loc := testenv.Vegas
	at := func(h int) time.Time { return time.Date(2026, time.December, 2, h, 0, 0, 0, loc) }
	r := &schedule.Result{
		Requested: []string{"A1", "B1", "C1", "D1"},
		Scheduled: []schedule.Choice{
			{Code: "A1", Session: catalog.Session{Code: "A1", Start: at(9), End: at(10), Venue: "The Venetian"}},
			{Code: "B1", Session: catalog.Session{Code: "B1", Start: at(10), End: at(11), Venue: "venetian"}},
			{Code: "C1", Session: catalog.Session{Code: "C1", Start: at(12), End: at(13), Venue: "MGM Grand"}},
			{Code: "D1", Session: catalog.Session{Code: "D1", Start: at(14), End: at(15), Venue: "MGM Grand"}},
		},
		Optimal: true,
	}
	schedule.SetLegs(r.Scheduled, schedule.Options{
		Travel:        schedule.NewTravel(map[string]map[string]int{"MGM Grand": {"MGM Grand": 10}}),
		UnknownTravel: 30 * time.Minute,
		Location:      loc,
	})
	o := ScheduleOptions{Location: loc}
	out := string(render(t, renderers["schedule.txt"], r, o))
	if n := strings.Count(out, "↓"); n != 2 {
		t.Errorf("want 2 travel notes, got %d:\n%s", n, out)
	}
	for _, want := range []string{
		"↓ 30 min to MGM Grand (unknown distance; 1 h free)\n",
		"↓ 10 min within MGM Grand (1 h free)\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
}

// The notes are the schedule's legs, and a leg is drawn only between the
// two sessions it joins: a drop-in listed between them has no walk before
// or after it.
func TestScheduleTableLegs(t *testing.T) {
	loc := testenv.Vegas
	at := func(h int) time.Time { return time.Date(2026, time.December, 2, h, 0, 0, 0, loc) }
	lounge := catalog.Session{Code: "GHJ101", Title: "AWS Jam Lounge", Start: at(10), End: at(18), AllDay: true, Venue: "Venetian"}
	r := &schedule.Result{
		Requested: []string{"A1", "GHJ101", "B1", "C1"},
		Scheduled: []schedule.Choice{
			{Code: "A1", Session: catalog.Session{Code: "A1", Start: at(9), End: at(10), Venue: "Venetian"}},
			{Code: "GHJ101", Session: lounge},
			{Code: "B1", Session: catalog.Session{Code: "B1", Start: at(11), End: at(12), Venue: "Wynn"}},
			{Code: "C1", Session: catalog.Session{Code: "C1", Start: at(13), End: at(14), Venue: "MGM Grand"}},
		},
		Optimal: true,
	}
	schedule.SetLegs(r.Scheduled, schedule.Options{UnknownTravel: 30 * time.Minute, Location: loc})
	if l := r.Scheduled[2].Leg; l == nil || l.From != "A1" {
		t.Fatalf("B1's leg %+v, want one from A1", l)
	}
	r.Scheduled[3].Leg.Minutes = 17 // the note says what the leg says
	out := string(render(t, renderers["schedule.txt"], r, ScheduleOptions{Location: loc}))
	if n := strings.Count(out, "↓"); n != 1 || !strings.Contains(out, "↓ 17 min to MGM Grand (1 h free)\n") {
		t.Errorf("want the one note of C1's leg:\n%s", out)
	}
}

func TestScheduleJSON(t *testing.T) {
	r, o := sampleResult(t)
	out := render(t, renderers["schedule.json"], r, o)
	var doc struct {
		Requested []string `json:"requested"`
		Scheduled []struct {
			Code, Session, Title, Start, End, Venue, Room string
			Alternates                                    []string
			SeatAvailability                              string            `json:"seat_availability"`
			AlternateSeats                                map[string]string `json:"alternate_seat_availability"`
			Held                                          *bool             `json:"held"`
		} `json:"scheduled"`
		Unscheduled []struct {
			Code, Reason string
			BlockedBy    []string `json:"blocked_by"`
		} `json:"unscheduled"`
		NotFound []string `json:"not_found"`
		Optimal  *bool    `json:"optimal"`
	}
	dec := json.NewDecoder(bytes.NewReader(out))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Scheduled) != 4 || doc.Optimal == nil || !*doc.Optimal {
		t.Fatalf("unexpected document: %s", out)
	}
	for _, c := range doc.Scheduled {
		if c.Held == nil || *c.Held {
			t.Errorf("%s: held %v, want false: nothing is held here", c.Code, c.Held)
		}
	}
	first := doc.Scheduled[0]
	if first.Code != "SVS401" || first.Session != "SVS401-R1" || first.Start != "2026-11-30T10:00:00-08:00" ||
		first.End != "2026-11-30T11:00:00-08:00" || first.Venue != "Venetian" || first.Room != "Level 3, Lido 3005" ||
		len(first.Alternates) != 1 || first.Alternates[0] != "SVS401-R2" ||
		first.SeatAvailability != "limited" || len(first.AlternateSeats) != 1 || first.AlternateSeats["SVS401-R2"] != "available" {
		t.Errorf("first session: %+v", first)
	}
	if s := doc.Scheduled[1]; s.SeatAvailability != "" || s.AlternateSeats == nil {
		t.Errorf("a session without a band: %+v", s)
	}
	if doc.Scheduled[1].Title != `"Well-architected" systems, at scale 🚀` {
		t.Errorf("title did not round-trip: %q", doc.Scheduled[1].Title)
	}
	if u := doc.Unscheduled[1]; u.Code != "NET201" || u.Reason != "no time announced" || u.BlockedBy == nil || len(u.BlockedBy) != 0 {
		t.Errorf("unscheduled without time: %+v", u)
	}
	if !bytes.HasSuffix(out, []byte("}\n")) || !bytes.Contains(out, []byte("\n  \"requested\": [")) {
		t.Errorf("want 2-space indent and a trailing newline:\n%s", out)
	}
}

// Every list is [] rather than null, even with nothing scheduled.
func TestScheduleJSONEmpty(t *testing.T) {
	for _, r := range []*schedule.Result{
		{},
		{Requested: []string{"XYZ999"}, NotFound: []string{"XYZ999"}, Unscheduled: []schedule.Unscheduled{{Code: "NET201", Reason: schedule.ReasonNoTime}}},
		{Requested: []string{"SVS401"}, Scheduled: []schedule.Choice{{Code: "SVS401", Session: catalog.Session{Code: "SVS401", Start: time.Unix(1e9, 0)}}}},
	} {
		out := render(t, renderers["schedule.json"], r, ScheduleOptions{})
		if bytes.Contains(out, []byte("null")) {
			t.Errorf("null in JSON:\n%s", out)
		}
		var doc map[string]any
		if err := json.Unmarshal(out, &doc); err != nil {
			t.Fatal(err)
		}
		for _, k := range []string{"requested", "scheduled", "unscheduled", "not_found", "optimal"} {
			if _, ok := doc[k]; !ok {
				t.Errorf("no %q in %s", k, out)
			}
		}
	}
	out := render(t, renderers["schedule.json"], &schedule.Result{Optimal: true}, ScheduleOptions{})
	want := "{\n  \"requested\": [],\n  \"scheduled\": [],\n  \"unscheduled\": [],\n  \"not_found\": [],\n  \"optimal\": true\n}\n"
	if string(out) != want {
		t.Errorf("empty schedule:\n%s\nwant:\n%s", out, want)
	}
}

func TestScheduleCSV(t *testing.T) {
	r, o := sampleResult(t)
	rows, err := csv.NewReader(bytes.NewReader(render(t, renderers["schedule.csv"], r, o))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(rows[0], ","); got != "code,session,title,day,start,end,venue,room,alternates,seat_availability" {
		t.Errorf("header: %s", got)
	}
	if len(rows) != 5 {
		t.Fatalf("want a header and 4 rows, got %d", len(rows))
	}
	want := []string{"ARC302", "ARC302-R1", `"Well-architected" systems, at scale 🚀`, "Monday",
		"2026-11-30 11:35", "2026-11-30 12:35", "Wynn", "Lafite 4", "", ""}
	if strings.Join(rows[2], "|") != strings.Join(want, "|") {
		t.Errorf("row 2:\n got %q\nwant %q", rows[2], want)
	}
	if rows[1][8] != "SVS401-R2" || rows[1][9] != "limited" || rows[4][3] != "Tuesday" {
		t.Errorf("rows: %q", rows)
	}

	r.Scheduled[0].Alternates = []string{"SVS401-R2", "SVS401-R3"}
	rows, _ = csv.NewReader(bytes.NewReader(render(t, renderers["schedule.csv"], r, o))).ReadAll()
	if rows[1][8] != "SVS401-R2; SVS401-R3" {
		t.Errorf("alternates: %q", rows[1][8])
	}
}

func TestShorten(t *testing.T) {
	for _, c := range []struct {
		in   string
		w    int
		want string
	}{
		{"short", 10, "short"},
		{"exactly ten", 11, "exactly ten"},
		{"a bit too long", 10, "a bit too…"},
		{"comma, then", 7, "comma…"},
		{"🚀🚀🚀🚀", 5, "🚀🚀…"},
		{"anything", 0, ""},
		{"Best practices for serverless developers", 39, "Best practices for serverless…"},
		{"Best practices for serverless developers", 25, "Best practices for…"},
		{"Supercalifragilistic words", 12, "Supercalifr…"},
	} {
		got := shorten(c.in, c.w)
		if got != c.want || textWidth(got) > c.w {
			t.Errorf("shorten(%q, %d) = %q, want %q", c.in, c.w, got, c.want)
		}
	}
}
