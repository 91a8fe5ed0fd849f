package schedule

import (
	"cmp"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/reinvent-cli/reinvent/pkg/catalog"
)

// DefaultTimeLimit bounds the search when Options.TimeLimit is zero; it
// is --time-limit's default too.
const DefaultTimeLimit = 2 * time.Second

// DefaultUnknownTravel is the commands' travel time between venues the
// travel table does not know (--unknown-travel's default).
const DefaultUnknownTravel = 30 * time.Minute

// Plan builds the schedule for codes (priority order, first most wanted) from
// the catalog's sessions.
//
// Every code must parse (catalog.ParseCode); an invalid one is an error. The
// codes are de-duplicated: codes that name the same session (SVS401,
// SVS401-R1, AIM306=) are one request, the first mention, and the others
// are listed in Result.Merged. Embargoed sessions and sessions with no time
// are never chosen. The schedule has at most one instance per requested
// code, every two chosen instances are compatible (see docs/schedule.md),
// and it is optimal for, in order: the most of the opts.Fixed held codes,
// earlier before later; the most codes scheduled; then earlier codes before
// later ones; then the fewest travel minutes between consecutive sessions
// of a day; then the most chosen instances that opts.Keep names (the
// previous plan's). Equal schedules are told apart by the search order
// (earlier instances first), so the same input always gives the same
// output, unless the time limit runs out, in which case the best schedule
// found is returned with Optimal false.
//
// A session's day is the date of its start in opts.Location (in its own
// zone when that is nil). A session with no end, or one before its start,
// lasts no time. A negative Buffer or UnknownTravel is an error.
func Plan(codes []string, sessions []catalog.Session, opts Options) (*Result, error) {
	return plan(codes, sessions, opts, time.Now)
}

// plan is Plan with the clock the time limit is measured by, so that tests
// can run out of time without waiting.
func plan(codes []string, sessions []catalog.Session, opts Options, now func() time.Time) (*Result, error) {
	if opts.Buffer < 0 {
		return nil, errors.New("negative buffer " + opts.Buffer.String())
	}
	if opts.UnknownTravel < 0 {
		return nil, errors.New("negative unknown-travel " + opts.UnknownTravel.String())
	}
	all, merged, err := requests(codes, opts.Fixed)
	if err != nil {
		return nil, err
	}
	reqs, dropIns := splitDropIns(all, sessions)
	p := newProblem(reqs, sessions, opts)
	limit := opts.TimeLimit
	if limit <= 0 {
		limit = DefaultTimeLimit
	}
	s := newSolver(p, now, limit)
	s.solve()
	best := make([]int, len(p.reqs))
	for i := range best {
		best[i] = -1
	}
	for k, ri := range p.solvable {
		best[ri] = s.witness[k]
	}
	res := p.result(best, !s.stopped)
	if len(dropIns) > 0 {
		addDropIns(res, all, dropIns, sessions, keepSet(opts.Keep))
	}
	res.Merged = merged
	return res, nil
}

// sortChoices sorts a schedule by start, then by code.
func sortChoices(cs []Choice) {
	slices.SortStableFunc(cs, func(a, b Choice) int {
		if c := a.Session.Start.Compare(b.Session.Start); c != 0 {
			return c
		}
		if c := strings.Compare(a.Session.Code, b.Session.Code); c != 0 {
			return c
		}
		return strings.Compare(a.Code, b.Code)
	})
}

// DropIn reports whether s is an all-day session one drops in on, such as
// a lounge, the expo or self-paced labs: open all day, so it blocks nothing
// (docs/schedule.md, "All-day sessions"). Other all-day sessions clash
// with everything on their day.
func DropIn(s *catalog.Session) bool {
	if !s.AllDay {
		return false
	}
	t := strings.ToLower(s.Title + " " + s.Type)
	for _, w := range []string{"lounge", "expo", "self-paced", "drop-in", "drop in", "open house"} {
		if strings.Contains(t, w) {
			return true
		}
	}
	return false
}

