package search

import (
	"github.com/reinvent-cli/reinvent/pkg/catalog"
	"github.com/reinvent-cli/reinvent/pkg/reserve"
)

// FitsPlan returns the filter of the instances that fit the gaps of the
// plan p, by the options it was made with (Planned.Options): an instance
// fits when adding it keeps every pair of the plan's sessions, held seats
// and personal time included, compatible by the solver's own rule
// (schedule.Options.Fits). Instances of the plan's own codes, those it
// asked for and those it holds, never fit: they are the plan.
func FitsPlan(p *reserve.Planned) func(*catalog.Session) bool {
	around := make([]catalog.Session, 0, len(p.Result.Scheduled)+len(p.Personal))
	own := map[string]bool{}
	for _, c := range p.Result.Scheduled {
		around = append(around, c.Session)
		own[c.Session.BaseCode] = true
	}
	around = append(around, p.Personal...)
	for _, code := range p.Result.Requested {
		if c, err := catalog.ParseCode(code); err == nil {
			own[c.Base] = true
		}
	}
	for code := range p.Held {
		if c, err := catalog.ParseCode(code); err == nil {
			own[c.Base] = true
		}
	}
	return func(s *catalog.Session) bool {
		return !own[s.BaseCode] && p.Options.Fits(s, around)
	}
}
