package reserve

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/reinvent-cli/reinvent/internal/testenv"
	"github.com/reinvent-cli/reinvent/pkg/catalog"
	"github.com/reinvent-cli/reinvent/pkg/catalog/eventsapi"
	"github.com/reinvent-cli/reinvent/pkg/schedule"
)

// holder is a signed-in (or anonymous) account whose schedule is held in
// memory, as an MCP tool or a test would pass to PlanAround.
type holder struct {
	signedIn bool
	sch      eventsapi.Schedule
	err      error
	reads    int
}

func (h *holder) SignedIn(context.Context) (bool, error) { return h.signedIn, nil }

func (h *holder) Schedule(context.Context, string) (*eventsapi.Schedule, error) {
	h.reads++
	if h.err != nil {
		return nil, h.err
	}
	return &h.sch, nil
}

func planAround(t *testing.T, sessions []catalog.Session, acct Holder, o PlanOptions) (*Planned, error) {
	t.Helper()
	deps := PlanDeps{Fetch: func(context.Context) (*catalog.Catalog, error) { return &catalog.Catalog{Sessions: sessions}, nil }}
	if acct != nil {
		deps.Account = func() (Holder, error) { return acct, nil }
	}
	o.Plan.Location = testenv.Vegas
	return PlanAround(context.Background(), deps, o)
}

func codesOfPlan(res *schedule.Result) string {
	var out []string
	for _, c := range res.Scheduled {
		out = append(out, c.Session.Code)
	}
	return strings.Join(out, " ")
}

// TestPlanAroundTheAccount: signed in, the plan keeps the account's seat
// and avoids its personal time, which it does not show but names when it
// blocks a code; a seat the catalog says is held does not count then.
func TestPlanAroundTheAccount(t *testing.T) {
	sessions := []catalog.Session{session("SVS401", 9), session("ARC302", 11), session("DAT301", 11)}
	sessions[2].Reserved = true // the catalog's word; the account's schedule says otherwise
	acct := &holder{signedIn: true, sch: eventsapi.Schedule{
		Reserved: map[string]bool{"id-ARC302": true},
		Personal: []eventsapi.PersonalTime{{ID: "p1", Title: "Lunch \x1b[31mwith Bob", Start: day.Add(8 * time.Hour).UTC(), End: day.Add(10 * time.Hour).UTC()}},
	}}
	p, err := planAround(t, sessions, acct, PlanOptions{Codes: []string{"SVS401", "DAT301"}})
	if err != nil {
		t.Fatal(err)
	}
	res := p.Result
	if got := codesOfPlan(res); got != "ARC302" {
		t.Errorf("scheduled %q, want the held ARC302 alone (SVS401 is in personal time, DAT301 clashes with the seat)", got)
	}
	if got := strings.Join(res.Requested, " "); got != "ARC302 SVS401 DAT301" {
		t.Errorf("requested %q, want the held seat first and no personal block", got)
	}
	if len(res.Unscheduled) != 2 || strings.Join(res.Unscheduled[0].BlockedBy, ",") != "personal time (Lunch with Bob)" {
		t.Errorf("unscheduled %+v, want SVS401 blocked by the personal time, named and cleaned", res.Unscheduled)
	}
	if len(p.HeldLeftOut) != 0 || p.NoneFound || acct.reads != 1 {
		t.Errorf("held left out %v, none found %v, reads %d", p.HeldLeftOut, p.NoneFound, acct.reads)
	}
}

// TestPlanAroundWithoutSignIn: with no account, or one not signed in, the
// catalog's reserved sessions are held; --ignore-reserved holds nothing.
func TestPlanAroundWithoutSignIn(t *testing.T) {
	sessions := []catalog.Session{session("SVS401", 9), session("ARC302", 9)}
	sessions[1].Reserved = true
	for _, acct := range []Holder{nil, &holder{}} {
		p, err := planAround(t, sessions, acct, PlanOptions{Codes: []string{"SVS401"}})
		if err != nil {
			t.Fatal(err)
		}
		if got := codesOfPlan(p.Result); got != "ARC302" {
			t.Errorf("account %v: scheduled %q, want the catalog's held ARC302", acct, got)
		}
	}
	p, err := planAround(t, sessions, &holder{signedIn: true, err: catalog.ErrAuth}, PlanOptions{Codes: []string{"SVS401"}, IgnoreHeld: true})
	if err != nil {
		t.Fatal(err)
	}
	if got := codesOfPlan(p.Result); got != "SVS401" {
		t.Errorf("ignoring what is held: scheduled %q, want SVS401", got)
	}
}

