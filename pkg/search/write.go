package search

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/reinvent-cli/reinvent/pkg/render"
)

// Formats are the output formats of Write.
var Formats = []string{"table", "json", "csv"}

// csvTime is how the CSV holds a time: wall time in the event's zone, to
// the minute, as download and schedule do.
const csvTime = "2006-01-02 15:04"

// Write writes res in format (one of Formats) to w, times in the zone
// they hold (Find's Deps.Location), and to
// notes what does not belong in the data: which page of how many results
// it is, and that nothing matched. The table has one block per session,
// its instances under it; the CSV one row per instance; the JSON is the
// Results object.
func Write(w, notes io.Writer, format string, res *Results) error {
	var err error
	switch format {
	case "json":
		enc := json.NewEncoder(w)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		err = enc.Encode(res)
	case "csv":
		err = writeCSV(w, res)
	case "table":
		err = writeTable(w, res)
	default:
		return fmt.Errorf("unknown format %q: use %s", format, strings.Join(Formats, ", "))
	}
	if err != nil {
		return fmt.Errorf("write search results: %w", err)
	}
	switch {
	case res.Total == 0:
		_, err = fmt.Fprintln(notes, "no session matches; try fewer words or filters")
	case len(res.Results) < res.Total:
		_, err = fmt.Fprintf(notes, "%d of %d sessions shown; --limit 0 shows all\n", len(res.Results), res.Total)
	}
	return err
}

func writeTable(w io.Writer, res *Results) error {
	var b strings.Builder
	for i, r := range res.Results {
		if i > 0 {
			b.WriteByte('\n')
		}
		fmt.Fprintf(&b, "%s  %s\n", r.Code, r.Title)
		var about []string
		if r.Type != "" {
			about = append(about, r.Type)
		}
		if r.Level > 0 {
			about = append(about, "level "+strconv.Itoa(r.Level))
		}
		if len(r.Tracks) > 0 {
			about = append(about, strings.Join(r.Tracks, ", "))
		}
		if res.Query != "" {
			about = append(about, fmt.Sprintf("score %.1f", r.Score))
		}
		if len(about) > 0 {
			fmt.Fprintf(&b, "  %s\n", strings.Join(about, " · "))
		}
		width := 0
		for _, in := range r.Instances {
			width = max(width, len(in.Code))
		}
		for _, in := range r.Instances {
			when := "no time announced"
			if in.Start != nil {
				start := *in.Start
				when = start.Format("Mon Jan 2 15:04")
				if in.End != nil {
					when += "–" + in.End.Format("15:04")
				}
			}
			line := fmt.Sprintf("  %-*s  %s", width, in.Code, when)
			if place := strings.Trim(in.Venue+" | "+in.Room, " |"); place != "" {
				line += "  " + place
			}
			if in.SeatAvailability != "" {
				line += "  seats: " + in.SeatAvailability
			}
			b.WriteString(line + "\n")
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func writeCSV(w io.Writer, res *Results) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"code", "score", "title", "session", "day", "start", "end", "venue", "room", "seat_availability"})
	for _, r := range res.Results {
		for _, in := range r.Instances {
			var day, start, end string
			if in.Start != nil {
				s := *in.Start
				day, start = s.Format("Monday"), s.Format(csvTime)
			}
			if in.End != nil {
				end = in.End.Format(csvTime)
			}
			cw.Write([]string{r.Code, strconv.FormatFloat(r.Score, 'f', 3, 64), r.Title, in.Code, day, start, end, in.Venue, in.Room, in.SeatAvailability})
		}
	}
	cw.Flush()
	return cw.Error()
}

// WriteNotes writes to w, one line each, what the plan of Query.Fits says
// beside its sessions (reserve.Planned.WriteNotes), the codes it could not
// schedule or find (render.WriteMissing), and which sessions the results
// fit around. It writes nothing without Query.Fits.
func (r *Results) WriteNotes(w io.Writer) error {
	p := r.Planned
	if p == nil {
		return nil
	}
	if err := p.WriteNotes(w); err != nil {
		return err
	}
	if err := render.WriteMissing(w, p.Result, render.ScheduleOptions{Suggestions: p.Suggestions}); err != nil {
		return err
	}
	around := "nothing: no code could be scheduled"
	if len(r.Fits) > 0 {
		around = strings.Join(r.Fits, ", ")
	}
	_, err := fmt.Fprintf(w, "sessions that fit around %s\n", around)
	return err
}
