package schedule

import "time"

// The search settles the objective one level at a time, each level exactly.
//
//  0. Held codes (Options.Fixed), when there are any: steps 1 and 2 below
//     on the held codes alone, every other code left out. The held codes
//     kept join F and the others E before step 1 starts, so no later step
//     can trade a held seat for other codes.
//  1. Count. Starting from a greedy schedule, ask for a schedule with one
//     more code until the answer is no: K, the most codes that fit.
//  2. Priority. Walk the codes in priority order, keeping a set F that
//     must be in and E that must stay out. Code k joins F if some schedule
//     of K codes contains F and k and avoids E, else it joins E. By
//     induction F and E agree with the lexicographically greatest
//     inclusion vector among the K-code schedules: if some K-code schedule
//     matching the decisions so far contains k, the best one does. The
//     question is not asked when the last schedule found already contains
//     k, nor once F has K codes.
//  3. Travel, then kept. With the codes fixed, choose their instances for
//     the fewest travel minutes and, of those, the most that Options.Keep
//     names: the least cost (see keep.go).
//
// Each question of 1 and 2 is a depth-first search that decides one code
// per level (an instance or left out; a code of F has no "left out", and
// takes at once its only instance left, if it comes to that) and stops at
// the first schedule that answers it. Step 3 is a branch and
// bound over the instances of the fixed codes. The bounds come from the
// chain relaxation (see relax): whatever the multipliers, the relaxation of
// a node is at least as good as any completion of it, so pruning a node
// whose relaxation cannot reach the goal never loses a schedule that
// would. The multipliers only make the bound tighter; they are tuned by a
// few subgradient steps per node, starting from the parent's.
//
// Between equal schedules the search order decides (the relaxation's
// choices first, then earlier instances), which is deterministic.
type solver struct {
	p  *problem
	x  *relax
	r  int   // codes searched: len(p.solvable), in priority order
	lo []int // the nodes of code k are lo[k] <= n < hi[k]
	hi []int
	of []int // node → its code

	witness []int // per code: the node chosen, or -1: the best schedule so far
	count   int   // codes in witness

	// The current search.
	need    int    // questions 1 and 2: schedules with this many codes
	forced  []bool // per code: must be in the schedule
	status  []int8 // per code: open, in or out
	chosen  []int  // per code: the node chosen at this point, or -1
	alive   [][]uint64
	work    [][]uint64 // per depth: alive after propagation
	units   [][]int    // per depth: the codes propagation chose
	mask    [][]uint64
	mult    [][]float64 // per depth: a multiplier per code
	avail   [][]int     // per depth: alive nodes per code
	kids    [][]int     // per depth: the nodes to branch on
	val     []float64   // scratch per node
	uses    []int       // scratch per code
	grad    []float64   // scratch per code
	scratch []uint64
	pick    []int
	nodeBuf []int

	// Step 3's cost (keep.go): weight × travel minutes + the misses of
	// the chosen nodes.
	weight   int
	miss     []int   // per node: 1 if not kept though its code has a kept node; nil when none has
	weighted []int   // venues×venues: travel minutes × weight
	closure  []int   // venues×venues: shortest-path closure of weighted
	heavy    float64 // the value that makes a chain take every chosen node
	cost     int     // the cost of witness

	now      func() time.Time
	deadline time.Time
	stopped  bool
}

const (
	open int8 = iota
	in
	out
)

// Subgradient steps per node of a search: more at the root, where the
// multipliers start from zero; a child starts from its parent's.
const (
	rootSteps = 30
	nodeSteps = 6
)

func newSolver(p *problem, now func() time.Time, limit time.Duration) *solver {
	r := len(p.solvable)
	s := &solver{
		p:        p,
		x:        newRelax(p),
		r:        r,
		lo:       make([]int, r),
		hi:       make([]int, r),
		of:       make([]int, len(p.nodes)),
		witness:  make([]int, r),
		forced:   make([]bool, r),
		status:   make([]int8, r),
		chosen:   make([]int, r),
		alive:    make([][]uint64, r+1),
		work:     make([][]uint64, r+1),
		units:    make([][]int, r+1),
		mask:     make([][]uint64, r+1),
		mult:     make([][]float64, r+1),
		avail:    make([][]int, r+1),
		kids:     make([][]int, r+1),
		val:      make([]float64, len(p.nodes)),
		uses:     make([]int, r),
		grad:     make([]float64, r),
		scratch:  make([]uint64, p.words),
		pick:     make([]int, r),
		now:      now,
		deadline: now().Add(limit),
	}
	for k, ri := range p.solvable {
		ns := p.reqs[ri].nodes
		s.lo[k], s.hi[k] = ns[0], ns[len(ns)-1]+1
		for _, n := range ns {
			s.of[n] = k
		}
		s.witness[k] = -1
	}
	words := make([]uint64, 3*(r+1)*p.words)
	floats := make([]float64, (r+1)*r)
	ints := make([]int, (r+1)*r)
	for d := range r + 1 {
		s.alive[d] = words[3*d*p.words : (3*d+1)*p.words]
		s.mask[d] = words[(3*d+1)*p.words : (3*d+2)*p.words]
		s.work[d] = words[(3*d+2)*p.words : (3*d+3)*p.words]
		s.mult[d] = floats[d*r : (d+1)*r]
		s.avail[d] = ints[d*r : (d+1)*r]
	}
	s.weigh()
	most := 0
	for _, m := range s.weighted {
		most = max(most, m)
	}
	// A chain that leaves a chosen node out saves at most 2×most and a
	// miss of at most 1 < weight: heavy is worth more.
	s.heavy = float64(2*most + s.weight)
	return s
}

