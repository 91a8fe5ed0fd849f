package render

import (
	"bufio"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/reinvent-cli/reinvent/pkg/schedule"
)

// Table layout: every line is shorter than the width (DefaultWidth unless
// ScheduleOptions.Width says otherwise).
const (
	DefaultWidth = 100
	minWidth     = 40
	minTitleCol  = 40 // what a title keeps before a place moves below it
	indent       = "  "
	gap          = "  "
	timeColWidth = len("10:00-11:00") // the dash is one column either way
)

// ScheduleTable writes r for a person at a terminal: a summary line, the
// sessions by day with the travel between them and the repeats that would
// also fit, then the codes that could not be scheduled and why, and the
// codes not found with close matches.
func ScheduleTable(w io.Writer, r *schedule.Result, o ScheduleOptions) error {
	bw := bufio.NewWriter(w)
	t := table{w: bw, o: o, loc: o.location()}
	t.summary(r)
	t.days(r.Scheduled)
	t.unscheduled(r.Unscheduled)
	t.notFound(r.NotFound)
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write schedule table: %w", err)
	}
	return nil
}

type table struct {
	w   *bufio.Writer
	o   ScheduleOptions
	loc *time.Location
}

// zoneName names the zone the times are shown in, once, for the heading:
// "Las Vegas time, PST" for the event's zone, else its name and
// abbreviation.
func zoneName(loc *time.Location, at time.Time) string {
	abbr, _ := at.In(loc).Zone()
	switch loc.String() {
	case "America/Los_Angeles":
		return "Las Vegas time, " + abbr
	case "UTC", "":
		return "UTC"
	}
	return loc.String() + ", " + abbr
}

func (t *table) line(parts ...string) {
	t.w.WriteString(strings.TrimRight(strings.Join(parts, ""), " "))
	t.w.WriteByte('\n')
}

func (t *table) summary(r *schedule.Result) {
	noun := "sessions"
	if len(r.Requested) == 1 {
		noun = "session"
	}
	s := fmt.Sprintf("%d of %d %s scheduled", len(r.Scheduled), len(r.Requested), noun)
	if !r.Optimal {
		s += " (not proven optimal: time limit reached)"
	}
	if len(r.Scheduled) > 0 {
		s += "; times in " + zoneName(t.loc, r.Scheduled[0].Session.Start)
	}
	t.line(s)
}

// width is the table's width in columns.
func (t *table) width() int {
	if t.o.Width <= 0 {
		return DefaultWidth
	}
	return max(t.o.Width, minWidth)
}

// columns are the widths of the code and title columns, and rest, the
// columns from the title's start to the end of a line. The title column is
// as wide as the longest title, narrowed down to minTitleCol (or what the
// width allows) to make room for the places beside it. A place is never
// cut: one that does not fit beside its title goes on a line of its own
// below it (docs/schedule.md, "Output").
func (t *table) columns(cs []schedule.Choice) (code, title, rest int) {
	where := 0
	for _, c := range cs {
		code = max(code, textWidth(c.Session.Code))
		title = max(title, textWidth(oneLine(c.Session.Title)))
		where = max(where, textWidth(oneLine(place(&c.Session))))
	}
	rest = max(t.width()-1-len(indent)-timeColWidth-2*len(gap)-code, 1)
	title = max(min(title, rest, max(minTitleCol, rest-len(gap)-where)), 1)
	return code, title, rest
}

func (t *table) days(cs []schedule.Choice) {
	codeW, titleW, rest := t.columns(cs)
	under := indent + strings.Repeat(" ", timeColWidth+len(gap)+codeW+len(gap))
	for i := range cs {
		c := &cs[i]
		start := c.Session.Start.In(t.loc)
		var prev *schedule.Choice
		if i > 0 {
			prev = &cs[i-1]
		}
		if prev == nil || !sameDay(prev.Session.Start.In(t.loc), start) {
			t.line()
			t.line(start.Format("Monday, January 2"))
		} else {
			t.travel(prev, c)
		}
		title, where := oneLine(c.Session.Title), oneLine(place(&c.Session))
		row := []string{indent, start.Format("15:04"), "–", sessionEnd(&c.Session).In(t.loc).Format("15:04"), gap,
			pad(c.Session.Code, codeW), gap}
		var titles, below []string
		if where == "" || titleW+len(gap)+textWidth(where) <= rest {
			titles = wrap(title, titleW)
			row = append(row, pad(titles[0], titleW), gap, where)
		} else {
			// The title has the line to itself, the place the next.
			titles, below = wrap(title, rest), wrapPlace(where, rest)
			row = append(row, titles[0])
		}
		t.line(row...)
		for _, l := range append(titles[1:], below...) {
			t.line(under, l)
		}
		if note := t.seatsAndAlternates(c); note != "" {
			for _, l := range wrap(note, max(t.width()-1-textWidth(under), 10)) {
				t.line(under, l)
			}
		}
	}
}

// wrap breaks s into lines of at most w columns at spaces; a word longer
// than a line is cut with shorten.
func wrap(s string, w int) []string {
	var lines []string
	cur := ""
	for _, word := range strings.Fields(s) {
		switch {
		case cur == "":
			cur = word
		case textWidth(cur)+1+textWidth(word) <= w:
			cur += " " + word
		default:
			lines = append(lines, shorten(cur, w))
			cur = word
		}
	}
	if cur != "" || len(lines) == 0 {
		lines = append(lines, shorten(cur, w))
	}
	return lines
}

