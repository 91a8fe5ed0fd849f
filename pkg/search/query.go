package search

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/reinvent-cli/reinvent/pkg/catalog"
)

// bands are the seat availability bands --seats takes, by folded name.
var bands = map[string]string{}

func init() {
	for _, b := range []string{catalog.SeatAvailable, catalog.SeatLimited, catalog.SeatVeryLimited, catalog.SeatUnavailable, catalog.SeatWalkUp} {
		bands[strings.ToLower(b)] = b
	}
}

// weekdays are the names --day takes for a weekday: the full name and its
// first three and four letters, folded.
var weekdays = map[string]time.Weekday{}

func init() {
	for d := time.Sunday; d <= time.Saturday; d++ {
		name := strings.ToLower(d.String())
		weekdays[name], weekdays[name[:3]], weekdays[name[:4]] = d, d, d
	}
}

// filter is a Query's filters, read and checked.
type filter struct {
	weekdays      map[time.Weekday]bool
	dates         map[string]bool // YYYY-MM-DD
	venues        map[string]bool // catalog.VenueKey
	tracks        map[string]bool // lower case, as are the three below
	topics        map[string]bool
	types         map[string]bool
	seats         map[string]bool
	levels        map[int]bool
	after, before int // minutes after midnight; -1 when not set
	reservable    bool
}

// Check reports the first value of q that cannot be searched for, in one
// line that says what to give instead: an unknown day or band, a level
// that is not positive, a time that is not HH:MM, a negative limit or
// offset.
func (q *Query) Check() error {
	_, err := q.filter()
	return err
}

// ParseLevels reads levels given as text, each value a number or a comma
// list ("300", "200,300"); a value that is not a number is an error in one
// line.
func ParseLevels(values []string) ([]int, error) {
	var levels []int
	for _, v := range split(values) {
		n, err := strconv.Atoi(v)
		if err != nil {
			return nil, fmt.Errorf("level %q is not a number: give one such as 200 or 300", v)
		}
		levels = append(levels, n)
	}
	return levels, nil
}

// split splits each value at commas and drops the empty parts and the
// space around them.
func split(values []string) []string {
	var out []string
	for _, v := range values {
		for p := range strings.SplitSeq(v, ",") {
			if p = strings.TrimSpace(p); p != "" {
				out = append(out, p)
			}
		}
	}
	return out
}

// set is the values (comma lists split) under key, or nil for none.
func set(values []string, key func(string) string) map[string]bool {
	parts := split(values)
	if len(parts) == 0 {
		return nil
	}
	m := make(map[string]bool, len(parts))
	for _, p := range parts {
		m[key(p)] = true
	}
	return m
}

func (q *Query) filter() (*filter, error) {
	if q.Limit < 0 {
		return nil, fmt.Errorf("limit %d is negative: give a number of results, or 0 for all", q.Limit)
	}
	if q.Offset < 0 {
		return nil, fmt.Errorf("offset %d is negative: give how many results to skip", q.Offset)
	}
	f := &filter{
		venues: set(q.Venues, catalog.VenueKey),
		tracks: set(q.Tracks, strings.ToLower), topics: set(q.Topics, strings.ToLower),
		types: set(q.Types, strings.ToLower), reservable: q.Reservable,
	}
	for _, d := range split(q.Days) {
		if wd, ok := weekdays[strings.ToLower(d)]; ok {
			if f.weekdays == nil {
				f.weekdays = map[time.Weekday]bool{}
			}
			f.weekdays[wd] = true
			continue
		}
		t, err := time.Parse(time.DateOnly, d)
		if err != nil {
			return nil, fmt.Errorf("unknown day %q: give a weekday (tue, Tuesday) or a date (2026-12-01)", d)
		}
		if f.dates == nil {
			f.dates = map[string]bool{}
		}
		f.dates[t.Format(time.DateOnly)] = true
	}
	for _, s := range split(q.Seats) {
		b, ok := bands[strings.ToLower(s)]
		if !ok {
			return nil, fmt.Errorf("unknown seat band %q: give available, limited, veryLimited, unavailable or walkUp", s)
		}
		if f.seats == nil {
			f.seats = map[string]bool{}
		}
		f.seats[strings.ToLower(b)] = true
	}
	for _, l := range q.Levels {
		if l <= 0 {
			return nil, fmt.Errorf("level %d is not a session level: give one such as 200 or 300", l)
		}
		if f.levels == nil {
			f.levels = map[int]bool{}
		}
		f.levels[l] = true
	}
	var err error
	if f.after, err = clock("after", q.After); err != nil {
		return nil, err
	}
	if f.before, err = clock("before", q.Before); err != nil {
		return nil, err
	}
	return f, nil
}

