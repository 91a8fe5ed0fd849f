package follow

import (
	"context"
	"slices"
	"strings"

	"github.com/reinvent-cli/reinvent/pkg/catalog"
	"github.com/reinvent-cli/reinvent/pkg/reserve"
	"github.com/reinvent-cli/reinvent/pkg/schedule"
)

// rebook reserves what the plan has that is not held yet and has seats
// (docs/follow.md, "Rebooking"): reserve.Run on the catalog just fetched,
// with the same codes and the plan's instances to keep, so that it books
// this plan; its journal, pacing and read-back are reserve's. When a seat
// was taken, the plan is made again around what is held now, on the same
// catalog (one schedule read, no fetch).
func (d *Deps) rebook(ctx context.Context, o Options, po reserve.PlanOptions, planned *reserve.Planned, prev *State) (*reserve.Planned, *reserve.Report, error) {
	if !worthBooking(planned) {
		if o.Swap && !o.DryRun {
			return d.swap(ctx, po, planned, planned, prev, o)
		}
		return planned, nil, nil
	}
	travel, err := schedule.LoadTravel(po.TravelFile, planned.Catalog.Sessions)
	if err != nil {
		return nil, nil, err
	}
	ro := o.Reserve
	ro.Event, ro.Codes, ro.Starred, ro.DryRun = po.Event, po.Codes, po.Starred, o.DryRun
	ro.Plan = po.Plan
	ro.Plan.Travel = travel
	ro.Plan.Keep = nil
	for _, c := range planned.Result.Scheduled {
		ro.Plan.Keep = append(ro.Plan.Keep, c.Session.Code)
	}
	rep, err := reserve.Run(ctx, d.Store, d.Writer, planned.Catalog.Sessions, ro)
	if err != nil {
		return nil, rep, err
	}
	if o.DryRun || len(rep.Reserved) == 0 {
		return planned, rep, nil
	}
	again := d.Plan
	cat := planned.Catalog
	again.Fetch = func(context.Context) (*catalog.Catalog, error) { return cat, nil }
	replanned, err := reserve.PlanAround(ctx, again, po)
	if err != nil || !o.Swap {
		return replanned, rep, err
	}
	replanned, _, err = d.swap(ctx, po, planned, replanned, prev, o)
	return replanned, rep, err
}

// swap gives up, with --swap, each held seat that clashes (in the plan
// before this run's reservations, or at the last run) and that the plan
// now leaves out while it holds another instance of its code. The new
// seat was reserved first, so nothing is lost by the plan's objective
// (docs/follow.md, "Swaps"). The plan is made again after a cancel.
func (d *Deps) swap(ctx context.Context, po reserve.PlanOptions, before, planned *reserve.Planned, prev *State, o Options) (*reserve.Planned, *reserve.Report, error) {
	clashing := map[string]bool{}
	for _, u := range before.HeldLeftOut {
		clashing[strings.ToUpper(u.Code)] = true
	}
	for c := range prev.Clashes {
		clashing[c] = true
	}
	var give []string
	for c := range clashing {
		if planned.Held[c] && !chosen(planned, c) && replaced(planned, c) {
			give = append(give, exact(c))
		}
	}
	if len(give) == 0 {
		return planned, nil, nil
	}
	slices.Sort(give)
	cat := planned.Catalog
	if _, err := reserve.Cancel(ctx, d.Store, d.Writer, cat.Sessions, give, reserve.WriteOptions{Event: po.Event, Logger: o.Reserve.Logger}); err != nil {
		return nil, nil, err
	}
	again := d.Plan
	again.Fetch = func(context.Context) (*catalog.Catalog, error) { return cat, nil }
	replanned, err := reserve.PlanAround(ctx, again, po)
	return replanned, nil, err
}

// chosen reports whether the plan chose the instance of code.
func chosen(p *reserve.Planned, code string) bool {
	return slices.ContainsFunc(p.Result.Scheduled, func(c schedule.Choice) bool { return strings.EqualFold(c.Session.Code, code) })
}

// replaced reports whether the plan holds a seat for another instance of
// the code of a held seat that clashes.
func replaced(p *reserve.Planned, code string) bool {
	base := baseOf(code)
	for _, c := range p.Result.Scheduled {
		if s := c.Session; strings.EqualFold(s.BaseCode, base) && !strings.EqualFold(s.Code, code) && p.Held[strings.ToUpper(s.Code)] {
			return true
		}
	}
	return false
}

// exact is the code that names one instance only: a full code as it is,
// a base code with the exact mark.
func exact(code string) string {
	if strings.EqualFold(baseOf(code), code) {
		return code + schedule.ExactMark
	}
	return code
}

// worthBooking reports whether the plan has an instance not held that has
// seats to take: a band of available, limited or veryLimited on a
// reservable session. Then, and only then, reserve runs (it reads the
// schedule, and takes reserve's lock).
func worthBooking(p *reserve.Planned) bool {
	for _, c := range p.Result.Scheduled {
		s := c.Session
		if p.Held[strings.ToUpper(s.Code)] || !s.Reservable {
			continue
		}
		switch s.SeatAvailability {
		case catalog.SeatAvailable, catalog.SeatLimited, catalog.SeatVeryLimited:
			return true
		}
	}
	return false
}
