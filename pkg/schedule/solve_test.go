package schedule

import (
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/reinvent-cli/reinvent/pkg/catalog"
	"github.com/reinvent-cli/reinvent/pkg/schedule/internal/instances"
)

var vegas = time.FixedZone("PST", -8*60*60)

// at is a session on day (1 = Monday, December 1, 2025) at hh:mm in Las
// Vegas, lasting minutes.
func at(code string, day int, hhmm string, minutes int, venue string) catalog.Session {
	t, err := time.ParseInLocation("15:04", hhmm, vegas)
	if err != nil {
		panic(err)
	}
	start := time.Date(2025, 12, day, t.Hour(), t.Minute(), 0, 0, vegas)
	c, err := catalog.ParseCode(code)
	if err != nil {
		panic(err)
	}
	return catalog.Session{Code: c.String(), BaseCode: c.Base, Title: "Title of " + c.Base,
		Start: start, End: start.Add(time.Duration(minutes) * time.Minute), Venue: venue}
}

// testTravel is a small table: Venetian–Wynn 35 minutes, Venetian–MGM Grand
// 45, Wynn–MGM Grand 55.
var testTravel = NewTravel(map[string]map[string]int{
	"Venetian": {"Wynn": 35, "MGM Grand": 45},
	"Wynn":     {"MGM Grand": 55},
})

func options() Options {
	return Options{Travel: testTravel, UnknownTravel: 30 * time.Minute, Location: vegas}
}

// chosen summarizes a result as "CODE=SESSION" for the scheduled codes,
// in order of start.
func chosen(res *Result) []string {
	var out []string
	for _, c := range res.Scheduled {
		out = append(out, c.Code+"="+c.Session.Code)
	}
	return out
}

