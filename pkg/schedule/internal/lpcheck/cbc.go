package lpcheck

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// CBC is the cbc binary RunCBC runs.
var CBC = "cbc"

// ErrNoCBC is returned when cbc is not installed.
var ErrNoCBC = errors.New("cbc not found: install cbc: apt-get install -y coinor-cbc")

// RunCBC solves the LP file at lpPath with `cbc FILE solve solu OUT` and
// returns the optimal objective, the names of the variables whose value is
// 1 (above one half; for the binaries, the chosen ones), and the wall time
// the cbc process took, start-up included. A problem cbc does not prove
// optimal is an error. The solution goes to lpPath + ".sol".
func RunCBC(ctx context.Context, lpPath string) (objective float64, chosen []string, elapsed time.Duration, err error) {
	r, err := runCBC(ctx, lpPath)
	return r.objective, r.chosen, r.elapsed, err
}

// cbcRun is what one cbc run gave.
type cbcRun struct {
	objective float64
	chosen    []string
	elapsed   time.Duration // wall time of the process
	reported  time.Duration // the time cbc says it took
}

func runCBC(ctx context.Context, lpPath string) (cbcRun, error) {
	var r cbcRun
	if _, err := exec.LookPath(CBC); err != nil {
		return r, ErrNoCBC
	}
	sol := lpPath + ".sol"
	_ = os.Remove(sol)
	cmd := exec.CommandContext(ctx, CBC, lpPath, "solve", "solu", sol)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	t0 := time.Now()
	err := cmd.Run()
	r.elapsed = time.Since(t0)
	if err != nil {
		return r, fmt.Errorf("cbc %s: %w\n%s", lpPath, err, tail(out.String()))
	}
	r.reported, _ = ReportedTime(out.String())
	data, err := os.ReadFile(sol)
	if err != nil {
		return r, fmt.Errorf("cbc %s wrote no solution: %w\n%s", lpPath, err, tail(out.String()))
	}
	r.objective, r.chosen, err = parseSolution(data)
	if err != nil {
		return r, fmt.Errorf("cbc %s: %w\n%s", lpPath, err, tail(out.String()))
	}
	return r, nil
}

// ReportedTime is the "Total time" cbc reports on stdout, wall clock, for
// a run: what it spent solving, without process start-up. It has a
// resolution of 10 ms. ok is false when the output does not say.
func ReportedTime(output string) (d time.Duration, ok bool) {
	m := totalTimeRE.FindStringSubmatch(output)
	if m == nil {
		return 0, false
	}
	s, err := strconv.ParseFloat(m[1], 64)
	if err != nil {
		return 0, false
	}
	return time.Duration(s * float64(time.Second)), true
}

var totalTimeRE = regexp.MustCompile(`Total time \(CPU seconds\):\s*[0-9.]+\s*\(Wallclock seconds\):\s*([0-9.]+)`)

// Version returns cbc's version line, such as "Version: 2.10.8".
func Version(ctx context.Context) (string, error) {
	if _, err := exec.LookPath(CBC); err != nil {
		return "", ErrNoCBC
	}
	out, err := exec.CommandContext(ctx, CBC, "-quit").CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("cbc -quit: %w", err)
	}
	for line := range strings.Lines(string(out)) {
		if strings.HasPrefix(line, "Version:") {
			return strings.TrimSpace(line), nil
		}
	}
	return "", fmt.Errorf("cbc -quit printed no version")
}

// parseSolution reads cbc's solution file: a status line such as
// "Optimal - objective value 3.00000000", then one line per variable:
// index, name, value, reduced cost (prefixed "**" when infeasible).
func parseSolution(data []byte) (float64, []string, error) {
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 1<<16), 1<<20)
	if !sc.Scan() {
		return 0, nil, fmt.Errorf("empty solution file")
	}
	status := sc.Text()
	if !strings.HasPrefix(status, "Optimal") {
		return 0, nil, fmt.Errorf("not solved to optimality: %s", status)
	}
	_, obj, ok := strings.Cut(status, "objective value")
	if !ok {
		return 0, nil, fmt.Errorf("no objective in %q", status)
	}
	objective, err := strconv.ParseFloat(strings.TrimSpace(obj), 64)
	if err != nil {
		return 0, nil, fmt.Errorf("objective in %q: %w", status, err)
	}
	var chosen []string
	for sc.Scan() {
		f := strings.Fields(strings.TrimPrefix(strings.TrimSpace(sc.Text()), "**"))
		if len(f) == 0 {
			continue
		}
		if len(f) < 3 {
			return 0, nil, fmt.Errorf("bad solution line %q", sc.Text())
		}
		v, err := strconv.ParseFloat(f[2], 64)
		if err != nil {
			return 0, nil, fmt.Errorf("bad value in solution line %q", sc.Text())
		}
		if v > 0.5 {
			chosen = append(chosen, f[1])
		}
	}
	return objective, chosen, sc.Err()
}

func tail(s string) string {
	if len(s) > 2000 {
		return "..." + s[len(s)-2000:]
	}
	return s
}