// wrapPlace breaks a place into lines of at most w columns after its
// separators ("Caesars Palace, Level 2 |" / "Augustus 2") when it can, so
// that a room's name stays on one line, else as wrap does.
func wrapPlace(s string, w int) []string {
	var lines []string
	cur := ""
	for _, part := range placeParts(s) {
		switch {
		case cur == "":
			cur = part
		case textWidth(cur)+1+textWidth(part) <= w:
			cur += " " + part
		default:
			lines = append(lines, cur)
			cur = part
		}
		if textWidth(cur) > w {
			parts := wrap(cur, w)
			lines, cur = append(lines, parts[:len(parts)-1]...), parts[len(parts)-1]
		}
	}
	return append(lines, cur)
}

// placeParts splits a place after each "," and "|" that ends a word.
func placeParts(s string) []string {
	var parts []string
	cur := ""
	for _, word := range strings.Fields(s) {
		if cur != "" {
			cur += " "
		}
		cur += word
		if strings.HasSuffix(word, ",") || word == "|" {
			parts = append(parts, cur)
			cur = ""
		}
	}
	if cur != "" || len(parts) == 0 {
		parts = append(parts, cur)
	}
	return parts
}

// seatsAndAlternates is the line under a session: how full it is, and the
// repeats that would also fit with theirs, so that someone choosing between
// repeats sees which still has seats.
func (t *table) seatsAndAlternates(c *schedule.Choice) string {
	var parts []string
	if c.Session.Reserved {
		parts = append(parts, "your seat is held")
	} else if b := c.Session.SeatAvailability; b != "" {
		parts = append(parts, "seats: "+seatWords(b))
	}
	if len(c.Alternates) > 0 {
		alts := make([]string, len(c.Alternates))
		for i, a := range c.Alternates {
			alts[i] = a
			if b := t.o.Seats[a]; b != "" {
				alts[i] += " (" + seatWords(b) + ")"
			}
		}
		parts = append(parts, "also fits: "+strings.Join(alts, ", "))
	}
	return strings.Join(parts, " · ")
}

func sameDay(a, b time.Time) bool {
	ay, am, ad := a.Date()
	by, bm, bd := b.Date()
	return ay == by && am == bm && ad == bd
}

// travel writes the note between two consecutive sessions on one day: how
// long it takes to get from a's venue to b's, and how much time there is,
// from the leg the solver counted between them (b.Leg).
func (t *table) travel(a, b *schedule.Choice) {
	leg := b.Leg
	if leg == nil || a.Session.AllDay || b.Session.AllDay || leg.From != a.Session.Code {
		// No leg counted from a to b: an all-day session has no walk
		// before or after it.
		return
	}
	if leg.SameVenue && (!leg.Known || leg.Minutes == 0) {
		return
	}
	free := fmt.Sprintf("%s free", duration(int(leg.Free.Round(time.Minute)/time.Minute)))
	venue := strings.TrimSpace(b.Session.Venue)
	var note string
	switch {
	case leg.SameVenue:
		note = fmt.Sprintf("%s within %s (%s)", duration(leg.Minutes), venue, free)
	case venue == "":
		note = fmt.Sprintf("%s to the next venue (venue not announced; %s)", duration(leg.Minutes), free)
	case !leg.Known:
		note = fmt.Sprintf("%s to %s (unknown distance; %s)", duration(leg.Minutes), venue, free)
	default:
		note = fmt.Sprintf("%s to %s (%s)", duration(leg.Minutes), venue, free)
	}
	for i, l := range wrap(note, max(t.width()-1-len(indent)-5, 10)) {
		if i == 0 {
			t.line(indent, "   ↓ ", l)
		} else {
			t.line(indent, "     ", l)
		}
	}
}

// duration writes minutes as "25 min", "2 h" or "1 h 35 min".
func duration(minutes int) string {
	switch h, m := minutes/60, minutes%60; {
	case minutes < 60:
		return fmt.Sprintf("%d min", minutes)
	case m == 0:
		return fmt.Sprintf("%d h", h)
	default:
		return fmt.Sprintf("%d h %d min", h, m)
	}
}

func (t *table) unscheduled(us []schedule.Unscheduled) {
	if len(us) == 0 {
		return
	}
	t.line()
	t.line("Could not schedule:")
	w := 0
	for _, u := range us {
		w = max(w, textWidth(u.Code))
	}
	for _, u := range us {
		for i, l := range wrap(Why(u), max(t.width()-1-len(indent)-w-len(gap), 10)) {
			if i == 0 {
				t.line(indent, pad(u.Code, w), gap, l)
			} else {
				t.line(indent, strings.Repeat(" ", w), gap, l)
			}
		}
	}
}

func (t *table) notFound(codes []string) {
	if len(codes) == 0 {
		return
	}
	t.line()
	t.line("Not found:")
	w := 0
	for _, c := range codes {
		w = max(w, textWidth(c))
	}
	for _, c := range codes {
		if s := didYouMean(t.o.Suggestions[c]); s != "" {
			t.line(indent, pad(c, w), gap, s)
		} else {
			t.line(indent, c)
		}
	}
}