func TestPlan(t *testing.T) {
	tests := []struct {
		name     string
		codes    []string
		sessions []catalog.Session
		opts     func(*Options)
		want     []string // CODE=SESSION by start
		travel   int
		check    func(t *testing.T, res *Result)
	}{{
		name:  "the only overlap moves the second code to its repeat",
		codes: []string{"SVS401", "ARC302"},
		sessions: []catalog.Session{
			at("SVS401", 1, "10:00", 60, "Venetian"),
			at("ARC302", 1, "10:30", 60, "Venetian"),
			at("ARC302-R1", 2, "14:00", 60, "Venetian"),
		},
		want: []string{"SVS401=SVS401", "ARC302=ARC302-R1"},
		check: func(t *testing.T, res *Result) {
			for _, c := range res.Scheduled {
				if len(c.Alternates) != 0 {
					t.Errorf("%s alternates %v, want none", c.Code, c.Alternates)
				}
			}
		},
	}, {
		name:  "back to back at another venue does not leave time to walk",
		codes: []string{"SVS401", "ARC302"},
		sessions: []catalog.Session{
			at("SVS401", 1, "10:00", 60, "Venetian"),
			at("ARC302", 1, "11:00", 60, "Wynn"),
			at("ARC302-R", 1, "11:00", 60, "Venetian"),
		},
		want: []string{"SVS401=SVS401", "ARC302=ARC302-R"},
	}, {
		name:  "back to back in the same venue fits",
		codes: []string{"SVS401", "ARC302"},
		sessions: []catalog.Session{
			at("SVS401", 1, "10:00", 60, "Venetian"),
			at("ARC302", 1, "11:00", 60, "Venetian"),
		},
		want: []string{"SVS401=SVS401", "ARC302=ARC302"},
	}, {
		name:  "enough time to walk fits and counts the walk",
		codes: []string{"SVS401", "ARC302"},
		sessions: []catalog.Session{
			at("SVS401", 1, "10:00", 60, "Venetian"),
			at("ARC302", 1, "11:35", 60, "Wynn"),
		},
		want:   []string{"SVS401=SVS401", "ARC302=ARC302"},
		travel: 35,
	}, {
		name:  "the buffer is kept on top of travel",
		codes: []string{"SVS401", "ARC302"},
		sessions: []catalog.Session{
			at("SVS401", 1, "10:00", 60, "Venetian"),
			at("ARC302", 1, "11:35", 60, "Wynn"),
			at("ARC302-R", 1, "11:05", 60, "Venetian"),
			at("ARC302-R1", 1, "11:10", 60, "Venetian"),
		},
		opts: func(o *Options) { o.Buffer = 10 * time.Minute },
		want: []string{"SVS401=SVS401", "ARC302=ARC302-R1"},
	}, {
		name:  "an unknown or empty venue costs unknown-travel, rounded for the total",
		codes: []string{"SVS401", "ARC302"},
		sessions: []catalog.Session{
			at("SVS401", 1, "10:00", 60, "Venetian"),
			at("ARC302", 1, "11:29", 60, ""),
			at("ARC302-R", 1, "11:31", 60, "Expo tent"),
		},
		opts:   func(o *Options) { o.UnknownTravel = 30*time.Minute + 30*time.Second },
		want:   []string{"SVS401=SVS401", "ARC302=ARC302-R"},
		travel: 31,
	}, {
		name:  "an all-day session clashes with everything on its day",
		codes: []string{"SVS401", "GHJ101", "ARC302"},
		sessions: []catalog.Session{
			at("SVS401", 1, "10:00", 60, "Venetian"),
			{Code: "GHJ101", BaseCode: "GHJ101", AllDay: true, Start: time.Date(2025, 12, 1, 0, 0, 0, 0, vegas), Venue: "Venetian"},
			{Code: "GHJ101-R", BaseCode: "GHJ101", AllDay: true, Start: time.Date(2025, 12, 2, 0, 0, 0, 0, vegas), Venue: "Venetian"},
			at("ARC302", 2, "15:00", 60, "Venetian"),
		},
		want: []string{"SVS401=SVS401", "GHJ101=GHJ101-R"},
		check: func(t *testing.T, res *Result) {
			want := []Unscheduled{{Code: "ARC302", Reason: ReasonConflict, BlockedBy: []string{"GHJ101-R"}}}
			if !reflect.DeepEqual(res.Unscheduled, want) {
				t.Errorf("unscheduled %+v, want %+v", res.Unscheduled, want)
			}
		},
	}, {
		name:  "different days always fit",
		codes: []string{"SVS401", "ARC302"},
		sessions: []catalog.Session{
			at("SVS401", 1, "10:00", 60, "Venetian"),
			at("ARC302", 2, "10:00", 60, "MGM Grand"),
		},
		want: []string{"SVS401=SVS401", "ARC302=ARC302"},
	}, {
		name:  "the day is the date in the event's zone",
		codes: []string{"SVS401", "ARC302"},
		sessions: []catalog.Session{
			at("SVS401", 1, "23:00", 45, "Venetian"),
			at("ARC302", 2, "00:00", 60, "Wynn"),
		},
		want: []string{"SVS401=SVS401", "ARC302=ARC302"},
	}, {
		name:  "in UTC the same two sessions are on one day and clash",
		codes: []string{"SVS401", "ARC302"},
		sessions: []catalog.Session{
			at("SVS401", 1, "23:00", 45, "Venetian"),
			at("ARC302", 2, "00:00", 60, "Wynn"),
		},
		opts: func(o *Options) { o.Location = time.UTC },
		want: []string{"SVS401=SVS401"},
	}, {
		name:  "when only one of two fits, the first requested wins",
		codes: []string{"ARC302", "SVS401"},
		sessions: []catalog.Session{
			at("SVS401", 1, "10:00", 60, "Venetian"),
			at("ARC302", 1, "10:30", 60, "Venetian"),
		},
		want: []string{"ARC302=ARC302"},
		check: func(t *testing.T, res *Result) {
			want := []Unscheduled{{Code: "SVS401", Reason: ReasonConflict, BlockedBy: []string{"ARC302"}}}
			if !reflect.DeepEqual(res.Unscheduled, want) {
				t.Errorf("unscheduled %+v, want %+v", res.Unscheduled, want)
			}
		},
	}, {
		name:  "more codes beat an earlier code",
		codes: []string{"AIM301", "SVS401", "ARC302"},
		sessions: []catalog.Session{
			at("AIM301", 1, "10:00", 120, "Venetian"),
			at("SVS401", 1, "10:00", 60, "Venetian"),
			at("ARC302", 1, "11:00", 60, "Venetian"),
		},
		want: []string{"SVS401=SVS401", "ARC302=ARC302"},
	}, {
		name:  "among equal schedules the least travel wins",
		codes: []string{"SVS401", "ARC302"},
		sessions: []catalog.Session{
			at("SVS401", 1, "09:00", 60, "Venetian"),
			at("ARC302", 1, "11:00", 60, "Wynn"),
			at("ARC302-R", 1, "14:00", 60, "Venetian"),
		},
		want: []string{"SVS401=SVS401", "ARC302=ARC302-R"},
		check: func(t *testing.T, res *Result) {
			if alt := res.Scheduled[1].Alternates; !slices.Equal(alt, []string{"ARC302"}) {
				t.Errorf("alternates %v, want [ARC302]", alt)
			}
		},
	}, {
		name:  "requests are de-duplicated: first mention wins, codes of one session are one request",
		codes: []string{"arc302", "ARC302", "ARC302-R1", "svs401-r1", "SVS401", "SVS401-R1", "AIM306=", "AIM306-R", "AIM306"},
		sessions: []catalog.Session{
			at("ARC302", 1, "09:00", 60, "Venetian"),
			at("ARC302-R1", 2, "09:00", 60, "Venetian"),
			at("SVS401", 1, "11:00", 60, "Venetian"),
			at("SVS401-R1", 1, "13:00", 60, "Venetian"),
			at("AIM306", 3, "09:00", 60, "Venetian"),
			at("AIM306-R", 3, "11:00", 60, "Venetian"),
		},
		want: []string{"ARC302=ARC302", "SVS401-R1=SVS401-R1", "AIM306=AIM306"},
		check: func(t *testing.T, res *Result) {
			if want := []string{"ARC302", "SVS401-R1", "AIM306"}; !slices.Equal(res.Requested, want) {
				t.Errorf("requested %v, want %v", res.Requested, want)
			}
			want := []Merge{{"ARC302-R1", "ARC302"}, {"SVS401", "SVS401-R1"}, {"AIM306-R", "AIM306="}, {"AIM306", "AIM306="}}
			if !slices.Equal(res.Merged, want) {
				t.Errorf("merged %v, want %v", res.Merged, want)
			}
		},
	}, {
		// SVS401-R1 and SVS401 are the same talk: asked for both, the
		// schedule holds it once (it held SVS401 on Monday and SVS401-R1
		// on Thursday before).
		name:  "an instance and its base code are one request, the first mention",
		codes: []string{"SVS401-R1", "SVS401"},
		sessions: []catalog.Session{
			at("SVS401", 1, "10:00", 60, "Venetian"),
			at("SVS401-R1", 4, "10:00", 60, "Venetian"),
		},
		want: []string{"SVS401-R1=SVS401-R1"},
		check: func(t *testing.T, res *Result) {
			if len(res.Unscheduled) != 0 || !slices.Equal(res.Merged, []Merge{{"SVS401", "SVS401-R1"}}) {
				t.Errorf("unscheduled %+v merged %+v, want none and SVS401 merged into SVS401-R1", res.Unscheduled, res.Merged)
			}
		},
	}, {
		name:  "not found and no time announced",
		codes: []string{"XYZ999", "NET201", "SEC301", "SVS401"},
		sessions: []catalog.Session{
			{Code: "NET201", BaseCode: "NET201", Title: "Not yet scheduled"},
			{Code: "SEC301", BaseCode: "SEC301", Embargoed: true, Start: time.Date(2025, 12, 1, 9, 0, 0, 0, vegas)},
			at("SVS401", 1, "10:00", 60, "Venetian"),
		},
		want: []string{"SVS401=SVS401"},
		check: func(t *testing.T, res *Result) {
			if want := []string{"XYZ999", "SEC301"}; !slices.Equal(res.NotFound, want) {
				t.Errorf("not found %v, want %v", res.NotFound, want)
			}
			want := []Unscheduled{{Code: "NET201", Reason: ReasonNoTime, BlockedBy: []string{}}}
			if !reflect.DeepEqual(res.Unscheduled, want) {
				t.Errorf("unscheduled %+v, want %+v", res.Unscheduled, want)
			}
		},
	}, {
		name: "no codes",
		want: nil,
	}, {
		// A held seat is not a wish: two wishes it blocks do not outweigh it.
		name:  "a held code stays, whatever it blocks",
		codes: []string{"CNS309-R", "DAT201", "DAT202"},
		opts:  func(o *Options) { o.Fixed = 1 },
		sessions: []catalog.Session{
			at("CNS309-R", 1, "10:00", 60, "Venetian"),
			at("DAT201", 1, "09:15", 60, "Venetian"),
			at("DAT202", 1, "10:45", 60, "Venetian"),
		},
		want: []string{"CNS309-R=CNS309-R"},
		check: func(t *testing.T, res *Result) {
			want := []Unscheduled{
				{Code: "DAT201", Reason: ReasonConflict, BlockedBy: []string{"CNS309-R"}},
				{Code: "DAT202", Reason: ReasonConflict, BlockedBy: []string{"CNS309-R"}},
			}
			if !reflect.DeepEqual(res.Unscheduled, want) {
				t.Errorf("unscheduled %+v, want %+v", res.Unscheduled, want)
			}
		},
	}, {
		name:  "without held codes, the same request takes the two wishes",
		codes: []string{"CNS309-R", "DAT201", "DAT202"},
		sessions: []catalog.Session{
			at("CNS309-R", 1, "10:00", 60, "Venetian"),
			at("DAT201", 1, "09:15", 60, "Venetian"),
			at("DAT202", 1, "10:45", 60, "Venetian"),
		},
		want: []string{"DAT201=DAT201", "DAT202=DAT202"},
	}, {
		// Only a clash between held codes leaves one out: the most that
		// fit together, then the earlier.
		name:  "held codes that clash: the most that fit, then the earlier",
		codes: []string{"ARC301-R", "ARC302-R", "ARC303-R", "ARC304-R", "DEV201"},
		opts:  func(o *Options) { o.Fixed = 4 },
		sessions: []catalog.Session{
			at("ARC301-R", 1, "10:00", 120, "Venetian"), // clashes with 302 and 303
			at("ARC302-R", 1, "10:00", 60, "Venetian"),
			at("ARC303-R", 1, "11:00", 60, "Venetian"),
			at("ARC304-R", 2, "10:00", 60, "Venetian"),
			at("DEV201", 2, "10:30", 60, "Venetian"),
		},
		want: []string{"ARC302-R=ARC302-R", "ARC303-R=ARC303-R", "ARC304-R=ARC304-R"},
		check: func(t *testing.T, res *Result) {
			want := []Unscheduled{
				{Code: "ARC301-R", Reason: ReasonConflict, BlockedBy: []string{"ARC302-R", "ARC303-R"}},
				{Code: "DEV201", Reason: ReasonConflict, BlockedBy: []string{"ARC304-R"}},
			}
			if !reflect.DeepEqual(res.Unscheduled, want) {
				t.Errorf("unscheduled %+v, want %+v", res.Unscheduled, want)
			}
		},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts := options()
			if tt.opts != nil {
				tt.opts(&opts)
			}
			res, err := Plan(tt.codes, tt.sessions, opts)
			if err != nil {
				t.Fatal(err)
			}
			if got := chosen(res); !slices.Equal(got, tt.want) {
				t.Errorf("scheduled %v, want %v", got, tt.want)
			}
			if res.TravelMinutes != tt.travel {
				t.Errorf("travel %d minutes, want %d", res.TravelMinutes, tt.travel)
			}
			if !res.Optimal {
				t.Error("not optimal")
			}
			if tt.check != nil {
				tt.check(t, res)
			}
		})
	}
}

