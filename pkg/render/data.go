package render

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/reinvent-cli/reinvent/pkg/schedule"
)

// ScheduleDoc is the shape of schedule --format json (docs/schedule.md),
// for a caller that hands the same object on inside another, as the MCP
// server's plan_schedule does (docs/mcp.md).
type ScheduleDoc struct {
	Requested   []string         `json:"requested"`
	Scheduled   []ScheduledDoc   `json:"scheduled"`
	Unscheduled []UnscheduledDoc `json:"unscheduled"`
	NotFound    []string         `json:"not_found"`
	Optimal     bool             `json:"optimal"`
}

// ScheduledDoc is one chosen session of a ScheduleDoc.
type ScheduledDoc struct {
	Code       string   `json:"code"`
	Session    string   `json:"session"`
	Title      string   `json:"title"`
	Start      string   `json:"start"`
	End        string   `json:"end"`
	Venue      string   `json:"venue"`
	Room       string   `json:"room"`
	Alternates []string `json:"alternates"`
	// SeatAvailability is the chosen session's band, "" when the source
	// gives none; AlternateSeats the band of each alternate that has one.
	SeatAvailability string            `json:"seat_availability"`
	AlternateSeats   map[string]string `json:"alternate_seat_availability"`
	// Held reports a seat you hold, fixed in the plan (docs/schedule.md,
	// "Held seats").
	Held bool `json:"held"`
}

// UnscheduledDoc is one requested code of a ScheduleDoc that is not in
// the schedule, and what blocks it.
type UnscheduledDoc struct {
	Code      string   `json:"code"`
	Reason    string   `json:"reason"`
	BlockedBy []string `json:"blocked_by"`
}

// ScheduleJSON writes r as the JSON document of docs/schedule.md (NewScheduleDoc).
func ScheduleJSON(w io.Writer, r *schedule.Result, o ScheduleOptions) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(NewScheduleDoc(r, o)); err != nil {
		return fmt.Errorf("write schedule JSON: %w", err)
	}
	return nil
}

// NewScheduleDoc is r as the JSON document of docs/schedule.md: times in
// RFC 3339 with the offset of the event's zone, every list present even
// when empty.
func NewScheduleDoc(r *schedule.Result, o ScheduleOptions) ScheduleDoc {
	loc := o.location()
	doc := ScheduleDoc{
		Requested:   nonNil(r.Requested),
		Scheduled:   make([]ScheduledDoc, 0, len(r.Scheduled)),
		Unscheduled: make([]UnscheduledDoc, 0, len(r.Unscheduled)),
		NotFound:    nonNil(r.NotFound),
		Optimal:     r.Optimal,
	}
	for _, c := range r.Scheduled {
		s := &c.Session
		doc.Scheduled = append(doc.Scheduled, ScheduledDoc{
			Code: c.Code, Session: s.Code, Title: s.Title,
			Start: s.Start.In(loc).Format(time.RFC3339), End: sessionEnd(s).In(loc).Format(time.RFC3339),
			Venue: s.Venue, Room: s.Room, Alternates: nonNil(c.Alternates),
			SeatAvailability: s.SeatAvailability, AlternateSeats: alternateSeats(c.Alternates, o.Seats),
			Held: s.Reserved,
		})
	}
	for _, u := range r.Unscheduled {
		doc.Unscheduled = append(doc.Unscheduled, UnscheduledDoc{
			Code: u.Code, Reason: u.Reason, BlockedBy: nonNil(u.BlockedBy),
		})
	}
	return doc
}

func alternateSeats(alts []string, seats map[string]string) map[string]string {
	m := map[string]string{}
	for _, a := range alts {
		if b := seats[a]; b != "" {
			m[a] = b
		}
	}
	return m
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// csvTime is how the CSV holds a time: wall time in the event's zone, to
// the minute, as download --format csv does.
const csvTime = "2006-01-02 15:04"

// ScheduleCSV writes one row per scheduled session, in order of start:
// the requested code, the chosen session, its title, weekday, start and
// end as wall times, venue, room, the alternates joined with "; ", and the
// chosen session's seat availability band.
func ScheduleCSV(w io.Writer, r *schedule.Result, o ScheduleOptions) error {
	loc := o.location()
	cw := csv.NewWriter(w)
	cw.Write([]string{"code", "session", "title", "day", "start", "end", "venue", "room", "alternates", "seat_availability"})
	for _, c := range r.Scheduled {
		s := &c.Session
		start := s.Start.In(loc)
		cw.Write([]string{
			c.Code, s.Code, s.Title, start.Format("Monday"), start.Format(csvTime),
			sessionEnd(s).In(loc).Format(csvTime), s.Venue, s.Room, strings.Join(c.Alternates, "; "),
			s.SeatAvailability,
		})
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("write schedule CSV: %w", err)
	}
	return nil
}
