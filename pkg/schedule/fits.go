package schedule

import "github.com/reinvent-cli/reinvent/pkg/catalog"

// Fits reports whether s can join the sessions of around in one schedule
// made with o: by the rule Plan chooses by (docs/schedule.md), s is
// compatible with each of them, the walk between venues and o.Buffer
// included. A session with no time, an embargoed one, or one of around
// never fits; a drop-in all-day session (DropIn) fits any schedule, and a
// drop-in of around blocks nothing, as in a plan.
func (o Options) Fits(s *catalog.Session, around []catalog.Session) bool {
	if !s.Scheduled() || s.Embargoed {
		return false
	}
	drop := DropIn(s)
	at := slotOf(s, o.dayNumber(s))
	for i := range around {
		a := &around[i]
		if a.Code == s.Code && a.SessionID == s.SessionID {
			return false
		}
		if drop || DropIn(a) || !a.Scheduled() {
			continue
		}
		gap, _ := o.gap(a.Venue, s.Venue)
		if t := slotOf(a, o.dayNumber(a)); !apart(&t, &at, gap) {
			return false
		}
	}
	return true
}

// dayNumber is the day of s (Options.day) as one number, yyyymmdd.
func (o *Options) dayNumber(s *catalog.Session) int {
	d := o.day(s.Start)
	return d[0]*10000 + d[1]*100 + d[2]
}
