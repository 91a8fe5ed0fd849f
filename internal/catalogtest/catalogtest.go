// Package catalogtest builds the catalog sessions of tests, in one way for
// every package. It is imported only by tests.
package catalogtest

import (
	"time"

	"github.com/reinvent-cli/reinvent/internal/testenv"
	"github.com/reinvent-cli/reinvent/pkg/catalog"
)

// Monday is midnight at the start of Monday, November 30, 2026, the first
// day of re:Invent week, in the event's zone.
var Monday = time.Date(2026, time.November, 30, 0, 0, 0, 0, testenv.Vegas)

// At is hour o'clock on the day after Monday that day counts to (0 is Monday
// itself), in the event's zone.
func At(day, hour int) time.Time {
	return time.Date(Monday.Year(), Monday.Month(), Monday.Day()+day, hour, 0, 0, 0, testenv.Vegas)
}

// Session returns s as a source hands a session over: normalised in the
// event's zone by catalog.Session.Normalize (its code canonical, BaseCode
// set, its text cleaned, no nil lists). A session without a Start starts at
// 10:00 on Monday; one without an End lasts an hour.
func Session(s catalog.Session) catalog.Session {
	if s.Start.IsZero() {
		s.Start = At(0, 10)
	}
	if s.End.IsZero() {
		s.End = s.Start.Add(time.Hour)
	}
	s.Normalize(testenv.Vegas)
	return s
}
