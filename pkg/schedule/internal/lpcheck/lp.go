package lpcheck

import (
	"bufio"
	"fmt"
	"io"
	"strconv"

	"github.com/reinvent-cli/reinvent/pkg/catalog"
	"github.com/reinvent-cli/reinvent/pkg/schedule"
)

// Formulation is how the travel level is modelled.
type Formulation int

const (
	// Flow models each day's chosen sessions as one path from a source to
	// a sink through arcs between compatible sessions in time order: every
	// chosen session has one arc in and one out, unchosen ones none, and
	// the source sends at most one unit. The arcs used are exactly the
	// consecutive pairs, so the travel is the cost of the arcs. O(n²)
	// arcs per day, O(n) rows.
	Flow Formulation = iota
	// Pairs has one y ≥ 0 per ordered compatible pair (a, b) on a day with
	// travel and the row y_ab ≥ x_a + x_b − 1 − Σ x_c over the sessions c
	// between them that may be chosen with both; minimizing travel makes
	// y_ab 1 exactly when a and b are both chosen with nothing chosen in
	// between. O(n²) variables and rows and O(n³) nonzeros per day.
	Pairs
)

func (f Formulation) String() string {
	if f == Pairs {
		return "pairs"
	}
	return "flow"
}

// ParseFormulation parses "flow" or "pairs".
func ParseFormulation(s string) (Formulation, error) {
	switch s {
	case "flow":
		return Flow, nil
	case "pairs":
		return Pairs, nil
	}
	return 0, fmt.Errorf("unknown formulation %q: want flow or pairs", s)
}

// Clashes is how the rows that keep clashing instances apart are written.
type Clashes int

const (
	// CliqueRows writes Σ x ≤ 1 over cliques of mutually exclusive
	// instances (Model.Cliques), which covers every clash and makes the LP
	// relaxation much tighter: sessions at one time share a row.
	CliqueRows Clashes = iota
	// PairRows writes x_a + x_b ≤ 1 for every clashing pair.
	PairRows
)

func (c Clashes) String() string {
	if c == PairRows {
		return "pairs"
	}
	return "cliques"
}

// ParseClashes parses "cliques" or "pairs".
func ParseClashes(s string) (Clashes, error) {
	switch s {
	case "cliques":
		return CliqueRows, nil
	case "pairs":
		return PairRows, nil
	}
	return 0, fmt.Errorf("unknown clash rows %q: want cliques or pairs", s)
}

// Stage is one of the LP problems the lexicographic objective is solved
// by. Every stage has the same schedule rows: at most one instance per
// code, and no two clashing instances.
type Stage struct {
	Name string
	// Count, when not negative, fixes how many codes are scheduled.
	Count int
	// Fix holds, per code, +1 when it must be scheduled, -1 when it must
	// not, 0 when it is free; nil leaves every code free.
	Fix []int8
	// Weights are, per code, what scheduling it is worth; the stage
	// maximizes their sum. Nil counts every code 1. Ignored by a travel
	// stage.
	Weights []int64
	// Travel makes the stage minimize the travel minutes instead, with the
	// given formulation.
	Travel      bool
	Formulation Formulation
	// Kept makes the stage maximize the chosen instances that are kept
	// (Var.Kept) instead. With Travel, it writes the travel rows and keeps
	// the travel minutes at most MaxTravel.
	Kept      bool
	MaxTravel int
	// Clashes is how clashes are written.
	Clashes Clashes
}

// WriteLP writes the planning problem as a CPLEX LP file: the first stage
// of the objective (the most codes scheduled) over the schedule rows. The
// later stages (see Solve) add rows fixing what earlier stages decided and
// change the objective; Model.WriteStage writes them.
func WriteLP(w io.Writer, codes []string, sessions []catalog.Session, opts schedule.Options) (*Model, error) {
	m, err := NewModel(codes, sessions, opts)
	if err != nil {
		return nil, err
	}
	return m, m.WriteStage(w, Stage{Name: "most codes", Count: -1})
}

// lpWriter writes LP expressions a few terms to a line.
type lpWriter struct {
	w     *bufio.Writer
	terms int
}

