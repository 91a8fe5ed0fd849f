package catalog

import (
	"bytes"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/reinvent-cli/reinvent/internal/testenv"
)

const csvHeader = "code,title,starred,start,end,venue,room,type,level,tracks,services,topics,speakers,abstract,session_id,base_code,roles,industries,all_day,reserved,status,embargoed,reservable,seat_availability"

func TestReadCSVFixture(t *testing.T) {
	loc := testenv.Vegas
	data := readFixture(t, "catalog-small.csv")
	c, err := ReadCSV(bytes.NewReader(data), "catalog-small.csv", loc)
	if err != nil {
		t.Fatal(err)
	}
	if c.Source != "catalog-small.csv" || c.Event != "" || !c.FetchedAt.IsZero() {
		t.Errorf("source, event, fetched_at = %q, %q, %v; want the name and nothing else", c.Source, c.Event, c.FetchedAt)
	}
	// The CSV fixture holds the same sessions as the JSON one.
	j, err := ReadJSON(bytes.NewReader(readFixture(t, "catalog-small.json")), "catalog-small.json", loc)
	if err != nil {
		t.Fatal(err)
	}
	assertSameSessions(t, c.Sessions, j.Sessions)
	for _, s := range c.Sessions {
		if s.Scheduled() && s.Start.Location() != loc {
			t.Errorf("%s starts at %v, not in the event's zone", s.Code, s.Start)
		}
	}

	var out bytes.Buffer
	if err := WriteCSV(&out, c.Sessions, loc); err != nil {
		t.Fatal(err)
	}
	if out.String() != string(data) {
		t.Errorf("WriteCSV(ReadCSV(file)) differs from the file:\n%s", out.String())
	}
}

func TestReadCSVLenient(t *testing.T) {
	loc := testenv.Vegas
	for _, tt := range []struct {
		name, in string
		want     []Session
	}{
		{"Excel: byte order mark, CRLF, upper-case booleans, empty rows",
			"\ufeffcode,title,starred,start,end\r\nsvs401,\"a,\r\nb\",TRUE,2025-12-01 10:00,2025-12-01 11:00\r\n,,,,\r\n",
			[]Session{{Code: "SVS401", Title: "a,\nb", Starred: true,
				Start: time.Date(2025, 12, 1, 10, 0, 0, 0, loc), End: time.Date(2025, 12, 1, 11, 0, 0, 0, loc)}}},
		{"only a code column", "code\nSVS401\nARC302-R1\n",
			[]Session{{Code: "SVS401"}, {Code: "ARC302-R1"}}},
		{"reordered, unknown and padded columns", " Level ,extra, Code,tracks\n300,x,SVS401, a ;b;; c ;\n",
			[]Session{{Code: "SVS401", Level: 300, Tracks: []string{"a", "b", "c"}}}},
		{"header only", csvHeader + "\n", []Session{}},
		{"duplicate codes", "code\nSVS401\nsvs401\n", []Session{{Code: "SVS401"}, {Code: "SVS401"}}},
		{"repeated by daylight saving time: the first", "code,start\nSVS401,2025-11-02 01:30\n",
			[]Session{{Code: "SVS401", Start: time.Date(2025, 11, 2, 8, 30, 0, 0, time.UTC)}}},
		{"blank lines before the header", "\n\ncode\nSVS401\n", []Session{{Code: "SVS401"}}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c, err := ReadCSV(strings.NewReader(tt.in), "x.csv", loc)
			if err != nil {
				t.Fatal(err)
			}
			for i := range tt.want {
				tt.want[i].Normalize(loc)
			}
			assertSameSessions(t, c.Sessions, tt.want)
		})
	}
}

