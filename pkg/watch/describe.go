package watch

import (
	"fmt"
	"strings"
	"time"

	"github.com/reinvent-cli/reinvent/pkg/catalog"
)

// Describe is the one-line text form of the change that watch prints:
// the title, time and venue of a new, removed or reappeared session, or
// each changed field old → new ("abstract changed" for the abstract).
func (c *Change) Describe(loc *time.Location) string {
	if c.Kind != KindUpdated {
		return fmt.Sprintf("%s (%s)", c.Session.Title, whenWhere(&c.Session, loc))
	}
	parts := make([]string, 0, len(c.Fields))
	for _, f := range c.Fields {
		switch f {
		case "abstract":
			parts = append(parts, "abstract changed")
		case "start":
			parts = append(parts, fmt.Sprintf("start %s → %s", wall(c.Previous.Start, loc), wall(c.Session.Start, loc)))
		case "end":
			parts = append(parts, fmt.Sprintf("end %s → %s", wall(c.Previous.End, loc), wall(c.Session.End, loc)))
		default:
			parts = append(parts, fmt.Sprintf("%s %s → %s", f, quote(c.Old[f]), quote(c.New[f])))
		}
	}
	return strings.Join(parts, "; ")
}

func whenWhere(s *catalog.Session, loc *time.Location) string {
	if !s.Scheduled() {
		return "time to be announced"
	}
	out := wall(s.Start, loc)
	if s.Venue != "" {
		out += ", " + s.Venue
	}
	return out
}

// wall is t as wall time in loc, or "none".
func wall(t time.Time, loc *time.Location) string {
	if t.IsZero() {
		return "none"
	}
	return t.In(loc).Format("Mon 2 Jan 15:04")
}

// quote is a field value as printed: strings and lists quoted.
func quote(v any) string {
	switch v := v.(type) {
	case string:
		return fmt.Sprintf("%q", v)
	case []string:
		return fmt.Sprintf("%q", strings.Join(v, "; "))
	default:
		return fmt.Sprint(v)
	}
}
