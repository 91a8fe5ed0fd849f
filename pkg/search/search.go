// Package search finds sessions of a catalog by words and filters, ranked
// by relevance, with repeats grouped under their base code (docs/search.md).
package search

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/reinvent-cli/reinvent/pkg/catalog"
	"github.com/reinvent-cli/reinvent/pkg/render"
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

// Find fetches the catalog (through reserve.PlanAround for q.Fits), opens
// its index and searches it: the one call of reinvent search and of the
// MCP server's search tools. Its errors are q.Check's, the fetch's and the
// plan's, and, when no code of q.Fits names a session, one that lists them
// with the closest codes.
func Find(ctx context.Context, deps Deps, q Query) (*Results, error) {
	if err := q.Check(); err != nil {
		return nil, err
	}
	var cat *catalog.Catalog
	var planned *reserve.Planned
	var keep func(*catalog.Session) bool
	var err error
	if q.Fits != nil {
		if planned, err = reserve.PlanAround(ctx, deps.Plan, *q.Fits); err != nil {
			return nil, err
		}
		if planned.NoneFound {
			return nil, fmt.Errorf("no session matches %s", render.NotFound(planned.Result.NotFound, planned.Suggestions))
		}
		cat, keep = planned.Catalog, FitsPlan(planned)
	} else if cat, err = deps.Plan.Fetch(ctx); err != nil {
		return nil, err
	}
	ix, err := Open(ctx, cat, deps.Dir, deps.Location)
	if err != nil {
		return nil, err
	}
	defer ix.Close()
	res, err := ix.Search(ctx, q, keep)
	if err != nil {
		return nil, err
	}
	if planned != nil {
		res.Planned = planned
		res.Fits = []string{}
		for _, c := range planned.Result.Scheduled {
			res.Fits = append(res.Fits, c.Session.Code)
		}
	}
	return res, nil
}

// Index is the full-text index of one catalog (Open). It is safe for
// concurrent use.
type Index struct {
	cat    *catalog.Catalog
	loc    *time.Location
	dir    string
	groups []group

	mu sync.Mutex
	db *sql.DB // the full-text index, once opened (fts)
}

// Close releases the index.
func (ix *Index) Close() error {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if ix.db == nil {
		return nil
	}
	return ix.db.Close()
}

// hit is a group that matched, with the indices of its instances that
// pass the filters.
type hit struct {
	group     int
	score     float64
	instances []int
}

// Search answers q from the index; keep, when not nil, is a further filter
// of instances (FitsPlan's). Its only errors for what a user typed are
// q.Check's: any words search as words.
func (ix *Index) Search(ctx context.Context, q Query, keep func(*catalog.Session) bool) (*Results, error) {
	f, err := q.filter()
	if err != nil {
		return nil, err
	}
	ws := words(q.Words)
	var scores map[int]float64
	if len(ws) > 0 {
		if scores, err = ix.matches(ctx, ws); err != nil {
			return nil, err
		}
	}
	var hits []hit
	for gi := range ix.groups {
		score, ok := scores[gi]
		if scores != nil && !ok {
			continue
		}
		h := hit{group: gi, score: score}
		for _, si := range ix.groups[gi].sessions {
			if s := &ix.cat.Sessions[si]; f.keeps(s, ix.loc) && (keep == nil || keep(s)) {
				h.instances = append(h.instances, si)
			}
		}
		if len(h.instances) > 0 {
			hits = append(hits, h)
		}
	}
	slices.SortFunc(hits, func(a, b hit) int {
		if c := cmp.Compare(b.score, a.score); c != 0 {
			return c
		}
		if c := catalog.ByStart(&ix.cat.Sessions[a.instances[0]], &ix.cat.Sessions[b.instances[0]]); c != 0 {
			return c
		}
		return strings.Compare(ix.groups[a.group].base, ix.groups[b.group].base)
	})
	res := &Results{Query: strings.Join(ws, " "), Total: len(hits), Results: []Result{}}
	page := hits[min(q.Offset, len(hits)):]
	if q.Limit > 0 && len(page) > q.Limit {
		page = page[:q.Limit]
	}
	for _, h := range page {
		res.Results = append(res.Results, ix.result(h))
	}
	return res, nil
}

// result is the Result of a hit.
func (ix *Index) result(h hit) Result {
	g := &ix.groups[h.group]
	first := &ix.cat.Sessions[g.sessions[0]]
	r := Result{Code: g.base, Title: first.Title, Score: h.score, Type: first.Type, Level: first.Level,
		Tracks: []string{}, Topics: []string{}, Speakers: []string{}, Instances: []Instance{}}
	for _, si := range g.sessions {
		s := &ix.cat.Sessions[si]
		r.Tracks, r.Topics, r.Speakers = union(r.Tracks, s.Tracks), union(r.Topics, s.Topics), union(r.Speakers, s.Speakers)
	}
	for _, si := range h.instances {
		s := &ix.cat.Sessions[si]
		in := Instance{Code: s.Code, Venue: s.Venue, Room: s.Room, SeatAvailability: s.SeatAvailability, Reservable: s.Reservable}
		if s.Scheduled() {
			start := ix.in(s.Start)
			in.Start = &start
			if !s.End.IsZero() {
				end := ix.in(s.End)
				in.End = &end
			}
		}
		r.Instances = append(r.Instances, in)
	}
	return r
}

// in is t in the event's zone.
func (ix *Index) in(t time.Time) time.Time {
	if ix.loc == nil {
		return t
	}
	return t.In(ix.loc)
}
