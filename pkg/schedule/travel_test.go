package schedule

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/reinvent-cli/reinvent/pkg/catalog"
)

// travelWantBuiltin is the built-in table as docs/travel.md gives it.
var travelWantBuiltin = map[[2]string]int{
	// measured: OpenStreetMap foot routing, 2026-09-29 (issue 11)
	{"Venetian", "Wynn"}:                35, // 21 + 10 = 31
	{"Venetian", "Encore"}:              35, // 23 + 10 = 33
	{"Venetian", "Caesars Forum"}:       25, // 12 + 10 = 22
	{"Venetian", "Caesars Palace"}:      45, // 34 + 10 = 44
	{"Venetian", "MGM Grand"}:           45, // 32 + 10 = 42
	{"Wynn", "Encore"}:                  20, // 8 + 10 = 18
	{"Wynn", "Caesars Forum"}:           35, // 23 + 10 = 33
	{"Wynn", "Caesars Palace"}:          45, // 33 + 10 = 43
	{"Wynn", "MGM Grand"}:               55, // 44 + 10 = 54
	{"Encore", "Caesars Forum"}:         35, // 25 + 10 = 35
	{"Encore", "Caesars Palace"}:        45, // 35 + 10 = 45
	{"Encore", "MGM Grand"}:             55, // 45 + 10 = 55
	{"Caesars Forum", "Caesars Palace"}: 35, // 22 + 10 = 32
	{"Caesars Forum", "MGM Grand"}:      40, // 27 + 10 = 37
	{"Caesars Palace", "MGM Grand"}:     50, // 39 + 10 = 49
	// Mandalay Bay: an assumed 28-minute walk to MGM Grand, then the
	// shortest chain of walks
	{"Mandalay Bay", "MGM Grand"}:      40, // 28 → 38
	{"Mandalay Bay", "Venetian"}:       70, // 28 + 32 = 60 → 70
	{"Mandalay Bay", "Wynn"}:           85, // 28 + 44 = 72 → 82
	{"Mandalay Bay", "Encore"}:         85, // 28 + 45 = 73 → 83
	{"Mandalay Bay", "Caesars Forum"}:  65, // 28 + 27 = 55 → 65
	{"Mandalay Bay", "Caesars Palace"}: 80, // 28 + 39 = 67 → 77
	// Wynn/Encore: the longer of Wynn and Encore
	{"Wynn/Encore", "Wynn"}:           20,
	{"Wynn/Encore", "Encore"}:         20,
	{"Wynn/Encore", "Venetian"}:       35,
	{"Wynn/Encore", "Caesars Forum"}:  35,
	{"Wynn/Encore", "Caesars Palace"}: 45,
	{"Wynn/Encore", "MGM Grand"}:      55,
	{"Wynn/Encore", "Mandalay Bay"}:   85,
}

// travelDocsVenues are the built-in venues in the order of the matrix in
// docs/travel.md.
var travelDocsVenues = []string{
	"Venetian", "Wynn", "Encore", "Wynn/Encore", "Caesars Forum", "Caesars Palace", "MGM Grand", "Mandalay Bay",
}

func TestTravelBuiltinMeasured(t *testing.T) {
	// The 15 walks of issue 11, every pair of the 2026 venues, and the
	// planning minutes a user sees for them.
	want := []struct {
		a, b    string
		walk    int
		minutes int
	}{
		{"Venetian", "Wynn", 21, 35},
		{"Venetian", "Encore", 23, 35},
		{"Venetian", "Caesars Forum", 12, 25},
		{"Venetian", "Caesars Palace", 34, 45},
		{"Venetian", "MGM Grand", 32, 45},
		{"Wynn", "Encore", 8, 20},
		{"Wynn", "Caesars Forum", 23, 35},
		{"Wynn", "Caesars Palace", 33, 45},
		{"Wynn", "MGM Grand", 44, 55},
		{"Encore", "Caesars Forum", 25, 35},
		{"Encore", "Caesars Palace", 35, 45},
		{"Encore", "MGM Grand", 45, 55},
		{"Caesars Forum", "Caesars Palace", 22, 35},
		{"Caesars Forum", "MGM Grand", 27, 40},
		{"Caesars Palace", "MGM Grand", 39, 50},
	}
	measured := map[[2]string]int{}
	for _, w := range travelMeasured {
		measured[travelPairKey(w.a, w.b)] = w.walk
	}
	if len(measured) != len(want) || len(travelMeasured) != len(want) {
		t.Errorf("%d measured walks, want the %d of issue 11", len(travelMeasured), len(want))
	}
	b := Builtin()
	for _, w := range want {
		if got, ok := measured[travelPairKey(w.a, w.b)]; !ok || got != w.walk {
			t.Errorf("measured walk %s–%s = %d, %v; want %d", w.a, w.b, got, ok, w.walk)
		}
		for _, p := range [][2]string{{w.a, w.b}, {w.b, w.a}} {
			if got, ok := b.Minutes(p[0], p[1]); !ok || got != w.minutes {
				t.Errorf("Minutes(%q, %q) = %d, %v; want %d (a %d-minute walk)", p[0], p[1], got, ok, w.minutes, w.walk)
			}
		}
	}
}

func TestTravelPlanningMinutes(t *testing.T) {
	for walk, want := range map[int]int{0: 10, 1: 15, 5: 15, 6: 20, 8: 20, 12: 25, 21: 35, 22: 35, 23: 35,
		25: 35, 27: 40, 32: 45, 33: 45, 34: 45, 35: 45, 39: 50, 44: 55, 45: 55, 49: 60, 67: 80, 77: 90} {
		if got := planningMinutes(walk); got != want {
			t.Errorf("planningMinutes(%d) = %d, want %d", walk, got, want)
		}
	}
}

