// Package lpcheck cross-checks the schedule solver against a general MILP
// solver: it models a planning problem as CPLEX LP files, solves the
// schedule's objective (codes, priority, travel, then the instances kept)
// with cbc in stages, and compares.
//
// The model is built from docs/schedule.md directly, not from the solver's internals,
// so that a mistake in one shows up as a disagreement with the other.
package lpcheck

import (
	"cmp"
	"fmt"
	"math/bits"
	"slices"
	"strings"
	"time"

	"github.com/reinvent-cli/reinvent/pkg/catalog"
	"github.com/reinvent-cli/reinvent/pkg/schedule"
)

// Model is a planning problem as a 0-1 program: one binary x variable per
// requested code and timed candidate instance.
type Model struct {
	// Codes are the requested codes after de-duplication, canonical and in
	// priority order, as schedule.Result.Requested has them.
	Codes []string
	// Vars are the x variables, the candidates of each code together and
	// in catalog order.
	Vars []Var
	// ByCode lists, per code, its variables.
	ByCode [][]int
	// Conflicts are the pairs of variables of different codes that may not
	// both be chosen (a < b). Two variables of one code never are, by the
	// code's at-most-one row.
	Conflicts [][2]int
	// Pairs are the ordered pairs (a before b, same day, compatible,
	// different codes) with the travel minutes from a to b: the arcs of
	// the travel part of the objective.
	Pairs []Pair

	order []int // the variables by rank: day, start, end, session code, session
	rank  []int // per variable, its position in order
}

// Var is one requested code's candidate instance.
type Var struct {
	Name    string // LP name, "x" and its index
	Code    int    // index into Model.Codes
	Session int    // index into the sessions given to WriteLP
	Full    string // the session's full code, e.g. ARC302-R1
	Day     int    // index of its calendar day in the options' zone
	Venue   string
	Start   time.Time
	End     time.Time // never before Start; Start when the session has no end
	AllDay  bool
	// Kept reports whether the options' Keep names the session's full
	// code: choosing it keeps an instance of the previous plan.
	Kept bool

	raw string // the full code as the catalog spells it, for ordering ties
}

// Pair is two variables that may follow each other on one day.
type Pair struct {
	A, B    int // variables, A ranked before B
	Minutes int // travel minutes from A's venue to B's
}

// NewModel builds the model of planning codes (priority order) from
// sessions with opts, following docs/schedule.md: codes are de-duplicated (first
// mention wins, and codes of one base code are one request); embargoed and
// untimed sessions are never candidates; two instances are compatible when
// they are different sessions on different days, or on one day neither is
// all-day and the later starts at least travel + buffer after the earlier
// ends. An instance is kept when opts.Keep has its full code, in any case.
func NewModel(codes []string, sessions []catalog.Session, opts schedule.Options) (*Model, error) {
	if opts.Buffer < 0 || opts.UnknownTravel < 0 {
		return nil, fmt.Errorf("negative buffer or unknown travel")
	}
	m := &Model{}
	var reqs []catalog.Code
	seen := map[string]bool{}
	for _, s := range codes {
		c, err := catalog.ParseCode(s)
		if err != nil {
			return nil, err
		}
		if seen[c.Base] {
			continue
		}
		seen[c.Base] = true
		reqs = append(reqs, c)
		m.Codes = append(m.Codes, c.String())
	}
	keep := map[string]bool{}
	for _, c := range opts.Keep {
		keep[strings.ToUpper(strings.TrimSpace(c))] = true
	}
	m.ByCode = make([][]int, len(reqs))
	days := map[[3]int]int{}
	for ci, rc := range reqs {
		for si := range sessions {
			s := &sessions[si]
			full, err := catalog.ParseCode(s.Code)
			if err != nil || s.Embargoed || s.Start.IsZero() || !rc.Matches(full) {
				continue
			}
			st := s.Start
			if opts.Location != nil {
				st = st.In(opts.Location)
			}
			y, mo, d := st.Date()
			k := [3]int{y, int(mo), d}
			if _, ok := days[k]; !ok {
				days[k] = len(days)
			}
			end := s.Start
			if s.End.After(s.Start) {
				end = s.End
			}
			v := Var{
				Name: fmt.Sprintf("x%d", len(m.Vars)), Code: ci, Session: si, Full: full.String(),
				Day: days[k], Venue: s.Venue, Start: s.Start, End: end, AllDay: s.AllDay, raw: s.Code,
				Kept: keep[full.String()],
			}
			m.ByCode[ci] = append(m.ByCode[ci], len(m.Vars))
			m.Vars = append(m.Vars, v)
		}
	}
	m.ranks()
	tr := travel{opts: opts}
	for a := range m.Vars {
		for b := a + 1; b < len(m.Vars); b++ {
			va, vb := &m.Vars[a], &m.Vars[b]
			if va.Code == vb.Code {
				continue
			}
			if !tr.compatible(va, vb) {
				m.Conflicts = append(m.Conflicts, [2]int{a, b})
				continue
			}
			if va.Day != vb.Day {
				continue
			}
			first, second := a, b
			if m.rank[b] < m.rank[a] {
				first, second = b, a
			}
			m.Pairs = append(m.Pairs, Pair{A: first, B: second, Minutes: tr.minutes(m.Vars[first].Venue, m.Vars[second].Venue)})
		}
	}
	return m, nil
}

