package schedule

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/reinvent-cli/reinvent/pkg/catalog"
)

// bruteInstances is how many random instances the property test solves.
const bruteInstances = 12_000

// TestPlanMatchesBruteForce checks Plan against an exhaustive search on many
// small random instances: every answer is feasible, equal to the best
// schedule in all three levels of the objective, and explained (alternates,
// blocked_by, reasons, not found) as a direct recomputation says.
func TestPlanMatchesBruteForce(t *testing.T) {
	n := bruteInstances
	if testing.Short() {
		n = 2_000
	}
	r := rand.New(rand.NewPCG(20251201, 3))
	stats := map[string]int{}
	for i := range n {
		in := randomInstance(r)
		got, err := Plan(in.codes, in.sessions, in.opts)
		if err != nil {
			t.Fatalf("instance %d: %v\n%s", i, err, in)
		}
		want := bruteForce(in)
		if msg := checkAgainst(in, got, want); msg != "" {
			t.Fatalf("instance %d: %s\n%s\ngot %s", i, msg, in, describe(got))
		}
		stats[fmt.Sprintf("scheduled=%d", len(got.Scheduled))]++
		if len(got.Unscheduled) > 0 {
			stats["some unscheduled"]++
		}
		if len(got.NotFound) > 0 {
			stats["some not found"]++
		}
		if got.TravelMinutes > 0 {
			stats["some travel"]++
		}
	}
	t.Logf("%d instances: %v", n, stats)
}

// TestPlanHeldMatchesBruteForce does the same with some of the first codes
// held (Options.Fixed): the most held codes that fit together come before
// any other code, whatever that costs the others.
func TestPlanHeldMatchesBruteForce(t *testing.T) {
	n := bruteInstances / 2
	if testing.Short() {
		n = 1_000
	}
	r := rand.New(rand.NewPCG(20261207, 22))
	lost := 0 // instances where holding costs wishes: the case that matters
	for i := range n {
		in := randomSized(r, 3, 9, 2)
		in.opts.Fixed = 1 + r.IntN(len(in.codes))
		got, err := Plan(in.codes, in.sessions, in.opts)
		if err != nil {
			t.Fatalf("instance %d: %v\n%s", i, err, in)
		}
		if msg := checkAgainst(in, got, bruteForce(in)); msg != "" {
			t.Fatalf("instance %d (fixed %d): %s\n%s\ngot %s", i, in.opts.Fixed, msg, in, describe(got))
		}
		free := in.opts
		free.Fixed = 0
		if open, _ := Plan(in.codes, in.sessions, free); len(open.Scheduled) > len(got.Scheduled) {
			lost++
		}
	}
	if lost == 0 {
		t.Errorf("no instance where held codes cost other codes: the test does not test the rule")
	}
	t.Logf("%d instances, %d where holding cost other codes", n, lost)
}

// TestPlanMatchesBruteForceMedium does the same on fewer, larger
// instances (up to 11 codes crowded into one or two days), where the
// search branches deeply.
func TestPlanMatchesBruteForceMedium(t *testing.T) {
	n := 2_000
	if testing.Short() {
		n = 200
	}
	r := rand.New(rand.NewPCG(20251202, 5))
	stats := map[string]int{}
	for i := range n {
		in := randomSized(r, 8, 11, 2)
		got, err := Plan(in.codes, in.sessions, in.opts)
		if err != nil {
			t.Fatalf("instance %d: %v\n%s", i, err, in)
		}
		if msg := checkAgainst(in, got, bruteForce(in)); msg != "" {
			t.Fatalf("instance %d: %s\n%s\ngot %s", i, msg, in, describe(got))
		}
		stats[fmt.Sprintf("requested=%d", len(got.Requested))]++
		stats[fmt.Sprintf("scheduled=%d", len(got.Scheduled))]++
	}
	t.Logf("%d instances: %v", n, stats)
}

// instance is one random planning problem.
type instance struct {
	codes    []string
	sessions []catalog.Session
	opts     Options
	travel   map[string]map[string]int
}