// closure is the shortest-path closure (Floyd–Warshall) of a v×v table.
func closure(table []int, v int) []int {
	d := make([]int, len(table))
	copy(d, table)
	for k := range v {
		for i := range v {
			for j := range v {
				if d[i*v+k]+d[k*v+j] < d[i*v+j] {
					d[i*v+j] = d[i*v+k] + d[k*v+j]
				}
			}
		}
	}
	return d
}

// solve runs the three steps; when the time runs out, witness is the best
// schedule found and stopped is set.
func (s *solver) solve() {
	if s.r == 0 {
		return
	}
	forced, excluded := make([]bool, s.r), make([]bool, s.r)
	if held := s.held(); held > 0 {
		// Step 0: the same two steps over the held codes alone.
		others := make([]bool, s.r)
		for k := held; k < s.r; k++ {
			others[k] = true
		}
		s.greedy(others)
		s.most(forced, others)
		s.prefer(forced, others, held)
		for k := range held {
			excluded[k] = !forced[k]
		}
	}
	s.greedy(excluded)
	s.most(forced, excluded)
	s.prefer(forced, excluded, s.r)
	s.cost = s.costOf(s.nodesOf(s.witness), s.weighted)
	if !s.stopped {
		s.shortest()
	}
}

// held is how many codes, the first in priority order, are held
// (Options.Fixed).
func (s *solver) held() int {
	n := 0
	for n < s.r && s.p.reqs[s.p.solvable[n]].fixed {
		n++
	}
	return n
}

// most is step 1: it grows the witness, one code at a time, to the most
// codes a schedule that contains forced and avoids excluded can have.
func (s *solver) most(forced, excluded []bool) {
	for s.count < s.r && s.feasible(s.count+1, forced, excluded) {
	}
}

// prefer is step 2 over the first upto codes: each joins forced if some
// schedule of the witness's count keeps the decisions so far, else it
// joins excluded. Codes already decided stay as they are.
func (s *solver) prefer(forced, excluded []bool, upto int) {
	nf := 0
	for k := range upto {
		if forced[k] {
			nf++
		}
	}
	for k := 0; k < upto && nf < s.count && !s.stopped; k++ {
		if forced[k] || excluded[k] {
			continue
		}
		forced[k] = true
		if s.witness[k] >= 0 || s.feasible(s.count, forced, excluded) {
			nf++
			continue
		}
		forced[k], excluded[k] = false, true
	}
}

// greedy extends the witness: in priority order, every code it does not
// have and that is not excluded takes its first instance that fits.
func (s *solver) greedy(excluded []bool) {
	cur := s.scratch
	s.fill(cur)
	for k := range s.r {
		if n := s.witness[k]; n >= 0 {
			and(cur, cur, s.p.row(n))
		}
	}
	for k := range s.r {
		if s.witness[k] >= 0 || excluded[k] {
			continue
		}
		for n := s.lo[k]; n < s.hi[k]; n++ {
			if has(cur, n) {
				s.witness[k] = n
				s.count++
				and(cur, cur, s.p.row(n))
				break
			}
		}
	}
}

// tick reports whether the time is up, reading the clock.
func (s *solver) tick() bool {
	if !s.stopped && !s.now().Before(s.deadline) {
		s.stopped = true
	}
	return s.stopped
}

// fill sets every node in set.
func (s *solver) fill(set []uint64) {
	for i := range set {
		set[i] = ^uint64(0)
	}
	if n := len(s.p.nodes) % 64; n != 0 {
		set[len(set)-1] = 1<<n - 1
	}
}

// nodesOf lists the nodes of a per-code choice, in scratch space that the
// next call reuses.
func (s *solver) nodesOf(choice []int) []int {
	ns := s.nodeBuf[:0]
	for _, n := range choice {
		if n >= 0 {
			ns = append(ns, n)
		}
	}
	s.nodeBuf = ns
	return ns
}