// clock reads a local time HH:MM as minutes after midnight; "" is -1.
func clock(name, s string) (int, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return -1, nil
	}
	t, err := time.Parse("15:04", s)
	if err != nil {
		if t, err = time.Parse("15", s); err != nil {
			return 0, fmt.Errorf("%s %q is not a time: give a local time such as 14:30", name, s)
		}
	}
	return t.Hour()*60 + t.Minute(), nil
}

// keeps reports whether instance s passes f; its times are read in loc.
func (f *filter) keeps(s *catalog.Session, loc *time.Location) bool {
	if f.reservable && !s.Reservable {
		return false
	}
	if f.venues != nil && !f.venues[catalog.VenueKey(s.Venue)] {
		return false
	}
	if f.types != nil && !f.types[strings.ToLower(s.Type)] {
		return false
	}
	if f.seats != nil && !f.seats[strings.ToLower(s.SeatAvailability)] {
		return false
	}
	if f.levels != nil && !f.levels[s.Level] {
		return false
	}
	if !anyIn(f.tracks, s.Tracks) || !anyIn(f.topics, s.Topics) {
		return false
	}
	if f.weekdays == nil && f.dates == nil && f.after < 0 && f.before < 0 {
		return true
	}
	if !s.Scheduled() {
		return false
	}
	start, end := s.Start, s.End
	if loc != nil {
		start, end = start.In(loc), end.In(loc)
	}
	if (f.weekdays != nil || f.dates != nil) && !f.weekdays[start.Weekday()] && !f.dates[start.Format(time.DateOnly)] {
		return false
	}
	if f.after >= 0 && start.Hour()*60+start.Minute() < f.after {
		return false
	}
	if f.before >= 0 {
		if end.IsZero() || end.Before(start) {
			end = start
		}
		if minutes(start, end) > f.before {
			return false
		}
	}
	return true
}

// minutes is when end is, in minutes after the midnight of start's day: an
// instance that ends after midnight ends after any --before.
func minutes(start, end time.Time) int {
	y, m, d := start.Date()
	return int(end.Sub(time.Date(y, m, d, 0, 0, 0, 0, start.Location())) / time.Minute)
}

// anyIn reports whether want is nil or holds one of values, folded.
func anyIn(want map[string]bool, values []string) bool {
	if want == nil {
		return true
	}
	for _, v := range values {
		if want[strings.ToLower(v)] {
			return true
		}
	}
	return false
}

// words splits text into the words searched for: runs of letters and
// digits. Everything else (quotes, *, -, :, parentheses) separates
// words, so no text a user types is FTS5 query syntax.
func words(text string) []string {
	return strings.FieldsFunc(text, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
}

// match is the FTS5 query of the words: every word (AND), each as a whole
// word or a prefix (OR: a whole word scores twice). Each word is quoted, and holds
// no quote, so AND, NEAR or a column name are words like any other.
func match(ws []string) string {
	var b strings.Builder
	for i, w := range ws {
		if i > 0 {
			b.WriteString(" AND ")
		}
		fmt.Fprintf(&b, `("%s" OR "%s"*)`, w, w)
	}
	return b.String()
}
