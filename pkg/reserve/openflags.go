package reserve

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/reinvent-cli/reinvent/pkg/catalog"
)

// OpeningFlags are reserve's flags for the opening: --at-open, --open-at
// and --give-up-after.
type OpeningFlags struct {
	AtOpen      bool
	OpenAt      string
	GiveUpAfter time.Duration
}

// Opening checks the flags and returns the Opening they ask for, or nil
// without --at-open. --open-at is an RFC 3339 time, or HH:MM today (by now)
// in loc, the event's zone. The error says what is wrong and what to do.
func (f OpeningFlags) Opening(now time.Time, loc *time.Location) (*Opening, error) {
	switch {
	case !f.AtOpen && (f.OpenAt != "" || f.GiveUpAfter != 0):
		return nil, fmt.Errorf("--open-at and --give-up-after go with --at-open: add --at-open to wait for reservations to open")
	case f.GiveUpAfter < 0:
		return nil, fmt.Errorf("--give-up-after %s is negative: give a duration such as 30m, or leave it out to wait for ever", f.GiveUpAfter)
	case !f.AtOpen:
		return nil, nil
	}
	o := &Opening{GiveUpAfter: f.GiveUpAfter}
	if f.OpenAt == "" {
		return o, nil
	}
	if t, err := time.Parse(time.RFC3339, f.OpenAt); err == nil {
		o.At = t
		return o, nil
	}
	var h, m int
	if n, err := fmt.Sscanf(f.OpenAt, "%d:%d", &h, &m); err != nil || n != 2 || len(f.OpenAt) != 5 || h > 23 || m > 59 || h < 0 || m < 0 {
		return nil, fmt.Errorf("--open-at %q is not a time: give an RFC 3339 time such as 2026-10-08T10:00:00-07:00, or HH:MM today in %s such as 10:00", f.OpenAt, loc)
	}
	day := now.In(loc)
	o.At = time.Date(day.Year(), day.Month(), day.Day(), h, m, 0, 0, loc)
	return o, nil
}

// ProgressTo draws the wait for the opening on a terminal w, one line
// rewritten in place: the countdown, the probes, and what the accepted
// probe holds.
func ProgressTo(w io.Writer) func(OpeningProgress) {
	return func(p OpeningProgress) {
		switch {
		case p.Open:
			fmt.Fprintf(w, "\r\x1b[Kreservations are open: probe %d holds %s\n", p.Probes, catalog.CleanLine(strings.Join(p.Held, " ")))
		case p.Left != 0:
			fmt.Fprintf(w, "\r\x1b[Kopens in %s (service's clock); next probe in %s; %d %s refused (409)", p.Left.Round(time.Second), p.Next.Round(100*time.Millisecond), p.Probes, plural(p.Probes, "probe"))
		default:
			fmt.Fprintf(w, "\r\x1b[Kreservations closed; next probe in %s; %d %s refused (409)", p.Next.Round(time.Second), p.Probes, plural(p.Probes, "probe"))
		}
	}
}
