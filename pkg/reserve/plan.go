// Package reserve books the optimal schedule on the AWS Events API: it
// plans around the seats already held and the attendee's personal time,
// reserves what the plan needs, and replans when a seat is gone or a clash
// appears, journaling every write (docs/reserve.md).
package reserve

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/reinvent-cli/reinvent/pkg/catalog"
	"github.com/reinvent-cli/reinvent/pkg/catalog/eventsapi"
	"github.com/reinvent-cli/reinvent/pkg/schedule"
)

// personalCode names the n-th personal block in a plan: a code no catalog
// uses, so that the block can be planned as a fixed session.
func personalCode(n int) string { return fmt.Sprintf("ZZPERSONALTIME%d", n+1) }

// IsPersonal reports whether a planned code is one of the attendee's
// personal blocks rather than a session.
func IsPersonal(code string) bool { return strings.HasPrefix(code, "ZZPERSONALTIME") }

// PersonalName is how a personal block that blocks a code is named in
// output: "personal time (TITLE)".
func PersonalName(title string) string { return "personal time (" + catalog.CleanLine(title) + ")" }

// Held is what the attendee holds: reserved sessions (by session id) and
// personal time.
type Held struct {
	Reserved map[string]bool
	Personal []eventsapi.PersonalTime
}

// HeldOf is the Held of a schedule read from the API.
func HeldOf(s *eventsapi.Schedule) Held {
	return Held{Reserved: s.Reserved, Personal: s.Personal}
}

// HeldIn is what a catalog says is held: its reserved sessions (a
// download, the portal, the sample). Embargoed sessions are never planned,
// so they are not held here either.
func HeldIn(sessions []catalog.Session) Held {
	h := Held{Reserved: map[string]bool{}}
	for i := range sessions {
		if s := &sessions[i]; s.Reserved && !s.Embargoed {
			h.Reserved[s.SessionID] = true
		}
	}
	return h
}

// ErrNoAccount is the error of a write on a catalog that is not an
// account: only the AWS Events API takes reservations, favorites and
// cancels.
var ErrNoAccount = errors.New("writes need the AWS Events API: use --source events-api after reinvent login, or --dry-run to see what would be sent")

// CatalogAccount is the Account of a catalog with no account behind it
// (the sample, a download, the portal), for dry runs: its schedule is the
// catalog's reserved and starred sessions, and every write fails with
// ErrNoAccount.
type CatalogAccount struct{ Sessions []catalog.Session }

// Schedule is the catalog's reserved sessions and favorites.
func (c CatalogAccount) Schedule(context.Context, string) (*eventsapi.Schedule, error) {
	sch := &eventsapi.Schedule{Reserved: HeldIn(c.Sessions).Reserved, Favorites: map[string]bool{}}
	for i := range c.Sessions {
		if s := &c.Sessions[i]; s.Starred && !s.Embargoed {
			sch.Favorites[s.SessionID] = true
		}
	}
	return sch, nil
}

// Reserve refuses: a catalog takes no reservations.
func (CatalogAccount) Reserve(context.Context, string, []string) (*eventsapi.Result, error) {
	return nil, ErrNoAccount
}

