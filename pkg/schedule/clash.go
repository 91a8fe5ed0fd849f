package schedule

import (
	"time"

	"github.com/reinvent-cli/reinvent/pkg/catalog"
)

// Clash reports whether a and b cannot both be in a schedule made with o,
// by the rule Plan chooses by (docs/schedule.md): the same session clashes
// with itself; sessions on different days (in o.Location) never clash; an
// all-day session clashes with every session of its day; two others clash
// when the later starts less than the travel between their venues (o.Travel,
// else o.UnknownTravel) plus o.Buffer after the earlier ends. A session
// with no time clashes with nothing.
func (o Options) Clash(a, b *catalog.Session) bool {
	if !a.Scheduled() || !b.Scheduled() {
		return false
	}
	if a.Code == b.Code && a.SessionID == b.SessionID {
		return true
	}
	if o.day(a.Start) != o.day(b.Start) {
		return false
	}
	if a.AllDay || b.AllDay {
		return true
	}
	minutes, known := o.travelBetween(a.Venue, b.Venue)
	gap := o.UnknownTravel
	if known {
		gap = time.Duration(minutes) * time.Minute
	}
	g := min(int64(gap)+min(int64(o.Buffer), maxGap), maxGap)
	return b.Start.UnixNano()-endOf(a) < g && a.Start.UnixNano()-endOf(b) < g
}

// endOf is when s ends for the solver: its end, or its start when it has
// none or ends before it starts.
func endOf(s *catalog.Session) int64 {
	if s.End.IsZero() {
		return s.Start.UnixNano()
	}
	return max(s.End.UnixNano(), s.Start.UnixNano())
}
