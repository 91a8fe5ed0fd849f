package lpcheck

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/reinvent-cli/reinvent/internal/catalogtest"
	"github.com/reinvent-cli/reinvent/internal/testenv"
	"github.com/reinvent-cli/reinvent/pkg/catalog"
	"github.com/reinvent-cli/reinvent/pkg/schedule"
	"github.com/reinvent-cli/reinvent/pkg/schedule/internal/instances"
)

// randomProblems is how many random requests TestPlanMatchesCBC checks;
// CI runs the default, a longer hunt for disagreements can ask for more.
var randomProblems = flag.Int("lpcheck.random", 30, "random requests TestPlanMatchesCBC checks")

// needCBC makes sure cbc is on the PATH, installing Debian's coinor-cbc
// once when it is missing and apt-get can run (as root, or with sudo), so
// that `go test ./...` needs nothing installed by hand. It fails the test,
// never skips it, when cbc cannot be had: a cross-check that silently does
// not run checks nothing.
func needCBC(t *testing.T) {
	t.Helper()
	if err := testenv.Ensure("the solver's cross-check against cbc", []string{CBC}, "coinor-cbc"); err != nil {
		t.Fatal(err)
	}
}

// benchOptions are the options the generated instances are meant for.
var benchOptions = schedule.Options{UnknownTravel: instances.UnknownTravel, Location: instances.Location}

// problem is one planning problem to cross-check.
type problem struct {
	name     string
	codes    []string
	sessions []catalog.Session
	opts     schedule.Options
	solve    SolveOptions
}

// randomProblem is a small or medium request (3 to 25 codes, 1 to 6
// instances each, crowded into 1 to 3 days) with the rough edges of real
// catalogs mixed in: all-day, embargoed and untimed sessions, sessions
// without an end, empty and unknown venues, venue names spelled another
// way, a full code requested before its base code, repeated and unknown
// codes; and a buffer, an unknown-travel time and sometimes a travel table
// that overrides the built-in one, with travel within a venue.
func randomProblem(seed uint64) problem {
	r := rand.New(rand.NewPCG(seed, 0x1bc4ec))
	codes, sessions := instances.Random(r, 3+r.IntN(23), 1+r.IntN(6), 1+r.IntN(3))
	for i := range sessions {
		s := &sessions[i]
		switch x := r.IntN(100); {
		case x < 2:
			s.AllDay = true
		case x < 5:
			s.Venue = ""
		case x < 8:
			s.Venue = "Unknown Hall"
		case x < 10:
			s.Embargoed = true
		case x < 12:
			s.Start, s.End = time.Time{}, time.Time{}
		case x < 14:
			s.End = time.Time{}
		case x < 17:
			s.Venue = "the " + strings.ToLower(s.Venue)
		}
	}
	if r.IntN(3) == 0 {
		// A full code, then (already in codes) its base: two requests
		// that share a session.
		if s := sessions[r.IntN(len(sessions))]; strings.Contains(s.Code, "-") {
			at := r.IntN(len(codes) + 1)
			codes = slices.Insert(codes, at, strings.ToLower(s.Code))
		}
	}
	if r.IntN(4) == 0 {
		codes = append(codes, strings.ToLower(codes[0]))
	}
	if r.IntN(4) == 0 {
		codes = slices.Insert(codes, r.IntN(len(codes)+1), "XYZ999")
	}
	opts := schedule.Options{
		Location:      instances.Location,
		UnknownTravel: []time.Duration{0, 30 * time.Minute, 45 * time.Minute, 7*time.Minute + 40*time.Second}[r.IntN(4)],
		Buffer:        []time.Duration{0, 0, 5 * time.Minute, 15 * time.Minute}[r.IntN(4)],
		TimeLimit:     time.Minute,
	}
	if r.IntN(3) == 0 {
		opts.Travel = schedule.Builtin().Merge(schedule.NewTravel(map[string]map[string]int{
			"Venetian":     {"Venetian": 5, "Wynn": 40},
			"Unknown Hall": {"MGM Grand": 10, "Unknown Hall": 0},
		}))
	}
	// Every way of writing the LP must give the same optimum.
	so := SolveOptions{Formulation: Formulation(seed % 2), Clashes: Clashes(seed / 2 % 2), Block: 1 + int(seed%7)}
	return problem{name: fmt.Sprintf("random%d", seed), codes: codes, sessions: sessions, opts: opts, solve: so}
}

