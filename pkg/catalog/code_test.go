package catalog

import (
	"strings"
	"testing"
)

func TestParseCode(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want string // canonical form; empty when the code is rejected
	}{
		{"SVS401", "SVS401"},
		{"svs401", "SVS401"},
		{" SVS401 ", "SVS401"},
		{"ARC302-R1", "ARC302-R1"},
		{"arc302-r", "ARC302-R"},
		{"GPSBUS210", "GPSBUS210"},
		{"AIM3315", "AIM3315"},
		{"SEC301-L", "SEC301-L"},
		{"DEV201-WK2", "DEV201-WK2"},
		{"", ""},
		{"401", ""},
		{"SVS", ""},
		{"SVS401-", ""},
		{"SVS-401", ""},
		{"SVS401-1", ""},
		{"SVS 401", ""},
		{"SVS401-R1-R2", ""},
		{"SVS401R", ""},
		{"ÄRC302", ""},
	} {
		c, err := ParseCode(tt.in)
		if tt.want == "" {
			if err == nil {
				t.Errorf("ParseCode(%q) = %v, want an error", tt.in, c)
			} else if !strings.Contains(err.Error(), "like") {
				t.Errorf("ParseCode(%q) error %q does not show what a code looks like", tt.in, err)
			}
			continue
		}
		if err != nil {
			t.Errorf("ParseCode(%q): %v", tt.in, err)
			continue
		}
		if c.String() != tt.want {
			t.Errorf("ParseCode(%q) = %q, want %q", tt.in, c, tt.want)
		}
	}
}

func TestCodeMatches(t *testing.T) {
	for _, tt := range []struct {
		name, full string
		want       bool
	}{
		{"SVS401", "SVS401", true},
		{"SVS401", "SVS401-R1", true},
		{"svs401", "SVS401-R", true},
		{"SVS401", "SVS4011", false},
		{"SVS401", "SVS402-R1", false},
		{"ARC302-R1", "ARC302-R1", true},
		{"arc302-r1", "ARC302-R1", true},
		{"ARC302-R1", "ARC302-R2", false},
		{"ARC302-R1", "ARC302", false},
		{"ARC302-R", "ARC302-R1", false},
	} {
		name, err := ParseCode(tt.name)
		if err != nil {
			t.Fatal(err)
		}
		full, err := ParseCode(tt.full)
		if err != nil {
			t.Fatal(err)
		}
		if got := name.Matches(full); got != tt.want {
			t.Errorf("%s.Matches(%s) = %v, want %v", tt.name, tt.full, got, tt.want)
		}
	}
}

func FuzzParseCode(f *testing.F) {
	for _, s := range []string{"SVS401", "svs401", "ARC302-R1", "arc302-r", "GPSBUS210", "DEV201-WK2", "", "SVS401-", "SVS-401", "SVS 401", "ſvs401"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := ParseCode(s)
		if err != nil {
			return
		}
		str := c.String()
		if str != strings.ToUpper(str) {
			t.Errorf("ParseCode(%q).String() = %q, not upper-case", s, str)
		}
		again, err := ParseCode(str)
		if err != nil {
			t.Fatalf("ParseCode(%q) = %q, which does not parse: %v", s, str, err)
		}
		if again != c {
			t.Errorf("ParseCode(%q) = %#v, but ParseCode(%q) = %#v", s, c, str, again)
		}
		if !c.Matches(again) || !(Code{Base: c.Base}).Matches(c) {
			t.Errorf("%q does not match itself or its base", str)
		}
	})
}

// TestSplitCodes: codes may be separated by commas as well as spaces, as
// in a post to the bot; blank pieces are dropped.
func TestSplitCodes(t *testing.T) {
	got := SplitCodes([]string{"SVS401,ARC302", " DAT301 ", ",,", "AIM306=, SVS401-R1"})
	want := []string{"SVS401", "ARC302", "DAT301", "AIM306=", "SVS401-R1"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("SplitCodes = %q, want %q", got, want)
	}
	if got := SplitCodes(nil); len(got) != 0 {
		t.Errorf("SplitCodes(nil) = %q", got)
	}
}
