package search

import (
	"context"
	"testing"
)

// FuzzWords: whatever is typed searches as words, never as FTS5 syntax, so
// no input is an error; input with no word lists everything.
func FuzzWords(f *testing.F) {
	for _, s := range []string{
		`"`, `*`, `AND`, `NEAR(`, `-`, `:`, `kubernetes`, `a"b`, `"bedrock" OR agent*`, `title:kubernetes`,
		`NEAR(a b, 3)`, `^start`, `{code title}: x`, `(`, `)`, `+`, `NOT`, "\x00", "é\u0301", `''`, `\`,
		"ARC3*", "\xff\xfe", "- AND OR NOT", "😀 emoji",
	} {
		f.Add(s)
	}
	cat := fixture(f)
	ix, err := Open(context.Background(), cat, "", nil)
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { ix.Close() })
	f.Fuzz(func(t *testing.T, s string) {
		res, err := ix.Search(context.Background(), Query{Words: s}, nil)
		if err != nil {
			t.Fatalf("%q: %v", s, err)
		}
		if len(words(s)) == 0 && res.Total != 12 {
			t.Errorf("%q has no words, yet %d results", s, res.Total)
		}
	})
}
