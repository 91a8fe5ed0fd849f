package follow

import (
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/reinvent-cli/reinvent/pkg/calendar"
	"github.com/reinvent-cli/reinvent/pkg/catalog"
)

// The kinds of notice (docs/follow.md, "Notices").
const (
	KindMoved     = "moved"      // start or end changed
	KindRelocated = "relocated"  // venue or room changed
	KindRenamed   = "renamed"    // title changed
	KindCancelled = "cancelled"  // cancelled, or gone from the catalog
	KindReturned  = "returned"   // back after being cancelled or gone
	KindSeats     = "seats"      // the seat band of a session you do not hold
	KindNewRepeat = "new-repeat" // a new instance of a followed code
	KindPlan      = "plan"       // the plan's choice for a code changed
	KindClash     = "clash"      // a held seat now clashes: urgent
	KindReserved  = "reserved"   // a seat of a followed code is held now (follow --rebook booked it, or you did)
	KindReleased  = "released"   // a seat held at the last run is not any more (--swap gave it up, or you, or the event did)
	// KindSwapFailed is a swap for a better plan that was rolled back:
	// the new seat was not had, the old one is held again.
	KindSwapFailed = "swap-failed"
	// KindSeatLost is a swap for a better plan whose rollback failed too:
	// a seat you held is gone. Urgent.
	KindSeatLost = "seat-lost"
)

// Notice is one private notice: what changed for a followed code.
type Notice struct {
	// ID is the notice's own id, the same at every sink; ntfy uses it as
	// the message's sequence id, so that a resend replaces it.
	ID      string `json:"id"`
	Kind    string `json:"kind"`
	Code    string `json:"code"`    // the followed code (a base code, or a full code asked for exactly)
	Session string `json:"session"` // the instance, e.g. ARC302-R1
	Title   string `json:"title"`
	Old     string `json:"old"`
	New     string `json:"new"`
	// Sent names the services (ntfy, smtp, ...) the notice reached in
	// this run; empty on a dry run or when every sink failed.
	Sent []string `json:"sent"`
}

// Urgent reports whether the notice goes out at the service's highest
// priority: a held seat that now clashes, or one a swap lost.
func (n *Notice) Urgent() bool { return n.Kind == KindClash || n.Kind == KindSeatLost }

// Snap is a followed session as the last run saw it.
type Snap struct {
	Session catalog.Session `json:"session"`
	// Gone reports that the session was no longer in the catalog.
	Gone bool `json:"gone,omitempty"`
}

// cancelled reports whether a followed session is off: gone from the
// catalog, or marked cancelled.
func (s Snap) cancelled() bool {
	return s.Gone || strings.EqualFold(s.Session.Status, "cancelled") || strings.EqualFold(s.Session.Status, "canceled")
}

// Pick is a requested code's place in a plan.
type Pick struct {
	Session   string   `json:"session,omitempty"` // the chosen instance; "" when it does not fit
	Reason    string   `json:"reason,omitempty"`
	BlockedBy []string `json:"blocked_by,omitempty"`
}

// State is what a run of follow saw and planned; the next run compares
// its own with it. The store keeps it as JSON.
type State struct {
	// Prefix makes the notice ids of this store unique among others that
	// publish to the same topic.
	Prefix string `json:"prefix"`
	// Run counts the runs recorded.
	Run int `json:"run"`
	// CatalogSize is the number of sessions the fetch returned.
	CatalogSize int `json:"catalog_size"`
	// Codes are the followed codes in priority order, held seats first.
	Codes []string `json:"codes"`
	// Sessions are the instances of the followed codes, by full code.
	Sessions map[string]Snap `json:"sessions"`
	// Plan is each followed code's place in the plan.
	Plan map[string]Pick `json:"plan"`
	// Held are the full codes of the seats you hold.
	Held []string `json:"held"`
	// Clashes are the held seats the plan leaves out, with what they
	// clash with.
	Clashes map[string][]string `json:"clashes"`
	// GivenUp are the held seats --swap gave up in this run for a better
	// plan, by full code, with what for: the reason of their released
	// notices.
	GivenUp map[string]string `json:"given_up,omitempty"`
	// Refused are the sessions a swap for a better plan could not have,
	// by full code, with their band then: no swap tries them again until
	// the band changes.
	Refused map[string]string `json:"refused,omitempty"`
	// Calendar is the live calendar as last written.
	Calendar []calendar.Entry `json:"calendar,omitempty"`
}

