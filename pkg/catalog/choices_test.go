package catalog

import (
	"slices"
	"strings"
	"testing"
	"time"
	"unicode"
)

func TestCodeChoices(t *testing.T) {
	sessions := []Session{
		{Code: "SVS401", BaseCode: "SVS401", Title: "Serverless"},
		{Code: "SVS401-R1", BaseCode: "SVS401", Title: "Serverless"},
		{Code: "SVS410", BaseCode: "SVS410", Title: "Evil \x1b[31mRED\x1b[0m\ttitle"},
		{Code: "SVS499", BaseCode: "SVS499", Title: "Embargoed", Embargoed: true},
		{Code: "SVS4 01", BaseCode: "SVS4 01", Title: "Not a code"},
		{Code: "ARC302", BaseCode: "ARC302", Title: "Architecture"},
	}
	got := CodeChoices(sessions, "svs4")
	want := []Choice{{"SVS401", "Serverless"}, {"SVS401-R1", "Serverless"}, {"SVS410", "Evil RED title"}}
	if !slices.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
	if got := Distinct(sessions, func(s *Session) []string { return []string{s.Title, "  "} }); !slices.Equal(got, []string{"Architecture", "Evil RED title", "Not a code", "Serverless"}) {
		t.Errorf("Distinct: %q", got)
	}
}

// FuzzCodeChoices: whatever a source sent as codes and titles, every
// choice is one shell word that begins with the prefix, and its
// description is one line with no control character.
func FuzzCodeChoices(f *testing.F) {
	f.Add("SVS401-R1", "SVS401", "Serverless at scale", "SV")
	f.Add("ARC302", "ARC302", "Evil \x1b[31mRED\x1b[0m title\x1b]0;pwned\x07", "")
	f.Add("a b\tc", "x\ny", "line\nbreak", "a")
	f.Add("\u009b31m", "ÄÖÜ", "\u202eevil", "\u009b")
	f.Fuzz(func(t *testing.T, code, base, title, prefix string) {
		s := Session{Code: code, BaseCode: base, Title: title}
		s.Normalize(time.UTC)
		for _, c := range CodeChoices([]Session{s}, prefix) {
			if !strings.HasPrefix(c.Value, strings.ToUpper(prefix)) || strings.ContainsFunc(c.Value, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }) {
				t.Errorf("value %q for prefix %q", c.Value, prefix)
			}
			if strings.ContainsFunc(c.Description, func(r rune) bool { return unicode.IsControl(r) || r == '\u202e' }) {
				t.Errorf("description %q", c.Description)
			}
		}
	})
}

// With no catalog to read, --day, --venue and --level still offer what
// any catalog takes: Monday to Friday, the known venues, 100 to 400; with
// one, its own days (weekday and date, in the event's zone), venues and
// levels, each once.
func TestFacetChoices(t *testing.T) {
	values := func(cs []Choice) []string {
		var out []string
		for _, c := range cs {
			out = append(out, c.Value)
		}
		return out
	}
	if got := values(DayChoices(nil, time.UTC)); !slices.Equal(got, []string{"mon", "tue", "wed", "thu", "fri"}) {
		t.Errorf("days of no catalog = %v", got)
	}
	if got := values(LevelChoices(nil)); !slices.Equal(got, []string{"100", "200", "300", "400"}) {
		t.Errorf("levels of no catalog = %v", got)
	}
	if got := values(VenueChoices(nil, []string{"Venetian", "Wynn"})); !slices.Equal(got, []string{"Venetian", "Wynn"}) {
		t.Errorf("venues of no catalog = %v", got)
	}
	vegas, err := time.LoadLocation("America/Los_Angeles")
	if err != nil {
		t.Fatal(err)
	}
	late := time.Date(2026, 12, 2, 4, 30, 0, 0, time.UTC) // Tuesday evening in Las Vegas
	sessions := []Session{
		{Code: "A1", Venue: "MGM Grand", Level: 300, Start: late, End: late.Add(time.Hour)},
		{Code: "B1", Venue: "mgm grand", Level: 300, Tracks: []string{"Serverless"}},
	}
	if got := values(DayChoices(sessions, vegas)); !slices.Equal(got, []string{"tue", "2026-12-01"}) {
		t.Errorf("days = %v, want Tuesday in Las Vegas time", got)
	}
	if got := values(VenueChoices(sessions, []string{"Wynn"})); !slices.Equal(got, []string{"MGM Grand"}) {
		t.Errorf("venues = %v", got)
	}
	if got := values(LevelChoices(sessions)); !slices.Equal(got, []string{"300"}) {
		t.Errorf("levels = %v", got)
	}
}