func (in instance) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "codes %q buffer %v unknown %v travel %v keep %q\n", in.codes, in.opts.Buffer, in.opts.UnknownTravel, in.travel, in.opts.Keep)
	for _, s := range in.sessions {
		fmt.Fprintf(&b, "  %-10s %s–%s allday=%v emb=%v %q\n", s.Code,
			s.Start.In(in.opts.Location).Format("Mon 15:04"), s.End.In(in.opts.Location).Format("15:04"), s.AllDay, s.Embargoed, s.Venue)
	}
	return b.String()
}

func describe(res *Result) string {
	var b strings.Builder
	fmt.Fprintf(&b, "requested %v optimal %v travel %d\n", res.Requested, res.Optimal, res.TravelMinutes)
	for _, c := range res.Scheduled {
		fmt.Fprintf(&b, "  %s → %s alt %v kept %v\n", c.Code, c.Session.Code, c.Alternates, c.Kept)
	}
	for _, u := range res.Unscheduled {
		fmt.Fprintf(&b, "  %s: %s %v\n", u.Code, u.Reason, u.BlockedBy)
	}
	fmt.Fprintf(&b, "  not found %v\n", res.NotFound)
	return b.String()
}

var bruteVenues = []string{"Venetian", "Wynn", "Encore", "MGM Grand", "", "Caesars Forum", "Expo Tent"}

// randomInstance makes 1-7 requested codes over up to 7 bases with 1-4
// instances each on 1-3 days, 3-5 venues (sometimes an empty one), a random
// partial travel table, buffer 0 or 10m, some all-day, untimed and
// embargoed instances, unknown codes, repeats and base/full overlaps.
func randomInstance(r *rand.Rand) instance { return randomSized(r, 1, 7, 3) }

// randomSized is randomInstance with minCodes to maxCodes bases (and at
// most maxCodes requested codes) over up to maxDays days.
func randomSized(r *rand.Rand, minCodes, maxCodes, maxDays int) instance {
	loc := time.FixedZone("PST", -8*60*60)
	nv := 3 + r.IntN(3)
	venues := slices.Clone(bruteVenues[:nv])
	if r.IntN(3) == 0 {
		venues[r.IntN(nv)] = ""
	}
	travel := map[string]map[string]int{}
	for i, a := range venues {
		for _, b := range venues[i:] {
			if a == "" || b == "" || r.IntN(4) == 0 {
				continue
			}
			m := 5 * r.IntN(12)
			if a == b {
				if r.IntN(5) != 0 {
					continue
				}
				m = 5 * r.IntN(3)
			}
			if travel[a] == nil {
				travel[a] = map[string]int{}
			}
			travel[a][b] = m
		}
	}
	opts := Options{
		Travel:        NewTravel(travel),
		Buffer:        []time.Duration{0, 0, 10 * time.Minute}[r.IntN(3)],
		UnknownTravel: []time.Duration{30 * time.Minute, 0, 20 * time.Minute, 90 * time.Second, 45 * time.Minute}[r.IntN(5)],
		Location:      loc,
	}
	days := 1 + r.IntN(maxDays)
	nb := minCodes + r.IntN(maxCodes-minCodes+1)
	bases := make([]string, nb)
	var sessions []catalog.Session
	for i := range bases {
		bases[i] = fmt.Sprintf("%s%d", []string{"ARC", "SVS", "DOP", "AIM"}[r.IntN(4)], 200+i)
		for j := range 1 + r.IntN(4) {
			code := bases[i]
			if j > 0 {
				code += []string{"", "-R", "-R1", "-R2"}[j]
			}
			s := catalog.Session{Code: code, BaseCode: bases[i], Venue: venues[r.IntN(nv)]}
			switch x := r.IntN(20); {
			case x == 0: // no time yet
			case x == 1:
				s.AllDay = true
				s.Start = time.Date(2025, 12, 1+r.IntN(days), 0, 0, 0, 0, loc)
			default:
				s.Start = time.Date(2025, 12, 1+r.IntN(days), 8, 15*r.IntN(24), 0, 0, loc)
				s.End = s.Start.Add(time.Duration([]int{0, 30, 60, 60, 60, 120, 15}[r.IntN(7)]) * time.Minute)
				if r.IntN(2) == 0 {
					s.Start, s.End = s.Start.UTC(), s.End.UTC()
				}
			}
			s.Embargoed = r.IntN(25) == 0
			sessions = append(sessions, s)
		}
	}
	r.Shuffle(len(sessions), func(i, j int) { sessions[i], sessions[j] = sessions[j], sessions[i] })
	// Mostly the bases in a random order, with some full codes, repeats
	// and unknown codes mixed in.
	var codes []string
	for _, i := range r.Perm(nb) {
		var c string
		switch x := r.IntN(30); {
		case x == 0:
			c = "XYZ999"
		case x < 3:
			c = bases[i] + []string{"-R", "-R1", "-R2", "-R9"}[r.IntN(4)]
		case x < 5 && len(codes) > 0:
			c = codes[r.IntN(len(codes))]
		default:
			c = bases[i]
		}
		if r.IntN(5) == 0 {
			c = strings.ToLower(c)
		}
		codes = append(codes, c)
		if r.IntN(8) == 0 {
			codes = append(codes, bases[i]+[]string{"-R", "-R1"}[r.IntN(2)])
		}
	}
	if len(codes) > maxCodes {
		codes = codes[:maxCodes]
	}
	return instance{codes: codes, sessions: sessions, opts: opts, travel: travel}
}

