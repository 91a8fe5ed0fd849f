package main

import (
	"encoding/json"
	"strings"
	"testing"

	fakeevents "github.com/reinvent-cli/reinvent/internal/fake/events"
)

// TestShowSignedIn: show on the AWS Events API, signed in, says which
// repeat you hold from your schedule, plans around it and your personal
// time, and names both as what the other repeats clash with.
func TestShowSignedIn(t *testing.T) {
	fake := fakeevents.New("reinvent2026", []any{
		reservable("a1", "SVS401", "2026-12-01", "09:00"), reservable("a2", "SVS401-R", "2026-12-01", "13:00"),
		reservable("a3", "SVS401-R1", "2026-12-02", "10:00"),
		reservable("b1", "ARC302", "2026-12-01", "09:30"),
	})
	t.Cleanup(fake.Close)
	fake.Lock()
	fake.Event.TimeZone = "America/Los_Angeles"
	fake.Reserved = []string{"b1"}
	fake.PersonalTime = []fakeevents.PersonalTime{{PersonalTimeID: "p1", Title: "Lunch \x1b[31mwith the team", Description: "Lunch",
		StartDateTime: "2026-12-01T20:30:00", EndDateTime: "2026-12-01T21:30:00"}} // 12:30-13:30 in Las Vegas
	fake.Unlock()
	flags := append([]string{"show", "--source", "events-api", "SVS401", "ARC302"}, signedIn(t, fake)...)

	out, errOut, code := run(t, append(flags, "--format", "json")...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var got []struct {
		Code      string
		Instances []struct {
			Code    string
			Held    bool
			InPlan  bool `json:"in_plan"`
			Clashes []struct{ Code, Title string }
		}
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil || len(got) != 2 || len(got[0].Instances) != 3 {
		t.Fatalf("%v:\n%s", err, out)
	}
	svs, arc := got[0].Instances, got[1].Instances[0]
	if !arc.Held || !arc.InPlan {
		t.Errorf("ARC302, held on the account: %+v", arc)
	}
	if svs[0].Held || len(svs[0].Clashes) != 1 || svs[0].Clashes[0].Code != "ARC302" {
		t.Errorf("SVS401 at 09:00 clashes with the held ARC302 at 09:30: %+v", svs[0])
	}
	if len(svs[1].Clashes) != 1 || svs[1].Clashes[0].Title != "personal time (Lunch with the team)" {
		t.Errorf("SVS401-R at 13:00 clashes with the personal time to 13:30: %+v", svs[1])
	}
	if len(svs[2].Clashes) != 0 || svs[2].Held {
		t.Errorf("SVS401-R1 on Wednesday: %+v", svs[2])
	}

	text, errOut, code := run(t, flags...)
	text = text + errOut
	if code != 0 || !strings.Contains(text, "  ARC302     Tue Dec 1 09:30–10:30 Venetian, Level 2 | Hall ARC302\n             seats: available; your seat is held; in your plan\n") ||
		!strings.Contains(text, "clashes with personal time (Lunch with the team) 12:30–13:30\n") {
		t.Errorf("exit %d:\n%s", code, text)
	}
	noEscapes(t, "show", text)
}