func TestReadCSVErrors(t *testing.T) {
	loc := testenv.Vegas
	for _, tt := range []struct {
		name, in string
		want     string // the whole message
	}{
		{"no code column", "title,start\nx,\n", `x.csv:1: no "code" column; is this a CSV written by reinvent download?`},
		{"empty", "", `x.csv:1: no "code" column; is this a CSV written by reinvent download?`},
		{"JSON", "{\"sessions\": []}\n", `x.csv:1:2: invalid CSV: bare " in non-quoted-field; is this a CSV written by reinvent download?`},
		{"duplicate column", "code,title,Code\nSVS401,a,b\n", `x.csv:1:12: column "code" appears twice`},
		{"after blank lines", "\n\ntitle\nx\n", `x.csv:3: no "code" column; is this a CSV written by reinvent download?`},
		{"bad time", "code,title,start\nSVS401,\"a, b\",tomorrow\n", `x.csv:2:15: start: want "YYYY-MM-DD HH:MM", got "tomorrow"`},
		{"time with seconds", "code,end\nSVS401,2025-12-01 10:00:00\n", `x.csv:2:8: end: want "YYYY-MM-DD HH:MM", got "2025-12-01 10:00:00"`},
		{"skipped by daylight saving time", "code,start\nSVS401,2025-03-09 02:30\n",
			"x.csv:2:8: start: 2025-03-09 02:30 does not exist in America/Los_Angeles: the clocks skip it"},
		{"after a multi-line value", "code,abstract,level\nSVS401,\"one\ntwo\nthree\",abc\n",
			`x.csv:4:8: level: want a whole number like 300, got "abc"`},
		{"bad boolean", "code,starred\nSVS401,true\nSVS402,maybe\n", `x.csv:3:8: starred: want true or false, got "maybe"`},
		{"short row", "code,title\nSVS401,a\nSVS402\n", "x.csv:3:1: wrong number of fields: want 2 like the header, got 1"},
		{"bare quote", "code,title\nSVS401,a \"b\"\n", `x.csv:2:10: invalid CSV: bare " in non-quoted-field`},
		{"bad code", "code,title\nSVS401,\"x\ny\"\nSVS 402,z\n",
			`x.csv:4:1: code: invalid session code "SVS 402": want letters then digits, like SVS401 or ARC302-R1`},
		{"no code", "title,code\nx,\n", "x.csv:2:3: code: missing; every session needs a code like SVS401"},
		{"end before start", "title,code,start,end\nx,svs401,2025-12-01 10:00,2025-12-01 09:00\n",
			"x.csv:2:27: end: SVS401 ends at 2025-12-01T09:00:00-08:00, before it starts at 2025-12-01T10:00:00-08:00"},
		{"not UTF-8", "code,title\nSVS401,caf\xe9\n", `x.csv:2:8: not valid UTF-8; save the file as UTF-8 (in Excel: "CSV UTF-8")`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c, err := ReadCSV(strings.NewReader(tt.in), "x.csv", loc)
			if err == nil {
				t.Fatalf("got %+v, want an error", c)
			}
			if err.Error() != tt.want {
				t.Errorf("got  %s\nwant %s", err, tt.want)
			}
		})
	}
}

func TestWriteCSV(t *testing.T) {
	loc := testenv.Vegas
	start := time.Date(2025, 12, 1, 18, 0, 59, 0, time.UTC)
	sessions := []Session{
		{Code: "svs401", Title: `Say "hi", world`, Start: start, End: start.Add(time.Hour), Tracks: []string{"a", "b"}, Starred: true},
		{Code: "ARC302-R2", Level: 300, Reservable: true, SeatAvailability: "veryLimited"},
	}
	var out bytes.Buffer
	if err := WriteCSV(&out, sessions, loc); err != nil {
		t.Fatal(err)
	}
	want := csvHeader + "\n" +
		`SVS401,"Say ""hi"", world",true,2025-12-01 10:00,2025-12-01 11:00,,,,0,a; b,,,,,,SVS401,,,false,false,,false,false,` + "\n" +
		"ARC302-R2,,false,,,,,,300,,,,,,,ARC302,,,false,false,,false,true,veryLimited\n"
	if out.String() != want {
		t.Errorf("got\n%s\nwant\n%s", out.String(), want)
	}
	if sessions[0].Code != "svs401" || sessions[0].Start.Location() != time.UTC {
		t.Errorf("WriteCSV changed the caller's session: %+v", sessions[0])
	}

	out.Reset()
	if err := WriteCSV(&out, nil, loc); err != nil {
		t.Fatal(err)
	}
	if out.String() != csvHeader+"\n" {
		t.Errorf("no sessions: got %q, want the header", out.String())
	}
}

// assertSameSessions fails t unless got and want hold equal sessions in the
// same order.
func assertSameSessions(t *testing.T, got, want []Session) {
	t.Helper()
	if got == nil {
		t.Errorf("sessions are nil, want a list")
	}
	if !slices.EqualFunc(got, want, func(a, b Session) bool { return a.Equal(&b) }) {
		t.Errorf("sessions differ:\ngot  %+v\nwant %+v", got, want)
	}
}
