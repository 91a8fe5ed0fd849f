package schedule

import "slices"

// Step 3: the codes of the witness are fixed; choose their instances for
// the fewest travel minutes, then the most kept: the least cost, weight ×
// travel + misses (keep.go; with nothing to keep, the travel). The search
// branches on the code with the fewest alive instances among those whose
// instances lie on several days, and prunes a node when a lower bound on
// the cost of its completions is not below the witness's:
//
//   - the cost of the chosen nodes with the travel measured by the
//     shortest-path closure of the table: putting sessions between two
//     consecutive ones never shortens the way between them in the closure,
//     and never takes a miss away;
//   - per day, the least such cost of the chosen nodes and one instance of
//     each code whose alive instances are all on that day (the days are
//     independent, and the other codes only add sessions);
//   - the chain relaxation with a reward per code (any sign) for each of
//     its instances a chain takes, less the rewards: since a schedule takes
//     each code once, for any rewards this is at most its cost.
//
// A code with one alive instance left takes it at once (propagate). Once
// every open code has its instances on one day, the days are solved one by
// one (byDay) if that is small enough, else the search goes on.

// Bounds on the work of one exhaustive look at the days, in steps: to
// finish a node, and for a lower bound at every node.
const (
	dayBudget   = 4096
	boundBudget = 256
)

func (s *solver) shortest() {
	s.cost = s.improve(s.witness, s.cost)
	if s.cost == 0 {
		return
	}
	s.forced = make([]bool, s.r)
	for k := range s.r {
		s.chosen[k], s.status[k] = -1, out
		if s.witness[k] >= 0 {
			s.status[k], s.forced[k] = open, true
		}
	}
	s.fill(s.alive[0])
	clear(s.mult[0])
	s.shortestAt(0, s.alive[0], 0)
}

func (s *solver) shortestAt(depth int, alive []uint64, chosen int) {
	if s.tick() {
		return
	}
	defer s.undo(depth)
	if alive, chosen = s.propagate(depth, alive, chosen); alive == nil {
		return
	}
	avail, mask := s.avail[depth], s.mask[depth]
	copy(mask, alive)
	left := 0
	for k := range s.r {
		avail[k] = 0
		if s.status[k] != open {
			clearRange(mask, s.lo[k], s.hi[k])
			if s.chosen[k] >= 0 {
				setBit(mask, s.chosen[k])
			}
			continue
		}
		avail[k] = countIn(alive, s.lo[k], s.hi[k])
		left++
	}
	if left == 0 {
		if t := s.costOf(s.nodesOf(s.chosen), s.weighted); t < s.cost {
			s.cost = t
			copy(s.witness, s.chosen)
		}
		return
	}
	if s.costOf(s.nodesOf(s.chosen), s.closure) >= s.cost {
		return
	}
	k := -1 // the code to branch on
	for j := range s.r {
		if avail[j] > 0 && s.spread(alive, j) && (k < 0 || avail[j] < avail[k]) {
			k = j
		}
	}
	if k < 0 {
		if s.byDay(depth, alive) {
			return
		}
		for j := range s.r {
			if avail[j] > 0 && (k < 0 || avail[j] < avail[k]) {
				k = j
			}
		}
	} else if s.days(depth, alive, s.closure, s.cost, boundBudget) == none {
		return
	}
	iters := nodeSteps
	if depth == 0 {
		iters = rootSteps
	}
	if !s.travelBound(depth, alive, chosen, iters) {
		return
	}
	kids := s.children(depth, k, alive)
	s.status[k] = in
	for _, n := range kids {
		and(s.alive[depth+1], alive, s.p.row(n))
		copy(s.mult[depth+1], s.mult[depth])
		s.chosen[k] = n
		s.shortestAt(depth+1, s.alive[depth+1], chosen+1)
		if s.stopped {
			return
		}
	}
	s.chosen[k], s.status[k] = -1, open
}

// spread reports whether code k has alive instances on more than one day.
func (s *solver) spread(alive []uint64, k int) bool {
	day := -1
	for n := s.lo[k]; n < s.hi[k]; n++ {
		if has(alive, n) {
			if d := s.p.nodes[n].day; day < 0 {
				day = d
			} else if d != day {
				return true
			}
		}
	}
	return false
}

