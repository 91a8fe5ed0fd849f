package show

import (
	"bytes"
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/reinvent-cli/reinvent/internal/catalogtest"
	"github.com/reinvent-cli/reinvent/internal/testenv"
	"github.com/reinvent-cli/reinvent/pkg/catalog"
	"github.com/reinvent-cli/reinvent/pkg/catalog/eventsapi"
	"github.com/reinvent-cli/reinvent/pkg/reserve"
	"github.com/reinvent-cli/reinvent/pkg/schedule"
)

// account is a signed-in account holding reserved (session ids) and
// personal time.
type account struct {
	reserved []string
	personal []eventsapi.PersonalTime
}

func (a account) SignedIn(context.Context) (bool, error) { return true, nil }

func (a account) Schedule(context.Context, string) (*eventsapi.Schedule, error) {
	s := &eventsapi.Schedule{Reserved: map[string]bool{}, Favorites: map[string]bool{}, Personal: a.personal}
	for _, id := range a.reserved {
		s.Reserved[id] = true
	}
	return s, nil
}

// world is a catalog of three repeats of SVS401 on Monday, a held seat
// (ARC302, at the Venetian 13:00-14:00), a starred session (DAT301 at
// Wynn, 09:00-10:00), an embargoed session and one with no time yet.
func world() []catalog.Session {
	s := func(id, code, venue string, day, hour int) catalog.Session {
		return catalogtest.Session(catalog.Session{SessionID: id, Code: code, Title: "Title of " + code, Venue: venue,
			Room: "Room " + id, Start: catalogtest.At(day, hour), Type: "Breakout session", Level: 400,
			Speakers: []string{"Ada"}, Tracks: []string{"Serverless"}, Abstract: "First paragraph.\n\nSecond \x1b[2Jparagraph.",
			SeatAvailability: catalog.SeatLimited, Reservable: true})
	}
	sessions := []catalog.Session{
		s("a1", "SVS401", "Venetian", 0, 13),         // the same time as the held seat
		s("a2", "SVS401-R1", "Caesars Forum", 0, 14), // right after it, too far to walk
		s("a3", "SVS401-R2", "MGM Grand", 1, 9),
		s("b1", "ARC302", "Venetian", 0, 13),
		s("c1", "DAT301", "Wynn", 0, 9),
		s("d1", "SVS402", "Venetian", 2, 9),
		s("e1", "SVS409", "Venetian", 3, 9),
	}
	sessions[4].Starred = true
	sessions[5].Embargoed = true
	sessions[6].Start, sessions[6].End = time.Time{}, time.Time{}
	return sessions
}

func run(t *testing.T, acct reserve.Holder, codes ...string) *Report {
	t.Helper()
	deps := reserve.PlanDeps{Fetch: func(context.Context) (*catalog.Catalog, error) {
		return &catalog.Catalog{Source: "test", Sessions: world()}, nil
	}}
	if acct != nil {
		deps.Account = func() (reserve.Holder, error) { return acct, nil }
	}
	rep, err := Run(context.Background(), deps, Options{Codes: codes, Plan: reserve.PlanOptions{
		Plan: schedule.Options{UnknownTravel: 30 * time.Minute, Location: testenv.Vegas},
	}})
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

func clashCodes(in Instance) []string {
	var out []string
	for _, c := range in.Clashes {
		if c.Code == "" {
			out = append(out, c.Title)
			continue
		}
		out = append(out, c.Code)
	}
	return out
}

// TestShowEveryRepeatAndItsClashes: a base code shows every repeat in
// time order; each says whether it is held, whether the plan chose it, and
// which of the plan's sessions and personal time it clashes with, the walk
// included; a full code shows one and names the others.
func TestShowEveryRepeatAndItsClashes(t *testing.T) {
	lunch := eventsapi.PersonalTime{ID: "p1", Title: "Lunch \x1b[31mwith team", Start: catalogtest.At(1, 8), End: catalogtest.At(1, 10)}
	rep := run(t, account{reserved: []string{"b1"}, personal: []eventsapi.PersonalTime{lunch}}, "SVS401", "ARC302", "SVS401-R1", "SVS402", "SVS409", "SVS400")

	if got := []string{rep.Sessions[0].Code, rep.Sessions[1].Code, rep.Sessions[2].Code, rep.Sessions[3].Code}; !slices.Equal(got, []string{"SVS401", "ARC302", "SVS401-R1", "SVS409"}) {
		t.Fatalf("sessions %v", got)
	}
	svs := rep.Sessions[0]
	var codes []string
	for _, in := range svs.Instances {
		codes = append(codes, in.Code)
	}
	if !slices.Equal(codes, []string{"SVS401", "SVS401-R1", "SVS401-R2"}) || len(svs.Others) != 0 {
		t.Errorf("SVS401's instances %v, others %v", codes, svs.Others)
	}
	for i, want := range [][]string{
		{"ARC302"},                          // at the same time
		{"ARC302"},                          // 0 minutes after it, with a 25-minute walk
		{"personal time (Lunch with team)"}, // during the personal block
	} {
		if got := clashCodes(svs.Instances[i]); !slices.Equal(got, want) {
			t.Errorf("%s clashes with %v, want %v", svs.Instances[i].Code, got, want)
		}
	}
	if c := svs.Instances[1].Clashes[0]; c.WalkMinutes != 25 || c.Venue != "Venetian" || !c.Start.Equal(catalogtest.At(0, 13)) {
		t.Errorf("the clash with the held seat: %+v", c)
	}
	arc := rep.Sessions[1].Instances[0]
	if !arc.Held || !arc.InPlan || len(arc.Clashes) != 0 {
		t.Errorf("the held seat: %+v", arc)
	}
	if svs.Instances[0].Held || svs.Instances[0].InPlan {
		t.Errorf("SVS401 is neither held nor planned: %+v", svs.Instances[0])
	}
	full := rep.Sessions[2]
	if len(full.Instances) != 1 || full.Instances[0].Code != "SVS401-R1" || !slices.Equal(full.Others, []string{"SVS401", "SVS401-R2"}) {
		t.Errorf("the full code: %+v", full)
	}
	if notime := rep.Sessions[3].Instances[0]; notime.Start != nil || len(notime.Clashes) != 0 {
		t.Errorf("a session with no time: %+v", notime)
	}
	// The embargoed SVS402 is not shown; SVS400 names nothing.
	if !slices.Equal(rep.NotFound, []string{"SVS402", "SVS400"}) || !slices.Contains(rep.Suggestions["SVS400"], "SVS401") {
		t.Errorf("not found %v, suggestions %v", rep.NotFound, rep.Suggestions)
	}

	var text bytes.Buffer
	if err := rep.Write(&text, "text", testenv.Vegas, 80); err != nil {
		t.Fatal(err)
	}
	out := text.String()
	for _, want := range []string{
		"SVS401 Title of SVS401\nBreakout session, level 400\nTracks:   Serverless\nSpeakers: Ada\n",
		"3 instances (times in Las Vegas time, PST):\n",
		"  SVS401-R1  Mon Nov 30 14:00–15:00 Caesars Forum, Room a2\n             seats: limited\n             clashes with ARC302 13:00–14:00 Venetian (25 min walk)\n",
		"  SVS401-R2  Tue Dec 1 09:00–10:00 MGM Grand, Room a3\n             seats: limited\n             clashes with personal time (Lunch with team) 08:00–10:00\n",
		"  ARC302     Mon Nov 30 13:00–14:00 Venetian, Room b1\n             seats: limited; your seat is held; in your plan\n",
		"Other instances: SVS401, SVS401-R2 (reinvent show SVS401 shows every one)\n",
		"  SVS409     no time yet Venetian, Room e1\n",
		"\n  First paragraph.\n  Second paragraph.\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("text lacks %q:\n%s", want, out)
		}
	}
	for _, l := range strings.Split(out, "\n") {
		if len([]rune(l)) > 80 {
			t.Errorf("a line wider than 80 columns: %q", l)
		}
	}
	if strings.ContainsAny(out, "\x1b\a") {
		t.Errorf("text holds a control character:\n%q", out)
	}
}