// splitDropIns takes out the requests whose every instance is a drop-in
// all-day session: they fit any schedule, so the search does not see them.
func splitDropIns(reqs []request, sessions []catalog.Session) (rest []request, dropIns map[int][]int) {
	matches := make([][]int, len(reqs))
	allDrop := make([]bool, len(reqs))
	for i := range allDrop {
		allDrop[i] = true
	}
	for si := range sessions {
		ses := &sessions[si]
		if ses.Embargoed {
			continue
		}
		full, err := catalog.ParseCode(ses.Code)
		if err != nil {
			continue
		}
		for ri := range reqs {
			if r := &reqs[ri]; r.code.Matches(full) && (!r.exact || r.code == full) {
				matches[ri] = append(matches[ri], si)
				allDrop[ri] = allDrop[ri] && DropIn(ses)
			}
		}
	}
	for ri := range reqs {
		if len(matches[ri]) > 0 && allDrop[ri] {
			if dropIns == nil {
				dropIns = map[int][]int{}
			}
			dropIns[ri] = matches[ri]
			continue
		}
		rest = append(rest, reqs[ri])
	}
	return rest, dropIns
}

// addDropIns puts the drop-in requests into a result: each at its first
// instance that keep names, else its first instance, the others as
// alternates, and Requested in the order asked.
func addDropIns(res *Result, all []request, dropIns map[int][]int, sessions []catalog.Session, keep map[catalog.Code]bool) {
	res.Requested = make([]string, len(all))
	for ri, r := range all {
		res.Requested[ri] = r.code.String()
		idx, ok := dropIns[ri]
		if !ok {
			continue
		}
		slices.SortFunc(idx, func(a, b int) int { return sessions[a].Start.Compare(sessions[b].Start) })
		at := max(0, slices.IndexFunc(idx, func(si int) bool { return kept(keep, &sessions[si]) }))
		c := Choice{Code: r.code.String(), Session: sessions[idx[at]], Alternates: []string{}, Kept: kept(keep, &sessions[idx[at]])}
		for i, si := range idx {
			if i != at {
				c.Alternates = append(c.Alternates, sessions[si].Code)
			}
		}
		res.Scheduled = append(res.Scheduled, c)
	}
	sortChoices(res.Scheduled)
}

// request is one requested code after de-duplication, with its candidates.
type request struct {
	code catalog.Code
	// exact asks for the instance with exactly this code, even when it is
	// also a base code: "AIM306=" is the session AIM306, not AIM306-R.
	exact bool
	fixed bool  // held (Options.Fixed): kept before any other code counts
	found bool  // some non-embargoed session matches
	nodes []int // the timed candidates, as nodes, sorted by start
}

// String is the request as it is asked for: the code, with ExactMark when
// it names exactly the instance whose code is also the base code.
func (r request) String() string {
	if r.exact {
		return r.code.String() + ExactMark
	}
	return r.code.String()
}

// ExactMark ends a requested code that names one instance even when it is
// also a base code: "AIM306=" is the session AIM306 and none of its repeats
// (docs/schedule.md). A full code such as AIM306-R is always exact.
const ExactMark = "="

// CutExact returns code without ExactMark, and whether it had it.
func CutExact(code string) (string, bool) {
	return strings.CutSuffix(strings.TrimSpace(code), ExactMark)
}

// requests parses and de-duplicates codes, keeping priority order: a code
// whose base code an earlier one has is the same session asked for again,
// merged into the earlier request (said in merged when it was spelt
// differently). The first fixed codes are marked held.
func requests(codes []string, fixed int) (reqs []request, merged []Merge, err error) {
	reqs = make([]request, 0, len(codes))
	byBase := make(map[string]int, len(codes)) // base code → index in reqs
	for i, s := range codes {
		code, exact := CutExact(s)
		c, err := catalog.ParseCode(code)
		if err != nil {
			return nil, nil, err
		}
		r := request{code: c, exact: exact && c.IsBase(), fixed: i < fixed}
		if j, ok := byBase[c.Base]; ok {
			if first := reqs[j]; first.code != r.code || first.exact != r.exact {
				merged = append(merged, Merge{Code: r.String(), Into: first.String()})
			}
			continue
		}
		byBase[c.Base] = len(reqs)
		reqs = append(reqs, r)
	}
	return reqs, merged, nil
}

