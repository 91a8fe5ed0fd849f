package catalog

import (
	"slices"
	"strings"
)

// maxSuggestions is how many close matches are offered for a code.
const maxSuggestions = 3

// CloseCodes returns, for each code not found, up to three base codes of
// the sessions at the smallest edit distance (at most 2), nearest first,
// leaving out embargoed sessions: the "did you mean" of schedule.
func CloseCodes(notFound []string, sessions []Session) map[string][]string {
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
		c, _ := ParseCode(code)
		type match struct {
			code string
			d    int
		}
		var ms []match
		for _, b := range bases {
			if d := EditDistance(c.Base, b); d <= 2 {
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

// EditDistance is the Levenshtein distance between two short ASCII strings,
// case folded: how far a code, a venue or a setting name is from another.
// It is small enough that a dependency would cost more than it saves.
func EditDistance(a, b string) int {
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
