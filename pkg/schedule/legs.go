package schedule

import (
	"time"

	"github.com/reinvent-cli/reinvent/pkg/catalog"
)

// SameVenue reports whether the venue names a and b name one venue, as the
// travel table compares names: space trimmed and made one, a leading "The "
// dropped, case folded. An empty name is never the same venue as another.
func SameVenue(a, b string) bool {
	k := catalog.VenueKey(a)
	return k != "" && k == catalog.VenueKey(b)
}

// travelBetween returns the travel minutes between venues a and b, and
// whether o.Travel knows the pair: its minutes if it does, else (also for
// an empty venue) o.UnknownTravel to the minute. It is the one lookup of
// the table, for the solver's gaps and minutes and for the legs.
func (o *Options) travelBetween(a, b string) (minutes int, known bool) {
	if a != "" && b != "" {
		if m, ok := o.Travel.Minutes(a, b); ok {
			return max(m, 0), true
		}
	}
	return int(o.UnknownTravel.Round(time.Minute) / time.Minute), false
}

// day is the calendar day (year, month, day) of t in o.Location, or in t's
// own zone when that is nil: the day of a session that starts at t.
func (o *Options) day(t time.Time) [3]int {
	if o.Location != nil {
		t = t.In(o.Location)
	}
	y, m, d := t.Date()
	return [3]int{y, int(m), d}
}

// SetLegs sets the Leg of every choice of cs, sorted by start as
// Result.Scheduled is, as Plan does: a session that is not all day gets the
// leg from the last session before it that is not all day either, when that
// is on the same day (in o.Location, see Plan); any other gets nil. The
// minutes are o.Travel's, or o.UnknownTravel for a pair it does not know.
func SetLegs(cs []Choice, o Options) {
	prev := -1
	for i := range cs {
		c := &cs[i]
		c.Leg = nil
		if c.Session.AllDay {
			continue
		}
		if prev >= 0 && o.day(cs[prev].Session.Start) == o.day(c.Session.Start) {
			c.Leg = o.leg(&cs[prev].Session, &c.Session)
		}
		prev = i
	}
}

// leg is the way from session a to session b, later on the same day.
func (o *Options) leg(a, b *catalog.Session) *Leg {
	minutes, known := o.travelBetween(a.Venue, b.Venue)
	end := a.End
	if end.Before(a.Start) {
		end = a.Start
	}
	return &Leg{
		From: a.Code, To: b.Code,
		Minutes: minutes, Known: known,
		SameVenue: SameVenue(a.Venue, b.Venue),
		Free:      b.Start.Sub(end),
	}
}