// bruteResult is the best schedule by exhaustive search.
type bruteResult struct {
	requested []string
	held      int // the first held requested codes are held (Options.Fixed)
	count     int
	included  []bool // per requested code
	travel    int
	kept      int // chosen sessions whose full code is in Options.Keep
}

// ref is a straightforward reading of docs/schedule.md for one instance, written
// independently of the solver.
type ref struct {
	in         instance
	requested  []catalog.Code
	held       int     // requested codes from the first in.opts.Fixed codes
	candidates [][]int // per requested code: matching, not embargoed sessions
	timed      [][]int // the candidates with a time
	days       []string
	compat     [][]bool
	keep       map[string]bool // Options.Keep, upper case
}

func newRef(in instance) *ref {
	f := &ref{in: in, keep: map[string]bool{}}
	for _, c := range in.opts.Keep {
		f.keep[strings.ToUpper(strings.TrimSpace(c))] = true
	}
	for n, s := range in.codes {
		c, err := catalog.ParseCode(s)
		if err != nil {
			panic(err)
		}
		dup := false
		for _, o := range f.requested {
			if o.Base == c.Base { // the same session asked for twice: one request
				dup = true
			}
		}
		if !dup {
			f.requested = append(f.requested, c)
			if n < in.opts.Fixed {
				f.held++
			}
		}
	}
	for _, c := range f.requested {
		var cand, timed []int
		for i, s := range in.sessions {
			full, err := catalog.ParseCode(s.Code)
			if err != nil || s.Embargoed || !c.Matches(full) {
				continue
			}
			cand = append(cand, i)
			if !s.Start.IsZero() {
				timed = append(timed, i)
			}
		}
		f.candidates = append(f.candidates, cand)
		f.timed = append(f.timed, timed)
	}
	for _, s := range in.sessions {
		f.days = append(f.days, s.Start.In(in.opts.Location).Format("2006-01-02"))
	}
	f.compat = make([][]bool, len(in.sessions))
	for i := range f.compat {
		f.compat[i] = make([]bool, len(in.sessions))
		for j := range f.compat[i] {
			f.compat[i][j] = f.compute(i, j)
		}
	}
	return f
}

func (f *ref) day(i int) string { return f.days[i] }

// kept counts the chosen sessions that Options.Keep names.
func (f *ref) kept(chosen []int) int {
	n := 0
	for _, i := range chosen {
		if f.keep[strings.ToUpper(f.in.sessions[i].Code)] {
			n++
		}
	}
	return n
}

func (f *ref) compatible(i, j int) bool { return f.compat[i][j] }