// TestPlanMatchesCBC checks, on random requests and on the benchmarks'
// typical and stress requests, that Plan's schedule is optimal on all three
// levels of the objective: as many codes as cbc schedules, the same codes,
// and as few travel minutes.
func TestPlanMatchesCBC(t *testing.T) {
	needCBC(t)
	var problems []problem
	for seed := range uint64(*randomProblems) {
		problems = append(problems, randomProblem(seed))
	}
	for seed := range uint64(4) {
		codes, sessions := instances.Typical(seed + 1)
		problems = append(problems, problem{name: fmt.Sprintf("typical%d", seed+1), codes: codes, sessions: sessions, opts: benchOptions})
	}
	for seed := range uint64(2) {
		codes, sessions := instances.Stress(seed + 1)
		problems = append(problems, problem{name: fmt.Sprintf("stress%d", seed+1), codes: codes, sessions: sessions, opts: benchOptions})
	}
	for _, p := range problems {
		t.Run(p.name, func(t *testing.T) {
			t.Parallel()
			opts := p.opts
			opts.TimeLimit = time.Minute
			res, err := schedule.Plan(p.codes, p.sessions, opts)
			if err != nil {
				t.Fatal(err)
			}
			if !res.Optimal {
				t.Fatal("Plan did not prove its schedule optimal within a minute")
			}
			m, err := NewModel(p.codes, p.sessions, p.opts)
			if err != nil {
				t.Fatal(err)
			}
			s, err := Solve(context.Background(), m, p.solve)
			if err != nil {
				t.Fatal(err)
			}
			if diffs := Compare(m, res, s); len(diffs) > 0 {
				t.Errorf("Plan and cbc (clash rows %s, travel %s) disagree:\n%s", p.solve.Clashes, p.solve.Formulation, strings.Join(diffs, "\n"))
			}
		})
	}
}

// session is a test session of code on Monday, December 1, 2025, from
// start to end ("09:00").
func session(code, start, end, venue string) catalog.Session {
	at := func(hm string) time.Time {
		t, err := time.ParseInLocation("2006-01-02 15:04", "2025-12-01 "+hm, instances.Location)
		if err != nil {
			panic(err)
		}
		return t
	}
	return catalogtest.Session(catalog.Session{Code: code, Start: at(start), End: at(end), Venue: venue})
}