// TestShowWithoutAnAccount: on a source with no account the catalog's
// reserved flag says what is held, and the plan is made around it and the
// starred sessions; with nothing starred or held there is no plan, and
// nothing clashes.
func TestShowWithoutAnAccount(t *testing.T) {
	rep := run(t, nil, "DAT301", "SVS401")
	if dat := rep.Sessions[0].Instances[0]; dat.Held || !dat.InPlan {
		t.Errorf("the starred DAT301 is planned, not held: %+v", dat)
	}
	for _, in := range rep.Sessions[1].Instances {
		if len(in.Clashes) != 0 {
			t.Errorf("%s clashes with %v, though the plan is DAT301 alone", in.Code, clashCodes(in))
		}
	}

	deps := reserve.PlanDeps{Fetch: func(context.Context) (*catalog.Catalog, error) {
		sessions := world()
		sessions[4].Starred = false
		return &catalog.Catalog{Sessions: sessions}, nil
	}}
	rep, err := Run(context.Background(), deps, Options{Codes: []string{"ARC302="}, Plan: reserve.PlanOptions{Plan: schedule.Options{Location: testenv.Vegas}}})
	if err != nil {
		t.Fatalf("nothing starred or held: %v", err)
	}
	if s := rep.Sessions[0]; s.Code != "ARC302=" || s.Instances[0].InPlan || s.Instances[0].Held {
		t.Errorf("with no plan: %+v", s)
	}
}

// TestShowJSON: the JSON is an array of one object per code, times in RFC
// 3339, lists never null.
func TestShowJSON(t *testing.T) {
	rep := run(t, account{reserved: []string{"b1"}}, "SVS401-R1", "SVS409")
	var buf bytes.Buffer
	if err := rep.Write(&buf, "json", testenv.Vegas, 0); err != nil {
		t.Fatal(err)
	}
	var got []map[string]any
	if err := json.Unmarshal(buf.Bytes(), &got); err != nil || len(got) != 2 {
		t.Fatalf("%v: %s", err, buf.String())
	}
	in := got[0]["instances"].([]any)[0].(map[string]any)
	if in["start"] != "2026-11-30T14:00:00-08:00" || in["seat_availability"] != "limited" || in["held"] != false {
		t.Errorf("instance %v", in)
	}
	clash := in["clashes"].([]any)[0].(map[string]any)
	if clash["code"] != "ARC302" || clash["walk_minutes"] != 25.0 || clash["end"] != "2026-11-30T14:00:00-08:00" {
		t.Errorf("clash %v", clash)
	}
	notime := got[1]["instances"].([]any)[0].(map[string]any)
	if notime["start"] != nil || notime["clashes"] == nil || got[1]["others"] == nil {
		t.Errorf("no time: %v; others %v", notime, got[1]["others"])
	}
	for _, k := range []string{"code", "base_code", "title", "type", "level", "tracks", "topics", "services", "speakers", "abstract", "instances", "others"} {
		if _, ok := got[0][k]; !ok {
			t.Errorf("no %q in %v", k, got[0])
		}
	}
}
