package catalog

import (
	"slices"
	"strings"
)

// Choice is a value a shell may complete, with what it stands for.
type Choice struct {
	Value, Description string
}

// CodeChoices are the codes of sessions that begin with prefix, case
// folded: every base code and full code of a session that is not embargoed,
// once, sorted, each with its session's title on one line (CleanLine). A
// code of anything but letters, digits and dashes is left out: a shell
// would take it for more than one word.
func CodeChoices(sessions []Session, prefix string) []Choice {
	prefix = strings.ToUpper(prefix)
	seen := map[string]bool{}
	var out []Choice
	add := func(code, title string) {
		if !plainCode(code) || seen[code] || !strings.HasPrefix(code, prefix) {
			return
		}
		seen[code] = true
		out = append(out, Choice{code, CleanLine(title)})
	}
	for i := range sessions {
		if s := &sessions[i]; !s.Embargoed {
			add(s.BaseCode, s.Title)
			add(s.Code, s.Title)
		}
	}
	slices.SortFunc(out, func(a, b Choice) int { return strings.Compare(a.Value, b.Value) })
	return out
}

// Distinct is every value that field gives for the sessions that are not
// embargoed, once (compared case folded, the first spelling kept), sorted
// case folded, empty values left out: a catalog's venues, tracks or levels.
func Distinct(sessions []Session, field func(*Session) []string) []string {
	seen := map[string]bool{}
	var out []string
	for i := range sessions {
		if sessions[i].Embargoed {
			continue
		}
		for _, v := range field(&sessions[i]) {
			k := strings.ToLower(strings.TrimSpace(v))
			if k != "" && !seen[k] {
				seen[k] = true
				out = append(out, CleanLine(strings.TrimSpace(v)))
			}
		}
	}
	slices.SortFunc(out, func(a, b string) int { return strings.Compare(strings.ToLower(a), strings.ToLower(b)) })
	return out
}

// plainCode reports whether code is not empty and holds only ASCII
// letters, digits and dashes.
func plainCode(code string) bool {
	for i := 0; i < len(code); i++ {
		c := code[i]
		if !('A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-') {
			return false
		}
	}
	return code != ""
}
