// Command schedlp compares the schedule solver with cbc, a general MILP
// solver, on the generated benchmark instances: for each instance it times
// schedule.Plan and the staged cbc solve of the same objective, and checks
// that both reach the same optimum. With -lp it only exports an instance's
// LP file.
//
//	go run ./pkg/schedule/internal/cmd/schedlp -kind typical -seed 1 -n 20
//	go run ./pkg/schedule/internal/cmd/schedlp -kind stress -seed 1 -n 5
//	go run ./pkg/schedule/internal/cmd/schedlp -kind stress -seed 3 -lp stress3.lp
//
// It needs cbc on the PATH (Debian: apt-get install -y coinor-cbc).
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strconv"
	"text/tabwriter"
	"time"

	"github.com/reinvent-cli/reinvent/pkg/catalog"
	"github.com/reinvent-cli/reinvent/pkg/schedule"
	"github.com/reinvent-cli/reinvent/pkg/schedule/internal/instances"
	"github.com/reinvent-cli/reinvent/pkg/schedule/internal/lpcheck"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "schedlp:", err)
		os.Exit(1)
	}
}

// Options are what the generated instances are meant to be solved with, as
// in the solver's benchmarks.
var options = schedule.Options{UnknownTravel: instances.UnknownTravel, Location: instances.Location}

func run(ctx context.Context, args []string, out io.Writer) error {
	fs := flag.NewFlagSet("schedlp", flag.ContinueOnError)
	kind := fs.String("kind", "typical", "instance kind: typical (15 codes, ≤5 instances, 5 days) or stress (60 codes, 6 instances, 2 days)")
	seed := fs.Uint64("seed", 1, "seed of the first instance")
	n := fs.Int("n", 1, "instances to run, seeds seed, seed+1, ...")
	lp := fs.String("lp", "", "only write the instance's LP file (stage 1, most codes) to `FILE`")
	reps := fs.Int("reps", 0, "Plan calls timed per instance (0: 200 typical, 20 stress)")
	form := fs.String("formulation", "flow", "travel stage formulation: flow or pairs")
	clashes := fs.String("clashes", "cliques", "clash rows: cliques (a clique cover) or pairs (x_a + x_b ≤ 1 per clashing pair)")
	block := fs.Int("block", 0, "codes decided per run of the second stage (0: 20)")
	keep := fs.String("keep", "", "keep every stage's LP and solution files under `DIR`")
	if err := fs.Parse(args); err != nil {
		return err
	}
	gen := instances.Typical
	switch *kind {
	case "typical":
		if *reps == 0 {
			*reps = 200
		}
	case "stress":
		gen = instances.Stress
		if *reps == 0 {
			*reps = 20
		}
	default:
		return fmt.Errorf("unknown -kind %q: want typical or stress", *kind)
	}
	f, err := lpcheck.ParseFormulation(*form)
	if err != nil {
		return err
	}
	c, err := lpcheck.ParseClashes(*clashes)
	if err != nil {
		return err
	}
	if *lp != "" {
		codes, sessions := gen(*seed)
		return writeLP(*lp, codes, sessions, c)
	}
	version, err := lpcheck.Version(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "kind %s, seeds %d..%d, cbc %s, clash rows %s, travel formulation %s, Plan timed %d times per instance\n\n",
		*kind, *seed, *seed+uint64(*n)-1, version, c, f, *reps)
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "seed\tcodes\tinstances\tPlan median\tPlan max\tcbc total\tcbc runs\tcbc reported\tratio\tworst ratio\tequal\t")
	var planAll, cbcAll []time.Duration
	minRatio, minWorst, minReported, unequal := 0.0, 0.0, 0.0, 0
	for i := range *n {
		s := *seed + uint64(i)
		codes, sessions := gen(s)
		m, err := lpcheck.NewModel(codes, sessions, options)
		if err != nil {
			return err
		}
		var res *schedule.Result
		times := make([]time.Duration, *reps)
		for r := range times {
			t0 := time.Now()
			res, err = schedule.Plan(codes, sessions, options)
			times[r] = time.Since(t0)
			if err != nil {
				return err
			}
		}
		planAll = append(planAll, times...)
		dir := ""
		if *keep != "" {
			dir = filepath.Join(*keep, *kind+strconv.FormatUint(s, 10))
		}
		sol, err := lpcheck.Solve(ctx, m, lpcheck.SolveOptions{Dir: dir, Formulation: f, Clashes: c, Block: *block})
		if err != nil {
			return fmt.Errorf("seed %d: %w", s, err)
		}
		cbcAll = append(cbcAll, sol.Elapsed)
		pm, px := quantile(times, 0.5), quantile(times, 1)
		ratio := float64(sol.Elapsed) / float64(pm)
		worst := float64(sol.Elapsed) / float64(px)
		reported := float64(sol.Reported) / float64(px)
		if i == 0 {
			minRatio, minWorst, minReported = ratio, worst, reported
		}
		minRatio, minWorst, minReported = min(minRatio, ratio), min(minWorst, worst), min(minReported, reported)
		diffs := lpcheck.Compare(m, res, sol)
		equal := "yes"
		if len(diffs) > 0 || !res.Optimal {
			equal = "NO"
			unequal++
		}
		fmt.Fprintf(tw, "%d\t%d\t%d\t%s\t%s\t%s\t%d\t%s\t%.0fx\t%.0fx\t%s\t\n", s, len(m.Codes), len(m.Vars),
			pm.Round(time.Microsecond), px.Round(time.Microsecond), sol.Elapsed.Round(100*time.Microsecond), len(sol.Runs),
			sol.Reported.Round(10*time.Millisecond), ratio, worst, equal)
		for _, d := range diffs {
			fmt.Fprintf(tw, "\t\t\t\t\t\t\t\t\t\t%s\t\n", d)
		}
		if !res.Optimal {
			fmt.Fprintf(tw, "\t\t\t\t\t\t\t\t\t\tPlan did not prove its schedule optimal\t\n")
		}
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	pm, cm := quantile(planAll, 0.5), quantile(cbcAll, 0.5)
	fmt.Fprintf(out, "\nPlan: median %s, p99 %s, max %s over %d calls\n", pm, quantile(planAll, 0.99), quantile(planAll, 1), len(planAll))
	fmt.Fprintf(out, "cbc:  median %s, min %s, max %s over %d instances\n", cm, quantile(cbcAll, 0), quantile(cbcAll, 1), len(cbcAll))
	fmt.Fprintf(out, "ratio of medians %.0fx; smallest ratio of one instance: %.0fx to its median Plan call, %.0fx to its slowest,\n", float64(cm)/float64(pm), minRatio, minWorst)
	fmt.Fprintf(out, "  %.0fx from cbc's own reported time (no process start-up) to the slowest Plan call\n", minReported)
	fmt.Fprintf(out, "objectives equal on %d of %d\n", *n-unequal, *n)
	if unequal > 0 {
		return fmt.Errorf("%d instances where Plan and cbc disagree", unequal)
	}
	return nil
}

// writeLP writes the first stage's LP file: what lpcheck.WriteLP writes,
// with the clash rows asked for.
func writeLP(path string, codes []string, sessions []catalog.Session, c lpcheck.Clashes) error {
	m, err := lpcheck.NewModel(codes, sessions, options)
	if err != nil {
		return err
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	err = m.WriteStage(f, lpcheck.Stage{Name: "most codes", Count: -1, Clashes: c})
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// quantile returns the q-quantile of ds (nearest rank below).
func quantile(ds []time.Duration, q float64) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[int(q*float64(len(s)-1))]
}