// node is one timed candidate of one request: the unit the search chooses.
// A session requested twice (ARC302-R1 and ARC302) is two nodes, which are
// incompatible with each other.
type node struct {
	req   int // index into problem.reqs
	sess  int // index into the sessions given to Plan
	venue int // index into problem.venues
	slot
	kept bool // the session's full code is in Options.Keep
	rank int  // position in the order (day, start, end, code, session)
}

// slot is when a session takes place, as compatibility sees it.
type slot struct {
	day int // index into the distinct calendar days
	// start and end in Unix nanoseconds for the same-day test; an all-day
	// session spans its whole day and more, so it clashes with everything
	// on that day.
	start, end int64
	allDay     bool
}

// slotOf is the slot of a timed session s on day: a session with no end,
// or one before its start, lasts no time.
func slotOf(s *catalog.Session, day int) slot {
	t := slot{day: day, allDay: s.AllDay, start: s.Start.UnixNano(), end: s.Start.UnixNano()}
	if !s.End.IsZero() {
		t.end = max(s.End.UnixNano(), t.start)
	}
	if s.AllDay {
		t.start, t.end = -allDaySpan, allDaySpan
	}
	return t
}

// apart reports whether two different sessions in slots a and b may both be
// chosen when gap is needed between them on one day (Options.gap): on
// different days, or with gap between them; an all-day session clashes with
// its day. It is the solver's one compatibility rule.
func apart(a, b *slot, gap int64) bool {
	if a.day != b.day {
		return true
	}
	if a.allDay || b.allDay {
		return false
	}
	return b.start-a.end >= gap || a.start-b.end >= gap
}

// problem is the instance the search works on: the nodes, their pairwise
// compatibility and the travel between their venues.
type problem struct {
	opts     Options
	sessions []catalog.Session
	reqs     []request
	solvable []int // the requests with a timed candidate, in priority order
	nodes    []node
	words    int      // uint64 words in a bitset of nodes
	compat   []uint64 // len(nodes) rows of words bits: compat[a] has b when a, b may both be chosen
	days     int
	venues   []string
	gap      []int64 // venues×venues: nanoseconds needed between two sessions of one day
	minutes  []int   // venues×venues: travel minutes, the objective's third level
}

// allDaySpan is how far an all-day session reaches before and after any
// session of its day, in nanoseconds: far beyond any gap, and far from
// overflowing when a gap is added.
const allDaySpan = int64(1) << 62

// maxGap caps the time needed between two sessions, so that sums cannot
// overflow: nothing on one day is 50 days apart.
const maxGap = int64(50 * 24 * time.Hour)

func newProblem(reqs []request, sessions []catalog.Session, opts Options) *problem {
	p := &problem{opts: opts, sessions: sessions, reqs: reqs}
	p.candidates()

	dayIdx := map[[3]int]int{}
	venueIdx := map[string]int{}
	for ri := range p.reqs {
		r := &p.reqs[ri]
		if len(r.nodes) > 0 {
			p.solvable = append(p.solvable, ri)
		}
		for _, ni := range r.nodes {
			n := &p.nodes[ni]
			s := &sessions[n.sess]
			k := p.opts.day(s.Start)
			if _, ok := dayIdx[k]; !ok {
				dayIdx[k] = len(dayIdx)
			}
			n.slot = slotOf(s, dayIdx[k])
			if _, ok := venueIdx[s.Venue]; !ok {
				venueIdx[s.Venue] = len(p.venues)
				p.venues = append(p.venues, s.Venue)
			}
			n.venue = venueIdx[s.Venue]
		}
	}
	p.days = len(dayIdx)
	p.markKept()
	p.travelTable()
	p.ranks()
	p.compatibility()
	return p
}

