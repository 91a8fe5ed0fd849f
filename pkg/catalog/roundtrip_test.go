package catalog

import (
	"bytes"
	"math/rand/v2"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/reinvent-cli/reinvent/internal/testenv"
)

// sessionGen makes random sessions for property tests.
type sessionGen struct {
	r   *rand.Rand
	loc *time.Location
	// csv limits sessions to what a CSV file can hold (see WriteCSV): times
	// to the minute and not in the hour repeated when daylight saving time
	// ends, no "\r", and list items that are trimmed, not empty and free of
	// ";".
	csv bool
}

var textPieces = []string{
	"a", "Z", "7", " ", "  ", ",", `"`, "'", "\n", ";", "\t", `\`, "=", "<b>", "&", "-",
	"é", "ß", "日本", "🎉", "\u2028", "\u00a0", "\x00", "x y", "Fine-tune", "SVS401",
}

func (g *sessionGen) text() string {
	var b strings.Builder
	for range g.r.IntN(7) {
		b.WriteString(textPieces[g.r.IntN(len(textPieces))])
	}
	if !g.csv && g.r.IntN(10) == 0 {
		b.WriteString("\r\n")
	}
	return b.String()
}

func (g *sessionGen) list() []string {
	if g.r.IntN(5) == 0 {
		return nil
	}
	l := make([]string, g.r.IntN(5))
	for i := range l {
		l[i] = g.text()
		if g.csv {
			l[i] = strings.TrimSpace(strings.ReplaceAll(l[i], ";", ""))
			if l[i] == "" {
				l[i] = "item"
			}
		}
	}
	return l
}

func (g *sessionGen) code() string {
	const letters, digits = "ABCDEFGHIJKLMNOPQRSTUVWXYZ", "0123456789"
	pick := func(set string, min, max int) string {
		b := make([]byte, min+g.r.IntN(max-min+1))
		for i := range b {
			b[i] = set[g.r.IntN(len(set))]
		}
		return string(b)
	}
	code := pick(letters, 1, 6) + pick(digits, 1, 4)
	switch g.r.IntN(4) {
	case 0:
		code += "-" + pick(letters, 1, 2) + pick(digits, 0, 2)
	case 1:
		code = strings.ToLower(code)
	}
	return code
}

// when returns a random time in loc: mostly in re:Invent week, sometimes in
// any year from 2000 to 2099, across daylight saving time changes.
func (g *sessionGen) when() time.Time {
	var t time.Time
	if g.r.IntN(4) == 0 {
		t = time.Date(2000, 1, 1, 0, 0, 0, 0, g.loc).Add(time.Duration(g.r.Int64N(int64(100 * 365 * 24 * time.Hour))))
	} else {
		t = time.Date(2025, 12, 1, 7, 0, 0, 0, g.loc).Add(time.Duration(g.r.IntN(5*24*60)) * time.Minute)
		if g.r.IntN(3) == 0 {
			t = t.Add(time.Duration(g.r.Int64N(int64(time.Minute))))
		}
	}
	t = t.In(g.loc)
	if g.csv {
		t = t.Truncate(time.Minute)
		if wall, _ := time.ParseInLocation(csvTimeLayout, t.Format(csvTimeLayout), g.loc); !wall.Equal(t) {
			t = t.Add(-2 * time.Hour) // out of the repeated hour
		}
	}
	return t
}

func (g *sessionGen) session() Session {
	s := Session{
		Code: g.code(), SessionID: g.text(), Title: g.text(), Abstract: g.text(), Type: g.text(),
		Level: g.r.IntN(5) * 100, Tracks: g.list(), Topics: g.list(), Services: g.list(),
		Roles: g.list(), Industries: g.list(), Speakers: g.list(), AllDay: g.r.IntN(5) == 0,
		Venue: g.text(), Room: g.text(), Starred: g.r.IntN(2) == 0, Reserved: g.r.IntN(3) == 0,
		Status: g.text(), Embargoed: g.r.IntN(4) == 0,
	}
	if g.r.IntN(10) == 0 {
		s.Level = g.r.IntN(2000) - 1000
	}
	switch g.r.IntN(5) {
	case 0: // not scheduled
	case 1: // no end announced
		s.Start = g.when()
	default:
		s.Start = g.when()
		s.End = s.Start.Add(time.Duration(g.r.IntN(9*60)) * time.Minute)
	}
	return s
}

func (g *sessionGen) sessions() []Session {
	l := make([]Session, g.r.IntN(8))
	for i := range l {
		l[i] = g.session()
	}
	return l
}

// normalized returns copies of sessions in the form a reader returns them.
func normalized(sessions []Session, loc *time.Location) []Session {
	out := make([]Session, len(sessions))
	for i, s := range sessions {
		s.Normalize(loc)
		out[i] = s
	}
	return out
}

func TestJSONRoundTrip(t *testing.T) {
	loc := testenv.Vegas
	g := &sessionGen{r: rand.New(rand.NewPCG(2025, 12)), loc: loc}
	for range 500 {
		c := &Catalog{Source: g.text(), Event: g.text(), FetchedAt: g.when(), Sessions: g.sessions()}
		var first bytes.Buffer
		if err := WriteJSON(&first, c, loc); err != nil {
			t.Fatal(err)
		}
		back, err := ReadJSON(bytes.NewReader(first.Bytes()), "gen.json", loc)
		if err != nil {
			t.Fatalf("%v\n%s", err, first.String())
		}
		assertSameSessions(t, back.Sessions, normalized(c.Sessions, loc))
		if back.Source != c.Source || back.Event != c.Event || !back.FetchedAt.Equal(c.FetchedAt.Truncate(time.Second)) {
			t.Errorf("source, event, fetched_at = %q, %q, %v; want %q, %q, %v",
				back.Source, back.Event, back.FetchedAt, c.Source, c.Event, c.FetchedAt)
		}
		var second bytes.Buffer
		if err := WriteJSON(&second, back, loc); err != nil {
			t.Fatal(err)
		}
		if first.String() != second.String() {
			t.Fatalf("written again, the file changed:\n%s\n----\n%s", first.String(), second.String())
		}
	}
}

func TestCSVRoundTrip(t *testing.T) {
	loc := testenv.Vegas
	g := &sessionGen{r: rand.New(rand.NewPCG(2025, 12)), loc: loc, csv: true}
	for range 500 {
		sessions := g.sessions()
		var first bytes.Buffer
		if err := WriteCSV(&first, sessions, loc); err != nil {
			t.Fatal(err)
		}
		back, err := ReadCSV(bytes.NewReader(first.Bytes()), "gen.csv", loc)
		if err != nil {
			t.Fatalf("%v\n%s", err, first.String())
		}
		assertSameSessions(t, back.Sessions, normalized(sessions, loc))
		var second bytes.Buffer
		if err := WriteCSV(&second, back.Sessions, loc); err != nil {
			t.Fatal(err)
		}
		if first.String() != second.String() {
			t.Fatalf("written again, the file changed:\n%s\n----\n%s", first.String(), second.String())
		}
	}
}

// errPlace matches the start of an error of ReadJSON or ReadCSV.
var errPlace = regexp.MustCompile(`^fuzz\.(json|csv)(?::(\d+)(?::(\d+))?)?: \S`)

// assertErrorPlace fails t unless err names the file and, when it gives a
// line and column, a place in data (or just past its end).
func assertErrorPlace(t *testing.T, err error, data []byte) {
	t.Helper()
	m := errPlace.FindStringSubmatch(err.Error())
	if m == nil {
		t.Fatalf("error %q does not start with the file's name", err)
	}
	data = bytes.TrimPrefix(data, utf8BOM)
	lines := strings.Split(string(data), "\n")
	if m[2] == "" {
		return
	}
	line, _ := strconv.Atoi(m[2])
	if line < 1 || line > len(lines) {
		t.Fatalf("error %q: the file has %d lines", err, len(lines))
	}
	if m[3] == "" {
		return
	}
	// encoding/csv counts the newline when a quoted field runs to the end
	// of the file, so a column may be one past the end of its line.
	if col, _ := strconv.Atoi(m[3]); col < 1 || col > len(lines[line-1])+2 {
		t.Fatalf("error %q: line %d has %d bytes", err, line, len(lines[line-1]))
	}
}

func FuzzReadJSON(f *testing.F) {
	f.Add(readFixture(f, "catalog-small.json"))
	for _, s := range []string{
		`{"sessions": []}`, `{"sessions": [{"code": "svs401", "start": "2025-12-01T10:00:00-08:00", "end": "2025-12-01T11:00:00.5Z"}]}`,
		`{"sessions": [{"code": "SVS401", "level": "1"}]}`, `{"sessions": [{"code": "A1", "tracks": ["x", 1]}]}`,
		"{\"Sessions\": [{\"CODE\": \"a1-b\", \"title\": \"\\u2028\\\"\"}], \"sessions\": null}", `[]`, `{"sessions": {}}`,
		`{"sessions": [{"code": "A1", "start": "1000-01-01T00:00:00Z", "end": "1883-11-18T20:00:00.000000001Z"}]}`,
	} {
		f.Add([]byte(s))
	}
	loc := testenv.Vegas
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := ReadJSON(bytes.NewReader(data), "fuzz.json", loc)
		if err != nil {
			assertErrorPlace(t, err, data)
			return
		}
		var first bytes.Buffer
		if err := WriteJSON(&first, c, loc); err != nil {
			t.Fatalf("read, but cannot be written: %v", err)
		}
		back, err := ReadJSON(bytes.NewReader(first.Bytes()), "fuzz.json", loc)
		if err != nil {
			t.Fatalf("written, but cannot be read again: %v\n%s", err, first.String())
		}
		assertSameSessions(t, back.Sessions, c.Sessions)
		var second bytes.Buffer
		if err := WriteJSON(&second, back, loc); err != nil || second.String() != first.String() {
			t.Fatalf("written again (%v), the file changed:\n%s\n----\n%s", err, first.String(), second.String())
		}
		if err := WriteCSV(new(bytes.Buffer), c.Sessions, loc); err != nil {
			t.Fatalf("read, but cannot be written as CSV: %v", err)
		}
	})
}

func FuzzReadCSV(f *testing.F) {
	f.Add(readFixture(f, "catalog-small.csv"))
	for _, s := range []string{
		"code\nSVS401\n", "\ufeffCode,Start,END\r\nsvs401,2025-12-01 10:00,2025-12-01 11:00\r\n",
		"code,tracks,level,starred\nA1-B2, a ;; b ,300,TRUE\n", "code,title\nA1,\"x\ny\"\"\"\n",
		"code,title\nA1,a\"b\n", "title\nx\n", "code,x,code\n1,2,3\n",
	} {
		f.Add([]byte(s))
	}
	loc := testenv.Vegas
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := ReadCSV(bytes.NewReader(data), "fuzz.csv", loc)
		if err != nil {
			assertErrorPlace(t, err, data)
			return
		}
		var first bytes.Buffer
		if err := WriteCSV(&first, c.Sessions, loc); err != nil {
			t.Fatalf("read, but cannot be written: %v", err)
		}
		back, err := ReadCSV(bytes.NewReader(first.Bytes()), "fuzz.csv", loc)
		if err != nil {
			t.Fatalf("written, but cannot be read again: %v\n%s", err, first.String())
		}
		assertSameSessions(t, back.Sessions, c.Sessions)
		var second bytes.Buffer
		if err := WriteCSV(&second, back.Sessions, loc); err != nil || second.String() != first.String() {
			t.Fatalf("written again (%v), the file changed:\n%s\n----\n%s", err, first.String(), second.String())
		}
		// What CSV holds, JSON holds too.
		var j bytes.Buffer
		if err := WriteJSON(&j, c, loc); err != nil {
			t.Fatalf("read, but cannot be written as JSON: %v", err)
		}
		fromJSON, err := ReadJSON(&j, "fuzz.json", loc)
		if err != nil {
			t.Fatalf("written as JSON, but cannot be read again: %v", err)
		}
		assertSameSessions(t, fromJSON.Sessions, c.Sessions)
	})
}
