package follow

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"time"

	"github.com/reinvent-cli/reinvent/pkg/catalog"
	"github.com/reinvent-cli/reinvent/pkg/reserve"
	"github.com/reinvent-cli/reinvent/pkg/schedule"
)

// refused are the sessions that failed swaps could not have, by full
// code, with their band then: those of the last run whose band is the same
// now, and those of this run's swaps.
func refused(prev *State, swaps []Swap, cat *catalog.Catalog) map[string]string {
	out := map[string]string{}
	for c, band := range prev.Refused {
		if s := find(cat.Sessions, c); s != nil && s.SeatAvailability == band {
			out[c] = band
		}
	}
	for _, sw := range swaps {
		for _, c := range sw.NotHad {
			if s := find(cat.Sessions, c); s != nil {
				out[strings.ToUpper(c)] = s.SeatAvailability
			}
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// The outcomes of a Swap.
const (
	SwapDone       = "swapped"     // the new seats are held, the old ones given up
	SwapRolledBack = "rolled back" // the new seats could not be had: the old ones are held again
	SwapLost       = "seat lost"   // the old seats are gone and not held again: reported loudly
)

// Swap is a swap for a better plan that --swap made or tried
// (docs/follow.md, "Swaps").
type Swap struct {
	// For are the full codes of the instances reserved in place of GaveUp.
	For []string
	// GaveUp are the full codes of the held seats given up for them.
	GaveUp []string
	// Outcome is SwapDone, SwapRolledBack or SwapLost.
	Outcome string
	// Why says why the new seats were not had: the API's code, "answer
	// lost", or the error.
	Why string
	// Lost are the seats of GaveUp not held again (SwapLost).
	Lost []string
	// NotHad are the sessions of For the service did not give: not tried
	// again while their band stays the same.
	NotHad []string
}

// better makes, with --swap, the swaps of a plan strictly better than the
// one made around the seats held (docs/follow.md, "Swaps"): the same codes
// in the same order, every held seat's code asked for too, personal time
// busy, and only the held sessions and those with seats to take. Better is
// more codes, or as many and a higher-priority code; travel alone never
// is. The new instances that clash with no held seat are reserved first;
// if one is not had, nothing is given up this run. Then the held seats
// they clash with are cancelled and the rest reserved, all or nothing: if
// any is not had, the new ones held are cancelled and the old ones
// reserved again at once. Every write is journaled. It returns the plan
// made again and the swap tried, if any.
func (d *Deps) better(ctx context.Context, o Options, po reserve.PlanOptions, planned *reserve.Planned, prev *State) (*reserve.Planned, []Swap, error) {
	cat := planned.Catalog
	sch, err := d.Writer.Schedule(ctx, po.Event)
	if err != nil {
		return nil, nil, err
	}
	held := reserve.HeldOf(sch)
	opts := po.Plan
	if opts.Travel, err = schedule.LoadTravel(po.TravelFile, cat.Sessions); err != nil {
		return nil, nil, err
	}
	codes := slices.Clone(po.Codes)
	if po.Starred {
		codes = append(codes, schedule.StarredCodes(cat.Sessions)...)
	}
	var pool, seats []catalog.Session
	for i := range cat.Sessions {
		s := cat.Sessions[i]
		switch {
		case held.Reserved[s.SessionID]:
			seats = append(seats, s)
			pool = append(pool, s)
		case hasSeats(&s) && prev.Refused[strings.ToUpper(s.Code)] != s.SeatAvailability:
			// A session a swap could not have is tried again only once
			// its band changed.
			pool = append(pool, s)
		}
	}
	for i := range seats {
		// A held seat no code asks for is asked for at the end, exactly,
		// so that no plan drops it for nothing.
		if !slices.ContainsFunc(codes, func(c string) bool { return asks(c, &seats[i]) }) {
			codes = append(codes, exact(seats[i].Code))
		}
	}
	now, err := reserve.Plan(codes, pool, held, opts)
	if err != nil {
		return nil, nil, err
	}
	free, err := reserve.Plan(codes, pool, reserve.Held{Reserved: map[string]bool{}, Personal: held.Personal}, opts)
	if err != nil {
		return nil, nil, err
	}
	if !strictlyBetter(satisfied(codes, free), satisfied(codes, now)) {
		return planned, nil, nil
	}
	kept := map[string]bool{}
	var gain []catalog.Session
	for _, c := range free.Scheduled {
		switch {
		case reserve.IsPersonal(c.Code):
		case held.Reserved[c.Session.SessionID]:
			kept[c.Session.SessionID] = true
		default:
			gain = append(gain, c.Session)
		}
	}
	var plain, swapIn, give []catalog.Session
	for _, n := range gain {
		var clash []catalog.Session
		for _, h := range seats {
			if !fit(n, h, opts) {
				clash = append(clash, h)
			}
		}
		if slices.ContainsFunc(clash, func(h catalog.Session) bool { return kept[h.SessionID] }) {
			return planned, nil, nil // the plan keeps both: cannot be, so do nothing
		}
		if len(clash) == 0 {
			plain = append(plain, n)
			continue
		}
		swapIn = append(swapIn, n)
		for _, h := range clash {
			if !slices.ContainsFunc(give, func(g catalog.Session) bool { return g.SessionID == h.SessionID }) {
				give = append(give, h)
			}
		}
	}
	log := o.Reserve.Logger
	if log == nil {
		log = d.Logger
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	wo := reserve.WriteOptions{Event: po.Event, Now: o.Reserve.Now, Sleep: o.Reserve.Sleep, Logger: log}
	replan := func(swaps []Swap) (*reserve.Planned, []Swap, error) {
		again := d.Plan
		again.Fetch = func(context.Context) (*catalog.Catalog, error) { return cat, nil }
		p, err := reserve.PlanAround(ctx, again, po)
		return p, swaps, err
	}
	if len(plain) > 0 {
		_, why, err := reserve.ReserveExact(ctx, d.Store, d.Writer, idsOf(plain), wo)
		if err != nil {
			return nil, nil, err
		}
		if len(why) > 0 {
			// The better plan is not to be had as it was made: nothing is
			// given up; the next run plans again.
			log.Info("a better plan's seat was not had: no swap this run", "why", whyOf(why, plain))
			return replan(nil)
		}
	}
	if len(swapIn) == 0 {
		return replan(nil)
	}
	sw := Swap{For: codesOf(swapIn), GaveUp: codesOf(give)}
	var exacts []string
	for _, g := range give {
		exacts = append(exacts, exact(g.Code))
	}
	crep, err := reserve.Cancel(ctx, d.Store, d.Writer, cat.Sessions, exacts, wo)
	switch {
	case err != nil:
		sw.Why = "a cancel failed: " + err.Error()
	case crep.StillHeld() > 0:
		sw.Why = "a cancel's answer was lost and the seat is still held"
	default:
		got, why, err := reserve.ReserveExact(ctx, d.Store, d.Writer, idsOf(swapIn), wo)
		switch {
		case err != nil:
			sw.Why = err.Error()
		case len(why) == 0:
			sw.Outcome = SwapDone
			log.Info("swapped for a better plan", "gave_up", strings.Join(sw.GaveUp, ","), "for", strings.Join(sw.For, ","))
			return replan([]Swap{sw})
		default:
			sw.Why = whyOf(why, swapIn)
			for _, n := range swapIn {
				if _, ok := why[n.SessionID]; ok {
					sw.NotHad = append(sw.NotHad, n.Code)
				}
			}
		}
		// Roll back: the new seats held clash with the old ones, so
		// they go first.
		var back []string
		for _, n := range swapIn {
			if slices.Contains(got, n.SessionID) {
				back = append(back, exact(n.Code))
			}
		}
		if len(back) > 0 {
			if _, err := reserve.Cancel(ctx, d.Store, d.Writer, cat.Sessions, back, wo); err != nil {
				log.Warn("rolling a swap back: a cancel failed", "err", err)
			}
		}
	}
	var again []string
	for _, c := range crep.Entries {
		if c.Outcome == reserve.Cancelled || c.Outcome == reserve.AlreadyGone {
			if s := find(give, c.Code); s != nil {
				again = append(again, s.SessionID)
			}
		}
	}
	if len(again) > 0 {
		if _, _, err := reserve.ReserveExact(ctx, d.Store, d.Writer, again, wo); err != nil {
			log.Warn("rolling a swap back: reserving the old seats again failed", "err", err)
		}
	}
	// The truth is the account's: read it back.
	sch, err = d.Writer.Schedule(ctx, po.Event)
	if err != nil {
		sw.Outcome, sw.Lost = SwapLost, sw.GaveUp
		sw.Why += fmt.Sprintf("; not known whether the seats given up are held again: the schedule could not be read (%v)", err)
	} else {
		for _, g := range give {
			if !sch.Reserved[g.SessionID] {
				sw.Lost = append(sw.Lost, g.Code)
			}
		}
		sw.Outcome = SwapRolledBack
		switch {
		case len(sw.Lost) > 0 && slices.ContainsFunc(swapIn, func(n catalog.Session) bool { return !sch.Reserved[n.SessionID] }):
			sw.Outcome = SwapLost
		case len(sw.Lost) > 0:
			sw.Outcome, sw.Lost = SwapDone, nil // the new seats are held after all
		}
	}
	if sw.Outcome == SwapLost {
		log.Error("a swap failed and a seat you held is lost", "lost", strings.Join(sw.Lost, ","), "for", strings.Join(sw.For, ","), "why", sw.Why)
	} else {
		log.Warn("a swap failed and was rolled back", "kept", strings.Join(sw.GaveUp, ","), "for", strings.Join(sw.For, ","), "why", sw.Why)
	}
	return replan([]Swap{sw})
}

// hasSeats reports whether a session not held has seats to take: a band
// of available, limited or veryLimited on a reservable session.
func hasSeats(s *catalog.Session) bool {
	if !s.Reservable || s.Embargoed {
		return false
	}
	switch s.SeatAvailability {
	case catalog.SeatAvailable, catalog.SeatLimited, catalog.SeatVeryLimited:
		return true
	}
	return false
}

// asks reports whether a requested code names the session: its full code,
// or its base code without the exact mark.
func asks(code string, s *catalog.Session) bool {
	bare, isExact := schedule.CutExact(code)
	return strings.EqualFold(bare, s.Code) || (!isExact && strings.EqualFold(bare, s.BaseCode))
}

// satisfied says, for each code, whether a session of the plan is one it
// asks for.
func satisfied(codes []string, res *schedule.Result) []bool {
	v := make([]bool, len(codes))
	for i, c := range codes {
		v[i] = slices.ContainsFunc(res.Scheduled, func(ch schedule.Choice) bool {
			return !reserve.IsPersonal(ch.Code) && asks(c, &ch.Session)
		})
	}
	return v
}

// strictlyBetter compares two plans by the objective's first two levels:
// more codes, then the earlier code where they differ. Travel is not
// compared: a shorter walk is no reason to give up a seat.
func strictlyBetter(a, b []bool) bool {
	count := func(v []bool) (n int) {
		for _, x := range v {
			if x {
				n++
			}
		}
		return n
	}
	if ca, cb := count(a), count(b); ca != cb {
		return ca > cb
	}
	for i := range a {
		if a[i] != b[i] {
			return a[i]
		}
	}
	return false
}

// fit reports whether two sessions can both be attended, by the solver's
// own rule: a plan of the two keeps both. They are planned under two codes
// of their own, since a plan holds one instance of a code and two
// instances of one code do not clash for that.
func fit(a, b catalog.Session, o schedule.Options) bool {
	o.Fixed, o.Keep = 0, nil
	a.Code, a.BaseCode, b.Code, b.BaseCode = "ZZFIT1", "ZZFIT1", "ZZFIT2", "ZZFIT2"
	res, err := schedule.Plan([]string{a.Code, b.Code}, []catalog.Session{a, b}, o)
	// An error (none is expected: the same options planned already)
	// counts as a clash, for which nothing is given up.
	return err == nil && len(res.Scheduled) == 2
}

func idsOf(ss []catalog.Session) []string {
	ids := make([]string, len(ss))
	for i := range ss {
		ids[i] = ss[i].SessionID
	}
	return ids
}

func codesOf(ss []catalog.Session) []string {
	out := make([]string, len(ss))
	for i := range ss {
		out[i] = ss[i].Code
	}
	return out
}

// find is the session of ss whose full code is code.
func find(ss []catalog.Session, code string) *catalog.Session {
	for i := range ss {
		if strings.EqualFold(ss[i].Code, code) {
			return &ss[i]
		}
	}
	return nil
}

// whyOf says why sessions were not reserved: "CODE: why", by session id.
func whyOf(why map[string]string, ss []catalog.Session) string {
	var parts []string
	for _, s := range ss {
		if w, ok := why[s.SessionID]; ok {
			parts = append(parts, s.Code+": "+w)
		}
	}
	return strings.Join(parts, ", ")
}

// givenUp are the seats the swaps gave up, with what for: the reason of
// their released notices.
func givenUp(swaps []Swap) map[string]string {
	out := map[string]string{}
	for _, sw := range swaps {
		switch sw.Outcome {
		case SwapDone:
			for _, g := range sw.GaveUp {
				out[strings.ToUpper(g)] = "for " + strings.Join(sw.For, ", ") + ", a better plan"
			}
		case SwapLost:
			for _, g := range sw.Lost {
				out[strings.ToUpper(g)] = "for " + strings.Join(sw.For, ", ") + ", which was not had: SEAT LOST"
			}
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// swapNotices are the notices of the swaps that failed: swap-failed for
// one rolled back, seat-lost (urgent) for a seat gone.
func swapNotices(swaps []Swap, cat *catalog.Catalog, loc *time.Location) []Notice {
	var out []Notice
	for _, sw := range swaps {
		switch sw.Outcome {
		case SwapRolledBack:
			s := sessionOf(cat, sw.For[0])
			out = append(out, Notice{Kind: KindSwapFailed, Code: s.BaseCode, Session: s.Code, Title: catalog.CleanLine(s.Title),
				Old: "a better plan: " + strings.Join(sw.For, ", ") + " in place of " + strings.Join(sw.GaveUp, ", "),
				New: catalog.CleanLine("not made (" + sw.Why + "): " + strings.Join(sw.GaveUp, ", ") + " held again")})
		case SwapLost:
			for _, l := range sw.Lost {
				s := sessionOf(cat, l)
				out = append(out, Notice{Kind: KindSeatLost, Code: s.BaseCode, Session: s.Code, Title: catalog.CleanLine(s.Title),
					Old: when(&s, loc) + ", held",
					New: catalog.CleanLine("SEAT LOST: given up for " + strings.Join(sw.For, ", ") + ", which was not had (" + sw.Why + "), and not reserved again")})
			}
		}
	}
	return out
}

// sessionOf is the session of a full code in the catalog; a session with
// only that code when it is not there.
func sessionOf(cat *catalog.Catalog, code string) catalog.Session {
	if s := find(cat.Sessions, code); s != nil {
		return *s
	}
	return catalog.Session{Code: code, BaseCode: baseOf(code)}
}

// lost reports whether a swap of the run lost a seat: then the summary is
// said whatever the flags.
func (r *Report) lost() bool {
	return slices.ContainsFunc(r.Swaps, func(sw Swap) bool { return sw.Outcome == SwapLost })
}