func (l *lpWriter) printf(format string, args ...any) { fmt.Fprintf(l.w, format, args...) }

// row starts a row or the objective with its name.
func (l *lpWriter) row(name string) {
	l.printf(" %s:", name)
	l.terms = 0
}

// term adds coef·name to the current expression.
func (l *lpWriter) term(coef int64, name string) {
	if l.terms > 0 && l.terms%10 == 0 {
		l.printf("\n   ")
	}
	l.terms++
	switch {
	case coef == 1:
		l.printf(" + %s", name)
	case coef == -1:
		l.printf(" - %s", name)
	case coef < 0:
		l.printf(" - %d %s", -coef, name)
	default:
		l.printf(" + %d %s", coef, name)
	}
}

// end ends a row with its sense and right-hand side.
func (l *lpWriter) end(sense string, rhs int64) {
	if l.terms == 0 {
		l.printf(" 0 x0") // an empty row, still well-formed
	}
	l.printf(" %s %d\n", sense, rhs)
}

// WriteStage writes stage st of the model as a CPLEX LP file.
func (m *Model) WriteStage(w io.Writer, st Stage) error {
	l := &lpWriter{w: bufio.NewWriterSize(w, 1<<16)}
	l.printf("\\ reinvent schedule, stage %q: %d codes, %d instances, %d clashing pairs\n",
		st.Name, len(m.Codes), len(m.Vars), len(m.Conflicts))
	for i, v := range m.Vars {
		if i < 2000 {
			l.printf("\\ %s = %s as %s, day %d %s-%s at %q\n", v.Name, m.Codes[v.Code], v.Full, v.Day,
				v.Start.Format("15:04"), v.End.Format("15:04"), v.Venue)
		}
	}
	// The objective.
	var arcs []arc
	if st.Travel {
		arcs = m.arcs(st.Formulation)
	}
	switch {
	case st.Kept:
		l.printf("Maximize\n")
		l.row("kept")
		for _, v := range m.Vars {
			if v.Kept {
				l.term(1, v.Name)
			}
		}
		if l.terms == 0 && len(m.Vars) > 0 {
			l.term(0, m.Vars[0].Name)
		}
	case st.Travel:
		l.printf("Minimize\n")
		l.row("travel")
		for _, a := range arcs {
			if a.minutes != 0 {
				l.term(int64(a.minutes), a.name)
			}
		}
		if l.terms == 0 && len(m.Vars) > 0 {
			l.term(0, m.Vars[0].Name)
		}
	default:
		l.printf("Maximize\n")
		l.row("codes")
		for ci, vs := range m.ByCode {
			wgt := int64(1)
			if st.Weights != nil {
				wgt = st.Weights[ci]
			}
			if wgt == 0 {
				continue
			}
			for _, v := range vs {
				l.term(wgt, m.Vars[v].Name)
			}
		}
		if l.terms == 0 && len(m.Vars) > 0 {
			l.term(0, m.Vars[0].Name)
		}
	}
	l.printf("\nSubject To\n")
	// One instance per code at most, or exactly what an earlier stage fixed.
	for ci, vs := range m.ByCode {
		if len(vs) == 0 {
			continue
		}
		l.row("one" + strconv.Itoa(ci))
		for _, v := range vs {
			l.term(1, m.Vars[v].Name)
		}
		switch {
		case st.Fix != nil && st.Fix[ci] > 0:
			l.end("=", 1)
		case st.Fix != nil && st.Fix[ci] < 0:
			l.end("=", 0)
		default:
			l.end("<=", 1)
		}
	}
	if st.Clashes == PairRows {
		for i, c := range m.Conflicts {
			l.row("clash" + strconv.Itoa(i))
			l.term(1, m.Vars[c[0]].Name)
			l.term(1, m.Vars[c[1]].Name)
			l.end("<=", 1)
		}
	} else {
		for i, c := range m.Cliques() {
			l.row("clique" + strconv.Itoa(i))
			for _, v := range c {
				l.term(1, m.Vars[v].Name)
			}
			l.end("<=", 1)
		}
	}
	if st.Count >= 0 && len(m.Vars) > 0 {
		l.row("count")
		for _, v := range m.Vars {
			l.term(1, v.Name)
		}
		l.end("=", int64(st.Count))
	}
	if st.Travel {
		m.writeTravelRows(l, st.Formulation, arcs)
		if st.Kept {
			l.row("travelcap")
			for _, a := range arcs {
				if a.minutes != 0 {
					l.term(int64(a.minutes), a.name)
				}
			}
			l.end("<=", int64(st.MaxTravel))
		}
	}
	if len(m.Vars) > 0 {
		l.printf("Binaries\n")
		for i, v := range m.Vars {
			if i > 0 && i%10 == 0 {
				l.printf("\n")
			}
			l.printf(" %s", v.Name)
		}
		l.printf("\n")
	}
	l.printf("End\n")
	return l.w.Flush()
}