func TestTravelBuiltinTable(t *testing.T) {
	b := Builtin()
	if got, want := b.Venues(), []string{"Caesars Forum", "Caesars Palace", "Encore", "MGM Grand", "Mandalay Bay", "Venetian", "Wynn", "Wynn/Encore"}; !slices.Equal(got, want) {
		t.Errorf("Venues() = %q, want %q", got, want)
	}
	// Every pair of the eight venues is known, in both directions, with
	// exactly the documented figure.
	n := 0
	for i, a := range travelDocsVenues {
		for j, b2 := range travelDocsVenues {
			got, ok := b.Minutes(a, b2)
			if i == j {
				if got != 0 || !ok {
					t.Errorf("Minutes(%q, %q) = %d, %v; want 0, true", a, b2, got, ok)
				}
				continue
			}
			want, found := travelWantBuiltin[[2]string{a, b2}]
			if !found {
				want, found = travelWantBuiltin[[2]string{b2, a}]
			}
			if !found {
				t.Fatalf("test table lacks %s–%s", a, b2)
			}
			if !ok || got != want {
				t.Errorf("Minutes(%q, %q) = %d, %v; want %d, true", a, b2, got, ok, want)
			}
			n++
		}
	}
	if n != 8*7 || len(travelWantBuiltin) != 28 || len(b.Pairs()) != 28 {
		t.Errorf("%d ordered pairs, %d expected pairs, %d table pairs; want 56, 28, 28", n, len(travelWantBuiltin), len(b.Pairs()))
	}
	// Every walked figure is a multiple of 5, at least 10 more than the walk.
	walks := builtinWalks()
	for i := range travelVenues {
		for j := range travelVenues {
			if i == j {
				continue
			}
			m, _ := b.Minutes(travelVenues[i], travelVenues[j])
			if m%5 != 0 || m < walks[i][j]+10 || m >= walks[i][j]+15 {
				t.Errorf("%s–%s: %d planning minutes for a %d-minute walk", travelVenues[i], travelVenues[j], m, walks[i][j])
			}
		}
	}
}

func TestTravelBuiltinWalks(t *testing.T) {
	// Measured pairs are their walks; Mandalay Bay's pairs are the assumed
	// walk to MGM Grand and the shortest chain of walks from there.
	want := map[[2]string]int{
		{"Mandalay Bay", "MGM Grand"}:      28,
		{"Mandalay Bay", "Venetian"}:       60,
		{"Mandalay Bay", "Wynn"}:           72,
		{"Mandalay Bay", "Encore"}:         73,
		{"Mandalay Bay", "Caesars Forum"}:  55,
		{"Mandalay Bay", "Caesars Palace"}: 67,
	}
	for _, w := range travelMeasured {
		want[[2]string{w.a, w.b}] = w.walk
	}
	d := builtinWalks()
	idx := map[string]int{}
	for i, v := range travelVenues {
		idx[v] = i
	}
	if len(want) != len(travelVenues)*(len(travelVenues)-1)/2 {
		t.Fatalf("%d pairs expected, want every pair of %d venues", len(want), len(travelVenues))
	}
	for p, w := range want {
		if got := d[idx[p[0]]][idx[p[1]]]; got != w {
			t.Errorf("walk %s–%s = %d, want %d", p[0], p[1], got, w)
		}
		if d[idx[p[0]]][idx[p[1]]] != d[idx[p[1]]][idx[p[0]]] {
			t.Errorf("walk %s–%s is not symmetric", p[0], p[1])
		}
	}
}

func TestTravelBuiltinWynnEncore(t *testing.T) {
	// A session at Wynn/Encore may be in either building: it is planned as
	// the longer of the two, and 0 to itself like every venue.
	b := Builtin()
	for _, x := range travelVenues {
		w, _ := b.Minutes("Wynn", x)
		e, _ := b.Minutes("Encore", x)
		if got, ok := b.Minutes(catalog.WynnEncore, x); !ok || got != max(w, e) {
			t.Errorf("Minutes(Wynn/Encore, %q) = %d, %v; want %d (Wynn %d, Encore %d)", x, got, ok, max(w, e), w, e)
		}
	}
	for _, c := range []struct {
		a, b string
		want int
	}{
		{"Wynn/Encore", "Wynn", 20},
		{"Encore", "wynn/encore", 20},
		{"The Wynn/Encore", "MGM Grand", 55},
		{"  WYNN/ENCORE ", "Caesars Palace", 45},
		{"Wynn/Encore", "Wynn/Encore", 0},
		{"Wynn/Encore", "the Wynn/Encore", 0},
	} {
		if got, ok := b.Minutes(c.a, c.b); !ok || got != c.want {
			t.Errorf("Minutes(%q, %q) = %d, %v; want %d", c.a, c.b, got, ok, c.want)
		}
	}
	if _, ok := b.Minutes("Wynn/Encore", "Bellagio"); ok {
		t.Error("Wynn/Encore–Bellagio is known; nobody gave Wynn–Bellagio or Encore–Bellagio")
	}
}

