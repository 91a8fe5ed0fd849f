package lpcheck

import (
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"time"
)

// SolveOptions tune Solve.
type SolveOptions struct {
	// Dir keeps the LP and solution files of every stage; empty means a
	// temporary directory that is removed afterwards.
	Dir string
	// Formulation of the travel stage.
	Formulation Formulation
	// Clashes is how clashes are written in every stage.
	Clashes Clashes
	// Block is how many codes one run of the second stage decides at most;
	// zero means 20 (weights up to 2^19, exact for cbc).
	Block int
}

// Solution is cbc's optimum of the schedule objective.
type Solution struct {
	// Scheduled tells, per code of the model, whether it is scheduled.
	Scheduled []bool
	// Chosen are the chosen variables, one per scheduled code.
	Chosen []int
	// Count is the objective's first level, Travel its third, Kept its
	// last: the chosen instances that are kept.
	Count, Travel, Kept int
	// Runs are the cbc runs, in order.
	Runs []Run
	// Elapsed is the wall time of all cbc runs, process start-up included;
	// Reported the sum of the times cbc reported (10 ms resolution).
	Elapsed, Reported time.Duration
}

// Run is one cbc run.
type Run struct {
	Stage     string
	File      string
	Objective float64
	Elapsed   time.Duration
	Reported  time.Duration
}

