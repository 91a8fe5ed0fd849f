package show

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/reinvent-cli/reinvent/pkg/render"
	"github.com/reinvent-cli/reinvent/pkg/reserve"
)

// Formats are the formats reinvent show writes.
var Formats = []string{"text", "json"}

// Write writes the sessions of r to w in format, one of Formats: text
// for a terminal width columns wide (0 means render.DefaultWidth; times in
// loc), or JSON, an array of Session objects.
func (r *Report) Write(w io.Writer, format string, loc *time.Location, width int) error {
	if format == "json" {
		sessions := r.Sessions
		if sessions == nil {
			sessions = []Session{}
		}
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(sessions)
	}
	if width <= 0 {
		width = render.DefaultWidth
	}
	width = max(width, 40)
	b := bufio.NewWriter(w)
	for i := range r.Sessions {
		if i > 0 {
			b.WriteString("\n")
		}
		writeText(b, &r.Sessions[i], loc, width)
	}
	return b.Flush()
}

// indent is where an instance's notes start, under its time.
const indent = "             "

// writeText writes one session as a block of lines at most width wide.
func writeText(b *bufio.Writer, s *Session, loc *time.Location, width int) {
	line := func(prefix, text string) {
		for i, l := range render.Wrap(text, width-len(prefix)) {
			if i > 0 {
				prefix = strings.Repeat(" ", len(prefix))
			}
			b.WriteString(strings.TrimRight(prefix+l, " ") + "\n")
		}
	}
	line("", s.Code+"  "+s.Title)
	var kind []string
	if s.Type != "" {
		kind = append(kind, s.Type)
	}
	if s.Level > 0 {
		kind = append(kind, fmt.Sprintf("level %d", s.Level))
	}
	if len(kind) > 0 {
		line("", strings.Join(kind, ", "))
	}
	for _, f := range []struct {
		name string
		list []string
	}{{"Tracks:   ", s.Tracks}, {"Topics:   ", s.Topics}, {"Services: ", s.Services}, {"Speakers: ", s.Speakers}} {
		if len(f.list) > 0 {
			line(f.name, strings.Join(f.list, ", "))
		}
	}
	zone := "times in " + render.ZoneName(loc, time.Now())
	for _, in := range s.Instances {
		if in.Start != nil {
			zone = "times in " + render.ZoneName(loc, *in.Start)
			break
		}
	}
	b.WriteString("\n")
	line("", fmt.Sprintf("%s (%s):", reserve.Count(len(s.Instances), "instance"), zone))
	for _, in := range s.Instances {
		line(fmt.Sprintf("  %-10s ", in.Code), when(in.Start, in.End, in.AllDay, loc, true)+"  "+place(in.Venue, in.Room))
		var notes []string
		if in.SeatAvailability != "" {
			notes = append(notes, "seats: "+render.SeatWords(in.SeatAvailability))
		}
		if in.Held {
			notes = append(notes, "your seat is held")
		}
		if in.InPlan {
			notes = append(notes, "in your plan")
		}
		if len(notes) > 0 {
			line(indent, strings.Join(notes, "; "))
		}
		for i, c := range in.Clashes {
			prefix := indent + "clashes with "
			if i > 0 {
				prefix = indent + "             "
			}
			name := c.Title
			if c.Code != "" {
				name = c.Code
			}
			text := name + " " + when(c.Start, c.End, false, loc, false)
			if c.Venue != "" {
				text += " " + c.Venue
			}
			if c.WalkMinutes > 0 && apart(in, c) {
				text += fmt.Sprintf(" (%d min walk)", c.WalkMinutes)
			}
			line(prefix, text)
		}
	}
	if len(s.Others) > 0 {
		line("Other instances: ", strings.Join(s.Others, ", ")+" (reinvent show "+s.BaseCode+" shows every one)")
	}
	if s.Abstract != "" {
		b.WriteString("\n")
		for _, para := range strings.Split(s.Abstract, "\n") {
			if strings.TrimSpace(para) == "" {
				continue
			}
			line("  ", para)
		}
	}
}

// when is an instance's time: "Tue Dec 1  09:00–10:00" with its day, or
// "09:00–10:00" without; "no time yet" when it has none.
func when(start, end *time.Time, allDay bool, loc *time.Location, day bool) string {
	if start == nil {
		return "no time yet"
	}
	st := start.In(loc)
	out := ""
	if day {
		out = st.Format("Mon Jan 2") + "  "
	}
	if allDay {
		return out + "all day"
	}
	out += st.Format("15:04")
	if end != nil && !end.Before(*start) {
		out += "–" + end.In(loc).Format("15:04")
	}
	return out
}

// place is "Venue, Room", or whichever is known.
func place(venue, room string) string {
	switch {
	case venue == "":
		return room
	case room == "":
		return venue
	}
	return venue + ", " + room
}

// apart reports whether an instance and a clash do not overlap in time:
// then the walk between them is why they clash.
func apart(in Instance, c Clash) bool {
	if in.AllDay || in.Start == nil || c.Start == nil {
		return false
	}
	inEnd, cEnd := *in.Start, *c.Start
	if in.End != nil {
		inEnd = *in.End
	}
	if c.End != nil {
		cEnd = *c.End
	}
	return !inEnd.After(*c.Start) || !cEnd.After(*in.Start)
}
