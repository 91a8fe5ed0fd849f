// Package render writes schedules as a table, JSON, CSV or an iCalendar file.
package render

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/reinvent-cli/reinvent/pkg/catalog"
	"github.com/reinvent-cli/reinvent/pkg/schedule"
)

// ScheduleOptions say how a schedule is shown. The zero value is usable:
// times in UTC, no suggestions. The table's travel notes are the legs of
// the schedule (schedule.Choice.Leg), as the solver counted them.
type ScheduleOptions struct {
	// Location is the event's zone: wall times and day names are shown in
	// it. Nil means UTC.
	Location *time.Location
	// Suggestions maps a code that was not found to close matches, for the
	// table.
	Suggestions map[string][]string
	// Stamp is the iCalendar DTSTAMP, normally when the catalog was
	// fetched, so that the same schedule renders to the same bytes. Zero
	// means the Unix epoch.
	Stamp time.Time
	// Seats maps a session's full code to its seat availability band
	// (catalog.Session.SeatAvailability), for the alternates, whose
	// sessions the result does not hold. Chosen sessions carry their own.
	Seats map[string]string
	// Width is the table's width in columns; 0 means DefaultWidth.
	Width int
}

// SeatsOf maps the full code of each alternate of res that has a seat
// band to it, which is all that Seats needs: the chosen sessions carry
// their own.
func SeatsOf(res *schedule.Result, sessions []catalog.Session) map[string]string {
	want := map[string]bool{}
	for _, c := range res.Scheduled {
		for _, a := range c.Alternates {
			want[a] = true
		}
	}
	m := map[string]string{}
	if len(want) == 0 {
		return m
	}
	for i := range sessions {
		if b := sessions[i].SeatAvailability; b != "" && want[sessions[i].Code] {
			m[sessions[i].Code] = b
		}
	}
	return m
}

// seatWords says a band as a person reads it; a band this version does not
// know is shown as sent.
func seatWords(band string) string {
	switch band {
	case catalog.SeatAvailable:
		return "available"
	case catalog.SeatLimited:
		return "limited"
	case catalog.SeatVeryLimited:
		return "very limited"
	case catalog.SeatUnavailable:
		return "full"
	case catalog.SeatWalkUp:
		return "walk-up"
	}
	return band
}

func (o ScheduleOptions) location() *time.Location {
	if o.Location == nil {
		return time.UTC
	}
	return o.Location
}

// sessionEnd is when s ends, or its start when the catalog gave no
// sensible end.
func sessionEnd(s *catalog.Session) time.Time {
	if s.End.Before(s.Start) {
		return s.Start
	}
	return s.End
}

// place is where a session is held: "Venue, Room", or whichever is known.
func place(s *catalog.Session) string {
	venue, room := strings.TrimSpace(s.Venue), strings.TrimSpace(s.Room)
	switch {
	case venue == "":
		return room
	case room == "":
		return venue
	}
	return venue + ", " + room
}

// oneLine turns text that may hold line breaks, tabs or other control
// characters into a single line for the table, cleaned as a catalog's text
// is (catalog.CleanLine), even when the session was built by hand.
func oneLine(s string) string {
	return strings.Join(strings.Fields(catalog.CleanLine(s)), " ")
}

// Formats are the formats WriteSchedule writes.
var Formats = []string{"table", "json", "csv", "ics"}

// WriteSchedule writes res to w in format, one of Formats. CSV and
// iCalendar have no room for what did not fit or was not found, so
// WriteMissing says it on notes.
func WriteSchedule(w, notes io.Writer, format string, res *schedule.Result, o ScheduleOptions) error {
	write := map[string]func(io.Writer, *schedule.Result, ScheduleOptions) error{
		"table": ScheduleTable, "json": ScheduleJSON, "csv": ScheduleCSV, "ics": ScheduleICS,
	}[format]
	if write == nil {
		return fmt.Errorf("unknown format %q: use %s", format, strings.Join(Formats, ", "))
	}
	if err := write(w, res, o); err != nil {
		return err
	}
	if format == "csv" || format == "ics" {
		return WriteMissing(notes, res, o)
	}
	return nil
}
