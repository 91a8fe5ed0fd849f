package reserve

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/reinvent-cli/reinvent/pkg/catalog"
)

// When is a session's day, time and venue for one line of output.
func When(s catalog.Session, loc *time.Location) string {
	if !s.Scheduled() {
		return "no time yet   "
	}
	return s.Start.In(loc).Format("Mon 15:04") + " " + s.Venue
}

// Ask returns an Options.Confirm that shows on w what is about to be
// reserved, times in loc, and asks "Reserve them? [y/N]": only a line of
// y or yes read from in (in any case) says yes.
func Ask(in io.Reader, w io.Writer, loc *time.Location) func([]catalog.Session) bool {
	return func(want []catalog.Session) bool {
		fmt.Fprintf(w, "About to reserve %d sessions:\n", len(want))
		for _, s := range want {
			fmt.Fprintf(w, "  %-12s %s  %s\n", s.Code, When(s, loc), catalog.CleanLine(s.Title))
		}
		fmt.Fprint(w, "Reserve them? [y/N] ")
		line, _ := bufio.NewReader(in).ReadString('\n')
		a := strings.ToLower(strings.TrimSpace(line))
		return a == "y" || a == "yes"
	}
}

// Write writes the report as WriteJSON does when asJSON, else as
// WriteTable does.
// Formats are the formats of a report (Write).
var Formats = []string{"table", "json"}

func (rep *Report) Write(w io.Writer, asJSON bool, loc *time.Location) error {
	if asJSON {
		return rep.WriteJSON(w, loc)
	}
	return rep.WriteTable(w, loc)
}

// WriteJSON writes the report as one JSON object: the entries of each
// list with their session, title, start (RFC 3339 in loc) and venue.
func (rep *Report) WriteJSON(w io.Writer, loc *time.Location) error {
	type entry struct {
		Code      string   `json:"code"`
		Session   string   `json:"session,omitempty"`
		Title     string   `json:"title,omitempty"`
		Start     string   `json:"start,omitempty"`
		Venue     string   `json:"venue,omitempty"`
		From      string   `json:"from,omitempty"`
		Reason    string   `json:"reason,omitempty"`
		BlockedBy []string `json:"blocked_by,omitempty"`
	}
	conv := func(es []Entry) []entry {
		out := []entry{}
		for _, e := range es {
			x := entry{Code: e.Code, Session: e.Session.Code, Title: e.Session.Title, Venue: e.Session.Venue, From: e.From, Reason: e.Why, BlockedBy: e.BlockedBy}
			if e.Session.Scheduled() {
				x.Start = e.Session.Start.In(loc).Format(time.RFC3339)
			}
			out = append(out, x)
		}
		return out
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(map[string]any{
		"dry_run": rep.DryRun, "reserved": conv(rep.Reserved), "already_held": conv(rep.AlreadyHeld),
		"walk_up": conv(rep.WalkUp), "not_held": conv(rep.NotHeld), "to_reserve": conv(rep.ToReserve),
		"requests": rep.Requests, "reconciled": rep.Reconciled,
	})
}

// WriteTable writes the report for people: a summary line, then one line
// per code.
func (rep *Report) WriteTable(out io.Writer, loc *time.Location) error {
	w := bufio.NewWriter(out)
	if rep.DryRun {
		fmt.Fprintf(w, "Dry run: would reserve %s; %d already held, %d walk-up, %d not possible\n",
			Count(len(rep.ToReserve), "session"), len(rep.AlreadyHeld), len(rep.WalkUp), len(rep.NotHeld))
	} else {
		fmt.Fprintf(w, "Reserved %s; %d already held, %d walk-up, %d not held (%s)\n",
			Count(len(rep.Reserved), "session"), len(rep.AlreadyHeld), len(rep.WalkUp), len(rep.NotHeld), Count(rep.Requests, "request"))
	}
	codeW, sessW := 12, 10
	for _, es := range [][]Entry{rep.ToReserve, rep.Reserved, rep.AlreadyHeld, rep.WalkUp, rep.NotHeld} {
		for _, e := range es {
			codeW, sessW = max(codeW, len(e.Code)), max(sessW, len(e.Session.Code))
		}
	}
	line := func(what string, e Entry) {
		s := e.Session
		text := fmt.Sprintf("  %-13s %-*s", what, codeW, e.Code)
		if s.Code != "" {
			text += fmt.Sprintf(" %-*s  %s  %s", sessW, s.Code, When(s, loc), catalog.CleanLine(s.Title))
		}
		if e.From != "" {
			text += " (fell back from " + e.From + ")"
		}
		if e.Why != "" {
			text += " (" + e.Why
			if len(e.BlockedBy) > 0 {
				text += ": blocked by " + strings.Join(e.BlockedBy, ", ")
			}
			text += ")"
		}
		fmt.Fprintln(w, text)
	}
	for _, e := range rep.ToReserve {
		line("to reserve", e)
	}
	for _, e := range rep.Reserved {
		line("reserved", e)
	}
	for _, e := range rep.AlreadyHeld {
		line("already held", e)
	}
	for _, e := range rep.WalkUp {
		line("walk up", e)
	}
	for _, e := range rep.NotHeld {
		line("not held", e)
	}
	return w.Flush()
}

// Count is n and the noun, plural unless n is 1: "1 session", "2 sessions".
func Count(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// Unheld is the error of a run that left planned codes not held, naming
// them; nil when every planned code ended held or walk-up, and on a dry
// run, which holds nothing by design.
func (rep *Report) Unheld() error {
	if rep.DryRun || len(rep.NotHeld) == 0 {
		return nil
	}
	codes := make([]string, len(rep.NotHeld))
	for i, e := range rep.NotHeld {
		codes[i] = e.Code
	}
	return fmt.Errorf("%s could not be held: %s", Count(len(codes), "code"), strings.Join(codes, ", "))
}
