package schedule

import (
	"math"
	"slices"
)

// The relaxation behind every bound of the search: drop the rule "at most
// one instance per code", and of "every two chosen sessions fit" keep only
// "each fits after the one before it" (the same when travel obeys the
// triangle inequality; looser otherwise, say with unknown travel). What is
// left falls apart by day, and a day's schedule is a chain. The best chain
// of a day, for any value per node and a travel cost per step, is a
// longest path in a DAG, found in one pass (chains). The dropped rule
// comes back as Lagrange multipliers, one per code, which charge (or pay)
// for every instance of the code a chain takes; subgradient steps tune
// them. Every schedule is a set of chains, so for any multipliers the
// relaxation bounds the real problem: that is all the search relies on.

// chainDay is one day of the relaxation: the ranks lo <= r < hi.
type chainDay struct {
	lo, hi   int
	from, to int       // prepared: the day's nodes are live[from:to]
	pairs    bool      // prepared: chains tries every pair
	venues   int       // venues of the day
	byEnd    [][]int   // per venue: its ranks by end, then rank
	gap      []int64   // venues × venues: time needed between two sessions
	travel   []float64 // venues × venues: travel minutes
	ptr      []int     // scratch per venue pair: position in byEnd
	best     []float64 // scratch per venue pair: best chain consumed
	arg      []int     // scratch per venue pair: its last rank, or -1
}

// relax is the chain relaxation of a problem, with its scratch space.
// Everything is indexed by rank (day, start, end, ...), so that a day is a
// range and following order is index order.
type relax struct {
	days  []chainDay
	node  []int   // rank → node
	start []int64 // per rank
	end   []int64
	venue []int     // per rank: the venue's index local to its day
	f     []float64 // per rank: the best chain ending there
	pred  []int     // per rank: the rank before it on that chain, or -1
	used  []int     // the nodes of the last best chains

	// Prepared for chains.
	mask  []uint64
	live  []int     // the ranks in the mask, day by day
	first []int     // per live rank of a day tried by pairs (and one more per day): where its pairs start
	from  []int     // per pair: the earlier rank
	cost  []float64 // per pair: the travel minutes
}

func newRelax(p *problem) *relax {
	n := len(p.nodes)
	x := &relax{
		days:  make([]chainDay, p.days),
		node:  make([]int, n),
		start: make([]int64, n),
		end:   make([]int64, n),
		venue: make([]int, n),
		f:     make([]float64, n),
		pred:  make([]int, n),
		live:  make([]int, 0, n),
		first: make([]int, 0, n+p.days),
		from:  make([]int, 0, 4*n),
		cost:  make([]float64, 0, 4*n),
	}
	for i := range p.nodes {
		x.node[p.nodes[i].rank] = i
	}
	local := make([]int, len(p.venues)) // global venue → local + 1
	var venues []int                    // local → global venue
	nv := len(p.venues)
	for r := 0; r < n; {
		day := p.nodes[x.node[r]].day
		d := &x.days[day]
		d.lo = r
		clear(local)
		venues = venues[:0]
		for ; r < n && p.nodes[x.node[r]].day == day; r++ {
			nd := &p.nodes[x.node[r]]
			if local[nd.venue] == 0 {
				venues = append(venues, nd.venue)
				local[nd.venue] = len(venues)
				d.byEnd = append(d.byEnd, nil)
			}
			v := local[nd.venue] - 1
			x.start[r], x.end[r], x.venue[r] = nd.start, nd.end, v
			d.byEnd[v] = append(d.byEnd[v], r)
		}
		d.hi = r
		v := len(venues)
		d.venues = v
		for _, list := range d.byEnd {
			slices.SortStableFunc(list, func(a, b int) int {
				switch {
				case x.end[a] < x.end[b]:
					return -1
				case x.end[a] > x.end[b]:
					return 1
				}
				return a - b
			})
		}
		d.gap = make([]int64, v*v)
		d.travel = make([]float64, v*v)
		for i, gi := range venues {
			for j, gj := range venues {
				d.gap[i*v+j] = p.gap[gi*nv+gj]
				d.travel[i*v+j] = float64(p.minutes[gi*nv+gj])
			}
		}
		d.ptr = make([]int, v*v)
		d.best = make([]float64, v*v)
		d.arg = make([]int, v*v)
	}
	return x
}

