package render

import (
	"bytes"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	ics "github.com/arran4/golang-ical"

	"github.com/reinvent-cli/reinvent/pkg/catalog"
	"github.com/reinvent-cli/reinvent/pkg/schedule"
)

// iCalendar value layouts.
const (
	icsLocalTime = "20060102T150405"  // DATE-TIME as wall time, with a TZID
	icsUTCTime   = "20060102T150405Z" // DATE-TIME in UTC
)

// ScheduleICS writes r as an RFC 5545 calendar: a VTIMEZONE for the event's
// zone and one VEVENT per scheduled session, its times as wall times in
// that zone (in UTC when the zone has no IANA name), LOCATION the venue
// and room, DESCRIPTION the code, title and abstract. A drop-in all-day
// session (schedule.DropIn) is TRANSP:TRANSPARENT, so that it does not show
// as busy; every other session is opaque. The UID of an event depends only on the session, so importing
// a newer schedule updates the events instead of duplicating them.
func ScheduleICS(w io.Writer, r *schedule.Result, o ScheduleOptions) error {
	loc := o.location()
	stamp := o.Stamp
	if stamp.IsZero() {
		stamp = time.Unix(0, 0)
	}

	from, to := stamp, stamp
	if len(r.Scheduled) > 0 {
		from, to = r.Scheduled[0].Session.Start, r.Scheduled[0].Session.Start
		for _, c := range r.Scheduled {
			from, to = minTime(from, c.Session.Start), maxTime(to, sessionEnd(&c.Session))
		}
	}
	cal := NewICS("-//reinvent//schedule//EN", loc, from, to)

	seen := map[string]bool{}
	for _, c := range r.Scheduled {
		s := &c.Session
		id := UID(s)
		if seen[id] {
			continue // the same session twice is one event
		}
		seen[id] = true
		cal.AddVEvent(SessionEvent(id, s, loc, stamp))
	}

	if err := WriteICS(w, cal); err != nil {
		return fmt.Errorf("write schedule calendar: %w", err)
	}
	return nil
}

// NewICS returns an empty RFC 5545 calendar with the product identifier
// prodID and, when loc has an IANA name (tzidOf), a VTIMEZONE for loc
// that covers the years from from to to, the span of its events.
func NewICS(prodID string, loc *time.Location, from, to time.Time) *ics.Calendar {
	cal := &ics.Calendar{}
	cal.SetProductId(prodID)
	cal.SetVersion("2.0")
	cal.SetCalscale("GREGORIAN")
	if tzid := tzidOf(loc); tzid != "" {
		cal.AddVTimezone(vtimezone(tzid, loc, from, to))
	}
	return cal
}

// SessionEvent returns s as a VEVENT with the UID uid and the DTSTAMP
// stamp: its times as wall times in loc (in UTC when loc has no IANA
// name), LOCATION the venue and room, SUMMARY the code and title,
// DESCRIPTION those and the abstract, every text cleaned of control
// characters. A drop-in all-day session (schedule.DropIn) is
// TRANSP:TRANSPARENT, so that it does not show as busy; every other
// session is opaque.
func SessionEvent(uid string, s *catalog.Session, loc *time.Location, stamp time.Time) *ics.VEvent {
	e := ics.NewEvent(uid)
	e.SetDtStampTime(stamp)
	if tzid := tzidOf(loc); tzid != "" {
		e.SetProperty(ics.ComponentPropertyDtStart, s.Start.In(loc).Format(icsLocalTime), ics.WithTZID(tzid))
		e.SetProperty(ics.ComponentPropertyDtEnd, sessionEnd(s).In(loc).Format(icsLocalTime), ics.WithTZID(tzid))
	} else {
		e.SetStartAt(s.Start)
		e.SetEndAt(sessionEnd(s))
	}
	e.SetSummary(icsText(summary(s)))
	if p := place(s); p != "" {
		e.SetLocation(icsText(p))
	}
	e.SetDescription(icsText(description(s)))
	if schedule.DropIn(s) {
		// Open all day and blocking nothing, as the plan treats it
		// (docs/schedule.md): the calendar does not mark the time busy.
		e.SetTimeTransparency(ics.TransparencyTransparent)
	}
	return e
}

// WriteICS writes cal to w as RFC 5545 text: CRLF line ends, lines folded
// at 75 octets without splitting a UTF-8 sequence, in one write.
func WriteICS(w io.Writer, cal *ics.Calendar) error {
	var buf bytes.Buffer
	if err := cal.SerializeTo(&buf, ics.WithNewLineWindows); err != nil {
		return err
	}
	_, err := w.Write(buf.Bytes())
	return err
}

