package catalog

import (
	"slices"
	"testing"
	"time"
)

func TestByStart(t *testing.T) {
	at := func(h int) time.Time { return time.Date(2026, 12, 1, h, 0, 0, 0, time.UTC) }
	sessions := []*Session{
		{Code: "TBA101"},                // no time: last
		{Code: "SVS401", Start: at(13)}, // afternoon
		{Code: "ARC302-R1", Start: at(9)},
		{Code: "ARC302", Start: at(9)}, // same start: by code
		{Code: "AAA100"},               // no time, code first among them
		{Code: "DAT301", Start: at(11)},
	}
	slices.SortFunc(sessions, ByStart)
	var got []string
	for _, s := range sessions {
		got = append(got, s.Code)
	}
	want := []string{"ARC302", "ARC302-R1", "DAT301", "SVS401", "AAA100", "TBA101"}
	if !slices.Equal(got, want) {
		t.Errorf("in time order: %v, want %v", got, want)
	}
	a, b := &Session{Code: "X1", Start: at(9)}, &Session{Code: "X1", Start: at(9)}
	if c := ByStart(a, b); c != 0 {
		t.Errorf("ByStart of the same start and code = %d, want 0", c)
	}
}