// TestSolveObjective checks the staged solve on requests whose optimum is
// known, on its own, with each way of writing the LP.
func TestSolveObjective(t *testing.T) {
	needCBC(t)
	sessions := []catalog.Session{
		session("AAA101", "09:00", "10:00", "Venetian"),
		session("BBB101", "09:30", "10:30", "Venetian"), // clashes with A
		session("CCC101", "11:00", "12:00", "Venetian"),
		session("DDD101", "09:00", "12:30", "Venetian"), // clashes with A, B, C
		session("EEE101", "13:00", "14:00", "Wynn"),
		session("EEE101-R", "13:00", "14:00", "Venetian"),
		session("FFF101", "15:00", "16:00", "Wynn"),
		session("GGG101", "15:30", "16:30", "Venetian"), // clashes with F
	}
	opts := schedule.Options{Location: instances.Location, UnknownTravel: 30 * time.Minute}
	vw, _ := schedule.Builtin().Minutes("Venetian", "Wynn")
	tests := []struct {
		codes  []string
		want   []string // the codes scheduled
		travel int
	}{
		// Most codes: D alone loses to A, C; B, C.
		{[]string{"DDD101", "AAA101", "CCC101"}, []string{"AAA101", "CCC101"}, 0},
		// Then earlier codes first: A before B.
		{[]string{"BBB101", "AAA101", "CCC101"}, []string{"BBB101", "CCC101"}, 0},
		// Then the least travel: G before F, so EEE101-R at the Venetian,
		// where C and G are.
		{[]string{"CCC101", "EEE101", "GGG101", "FFF101"}, []string{"CCC101", "EEE101", "GGG101"}, 0},
		// F before G: F is at the Wynn, one walk from the Venetian.
		{[]string{"CCC101", "EEE101", "FFF101", "GGG101"}, []string{"CCC101", "EEE101", "FFF101"}, vw},
	}
	for i, tt := range tests {
		for _, so := range []SolveOptions{{}, {Formulation: Pairs, Clashes: PairRows, Block: 1}} {
			t.Run(fmt.Sprintf("%d-%s-%s", i, so.Clashes, so.Formulation), func(t *testing.T) {
				m, err := NewModel(tt.codes, sessions, opts)
				if err != nil {
					t.Fatal(err)
				}
				s, err := Solve(context.Background(), m, so)
				if err != nil {
					t.Fatal(err)
				}
				var got []string
				for ci, in := range s.Scheduled {
					if in {
						got = append(got, m.Codes[ci])
					}
				}
				if !slices.Equal(got, tt.want) || s.Travel != tt.travel || s.Count != len(tt.want) {
					t.Errorf("scheduled %v with %d travel minutes (count %d), want %v with %d", got, s.Travel, s.Count, tt.want, tt.travel)
				}
			})
		}
	}
}

// TestTravelIsConsecutive checks the model's reading of the third level:
// travel between consecutive chosen sessions of a day, not between every
// pair, and none across days.
func TestTravelIsConsecutive(t *testing.T) {
	sessions := []catalog.Session{
		session("AAA101", "09:00", "10:00", "Venetian"),
		session("BBB101", "11:00", "12:00", "Wynn"),
		session("CCC101", "13:00", "14:00", "Venetian"),
		session("DDD101", "13:00", "14:00", "MGM Grand"),
	}
	sessions[3].Start = sessions[3].Start.AddDate(0, 0, 1)
	sessions[3].End = sessions[3].End.AddDate(0, 0, 1)
	m, err := NewModel([]string{"AAA101", "BBB101", "CCC101", "DDD101"}, sessions, schedule.Options{Location: instances.Location})
	if err != nil {
		t.Fatal(err)
	}
	vw, _ := schedule.Builtin().Minutes("Venetian", "Wynn")
	if got, want := m.Travel([]int{2, 0, 1, 3}), 2*vw; got != want {
		t.Errorf("travel %d, want %d (Venetian–Wynn and back)", got, want)
	}
	if got := m.Travel([]int{0, 2, 3}); got != 0 {
		t.Errorf("travel %d, want 0", got)
	}
}

// TestWriteLP checks that the exported file is an LP file cbc reads, with
// one binary per candidate.
func TestWriteLP(t *testing.T) {
	codes, sessions := instances.Typical(1)
	var buf bytes.Buffer
	m, err := WriteLP(&buf, codes, sessions, benchOptions)
	if err != nil {
		t.Fatal(err)
	}
	lp := buf.String()
	for _, want := range []string{"Maximize\n", "Subject To\n", "Binaries\n", "End\n"} {
		if !strings.Contains(lp, want) {
			t.Errorf("LP file has no %q", want)
		}
	}
	if len(m.Vars) == 0 || len(m.Codes) != 15 {
		t.Fatalf("model of %d codes, %d variables", len(m.Codes), len(m.Vars))
	}
	if _, err := WriteLP(&buf, []string{"not a code"}, sessions, benchOptions); err == nil {
		t.Error("WriteLP accepted an invalid code")
	}
}