// arc is a continuous variable of the travel level: y_ab for Pairs, or a
// flow arc for Flow (from < 0 is the day's source, to < 0 its sink).
type arc struct {
	name     string
	from, to int
	day      int
	minutes  int
}

// arcs lists the travel variables of a formulation.
func (m *Model) arcs(f Formulation) []arc {
	var arcs []arc
	if f == Flow {
		for _, v := range m.order {
			arcs = append(arcs, arc{name: "s" + strconv.Itoa(v), from: -1, to: v, day: m.Vars[v].Day})
			arcs = append(arcs, arc{name: "t" + strconv.Itoa(v), from: v, to: -1, day: m.Vars[v].Day})
		}
	}
	for i, p := range m.Pairs {
		if f == Pairs && p.Minutes == 0 {
			continue // free: no y needed
		}
		name := "z" + strconv.Itoa(i)
		if f == Pairs {
			name = "y" + strconv.Itoa(i)
		}
		arcs = append(arcs, arc{name: name, from: p.A, to: p.B, day: m.Vars[p.A].Day, minutes: p.Minutes})
	}
	return arcs
}

func (m *Model) writeTravelRows(l *lpWriter, f Formulation, arcs []arc) {
	if f == Pairs {
		compatible := m.compatibleSet()
		for i, a := range arcs {
			// y_ab - x_a - x_b + Σ x_c >= -1, c strictly between a and b
			// and compatible with both (no other c can be chosen with them).
			l.row("seq" + strconv.Itoa(i))
			l.term(1, a.name)
			l.term(-1, m.Vars[a.from].Name)
			l.term(-1, m.Vars[a.to].Name)
			ca, cb := m.Vars[a.from].Code, m.Vars[a.to].Code
			for r := m.rank[a.from] + 1; r < m.rank[a.to]; r++ {
				c := m.order[r]
				if cc := m.Vars[c].Code; cc != ca && cc != cb && compatible[[2]int{a.from, c}] && compatible[[2]int{c, a.to}] {
					l.term(1, m.Vars[c].Name)
				}
			}
			l.end(">=", -1)
		}
		return
	}
	in := make([][]int, len(m.Vars))
	out := make([][]int, len(m.Vars))
	src := map[int][]int{}
	for i, a := range arcs {
		if a.from >= 0 {
			out[a.from] = append(out[a.from], i)
		} else {
			src[a.day] = append(src[a.day], i)
		}
		if a.to >= 0 {
			in[a.to] = append(in[a.to], i)
		}
	}
	for v := range m.Vars {
		for _, side := range []struct {
			name string
			arcs []int
		}{{"in", in[v]}, {"out", out[v]}} {
			l.row(side.name + strconv.Itoa(v))
			for _, i := range side.arcs {
				l.term(1, arcs[i].name)
			}
			l.term(-1, m.Vars[v].Name)
			l.end("=", 0)
		}
	}
	for d := range len(src) {
		l.row("source" + strconv.Itoa(d))
		for _, i := range src[d] {
			l.term(1, arcs[i].name)
		}
		l.end("<=", 1)
	}
}

// compatibleSet is the set of ordered pairs (a, b), a ranked before b, on
// one day, of different codes, that may both be chosen.
func (m *Model) compatibleSet() map[[2]int]bool {
	s := make(map[[2]int]bool, len(m.Pairs))
	for _, p := range m.Pairs {
		s[[2]int{p.A, p.B}] = true
	}
	return s
}
