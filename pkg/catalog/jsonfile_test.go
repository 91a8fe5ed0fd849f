package catalog

import (
	"bytes"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/reinvent-cli/reinvent/internal/testenv"
)

func readFixture(t testing.TB, name string) []byte {
	t.Helper()
	data, err := os.ReadFile("../../testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func TestReadJSONFixture(t *testing.T) {
	loc := testenv.Vegas
	data := readFixture(t, "catalog-small.json")
	c, err := ReadJSON(bytes.NewReader(data), "catalog-small.json", loc)
	if err != nil {
		t.Fatal(err)
	}
	if c.Source != "events-api" || c.Event != "reinvent2025" {
		t.Errorf("source, event = %q, %q; want the file's", c.Source, c.Event)
	}
	if want := time.Date(2025, 11, 20, 18, 30, 0, 0, time.UTC); !c.FetchedAt.Equal(want) {
		t.Errorf("fetched_at = %v, want %v", c.FetchedAt, want)
	}
	if len(c.Sessions) != 5 {
		t.Fatalf("got %d sessions, want 5", len(c.Sessions))
	}
	arc := c.Sessions[1]
	if arc.Code != "ARC302-R1" || arc.BaseCode != "ARC302" {
		t.Errorf("code, base = %q, %q", arc.Code, arc.BaseCode)
	}
	if arc.Title != `Building "cell-based" architectures, at scale` || !strings.Contains(arc.Abstract, "failures.\nThis") {
		t.Errorf("title, abstract = %q, %q", arc.Title, arc.Abstract)
	}
	if want := time.Date(2025, 12, 2, 13, 30, 0, 0, loc); !arc.Start.Equal(want) || arc.Start.Location() != loc {
		t.Errorf("start = %v, want %v in the event's zone", arc.Start, want)
	}
	if got := c.Sessions[2]; got.Scheduled() || !got.End.IsZero() {
		t.Errorf("%s is scheduled at %v-%v, want not scheduled", got.Code, got.Start, got.End)
	}
	if got := c.Sessions[3]; !got.AllDay || got.Industries == nil || len(got.Speakers) != 0 {
		t.Errorf("%s: all day %v, industries %#v, speakers %#v", got.Code, got.AllDay, got.Industries, got.Speakers)
	}
	if got := c.Sessions[4].Speakers; len(got) != 3 || got[2] != "Chris O'Neil" {
		t.Errorf("speakers = %q", got)
	}

	// Writing it again gives the file back, byte for byte.
	var out bytes.Buffer
	if err := WriteJSON(&out, c, loc); err != nil {
		t.Fatal(err)
	}
	if out.String() != string(data) {
		t.Errorf("WriteJSON(ReadJSON(file)) differs from the file:\n%s", out.String())
	}
}

func TestReadJSONLenient(t *testing.T) {
	loc := testenv.Vegas
	for _, tt := range []struct {
		name, in string
		check    func(*Catalog) bool
	}{
		{"unknown fields", `{"sessions": [{"code": "svs401", "note": "extra", "speakers": null}], "version": 2}`,
			func(c *Catalog) bool {
				s := c.Sessions[0]
				return s.Code == "SVS401" && s.BaseCode == "SVS401" && s.Speakers != nil && s.Tracks != nil
			}},
		{"byte order mark", "\ufeff{\"sessions\": []}", func(c *Catalog) bool { return c.Sessions != nil }},
		{"duplicate codes", `{"sessions": [{"code": "SVS401"}, {"code": "SVS401"}]}`,
			func(c *Catalog) bool { return len(c.Sessions) == 2 }},
		{"empty and null times", `{"sessions": [{"code": "SVS401", "start": "", "end": null}]}`,
			func(c *Catalog) bool { return !c.Sessions[0].Scheduled() }},
		{"UTC times", `{"sessions": [{"code": "SVS401", "start": "2025-12-01T18:00:00Z"}]}`,
			func(c *Catalog) bool {
				return c.Sessions[0].Start.Equal(time.Date(2025, 12, 1, 10, 0, 0, 0, loc)) && c.Sessions[0].Start.Location() == loc
			}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c, err := ReadJSON(strings.NewReader(tt.in), "x.json", loc)
			if err != nil {
				t.Fatal(err)
			}
			if !tt.check(c) {
				t.Errorf("got %+v", c.Sessions)
			}
		})
	}
}

