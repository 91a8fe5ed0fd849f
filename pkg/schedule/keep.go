package schedule

import (
	"slices"

	"github.com/reinvent-cli/reinvent/pkg/catalog"
)

// The objective's last level: among the schedules equally good on every
// other level, the most chosen instances that Options.Keep names, so that a
// plan made again after a small change in the catalog changes only what it
// must (docs/schedule.md, "Keeping the previous plan").
//
// Levels 0 to 2 decide which codes are scheduled, so this level, like
// travel, only chooses the instances of codes already decided: it is a
// second key of step 3. Step 3 minimizes one integer, the cost
//
//	cost = weight × travel + missed
//
// where missed counts the chosen instances that are not kept although their
// code has an instance in Keep, and weight is one more than the number of
// codes with an instance in Keep. With the codes fixed, missed is that
// number less the instances kept, and it is less than weight, so the least
// cost is the least travel and, among the schedules of that travel, the
// most kept: exactly the two levels in order. Both parts only grow as
// sessions are added, so every lower bound of the travel search, measured
// in cost (the travel tables times weight, a session's miss added to its
// value), stays a lower bound. With Keep empty, weight is 1 and missed 0:
// the cost is the travel, and the search is what it was.

// keepSet is Options.Keep as a set of canonical full codes; a code that does
// not parse names no session and is left out.
func keepSet(codes []string) map[catalog.Code]bool {
	if len(codes) == 0 {
		return nil
	}
	set := make(map[catalog.Code]bool, len(codes))
	for _, s := range codes {
		if c, err := catalog.ParseCode(s); err == nil {
			set[c] = true
		}
	}
	return set
}

// kept reports whether keep names the session's full code.
func kept(keep map[catalog.Code]bool, s *catalog.Session) bool {
	if len(keep) == 0 {
		return false
	}
	c, err := catalog.ParseCode(s.Code)
	return err == nil && keep[c]
}

// markKept marks the nodes whose session Options.Keep names.
func (p *problem) markKept() {
	keep := keepSet(p.opts.Keep)
	if len(keep) == 0 {
		return
	}
	for i := range p.nodes {
		p.nodes[i].kept = kept(keep, &p.sessions[p.nodes[i].sess])
	}
}

// weigh sets up step 3's cost: the weight of a travel minute, the miss of
// each node, and the travel tables in cost.
func (s *solver) weigh() {
	s.weight = 1
	for _, ri := range s.p.solvable {
		ns := s.p.reqs[ri].nodes
		if !slices.ContainsFunc(ns, func(n int) bool { return s.p.nodes[n].kept }) {
			continue
		}
		s.weight++
		if s.miss == nil {
			s.miss = make([]int, len(s.p.nodes))
		}
		for _, n := range ns {
			if !s.p.nodes[n].kept {
				s.miss[n] = 1
			}
		}
	}
	s.weighted = s.p.minutes
	if s.weight > 1 {
		s.weighted = make([]int, len(s.p.minutes))
		for i, m := range s.p.minutes {
			s.weighted[i] = s.weight * m
		}
	}
	s.closure = closure(s.weighted, len(s.p.venues))
}

// costOf is step 3's cost of nodes, with the travel measured by table (in
// cost: s.weighted or s.closure). It sorts nodes.
func (s *solver) costOf(nodes []int, table []int) int {
	c := s.p.travel(nodes, table)
	if s.miss != nil {
		for _, n := range nodes {
			c += s.miss[n]
		}
	}
	return c
}

// missOf is node n's miss as a value of the chain relaxation.
func (s *solver) missOf(n int) float64 {
	if s.miss == nil {
		return 0
	}
	return float64(s.miss[n])
}
