package search

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/reinvent-cli/reinvent/internal/testenv"
	"github.com/reinvent-cli/reinvent/pkg/catalog"
	"github.com/reinvent-cli/reinvent/pkg/catalog/eventsapi"
	"github.com/reinvent-cli/reinvent/pkg/catalog/sample"
	"github.com/reinvent-cli/reinvent/pkg/reserve"
	"github.com/reinvent-cli/reinvent/pkg/schedule"
)

// account is a signed-in account whose schedule is sch.
type account struct{ sch *eventsapi.Schedule }

func (a account) SignedIn(context.Context) (bool, error) { return true, nil }
func (a account) Schedule(context.Context, string) (*eventsapi.Schedule, error) {
	return a.sch, nil
}

// TestFitsAgainstTheSolver: every instance --fits lists, added to the codes
// exactly (CODE=), is scheduled by the solver with nothing dropped and
// nothing moved: the held seats, the personal time and the plan's choices
// stay; and some instance it leaves out really would drop something. The
// plan is the sample attendee's held seats, a block of personal time on
// Wednesday, and two codes; with no buffer it drops nothing, and with a
// buffer of 20 minutes it drops a held seat and a code, and an instance
// that fits drops nothing more.
func TestFitsAgainstTheSolver(t *testing.T) {
	ctx := context.Background()
	cat, err := sample.Source{}.Fetch(ctx, catalog.FetchOptions{Location: testenv.Vegas})
	if err != nil {
		t.Fatal(err)
	}
	held := reserve.HeldIn(cat.Sessions)
	byCode := map[string]*catalog.Session{}
	for i := range cat.Sessions {
		byCode[cat.Sessions[i].Code] = &cat.Sessions[i]
	}
	lunch := eventsapi.PersonalTime{ID: "p1", Title: "Lunch", Location: "Venetian",
		Start: time.Date(2026, 12, 2, 13, 30, 0, 0, testenv.Vegas), End: time.Date(2026, 12, 2, 14, 30, 0, 0, testenv.Vegas)}
	deps := reserve.PlanDeps{
		Fetch: func(context.Context) (*catalog.Catalog, error) { return cat, nil },
		Account: func() (reserve.Holder, error) {
			return account{&eventsapi.Schedule{Reserved: held.Reserved, Personal: []eventsapi.PersonalTime{lunch}}}, nil
		},
	}
	for _, buffer := range []time.Duration{0, 20 * time.Minute} {
		o := reserve.PlanOptions{Codes: []string{"SVS313", "ARC302"}, Plan: schedule.Options{Location: testenv.Vegas, UnknownTravel: 30 * time.Minute, Buffer: buffer}}
		res, err := Find(ctx, Deps{Plan: deps, Location: testenv.Vegas}, Query{Days: []string{"wed"}, After: "12:00", Limit: 40, Fits: &o})
		if err != nil {
			t.Fatal(err)
		}
		before, err := reserve.PlanAround(ctx, deps, o)
		if err != nil {
			t.Fatal(err)
		}
		if buffer == 0 && dropped(before) != "" {
			t.Fatalf("the plan itself drops %s", dropped(before))
		}
		chosen := map[string]bool{}
		for _, c := range before.Result.Scheduled {
			chosen[c.Session.Code] = true
		}
		if len(res.Fits) != len(chosen) || !slices.ContainsFunc(res.Fits, func(c string) bool { return chosen[c] }) {
			t.Errorf("Fits = %v; want the plan's %v", res.Fits, chosen)
		}
		listed := map[string]bool{}
		for _, r := range res.Results {
			if r.Code == "SVS313" || r.Code == "ARC302" || before.Held[r.Code] {
				t.Errorf("the plan's own code %s is listed", r.Code)
			}
			for _, in := range r.Instances {
				listed[in.Code] = true
				if in.Start.Before(lunch.End) && in.End.After(lunch.Start) && !schedule.DropIn(byCode[in.Code]) {
					t.Errorf("%s at %v–%v is listed over the personal time, and it is no drop-in", in.Code, in.Start, in.End)
				}
				o := o
				o.Codes = append(slices.Clone(o.Codes), in.Code+schedule.ExactMark)
				after, err := reserve.PlanAround(ctx, deps, o)
				if err != nil {
					t.Fatal(err)
				}
				if dropped(after) != dropped(before) || len(after.Result.Scheduled) != len(before.Result.Scheduled)+1 {
					t.Errorf("buffer %v: %s is listed, but with it the plan drops %+v %+v %+v", buffer, in.Code, after.Result.Unscheduled, after.HeldLeftOut, after.PersonalLeftOut)
				}
				for _, c := range after.Result.Scheduled {
					if !chosen[c.Session.Code] && c.Session.Code != in.Code {
						t.Errorf("buffer %v: with %s the plan moves to %s", buffer, in.Code, c.Session.Code)
					}
				}
			}
		}
		if len(listed) < 10 {
			t.Fatalf("buffer %v: only %d instances fit: %v", buffer, len(listed), listed)
		}
		// Some instance left out would drop a code, a held seat or the
		// personal time if it were added.
		excluded := ""
		for i := range cat.Sessions {
			s := &cat.Sessions[i]
			if listed[s.Code] || s.Embargoed || !s.Scheduled() || s.Start.In(testenv.Vegas).Weekday() != time.Wednesday || s.Start.In(testenv.Vegas).Hour() < 12 ||
				strings.HasPrefix(s.Code, "SVS313") || strings.HasPrefix(s.Code, "ARC302") || before.Held[strings.ToUpper(s.Code)] {
				continue
			}
			o := o
			o.Codes = append(slices.Clone(o.Codes), s.Code+schedule.ExactMark)
			after, err := reserve.PlanAround(ctx, deps, o)
			if err != nil {
				t.Fatal(err)
			}
			if dropped(after) != dropped(before) {
				excluded = s.Code
				break
			}
		}
		if excluded == "" {
			t.Errorf("buffer %v: every instance left out would fit", buffer)
		}
	}
}

// dropped says what a plan could not schedule: codes, held seats,
// personal time.
func dropped(p *reserve.Planned) string {
	var out []string
	for _, u := range slices.Concat(p.Result.Unscheduled, p.HeldLeftOut, p.PersonalLeftOut) {
		out = append(out, u.Code)
	}
	return strings.Join(out, " ")
}