func TestTravelMinutes(t *testing.T) {
	custom := NewTravel(map[string]map[string]int{
		"Venetian": {"Wynn": 25, "Venetian": 5},
		"Hall A":   {"Hall B": 0},
	})
	tests := []struct {
		name   string
		t      *Travel
		a, b   string
		want   int
		wantOK bool
	}{
		{"builtin", Builtin(), "Venetian", "Wynn", 35, true},
		{"symmetric", Builtin(), "Wynn", "Venetian", 35, true},
		{"case", Builtin(), "VENETIAN", "wynn", 35, true},
		{"trimmed", Builtin(), "  Venetian\t", " Wynn ", 35, true},
		{"inner space", Builtin(), "Caesars   Forum", "MGM\tGrand", 40, true},
		{"The prefix", Builtin(), "The Venetian", "Wynn", 35, true},
		{"the prefix lower", Builtin(), "the venetian", "THE WYNN", 35, true},
		{"The prefix both", Builtin(), "The Venetian", "The  Venetian", 0, true},
		{"Theater is not The", Builtin(), "Theater", "Venetian", 0, false},
		{"unknown venue", Builtin(), "Venetian", "Bellagio", 0, false},
		{"unknown both", Builtin(), "Bellagio", "Aria", 0, false},
		{"empty", Builtin(), "", "Venetian", 0, false},
		{"empty second", Builtin(), "Venetian", "", 0, false},
		{"blank", Builtin(), "   ", "Venetian", 0, false},
		{"both empty", Builtin(), "", "", 0, false},
		{"self", Builtin(), "Venetian", "venetian", 0, true},
		{"self The", Builtin(), "The Venetian", "Venetian", 0, true},
		{"self unknown venue", Builtin(), "Bellagio", "bellagio", 0, true},
		{"explicit self", custom, "The Venetian", "VENETIAN", 5, true},
		{"implicit self in custom", custom, "Wynn", "Wynn", 0, true},
		{"custom", custom, "wynn", "Venetian", 25, true},
		{"custom zero", custom, "Hall B", "hall a", 0, true},
		{"custom lacks builtin pair", custom, "Venetian", "Encore", 0, false},
		{"nil is builtin", nil, "Encore", "Wynn", 20, true},
		{"zero value is empty", &Travel{}, "Encore", "Wynn", 0, false},
		{"zero value self", &Travel{}, "Encore", "encore", 0, true},
		{"fold", NewTravel(map[string]map[string]int{"STRASSE": {"ſun": 7}}), "strasse", "SUN", 7, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := tt.t.Minutes(tt.a, tt.b)
			if got != tt.want || ok != tt.wantOK {
				t.Errorf("Minutes(%q, %q) = %d, %v; want %d, %v", tt.a, tt.b, got, ok, tt.want, tt.wantOK)
			}
		})
	}
}

func TestNewTravel(t *testing.T) {
	tr := NewTravel(map[string]map[string]int{
		"Venetian":     {"Wynn": 25, "Encore": 30, "": 5, "Bad": -1},
		"Wynn":         {"Venetian": 20}, // differs: the larger, 25, wins
		"The Venetian": {"MGM Grand": 40},
		" ":            {"Wynn": 3},
	})
	for _, c := range []struct {
		a, b string
		want int
		ok   bool
	}{
		{"Venetian", "Wynn", 25, true},
		{"Wynn", "Venetian", 25, true},
		{"Encore", "Venetian", 30, true},
		{"venetian", "mgm grand", 40, true},
		{"Venetian", "Bad", 0, false},
		{"Wynn", "Encore", 0, false},
	} {
		if got, ok := tr.Minutes(c.a, c.b); got != c.want || ok != c.ok {
			t.Errorf("Minutes(%q, %q) = %d, %v; want %d, %v", c.a, c.b, got, ok, c.want, c.ok)
		}
	}
	// Sorted input order: "The Venetian" is seen before "Venetian".
	if got, want := tr.Venues(), []string{"Encore", "MGM Grand", "The Venetian", "Wynn"}; !slices.Equal(got, want) {
		t.Errorf("Venues() = %q, want %q", got, want)
	}
	if got := NewTravel(nil).Pairs(); len(got) != 0 {
		t.Errorf("NewTravel(nil).Pairs() = %v, want none", got)
	}
}

func TestTravelMerge(t *testing.T) {
	base := Builtin()
	o := NewTravel(map[string]map[string]int{
		"the venetian":  {"WYNN": 25},
		"Venetian Expo": {"Venetian": 10},
		"MGM Grand":     {"MGM Grand": 5},
	})
	m := base.Merge(o)
	for _, c := range []struct {
		a, b string
		want int
	}{
		{"Venetian", "Wynn", 25},        // overridden
		{"Wynn", "Venetian", 25},        // symmetric
		{"Venetian", "Encore", 35},      // kept
		{"Mandalay Bay", "Wynn", 85},    // kept
		{"Wynn/Encore", "Venetian", 35}, // Encore's 35 is longer than Wynn's 25
		{"Venetian Expo", "venetian", 10},
		{"MGM Grand", "mgm grand", 5}, // explicit self
		{"Wynn", "Wynn", 0},
	} {
		if got, ok := m.Minutes(c.a, c.b); !ok || got != c.want {
			t.Errorf("merged Minutes(%q, %q) = %d, %v; want %d", c.a, c.b, got, ok, c.want)
		}
	}
	if _, ok := m.Minutes("Venetian Expo", "Wynn"); ok {
		t.Error("merged table knows Venetian Expo–Wynn, which nobody gave")
	}
	// Display names: the built-in spelling is kept, new venues are added.
	if got, want := m.Venues(), []string{"Caesars Forum", "Caesars Palace", "Encore", "MGM Grand", "Mandalay Bay", "Venetian", "Venetian Expo", "Wynn", "Wynn/Encore"}; !slices.Equal(got, want) {
		t.Errorf("Venues() = %q, want %q", got, want)
	}
	// The inputs are unchanged.
	if got, _ := base.Minutes("Venetian", "Wynn"); got != 35 {
		t.Errorf("Merge changed its receiver: Venetian–Wynn = %d", got)
	}
	if got, _ := Builtin().Minutes("Venetian", "Wynn"); got != 35 {
		t.Errorf("Merge changed the built-in table: Venetian–Wynn = %d", got)
	}
	if _, ok := o.Minutes("Venetian", "Encore"); ok {
		t.Error("Merge changed its argument")
	}
	// nil: nil o adds nothing; nil receiver is the built-in table.
	if got := base.Merge(nil).Pairs(); !slices.Equal(got, base.Pairs()) {
		t.Errorf("Merge(nil) = %v", got)
	}
	if got, want := (*Travel)(nil).Merge(o).Pairs(), m.Pairs(); !slices.Equal(got, want) {
		t.Errorf("nil.Merge(o) = %v, want %v", got, want)
	}
	if got := (&Travel{}).Merge(o).Pairs(); !slices.Equal(got, o.Pairs()) {
		t.Errorf("empty.Merge(o) = %v, want %v", got, o.Pairs())
	}
}