// --- steps 1 and 2: is there a schedule of need codes containing forced
// and avoiding excluded? ---

// feasible answers the question; when the answer is yes, witness is the
// schedule found.
func (s *solver) feasible(need int, forced, excluded []bool) bool {
	s.need, s.forced = need, forced
	for k := range s.r {
		s.status[k], s.chosen[k] = open, -1
		if excluded[k] {
			s.status[k] = out
		}
	}
	s.fill(s.alive[0])
	clear(s.mult[0])
	return s.feasibleAt(0, s.alive[0], 0)
}

func (s *solver) feasibleAt(depth int, alive []uint64, count int) bool {
	if s.tick() {
		return false
	}
	defer s.undo(depth)
	if alive, count = s.propagate(depth, alive, count); alive == nil {
		return false
	}
	avail, mask := s.avail[depth], s.mask[depth]
	copy(mask, alive)
	codes, forcedLeft := 0, 0
	for k := range s.r {
		avail[k] = 0
		if s.status[k] != open {
			clearRange(mask, s.lo[k], s.hi[k])
			continue
		}
		if avail[k] = countIn(alive, s.lo[k], s.hi[k]); avail[k] == 0 {
			if s.forced[k] {
				return false
			}
			continue
		}
		codes++
		if s.forced[k] {
			forcedLeft++
		}
	}
	short := s.need - count
	if short <= 0 && forcedLeft == 0 {
		copy(s.witness, s.chosen)
		s.count = count
		return true
	}
	if codes < short {
		return false
	}
	iters := nodeSteps
	if depth == 0 {
		iters = rootSteps
	}
	if ok, found := s.countBound(depth, alive, count, short, forcedLeft, iters); found || !ok {
		return found
	}

	k := s.branchCode(depth, forcedLeft)
	kids := s.children(depth, k, alive)
	s.status[k] = in
	for _, n := range kids {
		and(s.alive[depth+1], alive, s.p.row(n))
		copy(s.mult[depth+1], s.mult[depth])
		s.chosen[k] = n
		if s.feasibleAt(depth+1, s.alive[depth+1], count+1) {
			return true
		}
		if s.stopped {
			return false
		}
	}
	s.chosen[k] = -1
	if !s.forced[k] {
		s.status[k] = out
		copy(s.mult[depth+1], s.mult[depth])
		if s.feasibleAt(depth+1, alive, count) {
			return true
		}
	}
	s.status[k] = open
	return false
}

// propagate chooses the only alive instance of every open forced code
// that has just one, until none has; it returns the nodes still alive (in
// the depth's own bitset) and the count of chosen codes, or nil when a
// forced code has no alive instance left. undo takes the choices back.
func (s *solver) propagate(depth int, alive []uint64, count int) ([]uint64, int) {
	work := s.work[depth]
	copy(work, alive)
	s.units[depth] = s.units[depth][:0]
	for again := true; again; {
		again = false
		for k := range s.r {
			if s.status[k] != open || !s.forced[k] {
				continue
			}
			switch countIn(work, s.lo[k], s.hi[k]) {
			case 0:
				return nil, 0
			case 1:
				n := s.firstIn(work, k)
				s.status[k], s.chosen[k] = in, n
				s.units[depth] = append(s.units[depth], k)
				and(work, work, s.p.row(n))
				count++
				again = true
			}
		}
	}
	return work, count
}

func (s *solver) undo(depth int) {
	for _, k := range s.units[depth] {
		s.status[k], s.chosen[k] = open, -1
	}
	s.units[depth] = s.units[depth][:0]
}

// countBound tunes the node's multipliers for a few steps and reports
// whether the relaxation still allows short more codes including the
// forcedLeft forced ones, or whether a schedule answering the question
// turned up on the way.
//
// A forced code weighs 2, any other 1, so a schedule that answers the
// question is worth at least short + forcedLeft. Any extra weight for the
// forced codes would be sound; one on the scale of the count keeps the
// subgradient steps well behaved (a weight of 60 made the stress requests
// ten times slower).
func (s *solver) countBound(depth int, alive []uint64, count, short, forcedLeft, iters int) (promising, found bool) {
	mult, avail, mask := s.mult[depth], s.avail[depth], s.mask[depth]
	weight := func(k int) float64 {
		if s.forced[k] {
			return 2
		}
		return 1
	}
	goal := float64(short + forcedLeft)
	theta, best, stall := 1.0, inf, 0
	s.x.prepare(mask)
	for it := range iters {
		sum := 0.0
		for k := range s.r {
			if avail[k] == 0 {
				continue
			}
			sum += mult[k]
			v := weight(k) - mult[k]
			for n := s.lo[k]; n < s.hi[k]; n++ {
				s.val[n] = v
			}
		}
		ub := sum + s.x.chains(s.val, 0)
		if ub < goal-eps {
			return false, false
		}
		if it%3 == 0 && s.repair(alive, count) {
			return true, true
		}
		if ub < best-eps {
			best, stall = ub, 0
		} else if stall++; stall >= 2 {
			theta, stall = theta/2, 0
		}
		norm := s.gradient(avail, mult, true)
		if norm == 0 {
			break
		}
		step := theta * (ub - goal + 1) / norm
		for k := range s.r {
			mult[k] = max(0, mult[k]-step*s.grad[k])
		}
	}
	return true, false
}

