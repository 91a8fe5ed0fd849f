// Package schedule chooses, from every repeat of the requested sessions, the
// schedule that fits the most of them, preferring earlier requests, then
// less walking between venues, then the instances of a previous plan. It is
// pure: no I/O and no randomness; the clock is read only to stop a search
// that runs past its time limit.
package schedule

import (
	"time"

	"github.com/reinvent-cli/reinvent/pkg/catalog"
)

// Reasons a requested code could not be scheduled.
const (
	ReasonConflict = "conflict"          // every timed instance clashes with the chosen sessions
	ReasonNoTime   = "no time announced" // no instance has a time yet
)

// Options tune compatibility and the search.
type Options struct {
	// Travel gives the minutes between venues; nil means the built-in table.
	Travel *Travel
	// Buffer is extra time kept free between two sessions on the same day.
	Buffer time.Duration
	// UnknownTravel is the travel time for a venue pair the table does not
	// know, or an empty venue. The commands' default is DefaultUnknownTravel.
	UnknownTravel time.Duration
	// Location is the event's zone: it decides which day a session is on.
	Location *time.Location
	// TimeLimit bounds the search; when it runs out the best schedule found
	// is returned with Optimal false. Zero means 2s.
	TimeLimit time.Duration
	// Fixed is how many of the first codes are held, not wished for: seats
	// already reserved and personal time. The schedule keeps the most of
	// them that fit together (earlier before later) before it counts any
	// other code, so a held seat is never traded for two wishes; only a
	// clash between held codes leaves one out (docs/schedule.md, "Held
	// seats").
	Fixed int
	// Keep are the full codes (such as "ARC302-R1", any case) of the
	// instances of a previous plan. Among the schedules that are equally
	// good on every other level, the one that keeps the most of them is
	// chosen, so that a small change in the catalog does not reshuffle a
	// plan (docs/schedule.md, "Keeping the previous plan"). Codes that name
	// no instance of a requested code are ignored; nil keeps nothing.
	Keep []string
}

// Result is a schedule and the explanation of what did not fit.
type Result struct {
	// Requested are the codes after de-duplication, canonical and in
	// priority order.
	Requested []string
	// Scheduled holds one chosen instance per scheduled code, sorted by start.
	Scheduled []Choice
	// Unscheduled are the requested codes that exist but were not chosen, in
	// priority order.
	Unscheduled []Unscheduled
	// NotFound are requested codes that name no session, in priority order.
	NotFound []string
	// Merged are the requested codes dropped because an earlier code names
	// the same session (SVS401 after SVS401-R1, or the other way round):
	// one request each, in the order given.
	Merged []Merge
	// Optimal reports whether the search proved the schedule optimal.
	Optimal bool
	// TravelMinutes is the objective's third level: travel minutes summed
	// over consecutive chosen sessions on the same day: the minutes of the
	// legs (Choice.Leg).
	TravelMinutes int
}

// Choice is a requested code and the instance chosen for it.
type Choice struct {
	Code    string          // the requested code, e.g. "SVS401"
	Session catalog.Session // the chosen instance, e.g. SVS401-R1
	// Alternates are the full codes of other instances of Code that would
	// fit the rest of the schedule unchanged, sorted by start.
	Alternates []string
	// Leg is the way here from the chosen session before this one on its
	// day, all-day sessions left out (see SetLegs); nil for the first
	// session of a day and for an all-day session, which has no walk
	// before or after it.
	Leg *Leg
	// Kept reports whether the chosen instance is one of Options.Keep: the
	// previous plan's choice, kept.
	Kept bool
}

// Leg is the way between two chosen sessions that follow each other on one
// day: the travel the solver counts between them, for the table's notes.
//
// The legs follow the order of Result.Scheduled. Only when two chosen
// sessions start at the same time (one lasting no time) can that differ
// from the order TravelMinutes is counted in, which takes the one that ends
// first first; then the legs may add up to other minutes.
type Leg struct {
	From, To string // the two sessions' full codes, From the earlier
	// Minutes is the travel time counted for the leg: the travel table's
	// minutes between the two venues, or Options.UnknownTravel to the
	// minute when Known is false.
	Minutes int
	// Known reports whether the travel table knows the pair of venues;
	// never when a venue is empty.
	Known bool
	// SameVenue reports whether both sessions are at one venue, as
	// SameVenue says.
	SameVenue bool
	// Free is the time from the end of From (its start, when it has no
	// sensible end) to the start of To.
	Free time.Duration
}

// Merge is a requested code that was merged into an earlier request for
// the same session.
type Merge struct {
	Code string // as given, e.g. "SVS401"
	Into string // the earlier request it is part of, e.g. "SVS401-R1"
}

// Unscheduled is a requested code that exists but is not in the schedule.
type Unscheduled struct {
	Code   string
	Reason string // ReasonConflict or ReasonNoTime
	// BlockedBy are the full codes of chosen sessions that clash with some
	// instance of Code, sorted; empty for ReasonNoTime.
	BlockedBy []string
}