// Plan is schedule.Plan around what is held: every reserved session is a
// held code (schedule.Options.Fixed), as its exact instance, and so is every
// personal block, at its location (a location that names no venue of the
// catalog costs --unknown-travel on either side, as a session with no
// venue does). A requested code that a reserved session already satisfies
// is not planned again. The result holds the held sessions and personal
// blocks too (IsPersonal tells the blocks). Held seats come in the order
// they take place, so that of two held seats that clash the earlier one is
// kept (docs/schedule.md, "Held seats").
func Plan(codes []string, sessions []catalog.Session, held Held, o schedule.Options) (*schedule.Result, error) {
	var fixed []string
	satisfied := map[string]bool{}
	var seats []*catalog.Session
	for i := range sessions {
		if held.Reserved[sessions[i].SessionID] {
			seats = append(seats, &sessions[i])
		}
	}
	slices.SortStableFunc(seats, func(a, b *catalog.Session) int {
		if c := a.Start.Compare(b.Start); c != 0 {
			return c
		}
		return strings.Compare(a.Code, b.Code)
	})
	for _, s := range seats {
		code := s.Code
		if s.Code == s.BaseCode {
			code += schedule.ExactMark
		}
		fixed = append(fixed, code)
		satisfied[strings.ToUpper(s.Code)] = true
		satisfied[strings.ToUpper(s.BaseCode)] = true
	}
	all := sessions
	if len(held.Personal) > 0 {
		all = make([]catalog.Session, 0, len(sessions)+len(held.Personal))
		all = append(all, sessions...)
		venues := map[string]string{}
		for i := range sessions {
			if v := sessions[i].Venue; v != "" {
				venues[catalog.VenueKey(v)] = v
			}
		}
		for i, p := range held.Personal {
			code := personalCode(i)
			s := catalog.Session{Code: code, BaseCode: code, SessionID: "personal:" + p.ID, Title: p.Title,
				Start: p.Start, End: p.End, Venue: venues[catalog.VenueKey(p.Location)], Room: p.Location}
			s.Normalize(o.Location)
			all = append(all, s)
			fixed = append(fixed, code)
		}
	}
	o.Fixed = len(fixed)
	rest := unsatisfied(codes, satisfied)
	res, err := schedule.Plan(append(fixed, rest...), all, o)
	if err != nil {
		return nil, err
	}
	// A held seat the plan leaves out (it clashes with another, after
	// something moved) satisfies nothing: the plan is made again without
	// it and with its base code asked for first, so that another instance
	// of it that fits takes its place (docs/schedule.md, "Held seats"),
	// even when that instance was asked for exactly (as --starred asks for
	// held seats): it is held, and lost; it is reported as before.
	var lost []schedule.Unscheduled
	var bases []string // the lost seats' codes, asked for again first
	keep := fixed[:0:0]
	for i, f := range fixed {
		if i >= len(seats) || !slices.ContainsFunc(res.Unscheduled, func(u schedule.Unscheduled) bool { return sameCode(u.Code, f) }) {
			keep = append(keep, f)
			continue
		}
		u := res.Unscheduled[slices.IndexFunc(res.Unscheduled, func(u schedule.Unscheduled) bool { return sameCode(u.Code, f) })]
		lost = append(lost, u)
		delete(satisfied, strings.ToUpper(seats[i].Code))
		delete(satisfied, strings.ToUpper(seats[i].BaseCode))
		bases = append(bases, seats[i].BaseCode)
	}
	if len(lost) == 0 {
		return res, nil
	}
	o.Fixed = len(keep)
	again, err := schedule.Plan(append(append(keep, bases...), unsatisfied(codes, satisfied)...), all, o)
	if err != nil {
		return nil, err
	}
	// The lost seats are held codes still: first in Requested, and
	// unscheduled for the clash the first plan found. A code asked for
	// again that found no other instance is that same entry.
	var heldCodes []string
	for _, u := range lost {
		heldCodes = append(heldCodes, u.Code)
		if j := slices.IndexFunc(again.Unscheduled, func(v schedule.Unscheduled) bool { return sameCode(v.Code, u.Code) }); j >= 0 {
			again.Unscheduled = slices.Delete(again.Unscheduled, j, j+1)
			again.Requested = slices.DeleteFunc(again.Requested, func(c string) bool { return sameCode(c, u.Code) })
		}
	}
	again.Requested = append(heldCodes, again.Requested...)
	again.Unscheduled = append(lost, again.Unscheduled...)
	return again, nil
}

// sameCode reports whether a code of a result and a fixed code name the
// same request, the exact mark aside.
func sameCode(a, b string) bool {
	return strings.EqualFold(strings.TrimSuffix(a, schedule.ExactMark), strings.TrimSuffix(b, schedule.ExactMark))
}

// unsatisfied are the codes no held seat satisfies, in their order.
func unsatisfied(codes []string, satisfied map[string]bool) []string {
	var rest []string
	for _, c := range codes {
		if !satisfied[strings.ToUpper(strings.TrimSuffix(c, schedule.ExactMark))] {
			rest = append(rest, c)
		}
	}
	return rest
}

// HeldLeftOut are the held seats a plan of Plan left out: each clashes
// with another held seat or a personal block (the schedule keeps the most
// held codes that fit together, so nothing else can push one out).
func HeldLeftOut(res *schedule.Result, sessions []catalog.Session, held Held) []schedule.Unscheduled {
	codes := held.Codes(sessions)
	var out []schedule.Unscheduled
	for _, u := range res.Unscheduled {
		if codes[strings.ToUpper(u.Code)] {
			out = append(out, u)
		}
	}
	return out
}

// Codes are the codes of the held sessions, upper-cased: the held codes at
// the head of a plan's Requested.
func (h Held) Codes(sessions []catalog.Session) map[string]bool {
	codes := map[string]bool{}
	for i := range sessions {
		if h.Reserved[sessions[i].SessionID] {
			codes[strings.ToUpper(sessions[i].Code)] = true
		}
	}
	return codes
}