// ranks orders the variables as chosen sessions follow each other: by day,
// start, end, full code, then position in the catalog.
func (m *Model) ranks() {
	m.order = make([]int, len(m.Vars))
	for i := range m.order {
		m.order[i] = i
	}
	slices.SortStableFunc(m.order, func(a, b int) int {
		va, vb := &m.Vars[a], &m.Vars[b]
		return cmp.Or(cmp.Compare(va.Day, vb.Day), va.sortStart().Compare(vb.sortStart()),
			va.sortEnd().Compare(vb.sortEnd()), strings.Compare(va.raw, vb.raw), cmp.Compare(va.Session, vb.Session))
	})
	m.rank = make([]int, len(m.Vars))
	for r, v := range m.order {
		m.rank[v] = r
	}
}

// sortStart and sortEnd place an all-day session around its whole day; it
// clashes with everything on it, so only its place among other all-day
// sessions matters, and that never decides travel.
func (v *Var) sortStart() time.Time {
	if v.AllDay {
		return time.Time{}
	}
	return v.Start
}

func (v *Var) sortEnd() time.Time {
	if v.AllDay {
		return time.Unix(1<<62, 0)
	}
	return v.End
}

// travel applies the options' travel table, buffer and unknown travel.
type travel struct{ opts schedule.Options }

// known returns the table's minutes between two venues, if it knows them.
func (t travel) known(a, b string) (int, bool) {
	if a == "" || b == "" {
		return 0, false
	}
	m, ok := t.opts.Travel.Minutes(a, b)
	return max(m, 0), ok
}

// minutes is the objective's cost of going from venue a to venue b.
func (t travel) minutes(a, b string) int {
	if m, ok := t.known(a, b); ok {
		return m
	}
	return int(t.opts.UnknownTravel.Round(time.Minute) / time.Minute)
}

// gap is the time needed between the end of a session at a and the start of
// one at b on the same day.
func (t travel) gap(a, b string) time.Duration {
	g := t.opts.UnknownTravel
	if m, ok := t.known(a, b); ok {
		g = time.Duration(m) * time.Minute
	}
	return g + t.opts.Buffer
}

func (t travel) compatible(a, b *Var) bool {
	if a.Session == b.Session {
		return false
	}
	if a.Day != b.Day {
		return true
	}
	if a.AllDay || b.AllDay {
		return false
	}
	g := t.gap(a.Venue, b.Venue)
	return b.Start.Sub(a.End) >= g || a.Start.Sub(b.End) >= g
}