func TestPlanErrors(t *testing.T) {
	sessions := []catalog.Session{at("SVS401", 1, "10:00", 60, "Venetian")}
	for _, tt := range []struct {
		codes []string
		opts  Options
		want  string
	}{
		{[]string{"SVS401", "ARC-302"}, options(), `invalid session code "ARC-302"`},
		{[]string{"SVS401-"}, options(), `invalid session code "SVS401-"`},
		{[]string{"SVS401"}, Options{Buffer: -time.Minute}, "negative buffer"},
		{[]string{"SVS401"}, Options{UnknownTravel: -time.Minute}, "negative unknown-travel"},
	} {
		_, err := Plan(tt.codes, sessions, tt.opts)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Plan(%q): error %v, want one containing %q", tt.codes, err, tt.want)
		}
	}
}

// TestPlanDeterministic plans the same requests twice, and once more on the
// catalog in another order: the answers are the same.
func TestPlanDeterministic(t *testing.T) {
	for _, gen := range []func(uint64) ([]string, []catalog.Session){instances.Typical, instances.Stress} {
		codes, sessions := gen(7)
		a, err := Plan(codes, sessions, benchOptions)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := Plan(codes, sessions, benchOptions)
		if !reflect.DeepEqual(a, b) {
			t.Fatal("two runs differ")
		}
		shuffled := slices.Clone(sessions)
		rand.New(rand.NewPCG(1, 2)).Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
		c, _ := Plan(codes, shuffled, benchOptions)
		if !reflect.DeepEqual(a, c) {
			t.Errorf("the catalog's order changes the answer:\n%v\n%v", chosen(a), chosen(c))
		}
		if !a.Optimal {
			t.Error("not optimal")
		}
	}
}

