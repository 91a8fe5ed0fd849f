package lpcheck

import (
	"fmt"
	"slices"
	"strings"

	"github.com/reinvent-cli/reinvent/pkg/schedule"
)

// Compare checks the solver's result against cbc's optimum on every level
// of the objective: how many codes, which codes, the travel minutes, and
// how many instances are kept. It also checks that the result is a
// schedule of the model, that its TravelMinutes is the travel of its
// sessions and that it marks kept exactly the instances that are. It
// returns the differences, or nil when they agree.
func Compare(m *Model, res *schedule.Result, s *Solution) []string {
	var diffs []string
	if !slices.Equal(res.Requested, m.Codes) {
		diffs = append(diffs, fmt.Sprintf("requested codes: Plan %v, model %v", res.Requested, m.Codes))
		return diffs
	}
	in := make([]bool, len(m.Codes))
	var chosen []int
	for _, c := range res.Scheduled {
		v := m.Lookup(c.Code, &c.Session)
		if v < 0 {
			diffs = append(diffs, fmt.Sprintf("Plan chose %s for %s, not a candidate of the model", c.Session.Code, c.Code))
			continue
		}
		chosen = append(chosen, v)
		in[m.Vars[v].Code] = true
		if c.Kept != m.Vars[v].Kept {
			diffs = append(diffs, fmt.Sprintf("Plan marks %s kept %v, the model %v", c.Session.Code, c.Kept, m.Vars[v].Kept))
		}
	}
	if why := m.Feasible(chosen); why != "" {
		diffs = append(diffs, "Plan's schedule is not feasible: "+why)
	}
	if got := m.Travel(chosen); got != res.TravelMinutes {
		diffs = append(diffs, fmt.Sprintf("Plan says %d travel minutes, its sessions travel %d", res.TravelMinutes, got))
	}
	if len(res.Scheduled) != s.Count {
		diffs = append(diffs, fmt.Sprintf("codes scheduled: Plan %d, cbc %d", len(res.Scheduled), s.Count))
	}
	if !slices.Equal(in, s.Scheduled) {
		diffs = append(diffs, fmt.Sprintf("codes: Plan %s, cbc %s", inclusion(m, in), inclusion(m, s.Scheduled)))
	}
	if res.TravelMinutes != s.Travel {
		diffs = append(diffs, fmt.Sprintf("travel minutes: Plan %d, cbc %d", res.TravelMinutes, s.Travel))
	}
	if got := m.Kept(chosen); got != s.Kept {
		diffs = append(diffs, fmt.Sprintf("instances kept: Plan %d, cbc %d", got, s.Kept))
	}
	return diffs
}

// inclusion writes an inclusion vector as the codes it schedules and, after
// a slash, the ones it does not.
func inclusion(m *Model, in []bool) string {
	var yes, no []string
	for ci, b := range in {
		if b {
			yes = append(yes, m.Codes[ci])
		} else if len(m.ByCode[ci]) > 0 {
			no = append(no, m.Codes[ci])
		}
	}
	return "[" + strings.Join(yes, " ") + " / not " + strings.Join(no, " ") + "]"
}
