package schedule

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/reinvent-cli/reinvent/pkg/catalog"
	"github.com/reinvent-cli/reinvent/pkg/schedule/internal/instances"
)

// TestPlanKeepMatchesBruteForce checks Plan with Options.Keep against the
// exhaustive search on every level, the kept instances last: half the
// instances keep a random set of codes (any case, some naming no instance
// or no session at all), the other half keep the plan of the catalog
// before a small change (a session moved, removed, relocated, or a repeat
// added), as `follow` will. Some have held codes too.
func TestPlanKeepMatchesBruteForce(t *testing.T) {
	n := bruteInstances / 2
	if testing.Short() {
		n = 1_000
	}
	r := rand.New(rand.NewPCG(20261207, 24))
	checkKeep(t, n, func() instance { return randomInstance(r) }, r)
}

// TestPlanKeepMatchesBruteForceMedium does the same on larger instances
// crowded into one or two days, where step 3 branches deeply and its
// bounds do the work.
func TestPlanKeepMatchesBruteForceMedium(t *testing.T) {
	n := 1_000
	if testing.Short() {
		n = 100
	}
	r := rand.New(rand.NewPCG(20261207, 2424))
	checkKeep(t, n, func() instance { return randomSized(r, 8, 11, 2) }, r)
}

func checkKeep(t *testing.T, n int, gen func() instance, r *rand.Rand) {
	t.Helper()
	stats := map[string]int{}
	for i := range n {
		in := gen()
		if i%2 == 0 {
			in.opts.Keep = randomKeep(r, in.sessions)
		} else {
			prev, err := Plan(in.codes, in.sessions, in.opts)
			if err != nil {
				t.Fatal(err)
			}
			in = changeCatalog(r, in)
			for _, c := range prev.Scheduled {
				in.opts.Keep = append(in.opts.Keep, c.Session.Code)
			}
		}
		if r.IntN(4) == 0 {
			in.opts.Fixed = 1 + r.IntN(len(in.codes))
		}
		got, err := Plan(in.codes, in.sessions, in.opts)
		if err != nil {
			t.Fatalf("instance %d: %v\n%s", i, err, in)
		}
		want := bruteForce(in)
		if msg := checkAgainst(in, got, want); msg != "" {
			t.Fatalf("instance %d: %s\n%s\ngot %s", i, msg, in, describe(got))
		}
		free := in.opts
		free.Keep = nil
		open, err := Plan(in.codes, in.sessions, free)
		if err != nil {
			t.Fatal(err)
		}
		if f := newRef(in); want.kept > f.kept(sessionIndices(in, open)) {
			stats[fmt.Sprintf("keep kept more (%s)", []string{"random", "previous plan"}[i%2])]++
		}
	}
	t.Logf("%d instances: %v", n, stats)
	for _, kind := range []string{"random", "previous plan"} {
		if stats["keep kept more ("+kind+")"] == 0 {
			t.Errorf("no instance where keeping (%s) changed the plan: the test does not test the rule", kind)
		}
	}
}

// randomKeep is a random set of the sessions' codes in random case, now and
// then with a code no session has and one that is no code.
func randomKeep(r *rand.Rand, sessions []catalog.Session) []string {
	var keep []string
	for _, s := range sessions {
		if r.IntN(3) == 0 {
			c := s.Code
			if r.IntN(3) == 0 {
				c = strings.ToLower(c)
			}
			keep = append(keep, c)
		}
	}
	if r.IntN(5) == 0 {
		keep = append(keep, "XYZ999-R1")
	}
	if r.IntN(10) == 0 {
		keep = append(keep, "not a code")
	}
	return keep
}