// TestPlanTimeLimit runs out of time (by the solver's clock) at every
// point of a search in turn: the answer is always a schedule that fits,
// with its travel right, marked not optimal unless the search was done.
func TestPlanTimeLimit(t *testing.T) {
	codes, sessions := instances.Stress(3)
	full, err := Plan(codes, sessions, benchOptions)
	if err != nil || !full.Optimal {
		t.Fatalf("with time: %v, optimal %v", err, full.Optimal)
	}
	f := newRef(instance{codes: codes, sessions: sessions, opts: benchOptions})
	start := time.Date(2025, 12, 1, 0, 0, 0, 0, time.UTC)
	for _, reads := range []int{1, 2, 3, 4, 6, 8, 12, 16, 24, 32, 48, 64, 96, 128, 1 << 20} {
		calls := 0
		clock := func() time.Time { // the limit runs out after reads readings
			if calls++; calls <= reads {
				return start
			}
			return start.Add(time.Hour)
		}
		res, err := plan(codes, sessions, benchOptions, clock)
		if err != nil {
			t.Fatal(err)
		}
		if res.Optimal && !reflect.DeepEqual(res, full) {
			t.Errorf("after %d readings: optimal but not the full answer", reads)
		}
		if reads == 1 && res.Optimal {
			t.Error("out of time at once, yet optimal")
		}
		if len(res.Scheduled) == 0 {
			t.Fatalf("after %d readings: nothing scheduled", reads)
		}
		var all []int
		for _, c := range res.Scheduled {
			i := slices.IndexFunc(sessions, func(s catalog.Session) bool { return s.Code == c.Session.Code })
			for _, o := range all {
				if !f.compatible(o, i) {
					t.Errorf("after %d readings: %s and %s clash", reads, sessions[o].Code, c.Session.Code)
				}
			}
			all = append(all, i)
		}
		if got := f.travelOf(all); got != res.TravelMinutes {
			t.Errorf("after %d readings: travel %d, recomputed %d", reads, res.TravelMinutes, got)
		}
		if len(res.Scheduled) > len(full.Scheduled) {
			t.Errorf("after %d readings: %d scheduled, more than the optimum %d", reads, len(res.Scheduled), len(full.Scheduled))
		}
	}
}

