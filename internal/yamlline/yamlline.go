// Package yamlline finds the line of a YAML file where a parse error
// happens, for the config and travel files' one-line errors
// (docs/configuration.md, docs/travel.md).
package yamlline

// Find returns the line, counted from 1, where parsing data goes wrong: the
// fewest leading lines for which fails holds, given that it holds for the
// whole of data. go-yaml's own "line N" counts from 0 for parser errors
// and is left out on line 1, so its message cannot be trusted for this.
// fails is asked about O(log lines) prefixes, each ending at a line's end.
func Find(data []byte, fails func(prefix []byte) bool) int {
	var ends []int // ends[i] is the length of the first i+1 lines
	for i, c := range data {
		if c == '\n' {
			ends = append(ends, i+1)
		}
	}
	if len(ends) == 0 || ends[len(ends)-1] != len(data) {
		ends = append(ends, len(data))
	}
	lo, hi := 0, len(ends)-1 // fails(data[:ends[hi]]) holds: it is the whole file
	for lo < hi {
		if mid := (lo + hi) / 2; fails(data[:ends[mid]]) {
			hi = mid
		} else {
			lo = mid + 1
		}
	}
	return lo + 1
}