// TestPlanAroundHeldSeatsThatClash: of two held seats that clash, the
// earlier is kept and the other is reported; codes naming the same
// session are merged.
func TestPlanAroundHeldSeatsThatClash(t *testing.T) {
	sessions := []catalog.Session{session("ARC301", 10), session("ARC302", 10), session("SVS401", 13)}
	sessions[1].Start = sessions[1].Start.Add(30 * time.Minute)
	sessions[1].End = sessions[1].End.Add(30 * time.Minute)
	acct := &holder{signedIn: true, sch: eventsapi.Schedule{Reserved: map[string]bool{"id-ARC301": true, "id-ARC302": true}}}
	p, err := planAround(t, sessions, acct, PlanOptions{Codes: []string{"SVS401", "svs401"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.HeldLeftOut) != 1 || p.HeldLeftOut[0].Code != "ARC302" {
		t.Fatalf("held left out %+v, want ARC302", p.HeldLeftOut)
	}
	var notes strings.Builder
	if err := p.WriteNotes(&notes); err != nil {
		t.Fatal(err)
	}
	if want := "you hold a seat for ARC302, but it clashes with ARC301, also yours: the plan keeps the other; reinvent cancel ARC302 gives this seat up\n"; notes.String() != want {
		t.Errorf("notes %q, want %q", notes.String(), want)
	}
}

// TestPlanAroundReplansALostSeat: a held seat left out for a clash
// satisfies nothing: its code is planned again, at another instance that
// fits, so that reserve (and follow --rebook) can book it.
func TestPlanAroundReplansALostSeat(t *testing.T) {
	sessions := []catalog.Session{session("ARC301", 10), session("ARC302", 10), session("ARC302-R", 14)}
	sessions[1].Start = sessions[1].Start.Add(30 * time.Minute)
	sessions[1].End = sessions[1].End.Add(30 * time.Minute)
	acct := &holder{signedIn: true, sch: eventsapi.Schedule{Reserved: map[string]bool{"id-ARC301": true, "id-ARC302": true}}}
	p, err := planAround(t, sessions, acct, PlanOptions{Codes: []string{"ARC302"}})
	if err != nil {
		t.Fatal(err)
	}
	if got := codesOfPlan(p.Result); got != "ARC301 ARC302-R" {
		t.Errorf("scheduled %q, want the kept seat ARC301 and ARC302 at its other instance", got)
	}
	if len(p.HeldLeftOut) != 1 || p.HeldLeftOut[0].Code != "ARC302" {
		t.Errorf("held left out %+v, want the seat for ARC302", p.HeldLeftOut)
	}
	// Asked for exactly, or by --starred (which asks for held seats
	// exactly), the lost seat's code is planned again all the same.
	sessions[0].Reserved, sessions[1].Reserved = true, true // the catalog's word, which --starred reads
	for _, codes := range [][]string{{"ARC302="}, nil} {
		p, err = planAround(t, sessions, acct, PlanOptions{Codes: codes, Starred: codes == nil})
		if err != nil {
			t.Fatal(err)
		}
		if got := codesOfPlan(p.Result); got != "ARC301 ARC302-R" {
			t.Errorf("%v asked for: scheduled %q, want ARC301 and ARC302-R", codes, got)
		}
	}
}

// TestPlanAroundSeatOnPersonalTime: a held seat that clashes with personal
// time is kept, and the block is what the plan leaves out: it is reported
// by name with the seat (never as an unscheduled code), and said on stderr.
func TestPlanAroundSeatOnPersonalTime(t *testing.T) {
	sessions := []catalog.Session{session("ARC302", 11), session("SVS401", 14)}
	acct := &holder{signedIn: true, sch: eventsapi.Schedule{
		Reserved: map[string]bool{"id-ARC302": true},
		Personal: []eventsapi.PersonalTime{{ID: "p1", Title: "Lunch", Start: day.Add(11 * time.Hour).UTC(), End: day.Add(12 * time.Hour).UTC()}},
	}}
	p, err := planAround(t, sessions, acct, PlanOptions{Codes: []string{"SVS401"}})
	if err != nil {
		t.Fatal(err)
	}
	if got := codesOfPlan(p.Result); got != "ARC302 SVS401" {
		t.Errorf("scheduled %q, want the held seat and SVS401", got)
	}
	if len(p.Result.Unscheduled) != 0 {
		t.Errorf("unscheduled %+v, want none: personal time is not a code", p.Result.Unscheduled)
	}
	if len(p.PersonalLeftOut) != 1 || p.PersonalLeftOut[0].Code != "personal time (Lunch)" || strings.Join(p.PersonalLeftOut[0].BlockedBy, ",") != "ARC302" {
		t.Fatalf("personal time left out %+v, want Lunch, for ARC302", p.PersonalLeftOut)
	}
	var notes strings.Builder
	if err := p.WriteNotes(&notes); err != nil {
		t.Fatal(err)
	}
	if want := "your personal time (Lunch) clashes with your seat for ARC302: the plan keeps the seat; move the block, or reinvent cancel ARC302\n"; notes.String() != want {
		t.Errorf("notes %q, want %q", notes.String(), want)
	}
}

// TestPlanAroundOutcomes: the errors and findings a command turns into
// exit codes.
func TestPlanAroundOutcomes(t *testing.T) {
	sessions := []catalog.Session{session("SVS401", 9)}
	sessions[0].BaseCode = "SVS401"

	_, err := planAround(t, sessions, nil, PlanOptions{Starred: true})
	if !errors.Is(err, ErrNothingStarred) {
		t.Errorf("--starred with nothing starred: %v", err)
	}
	_, err = planAround(t, sessions, &holder{signedIn: true, err: catalog.ErrAuth}, PlanOptions{Codes: []string{"SVS401"}})
	if !errors.Is(err, catalog.ErrAuth) {
		t.Errorf("a refused sign-in: %v, want catalog.ErrAuth", err)
	}
	_, err = planAround(t, sessions, nil, PlanOptions{Codes: []string{"SVS401"}, TravelFile: "testdata/none.yaml"})
	var te *schedule.TravelError
	if !errors.As(err, &te) {
		t.Errorf("a missing travel file: %v, want a *schedule.TravelError", err)
	}
	p, err := planAround(t, sessions, nil, PlanOptions{Codes: []string{"SVS402", "QQQ999"}})
	if err != nil {
		t.Fatal(err)
	}
	if !p.NoneFound || strings.Join(p.Suggestions["SVS402"], " ") != "SVS401" {
		t.Errorf("none found %v, suggestions %v; want none found and SVS401 for SVS402", p.NoneFound, p.Suggestions)
	}
	p, err = planAround(t, sessions, nil, PlanOptions{Codes: []string{"SVS401", "QQQ999"}})
	if err != nil || p.NoneFound {
		t.Errorf("one code found: none found %v, err %v", p.NoneFound, err)
	}
}