// followed reports whether a full code belongs to one of the codes of s.
func (s *State) followed(base string) bool {
	for _, c := range s.Codes {
		if strings.EqualFold(baseOf(c), base) {
			return true
		}
	}
	return false
}

// baseOf is the base code of a requested code: SVS401 of SVS401-R1 and of
// AIM306=.
func baseOf(code string) string {
	code = strings.TrimSuffix(strings.ToUpper(code), "=")
	if c, err := catalog.ParseCode(code); err == nil {
		return c.Base
	}
	return code
}

// Changes compares the state of the last run with this run's and returns
// the notices, in a stable order: by kind of urgency (clashes first), then
// code. Codes followed now but not before are new to follow: their
// sessions are a baseline, not news.
func Changes(prev, now *State, loc *time.Location) []Notice {
	var out []Notice
	// Bands are news for the codes you held no seat for when they
	// changed: at the last run (a seat taken in this run, by --rebook,
	// was taken because of the news).
	heldBase := map[string]bool{}
	for _, h := range prev.Held {
		if s, ok := prev.Sessions[strings.ToUpper(h)]; ok {
			heldBase[strings.ToUpper(s.Session.BaseCode)] = true
		}
	}
	codes := make([]string, 0, len(now.Sessions))
	for c := range now.Sessions {
		codes = append(codes, c)
	}
	sort.Strings(codes)
	for _, c := range codes {
		cur := now.Sessions[c]
		s := &cur.Session
		old, seen := prev.Sessions[c]
		n := Notice{Code: s.BaseCode, Session: s.Code, Title: catalog.CleanLine(s.Title)}
		switch {
		case !seen:
			if prev.followed(s.BaseCode) && !cur.cancelled() {
				n.Kind, n.New = KindNewRepeat, when(s, loc)
				out = append(out, n)
			}
			continue
		case cur.cancelled() && !old.cancelled():
			n.Kind, n.Old, n.New = KindCancelled, when(&old.Session, loc), cancelWord(cur)
			out = append(out, n)
			continue
		case !cur.cancelled() && old.cancelled():
			n.Kind, n.Old, n.New = KindReturned, cancelWord(old), when(s, loc)
			out = append(out, n)
		case cur.cancelled():
			continue
		}
		o := &old.Session
		if !o.Start.Equal(s.Start) || !o.End.Equal(s.End) {
			n.Kind, n.Old, n.New = KindMoved, span(o, loc), span(s, loc)
			out = append(out, n)
		}
		if !strings.EqualFold(o.Venue, s.Venue) || o.Room != s.Room {
			n.Kind, n.Old, n.New = KindRelocated, place(o), place(s)
			out = append(out, n)
		}
		if o.Title != s.Title {
			n.Kind, n.Old, n.New = KindRenamed, catalog.CleanLine(o.Title), catalog.CleanLine(s.Title)
			out = append(out, n)
		}
		if o.SeatAvailability != s.SeatAvailability && !heldBase[strings.ToUpper(s.BaseCode)] {
			n.Kind, n.Old, n.New = KindSeats, band(o.SeatAvailability), band(s.SeatAvailability)+seatWords(o.SeatAvailability, s.SeatAvailability)
			out = append(out, n)
		}
	}
	out = append(out, planChanges(prev, now, out, loc)...)
	clashing := slices.Sorted(maps.Keys(now.Clashes))
	for _, h := range clashing {
		with := now.Clashes[h]
		cur, ok := now.Sessions[h]
		if !ok || prev.Clashes[h] != nil {
			continue
		}
		s := cur.Session
		out = append(out, Notice{Kind: KindClash, Code: s.BaseCode, Session: s.Code, Title: catalog.CleanLine(s.Title),
			Old: "fits your plan", New: "clashes with " + strings.Join(with, ", ")})
	}
	out = append(out, reservedChanges(prev, now, out, loc)...)
	slices.SortStableFunc(out, func(a, b Notice) int {
		if a.Urgent() != b.Urgent() {
			if a.Urgent() {
				return -1
			}
			return 1
		}
		return strings.Compare(a.Session, b.Session)
	})
	return out
}