// travel is the time and objective minutes between two sessions' venues.
func (f *ref) travel(i, j int) (time.Duration, int) {
	gap, m, _ := f.venueTravel(f.in.sessions[i].Venue, f.in.sessions[j].Venue)
	return gap, m
}

// venueTravel is the time and objective minutes between venues a and b,
// and whether the table knows the pair.
func (f *ref) venueTravel(a, b string) (time.Duration, int, bool) {
	if a != "" && b != "" {
		if m, ok := f.in.opts.Travel.Minutes(a, b); ok {
			return time.Duration(m) * time.Minute, m, true
		}
	}
	u := f.in.opts.UnknownTravel
	return u, int(u.Round(time.Minute) / time.Minute), false
}

// refSameVenue reports whether a and b name one venue as the travel table
// compares names: spaces trimmed and collapsed, a leading "The " dropped,
// case folded. An empty venue is never the same as another.
func refSameVenue(a, b string) bool {
	name := func(v string) string {
		f := strings.Fields(v)
		if len(f) > 1 && strings.EqualFold(f[0], "the") {
			f = f[1:]
		}
		return strings.Join(f, " ")
	}
	a, b = name(a), name(b)
	return a != "" && strings.EqualFold(a, b)
}

// checkLegs returns what is wrong with the legs of got, or "": a session
// that is not all day has the leg from the one before it that is not all
// day, when that is on the same day, and no other has a leg. The legs add
// up to TravelMinutes, unless two consecutive sessions start at the same
// time: the schedule lists those by code, the objective takes the one that
// ends first first (see Leg).
func (f *ref) checkLegs(got *Result) string {
	var prev *catalog.Session
	sum, tie := 0, false
	for i := range got.Scheduled {
		c := &got.Scheduled[i]
		var want *Leg
		if !c.Session.AllDay {
			day := func(s *catalog.Session) string { return s.Start.In(f.in.opts.Location).Format("2006-01-02") }
			if prev != nil && day(prev) == day(&c.Session) {
				_, m, known := f.venueTravel(prev.Venue, c.Session.Venue)
				end := prev.End
				if end.IsZero() {
					end = prev.Start
				}
				want = &Leg{From: prev.Code, To: c.Session.Code, Minutes: m, Known: known,
					SameVenue: refSameVenue(prev.Venue, c.Session.Venue), Free: c.Session.Start.Sub(end)}
				sum += m
				tie = tie || prev.Start.Equal(c.Session.Start)
			}
			prev = &c.Session
		}
		switch {
		case want == nil && c.Leg != nil:
			return fmt.Sprintf("%s has leg %+v, want none", c.Session.Code, *c.Leg)
		case want != nil && (c.Leg == nil || *c.Leg != *want):
			return fmt.Sprintf("%s has leg %+v, want %+v", c.Session.Code, c.Leg, *want)
		}
	}
	if sum != got.TravelMinutes && !tie {
		return fmt.Sprintf("legs add up to %d travel minutes, want %d", sum, got.TravelMinutes)
	}
	return ""
}

func (f *ref) compute(i, j int) bool {
	if i == j {
		return false
	}
	if f.day(i) != f.day(j) {
		return true
	}
	a, b := f.in.sessions[i], f.in.sessions[j]
	if a.AllDay || b.AllDay {
		return false
	}
	if b.Start.Before(a.Start) {
		a, b = b, a
	}
	gap, _ := f.travel(i, j)
	end := a.End
	if end.IsZero() {
		end = a.Start
	}
	if !b.Start.Before(end.Add(gap + f.in.opts.Buffer)) {
		return true
	}
	// Same start: either may come first.
	end = b.End
	if end.IsZero() {
		end = b.Start
	}
	return a.Start.Equal(b.Start) && !a.Start.Before(end.Add(gap+f.in.opts.Buffer))
}

