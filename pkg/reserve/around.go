package reserve

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/reinvent-cli/reinvent/pkg/catalog"
	"github.com/reinvent-cli/reinvent/pkg/catalog/eventsapi"
	"github.com/reinvent-cli/reinvent/pkg/schedule"
)

// Holder is an account whose schedule a plan works around: the AWS Events
// API (*eventsapi.Catalog). A test or another front end passes a fake.
type Holder interface {
	// SignedIn reports whether there is a sign-in to read the schedule
	// with; without one the catalog's reserved sessions are what is held.
	SignedIn(ctx context.Context) (bool, error)
	Schedule(ctx context.Context, event string) (*eventsapi.Schedule, error)
}

// PlanDeps are what PlanAround reads.
type PlanDeps struct {
	// Fetch returns the catalog to plan from.
	Fetch func(ctx context.Context) (*catalog.Catalog, error)
	// Account returns the account whose schedule the plan works around.
	// Nil, or a nil Holder, means there is none (every source but the
	// AWS Events API): the catalog's reserved sessions are held.
	Account func() (Holder, error)
}

// PlanOptions say what PlanAround plans.
type PlanOptions struct {
	// Codes are the requested codes in priority order.
	Codes []string
	// Starred adds schedule.StarredCodes after Codes.
	Starred bool
	// TravelFile overrides pairs of the built-in travel table
	// (schedule.LoadTravel); "" keeps it.
	TravelFile string
	// Plan are the solver's options; its Travel and Fixed are PlanAround's.
	Plan schedule.Options
	// Event is the AWS Events API event whose schedule is read.
	Event string
	// IgnoreHeld plans from scratch, as if nothing were held.
	IgnoreHeld bool
}

// Planned is a plan made around what is held, ready to be shown.
type Planned struct {
	// Catalog is the catalog the plan was made from.
	Catalog *catalog.Catalog
	// Result is the plan. It holds the held seats, first among the
	// requested codes; personal time is not shown, but a block that
	// blocks a code is named "personal time (TITLE)".
	Result *schedule.Result
	// HeldLeftOut are the held seats the plan left out, each for a clash
	// with another held seat or personal time.
	HeldLeftOut []schedule.Unscheduled
	// Suggestions maps each code not found to close codes of the catalog.
	Suggestions map[string][]string
	// NoneFound reports that every code asked for (the held seats aside)
	// names no session.
	NoneFound bool
	// PersonalLeftOut are the blocks of personal time the plan left out,
	// each named "personal time (TITLE)", for a clash with the held seats
	// of its BlockedBy, which the plan keeps.
	PersonalLeftOut []schedule.Unscheduled
	// Held are the full codes (upper-case) of the seats held, those the
	// plan left out too; nil when the plan ignored what is held.
	Held map[string]bool
	// Personal are the blocks of personal time the plan keeps, as
	// sessions (IsPersonal tells their codes): busy, though not shown.
	Personal []catalog.Session
	// Options are the solver's options the plan was made with, its travel
	// table included: what a session added to the plan must fit by.
	Options schedule.Options
}

// ErrNothingStarred is PlanAround's error for --starred alone when nothing
// is starred or held.
var ErrNothingStarred = errors.New("you have no starred sessions in this catalog; star some, or give session codes")

// PlanAround fetches the catalog and makes the plan of o.Codes around what
// is held (docs/schedule.md, "Held seats"): with an account that is signed
// in, the seats and personal time of its schedule; otherwise the catalog's
// reserved sessions; with o.IgnoreHeld, nothing. Errors are those of the
// fetch and the account, a *schedule.TravelError for the travel file, and
// ErrNothingStarred.
func PlanAround(ctx context.Context, deps PlanDeps, o PlanOptions) (*Planned, error) {
	cat, err := deps.Fetch(ctx)
	if err != nil {
		return nil, err
	}
	travel, err := schedule.LoadTravel(o.TravelFile, cat.Sessions)
	if err != nil {
		return nil, err
	}
	codes := slices.Clone(o.Codes)
	if o.Starred {
		codes = append(codes, schedule.StarredCodes(cat.Sessions)...)
		if len(codes) == 0 {
			return nil, ErrNothingStarred
		}
	}
	held, err := heldFor(ctx, deps, o, cat.Sessions)
	if err != nil {
		return nil, err
	}
	po := o.Plan
	po.Travel = travel
	var res *schedule.Result
	if held == nil {
		res, err = schedule.Plan(codes, cat.Sessions, po)
	} else {
		res, err = Plan(codes, cat.Sessions, *held, po)
	}
	if err != nil {
		return nil, err
	}
	p := &Planned{Catalog: cat, Result: res, Options: po}
	asked := len(res.Requested)
	if held != nil {
		p.Personal, p.PersonalLeftOut = hidePersonal(res, *held)
		p.HeldLeftOut = HeldLeftOut(res, cat.Sessions, *held)
		p.Held = held.Codes(cat.Sessions)
		asked = len(res.Requested) - len(p.Held)
	}
	p.Suggestions = catalog.CloseCodes(res.NotFound, cat.Sessions)
	p.NoneFound = len(res.NotFound) > 0 && len(res.NotFound) == asked
	return p, nil
}