// byDay finishes a node whose open codes each have their alive instances
// on one day, solving the days one by one; it reports false, having done
// nothing, when that takes more than dayBudget steps.
func (s *solver) byDay(depth int, alive []uint64) bool {
	copy(s.pick, s.chosen)
	switch s.days(depth, alive, s.weighted, s.cost, dayBudget) {
	case none:
		return true
	case unknown:
		return false
	}
	s.cost = s.costOf(s.nodesOf(s.pick), s.weighted)
	copy(s.witness, s.pick)
	return true
}

// Results of days and bestDay besides a cost.
const (
	none    = -1 // nothing fits below the cutoff
	unknown = -2 // the budget ran out
)

// days solves every day on its own: the chosen nodes of the day and one
// alive instance for each open code whose alive instances are all on that
// day (the other codes are left out), for the least cost by table. It
// returns the sum over days if that is below cutoff (leaving the instances
// in s.pick), none if it is not, or unknown when that takes more than
// budget steps. The days with fewer codes go first, so that the larger
// ones can stop at the cutoff less what the others need.
func (s *solver) days(depth int, alive []uint64, table []int, cutoff, budget int) int {
	avail := s.avail[depth]
	codes := s.kids[depth][:0]
	perDay := make([]int, s.p.days)
	day := func(k int) int { return s.p.nodes[s.firstIn(alive, k)].day }
	for k := range s.r {
		if avail[k] > 0 && !s.spread(alive, k) {
			codes = append(codes, k)
			perDay[day(k)]++
		}
	}
	slices.SortStableFunc(codes, func(a, b int) int {
		da, db := day(a), day(b)
		if c := perDay[da] - perDay[db]; c != 0 {
			return c
		}
		if da != db {
			return da - db
		}
		return avail[a] - avail[b]
	})
	s.kids[depth] = codes
	total := 0
	solved := make([]bool, s.p.days)
	for len(codes) > 0 {
		d, n := day(codes[0]), 1
		for n < len(codes) && day(codes[n]) == d {
			n++
		}
		t := s.bestDay(d, codes[:n], alive, table, cutoff-total, &budget)
		if t < 0 {
			return t
		}
		total += t
		solved[d] = true
		codes = codes[n:]
	}
	for d := range s.p.days { // the days with chosen nodes only
		if !solved[d] {
			total += s.bestDay(d, nil, alive, table, inf32, &budget)
		}
	}
	if total >= cutoff {
		return none
	}
	return total
}

// inf32 is a cutoff nothing reaches.
const inf32 = 1 << 31

func (s *solver) firstIn(alive []uint64, k int) int {
	for n := s.lo[k]; n < s.hi[k]; n++ {
		if has(alive, n) {
			return n
		}
	}
	return -1
}

// bestDay chooses, in s.pick, the instances of codes (all on day d) for
// the least cost by table on day d, by exhaustive search. It returns
// the cost if it is below cutoff, none if not (or if the codes do
// not fit), or unknown when that takes more steps than are left in the
// budget.
func (s *solver) bestDay(d int, codes []int, alive []uint64, table []int, cutoff int, budget *int) int {
	var fixed []int
	for _, n := range s.chosen {
		if n >= 0 && s.p.nodes[n].day == d {
			fixed = append(fixed, n)
		}
	}
	if len(codes) == 0 {
		return s.costOf(fixed, table)
	}
	set := make([]int, 0, len(fixed)+len(codes))
	picks := make([]int, len(codes))
	best, bestPicks := cutoff, make([]int, len(codes))
	bufs := make([]uint64, (len(codes)+1)*s.p.words)
	var walk func(i int, cur []uint64) bool
	walk = func(i int, cur []uint64) bool {
		if *budget--; *budget < 0 {
			return false
		}
		set = append(append(set[:0], fixed...), picks[:i]...) // travel sorts set
		if i == len(codes) {
			if t := s.costOf(set, table); t < best {
				best = t
				copy(bestPicks, picks)
			}
			return true
		}
		if s.costOf(set, s.closure) >= best {
			return true
		}
		next := bufs[(i+1)*s.p.words : (i+2)*s.p.words]
		for n := s.lo[codes[i]]; n < s.hi[codes[i]]; n++ {
			if has(cur, n) {
				and(next, cur, s.p.row(n))
				picks[i] = n
				if !walk(i+1, next) {
					return false
				}
			}
		}
		return true
	}
	switch {
	case !walk(0, alive):
		return unknown
	case best >= cutoff:
		return none
	}
	for i, k := range codes {
		s.pick[k] = bestPicks[i]
	}
	return best
}

