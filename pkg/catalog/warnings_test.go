package catalog

import (
	"fmt"
	"strings"
	"testing"
)

func TestWriteWarnings(t *testing.T) {
	var b strings.Builder
	if rest := (&Catalog{}).WriteWarnings(&b, "events-api"); rest != nil || b.Len() != 0 {
		t.Errorf("a clean fetch wrote %q, returned %v", b.String(), rest)
	}
	c := &Catalog{
		Sessions: []Session{{Code: "TBA101", Unreadable: []string{"start"}}, {Code: "SVS401"}},
		LeftOut:  1,
	}
	for i := range 12 {
		c.Warnings = append(c.Warnings, fmt.Sprintf("warning %d", i+1))
	}
	rest := c.WriteWarnings(&b, "events-api")
	out := b.String()
	for _, want := range []string{
		"warning: events-api: 2 of 3 sessions could not be read in full (1 without a code or not a session were left out); ",
		"  warning 10\n  … and 2 more (--log-level debug lists them all)\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "warning 11") || len(rest) != 2 || rest[0] != "warning 11" {
		t.Errorf("rest = %v, output:\n%s", rest, out)
	}
}
