package search

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

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
// it is, and that nothing matched. The table, for a terminal width columns
// wide (0 means render.DefaultWidth), says the zone of its times, then has
// one block per session, its instances under it; the CSV one row per
// instance; the JSON is the Results object.
func Write(w, notes io.Writer, format string, res *Results, width int) error {
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
		err = writeTable(w, res, width)
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

func writeTable(w io.Writer, res *Results, width int) error {
	if width <= 0 {
		width = render.DefaultWidth
	}
	width = max(width, 40)
	var b strings.Builder
	// line writes parts after prefix, two spaces apart, in lines that
	// fit the width (inLines), the lines after the first indented as far
	// as prefix.
	line := func(prefix string, parts ...string) {
		for i, l := range inLines(parts, width-len(prefix)) {
			if i > 0 {
				prefix = strings.Repeat(" ", len(prefix))
			}
			b.WriteString(strings.TrimRight(prefix+l, " ") + "\n")
		}
	}
	if zone := timesIn(res); zone != "" {
		line("", zone)
		b.WriteByte('\n')
	}
	for i, r := range res.Results {
		if i > 0 {
			b.WriteByte('\n')
		}
		line(r.Code+"  ", r.Title)
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
			line("  ", strings.Join(about, " · "))
		}
		codeWidth := 0
		for _, in := range r.Instances {
			codeWidth = max(codeWidth, len(in.Code))
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
			parts := []string{when}
			if place := strings.Trim(in.Venue+" | "+in.Room, " |"); place != "" {
				parts = append(parts, place)
			}
			if in.SeatAvailability != "" {
				parts = append(parts, "seats: "+in.SeatAvailability)
			}
			line(fmt.Sprintf("  %-*s  ", codeWidth, in.Code), parts...)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// inLines joins parts, two spaces apart, into lines of at most w columns,
// breaking between parts, and inside a part (render.Wrap) only where it
// is longer than a line.
func inLines(parts []string, w int) []string {
	var lines []string
	cur := ""
	for _, p := range parts {
		for _, piece := range render.Wrap(p, w) {
			switch {
			case cur == "":
				cur = piece
			case utf8.RuneCountInString(cur)+2+utf8.RuneCountInString(piece) <= w:
				cur += "  " + piece
			default:
				lines = append(lines, cur)
				cur = piece
			}
		}
	}
	return append(lines, cur)
}

// timesIn is the table's note of the zone its times are in, "times in Las
// Vegas time, PST" (render.ZoneName, as schedule and show say it), from
// the first instance with a time; "" when none has one.
func timesIn(res *Results) string {
	for _, r := range res.Results {
		for _, in := range r.Instances {
			if in.Start != nil {
				return "times in " + render.ZoneName(in.Start.Location(), *in.Start)
			}
		}
	}
	return ""
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
