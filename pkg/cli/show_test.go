package cli

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/reinvent-cli/reinvent/internal/testenv"
)

// TestShowOnTheSample: show on the embedded sample names every repeat of a
// base code with its seats, the held seats of the sample as held and in
// the plan, and what of the sample's plan (schedule --starred) an instance
// clashes with, the walk included.
func TestShowOnTheSample(t *testing.T) {
	testenv.Isolate(t)
	out, errOut, err := runCLI(t, "show", "--source", "sample", "AIM392", "SVS401-R1,CNS312")
	if err != nil {
		t.Fatalf("%v\n%s", err, errOut)
	}
	for _, want := range []string{
		"AIM392 Common pitfalls of AI-powered search and how to avoid them\nChalk talk, level 300\n",
		"3 instances (times in Las Vegas time, PST):\n",
		"  AIM392     Mon Nov 30 16:00–17:00 Wynn, Level 1 | Meursault\n             seats: available\n             clashes with AIM406 16:00–17:00 Venetian\n",
		"  AIM392-R   Tue Dec 1 09:00–10:00 MGM Grand, Level 3 | Chairman's 358\n             seats: available; in your plan\n",
		"  AIM392-R1  Wed Dec 2 13:00–14:00 Caesars Forum, Level 1 | Forum 115\n             seats: very limited\n             clashes with AIM305-R 10:30–12:30 Caesars Palace (35 min walk)\n                          COP303 12:30–13:30 Caesars Palace\n",
		"  SVS401-R1  Thu Dec 3 13:00–14:00 MGM Grand, Level 1 | Grand Ballroom 122\n             seats: available\n             clashes with AIM459-R 13:00–14:00 Caesars Palace\nOther instances: SVS401, SVS401-R (reinvent show SVS401 shows every one)\n",
		"  CNS312     Tue Dec 1 11:00–12:00 MGM Grand, Level 1 | Room 118\n             seats: available; your seat is held; in your plan\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("show lacks %q:\n%s", want, out)
		}
	}
	// One block each, in the order given.
	a, s, c := strings.Index(out, "AIM392 Common"), strings.Index(out, "SVS401-R1 Best"), strings.Index(out, "CNS312 Refactoring")
	if a != 0 || s < a || c < s {
		t.Errorf("blocks out of order (%d %d %d):\n%s", a, s, c, out)
	}
}

// TestShowUnknownCode: a code that names no session exits 1 with the
// closest codes, after showing those that do; a code that is no code, or
// an unknown format, is a usage error.
func TestShowUnknownCode(t *testing.T) {
	testenv.Isolate(t)
	out, _, err := runCLI(t, "show", "--source", "sample", "SVS401", "SVS402")
	if ExitCode(err) != ExitFailure || !strings.Contains(err.Error(), "no session in sample matches SVS402 (did you mean SVS401") || !strings.HasPrefix(out, "SVS401 ") {
		t.Errorf("exit %d: %v\n%s", ExitCode(err), err, out)
	}
	for _, args := range [][]string{
		{"show", "--source", "sample"},
		{"show", "--source", "sample", "not-a-code!"},
		{"show", "--source", "sample", "--format", "csv", "SVS401"},
		{"show", "--source", "sample", "--buffer", "-5m", "SVS401"},
	} {
		if _, _, err := runCLI(t, args...); ExitCode(err) != ExitUsage || strings.Contains(err.Error(), "\n") {
			t.Errorf("%v: exit %d: %v", args, ExitCode(err), err)
		}
	}
}

// TestShowJSONShape: --format json is an array of one object per code,
// instances with RFC 3339 times, held and in_plan, and their clashes.
func TestShowJSONShape(t *testing.T) {
	testenv.Isolate(t)
	out, errOut, err := runCLI(t, "show", "--source", "sample", "--format", "json", "AIM392-R1", "CNS312")
	if err != nil {
		t.Fatalf("%v\n%s", err, errOut)
	}
	var got []struct {
		Code      string   `json:"code"`
		BaseCode  string   `json:"base_code"`
		Speakers  []string `json:"speakers"`
		Others    []string `json:"others"`
		Instances []struct {
			Code    string `json:"code"`
			Start   string `json:"start"`
			Seats   string `json:"seat_availability"`
			Held    bool   `json:"held"`
			InPlan  bool   `json:"in_plan"`
			Clashes []struct {
				Code string `json:"code"`
				Walk int    `json:"walk_minutes"`
			} `json:"clashes"`
		} `json:"instances"`
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil || len(got) != 2 {
		t.Fatalf("%v:\n%s", err, out)
	}
	aim, cns := got[0], got[1]
	if aim.Code != "AIM392-R1" || aim.BaseCode != "AIM392" || len(aim.Speakers) != 2 || strings.Join(aim.Others, " ") != "AIM392 AIM392-R" {
		t.Errorf("AIM392-R1: %+v", aim)
	}
	in := aim.Instances[0]
	if in.Start != "2026-12-02T13:00:00-08:00" || in.Seats != "veryLimited" || in.Held || in.InPlan ||
		len(in.Clashes) != 2 || in.Clashes[0].Code != "AIM305-R" || in.Clashes[0].Walk != 35 || in.Clashes[1].Code != "COP303" {
		t.Errorf("AIM392-R1's instance: %+v", in)
	}
	if c := cns.Instances[0]; !c.Held || !c.InPlan || len(c.Clashes) != 0 {
		t.Errorf("CNS312: %+v", c)
	}
}
