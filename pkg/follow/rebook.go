package follow

import (
	"context"
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
func (d *Deps) rebook(ctx context.Context, o Options, po reserve.PlanOptions, planned *reserve.Planned) (*reserve.Planned, *reserve.Report, error) {
	if !worthBooking(planned) {
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
	if err != nil {
		return nil, rep, err
	}
	return replanned, rep, nil
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
