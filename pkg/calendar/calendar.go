// Package calendar keeps the live calendar of a followed plan: its events
// from run to run (Update), the RFC 5545 file (Write) and the HTTP server
// that calendar clients subscribe to (Server) (docs/calendar.md).
package calendar

import (
	"slices"
	"strings"
	"time"

	"github.com/reinvent-cli/reinvent/pkg/catalog"
	"github.com/reinvent-cli/reinvent/pkg/render"
	"github.com/reinvent-cli/reinvent/pkg/schedule"
)

// The STATUS of an event.
const (
	Confirmed = "CONFIRMED" // a held seat
	Tentative = "TENTATIVE" // planned, not held
	Cancelled = "CANCELLED" // left the plan, or the session was cancelled
)

// Entry is one event of the live calendar, as the store keeps it between
// runs (in JSON: a round trip changes neither Update nor Write).
type Entry struct {
	UID          string          `json:"uid"`
	Session      catalog.Session `json:"session"` // the instance as last written
	Status       string          `json:"status"`  // Confirmed, Tentative or Cancelled
	Sequence     int             `json:"sequence"`
	LastModified time.Time       `json:"last_modified"`
}

// Planned is one session of the current plan.
type Planned struct {
	Session catalog.Session
	Held    bool // a seat is reserved
}

// Update returns the calendar after a run, from the calendar of the run
// before (prev) and the plan now. Each planned session keeps its UID
// (render.UID, or the UID its full code had when the catalog re-keyed the
// session). SEQUENCE goes up, and LastModified becomes now, whenever the
// start, end, venue, room, title or status of an event changes; any other
// change to what is written (the abstract, say) moves only LastModified. An
// entry that left the plan, or whose session the catalog calls cancelled,
// becomes Cancelled with a higher SEQUENCE, so that subscribed calendars
// remove it, and stays until its end has passed (now after its end); then
// it is dropped. A session that comes back into the plan is Confirmed or
// Tentative again, with a higher SEQUENCE. A planned session with no time
// is no event. The entries are sorted by start, then UID.
func Update(prev []Entry, plan []Planned, now time.Time) []Entry {
	// The plan by UID, in order; the same session twice is one event.
	var order []string
	planned := map[string]*Planned{}
	for _, p := range plan {
		if p.Session.Start.IsZero() {
			continue
		}
		id := render.UID(&p.Session)
		if q, ok := planned[id]; ok {
			q.Held = q.Held || p.Held
			continue
		}
		planned[id] = &p
		order = append(order, id)
	}

	// Which earlier entry each planned session continues: the one of its
	// UID, else the one of its full code whose UID left the plan.
	byUID := map[string]int{}
	byCode := map[string]int{}
	for i, e := range prev {
		byUID[e.UID] = i
		if _, inPlan := planned[e.UID]; !inPlan && e.Session.Code != "" {
			byCode[e.Session.Code] = i
		}
	}
	continued := make([]bool, len(prev))

	out := make([]Entry, 0, len(order)+len(prev))
	for _, id := range order {
		p := planned[id]
		e := Entry{UID: id, Session: p.Session, Status: Tentative, LastModified: now}
		if p.Held {
			e.Status = Confirmed
		}
		if cancelled(&p.Session) {
			e.Status = Cancelled
		}
		i, ok := byUID[id]
		if !ok {
			i, ok = byCode[p.Session.Code]
			ok = ok && !continued[i]
		}
		if ok {
			old := prev[i]
			continued[i] = true
			e.UID, e.Sequence, e.LastModified = old.UID, old.Sequence, old.LastModified
			switch {
			case revised(&old, &e):
				e.Sequence++
				e.LastModified = now
			case !sameText(&old.Session, &e.Session):
				e.LastModified = now
			}
		}
		out = append(out, e)
	}

	for i, old := range prev {
		if continued[i] || now.After(end(&old.Session)) {
			continue
		}
		if old.Status != Cancelled {
			old.Status = Cancelled
			old.Sequence++
			old.LastModified = now
		}
		out = append(out, old)
	}

	slices.SortStableFunc(out, func(a, b Entry) int {
		if c := a.Session.Start.Compare(b.Session.Start); c != 0 {
			return c
		}
		return strings.Compare(a.UID, b.UID)
	})
	return out
}

// revised reports whether e differs from old in what RFC 5546 counts as a
// revision a calendar must show: time, place, title or status.
func revised(old, e *Entry) bool {
	a, b := &old.Session, &e.Session
	return old.Status != e.Status || !a.Start.Equal(b.Start) || !end(a).Equal(end(b)) ||
		a.Venue != b.Venue || a.Room != b.Room || a.Title != b.Title
}

// sameText reports whether the rest of what an event is written from
// (the code, the abstract, whether it is a drop-in) is unchanged.
func sameText(a, b *catalog.Session) bool {
	return a.Code == b.Code && a.Abstract == b.Abstract && schedule.DropIn(a) == schedule.DropIn(b)
}

// cancelled reports whether the catalog's status of s says it is
// cancelled (either spelling, any case).
func cancelled(s *catalog.Session) bool {
	st := strings.TrimSpace(s.Status)
	return strings.EqualFold(st, "cancelled") || strings.EqualFold(st, "canceled")
}

// end is when s ends, or its start when the catalog gave no sensible end,
// as the written DTEND is.
func end(s *catalog.Session) time.Time {
	if s.End.Before(s.Start) {
		return s.Start
	}
	return s.End
}
