package schedule

import "github.com/reinvent-cli/reinvent/pkg/catalog"

// Clash reports whether a and b cannot both be in a schedule made with o,
// by the rule Plan chooses by (docs/schedule.md), as Fits applies it: the
// same session clashes with itself; sessions on different days (in
// o.Location) never clash; an all-day session clashes with every session of
// its day unless either is a drop-in (DropIn); two others clash when the
// later starts less than the travel between their venues (o.Travel, else
// o.UnknownTravel) plus o.Buffer after the earlier ends. A session with no
// time clashes with nothing.
func (o Options) Clash(a, b *catalog.Session) bool {
	if !a.Scheduled() || !b.Scheduled() {
		return false
	}
	if a.Code == b.Code && a.SessionID == b.SessionID {
		return true
	}
	if DropIn(a) || DropIn(b) {
		return false
	}
	gap, _ := o.gap(a.Venue, b.Venue)
	sa, sb := slotOf(a, o.dayNumber(a)), slotOf(b, o.dayNumber(b))
	return !apart(&sa, &sb, gap)
}