// planChanges are the plan notices: a code that now fits, no longer fits,
// or is planned at another instance, with the reason as far as the other
// notices of the run tell it.
func planChanges(prev, now *State, news []Notice, loc *time.Location) []Notice {
	why := map[string]string{}
	for _, n := range news {
		if _, ok := why[n.Session]; !ok {
			why[n.Session] = n.Session + " " + reasonWord(n.Kind)
		}
	}
	heldSet := map[string]bool{}
	for _, h := range now.Held {
		heldSet[strings.ToUpper(h)] = true
	}
	var out []Notice
	for _, code := range now.Codes {
		was, ok := prev.Plan[code]
		is := now.Plan[code]
		if !ok || was.Session == is.Session || heldSet[strings.ToUpper(is.Session)] || heldSet[strings.ToUpper(was.Session)] {
			continue
		}
		n := Notice{Kind: KindPlan, Code: code, Session: is.Session}
		if s, ok := now.Sessions[strings.ToUpper(is.Session)]; ok {
			n.Title = catalog.CleanLine(s.Session.Title)
		} else if s, ok := prev.Sessions[strings.ToUpper(was.Session)]; ok {
			n.Title = catalog.CleanLine(s.Session.Title)
		}
		switch {
		case was.Session == "":
			n.Old, n.New = "did not fit", "now fits: "+pickWhen(now, is.Session, loc)
			if r := why[is.Session]; r != "" {
				n.New += " (" + r + ")"
			}
		case is.Session == "":
			n.Session = was.Session
			n.Old, n.New = pickWhen(prev, was.Session, loc), "no longer fits: "+blocked(is)
		default:
			n.Old, n.New = pickWhen(prev, was.Session, loc), pickWhen(now, is.Session, loc)
			switch {
			case why[was.Session] != "":
				n.New += " (" + why[was.Session] + ")"
			case why[is.Session] != "":
				n.New += " (" + why[is.Session] + ")"
			default:
				n.New += " (a better fit around the other changes)"
			}
		}
		out = append(out, n)
	}
	return out
}

func blocked(p Pick) string {
	if len(p.BlockedBy) == 0 {
		if p.Reason != "" {
			return p.Reason
		}
		return "not in the catalog"
	}
	return "clashes with " + strings.Join(p.BlockedBy, ", ")
}

func reasonWord(kind string) string {
	return map[string]string{KindMoved: "moved", KindRelocated: "changed room", KindRenamed: "was renamed",
		KindCancelled: "was cancelled", KindReturned: "is back", KindSeats: "seats changed", KindNewRepeat: "is a new repeat"}[kind]
}

// pickWhen is a chosen instance and when it is, from a state's sessions.
func pickWhen(st *State, code string, loc *time.Location) string {
	if s, ok := st.Sessions[strings.ToUpper(code)]; ok {
		return code + " " + when(&s.Session, loc)
	}
	return code
}

func cancelWord(s Snap) string {
	if s.Gone {
		return "removed from the catalog"
	}
	return "cancelled"
}