// candidates finds the sessions each request names and makes the timed ones
// nodes, the nodes of a request together and sorted by start.
func (p *problem) candidates() {
	byBase := make(map[string][]int, len(p.reqs))
	var filter baseFilter
	for ri, r := range p.reqs {
		byBase[r.code.Base] = append(byBase[r.code.Base], ri)
		filter.add(r.code.Base)
	}
	matches := make([][]int, len(p.reqs))
	for si := range p.sessions {
		s := &p.sessions[si]
		if s.Embargoed {
			continue
		}
		base, canonical := baseOf(s.Code)
		if canonical && !filter.has(base) {
			continue // the common case: a session nobody asked for
		}
		full, err := catalog.ParseCode(s.Code)
		if err != nil {
			continue
		}
		for _, ri := range byBase[full.Base] {
			if r := &p.reqs[ri]; r.code.Matches(full) && (!r.exact || r.code == full) {
				matches[ri] = append(matches[ri], si)
			}
		}
	}
	total := 0
	for _, m := range matches {
		total += len(m)
	}
	p.nodes = make([]node, 0, total)
	for ri := range p.reqs {
		r := &p.reqs[ri]
		r.found = len(matches[ri]) > 0
		timed := make([]int, 0, len(matches[ri]))
		for _, si := range matches[ri] {
			if p.sessions[si].Scheduled() {
				timed = append(timed, si)
			}
		}
		slices.SortFunc(timed, p.bySessionStart)
		for _, si := range timed {
			r.nodes = append(r.nodes, len(p.nodes))
			p.nodes = append(p.nodes, node{req: ri, sess: si})
		}
	}
	p.words = (len(p.nodes) + 63) / 64
}

// baseOf returns the part of a session code before its dash, and whether
// that is already canonical (upper-case letters and digits only).
func baseOf(code string) (string, bool) {
	for i := 0; i < len(code); i++ {
		switch c := code[i]; {
		case c == '-':
			return code[:i], true
		case c < '0' || c > 'Z' || (c > '9' && c < 'A'):
			return code, false
		}
	}
	return code, true
}

// baseFilter is a set of base codes that may answer "maybe" for codes not
// in it, but never "no" for one in it: a cheap first test before parsing.
type baseFilter [16]uint64

func (f *baseFilter) add(base string) { h := baseHash(base); f[h/64%16] |= 1 << (h % 64) }

func (f *baseFilter) has(base string) bool {
	h := baseHash(base)
	return f[h/64%16]&(1<<(h%64)) != 0
}

// baseHash is FNV-1a.
func baseHash(s string) uint32 {
	h := uint32(2166136261)
	for i := 0; i < len(s); i++ {
		h = (h ^ uint32(s[i])) * 16777619
	}
	return h
}

// bySessionStart orders sessions by start, end, code, then position.
func (p *problem) bySessionStart(a, b int) int {
	sa, sb := &p.sessions[a], &p.sessions[b]
	if c := sa.Start.Compare(sb.Start); c != 0 {
		return c
	}
	if c := sa.End.Compare(sb.End); c != 0 {
		return c
	}
	if c := strings.Compare(sa.Code, sb.Code); c != 0 {
		return c
	}
	return cmp.Compare(a, b)
}

// gap is the time needed between two sessions of one day at venues a and
// b, in nanoseconds (travel and Buffer, capped at maxGap), and the travel
// minutes counted for it.
func (o *Options) gap(a, b string) (gap int64, minutes int) {
	minutes, known := o.travelBetween(a, b)
	need := o.UnknownTravel
	if known {
		need = time.Duration(minutes) * time.Minute
	}
	return min(int64(need)+min(int64(o.Buffer), maxGap), maxGap), minutes
}

// travelTable fills the gap and minutes tables between the venues in play.
func (p *problem) travelTable() {
	v := len(p.venues)
	p.gap = make([]int64, v*v)
	p.minutes = make([]int, v*v)
	for i, a := range p.venues {
		for j, b := range p.venues {
			p.gap[i*v+j], p.minutes[i*v+j] = p.opts.gap(a, b)
		}
	}
}

// ranks numbers the nodes in the order (day, start, end, code, session): the
// order in which chosen sessions follow each other.
func (p *problem) ranks() {
	order := make([]int, len(p.nodes))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int {
		na, nb := &p.nodes[a], &p.nodes[b]
		if c := cmp.Compare(na.day, nb.day); c != 0 {
			return c
		}
		if c := cmp.Compare(na.start, nb.start); c != 0 {
			return c
		}
		if c := cmp.Compare(na.end, nb.end); c != 0 {
			return c
		}
		if c := strings.Compare(p.sessions[na.sess].Code, p.sessions[nb.sess].Code); c != 0 {
			return c
		}
		if c := cmp.Compare(na.sess, nb.sess); c != 0 {
			return c
		}
		return cmp.Compare(a, b)
	})
	for r, ni := range order {
		p.nodes[ni].rank = r
	}
}

