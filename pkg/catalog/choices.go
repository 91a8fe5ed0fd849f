package catalog

import (
	"slices"
	"strconv"
	"strings"
	"time"
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

// DayChoices are what --day takes: the weekdays the sessions are on, with
// their dates, then the dates themselves, days in loc; with no scheduled
// session, Monday to Friday.
func DayChoices(sessions []Session, loc *time.Location) []Choice {
	dates := Distinct(sessions, func(s *Session) []string {
		if !s.Scheduled() {
			return nil
		}
		return []string{s.Start.In(loc).Format(time.DateOnly)}
	})
	var out []Choice
	for d := time.Monday; d <= time.Friday && len(dates) == 0; d++ {
		out = append(out, Choice{Value: strings.ToLower(d.String()[:3]), Description: d.String()})
	}
	for _, date := range dates {
		t, _ := time.ParseInLocation(time.DateOnly, date, loc)
		out = append(out, Choice{Value: strings.ToLower(t.Weekday().String()[:3]), Description: t.Format("Monday, January 2")})
	}
	for _, date := range dates {
		t, _ := time.ParseInLocation(time.DateOnly, date, loc)
		out = append(out, Choice{Value: date, Description: t.Weekday().String()})
	}
	return out
}

// VenueChoices are the sessions' venues, else known (the travel table's).
func VenueChoices(sessions []Session, known []string) []Choice {
	if len(sessions) == 0 {
		return Choices(known)
	}
	return Choices(Distinct(sessions, func(s *Session) []string { return []string{s.Venue} }))
}

// TrackChoices are the sessions' tracks.
func TrackChoices(sessions []Session) []Choice {
	return Choices(Distinct(sessions, func(s *Session) []string { return s.Tracks }))
}

// LevelChoices are the sessions' levels, else 100 to 400.
func LevelChoices(sessions []Session) []Choice {
	out := Distinct(sessions, func(s *Session) []string {
		if s.Level <= 0 {
			return nil
		}
		return []string{strconv.Itoa(s.Level)}
	})
	if len(out) == 0 {
		for l := 100; l <= 400; l += 100 {
			out = append(out, strconv.Itoa(l))
		}
	}
	return Choices(out)
}

// Choices are values with no description.
func Choices(values []string) []Choice {
	out := make([]Choice, len(values))
	for i, v := range values {
		out[i] = Choice{Value: v}
	}
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