// changeCatalog changes one session of in's catalog a little: it moves,
// is removed, goes to another venue, or gets a new repeat.
func changeCatalog(r *rand.Rand, in instance) instance {
	out := in
	out.sessions = slices.Clone(in.sessions)
	i := r.IntN(len(out.sessions))
	s := &out.sessions[i]
	switch r.IntN(4) {
	case 0:
		if !s.Start.IsZero() && !s.AllDay {
			d := time.Duration(15*(r.IntN(17)-8)) * time.Minute
			s.Start = s.Start.Add(d)
			if !s.End.IsZero() {
				s.End = s.End.Add(d)
			}
		}
	case 1:
		out.sessions = slices.Delete(out.sessions, i, i+1)
	case 2:
		s.Venue = bruteVenues[r.IntN(len(bruteVenues))]
	case 3:
		repeat := *s
		repeat.Code = s.BaseCode + "-R7"
		if !repeat.Start.IsZero() && !repeat.AllDay {
			d := time.Duration(15*(r.IntN(17)-8)) * time.Minute
			repeat.Start = repeat.Start.Add(d)
			if !repeat.End.IsZero() {
				repeat.End = repeat.End.Add(d)
			}
		}
		out.sessions = append(out.sessions, repeat)
	}
	return out
}

// sessionIndices maps the scheduled sessions of res back to in.sessions.
func sessionIndices(in instance, res *Result) []int {
	var idx []int
	for _, c := range res.Scheduled {
		idx = append(idx, slices.IndexFunc(in.sessions, func(s catalog.Session) bool { return s.Equal(&c.Session) }))
	}
	return idx
}

// TestPlanKeepFollowsTheCatalog is what `follow` does when the catalog
// changes under a plan: a new repeat of every planned session appears,
// earlier in the week and just as good, and one planned session moves
// into the time of another that has no other instance. Planned again with
// the old plan's instances kept, only the code that must move moves; the
// rest of the week stays as it was.
func TestPlanKeepFollowsTheCatalog(t *testing.T) {
	codes := []string{"KEY001", "ARC301", "SVS401", "DOP201", "AIM301"}
	before := []catalog.Session{
		at("KEY001", 2, "08:00", 120, "Venetian"),
		at("ARC301", 2, "11:00", 60, "Venetian"),
		at("ARC301-R", 3, "11:00", 60, "Venetian"),
		at("SVS401", 2, "13:00", 60, "Venetian"),
		at("SVS401-R", 4, "13:00", 60, "Venetian"),
		at("DOP201", 3, "15:00", 60, "Venetian"),
		at("DOP201-R", 4, "15:00", 60, "Venetian"),
		at("AIM301", 3, "09:00", 60, "Venetian"),
	}
	prev, err := Plan(codes, before, options())
	if err != nil {
		t.Fatal(err)
	}
	if len(prev.Scheduled) != len(codes) || prev.TravelMinutes != 0 {
		t.Fatalf("the first plan: %v, %d travel minutes", chosen(prev), prev.TravelMinutes)
	}
	planned := map[string]string{} // code → the instance of the old plan
	var keep []string
	for _, c := range prev.Scheduled {
		planned[c.Code] = c.Session.Code
		keep = append(keep, c.Session.Code)
		if c.Kept {
			t.Errorf("%s kept with nothing to keep", c.Session.Code)
		}
	}

	// The catalog changes: a repeat of each code on Monday, and the
	// planned instance of SVS401 moves onto AIM301, which has no repeat.
	after := slices.Clone(before)
	for i, code := range []string{"ARC301", "SVS401", "DOP201"} {
		after = append(after, at(code+"-R9", 1, fmt.Sprintf("%02d:00", 9+2*i), 60, "Venetian"))
	}
	moved := slices.IndexFunc(after, func(s catalog.Session) bool { return s.Code == planned["SVS401"] })
	after[moved].Start = after[slices.IndexFunc(after, func(s catalog.Session) bool { return s.Code == "AIM301" })].Start
	after[moved].End = after[moved].Start.Add(time.Hour)

	opts := options()
	opts.Keep = keep
	res, err := Plan(codes, after, opts)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Scheduled) != len(codes) || res.TravelMinutes != 0 || !res.Optimal {
		t.Fatalf("planned again: %v, %d travel minutes, optimal %v", chosen(res), res.TravelMinutes, res.Optimal)
	}
	for _, c := range res.Scheduled {
		switch {
		case c.Code == "SVS401" && (c.Session.Code == planned["SVS401"] || c.Kept):
			t.Errorf("SVS401 still at %s (kept %v), which now clashes with AIM301", c.Session.Code, c.Kept)
		case c.Code != "SVS401" && (c.Session.Code != planned[c.Code] || !c.Kept):
			t.Errorf("%s moved from %s to %s (kept %v): only SVS401 had to move", c.Code, planned[c.Code], c.Session.Code, c.Kept)
		}
	}
	t.Logf("before %v\nafter, kept %v", chosen(prev), chosen(res))
	free, err := Plan(codes, after, options())
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("after, nothing kept %v", chosen(free))
}

