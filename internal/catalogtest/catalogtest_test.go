package catalogtest

import (
	"testing"
	"time"

	"github.com/reinvent-cli/reinvent/internal/testenv"
	"github.com/reinvent-cli/reinvent/pkg/catalog"
)

func TestSessionDefaults(t *testing.T) {
	s := Session(catalog.Session{Code: "arc302-r1", Title: "Resilience\x1b[31m"})
	if s.Code != "ARC302-R1" || s.BaseCode != "ARC302" {
		t.Errorf("Code, BaseCode = %q, %q; want ARC302-R1, ARC302", s.Code, s.BaseCode)
	}
	if s.Title != "Resilience" {
		t.Errorf("Title = %q; want the escape sequence dropped, as a source cleans text", s.Title)
	}
	want := time.Date(2026, time.November, 30, 10, 0, 0, 0, testenv.Vegas)
	if !s.Start.Equal(want) || !s.End.Equal(want.Add(time.Hour)) {
		t.Errorf("Start, End = %v, %v; want 10:00 to 11:00 on Monday of re:Invent week", s.Start, s.End)
	}
	if s.Start.Location() != testenv.Vegas || s.Tracks == nil {
		t.Errorf("not normalised: Start in %v, Tracks %#v", s.Start.Location(), s.Tracks)
	}
}

func TestSessionKeepsTimes(t *testing.T) {
	start := At(1, 13)
	if want := time.Date(2026, time.December, 1, 13, 0, 0, 0, testenv.Vegas); !start.Equal(want) {
		t.Fatalf("At(1, 13) = %v; want %v", start, want)
	}
	end := start.Add(90 * time.Minute)
	s := Session(catalog.Session{Code: "SVS401", Start: start.UTC(), End: end.UTC()})
	if !s.Start.Equal(start) || !s.End.Equal(end) || s.Start.Location() != testenv.Vegas {
		t.Errorf("Start, End = %v, %v; want %v, %v in the event's zone", s.Start, s.End, start, end)
	}
}