// prepare readies chains for the nodes in mask (kept, not copied), which
// stay the same while the multipliers change: the nodes of each day in
// the mask, and for a day with few of them every pair that may follow one
// another, with its travel.
//
// In rank order, a node may follow an earlier one exactly when it starts
// at least the gap between their venues after the earlier one ends (rank
// orders by start, then end).
func (x *relax) prepare(mask []uint64) {
	x.mask = mask
	x.live, x.from, x.cost, x.first = x.live[:0], x.from[:0], x.cost[:0], x.first[:0]
	for di := range x.days {
		d := &x.days[di]
		d.from = len(x.live)
		for r := d.lo; r < d.hi; r++ {
			if has(mask, x.node[r]) {
				x.live = append(x.live, r)
			}
		}
		d.to = len(x.live)
		v := d.venues
		if d.pairs = d.to-d.from <= 4*v; !d.pairs || d.from == d.to {
			continue
		}
		for j := d.from; j < d.to; j++ {
			b := x.live[j]
			w := x.venue[b]
			x.first = append(x.first, len(x.from))
			for _, a := range x.live[d.from:j] {
				if k := x.venue[a]*v + w; x.end[a]+d.gap[k] <= x.start[b] {
					x.from = append(x.from, a)
					x.cost = append(x.cost, d.travel[k])
				}
			}
		}
		x.first = append(x.first, len(x.from))
	}
}

// chains finds, for every day, the chain of the prepared nodes with the
// largest value: the sum of val (per node) over its nodes less alpha times
// the travel minutes between consecutive ones (the empty chain is worth
// 0). It returns the sum over days and leaves the chains' nodes in x.used.
//
// A day with few nodes tries every prepared pair. Otherwise, for each
// venue pair (u, w), a pointer walks u's nodes by end and keeps the best
// chain among those that end early enough to be followed by the current
// node at w; thresholds grow with rank, so the pointers only move forward
// and a day costs O(venues × nodes). A node that ends early enough but
// comes later in rank (zero-length sessions at one instant) stops its
// pointer until its own turn.
func (x *relax) chains(val []float64, alpha float64) float64 {
	total := 0.0
	x.used = x.used[:0]
	e := 0 // the day's first entry in x.first
	for di := range x.days {
		d := &x.days[di]
		if d.from == d.to {
			continue
		}
		best, bestAt := 0.0, -1
		if d.pairs {
			for j := d.from; j < d.to; j++ {
				m, ma := 0.0, -1
				for p := x.first[e]; p < x.first[e+1]; p++ {
					if c := x.f[x.from[p]] - alpha*x.cost[p]; c > m {
						m, ma = c, x.from[p]
					}
				}
				e++
				b := x.live[j]
				x.f[b], x.pred[b] = val[x.node[b]]+m, ma
				if x.f[b] > best {
					best, bestAt = x.f[b], b
				}
			}
			e++
		} else {
			best, bestAt = x.pointers(d, val, alpha)
		}
		total += best
		for r := bestAt; r >= 0; r = x.pred[r] {
			x.used = append(x.used, x.node[r])
		}
	}
	return total
}

// pointers is chains for one day with many nodes.
func (x *relax) pointers(d *chainDay, val []float64, alpha float64) (float64, int) {
	v := d.venues
	clear(d.ptr)
	for i := range d.arg {
		d.arg[i] = -1
	}
	best, bestAt := 0.0, -1
	for _, b := range x.live[d.from:d.to] {
		m, ma := 0.0, -1
		w := x.venue[b]
		for u := range v {
			k := u*v + w
			list, i, thr := d.byEnd[u], d.ptr[k], x.start[b]-d.gap[k]
			for ; i < len(list); i++ {
				a := list[i]
				if x.end[a] > thr {
					break
				}
				if has(x.mask, x.node[a]) {
					if a >= b {
						break
					}
					if d.arg[k] < 0 || x.f[a] > d.best[k] {
						d.best[k], d.arg[k] = x.f[a], a
					}
				}
			}
			d.ptr[k] = i
			if d.arg[k] >= 0 {
				if c := d.best[k] - alpha*d.travel[k]; c > m {
					m, ma = c, d.arg[k]
				}
			}
		}
		x.f[b], x.pred[b] = val[x.node[b]]+m, ma
		if x.f[b] > best {
			best, bestAt = x.f[b], b
		}
	}
	return best, bestAt
}

// eps absorbs floating-point error when a bound is compared with an
// integer.
const eps = 1e-7

var inf = math.Inf(1)