// travelOf sums travel minutes over consecutive chosen sessions of a day.
func (f *ref) travelOf(chosen []int) int {
	s := slices.Clone(chosen)
	slices.SortFunc(s, func(i, j int) int {
		a, b := f.in.sessions[i], f.in.sessions[j]
		if c := strings.Compare(f.day(i), f.day(j)); c != 0 {
			return c
		}
		if a.AllDay != b.AllDay {
			if a.AllDay {
				return -1
			}
			return 1
		}
		if c := a.Start.Compare(b.Start); c != 0 {
			return c
		}
		if c := a.End.Compare(b.End); c != 0 {
			return c
		}
		return strings.Compare(a.Code, b.Code)
	})
	t := 0
	for k := 1; k < len(s); k++ {
		if f.day(s[k-1]) == f.day(s[k]) {
			_, m := f.travel(s[k-1], s[k])
			t += m
		}
	}
	return t
}

// better reports whether (held count, held included, count, included,
// travel, kept) a beats b: the held codes first, as docs/schedule.md says.
func better(a, b bruteResult) bool {
	heldIn := func(r bruteResult) int {
		n := 0
		for _, in := range r.included[:r.held] {
			if in {
				n++
			}
		}
		return n
	}
	if ha, hb := heldIn(a), heldIn(b); ha != hb {
		return ha > hb
	}
	for i := range a.held {
		if a.included[i] != b.included[i] {
			return a.included[i]
		}
	}
	if a.count != b.count {
		return a.count > b.count
	}
	for i := range a.included {
		if a.included[i] != b.included[i] {
			return a.included[i]
		}
	}
	if a.travel != b.travel {
		return a.travel < b.travel
	}
	return a.kept > b.kept
}

func bruteForce(in instance) bruteResult {
	f := newRef(in)
	best := bruteResult{count: -1, held: f.held}
	pick := make([]int, len(f.requested))
	var chosen []int
	var walk func(k int)
	walk = func(k int) {
		if f.held == 0 && len(chosen)+len(f.requested)-k < best.count {
			return // cannot schedule as many codes as the best so far
		}
		if k == len(f.requested) {
			res := bruteResult{count: len(chosen), held: f.held, included: make([]bool, len(pick)), travel: f.travelOf(chosen), kept: f.kept(chosen)}
			for i, p := range pick {
				res.included[i] = p >= 0
			}
			if best.count < 0 || better(res, best) {
				best = res
			}
			return
		}
		pick[k] = -1
		walk(k + 1)
	next:
		for _, i := range f.timed[k] {
			for _, j := range chosen {
				if !f.compatible(i, j) {
					continue next
				}
			}
			pick[k] = i
			chosen = append(chosen, i)
			walk(k + 1)
			chosen = chosen[:len(chosen)-1]
		}
		pick[k] = -1
	}
	walk(0)
	for _, c := range f.requested {
		best.requested = append(best.requested, c.String())
	}
	return best
}