// when is a session's start and place for a notice.
func when(s *catalog.Session, loc *time.Location) string {
	if !s.Scheduled() {
		return "time to be announced"
	}
	out := s.Start.In(loc).Format("Mon 2 Jan 15:04")
	if p := place(s); p != "" {
		out += ", " + p
	}
	return out
}

// span is a session's start and end.
func span(s *catalog.Session, loc *time.Location) string {
	if !s.Scheduled() {
		return "time to be announced"
	}
	out := s.Start.In(loc).Format("Mon 2 Jan 15:04")
	if !s.End.IsZero() {
		out += "–" + s.End.In(loc).Format("15:04")
	}
	return out
}

func place(s *catalog.Session) string {
	switch {
	case s.Venue != "" && s.Room != "":
		return catalog.CleanLine(s.Venue + ", " + s.Room)
	case s.Venue != "":
		return catalog.CleanLine(s.Venue)
	}
	return catalog.CleanLine(s.Room)
}

func band(b string) string {
	if b == "" {
		return "none"
	}
	return catalog.CleanLine(b)
}

// seatWords says what a change of band means to an attendee.
func seatWords(old, cur string) string {
	open := func(b string) bool { return b == "available" || b == "limited" || b == "veryLimited" }
	switch {
	case open(cur) && !open(old):
		return ": seats opened"
	case cur == "veryLimited":
		return ": filling up"
	case cur == "unavailable" && open(old):
		return ": full"
	}
	return ""
}

// noticeID is the id of the i-th notice of run r of a store.
func noticeID(prefix string, run, i int) string {
	return fmt.Sprintf("rv%s-%d-%d", prefix, run, i)
}

// reservedChanges are the seats held now that were not at the last run,
// of codes followed then too, with why a seat was there to take; and the
// seats held then that are not now.
func reservedChanges(prev, now *State, news []Notice, loc *time.Location) []Notice {
	was := map[string]bool{}
	for _, h := range prev.Held {
		was[strings.ToUpper(h)] = true
	}
	why := map[string]string{}
	for _, n := range news {
		switch n.Kind {
		case KindSeats:
			why[n.Session] = strings.TrimPrefix(n.New[strings.Index(n.New, ":")+1:], " ")
		case KindNewRepeat:
			why[n.Session] = "a new repeat"
		case KindClash:
			why["lost:"+n.Code] = "in place of " + n.Session + ", which now clashes"
		}
	}
	var out []Notice
	for _, h := range now.Held {
		s, ok := now.Sessions[strings.ToUpper(h)]
		if was[strings.ToUpper(h)] || !ok || !prev.followed(s.Session.BaseCode) {
			continue
		}
		n := Notice{Kind: KindReserved, Code: s.Session.BaseCode, Session: s.Session.Code, Title: catalog.CleanLine(s.Session.Title),
			New: when(&s.Session, loc)}
		if r := why[s.Session.Code]; r != "" && !strings.Contains(n.New, r) {
			n.New += ", " + r
		} else if r := why["lost:"+s.Session.BaseCode]; r != "" {
			n.New += ", " + r
		}
		out = append(out, n)
	}
	is := map[string]bool{}
	for _, h := range now.Held {
		is[strings.ToUpper(h)] = true
	}
	for _, h := range prev.Held {
		s, ok := prev.Sessions[strings.ToUpper(h)]
		if is[strings.ToUpper(h)] || !ok || !now.followed(s.Session.BaseCode) {
			continue
		}
		n := Notice{Kind: KindReleased, Code: s.Session.BaseCode, Session: s.Session.Code, Title: catalog.CleanLine(s.Session.Title),
			Old: when(&s.Session, loc), New: "no longer held"}
		if with := now.Clashes[strings.ToUpper(h)]; with != nil {
			n.New += ", given up: it clashed with " + strings.Join(with, ", ")
		} else if why := now.GivenUp[strings.ToUpper(h)]; why != "" {
			n.New += ", given up " + why
		}
		out = append(out, n)
	}
	return out
}