// TestAllDayDropIn: an all-day lounge or expo is open all day and blocks
// nothing; another all-day session still clashes with its whole day.
func TestAllDayDropIn(t *testing.T) {
	lounge := at("GHJ101", 2, "08:00", 540, "Venetian")
	lounge.AllDay, lounge.Title = true, "AWS Jam Lounge"
	lounge2 := at("GHJ101-R", 3, "08:00", 540, "Venetian")
	lounge2.AllDay, lounge2.Title = true, "AWS Jam Lounge"
	hackathon := at("HAK101", 2, "08:00", 540, "Wynn")
	hackathon.AllDay, hackathon.Title = true, "Hackathon"
	key := at("KEY001", 2, "09:00", 120, "Venetian")
	sessions := []catalog.Session{lounge, lounge2, hackathon, key}

	res, err := Plan([]string{"GHJ101", "KEY001"}, sessions, options())
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Scheduled) != 2 || len(res.Unscheduled) != 0 || !slices.Equal(res.Requested, []string{"GHJ101", "KEY001"}) {
		t.Fatalf("a lounge blocked the keynote: %+v", res)
	}
	for _, c := range res.Scheduled {
		if c.Code == "GHJ101" && (c.Session.Code != "GHJ101" || !slices.Equal(c.Alternates, []string{"GHJ101-R"})) {
			t.Errorf("lounge choice %+v", c)
		}
	}

	res, err = Plan([]string{"HAK101", "KEY001"}, sessions, options())
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Scheduled) != 1 || len(res.Unscheduled) != 1 || res.Unscheduled[0].Code != "KEY001" {
		t.Errorf("an all-day hackathon must still clash with its day: %+v", res)
	}
}
