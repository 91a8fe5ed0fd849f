package search

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/reinvent-cli/reinvent/internal/testenv"
)

// writeResults is one search's answer as Find gives it, its times in the
// event's zone: a session with a long place, and one with no time yet.
func writeResults() *Results {
	at := func(day, h, m int) *time.Time {
		t := time.Date(2026, 11, 30+day, h, m, 0, 0, testenv.Vegas)
		return &t
	}
	return &Results{Query: "agent", Total: 2, Results: []Result{
		{Code: "AIM330", Title: "Myths and facts about multi-agent systems", Score: 19.6, Type: "Lightning talk", Level: 300, Tracks: []string{"Artificial Intelligence"},
			Instances: []Instance{{Code: "AIM330", Start: at(3, 18, 0), End: at(3, 18, 20), Venue: "Venetian", Room: "Level 2 | Expo Hall | Developer Lounge Stage 2", SeatAvailability: "walkUp"}}},
		{Code: "AIM356", Title: "How AnyCompany Health migrated 2,000 applications with Amazon Bedrock AgentCore", Score: 14.8, Type: "Breakout session", Level: 300,
			Instances: []Instance{
				{Code: "AIM356", Start: at(2, 13, 0), End: at(2, 14, 0), Venue: "Caesars Palace", Room: "Level 2 | Augustus 3", SeatAvailability: "unavailable"},
				{Code: "AIM356-R"},
			}},
	}}
}

// The table says which zone its times are in, as schedule's and show's
// do, and keeps to the terminal's width: a line too long breaks between
// its columns (time, place, seats), the rest indented under the first;
// with no width given, 100 columns.
func TestWriteTable(t *testing.T) {
	for _, tt := range []struct {
		width int
		want  string
	}{
		{0, `times in Las Vegas time, PST

AIM330  Myths and facts about multi-agent systems
  Lightning talk · level 300 · Artificial Intelligence · score 19.6
  AIM330  Thu Dec 3 18:00–18:20  Venetian | Level 2 | Expo Hall | Developer Lounge Stage 2
          seats: walkUp

AIM356  How AnyCompany Health migrated 2,000 applications with Amazon Bedrock AgentCore
  Breakout session · level 300 · score 14.8
  AIM356    Wed Dec 2 13:00–14:00  Caesars Palace | Level 2 | Augustus 3  seats: unavailable
  AIM356-R  no time announced
`},
		{200, `times in Las Vegas time, PST

AIM330  Myths and facts about multi-agent systems
  Lightning talk · level 300 · Artificial Intelligence · score 19.6
  AIM330  Thu Dec 3 18:00–18:20  Venetian | Level 2 | Expo Hall | Developer Lounge Stage 2  seats: walkUp

AIM356  How AnyCompany Health migrated 2,000 applications with Amazon Bedrock AgentCore
  Breakout session · level 300 · score 14.8
  AIM356    Wed Dec 2 13:00–14:00  Caesars Palace | Level 2 | Augustus 3  seats: unavailable
  AIM356-R  no time announced
`},
		{50, `times in Las Vegas time, PST

AIM330  Myths and facts about multi-agent systems
  Lightning talk · level 300 · Artificial
  Intelligence · score 19.6
  AIM330  Thu Dec 3 18:00–18:20
          Venetian | Level 2 | Expo Hall |
          Developer Lounge Stage 2  seats: walkUp

AIM356  How AnyCompany Health migrated 2,000
        applications with Amazon Bedrock AgentCore
  Breakout session · level 300 · score 14.8
  AIM356    Wed Dec 2 13:00–14:00
            Caesars Palace | Level 2 | Augustus 3
            seats: unavailable
  AIM356-R  no time announced
`},
	} {
		var out, notes strings.Builder
		if err := Write(&out, &notes, "table", writeResults(), tt.width); err != nil {
			t.Fatal(err)
		}
		if out.String() != tt.want {
			t.Errorf("width %d:\n%s\nwant\n%s", tt.width, out.String(), tt.want)
		}
		max := tt.width
		if max == 0 {
			max = 100
		}
		for _, l := range strings.Split(out.String(), "\n") {
			if utf8.RuneCountInString(l) > max {
				t.Errorf("width %d: line of %d columns: %q", tt.width, utf8.RuneCountInString(l), l)
			}
		}
	}
}

// With no instance timed, there is no zone to name.
func TestWriteTableNoTimes(t *testing.T) {
	res := &Results{Total: 1, Results: []Result{{Code: "TBA101", Title: "To be announced", Instances: []Instance{{Code: "TBA101"}}}}}
	var out, notes strings.Builder
	if err := Write(&out, &notes, "table", res, 80); err != nil {
		t.Fatal(err)
	}
	if want := "TBA101  To be announced\n  TBA101  no time announced\n"; out.String() != want {
		t.Errorf("table = %q, want %q", out.String(), want)
	}
}