// TestPlanKeepNeverCostsTravel: keeping is the last level. A new repeat
// that saves a walk replaces the kept instance; one that saves nothing
// does not.
func TestPlanKeepNeverCostsTravel(t *testing.T) {
	codes := []string{"ARC301", "SVS401"}
	sessions := []catalog.Session{
		at("ARC301", 1, "09:00", 60, "Venetian"),
		at("SVS401", 1, "13:00", 60, "Wynn"),
		at("SVS401-R", 1, "13:00", 60, "Venetian"), // saves the walk
		at("SVS401-R1", 2, "13:00", 60, "Wynn"),    // saves the walk too: alone on its day
	}
	opts := options()
	opts.Keep = []string{"ARC301", "SVS401"}
	res, err := Plan(codes, sessions, opts)
	if err != nil {
		t.Fatal(err)
	}
	if got := chosen(res); len(got) != 2 || res.TravelMinutes != 0 || (got[1] != "SVS401=SVS401-R" && got[1] != "SVS401=SVS401-R1") {
		t.Errorf("kept the walk: %v, %d travel minutes", got, res.TravelMinutes)
	}
	opts.Keep = []string{"ARC301", "svs401-r1"}
	res, err = Plan(codes, sessions, opts)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := chosen(res), []string{"ARC301=ARC301", "SVS401=SVS401-R1"}; !slices.Equal(got, want) || res.TravelMinutes != 0 {
		t.Errorf("got %v with %d travel minutes, want %v: of two plans without travel, the one keeping both", got, res.TravelMinutes, want)
	}
	for _, c := range res.Scheduled {
		if !c.Kept {
			t.Errorf("%s not marked kept", c.Session.Code)
		}
	}
}

// TestPlanKeepIgnoresOthers: codes in Keep that name no instance of a
// requested code (another session, an unknown one, no code at all) change
// nothing, and with Keep empty Plan answers as before.
func TestPlanKeepIgnoresOthers(t *testing.T) {
	codes, sessions := instances.Typical(3)
	want, err := Plan(codes, sessions, benchOptions)
	if err != nil {
		t.Fatal(err)
	}
	opts := benchOptions
	opts.Keep = []string{"XYZ999", "XYZ999-R1", "not a code", "", " "}
	for _, s := range sessions {
		if !slices.ContainsFunc(codes, func(c string) bool { return strings.EqualFold(c, s.BaseCode) }) {
			opts.Keep = append(opts.Keep, s.Code)
		}
	}
	got, err := Plan(codes, sessions, opts)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Keep of other sessions changed the plan:\n%v\nwant\n%v", chosen(got), chosen(want))
	}
}

// TestPlanKeepDropIn: a drop-in session is placed at the instance Keep
// names, the others listed as alternates.
func TestPlanKeepDropIn(t *testing.T) {
	lounge := at("GHJ101", 2, "08:00", 540, "Venetian")
	lounge.AllDay, lounge.Title = true, "AWS Jam Lounge"
	lounge2 := at("GHJ101-R", 3, "08:00", 540, "Venetian")
	lounge2.AllDay, lounge2.Title = true, "AWS Jam Lounge"
	opts := options()
	opts.Keep = []string{"ghj101-r"}
	res, err := Plan([]string{"GHJ101"}, []catalog.Session{lounge, lounge2}, opts)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Scheduled) != 1 {
		t.Fatalf("scheduled %v", chosen(res))
	}
	if c := res.Scheduled[0]; c.Session.Code != "GHJ101-R" || !c.Kept || !slices.Equal(c.Alternates, []string{"GHJ101"}) {
		t.Errorf("the lounge at %s (kept %v, alternates %v), want GHJ101-R kept, GHJ101 the alternate", c.Session.Code, c.Kept, c.Alternates)
	}
}