// Solve finds the schedule objective's optimum with cbc, in stages, each
// an LP file solved by one cbc run:
//
//  1. maximize the number of codes scheduled: K;
//  2. with exactly K codes, decide the codes in priority order. A code the
//     best solution so far schedules is fixed as scheduled without a run
//     (it is feasible with everything fixed before, and scheduling it is
//     the better choice). At the first code it leaves out, one run
//     maximizes Σ 2^(B-1-j)·scheduled(code j) over the next B undecided
//     codes: the weights make that the lexicographic optimum of those B
//     codes, which are then all fixed. Weights stay below 2^B, exact in
//     floating point;
//  3. with every code fixed, minimize the travel minutes (skipped when no
//     two compatible sessions have any travel between them): T;
//  4. with every code fixed and at most T travel minutes, maximize the
//     instances kept (skipped when the model has none to keep).
//
// Every answer is checked: the chosen instances must be a schedule, agree
// with what was fixed, and cbc's objective must equal the count, weight,
// travel or kept instances computed from them.
func Solve(ctx context.Context, m *Model, o SolveOptions) (*Solution, error) {
	s := &Solution{Scheduled: make([]bool, len(m.Codes))}
	if len(m.Vars) == 0 {
		return s, nil
	}
	block := o.Block
	if block <= 0 {
		block = 20
	}
	if block > 40 {
		return nil, fmt.Errorf("block %d too large for exact weights", block)
	}
	dir := o.Dir
	if dir == "" {
		d, err := os.MkdirTemp("", "lpcheck")
		if err != nil {
			return nil, err
		}
		defer os.RemoveAll(d)
		dir = d
	} else if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	byName := make(map[string]int, len(m.Vars))
	for i, v := range m.Vars {
		byName[v.Name] = i
	}

	// run writes and solves one stage, and checks and returns the chosen
	// variables and the codes they schedule.
	run := func(st Stage) ([]int, []bool, float64, error) {
		st.Clashes = o.Clashes
		path := filepath.Join(dir, "stage"+strconv.Itoa(len(s.Runs)+1)+".lp")
		f, err := os.Create(path)
		if err != nil {
			return nil, nil, 0, err
		}
		err = m.WriteStage(f, st)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return nil, nil, 0, err
		}
		r, err := runCBC(ctx, path)
		s.Runs = append(s.Runs, Run{Stage: st.Name, File: path, Objective: r.objective, Elapsed: r.elapsed, Reported: r.reported})
		s.Elapsed += r.elapsed
		s.Reported += r.reported
		if err != nil {
			return nil, nil, 0, fmt.Errorf("stage %q: %w", st.Name, err)
		}
		var chosen []int
		in := make([]bool, len(m.Codes))
		for _, name := range r.chosen {
			if v, ok := byName[name]; ok {
				chosen = append(chosen, v)
				in[m.Vars[v].Code] = true
			}
		}
		if why := m.Feasible(chosen); why != "" {
			return nil, nil, 0, fmt.Errorf("stage %q: cbc's answer is not a schedule: %s", st.Name, why)
		}
		for ci, fx := range st.Fix {
			if (fx > 0 && !in[ci]) || (fx < 0 && in[ci]) {
				return nil, nil, 0, fmt.Errorf("stage %q: cbc's answer changes the fixed code %s", st.Name, m.Codes[ci])
			}
		}
		return chosen, in, r.objective, nil
	}
	count := func(in []bool) int {
		n := 0
		for _, b := range in {
			if b {
				n++
			}
		}
		return n
	}

	// Stage 1: the most codes.
	chosen, in, obj, err := run(Stage{Name: "most codes", Count: -1})
	if err != nil {
		return nil, err
	}
	k := count(in)
	if !same(obj, k) {
		return nil, fmt.Errorf("stage 1: cbc's objective %v but its answer schedules %d codes", obj, k)
	}

	// Stage 2: earlier codes first.
	var live []int // the codes with a candidate, in priority order
	for ci, vs := range m.ByCode {
		if len(vs) > 0 {
			live = append(live, ci)
		}
	}
	fix := make([]int8, len(m.Codes))
	for i := 0; i < len(live); {
		if in[live[i]] {
			fix[live[i]] = 1
			i++
			continue
		}
		next := live[i:min(i+block, len(live))]
		weights := make([]int64, len(m.Codes))
		for j, ci := range next {
			weights[ci] = 1 << (len(next) - 1 - j)
		}
		name := fmt.Sprintf("earlier codes first, %s..%s", m.Codes[next[0]], m.Codes[next[len(next)-1]])
		chosen, in, obj, err = run(Stage{Name: name, Count: k, Fix: fix, Weights: weights})
		if err != nil {
			return nil, err
		}
		got := int64(0)
		for _, ci := range next {
			if in[ci] {
				got += weights[ci]
			}
		}
		if c := count(in); c != k || !same(obj, int(got)) {
			return nil, fmt.Errorf("stage %q: cbc's objective %v, its answer %d codes worth %d", name, obj, c, got)
		}
		for _, ci := range next {
			fix[ci] = -1
			if in[ci] {
				fix[ci] = 1
			}
		}
		i += len(next)
	}

	// Stage 3: the least travel.
	travel := false
	for _, p := range m.Pairs {
		travel = travel || p.Minutes > 0
	}
	if travel {
		chosen, _, obj, err = run(Stage{Name: "least travel", Count: -1, Fix: fix, Travel: true, Formulation: o.Formulation})
		if err != nil {
			return nil, err
		}
		if t := m.Travel(chosen); !same(obj, t) {
			return nil, fmt.Errorf("stage 3: cbc's objective %v but its answer travels %d minutes", obj, t)
		}
	}

	// Stage 4: the most instances kept, travel no worse.
	least := m.Travel(chosen)
	keep := false
	for _, v := range m.Vars {
		keep = keep || (v.Kept && fix[v.Code] > 0)
	}
	if keep {
		chosen, _, obj, err = run(Stage{Name: "most kept", Count: -1, Fix: fix, Kept: true,
			Travel: travel, Formulation: o.Formulation, MaxTravel: least})
		if err != nil {
			return nil, err
		}
		if n := m.Kept(chosen); !same(obj, n) {
			return nil, fmt.Errorf("stage 4: cbc's objective %v but its answer keeps %d instances", obj, n)
		}
		if t := m.Travel(chosen); t != least {
			return nil, fmt.Errorf("stage 4: cbc's answer travels %d minutes, not the least, %d", t, least)
		}
	}
	for _, v := range chosen {
		s.Scheduled[m.Vars[v].Code] = true
	}
	s.Chosen, s.Count, s.Travel, s.Kept = chosen, k, m.Travel(chosen), m.Kept(chosen)
	return s, nil
}

// same reports whether cbc's objective rounds to the integer n: every
// objective here is a sum of integers, so two different values are at least
// 1 apart.
func same(obj float64, n int) bool { return math.Abs(obj-float64(n)) < 0.5 }