func TestReadJSONErrors(t *testing.T) {
	loc := testenv.Vegas
	for _, tt := range []struct {
		name, in string
		want     string // the whole message
	}{
		{"syntax", "{\"sessions\": [\n  {\"code\": \"SVS401\",}\n]}",
			"x.json:2:21: invalid JSON: invalid character '}' looking for beginning of object key string"},
		{"truncated", "{\"sessions\": [\n  {\"code\":",
			"x.json:2:11: invalid JSON: unexpected end of JSON input"},
		{"empty", "\n", "x.json:1:1: empty file; not a catalog written by reinvent download"},
		{"not an object", "[]",
			`x.json:1:1: not a catalog written by reinvent download: want a JSON object with a "sessions" array, got array`},
		{"no sessions", `{"data": {"listSessions": {}}}`,
			`x.json: not a catalog written by reinvent download: no "sessions" array`},
		{"null sessions", `{"sessions": null}`,
			`x.json: not a catalog written by reinvent download: no "sessions" array`},
		{"sessions not an array", `{"source": "x", "sessions": {}}`, "x.json:1:29: sessions: want an array, got object"},
		{"level is a string", "{\"sessions\": [\n  {\"code\": \"SVS401\"},\n  {\"code\": \"SVS402\", \"level\": \"300\"}\n]}",
			"x.json:3:31: sessions[1].level: want a number, got string"},
		{"level is a fraction", `{"sessions": [{"code": "SVS401", "level": 1.5}]}`,
			"x.json:1:43: sessions[0].level: want a whole number, got number 1.5"},
		{"after an escaped quote", `{"sessions": [{"title": "a \"b\" \\", "starred": "yes"}]}`,
			"x.json:1:50: sessions[0].starred: want true or false, got string"},
		{"list item", "{\"sessions\": [\n  {\"code\": \"SVS401\", \"tracks\": [\"a\", 3]}\n]}",
			"x.json:2:38: sessions[0].tracks: want an array of strings, got number in the array"},
		{"list is a string", `{"sessions": [{"code": "SVS401", "speakers": "Jane Doe"}]}`,
			"x.json:1:46: sessions[0].speakers: want an array of strings, got string"},
		{"time is a number", `{"sessions": [{"code": "SVS401", "start": 5}]}`,
			"x.json:1:43: sessions[0].start: want an RFC 3339 time string, got number"},
		{"bad time", "{\"sessions\": [{\"code\": \"SVS401\"},\n {\"code\": \"SVS402\",\n  \"start\": \"tomorrow\"}]}",
			`x.json:3:12: sessions[1].start: want an RFC 3339 time like "2025-12-01T10:00:00-08:00", got "tomorrow"`},
		{"time without offset", `{"sessions": [{"code": "SVS401", "end": "2025-12-01T10:00:00"}]}`,
			`x.json:1:41: sessions[0].end: want an RFC 3339 time like "2025-12-01T10:00:00-08:00", got "2025-12-01T10:00:00"`},
		{"bad fetched_at", `{"fetched_at": "yesterday", "sessions": []}`,
			`x.json:1:16: fetched_at: want an RFC 3339 time like "2025-12-01T10:00:00-08:00", got "yesterday"`},
		{"bad code", "{\"sessions\": [{\"code\": \"SVS401\"},\n {\"code\": \"SVS 402\"}]}",
			`x.json:2:11: sessions[1].code: invalid session code "SVS 402": want letters then digits, like SVS401 or ARC302-R1`},
		{"no code", "{\"sessions\": [{\"code\": \"SVS401\"},\n {\"title\": \"x\"}]}",
			"x.json:2:2: sessions[1].code: missing; every session needs a code like SVS401"},
		{"end before start", "{\"sessions\": [{\"code\": \"svs401\", \"start\": \"2025-12-01T10:00:00-08:00\",\n \"end\": \"2025-12-01T09:00:00-08:00\"}]}",
			"x.json:2:9: sessions[0].end: SVS401 ends at 2025-12-01T09:00:00-08:00, before it starts at 2025-12-01T10:00:00-08:00"},
		{"end without start", `{"sessions": [{"code": "SVS401", "end": "2025-12-01T09:00:00-08:00"}]}`,
			"x.json:1:41: sessions[0].end: SVS401 has an end but no start"},
		{"year out of range", `{"sessions": [{"code": "SVS401", "start": "9999-12-31T23:00:00-08:00"}]}`,
			"x.json:1:43: sessions[0].start: year 10000 is out of range (1000-9000)"},
		{"not UTF-8", "{\"sessions\": [{\"code\": \"SVS401\",\n \"title\": \"caf\xe9\"}]}",
			`x.json:2:15: not valid UTF-8; save the file as UTF-8 (in Excel: "CSV UTF-8")`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c, err := ReadJSON(strings.NewReader(tt.in), "x.json", loc)
			if err == nil {
				t.Fatalf("got %+v, want an error", c)
			}
			if err.Error() != tt.want {
				t.Errorf("got  %s\nwant %s", err, tt.want)
			}
		})
	}
}

