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
