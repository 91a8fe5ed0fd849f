package settings

import (
	"slices"
	"strings"

	"github.com/reinvent-cli/reinvent/pkg/catalog"
)

// maxSuggestions is how many names a "did you mean" offers.
const maxSuggestions = 3

// Spelling is a way to write a name: a setting is spelled by its own name
// and, for the command being run, by its flag's name (schedule's "format"
// is the setting schedule-format).
type Spelling struct{ Typed, Name string }

// Spellings returns names, each spelled as itself.
func Spellings(names ...string) []Spelling {
	out := make([]Spelling, len(names))
	for i, n := range names {
		out[i] = Spelling{Typed: n, Name: n}
	}
	return out
}

// Closest returns up to three names that typed is a typo of, nearest first:
// a name at most two edits away (one for a word of three letters or fewer),
// or one that typed begins, which counts as one edit. The groups are tried in turn and the first with
// a match wins, so that what the command being run accepts comes before
// what only another command does.
func Closest(typed string, groups ...[]Spelling) []string {
	limit := 2
	if len(typed) <= 3 {
		limit = 1
	}
	for _, g := range groups {
		best := map[string]int{} // name → its smallest distance
		for _, s := range g {
			d := catalog.EditDistance(typed, s.Typed)
			if len(typed) >= 3 && strings.HasPrefix(strings.ToLower(s.Typed), strings.ToLower(typed)) {
				d = min(d, 1)
			}
			if d > limit {
				continue
			}
			if old, ok := best[s.Name]; !ok || d < old {
				best[s.Name] = d
			}
		}
		if len(best) == 0 {
			continue
		}
		names := make([]string, 0, len(best))
		for n := range best {
			names = append(names, n)
		}
		slices.SortFunc(names, func(a, b string) int {
			if best[a] != best[b] {
				return best[a] - best[b]
			}
			return strings.Compare(a, b)
		})
		return names[:min(maxSuggestions, len(names))]
	}
	return nil
}

// DidYouMean is " (did you mean a, b or c?)" for the names, each written
// by show, or "" when there are none.
func DidYouMean(names []string, show func(string) string) string {
	if len(names) == 0 {
		return ""
	}
	return " (did you mean " + OrList(names, show) + "?)"
}

// OrList is "a", "a or b", "a, b or c", each written by show.
func OrList(names []string, show func(string) string) string {
	shown := make([]string, len(names))
	for i, n := range names {
		shown[i] = show(n)
	}
	if len(shown) == 1 {
		return shown[0]
	}
	return strings.Join(shown[:len(shown)-1], ", ") + " or " + shown[len(shown)-1]
}

// AsIs shows a name as it is, for DidYouMean and OrList.
func AsIs(s string) string { return s }

// EnvWarnings names the REINVENT_ variables of environ ("KEY=value") that
// are set but name none of the settings names, with the closest settings'
// variables: those in ofCmd first (the command being run), then all.
func EnvWarnings(environ, names []string, ofCmd, all []Spelling) []string {
	valid := map[string]bool{"REINVENT_CONFIG": true}
	for _, n := range names {
		valid[EnvName(n)] = true
	}
	var out []string
	for _, kv := range environ {
		k, v, _ := strings.Cut(kv, "=")
		if !strings.HasPrefix(k, "REINVENT_") || v == "" || valid[k] {
			continue
		}
		typed := strings.ToLower(strings.ReplaceAll(strings.TrimPrefix(k, "REINVENT_"), "_", "-"))
		if names := Closest(typed, ofCmd, all); len(names) > 0 {
			out = append(out, k+" names no setting and is ignored; did you mean "+OrList(names, EnvName)+"?")
		} else {
			out = append(out, k+" names no setting and is ignored; the settings are listed in reinvent --help and docs/configuration.md")
		}
	}
	slices.Sort(out)
	return out
}
