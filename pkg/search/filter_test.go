package search

import (
	"slices"
	"strings"
	"testing"
)

// TestNoWordsListsInTimeOrder: with no words, every session (the embargoed
// aside) is listed by its first instance's start, those with no time last,
// each with score 0.
func TestNoWordsListsInTimeOrder(t *testing.T) {
	res := search(t, open(t, fixture(t)), Query{})
	want := []string{"KUB301", "ARC301", "AIM330", "CNS210", "ARC342", "DEV150", "SEC220", "AIM205", "AIM410", "WKS201", "ARC205", "NOT101"}
	if got := codes(res); !slices.Equal(got, want) || res.Total != len(want) {
		t.Errorf("got %v (total %d); want %v", got, res.Total, want)
	}
	for _, r := range res.Results {
		if r.Score != 0 {
			t.Errorf("%s: score %v with no words", r.Code, r.Score)
		}
	}
	if r := res.Results[0]; len(r.Instances) != 2 || r.Instances[0].Code != "KUB301" || r.Instances[1].Code != "KUB301-R1" ||
		r.Instances[1].Venue != "Wynn" || r.Instances[1].SeatAvailability != "limited" || r.Instances[1].Start.Hour() != 14 {
		t.Errorf("KUB301's repeats are not grouped under it in time order: %+v", r.Instances)
	}
	if r := res.Results[len(res.Results)-1]; r.Instances[0].Start != nil || r.Instances[0].End != nil {
		t.Errorf("NOT101 has no time, yet %+v", r.Instances[0])
	}
}

// TestFilters: each filter keeps the matching instances only, still grouped
// under their base code; values of one filter are alternatives (repeated
// or a comma list), different filters all apply, and text matches whatever
// its case.
func TestFilters(t *testing.T) {
	ix := open(t, fixture(t))
	for _, c := range []struct {
		name string
		q    Query
		want []string // instances, in order
	}{
		{"weekday", Query{Days: []string{"mon"}}, []string{"KUB301", "ARC301"}},
		{"full weekday name", Query{Days: []string{"Wednesday"}}, []string{"DEV150", "KUB301-R1", "SEC220"}},
		{"date", Query{Days: []string{"2026-12-01"}}, []string{"AIM330", "CNS210", "ARC342"}},
		{"comma list", Query{Days: []string{"mon,FRI"}}, []string{"KUB301", "ARC301", "ARC205"}},
		{"repeated", Query{Days: []string{"mon", "fri"}}, []string{"KUB301", "ARC301", "ARC205"}},
		{"venue", Query{Venues: []string{"wynn"}}, []string{"ARC342", "KUB301-R1"}},
		{"venue with The", Query{Venues: []string{"the VENETIAN"}}, []string{"KUB301", "ARC301", "SEC220", "AIM410", "ARC205"}},
		{"track", Query{Tracks: []string{"containers"}}, []string{"KUB301", "KUB301-R1", "CNS210", "NOT101"}},
		{"topic", Query{Topics: []string{"agentic ai"}}, []string{"AIM330", "AIM205"}},
		{"type", Query{Types: []string{"WORKSHOP"}}, []string{"WKS201"}},
		{"level", Query{Levels: []int{400}}, []string{"AIM410"}},
		{"levels", Query{Levels: []int{100, 400}}, []string{"DEV150", "AIM410", "NOT101"}},
		{"after, on a day", Query{Days: []string{"thu"}, After: "13:00"}, []string{"AIM410", "WKS201"}},
		{"before", Query{Before: "10:00"}, []string{"AIM330", "DEV150", "ARC205"}},
		{"after and before", Query{After: "13:00", Before: "15:00"}, []string{"ARC301", "CNS210", "KUB301-R1", "AIM410", "WKS201"}},
		{"reservable", Query{Reservable: true}, []string{"KUB301", "KUB301-R1", "ARC301", "AIM330", "CNS210", "AIM205", "AIM410"}},
		{"seat band", Query{Seats: []string{"LIMITED"}}, []string{"KUB301-R1"}},
		{"seat bands", Query{Seats: []string{"walkup,veryLimited"}}, []string{"AIM330", "DEV150", "WKS201"}},
		{"words and a day", Query{Words: "kubernetes", Days: []string{"wed"}}, []string{"KUB301-R1"}},
		{"nothing", Query{Days: []string{"sat"}}, nil},
	} {
		res := search(t, ix, c.q)
		if got := instances(res); !slices.Equal(got, c.want) {
			t.Errorf("%s: %v; want %v", c.name, got, c.want)
		}
	}
}

// TestLimitAndOffset page through the results; Total counts them all.
func TestLimitAndOffset(t *testing.T) {
	ix := open(t, fixture(t))
	for _, c := range []struct {
		limit, offset int
		want          []string
	}{
		{3, 0, []string{"KUB301", "ARC301", "AIM330"}},
		{2, 3, []string{"CNS210", "ARC342"}},
		{0, 10, []string{"ARC205", "NOT101"}},
		{5, 20, nil},
	} {
		res := search(t, ix, Query{Limit: c.limit, Offset: c.offset})
		if got := codes(res); !slices.Equal(got, c.want) || res.Total != 12 {
			t.Errorf("limit %d offset %d: %v (total %d); want %v (total 12)", c.limit, c.offset, got, res.Total, c.want)
		}
	}
}

// TestBadValues: a value that cannot be searched for is one line that
// names it and says what to give.
func TestBadValues(t *testing.T) {
	for _, c := range []struct {
		q    Query
		want string
	}{
		{Query{Days: []string{"tue,someday"}}, `unknown day "someday": give a weekday (tue, Tuesday) or a date (2026-12-01)`},
		{Query{Days: []string{"2026-13-01"}}, `unknown day "2026-13-01"`},
		{Query{Seats: []string{"full"}}, `unknown seat band "full": give available, limited, veryLimited, unavailable or walkUp`},
		{Query{Levels: []int{0}}, `level 0 is not a session level`},
		{Query{After: "25:00"}, `after "25:00" is not a time: give a local time such as 14:30`},
		{Query{Before: "noon"}, `before "noon" is not a time`},
		{Query{Limit: -1}, `limit -1 is negative`},
		{Query{Offset: -2}, `offset -2 is negative`},
	} {
		err := c.q.Check()
		if err == nil || !strings.Contains(err.Error(), c.want) || strings.Contains(err.Error(), "\n") {
			t.Errorf("%+v: %v; want one line with %q", c.q, err, c.want)
		}
		if _, err := open(t, fixture(t)).Search(t.Context(), c.q, nil); err == nil {
			t.Errorf("%+v: Search took it", c.q)
		}
	}
	if _, err := ParseLevels([]string{"200", "3OO"}); err == nil || err.Error() != `level "3OO" is not a number: give one such as 200 or 300` {
		t.Errorf("ParseLevels: %v", err)
	}
	if l, err := ParseLevels([]string{"200,300", "400"}); err != nil || !slices.Equal(l, []int{200, 300, 400}) {
		t.Errorf("ParseLevels: %v, %v", l, err)
	}
	if err := (&Query{Days: []string{"Tues"}, After: "9", Before: "17:30", Seats: []string{"walkUp"}, Levels: []int{300}}).Check(); err != nil {
		t.Errorf("good values refused: %v", err)
	}
}