func TestTravelMergeWynnEncore(t *testing.T) {
	// A travel file that changes Wynn or Encore changes Wynn/Encore too, to
	// the longer of the two, unless it gives Wynn/Encore's own figure.
	type pair struct {
		a, b string
		want int
	}
	tests := []struct {
		name string
		file string
		want []pair
	}{
		{"longer Wynn", "minutes: {Wynn: {MGM Grand: 70}}",
			[]pair{{"Wynn/Encore", "MGM Grand", 70}, {"Wynn", "MGM Grand", 70}, {"Encore", "MGM Grand", 55}}},
		{"shorter Wynn", "minutes: {wynn: {mgm grand: 30}}",
			[]pair{{"Wynn/Encore", "MGM Grand", 55}, {"Wynn", "MGM Grand", 30}}},
		{"longer Encore, other order", "minutes: {Caesars Forum: {The Encore: 50}}",
			[]pair{{"Wynn/Encore", "Caesars Forum", 50}, {"Wynn", "Caesars Forum", 35}}},
		{"Wynn–Encore", "minutes: {Wynn: {Encore: 30}}",
			[]pair{{"Wynn/Encore", "Wynn", 30}, {"Wynn/Encore", "Encore", 30}, {"Wynn/Encore", "Wynn/Encore", 0}}},
		{"Wynn to itself", "minutes: {Wynn: {Wynn: 25}}",
			[]pair{{"Wynn/Encore", "Wynn", 25}, {"Wynn/Encore", "Encore", 20}}},
		{"file names Wynn/Encore", "minutes: {Wynn: {MGM Grand: 70}, Wynn/Encore: {MGM Grand: 60}}",
			[]pair{{"Wynn/Encore", "MGM Grand", 60}, {"Wynn", "MGM Grand", 70}}},
		{"file names Wynn/Encore to Wynn", "minutes: {Wynn: {Encore: 30}, The Wynn/Encore: {Wynn: 10}}",
			[]pair{{"Wynn/Encore", "Wynn", 10}, {"Wynn/Encore", "Encore", 30}}},
		{"Wynn/Encore to itself", "minutes: {Wynn/Encore: {Wynn/Encore: 5}}",
			[]pair{{"Wynn/Encore", "Wynn/Encore", 5}, {"Wynn/Encore", "Wynn", 20}}},
		{"new venue", "minutes: {Venetian Expo: {Wynn: 10, Encore: 15}}",
			[]pair{{"Wynn/Encore", "Venetian Expo", 15}}},
		{"other pairs", "minutes: {Venetian: {MGM Grand: 10}}",
			[]pair{{"Wynn/Encore", "Venetian", 35}, {"Wynn/Encore", "MGM Grand", 55}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := ParseTravel([]byte(tt.file), "travel.yaml")
			if err != nil {
				t.Fatal(err)
			}
			m := Builtin().Merge(f)
			for _, p := range tt.want {
				for _, q := range [][2]string{{p.a, p.b}, {p.b, p.a}} {
					if got, ok := m.Minutes(q[0], q[1]); !ok || got != p.want {
						t.Errorf("Minutes(%q, %q) = %d, %v; want %d", q[0], q[1], got, ok, p.want)
					}
				}
			}
		})
	}
	// Only one of the two known: Wynn/Encore–x stays unknown.
	f := NewTravel(map[string]map[string]int{"Venetian Expo": {"Wynn": 10}})
	if got, ok := Builtin().Merge(f).Minutes(catalog.WynnEncore, "Venetian Expo"); ok {
		t.Errorf("Minutes(Wynn/Encore, Venetian Expo) = %d, true; Encore–Venetian Expo is unknown", got)
	}
	// A table without Wynn/Encore does not gain it.
	f = NewTravel(map[string]map[string]int{"Wynn": {"Venetian": 30}, "Encore": {"Venetian": 40}})
	if got := (&Travel{}).Merge(f).Venues(); slices.Contains(got, catalog.WynnEncore) {
		t.Errorf("Venues() = %q; nobody named Wynn/Encore", got)
	}
}

