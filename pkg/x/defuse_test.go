package x

import (
	"strings"
	"testing"
)

// The cases follow twitter-text's URL rules (conformance/tests/extract.yml,
// docs/x-api-research.md section 9): a bare domain with a generic TLD
// links, a bare two-label country-code domain links only with a path, a
// scheme always links, and a preceding letter, digit, "@", "$" or "#"
// keeps a domain from linking.
func TestDefuse(t *testing.T) {
	tests := []struct {
		in      string
		changed bool
	}{
		{"Build on Amazon.com with agents", true},
		{"Ship it at foo.app today", true},
		{"Read https://aws.amazon.com/blogs/x?y=1 first", true},
		{"HTTP://EXAMPLE.COM", true},
		{"Try bit.ly/abc", true},
		{"A talk on example.co.jp", true},
		{"Two: amazon.com and aws.dev.", true},
		{"Plain title: re:Invent keynote", false},
		{"Write file.py and node.js", false},
		{"mail me at user@example.com", false},
		{"price $amazon.com", false},
		{"#example.com", false},
		{"ARC302 – Tue 10:00 at Venetian", false},
	}
	for _, tt := range tests {
		got := Defuse(tt.in)
		if (got != tt.in) != tt.changed {
			t.Errorf("Defuse(%q) = %q; changed %v, want %v", tt.in, got, got != tt.in, tt.changed)
		}
		for i := 0; i < len(got); i++ {
			if e := urlEnd(got, i); e > i {
				t.Errorf("Defuse(%q) = %q still links %q", tt.in, got, got[i:e])
			}
		}
		if strings.ReplaceAll(got, "\u200b", "") != tt.in {
			t.Errorf("Defuse(%q) = %q does not read the same", tt.in, got)
		}
	}
	// Defused, a title costs its characters, not a 23-character link.
	if n, m := WeightedLength("Amazon.com"), WeightedLength(Defuse("Amazon.com")); n != 23 || m != 11 {
		t.Errorf("weighted length %d before, %d after; want 23 and 11", n, m)
	}
}

func FuzzDefuse(f *testing.F) {
	for _, s := range []string{"Amazon.com", "https://a.b.com/x.y", "foo.ai/x", "plain", "a.b.c.d.e.com."} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := Defuse(s)
		if strings.ReplaceAll(got, "\u200b", "") != strings.ReplaceAll(s, "\u200b", "") {
			t.Fatalf("Defuse(%q) = %q changed more than zero-width spaces", s, got)
		}
		for i := 0; i < len(got); i++ {
			if e := urlEnd(got, i); e > i {
				t.Fatalf("Defuse(%q) = %q still links %q", s, got, got[i:e])
			}
		}
	})
}