// checkAgainst returns what is wrong with got, or "".
func checkAgainst(in instance, got *Result, want bruteResult) string {
	f := newRef(in)
	if !slices.Equal(got.Requested, want.requested) {
		return fmt.Sprintf("requested %q, want %q", got.Requested, want.requested)
	}
	if !got.Optimal {
		return "not optimal"
	}
	// Map the answer back to session indices and check it is feasible.
	index := func(s catalog.Session) int {
		for i := range in.sessions {
			if in.sessions[i].Equal(&s) {
				return i
			}
		}
		return -1
	}
	pos := map[string]int{}
	for i, c := range got.Requested {
		pos[c] = i
	}
	res := bruteResult{held: want.held, included: make([]bool, len(got.Requested))}
	chosen := make([]int, len(got.Requested))
	for i := range chosen {
		chosen[i] = -1
	}
	var all []int
	for k, c := range got.Scheduled {
		i, ok := pos[c.Code]
		if !ok || res.included[i] {
			return fmt.Sprintf("scheduled %s is not requested or twice", c.Code)
		}
		s := index(c.Session)
		if !slices.Contains(f.timed[i], s) {
			return fmt.Sprintf("%s scheduled as %s, not a timed candidate", c.Code, c.Session.Code)
		}
		if k > 0 && c.Session.Start.Before(got.Scheduled[k-1].Session.Start) {
			return "scheduled not sorted by start"
		}
		for _, o := range all {
			if !f.compatible(o, s) {
				return fmt.Sprintf("%s and %s clash", in.sessions[o].Code, c.Session.Code)
			}
		}
		if c.Kept != f.keep[strings.ToUpper(c.Session.Code)] {
			return fmt.Sprintf("%s scheduled as %s, kept %v, but Keep %q", c.Code, c.Session.Code, c.Kept, in.opts.Keep)
		}
		res.included[i] = true
		res.count++
		chosen[i] = s
		all = append(all, s)
	}
	res.travel = f.travelOf(all)
	res.kept = f.kept(all)
	if res.travel != got.TravelMinutes {
		return fmt.Sprintf("travel minutes %d, recomputed %d", got.TravelMinutes, res.travel)
	}
	if msg := f.checkLegs(got); msg != "" {
		return msg
	}
	if better(want, res) || better(res, want) {
		return fmt.Sprintf("objective (%d %v %d %d kept), brute force (%d %v %d %d kept)", res.count, res.included, res.travel, res.kept,
			want.count, want.included, want.travel, want.kept)
	}
	// Alternates.
	for _, c := range got.Scheduled {
		i, s := pos[c.Code], index(c.Session)
		alt := []string{}
		for _, a := range f.timed[i] { // timed is in catalog order; sort below
			code := in.sessions[a].Code
			if code == in.sessions[s].Code || slices.Contains(alt, code) {
				continue
			}
			ok := true
			for _, o := range all {
				if o != s && !f.compatible(o, a) {
					ok = false
				}
			}
			if ok {
				alt = append(alt, code)
			}
		}
		slices.SortFunc(alt, func(x, y string) int {
			a, b := sessionByCode(in, x), sessionByCode(in, y)
			if c := a.Start.Compare(b.Start); c != 0 {
				return c
			}
			if c := a.End.Compare(b.End); c != 0 {
				return c
			}
			return strings.Compare(x, y)
		})
		if !slices.Equal(alt, c.Alternates) || c.Alternates == nil {
			return fmt.Sprintf("%s alternates %q, want %q", c.Code, c.Alternates, alt)
		}
	}
	// Unscheduled and not found, in priority order.
	var unsched []Unscheduled
	var notFound []string
	for i, c := range f.requested {
		switch {
		case len(f.candidates[i]) == 0:
			notFound = append(notFound, c.String())
		case len(f.timed[i]) == 0:
			unsched = append(unsched, Unscheduled{Code: c.String(), Reason: ReasonNoTime, BlockedBy: []string{}})
		case chosen[i] < 0:
			by := []string{}
			for _, o := range all {
				for _, a := range f.timed[i] {
					if !f.compatible(o, a) {
						by = append(by, in.sessions[o].Code)
						break
					}
				}
			}
			slices.Sort(by)
			unsched = append(unsched, Unscheduled{Code: c.String(), Reason: ReasonConflict, BlockedBy: slices.Compact(by)})
		}
	}
	if len(unsched) != len(got.Unscheduled) {
		return fmt.Sprintf("unscheduled %v, want %v", got.Unscheduled, unsched)
	}
	for i, u := range unsched {
		g := got.Unscheduled[i]
		if g.Code != u.Code || g.Reason != u.Reason || !slices.Equal(g.BlockedBy, u.BlockedBy) || g.BlockedBy == nil {
			return fmt.Sprintf("unscheduled %v, want %v", got.Unscheduled, unsched)
		}
		if u.Reason == ReasonConflict && len(u.BlockedBy) == 0 {
			return fmt.Sprintf("%s unscheduled but nothing blocks it", u.Code)
		}
	}
	if !slices.Equal(got.NotFound, notFound) {
		return fmt.Sprintf("not found %q, want %q", got.NotFound, notFound)
	}
	return ""
}

func sessionByCode(in instance, code string) catalog.Session {
	for _, s := range in.sessions {
		if s.Code == code && !s.Embargoed && !s.Start.IsZero() {
			return s
		}
	}
	panic(code)
}