func TestTravelFileMandalayBay(t *testing.T) {
	// Mandalay Bay is not a 2026 venue but stays in the built-in table, and
	// a travel file may name it however a catalog spells it.
	if got, ok := Builtin().Minutes("Mandalay Bay", "MGM Grand"); !ok || got != 40 {
		t.Errorf("built-in Mandalay Bay–MGM Grand = %d, %v; want 40", got, ok)
	}
	for _, name := range []string{"mandalay bay", "The Mandalay Bay", "MANDALAY  BAY"} {
		t.Run(name, func(t *testing.T) {
			f, err := ParseTravel([]byte("minutes:\n  "+name+":\n    MGM Grand: 30\n"), "travel.yaml")
			if err != nil {
				t.Fatal(err)
			}
			m := Builtin().Merge(f)
			for _, c := range []struct {
				a, b string
				want int
			}{
				{"Mandalay Bay", "MGM Grand", 30},     // the file's
				{"MGM Grand", "the mandalay bay", 30}, // symmetric, any spelling
				{"Mandalay Bay", "Wynn", 85},          // built-in, kept
				{"Mandalay Bay", "Wynn/Encore", 85},   // built-in, kept
			} {
				if got, ok := m.Minutes(c.a, c.b); !ok || got != c.want {
					t.Errorf("Minutes(%q, %q) = %d, %v; want %d", c.a, c.b, got, ok, c.want)
				}
			}
			if got := m.Venues(); !slices.Contains(got, "Mandalay Bay") || len(got) != 8 {
				t.Errorf("Venues() = %q; want the eight built-in names", got)
			}
		})
	}
}

func TestTravelPairs(t *testing.T) {
	tr := NewTravel(map[string]map[string]int{"Wynn": {"Encore": 20, "Wynn": 3}, "Aria": {"Wynn": 50}})
	want := []TravelPair{{"Aria", "Wynn", 50}, {"Encore", "Wynn", 20}, {"Wynn", "Wynn", 3}}
	if got := tr.Pairs(); !slices.Equal(got, want) {
		t.Errorf("Pairs() = %v, want %v", got, want)
	}
}

func TestParseTravelFiles(t *testing.T) {
	want := []TravelPair{
		{"Caesars Palace", "caesars forum", 30},
		{"MGM Grand", "MGM Grand", 5},
		{"The Encore", "Venetian", 30},
		{"Venetian", "Venetian Expo", 10},
		{"Venetian", "Wynn", 25},
	}
	for _, file := range []string{"override.yaml", "override.json"} {
		t.Run(file, func(t *testing.T) {
			path := filepath.Join("..", "..", "testdata", "travel", file)
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			tr, err := ParseTravel(data, path)
			if err != nil {
				t.Fatalf("ParseTravel: %v", err)
			}
			if got := tr.Pairs(); !slices.Equal(got, want) {
				t.Errorf("Pairs() =\n%v\nwant\n%v", got, want)
			}
			m := Builtin().Merge(tr)
			for _, c := range []struct {
				a, b string
				want int
			}{
				{"Venetian", "Wynn", 25},
				{"Encore", "Venetian", 30},
				{"Caesars Palace", "Caesars Forum", 30},
				{"Venetian Expo", "The Venetian", 10},
				{"MGM Grand", "MGM Grand", 5},
				{"Wynn", "Encore", 20},            // built-in, kept
				{"Mandalay Bay", "MGM Grand", 40}, // built-in, kept
				{"Wynn/Encore", "Venetian", 30},   // the longer of Wynn's 25 and Encore's 30
				{"Venetian", "Venetian", 0},
			} {
				if got, ok := m.Minutes(c.a, c.b); !ok || got != c.want {
					t.Errorf("Minutes(%q, %q) = %d, %v; want %d", c.a, c.b, got, ok, c.want)
				}
			}
			// The built-in display names win over the file's spellings.
			if got := m.Venues(); !slices.Contains(got, "Caesars Forum") || !slices.Contains(got, "Encore") || slices.Contains(got, "The Encore") {
				t.Errorf("Venues() = %q", got)
			}
		})
	}
}

