package calendar

import (
	"fmt"
	"io"
	"strconv"
	"time"

	ics "github.com/arran4/golang-ical"

	"github.com/reinvent-cli/reinvent/pkg/catalog"
	"github.com/reinvent-cli/reinvent/pkg/render"
)

// ProdID is the PRODID of the live calendar.
const ProdID = "-//reinvent//follow//EN"

// Options of the written calendar.
type Options struct {
	// Name is the calendar's name in the clients (X-WR-CALNAME), such as
	// "re:Invent 2026 (reinvent follow)"; empty leaves it out.
	Name string
	// Refresh is how often clients should fetch the calendar again
	// (REFRESH-INTERVAL and X-PUBLISHED-TTL), normally follow's --every,
	// in whole seconds, at least one; 0 leaves them out.
	Refresh time.Duration
	// Location is the event's zone: times are written as wall times in
	// it, with a VTIMEZONE. Nil means UTC.
	Location *time.Location
}

// Write writes entries as an RFC 5545 calendar: a VTIMEZONE for the
// event's zone and one VEVENT per entry, written as render.SessionEvent
// writes a session (times, LOCATION, SUMMARY, DESCRIPTION, TRANSP for a
// drop-in), with the entry's UID, SEQUENCE, STATUS and LAST-MODIFIED, and
// DTSTAMP equal to LAST-MODIFIED, as RFC 5545 has it for a calendar with
// no METHOD. The same entries always give the same bytes. An entry whose
// status is not Confirmed, Tentative or Cancelled is an error.
func Write(w io.Writer, entries []Entry, o Options) error {
	loc := o.Location
	if loc == nil {
		loc = time.UTC
	}
	from, to := time.Unix(0, 0), time.Unix(0, 0)
	for i, e := range entries {
		if i == 0 || e.Session.Start.Before(from) {
			from = e.Session.Start
		}
		if i == 0 || end(&e.Session).After(to) {
			to = end(&e.Session)
		}
	}
	cal := render.NewICS(ProdID, loc, from, to)
	if name := catalog.CleanLine(o.Name); name != "" {
		cal.SetXWRCalName(name)
	}
	if o.Refresh > 0 {
		d := duration(o.Refresh)
		cal.SetRefreshInterval(d) // the library's name carries ";VALUE=DURATION"
		cal.SetXPublishedTTL(d)
	}

	for _, e := range entries {
		switch e.Status {
		case Confirmed, Tentative, Cancelled:
		default:
			return fmt.Errorf("write calendar: event %s has status %q, not %s, %s or %s",
				catalog.CleanLine(e.UID), catalog.CleanLine(e.Status), Confirmed, Tentative, Cancelled)
		}
		modified := e.LastModified
		if modified.IsZero() {
			modified = time.Unix(0, 0)
		}
		ev := render.SessionEvent(catalog.CleanLine(e.UID), &e.Session, loc, modified)
		ev.SetSequence(max(e.Sequence, 0))
		ev.SetStatus(ics.ObjectStatus(e.Status))
		ev.SetLastModifiedAt(modified)
		cal.AddVEvent(ev)
	}
	if err := render.WriteICS(w, cal); err != nil {
		return fmt.Errorf("write calendar: %w", err)
	}
	return nil
}

// duration writes d, rounded up to whole seconds, as an RFC 5545
// DURATION: PT15M, PT1H30M, PT1H0M30S, P1D.
func duration(d time.Duration) string {
	sec := int64((d + time.Second - 1) / time.Second)
	days, sec := sec/86400, sec%86400
	h, m, s := sec/3600, sec/60%60, sec%60
	out := "P"
	if days > 0 {
		out += strconv.FormatInt(days, 10) + "D"
	}
	if sec == 0 {
		return out
	}
	out += "T"
	// dur-time: an hour may be followed by minutes, minutes by seconds,
	// but none may be skipped in between.
	if h > 0 {
		out += strconv.FormatInt(h, 10) + "H"
	}
	if m > 0 || h > 0 && s > 0 {
		out += strconv.FormatInt(m, 10) + "M"
	}
	if s > 0 {
		out += strconv.FormatInt(s, 10) + "S"
	}
	return out
}
