package schedule

import (
	"slices"
	"strings"

	"github.com/reinvent-cli/reinvent/pkg/catalog"
)

// StarredCodes returns the codes --starred adds to a plan: first the
// sessions held (reserved), each by its full code, since the seat is for
// that instance; then the starred keynotes; then the other starred
// sessions in catalog order, each by its base code, so that any repeat may
// be chosen. Embargoed sessions, and starred repeats of a held session, add
// nothing.
func StarredCodes(sessions []catalog.Session) []string {
	var reserved, keynotes, others []string
	held := map[string]bool{}
	for _, s := range sessions {
		if s.Reserved && !s.Embargoed {
			code := s.Code
			if s.Code == s.BaseCode {
				code += ExactMark // AIM306 the instance, not any repeat of AIM306
			}
			reserved = append(reserved, code)
			held[s.BaseCode] = true
		}
	}
	seen := map[string]bool{}
	for _, s := range sessions {
		if !s.Starred || s.Reserved || s.Embargoed || held[s.BaseCode] || seen[s.BaseCode] {
			continue
		}
		seen[s.BaseCode] = true
		if strings.Contains(strings.ToLower(s.Type), "keynote") {
			keynotes = append(keynotes, s.BaseCode)
		} else {
			others = append(others, s.BaseCode)
		}
	}
	return slices.Concat(reserved, keynotes, others)
}