func TestParseTravelGood(t *testing.T) {
	tests := []struct {
		name string
		data string
		want []TravelPair
	}{
		{"empty mapping", "{}", []TravelPair{}},
		{"empty minutes", "minutes: {}\n", []TravelPair{}},
		{"yaml empty mapping", "--- {}\n", []TravelPair{}},
		{"flow", "minutes: {A: {B: 5}}", []TravelPair{{"A", "B", 5}}},
		{"zero", "minutes:\n  A:\n    B: 0\n", []TravelPair{{"A", "B", 0}}},
		{"max", "minutes:\n  A:\n    B: 1440\n", []TravelPair{{"A", "B", 1440}}},
		{"yaml int forms", "minutes:\n  A: {B: 0x1e, C: +5, D: 1_0}\n", []TravelPair{{"A", "B", 30}, {"A", "C", 5}, {"A", "D", 10}}},
		{"anchors", "minutes:\n  A: &x {C: 5}\n  B: *x\n", []TravelPair{{"A", "C", 5}, {"B", "C", 5}}},
		{"same twice", "minutes:\n  A: {B: 5}\n  b: {a: 5}\n  The A: {B: 5}\n", []TravelPair{{"A", "B", 5}}},
		{"comments only before", "# travel\nminutes:\n  A: {B: 5}\n", []TravelPair{{"A", "B", 5}}},
		{"json", `{"minutes": {"A": {"B": 5}}}`, []TravelPair{{"A", "B", 5}}},
		{"json spaces", " \n\t{\"minutes\":{\"A\":{\"B\":5,\"C\":0}}}\n\n", []TravelPair{{"A", "B", 5}, {"A", "C", 0}}},
		{"json bom", "\ufeff{\"minutes\":{}}", []TravelPair{}},
		{"yaml bom", "\ufeffminutes: {}", []TravelPair{}},
		{"json self", `{"minutes": {"A": {"a": 3}}}`, []TravelPair{{"A", "A", 3}}},
		{"json both ways", `{"minutes": {"A": {"B": 5}, "B": {"A": 5}}}`, []TravelPair{{"A", "B", 5}}},
		{"json minus zero", `{"minutes": {"A": {"B": -0}}}`, []TravelPair{{"A", "B", 0}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tr, err := ParseTravel([]byte(tt.data), "good.yaml")
			if err != nil {
				t.Fatalf("ParseTravel: %v", err)
			}
			if got := tr.Pairs(); !slices.Equal(got, tt.want) {
				t.Errorf("Pairs() = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestParseTravelErrors(t *testing.T) {
	tests := []struct {
		name string
		data string
		want string // the error starts with "travel file bad.yaml:" and contains this
	}{
		// YAML
		{"empty file", "", "bad.yaml:1: the file is empty"},
		{"comments only", "# nothing\n", "bad.yaml:1: the file is empty"},
		{"not a mapping", "- Venetian\n- Wynn\n", "bad.yaml:1:1: not a mapping"},
		{"scalar", "hello\n", "bad.yaml:1:1: not a mapping"},
		{"null document", "~\n", "bad.yaml:1:1: not a mapping"},
		{"unknown key", "minutes: {}\nminute: {}\n", `bad.yaml:2:1: unknown key "minute": the only key is "minutes"`},
		{"minutes twice", "minutes: {}\nminutes: {}\n", `bad.yaml:2:1: "minutes" given twice (first at line 1)`},
		{"minutes list", "minutes:\n  - Venetian\n", `bad.yaml:2:3: "minutes" must be a mapping`},
		{"minutes null", "minutes:\n", `bad.yaml:1:9: "minutes" must be a mapping`},
		{"venue not mapping", "minutes:\n  Venetian: 25\n", `bad.yaml:2:13: "Venetian" must map to a mapping of venue to minutes, got 25`},
		{"string minutes", "minutes:\n  Venetian:\n    Wynn: \"25\"\n", `bad.yaml:3:11: Venetian→Wynn: minutes must be a whole number, got the string "25"`},
		{"word minutes", "minutes:\n  Venetian:\n    Wynn: soon\n", `bad.yaml:3:11: Venetian→Wynn: minutes must be a whole number, got the string "soon"`},
		{"float minutes", "minutes:\n  Venetian:\n    Wynn: 12.5\n", "bad.yaml:3:11: Venetian→Wynn: minutes must be a whole number, got 12.5"},
		{"bool minutes", "minutes:\n  Venetian:\n    Wynn: true\n", "bad.yaml:3:11: Venetian→Wynn: minutes must be a whole number, got the boolean true"},
		{"null minutes", "minutes:\n  Venetian:\n    Wynn:\n", "bad.yaml:3:10: Venetian→Wynn: minutes must be a whole number, got nothing"},
		{"list minutes", "minutes:\n  Venetian:\n    Wynn: [25]\n", "bad.yaml:3:11: Venetian→Wynn: minutes must be a whole number, got a list"},
		{"negative", "minutes:\n  Venetian:\n    Wynn: -5\n", "bad.yaml:3:11: Venetian→Wynn: minutes must not be negative, got -5"},
		{"too many minutes", "minutes:\n  Venetian:\n    Wynn: 1441\n", "bad.yaml:3:11: Venetian→Wynn: minutes must be at most 1440 (a day), got 1441"},
		{"huge", "minutes:\n  Venetian:\n    Wynn: 99999999999999999999\n", "bad.yaml:3:11: Venetian→Wynn: minutes must be at most 1440 (a day), got 99999999999999999999"},
		{"huge negative", "minutes:\n  Venetian:\n    Wynn: -99999999999999999999\n", "bad.yaml:3:11: Venetian→Wynn: minutes must not be negative"},
		{"huge int", "minutes:\n  Venetian:\n    Wynn: 9223372036854775808\n", "bad.yaml:3:11: Venetian→Wynn: minutes must be at most 1440"},
		{"huge hex", "minutes:\n  Venetian:\n    Wynn: 0x7fffffffffffffffff\n", "bad.yaml:3:11: Venetian→Wynn: minutes must be a whole number"},
		{"quoted digits", "minutes:\n  Venetian:\n    Wynn: '99999999999999999999'\n", "bad.yaml:3:11: Venetian→Wynn: minutes must be a whole number, got the string"},
		{"asymmetric", "minutes:\n  Venetian:\n    Wynn: 25\n  Wynn:\n    Venetian: 30\n",
			"bad.yaml:5:15: Venetian→Wynn 25 (line 3) but Wynn→Venetian 30: travel is symmetric"},
		{"asymmetric by name", "minutes:\n  Venetian:\n    Wynn: 25\n    the WYNN: 30\n",
			"bad.yaml:4:15: Venetian→Wynn 25 (line 3) but Venetian→the WYNN 30"},
		{"empty outer venue", "minutes:\n  \"\":\n    Wynn: 25\n", "bad.yaml:2:3: empty venue name"},
		{"blank outer venue", "minutes:\n  \"  \":\n    Wynn: 25\n", "bad.yaml:2:3: empty venue name"},
		{"null outer venue", "minutes:\n  ~:\n    Wynn: 25\n", "bad.yaml:2:3: empty venue name"},
		{"empty inner venue", "minutes:\n  Venetian:\n    \"\": 25\n", `bad.yaml:3:5: empty venue name (paired with "Venetian")`},
		{"list venue", "minutes:\n  [a, b]:\n    Wynn: 25\n", "bad.yaml:2:3: a venue must be a name, got a list"},
		{"merge key", "base: &b {Wynn: 5}\nminutes:\n  Venetian:\n    <<: *b\n", `bad.yaml:1:1: unknown key "base"`},
		{"merge key inner", "minutes:\n  Venetian:\n    <<: {Wynn: 5}\n", "bad.yaml:3:5: merge keys (<<) are not supported"},
		{"two documents", "minutes: {}\n---\nminutes: {}\n", "bad.yaml:2: more than one YAML document"},
		{"syntax line 1", "minutes: a: b\n", "bad.yaml:1: invalid YAML: mapping values are not allowed in this context"},
		{"syntax line 3", "minutes:\n  Venetian:\n    Wynn: 25: 3\n", "bad.yaml:3: invalid YAML: mapping values are not allowed"},
		{"tab", "minutes:\n  Venetian:\n\tWynn: 25\n", "bad.yaml:3: invalid YAML: found character that cannot start any token"},
		{"unclosed flow", "minutes: {Venetian: {Wynn: 25}\n", "bad.yaml:1: invalid YAML: did not find expected ',' or '}'"},
		// The library counts these lines from 0: the error is where the
		// list opens, on line 3, and where the stray item is, on line 4.
		{"unclosed flow line 3", "minutes:\n  Venetian:\n    Wynn: [25\n  Wynn:\n    Encore: 5\n", "bad.yaml:3: invalid YAML: did not find expected ',' or ']'"},
		{"stray item line 4", "minutes:\n  Venetian:\n    Wynn: 25\n- Encore\n", "bad.yaml:4: invalid YAML: did not find expected key"},
		{"bad utf-8", "minutes:\n  Venetian:\n    \"Wynn\xff\": 25\n", "bad.yaml:3: invalid YAML: invalid leading UTF-8 octet"},
		{"control char", "minutes:\n  Venetian:\n    Wynn\x01: 25\n", "bad.yaml:3: invalid YAML: control characters are not allowed"},
		{"unknown anchor", "minutes:\n  Venetian:\n    Wynn: *nope\n", "bad.yaml:3: invalid YAML: unknown anchor 'nope' referenced"},
		// JSON
		{"json unknown key", "{\"minutes\": {},\n \"buffer\": 5}", `bad.yaml:2:2: unknown key "buffer": the only key is "minutes"`},
		{"json minutes twice", "{\"minutes\": {},\n \"minutes\": {}}", `bad.yaml:2:2: "minutes" given twice (first at line 1)`},
		{"json minutes list", "{\"minutes\": [1]}", `bad.yaml:1:13: "minutes" must be a mapping of venue to venue to minutes, got a list`},
		{"json minutes null", "{\"minutes\": null}", `bad.yaml:1:13: "minutes" must be a mapping of venue to venue to minutes, got null`},
		{"json venue number", "{\"minutes\": {\"Venetian\": 25}}", `bad.yaml:1:26: "Venetian" must map to a mapping of venue to minutes, got 25`},
		{"json string", "{\"minutes\": {\n  \"Venetian\": {\"Wynn\": \"25\"}}}", `bad.yaml:2:24: Venetian→Wynn: minutes must be a whole number, got the string "25"`},
		{"json float", "{\"minutes\": {\n  \"Venetian\": {\"Wynn\": 25.5}}}", "bad.yaml:2:24: Venetian→Wynn: minutes must be a whole number, got 25.5"},
		{"json exponent", "{\"minutes\": {\n  \"Venetian\": {\"Wynn\": 1e1}}}", "bad.yaml:2:24: Venetian→Wynn: minutes must be a whole number, got 1e1"},
		{"json null", "{\"minutes\": {\n  \"Venetian\": {\"Wynn\": null}}}", "bad.yaml:2:24: Venetian→Wynn: minutes must be a whole number, got null"},
		{"json object minutes", "{\"minutes\": {\n  \"Venetian\": {\"Wynn\": {}}}}", "bad.yaml:2:24: Venetian→Wynn: minutes must be a whole number, got a mapping"},
		{"json negative", "{\"minutes\": {\n  \"Venetian\": {\"Wynn\": -5}}}", "bad.yaml:2:24: Venetian→Wynn: minutes must not be negative, got -5"},
		{"json huge", "{\"minutes\": {\n  \"Venetian\": {\"Wynn\": 99999999999999999999}}}", "bad.yaml:2:24: Venetian→Wynn: minutes must be at most 1440 (a day), got 99999999999999999999"},
		{"json asymmetric", "{\"minutes\": {\n  \"Venetian\": {\"Wynn\": 25},\n  \"Wynn\": {\"Venetian\": 30}}}",
			"bad.yaml:3:24: Venetian→Wynn 25 (line 2) but Wynn→Venetian 30: travel is symmetric"},
		{"json empty venue", "{\"minutes\": {\n  \"\": {\"Wynn\": 25}}}", "bad.yaml:2:3: empty venue name"},
		{"json empty inner venue", "{\"minutes\": {\n  \"Wynn\": {\" \": 25}}}", `bad.yaml:2:12: empty venue name (paired with "Wynn")`},
		{"json syntax", "{\"minutes\": {\n  \"Venetian\": {\"Wynn\": 25,}}}", "bad.yaml:2:27: invalid JSON: invalid character '}'"},
		{"json missing colon", "{\"minutes\"\n {}}", "bad.yaml:2:2: invalid JSON: invalid character '{' after object key"},
		{"json truncated", "{\"minutes\": {\n  \"Venetian\": {\"Wynn\": 25", "bad.yaml:2:26: invalid JSON: unexpected end of input"},
		{"json trailing", "{\"minutes\": {}}\n{}", "bad.yaml:2:1: unexpected a mapping after the JSON object"},
		{"json trailing junk", "{\"minutes\": {}}\nx", "bad.yaml:2:1: invalid JSON: invalid character 'x'"},
		{"json trailing comma top", "{\"minutes\": {},}", "bad.yaml:1:16: invalid JSON: invalid character '}'"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tr, err := ParseTravel([]byte(tt.data), "bad.yaml")
			if err == nil {
				t.Fatalf("ParseTravel = %v, want an error containing %q", tr.Pairs(), tt.want)
			}
			var te *TravelError
			if !errors.As(err, &te) || te.File != "bad.yaml" || te.Line < 1 {
				t.Errorf("error %#v is not a *TravelError with the file and a line", err)
			}
			if !strings.HasPrefix(err.Error(), "travel file bad.yaml:") || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error:\n  %v\nwant it to contain\n  %s", err, tt.want)
			}
		})
	}
}

func TestParseTravelTestdataErrors(t *testing.T) {
	for file, want := range map[string]string{
		"asymmetric.yaml": "asymmetric.yaml:5:15: Venetian→Wynn 25 (line 3) but Wynn→Venetian 30",
		"negative.json":   "negative.json:3:26: Venetian→Wynn: minutes must not be negative, got -5",
	} {
		data, err := os.ReadFile(filepath.Join("..", "..", "testdata", "travel", file))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := ParseTravel(data, file); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ParseTravel(%s) = %v, want %q", file, err, want)
		}
	}
}

func TestParseTravelTooManyPairs(t *testing.T) {
	// An alias makes a small file spell out many pairs; the parser stops.
	var b strings.Builder
	b.WriteString("inner: &i {")
	for i := range 400 {
		fmt.Fprintf(&b, "V%d: 1, ", i)
	}
	b.WriteString("}\n")
	_, err := ParseTravel([]byte(strings.Replace(b.String(), "inner:", "minutes:\n  X:", 1)), "many.yaml")
	if err != nil {
		t.Fatalf("400 pairs: %v", err)
	}
	b.Reset()
	b.WriteString("minutes:\n  A0: &i {")
	for i := range 400 {
		fmt.Fprintf(&b, "V%d: 1, ", i)
	}
	b.WriteString("}\n")
	for i := 1; i < 400; i++ {
		fmt.Fprintf(&b, "  A%d: *i\n", i)
	}
	if _, err := ParseTravel([]byte(b.String()), "many.yaml"); err == nil || !strings.Contains(err.Error(), "more than 100000 pairs") {
		t.Errorf("160000 pairs: %v, want too many", err)
	}
}

// travelMatrix renders the built-in table as the Markdown matrix of
// docs/travel.md.
func travelMatrix(tr *Travel) string {
	var b strings.Builder
	b.WriteString("| |")
	for _, v := range travelDocsVenues {
		fmt.Fprintf(&b, " %s |", v)
	}
	b.WriteString("\n|---|")
	for range travelDocsVenues {
		b.WriteString("---:|")
	}
	b.WriteString("\n")
	for _, a := range travelDocsVenues {
		fmt.Fprintf(&b, "| **%s** |", a)
		for _, v := range travelDocsVenues {
			m, _ := tr.Minutes(a, v)
			if a == v {
				b.WriteString(" – |")
			} else {
				fmt.Fprintf(&b, " %d |", m)
			}
		}
		b.WriteString("\n")
	}
	return b.String()
}

func TestTravelDocsMatrix(t *testing.T) {
	doc, err := os.ReadFile(filepath.Join("..", "..", "docs", "travel.md"))
	if err != nil {
		t.Fatal(err)
	}
	if m := travelMatrix(Builtin()); !strings.Contains(string(doc), m) {
		t.Errorf("docs/travel.md lacks the built-in matrix:\n%s", m)
	}
}

func FuzzParseTravel(f *testing.F) {
	if files, err := filepath.Glob(filepath.Join("..", "..", "testdata", "travel", "*")); err == nil {
		for _, file := range files {
			if data, err := os.ReadFile(file); err == nil {
				f.Add(data)
			}
		}
	}
	for _, s := range []string{
		"", "{}", "minutes: {}", "minutes:\n  A:\n    B: 5\n", "minutes: {A: {a: 3}}",
		`{"minutes": {"A": {"B": 5}, "B": {"A": 5}}}`, "minutes:\n  A: &x {C: 5}\n  B: *x\n",
		"minutes: {A: {B: -1}}", "minutes: {The A: {a: 1, THE a: 1}}", "minutes: a: b",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		tr, err := ParseTravel(data, "fuzz.yaml")
		if err != nil {
			if !strings.HasPrefix(err.Error(), "travel file fuzz.yaml:") {
				t.Fatalf("error does not name the file: %v", err)
			}
			return
		}
		for _, tab := range []*Travel{tr, Builtin().Merge(tr)} {
			for _, p := range tab.Pairs() {
				ab, okAB := tab.Minutes(p.A, p.B)
				ba, okBA := tab.Minutes(p.B, p.A)
				if !okAB || !okBA || ab != ba || ab != p.Minutes {
					t.Fatalf("pair %v: Minutes = %d, %v and %d, %v", p, ab, okAB, ba, okBA)
				}
				if p.Minutes < 0 || p.Minutes > MaxTravelMinutes {
					t.Fatalf("pair %v out of range", p)
				}
			}
		}
		for _, p := range Builtin().Pairs() {
			if _, ok := Builtin().Merge(tr).Minutes(p.A, p.B); !ok {
				t.Fatalf("merging lost %s–%s", p.A, p.B)
			}
		}
	})
}
