// Package search finds sessions of a catalog by words and filters, ranked
// by relevance, with repeats grouped under their base code (docs/search.md).
package search

import (
	"context"
	"errors"
	"time"

	"github.com/reinvent-cli/reinvent/pkg/catalog"
	"github.com/reinvent-cli/reinvent/pkg/reserve"
)

// Query is what to look for. Every list is OR within itself and AND with
// the others; each value may be a comma list ("tue,wed"). Filters keep the
// matching instances of a session only, still grouped under its base code.
type Query struct {
	// Words are searched for in the code, title, abstract, speakers,
	// tracks, services and topics, as whole words and prefixes, case and
	// accents folded. Anything but letters and digits separates words:
	// no text is search syntax. No words lists the matches in time order.
	Words string `json:"query,omitempty"`
	// Days are weekday names (tue, Tuesday) or dates (2026-12-01) in the
	// event's zone.
	Days []string `json:"day,omitempty"`
	// Venues, Tracks, Topics and Types match case-insensitively, a value
	// naming the whole field (a venue, a track of the session's tracks).
	Venues []string `json:"venue,omitempty"`
	Tracks []string `json:"track,omitempty"`
	Topics []string `json:"topic,omitempty"`
	Types  []string `json:"type,omitempty"`
	// Seats are seat availability bands (available, limited, veryLimited,
	// unavailable, walkUp), case-insensitively.
	Seats []string `json:"seats,omitempty"`
	// Levels are session levels such as 300 (ParseLevels reads them from
	// text).
	Levels []int `json:"level,omitempty"`
	// After and Before are local times HH:MM in the event's zone: an
	// instance starts at or after After, and ends at or before Before.
	After  string `json:"after,omitempty"`
	Before string `json:"before,omitempty"`
	// Reservable keeps the instances that take reservations only.
	Reservable bool `json:"reservable,omitempty"`
	// Limit is the most results returned (0 means all); Offset skips the
	// first results, for paging.
	Limit  int `json:"limit,omitempty"`
	Offset int `json:"offset,omitempty"`
	// Fits keeps the instances that fit the gaps of the plan of these
	// options, made as reinvent schedule makes it (reserve.PlanAround):
	// adding one keeps every pair of the plan's sessions, held seats and
	// personal time compatible. The plan's own codes are not listed. Nil
	// keeps every instance.
	Fits *reserve.PlanOptions `json:"-"`
}

// DefaultLimit is the CLI's --limit when none is given.
const DefaultLimit = 20

// Instance is one scheduled instance of a result.
type Instance struct {
	// Code is the full code of the instance, such as ARC302-R1.
	Code  string     `json:"code"`
	Start *time.Time `json:"start"`
	End   *time.Time `json:"end"`
	Venue string     `json:"venue"`
	Room  string     `json:"room"`
	// SeatAvailability is the instance's band; "" when the source gives
	// none.
	SeatAvailability string `json:"seat_availability"`
	Reservable       bool   `json:"reservable"`
}

// Result is one session, its repeats grouped as Instances.
type Result struct {
	// Code is the base code.
	Code  string `json:"code"`
	Title string `json:"title"`
	// Score is higher for a better match; 0 when the query has no words.
	Score     float64    `json:"score"`
	Type      string     `json:"type"`
	Level     int        `json:"level"`
	Tracks    []string   `json:"tracks"`
	Topics    []string   `json:"topics"`
	Speakers  []string   `json:"speakers"`
	Instances []Instance `json:"instances"`
}

// Results are the answer of a search: the page Limit and Offset asked for,
// best match first (in time order when the query has no words).
type Results struct {
	// Query is the words searched for.
	Query string `json:"query"`
	// Total is how many sessions matched, before Limit and Offset.
	Total   int      `json:"total"`
	Results []Result `json:"results"`
	// Fits are the full codes of the plan that the results fit around, in
	// time order; nil without Query.Fits.
	Fits []string `json:"fits,omitempty"`
	// Planned is the plan of Query.Fits, for its notes and the codes it
	// did not find; nil without.
	Planned *reserve.Planned `json:"-"`
}

// Deps are what Find reads.
type Deps struct {
	// Plan fetches the catalog and, for Query.Fits, the account whose
	// seats and personal time the plan works around.
	Plan reserve.PlanDeps
	// Dir is where the index is kept between runs (beside the store's
	// catalog cache); "" builds it in memory for the run.
	Dir string
	// Location is the event's zone, for days and times.
	Location *time.Location
}

var errNotBuilt = errors.New("search: not built yet")

// Check reports the first value of q that cannot be searched for, in one
// line that says what to give instead: an unknown day or band, a level
// that is not positive, a time that is not HH:MM, a negative limit.
func (q *Query) Check() error { return errNotBuilt }

// ParseLevels reads levels given as text ("300", "200,300"); a value that
// is not a number is an error in one line.
func ParseLevels(values []string) ([]int, error) { return nil, errNotBuilt }

// Find fetches the catalog (through PlanAround for q.Fits), opens its index
// and searches it: the one call of reinvent search and of the MCP server's
// search tools.
func Find(ctx context.Context, deps Deps, q Query) (*Results, error) {
	return nil, errNotBuilt
}

// Index is the full-text index of one catalog. It is safe for concurrent
// use.
type Index struct {
	cat *catalog.Catalog
}

// Open returns the index of cat: the one kept in dir when it was built
// from the same catalog, else a new one, kept there atomically ("" keeps it
// in memory). Several processes may open and build at once.
func Open(ctx context.Context, cat *catalog.Catalog, dir string, loc *time.Location) (*Index, error) {
	return nil, errNotBuilt
}

// Search answers q from the index; keep, when not nil, is a further filter
// of instances (FitsPlan's).
func (ix *Index) Search(ctx context.Context, q Query, keep func(*catalog.Session) bool) (*Results, error) {
	return nil, errNotBuilt
}

// Close releases the index.
func (ix *Index) Close() error { return nil }

// FitsPlan returns the filter of the instances that fit the gaps of the
// plan p, by the options it was made with (Planned.Options): an instance fits when adding it
// keeps every pair of the plan's sessions (held seats and personal time
// too) compatible, by the solver's own rule (schedule.Fits). Instances of
// the plan's own codes never fit.
func FitsPlan(p *reserve.Planned) func(*catalog.Session) bool {
	return func(*catalog.Session) bool { return false }
}
