package cli

import (
	"slices"
	"strings"

	"github.com/reinvent-cli/reinvent/pkg/catalog"
)

// maxSuggestions is how many close matches are offered for a code.
const maxSuggestions = 3

// closeMatches returns, for each code not found, up to three base codes of
// the catalog at the smallest edit distance (at most 2), nearest first.
func closeMatches(notFound []string, sessions []catalog.Session) map[string][]string {
	if len(notFound) == 0 {
		return nil
	}
	var bases []string
	for _, s := range sessions {
		if !s.Embargoed {
			bases = append(bases, s.BaseCode)
		}
	}
	slices.Sort(bases)
	bases = slices.Compact(bases)

	out := map[string][]string{}
	for _, code := range notFound {
		c, _ := catalog.ParseCode(code)
		type match struct {
			code string
			d    int
		}
		var ms []match
		for _, b := range bases {
			if d := editDistance(c.Base, b); d <= 2 {
				ms = append(ms, match{b, d})
			}
		}
		slices.SortStableFunc(ms, func(a, b match) int { return a.d - b.d })
		for i := 0; i < len(ms) && i < maxSuggestions; i++ {
			out[code] = append(out[code], ms[i].code)
		}
	}
	return out
}

// editDistance is the Levenshtein distance between two short ASCII codes.
// It is small enough that a dependency would cost more than it saves.
func editDistance(a, b string) int {
	a, b = strings.ToUpper(a), strings.ToUpper(b)
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