func TestParseSolution(t *testing.T) {
	obj, chosen, err := parseSolution([]byte("Optimal - objective value 3.00000000\n" +
		"      0 x0                     1                       1\n" +
		"      1 x1                     0                       1\n" +
		"      2 y2                     0.99999999              2\n"))
	if err != nil || obj != 3 || !slices.Equal(chosen, []string{"x0", "y2"}) {
		t.Errorf("got %v %v %v", obj, chosen, err)
	}
	for _, bad := range []string{"", "Infeasible - objective value 2.00000000\n", "Optimal - objective value 1\n 0 x0\n"} {
		if _, _, err := parseSolution([]byte(bad)); err == nil {
			t.Errorf("parseSolution(%q) accepted it", bad)
		}
	}
	if d, ok := ReportedTime("Total time (CPU seconds):       0.30   (Wallclock seconds):       0.43\n"); !ok || d != 430*time.Millisecond {
		t.Errorf("ReportedTime = %v, %v", d, ok)
	}
}

// TestCompareFindsDifferences checks that a result that is wrong on any
// level, or not a schedule at all, is told apart from cbc's optimum.
func TestCompareFindsDifferences(t *testing.T) {
	needCBC(t)
	sessions := []catalog.Session{
		session("AAA101", "09:00", "10:00", "Venetian"),
		session("BBB101", "09:30", "10:30", "Venetian"), // clashes with A
		session("CCC101", "11:30", "12:30", "Wynn"),
	}
	opts := schedule.Options{Location: instances.Location, UnknownTravel: 30 * time.Minute}
	m, err := NewModel([]string{"BBB101", "AAA101", "CCC101"}, sessions, opts)
	if err != nil {
		t.Fatal(err)
	}
	s, err := Solve(context.Background(), m, SolveOptions{})
	if err != nil {
		t.Fatal(err)
	}
	vw, _ := schedule.Builtin().Minutes("Venetian", "Wynn")
	result := func(travel int, chosen ...int) *schedule.Result {
		r := &schedule.Result{Requested: m.Codes, TravelMinutes: travel}
		for _, i := range chosen {
			code := strings.TrimSuffix(sessions[i].Code, "-R")
			r.Scheduled = append(r.Scheduled, schedule.Choice{Code: code, Session: sessions[i]})
		}
		return r
	}
	if d := Compare(m, result(vw, 1, 2), s); d != nil {
		t.Errorf("the optimum differs from itself: %v", d)
	}
	for name, r := range map[string]*schedule.Result{
		"later code": result(vw, 0, 2),
		"fewer":      result(0, 1),
		"travel":     result(vw-5, 1, 2),
		"clash":      result(0, 0, 1),
	} {
		if d := Compare(m, r, s); d == nil {
			t.Errorf("%s: no difference found", name)
		}
	}
}

// keepProblems is how many random requests TestPlanKeepMatchesCBC checks.
var keepProblems = flag.Int("lpcheck.keep", 24, "random requests with a previous plan to keep TestPlanKeepMatchesCBC checks")

