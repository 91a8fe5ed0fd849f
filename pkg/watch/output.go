package watch

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"
)

// WriteChanges writes one line per change: "KIND CODE: what changed", with
// [posted] or [pending] after a newsworthy change when tweet, or with
// asJSON one JSON object per change (NDJSON: code, kind, fields, old, new,
// posted). posted holds the codes whose change was posted.
func WriteChanges(w io.Writer, asJSON bool, changes []Change, tweet bool, posted map[string]bool, loc *time.Location) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	for i := range changes {
		c := &changes[i]
		if asJSON {
			line := struct {
				Code   string         `json:"code"`
				Kind   string         `json:"kind"`
				Fields []string       `json:"fields"`
				Old    map[string]any `json:"old"`
				New    map[string]any `json:"new"`
				Posted bool           `json:"posted"`
			}{c.Code, c.Kind, c.Fields, c.Old, c.New, posted[c.Code]}
			if line.Fields == nil {
				line.Fields = []string{}
			}
			if err := enc.Encode(line); err != nil {
				return err
			}
			continue
		}
		text := c.Kind + " " + c.Code + ": " + c.Describe(loc)
		if tweet && c.Newsworthy {
			text += map[bool]string{true: " [posted]", false: " [pending]"}[posted[c.Code]]
		}
		if _, err := fmt.Fprintln(w, text); err != nil {
			return err
		}
	}
	return nil
}

// Summary is the run's summary for stderr, one line, and a second about
// the posts when tweet.
func (r *Report) Summary(announceInitial, tweet bool) string {
	var b strings.Builder
	count := map[string]int{}
	for _, c := range r.Diff.Changes {
		count[c.Kind]++
	}
	switch {
	case r.Baseline && !announceInitial:
		fmt.Fprintf(&b, "Recorded a baseline of %d sessions; nothing posted (the next runs report changes against it)\n", len(r.Diff.Sessions))
	default:
		fmt.Fprintf(&b, "%d sessions: %d new, %d updated, %d removed, %d reappeared\n",
			r.Fetched-r.Diff.Embargoed, count[KindNew], count[KindUpdated], count[KindRemoved], count[KindReappeared])
	}
	if tweet {
		fmt.Fprintf(&b, "Posted %d to X; %d pending", r.Done, r.Pending)
		if r.Failed > 0 {
			fmt.Fprintf(&b, "; %d refused by X", r.Failed)
		}
		b.WriteString("\n")
	}
	return b.String()
}
