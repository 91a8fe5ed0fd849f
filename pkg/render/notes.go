package render

import (
	"fmt"
	"io"
	"strings"

	"github.com/reinvent-cli/reinvent/pkg/schedule"
)

// Why says why a code could not be scheduled, as the table and the notes
// say it: "no time announced yet", or "conflict: blocked by A, B".
func Why(u schedule.Unscheduled) string {
	switch {
	case u.Reason == schedule.ReasonNoTime:
		return "no time announced yet"
	case len(u.BlockedBy) > 0:
		return u.Reason + ": blocked by " + strings.Join(u.BlockedBy, ", ")
	}
	return u.Reason
}

// didYouMean offers close codes: "did you mean A, B?", or "" when there
// are none.
func didYouMean(near []string) string {
	if len(near) == 0 {
		return ""
	}
	return "did you mean " + strings.Join(near, ", ") + "?"
}

// NotFound names codes that name no session, each with its close codes
// from suggestions: "SVS402 (did you mean SVS401?), QQQ999".
func NotFound(codes []string, suggestions map[string][]string) string {
	parts := make([]string, len(codes))
	for i, c := range codes {
		parts[i] = c
		if s := didYouMean(suggestions[c]); s != "" {
			parts[i] += " (" + s + ")"
		}
	}
	return strings.Join(parts, ", ")
}

// WriteMissing writes, one line each, what the table says under "Could
// not schedule:" and "Not found:", for the formats that have no room for
// it (CSV, iCalendar), which are mostly sent to a file: it goes to w,
// normally stderr.
func WriteMissing(w io.Writer, res *schedule.Result, o ScheduleOptions) error {
	for _, u := range res.Unscheduled {
		if _, err := fmt.Fprintf(w, "could not schedule %s (%s)\n", u.Code, Why(u)); err != nil {
			return err
		}
	}
	for _, c := range res.NotFound {
		if _, err := fmt.Fprintf(w, "not found: %s\n", NotFound([]string{c}, o.Suggestions)); err != nil {
			return err
		}
	}
	return nil
}

// NoneFound is the error of a run whose codes name no session of source
// (exit 1): "no session in sample matches SVS402 (did you mean SVS401?)".
func NoneFound(source string, codes []string, suggestions map[string][]string) error {
	return fmt.Errorf("no session in %s matches %s", source, NotFound(codes, suggestions))
}