// TestPlanKeepMatchesCBC checks, with a previous plan to keep, that Plan's
// schedule is optimal on every level, the instances kept last, as cbc
// solves them in stages. A third of the random requests keep a random set
// of instances; a third the plan of their catalog before it changed (a
// planned session moved onto another planned one, and a new repeat of a
// third, as good as the planned instance); and a third a random set in a
// catalog of one venue, where travel ties most often and keeping decides
// most. The typical and stress requests keep one instance of each code,
// drawn at random.
func TestPlanKeepMatchesCBC(t *testing.T) {
	needCBC(t)
	var problems []problem
	for seed := range uint64(*keepProblems) {
		p := randomProblem(1000 + seed)
		r := rand.New(rand.NewPCG(seed, 24))
		if seed%3 == 2 {
			for i := range p.sessions {
				p.sessions[i].Venue = "Venetian"
			}
		}
		if seed%3 != 1 {
			for _, s := range p.sessions {
				if r.IntN(3) == 0 {
					p.opts.Keep = append(p.opts.Keep, strings.ToLower(s.Code))
				}
			}
		} else {
			prev, err := schedule.Plan(p.codes, p.sessions, p.opts)
			if err != nil {
				t.Fatal(err)
			}
			p.sessions = changed(r, p.sessions, prev)
			for _, c := range prev.Scheduled {
				p.opts.Keep = append(p.opts.Keep, c.Session.Code)
			}
		}
		p.name = fmt.Sprintf("random%d", 1000+seed)
		problems = append(problems, p)
	}
	r := rand.New(rand.NewPCG(24, 24))
	keepAny := func(codes []string, sessions []catalog.Session) []string {
		var keep []string
		for _, c := range codes {
			var all []string
			for _, s := range sessions {
				if s.BaseCode == c {
					all = append(all, s.Code)
				}
			}
			if len(all) > 0 {
				keep = append(keep, all[r.IntN(len(all))])
			}
		}
		return keep
	}
	for seed := range uint64(2) {
		codes, sessions := instances.Typical(seed + 1)
		opts := benchOptions
		opts.Keep = keepAny(codes, sessions)
		problems = append(problems, problem{name: fmt.Sprintf("typical%d", seed+1), codes: codes, sessions: sessions, opts: opts})
	}
	codes, sessions := instances.Stress(1)
	opts := benchOptions
	opts.Keep = keepAny(codes, sessions)
	problems = append(problems, problem{name: "stress1", codes: codes, sessions: sessions, opts: opts})

	mattered := make(chan string, len(problems))
	t.Run("all", func(t *testing.T) {
		for _, p := range problems {
			t.Run(p.name, func(t *testing.T) {
				t.Parallel()
				opts := p.opts
				opts.TimeLimit = time.Minute
				res, err := schedule.Plan(p.codes, p.sessions, opts)
				if err != nil {
					t.Fatal(err)
				}
				if !res.Optimal {
					t.Fatal("Plan did not prove its schedule optimal within a minute")
				}
				m, err := NewModel(p.codes, p.sessions, p.opts)
				if err != nil {
					t.Fatal(err)
				}
				s, err := Solve(context.Background(), m, p.solve)
				if err != nil {
					t.Fatal(err)
				}
				if diffs := Compare(m, res, s); len(diffs) > 0 {
					t.Errorf("Plan and cbc (clash rows %s, travel %s) disagree:\n%s", p.solve.Clashes, p.solve.Formulation, strings.Join(diffs, "\n"))
				}
				opts.Keep = nil
				free, err := schedule.Plan(p.codes, p.sessions, opts)
				if err != nil {
					t.Fatal(err)
				}
				var chosen []int
				for _, c := range free.Scheduled {
					chosen = append(chosen, m.Lookup(c.Code, &c.Session))
				}
				if m.Kept(chosen) < s.Kept {
					mattered <- p.name
				}
			})
		}
	})
	close(mattered)
	var names []string
	for name := range mattered {
		names = append(names, name)
	}
	t.Logf("keeping changed the plan of %d of %d requests: %v", len(names), len(problems), names)
	if len(names) == 0 && !t.Failed() {
		t.Error("keeping changed no plan: the test does not test the level")
	}
}