func TestWriteJSON(t *testing.T) {
	loc := testenv.Vegas
	start := time.Date(2025, 12, 1, 18, 0, 0, 0, time.UTC)
	sessions := []Session{{Code: "svs401", Title: "<Tips> & tricks", Start: start, End: start.Add(time.Hour)}}
	c := &Catalog{Source: "sample", Event: "reinvent2025", FetchedAt: time.Date(2025, 11, 20, 10, 30, 5, 999, loc), Sessions: sessions}
	var out bytes.Buffer
	if err := WriteJSON(&out, c, loc); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"{\n  \"source\": \"sample\",\n  \"event\": \"reinvent2025\",\n  \"fetched_at\": \"2025-11-20T18:30:05Z\",\n",
		`      "code": "SVS401",` + "\n      \"base_code\": \"SVS401\",",
		`"title": "<Tips> & tricks"`,
		`"tracks": [],`,
		`"start": "2025-12-01T10:00:00-08:00",`,
		`"end": "2025-12-01T11:00:00-08:00",`,
		"  ]\n}\n",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
	if sessions[0].Code != "svs401" || sessions[0].Tracks != nil || sessions[0].Start.Location() != time.UTC {
		t.Errorf("WriteJSON changed the caller's session: %+v", sessions[0])
	}

	out.Reset()
	if err := WriteJSON(&out, &Catalog{}, loc); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), `"sessions": []`) {
		t.Errorf("an empty catalog has no empty sessions array:\n%s", out.String())
	}
}

func TestJSONLocalMeanTime(t *testing.T) {
	// Before 1883 Los Angeles kept local mean time, 7:52:58 behind UTC: an
	// offset RFC 3339 cannot write. The instant must survive anyway.
	loc := testenv.Vegas
	start := time.Date(1850, 6, 1, 12, 0, 0, 0, loc)
	c := &Catalog{Sessions: []Session{{Code: "HIST101", Start: start, End: start.Add(time.Hour)}}}
	var out bytes.Buffer
	if err := WriteJSON(&out, c, loc); err != nil {
		t.Fatal(err)
	}
	back, err := ReadJSON(&out, "x.json", loc)
	if err != nil {
		t.Fatal(err)
	}
	if got := back.Sessions[0].Start; !got.Equal(start) {
		t.Errorf("start = %v, want %v", got, start)
	}
}