// compatible reports whether nodes a and b may both be chosen: different
// sessions on different days, or on one day with enough time between them
// to travel and keep the buffer; an all-day session clashes with its day.
func (p *problem) compatible(a, b int) bool {
	na, nb := &p.nodes[a], &p.nodes[b]
	if na.sess == nb.sess {
		return false
	}
	return apart(&na.slot, &nb.slot, p.gap[na.venue*len(p.venues)+nb.venue])
}

func (p *problem) compatibility() {
	n := len(p.nodes)
	p.compat = make([]uint64, n*p.words)
	for a := range n {
		for b := a + 1; b < n; b++ {
			if p.compatible(a, b) {
				p.compat[a*p.words+b/64] |= 1 << (b % 64)
				p.compat[b*p.words+a/64] |= 1 << (a % 64)
			}
		}
	}
}

func (p *problem) row(a int) []uint64 { return p.compat[a*p.words : (a+1)*p.words] }

// travel is the objective's third level for the chosen nodes: travel
// minutes summed over consecutive sessions of a day. It sorts chosen.
func (p *problem) travel(chosen []int, table []int) int {
	slices.SortFunc(chosen, func(a, b int) int { return cmp.Compare(p.nodes[a].rank, p.nodes[b].rank) })
	v, t := len(p.venues), 0
	for i := 1; i < len(chosen); i++ {
		a, b := &p.nodes[chosen[i-1]], &p.nodes[chosen[i]]
		if a.day == b.day {
			t += table[a.venue*v+b.venue]
		}
	}
	return t
}

// result explains the schedule best (per request, its chosen node or -1).
func (p *problem) result(best []int, optimal bool) *Result {
	res := &Result{
		Requested:   make([]string, len(p.reqs)),
		Scheduled:   []Choice{},
		Unscheduled: []Unscheduled{},
		NotFound:    []string{},
		Optimal:     optimal,
	}
	var chosen []int
	for ri, r := range p.reqs {
		res.Requested[ri] = r.code.String()
		if best != nil && best[ri] >= 0 {
			chosen = append(chosen, best[ri])
		}
	}
	res.TravelMinutes = p.travel(chosen, p.minutes)
	for ri, r := range p.reqs {
		code := r.code.String()
		switch {
		case !r.found:
			res.NotFound = append(res.NotFound, code)
		case len(r.nodes) == 0:
			res.Unscheduled = append(res.Unscheduled, Unscheduled{Code: code, Reason: ReasonNoTime, BlockedBy: []string{}})
		case best == nil || best[ri] < 0:
			res.Unscheduled = append(res.Unscheduled, Unscheduled{Code: code, Reason: ReasonConflict, BlockedBy: p.blockedBy(ri, chosen)})
		default:
			x := best[ri]
			res.Scheduled = append(res.Scheduled, Choice{Code: code, Session: p.sessions[p.nodes[x].sess], Alternates: p.alternates(x, chosen), Kept: p.nodes[x].kept})
		}
	}
	sortChoices(res.Scheduled)
	SetLegs(res.Scheduled, p.opts)
	return res
}

// alternates are the full codes of the other instances of x's request that
// are compatible with every chosen node but x, in order of start.
func (p *problem) alternates(x int, chosen []int) []string {
	alt := []string{}
	own := p.sessions[p.nodes[x].sess].Code
next:
	for _, y := range p.reqs[p.nodes[x].req].nodes {
		code := p.sessions[p.nodes[y].sess].Code
		if y == x || code == own || slices.Contains(alt, code) {
			continue
		}
		for _, z := range chosen {
			if z != x && !has(p.row(y), z) {
				continue next
			}
		}
		alt = append(alt, code)
	}
	return alt
}

// blockedBy are the full codes of the chosen nodes that clash with some
// instance of request ri, sorted.
func (p *problem) blockedBy(ri int, chosen []int) []string {
	by := []string{}
	for _, z := range chosen {
		for _, y := range p.reqs[ri].nodes {
			if !has(p.row(y), z) {
				by = append(by, p.sessions[p.nodes[z].sess].Code)
				break
			}
		}
	}
	slices.Sort(by)
	return slices.Compact(by)
}

func has(set []uint64, i int) bool { return set[i/64]&(1<<(i%64)) != 0 }
