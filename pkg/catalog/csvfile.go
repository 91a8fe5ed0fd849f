package catalog

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gocarina/gocsv"
)

// csvTimeLayout is how a CSV file holds a time: wall time in the event's
// zone, to the minute.
const csvTimeLayout = "2006-01-02 15:04"

// csvRow is one row of download --format csv, its columns in order.
type csvRow struct {
	Code       string   `csv:"code"`
	Title      string   `csv:"title"`
	Starred    csvBool  `csv:"starred"`
	Start      csvTime  `csv:"start"`
	End        csvTime  `csv:"end"`
	Venue      string   `csv:"venue"`
	Room       string   `csv:"room"`
	Type       string   `csv:"type"`
	Level      csvLevel `csv:"level"`
	Tracks     csvList  `csv:"tracks"`
	Services   csvList  `csv:"services"`
	Topics     csvList  `csv:"topics"`
	Speakers   csvList  `csv:"speakers"`
	Abstract   string   `csv:"abstract"`
	SessionID  string   `csv:"session_id"`
	BaseCode   string   `csv:"base_code"`
	Roles      csvList  `csv:"roles"`
	Industries csvList  `csv:"industries"`
	AllDay     csvBool  `csv:"all_day"`
	Reserved   csvBool  `csv:"reserved"`
	Status     string   `csv:"status"`
	Embargoed  csvBool  `csv:"embargoed"`
	// Columns added later go at the end, so that readers that use
	// column positions keep working.
	Reservable       csvBool `csv:"reservable"`
	SeatAvailability string  `csv:"seat_availability"`
}

// WriteCSV writes sessions as download --format csv does: a header row,
// then one row per session, lists joined with "; ", times as wall time in
// loc (UTC when nil) to the minute, empty when not scheduled.
//
// CSV cannot hold everything a Session can: seconds are dropped, a list
// item that holds ";" comes back as two items, list items come back
// trimmed and without empty ones, "\r\n" inside a value comes back as
// "\n", and a wall time in the hour repeated when daylight saving time
// ends comes back as its first occurrence. JSON keeps everything.
func WriteCSV(w io.Writer, sessions []Session, loc *time.Location) error {
	if loc == nil {
		loc = time.UTC
	}
	rows := make([]csvRow, len(sessions))
	for i, s := range sessions {
		s.Normalize(loc)
		rows[i] = csvRow{
			Code: s.Code, Title: s.Title, Starred: csvBool(s.Starred),
			Start: formatCSVTime(s.Start), End: formatCSVTime(s.End),
			Venue: s.Venue, Room: s.Room, Type: s.Type, Level: csvLevel(s.Level),
			Tracks: s.Tracks, Services: s.Services, Topics: s.Topics, Speakers: s.Speakers,
			Abstract: s.Abstract, SessionID: s.SessionID, BaseCode: s.BaseCode,
			Roles: s.Roles, Industries: s.Industries, AllDay: csvBool(s.AllDay),
			Reserved: csvBool(s.Reserved), Status: s.Status, Embargoed: csvBool(s.Embargoed),
			Reservable: csvBool(s.Reservable), SeatAvailability: s.SeatAvailability,
		}
	}
	if err := gocsv.MarshalCSV(rows, gocsv.NewSafeCSVWriter(csv.NewWriter(w))); err != nil {
		return fmt.Errorf("write CSV catalog: %w", err)
	}
	return nil
}

