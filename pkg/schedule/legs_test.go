package schedule

import (
	"slices"
	"testing"
	"time"

	"github.com/reinvent-cli/reinvent/pkg/catalog"
)

func TestSameVenue(t *testing.T) {
	for _, c := range []struct {
		a, b string
		want bool
	}{
		{"Venetian", "Venetian", true},
		{"The Venetian", "venetian", true},
		{"  THE   Caesars  Forum ", "caesars forum", true},
		{"The", "the", true}, // a name that is only "The" keeps it
		{"Wynn", "Encore", false},
		{"Wynn", "Wynn/Encore", false},
		{"", "", false},
		{"  ", "", false},
		{"", "Venetian", false},
	} {
		if got := SameVenue(c.a, c.b); got != c.want {
			t.Errorf("SameVenue(%q, %q) = %v, want %v", c.a, c.b, got, c.want)
		}
		if got := SameVenue(c.b, c.a); got != c.want {
			t.Errorf("SameVenue(%q, %q) = %v, want %v", c.b, c.a, got, c.want)
		}
	}
}

// TestPlanLegs: each chosen session that is not all day has the leg from
// the one before it on its day, with the minutes the solver counts.
func TestPlanLegs(t *testing.T) {
	lounge := at("GHJ101", 1, "08:00", 540, "Venetian")
	lounge.AllDay, lounge.Title = true, "AWS Jam Lounge"
	sessions := []catalog.Session{
		at("SVS401", 1, "10:00", 60, "Venetian"),
		at("ARC302", 1, "11:35", 60, "Wynn"),
		at("DEV301", 1, "13:05", 60, ""),
		at("COP201", 1, "14:35", 30, "The  venetian"),
		at("NET201", 1, "15:15", 30, "Venetian"),
		lounge,
		at("API308", 2, "09:00", 60, "Wynn"),
	}
	res, err := Plan([]string{"SVS401", "ARC302", "DEV301", "COP201", "NET201", "GHJ101", "API308"}, sessions, options())
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]*Leg{
		"ARC302": {From: "SVS401", To: "ARC302", Minutes: 35, Known: true, Free: 35 * time.Minute},
		"DEV301": {From: "ARC302", To: "DEV301", Minutes: 30, Free: 30 * time.Minute},
		"COP201": {From: "DEV301", To: "COP201", Minutes: 30, Free: 30 * time.Minute},
		"NET201": {From: "COP201", To: "NET201", Minutes: 0, Known: true, SameVenue: true, Free: 10 * time.Minute},
	}
	if len(res.Scheduled) != 7 {
		t.Fatalf("scheduled %v", chosen(res))
	}
	sum := 0
	for _, c := range res.Scheduled {
		w := want[c.Session.Code]
		switch {
		case w == nil && c.Leg != nil:
			t.Errorf("%s: leg %+v, want none", c.Session.Code, *c.Leg)
		case w != nil && (c.Leg == nil || *c.Leg != *w):
			t.Errorf("%s: leg %+v, want %+v", c.Session.Code, c.Leg, *w)
		}
		if c.Leg != nil {
			sum += c.Leg.Minutes
		}
	}
	if sum != res.TravelMinutes || sum != 95 {
		t.Errorf("legs add up to %d, travel minutes %d, want 95", sum, res.TravelMinutes)
	}

	// SetLegs gives a result's choices the legs Plan gave them.
	cs := slices.Clone(res.Scheduled)
	for i := range cs {
		cs[i].Leg = &Leg{From: "stale"}
	}
	SetLegs(cs, options())
	for i := range cs {
		if a, b := cs[i].Leg, res.Scheduled[i].Leg; (a == nil) != (b == nil) || (a != nil && *a != *b) {
			t.Errorf("%s: SetLegs gives %+v, Plan %+v", cs[i].Session.Code, a, b)
		}
	}
}