// changed is the catalog sessions after a small change under the plan
// prev: one planned session moves onto the time of another planned one,
// and another planned code gets a new repeat at the time and place of its
// planned instance, which sorts first ("-A").
func changed(r *rand.Rand, sessions []catalog.Session, prev *schedule.Result) []catalog.Session {
	sessions = slices.Clone(sessions)
	find := func(code string) int {
		return slices.IndexFunc(sessions, func(s catalog.Session) bool { return s.Code == code })
	}
	if n := len(prev.Scheduled); n >= 2 {
		a, b := r.IntN(n), r.IntN(n-1)
		if b >= a {
			b++
		}
		if i, j := find(prev.Scheduled[a].Session.Code), find(prev.Scheduled[b].Session.Code); !sessions[i].AllDay && !sessions[j].AllDay {
			d := sessions[j].Start.Sub(sessions[i].Start)
			sessions[i].Start = sessions[i].Start.Add(d)
			if !sessions[i].End.IsZero() {
				sessions[i].End = sessions[i].End.Add(d)
			}
		}
	}
	if n := len(prev.Scheduled); n > 0 {
		repeat := sessions[find(prev.Scheduled[r.IntN(n)].Session.Code)]
		repeat.Code = repeat.BaseCode + "-A"
		sessions = append(sessions, repeat)
	}
	return sessions
}

// TestSolveKeep checks the last stage on its own: among the plans of the
// least travel, the one that keeps the most; never one that travels more
// to keep; and Compare tells a plan that keeps fewer from the optimum.
func TestSolveKeep(t *testing.T) {
	needCBC(t)
	sessions := []catalog.Session{
		session("AAA101", "09:00", "10:00", "Venetian"),
		session("BBB101", "11:00", "12:00", "Venetian"),
		session("BBB101-R", "11:00", "12:00", "Venetian"), // as good as BBB101
		session("BBB101-R1", "11:00", "12:00", "Wynn"),    // a walk away
	}
	codes := []string{"AAA101", "BBB101"}
	for _, tt := range []struct {
		keep       []string
		want       string // BBB101's instance
		kept, trav int
	}{
		{[]string{"bbb101-r"}, "BBB101-R", 1, 0},
		{[]string{"AAA101", "BBB101-R1"}, "", 1, 0}, // BBB101 or BBB101-R: no walk
		{nil, "", 0, 0},
	} {
		for _, so := range []SolveOptions{{}, {Formulation: Pairs, Clashes: PairRows}} {
			opts := schedule.Options{Location: instances.Location, UnknownTravel: 30 * time.Minute, Keep: tt.keep}
			m, err := NewModel(codes, sessions, opts)
			if err != nil {
				t.Fatal(err)
			}
			s, err := Solve(context.Background(), m, so)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, v := range s.Chosen {
				got = append(got, m.Vars[v].Full)
			}
			slices.Sort(got)
			if s.Kept != tt.kept || s.Travel != tt.trav || len(got) != 2 || tt.want != "" && got[1] != tt.want || got[1] == "BBB101-R1" {
				t.Errorf("keep %v (%s, %s): chose %v, %d kept, %d travel minutes; want %q, %d kept, %d", tt.keep, so.Clashes, so.Formulation,
					got, s.Kept, s.Travel, tt.want, tt.kept, tt.trav)
			}
		}
	}

	opts := schedule.Options{Location: instances.Location, UnknownTravel: 30 * time.Minute, Keep: []string{"BBB101-R"}}
	m, err := NewModel(codes, sessions, opts)
	if err != nil {
		t.Fatal(err)
	}
	s, err := Solve(context.Background(), m, SolveOptions{})
	if err != nil {
		t.Fatal(err)
	}
	res := &schedule.Result{Requested: m.Codes, Scheduled: []schedule.Choice{
		{Code: "AAA101", Session: sessions[0]}, {Code: "BBB101", Session: sessions[1]},
	}}
	if d := Compare(m, res, s); len(d) != 1 || !strings.Contains(d[0], "kept") {
		t.Errorf("a plan that keeps nothing against an optimum that keeps one: differences %q", d)
	}
	res.Scheduled[1] = schedule.Choice{Code: "BBB101", Session: sessions[2]}
	if d := Compare(m, res, s); len(d) != 1 || !strings.Contains(d[0], "kept") {
		t.Errorf("a plan that does not mark its kept instance: differences %q", d)
	}
	res.Scheduled[1].Kept = true
	if d := Compare(m, res, s); d != nil {
		t.Errorf("the optimum differs from itself: %v", d)
	}
}