// ReadCSV reads sessions written by WriteCSV, naming the file name in
// errors with the line and column of what is wrong. The file must have a
// code column; other columns may be missing (their values are then empty)
// and unknown ones are ignored. Times are read as wall time in loc (UTC
// when nil). A leading byte order mark and rows with every field empty,
// as spreadsheets write them, are skipped. The catalog's Source is name;
// a CSV file has no event or fetch time.
func ReadCSV(r io.Reader, name string, loc *time.Location) (*Catalog, error) {
	if loc == nil {
		loc = time.UTC
	}
	br := bufio.NewReader(r)
	if b, err := br.Peek(len(utf8BOM)); err == nil && bytes.Equal(b, utf8BOM) {
		_, _ = br.Discard(len(utf8BOM))
	}
	d, err := readCSVRecords(csv.NewReader(br), name)
	if err != nil {
		return nil, err
	}
	var rows []csvRow
	if err := gocsv.UnmarshalDecoder(d, &rows); err != nil {
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			// gocsv counts a row as 2 + its index among the records and a
			// column from 1.
			line, col := pe.Line, pe.Column
			if i, j := pe.Line-2, pe.Column-1; i >= 0 && i < len(d.pos) && j >= 0 && j < len(d.pos[i]) {
				line, col = d.pos[i][j].line, d.pos[i][j].col
			}
			if j := pe.Column - 1; j >= 0 && j < len(d.header) {
				return nil, errorAt(name, line, col, "%s: %v", d.header[j], pe.Err)
			}
			return nil, errorAt(name, line, col, "%v", pe.Err)
		}
		return nil, errorAt(name, 0, 0, "%v", err)
	}
	c := &Catalog{Source: name, Sessions: make([]Session, len(rows))}
	for i, row := range rows {
		s, pr := row.session(loc)
		if pr == nil {
			pr = checkSession(&s)
		}
		if pr != nil {
			p := d.pos[i][0]
			if j := slices.Index(d.header, pr.field); j >= 0 {
				p = d.pos[i][j]
			}
			return nil, errorAt(name, p.line, p.col, "%s: %s", pr.field, pr.msg)
		}
		s.Normalize(loc)
		c.Sessions[i] = s
	}
	return c, nil
}

// session returns the session a row holds, times in loc, or what is wrong
// with its times.
func (r *csvRow) session(loc *time.Location) (Session, *problem) {
	s := Session{
		Code: r.Code, BaseCode: r.BaseCode, SessionID: r.SessionID, Title: r.Title,
		Abstract: r.Abstract, Type: r.Type, Level: int(r.Level),
		Tracks: r.Tracks, Topics: r.Topics, Services: r.Services, Roles: r.Roles,
		Industries: r.Industries, Speakers: r.Speakers, AllDay: bool(r.AllDay),
		Venue: r.Venue, Room: r.Room, Starred: bool(r.Starred), Reserved: bool(r.Reserved),
		Status: r.Status, Embargoed: bool(r.Embargoed),
		Reservable: bool(r.Reservable), SeatAvailability: r.SeatAvailability,
	}
	var ok bool
	if s.Start, ok = r.Start.in(loc); !ok {
		return s, &problem{"start", r.Start.skipped(loc)}
	}
	if s.End, ok = r.End.in(loc); !ok {
		return s, &problem{"end", r.End.skipped(loc)}
	}
	return s, nil
}

// csvPos is where a field starts in a CSV file.
type csvPos struct{ line, col int }

// csvRecords is a whole CSV file read ahead, with where each field is, for
// gocsv to decode. It implements gocsv.Decoder.
type csvRecords struct {
	header  []string   // column names, trimmed and lower-cased
	records [][]string // without the header
	pos     [][]csvPos // pos[i][j] is where records[i][j] starts
}

// GetCSVRows returns the header and the records.
func (d *csvRecords) GetCSVRows() ([][]string, error) {
	return append([][]string{d.header}, d.records...), nil
}