// Feasible reports why chosen (variables) is not a schedule, or "" when it
// is: at most one per code and no conflicting pair.
func (m *Model) Feasible(chosen []int) string {
	perCode := map[int]int{}
	for _, v := range chosen {
		perCode[m.Vars[v].Code]++
		if perCode[m.Vars[v].Code] > 1 {
			return "two instances of " + m.Codes[m.Vars[v].Code]
		}
	}
	in := map[int]bool{}
	for _, v := range chosen {
		in[v] = true
	}
	for _, c := range m.Conflicts {
		if in[c[0]] && in[c[1]] {
			return fmt.Sprintf("%s (%s) and %s (%s) clash", m.Vars[c[0]].Full, m.Codes[m.Vars[c[0]].Code],
				m.Vars[c[1]].Full, m.Codes[m.Vars[c[1]].Code])
		}
	}
	return ""
}

// Travel is the objective's third level for chosen (variables): travel
// minutes summed over consecutive chosen sessions of a day.
func (m *Model) Travel(chosen []int) int {
	c := slices.Clone(chosen)
	slices.SortFunc(c, func(a, b int) int { return cmp.Compare(m.rank[a], m.rank[b]) })
	minutes := map[[2]int]int{}
	for _, p := range m.Pairs {
		minutes[[2]int{p.A, p.B}] = p.Minutes
	}
	t := 0
	for i := 1; i < len(c); i++ {
		if m.Vars[c[i-1]].Day == m.Vars[c[i]].Day {
			t += minutes[[2]int{c[i-1], c[i]}]
		}
	}
	return t
}

// Kept is the objective's last level for chosen (variables): how many of
// them are kept.
func (m *Model) Kept(chosen []int) int {
	n := 0
	for _, v := range chosen {
		if m.Vars[v].Kept {
			n++
		}
	}
	return n
}

// Lookup returns the variable of requested code (canonical) whose session
// is s (same full code, start, end and venue), or -1.
func (m *Model) Lookup(code string, s *catalog.Session) int {
	ci := slices.Index(m.Codes, code)
	if ci < 0 {
		return -1
	}
	for _, v := range m.ByCode[ci] {
		if m.Vars[v].raw == s.Code && m.Vars[v].Start.Equal(s.Start) && m.Vars[v].Venue == s.Venue &&
			m.Vars[v].AllDay == s.AllDay {
			return v
		}
	}
	return -1
}

// Cliques covers the exclusions of the model (two instances of one code,
// or a clashing pair) with cliques: sets of variables of which at most one
// may be chosen. Each clash is in at least one clique; a code's instances
// may be split over several. The cover is greedy: from each clash not yet
// covered it grows a clique by the candidate adjacent to most others.
func (m *Model) Cliques() [][]int {
	n := len(m.Vars)
	words := (n + 63) / 64
	adj := make([]uint64, n*words)
	set := func(a, b int) {
		adj[a*words+b/64] |= 1 << (b % 64)
		adj[b*words+a/64] |= 1 << (a % 64)
	}
	for _, vs := range m.ByCode {
		for i, a := range vs {
			for _, b := range vs[i+1:] {
				set(a, b)
			}
		}
	}
	for _, c := range m.Conflicts {
		set(c[0], c[1])
	}
	row := func(a int) []uint64 { return adj[a*words : (a+1)*words] }
	covered := map[[2]int]bool{}
	var cliques [][]int
	cand := make([]uint64, words)
	for _, e := range m.Conflicts {
		if covered[e] {
			continue
		}
		clique := []int{e[0], e[1]}
		for w := range cand {
			cand[w] = row(e[0])[w] & row(e[1])[w]
		}
		for {
			best, bestDeg := -1, -1
			for w, set := range cand {
				for set != 0 {
					v := w*64 + bits.TrailingZeros64(set)
					set &= set - 1
					deg := 0
					for w2, r := range row(v) {
						deg += bits.OnesCount64(r & cand[w2])
					}
					if deg > bestDeg {
						best, bestDeg = v, deg
					}
				}
			}
			if best < 0 {
				break
			}
			clique = append(clique, best)
			for w := range cand {
				cand[w] &= row(best)[w]
			}
		}
		slices.Sort(clique)
		for i, a := range clique {
			for _, b := range clique[i+1:] {
				covered[[2]int{a, b}] = true
			}
		}
		cliques = append(cliques, clique)
	}
	return cliques
}
