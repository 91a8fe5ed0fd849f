package search

import (
	"context"
	"slices"
	"testing"

	"github.com/reinvent-cli/reinvent/internal/testenv"
	"github.com/reinvent-cli/reinvent/pkg/catalog"
)

// fixture is testdata/ranking.json: a small catalog whose best matches are
// known (see each test).
func fixture(t testing.TB) *catalog.Catalog {
	t.Helper()
	src, err := catalog.NewFileSource("testdata/ranking.json")
	if err != nil {
		t.Fatal(err)
	}
	cat, err := src.Fetch(context.Background(), catalog.FetchOptions{Location: testenv.Vegas})
	if err != nil {
		t.Fatal(err)
	}
	return cat
}

// open opens the index of cat kept in a fresh directory.
func open(t testing.TB, cat *catalog.Catalog) *Index {
	t.Helper()
	ix, err := Open(context.Background(), cat, t.TempDir(), testenv.Vegas)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	return ix
}

// codes are the base codes of res, in order.
func codes(res *Results) []string {
	var cs []string
	for _, r := range res.Results {
		cs = append(cs, r.Code)
	}
	return cs
}

// instances are the full codes of the instances of res, in order.
func instances(res *Results) []string {
	var cs []string
	for _, r := range res.Results {
		for _, in := range r.Instances {
			cs = append(cs, in.Code)
		}
	}
	return cs
}

func search(t *testing.T, ix *Index, q Query) *Results {
	t.Helper()
	res, err := ix.Search(context.Background(), q, nil)
	if err != nil {
		t.Fatalf("%+v: %v", q, err)
	}
	return res
}

// TestRanking: the best match comes first, by BM25 over the fields with
// their weights: a word in the title and tracks beats one in a long
// abstract; both words of "bedrock agent" in a title beat a title with
// one and a prefix ("Agentic"); a session with only one of them is not a
// match; an embargoed session is never listed.
func TestRanking(t *testing.T) {
	ix := open(t, fixture(t))
	for _, c := range []struct {
		words string
		want  []string
	}{
		{"kubernetes", []string{"KUB301", "NOT101", "CNS210"}},
		{"bedrock agent", []string{"AIM330", "AIM205"}},
		{"static stability", []string{"ARC342", "ARC301"}},
	} {
		res := search(t, ix, Query{Words: c.words})
		if got := codes(res); !slices.Equal(got, c.want) {
			t.Errorf("%q: %v; want %v", c.words, got, c.want)
		}
		for i := 1; i < len(res.Results); i++ {
			if res.Results[i].Score > res.Results[i-1].Score || res.Results[i].Score <= 0 {
				t.Errorf("%q: scores not positive and falling: %v then %v", c.words, res.Results[i-1].Score, res.Results[i].Score)
			}
		}
	}
}

// TestFolding: case and accents are folded both ways, and every word is a
// prefix too, codes included: ARC3 is ARC301 to ARC399, never ARC205.
func TestFolding(t *testing.T) {
	ix := open(t, fixture(t))
	for _, c := range []struct {
		words string
		want  []string
	}{
		{"resilience", []string{"ARC301"}},
		{"RÉSILIENCE", []string{"ARC301"}},
		{"jose nunez", []string{"DEV150"}},
		{"JOSÉ Núñez", []string{"DEV150"}},
		{"kube", []string{"KUB301", "NOT101", "CNS210"}},
		{"ARC3", []string{"ARC301", "ARC342"}},
		{"arc3", []string{"ARC301", "ARC342"}},
		{"kub301-r1", []string{"KUB301"}},
		{"guardduty", []string{"SEC220"}},
		{"ivy", []string{"SEC220"}},
	} {
		got := codes(search(t, ix, Query{Words: c.words}))
		slices.Sort(got)
		want := slices.Sorted(slices.Values(c.want))
		if !slices.Equal(got, want) {
			t.Errorf("%q: %v; want %v", c.words, got, want)
		}
	}
}