// readCSVRecords reads every record of a CSV catalog and checks its header.
func readCSVRecords(cr *csv.Reader, name string) (*csvRecords, error) {
	readErr := func(err error, rec []string, want int) error {
		var pe *csv.ParseError
		switch {
		case errors.As(err, &pe) && errors.Is(pe.Err, csv.ErrFieldCount):
			return errorAt(name, pe.StartLine, 1, "wrong number of fields: want %d like the header, got %d", want, len(rec))
		case errors.As(err, &pe) && errors.Is(pe.Err, csv.ErrQuote):
			return errorAt(name, pe.Line, pe.Column, `invalid CSV: a quoted field has a stray " or is never closed (a " inside one is written "")`)
		case errors.As(err, &pe):
			return errorAt(name, pe.Line, pe.Column, "invalid CSV: %v", pe.Err)
		}
		return errorAt(name, 0, 0, "read: %w", err)
	}
	noCode := func(line int) error {
		return errorAt(name, line, 0, `no "code" column; is this a CSV written by reinvent download?`)
	}
	header, err := cr.Read()
	if err == io.EOF {
		return nil, noCode(1)
	}
	if err != nil {
		return nil, fmt.Errorf("%w; is this a CSV written by reinvent download?", readErr(err, header, 0))
	}
	checkUTF8 := func(rec []string) error {
		for j, f := range rec {
			if i := invalidUTF8([]byte(f)); i >= 0 {
				line, col := cr.FieldPos(j)
				return errorAt(name, line, col, "%s", notUTF8)
			}
		}
		return nil
	}
	if err := checkUTF8(header); err != nil {
		return nil, err
	}
	d := &csvRecords{header: make([]string, len(header))}
	seen := map[string]bool{}
	for j, h := range header {
		h = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
		if seen[h] && h != "" {
			line, col := cr.FieldPos(j)
			return nil, errorAt(name, line, col, "column %q appears twice", h)
		}
		seen[h] = true
		d.header[j] = h
	}
	if !seen["code"] {
		line, _ := cr.FieldPos(0) // blank lines before the header are skipped
		return nil, noCode(line)
	}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			return d, nil
		}
		if err != nil {
			return nil, readErr(err, rec, len(header))
		}
		if err := checkUTF8(rec); err != nil {
			return nil, err
		}
		if !slices.ContainsFunc(rec, func(f string) bool { return f != "" }) {
			continue // an empty row, as spreadsheets add at the end
		}
		pos := make([]csvPos, len(rec))
		for j := range rec {
			pos[j].line, pos[j].col = cr.FieldPos(j)
		}
		d.records = append(d.records, rec)
		d.pos = append(d.pos, pos)
	}
}

// csvBool is a CSV boolean: true or false.
type csvBool bool

func (b csvBool) MarshalCSV() (string, error) { return strconv.FormatBool(bool(b)), nil }

func (b *csvBool) UnmarshalCSV(s string) error {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "true", "1":
		*b = true
	case "false", "0", "":
		*b = false
	default:
		return fmt.Errorf("want true or false, got %q", s)
	}
	return nil
}

// csvLevel is a session level: a whole number, empty for 0.
type csvLevel int

func (l csvLevel) MarshalCSV() (string, error) { return strconv.Itoa(int(l)), nil }

func (l *csvLevel) UnmarshalCSV(s string) error {
	s = strings.TrimSpace(s)
	if s == "" {
		*l = 0
		return nil
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		return fmt.Errorf("want a whole number like 300, got %q", s)
	}
	*l = csvLevel(n)
	return nil
}

// csvList is a list of strings joined with "; ".
type csvList []string

func (l csvList) MarshalCSV() (string, error) { return strings.Join(l, "; "), nil }

func (l *csvList) UnmarshalCSV(s string) error {
	*l = []string{}
	for item := range strings.SplitSeq(s, ";") {
		if item = strings.TrimSpace(item); item != "" {
			*l = append(*l, item)
		}
	}
	return nil
}

// csvTime is a time as written in a CSV file, checked against
// csvTimeLayout; empty when not scheduled. It is read in the event's zone
// once the whole row is known (see in).
type csvTime string

func formatCSVTime(t time.Time) csvTime {
	if t.IsZero() {
		return ""
	}
	return csvTime(t.Format(csvTimeLayout))
}

func (t csvTime) MarshalCSV() (string, error) { return string(t), nil }

func (t *csvTime) UnmarshalCSV(s string) error {
	s = strings.TrimSpace(s)
	if s != "" {
		if _, err := time.Parse(csvTimeLayout, s); err != nil {
			return fmt.Errorf(`want "YYYY-MM-DD HH:MM", got %q`, s)
		}
	}
	*t = csvTime(s)
	return nil
}

// in returns the time t names in loc, the zero time when t is empty. It
// reports false for a wall time that loc skips, such as 02:30 on the day
// daylight saving time starts. A wall time that happens twice, when it
// ends, is the first one.
func (t csvTime) in(loc *time.Location) (time.Time, bool) {
	if t == "" {
		return time.Time{}, true
	}
	v, err := time.ParseInLocation(csvTimeLayout, string(t), loc)
	return v, err == nil && v.Format(csvTimeLayout) == string(t)
}

// skipped says that t does not exist in loc.
func (t csvTime) skipped(loc *time.Location) string {
	return fmt.Sprintf("%s does not exist in %s: the clocks skip it", string(t), loc)
}