// improve moves one session of choice (a complete schedule of cost t) at a
// time to another instance of its code while that lowers the cost, and
// returns the cost it ends with.
func (s *solver) improve(choice []int, t int) int {
	for {
		bestK, bestN, bestT := -1, -1, t
		for k, x := range choice {
			if x < 0 {
				continue
			}
		next:
			for n := s.lo[k]; n < s.hi[k]; n++ {
				if n == x {
					continue
				}
				for j, y := range choice {
					if j != k && y >= 0 && !has(s.p.row(n), y) {
						continue next
					}
				}
				choice[k] = n
				if t := s.costOf(s.nodesOf(choice), s.weighted); t < bestT {
					bestK, bestN, bestT = k, n, t
				}
				choice[k] = x
			}
		}
		if bestK < 0 {
			return t
		}
		choice[bestK], t = bestN, bestT
	}
}

// travelRepair turns the last chains into a schedule of the node: their
// nodes where they fit, then for each code left the instance that adds the
// least cost, then improve. If that costs less than the witness, it
// becomes the witness.
func (s *solver) travelRepair(alive []uint64) {
	cur := s.scratch
	copy(cur, alive)
	copy(s.pick, s.chosen)
	take := func(n int) {
		s.pick[s.of[n]] = n
		and(cur, cur, s.p.row(n))
	}
	for _, n := range s.x.used {
		if k := s.of[n]; s.status[k] == open && s.pick[k] < 0 && has(cur, n) {
			take(n)
		}
	}
	for k := range s.r {
		if s.status[k] != open || s.pick[k] >= 0 {
			continue
		}
		best, bestT := -1, 0
		for n := s.lo[k]; n < s.hi[k]; n++ {
			if has(cur, n) {
				s.pick[k] = n
				if t := s.costOf(s.nodesOf(s.pick), s.weighted); best < 0 || t < bestT {
					best, bestT = n, t
				}
			}
		}
		if best < 0 {
			return
		}
		take(best)
	}
	if t := s.improve(s.pick, s.costOf(s.nodesOf(s.pick), s.weighted)); t < s.cost {
		s.cost = t
		copy(s.witness, s.pick)
	}
}

// travelBound tunes the node's multipliers (a reward per code, of any
// sign) for a few steps and reports whether the relaxation still allows a
// lower cost than the witness's: a chain pays weight per travel minute and
// a node's miss (keep.go). Chosen nodes are worth so much (heavy) that
// every best chain takes them all: leaving one out saves at most twice the
// longest travel, in cost, and its miss. At the root, the chains are also
// turned into schedules now and then (travelRepair), for a good witness
// early.
func (s *solver) travelBound(depth int, alive []uint64, chosen, iters int) bool {
	mult, avail, mask := s.mult[depth], s.avail[depth], s.mask[depth]
	theta, best, stall, prev := 1.0, -inf, 0, 0.0
	s.x.prepare(mask)
	for it := range iters {
		sum := 0.0
		for k := range s.r {
			if avail[k] > 0 {
				sum += mult[k]
				for n := s.lo[k]; n < s.hi[k]; n++ {
					s.val[n] = mult[k] - s.missOf(n)
				}
			} else if n := s.chosen[k]; n >= 0 {
				s.val[n] = s.heavy - s.missOf(n)
			}
		}
		lb := sum - (s.x.chains(s.val, float64(s.weight)) - s.heavy*float64(chosen))
		if lb > float64(s.cost-1)+eps {
			return false
		}
		if depth == 0 && it%10 == 9 {
			s.travelRepair(alive)
		}
		if depth > 0 && it > 0 && lb-prev < 0.05*(float64(s.cost-1)-lb) {
			break // not closing in on the witness: branch instead
		}
		prev = lb
		if lb > best+eps {
			best, stall = lb, 0
		} else if stall++; stall >= 2 {
			theta, stall = theta/2, 0
		}
		norm := s.gradient(avail, mult, false)
		if norm == 0 {
			break
		}
		step := theta * (float64(s.cost) - lb) / norm
		for k := range s.r {
			mult[k] += step * s.grad[k]
		}
	}
	return true
}