// tzidOf is the name of loc as a TZID, or "" when other computers could
// not know the zone by its name (time.Local, a fixed zone): times are then
// written in UTC.
func tzidOf(loc *time.Location) string {
	name := loc.String()
	if name == "" || name == "Local" {
		return ""
	}
	if _, err := time.LoadLocation(name); err != nil {
		return ""
	}
	return name
}

// UID is an event's stable identifier: the full code and the catalog's
// session ID (or the start time when there is none), which do not change
// when a session is renamed or moved.
func UID(s *catalog.Session) string {
	id := s.SessionID
	if id == "" {
		id = strconv.FormatInt(s.Start.Unix(), 10)
	}
	return uidPart(strings.ToLower(s.Code)) + "-" + uidPart(id) + "@reinvent"
}

// uidPart keeps letters, digits, '.', '_' and '-', and turns anything else
// into '-', so that a UID needs no escaping.
func uidPart(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '.', r == '_', r == '-':
			return r
		}
		return '-'
	}, s)
}

func summary(s *catalog.Session) string {
	if t := oneLine(s.Title); t != "" {
		return s.Code + " – " + t
	}
	return s.Code
}

func description(s *catalog.Session) string {
	d := summary(s)
	if a := strings.TrimSpace(s.Abstract); a != "" {
		d += "\n\n" + a
	}
	return d
}

// icsText prepares a TEXT value for the writer, which escapes backslash,
// semicolon, comma and newline: line breaks become "\n", and the text is
// cleaned as a catalog's is (catalog.CleanText: escape sequences and the
// control characters RFC 5545 does not allow in text go, invalid UTF-8
// becomes U+FFFD), even when the session was built by hand.
func icsText(s string) string {
	return catalog.CleanText(strings.NewReplacer("\r\n", "\n", "\r", "\n").Replace(s))
}

// vtimezone describes loc from Go's zone data: the observance in effect
// at the start of from's year and every transition until the end of to's
// year, each as a STANDARD or DAYLIGHT component that occurs once. A
// calendar client that does not know tzid can then still place the
// events, and one that does gets the offsets Go used for the wall times.
func vtimezone(tzid string, loc *time.Location, from, to time.Time) *ics.VTimezone {
	from, to = from.In(loc), to.In(loc)
	begin := time.Date(from.Year(), time.January, 1, 0, 0, 0, 0, loc)
	end := time.Date(to.Year()+1, time.January, 1, 0, 0, 0, 0, loc)

	tz := ics.NewTimezone(tzid)
	start, next := begin.ZoneBounds()
	if start.IsZero() {
		_, off := begin.Zone()
		tz.Components = append(tz.Components, observance(begin, time.Date(1970, time.January, 1, 0, 0, 0, 0, time.UTC), off))
	} else {
		tz.Components = append(tz.Components, transition(start))
	}
	for !next.IsZero() && next.Before(end) {
		tz.Components = append(tz.Components, transition(next))
		_, next = next.ZoneBounds()
	}
	return tz
}

// transition is the observance that starts at the instant t.
func transition(t time.Time) ics.Component {
	_, before := t.Add(-time.Second).Zone()
	return observance(t, t.UTC().Add(time.Duration(before)*time.Second), before)
}

// observance is the STANDARD or DAYLIGHT component for the zone period
// that t is in, starting at the wall time onset (in the offset before it,
// offsetFrom seconds east of UTC).
func observance(t time.Time, onset time.Time, offsetFrom int) ics.Component {
	name, offset := t.Zone()
	c := ics.ComponentBase{}
	c.SetProperty(ics.ComponentPropertyDtStart, onset.Format(icsLocalTime))
	c.SetProperty(ics.ComponentProperty(ics.PropertyTzoffsetfrom), utcOffset(offsetFrom))
	c.SetProperty(ics.ComponentProperty(ics.PropertyTzoffsetto), utcOffset(offset))
	if name != "" {
		c.SetProperty(ics.ComponentProperty(ics.PropertyTzname), icsText(name))
	}
	if t.IsDST() {
		return &ics.Daylight{ComponentBase: c}
	}
	return &ics.Standard{ComponentBase: c}
}

// utcOffset writes seconds east of UTC as an RFC 5545 UTC-OFFSET: +0530,
// or -034752 when there are seconds.
func utcOffset(sec int) string {
	sign := '+'
	if sec < 0 {
		sign, sec = '-', -sec
	}
	s := fmt.Sprintf("%c%02d%02d", sign, sec/3600, sec/60%60)
	if sec%60 != 0 {
		s += fmt.Sprintf("%02d", sec%60)
	}
	return s
}

func minTime(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}

func maxTime(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}