// gradient sets grad to 1 - the uses of each code with alive nodes in the
// last chains (with project, 0 where it would push a multiplier below
// zero) and returns its square norm.
func (s *solver) gradient(avail []int, mult []float64, project bool) float64 {
	clear(s.uses)
	for _, n := range s.x.used {
		s.uses[s.of[n]]++
	}
	norm := 0.0
	for k := range s.r {
		g := 0.0
		if avail[k] > 0 {
			g = float64(1 - s.uses[k])
			if project && g > 0 && mult[k] <= 0 {
				g = 0
			}
		}
		s.grad[k] = g
		norm += g * g
	}
	return norm
}

// repair turns the last chains into a schedule: their nodes where they
// fit (forced codes first), then the first instance that fits of every
// forced code, then of every other code in priority order. If the
// schedule answers the question, it becomes the witness.
func (s *solver) repair(alive []uint64, count int) bool {
	cur := s.scratch
	copy(cur, alive)
	copy(s.pick, s.chosen)
	take := func(n int) {
		k := s.of[n]
		if s.status[k] == open && s.pick[k] < 0 && has(cur, n) {
			s.pick[k] = n
			count++
			and(cur, cur, s.p.row(n))
		}
	}
	for _, forced := range []bool{true, false} {
		for _, n := range s.x.used {
			if s.forced[s.of[n]] == forced {
				take(n)
			}
		}
	}
	for _, forced := range []bool{true, false} {
		for k := range s.r {
			if s.forced[k] == forced {
				for n := s.lo[k]; n < s.hi[k] && s.pick[k] < 0; n++ {
					take(n)
				}
			}
		}
	}
	if count < s.need {
		return false
	}
	for k := range s.r {
		if s.forced[k] && s.pick[k] < 0 {
			return false
		}
	}
	copy(s.witness, s.pick)
	s.count = count
	return true
}

// branchCode picks the code to decide next: the forced code with the
// fewest alive instances; else the code the last chains use most often
// (twice or more); else the code with the fewest alive instances.
func (s *solver) branchCode(depth, forcedLeft int) int {
	avail := s.avail[depth]
	clear(s.uses)
	for _, n := range s.x.used {
		s.uses[s.of[n]]++
	}
	best := -1
	better := func(k int) bool {
		if best < 0 {
			return true
		}
		if forcedLeft == 0 && s.uses[k] != s.uses[best] {
			return s.uses[k] > s.uses[best]
		}
		return avail[k] < avail[best]
	}
	for k := range s.r {
		if avail[k] > 0 && (forcedLeft == 0 || s.forced[k]) && better(k) {
			best = k
		}
	}
	return best
}

// children lists the alive instances of code k, those on the last chains
// first.
func (s *solver) children(depth, k int, alive []uint64) []int {
	kids := s.kids[depth][:0]
	for _, n := range s.x.used {
		if s.of[n] == k && has(alive, n) {
			kids = append(kids, n)
		}
	}
	for n := s.lo[k]; n < s.hi[k]; n++ {
		if has(alive, n) && !contains(kids, n) {
			kids = append(kids, n)
		}
	}
	s.kids[depth] = kids
	return kids
}

// --- bitsets ---

func and(dst, a, b []uint64) {
	for i := range dst {
		dst[i] = a[i] & b[i]
	}
}

func setBit(set []uint64, i int) { set[i/64] |= 1 << (i % 64) }

// countIn counts the bits of set in [lo, hi).
func countIn(set []uint64, lo, hi int) int {
	n := 0
	for i := lo; i < hi; i++ {
		if has(set, i) {
			n++
		}
	}
	return n
}

// clearRange clears the bits of set in [lo, hi).
func clearRange(set []uint64, lo, hi int) {
	for i := lo; i < hi; i++ {
		set[i/64] &^= 1 << (i % 64)
	}
}

func contains(s []int, x int) bool {
	for _, y := range s {
		if y == x {
			return true
		}
	}
	return false
}
