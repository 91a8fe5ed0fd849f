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

// WritePreview writes what the dry run r found: its changes as
// WriteChanges does, with [would post] or [would stay pending] after a
// newsworthy change when tweet, then each post of r.Posts, numbered, its
// text indented by four spaces. With asJSON the changes are WriteChanges'
// objects (posted false) and each post is one more object: post (its
// text), codes, and earlier_run (left pending by an earlier run).
func WritePreview(w io.Writer, asJSON bool, r *Report, tweet bool, loc *time.Location) error {
	if asJSON {
		if err := WriteChanges(w, true, r.Diff.Changes, tweet, nil, loc); err != nil {
			return err
		}
		enc := json.NewEncoder(w)
		enc.SetEscapeHTML(false)
		for _, p := range r.Posts {
			line := struct {
				Post    string   `json:"post"`
				Codes   []string `json:"codes"`
				Earlier bool     `json:"earlier_run"`
			}{p.Text, p.Codes, p.Earlier}
			if err := enc.Encode(line); err != nil {
				return err
			}
		}
		return nil
	}
	var b strings.Builder
	for i := range r.Diff.Changes {
		c := &r.Diff.Changes[i]
		b.WriteString(c.Kind + " " + c.Code + ": " + c.Describe(loc))
		if tweet && c.Newsworthy {
			b.WriteString(map[bool]string{true: " [would post]", false: " [would stay pending]"}[r.Posted[c.Code]])
		}
		b.WriteString("\n")
	}
	for i, p := range r.Posts {
		fmt.Fprintf(&b, "would post %d of %d", i+1, len(r.Posts))
		if p.Earlier {
			b.WriteString(", left pending by an earlier run")
		}
		b.WriteString(":\n    " + strings.ReplaceAll(p.Text, "\n", "\n    ") + "\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// Write writes what the run did, one line per change (docs/watch.md): for
// a dry run the changes and the posts it would make (WritePreview), else
// the changes recorded and, with tweet, whether each was posted.
func (r *Report) Write(w io.Writer, asJSON, tweet bool, loc *time.Location) error {
	if r.DryRun {
		return WritePreview(w, asJSON, r, tweet, loc)
	}
	return WriteChanges(w, asJSON, r.Diff.Changes, tweet, r.Posted, loc)
}

// Formats are the formats Print writes changes in.
var Formats = []string{"text", "json"}

// Print writes what watch prints of a run that returned r and runErr,
// run with o: the catalog's warnings on errOut; then, once the run has
// recorded its changes (or a dry run has compared without error), the
// changes on out, none for a silent baseline, and, with summary, the
// summary on errOut. It returns the first error of a write to out.
func (r *Report) Print(out, errOut io.Writer, o Options, asJSON, summary bool, runErr error) error {
	r.WriteWarnings(errOut)
	if r.DryRun && runErr != nil || !r.DryRun && !r.Recorded {
		return nil
	}
	if !r.Baseline || o.AnnounceInitial {
		if err := r.Write(out, asJSON, o.Tweet, o.Location); err != nil {
			return err
		}
	}
	if summary {
		fmt.Fprint(errOut, r.Summary(o.AnnounceInitial, o.Tweet))
	}
	return nil
}

// WriteWarnings writes one warning line per code the catalog listed more
// than once.
func (r *Report) WriteWarnings(w io.Writer) {
	for _, code := range r.Diff.Duplicates {
		fmt.Fprintf(w, "warning: the catalog lists %s more than once; the first was used\n", code)
	}
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
	case r.DryRun && r.Baseline && !announceInitial:
		fmt.Fprintf(&b, "Dry run: would record a baseline of %d sessions and post nothing; recorded nothing\n", len(r.Diff.Sessions))
	case r.DryRun:
		fmt.Fprintf(&b, "Dry run: %d sessions: %d new, %d updated, %d removed, %d reappeared; recorded nothing\n",
			r.Fetched-r.Diff.Embargoed, count[KindNew], count[KindUpdated], count[KindRemoved], count[KindReappeared])
	case r.Baseline && !announceInitial:
		fmt.Fprintf(&b, "Recorded a baseline of %d sessions; nothing posted (the next runs report changes against it)\n", len(r.Diff.Sessions))
	default:
		fmt.Fprintf(&b, "%d sessions: %d new, %d updated, %d removed, %d reappeared\n",
			r.Fetched-r.Diff.Embargoed, count[KindNew], count[KindUpdated], count[KindRemoved], count[KindReappeared])
	}
	if tweet && r.DryRun {
		fmt.Fprintf(&b, "Would post %d to X and leave %d pending; posted nothing\n", len(r.Posts), r.Pending)
		return b.String()
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