// WriteNotes writes what a plan merged or left out of what is held, one
// line each: a held seat that clashes with another, and a code merged
// into an earlier one for the same session.
func (p *Planned) WriteNotes(w io.Writer) error {
	for _, u := range p.HeldLeftOut {
		if _, err := fmt.Fprintf(w, "you hold a seat for %s, but it clashes with %s, also yours: the plan keeps the other; reinvent cancel %s gives this seat up\n",
			u.Code, strings.Join(u.BlockedBy, ", "), u.Code); err != nil {
			return err
		}
	}
	for _, u := range p.PersonalLeftOut {
		if _, err := fmt.Fprintf(w, "your %s clashes with your seat for %s: the plan keeps the seat; move the block, or reinvent cancel %s\n",
			u.Code, strings.Join(u.BlockedBy, ", "), strings.Join(u.BlockedBy, " ")); err != nil {
			return err
		}
	}
	for _, m := range p.Result.Merged {
		if _, err := fmt.Fprintf(w, "%s merged into %s: both name the same session, and the first mention wins\n", m.Code, m.Into); err != nil {
			return err
		}
	}
	return nil
}

// heldFor is what the plan must work around: nil with o.IgnoreHeld; the
// account's schedule when it is signed in; else the catalog's reserved
// sessions.
func heldFor(ctx context.Context, deps PlanDeps, o PlanOptions, sessions []catalog.Session) (*Held, error) {
	if o.IgnoreHeld {
		return nil, nil
	}
	h := HeldIn(sessions)
	if deps.Account == nil {
		return &h, nil
	}
	acct, err := deps.Account()
	if err != nil || acct == nil {
		return &h, err
	}
	if ok, err := acct.SignedIn(ctx); err != nil || !ok {
		return &h, err
	}
	sch, err := acct.Schedule(ctx, o.Event)
	if err != nil {
		return nil, err
	}
	h = HeldOf(sch)
	return &h, nil
}

// hidePersonal takes the personal blocks out of a plan of Plan, names one
// that blocks a code as PersonalName says, and returns the blocks the plan
// keeps, as sessions, and those it left out, so named: each clashes with a
// held seat, which the plan keeps (held seats come before personal time).
func hidePersonal(res *schedule.Result, held Held) (kept []catalog.Session, leftOut []schedule.Unscheduled) {
	names := personalNames(held)
	res.Scheduled = slices.DeleteFunc(res.Scheduled, func(c schedule.Choice) bool {
		if IsPersonal(c.Code) {
			kept = append(kept, c.Session)
			return true
		}
		return false
	})
	res.Requested = slices.DeleteFunc(res.Requested, IsPersonal)
	res.Unscheduled = slices.DeleteFunc(res.Unscheduled, func(u schedule.Unscheduled) bool {
		if IsPersonal(u.Code) {
			leftOut = append(leftOut, schedule.Unscheduled{Code: names[u.Code], Reason: u.Reason, BlockedBy: u.BlockedBy})
			return true
		}
		return false
	})
	for i := range res.Unscheduled {
		for j, b := range res.Unscheduled[i].BlockedBy {
			if n, ok := names[b]; ok {
				res.Unscheduled[i].BlockedBy[j] = n
			}
		}
	}
	return kept, leftOut
}

// personalNames maps the code of each personal block of held, as Plan
// codes it, to its name in output, "personal time (TITLE)".
func personalNames(held Held) map[string]string {
	names := map[string]string{}
	for i, p := range held.Personal {
		names[personalCode(i)] = PersonalName(p.Title)
	}
	return names
}
