package render

import "time"

// The words of the schedule's table, for other views of sessions (show):
// one way to wrap, to say a seat band and the zone times are in.

// Wrap breaks s into lines of at most w terminal columns at spaces, as the
// table does; a word longer than a line is cut.
func Wrap(s string, w int) []string { return wrap(s, w) }

// SeatWords says a seat band as a person reads it ("very limited",
// "full"); a band this version does not know is shown as sent.
func SeatWords(band string) string { return seatWords(band) }

// ZoneName names the zone times are shown in, for a heading: "Las Vegas
// time, PST" for the event's zone on the day of at.
func ZoneName(loc *time.Location, at time.Time) string { return zoneName(loc, at) }
