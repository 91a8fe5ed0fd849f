package schedule

import (
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/reinvent-cli/reinvent/pkg/catalog"
	"github.com/reinvent-cli/reinvent/pkg/schedule/internal/instances"
)

// benchOptions are the options the generated instances are meant for.
var benchOptions = Options{UnknownTravel: instances.UnknownTravel, Location: instances.Location}

type benchCase struct {
	codes    []string
	sessions []catalog.Session
	keep     []string // Options.Keep
}

func benchCases(n int, gen func(uint64) ([]string, []catalog.Session)) []benchCase {
	cs := make([]benchCase, n)
	for i := range cs {
		cs[i].codes, cs[i].sessions = gen(uint64(i + 1))
	}
	return cs
}

// benchPlan plans the cases in turn and reports, besides ns/op, the median,
// 99th percentile and largest time of one call, and how many calls did not
// prove their schedule optimal.
func benchPlan(b *testing.B, cases []benchCase) {
	var times []time.Duration
	notOptimal := 0
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		c := cases[i%len(cases)]
		i++
		t0 := time.Now()
		opts := benchOptions
		opts.Keep = c.keep
		res, err := Plan(c.codes, c.sessions, opts)
		times = append(times, time.Since(t0))
		if err != nil {
			b.Fatal(err)
		}
		if !res.Optimal {
			notOptimal++
		}
	}
	slices.Sort(times)
	q := func(f float64) float64 { return float64(times[int(f*float64(len(times)-1))].Nanoseconds()) }
	b.ReportMetric(q(0.5), "p50-ns")
	b.ReportMetric(q(0.99), "p99-ns")
	b.ReportMetric(q(1), "max-ns")
	b.ReportMetric(float64(notOptimal), "not-optimal")
}

// BenchmarkPlanTypical plans 15 codes with up to 5 instances each over five
// days, from a catalog of 2,000 sessions; 200 different requests in turn,
// all on the same catalog, as a bot answering mentions would.
func BenchmarkPlanTypical(b *testing.B) {
	cases := benchCases(200, instances.Typical)
	for i := range cases {
		cases[i].sessions = cases[0].sessions
	}
	benchPlan(b, cases)
}

// BenchmarkPlanStress plans 60 codes with 6 instances each crowded into two
// days; 10 different requests in turn.
func BenchmarkPlanStress(b *testing.B) {
	benchPlan(b, benchCases(10, instances.Stress))
}

// withKeep gives each case a previous plan to keep: one instance of each
// requested code, drawn at random, so that keeping pulls against the
// search's own order of instances.
func withKeep(cases []benchCase) []benchCase {
	r := rand.New(rand.NewPCG(24, 24))
	for i := range cases {
		c := &cases[i]
		byBase := map[string][]string{}
		for _, s := range c.sessions {
			byBase[s.BaseCode] = append(byBase[s.BaseCode], s.Code)
		}
		c.keep = nil
		for _, code := range c.codes {
			if all := byBase[code]; len(all) > 0 {
				c.keep = append(c.keep, all[r.IntN(len(all))])
			}
		}
	}
	return cases
}

// BenchmarkPlanTypicalKeep is BenchmarkPlanTypical keeping a previous plan.
func BenchmarkPlanTypicalKeep(b *testing.B) {
	cases := benchCases(200, instances.Typical)
	for i := range cases {
		cases[i].sessions = cases[0].sessions
	}
	benchPlan(b, withKeep(cases))
}

// BenchmarkPlanStressKeep is BenchmarkPlanStress keeping a previous plan.
func BenchmarkPlanStressKeep(b *testing.B) {
	benchPlan(b, withKeep(benchCases(10, instances.Stress)))
}
