package watch

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/reinvent-cli/reinvent/pkg/catalog"
	"github.com/reinvent-cli/reinvent/pkg/store"
	"github.com/reinvent-cli/reinvent/pkg/x"
)

// digestGroups are the groups of a digest, in the order they are posted:
// the word and kind of their posts, and the kinds of change they hold. A
// reappeared session is NEW, as in Text.
var digestGroups = []struct {
	word, kind string
	kinds      []string
}{
	{"NEW", KindNew, []string{KindNew, KindReappeared}},
	{"UPDATED", KindUpdated, []string{KindUpdated}},
	{"REMOVED", KindRemoved, []string{KindRemoved}},
}

// Digests words the digest posts that announce changes instead of one post
// each (docs/watch.md, "Digests"). The changes are grouped by kind (NEW,
// UPDATED, REMOVED) and packed in the order of their codes into as few
// posts as fit X's 280 weighted characters, each
//
//	UPDATED #reInvent 12 sessions: ARC302 (v3) room → Lido 3001; SVS401 (v2) time → Tue 10:00; …
//
// where the count is that of the post's items. An item is a code with its
// version (as in Text, from the second on) and, for a new session, its
// title and day and time; for an update, each changed field → its new
// value; for a removal, the code alone. Catalog text is quieted as in
// Text, and an item too long for a post of its own is shortened with "…"
// until it fits. seq is the number of the version a change records.
//
// Each item names its code and version, so that no digest ever reads like
// another post and X's duplicate-content check cannot take it for one
// (docs/exactly-once.md).
func Digests(changes []*Change, seq func(code string) int, loc *time.Location) []store.Digest {
	var out []store.Digest
	for _, g := range digestGroups {
		var group []*Change
		for _, c := range changes {
			if slices.Contains(g.kinds, c.Kind) {
				group = append(group, c)
			}
		}
		slices.SortStableFunc(group, func(a, b *Change) int { return cmp.Compare(a.Code, b.Code) })
		head := func(n int) string {
			if n == 1 {
				return g.word + " #reInvent 1 session: "
			}
			return fmt.Sprintf("%s #reInvent %d sessions: ", g.word, n)
		}
		var items, codes []string
		flush := func() {
			if len(items) > 0 {
				out = append(out, store.Digest{Kind: g.kind, Text: head(len(items)) + strings.Join(items, "; "), Codes: codes})
			}
			items, codes = nil, nil
		}
		for _, c := range group {
			item := fitItem(head(1), func(cap int) string { return digestItem(c, seq(c.Code), loc, cap) })
			if len(items) > 0 && x.WeightedLength(head(len(items)+1)+strings.Join(append(items[:len(items):len(items)], item), "; ")) > x.MaxLength {
				flush()
			}
			items, codes = append(items, item), append(codes, c.Code)
		}
		flush()
	}
	return out
}

// fitItem is compose(cap) for the longest cap on each piece of free text
// with which head and the item fit X's limit (longestCap); if not even the
// shortest fits, the item is cut with "…".
func fitItem(head string, compose func(cap int) string) string {
	fits := func(item string) bool { return x.WeightedLength(head+item) <= x.MaxLength }
	full := compose(longestCap(compose, fits))
	item := full
	for budget := x.MaxLength - x.WeightedLength(head); !fits(item) && budget > 0; budget-- {
		item = x.Shorten(full, budget)
	}
	return item
}

// digestItem is the item of c in a digest, with each piece of free text
// shortened to cap.
func digestItem(c *Change, seq int, loc *time.Location, cap int) string {
	short := func(s string) string { return x.Shorten(quiet(s), cap) }
	var b strings.Builder
	b.WriteString(quiet(c.Code))
	if seq > 1 {
		fmt.Fprintf(&b, " (v%d)", seq)
	}
	switch c.Kind {
	case KindNew, KindReappeared:
		if c.Session.Title != "" {
			b.WriteString(" " + short(c.Session.Title))
		}
		if c.Session.Scheduled() {
			b.WriteString(", " + shortWhen(&c.Session, nil, loc))
		} else {
			b.WriteString(", " + when(&c.Session, loc))
		}
		if c.Kind == KindReappeared {
			b.WriteString(", back in the catalog")
		}
	case KindUpdated:
		var parts []string
		timed := false
		for _, f := range c.Fields {
			switch f {
			case "start", "end":
				if !timed {
					timed = true
					if c.Session.Scheduled() {
						parts = append(parts, "time → "+shortWhen(&c.Session, &c.Previous, loc))
					} else {
						parts = append(parts, "time → to be announced")
					}
				}
			case "title":
				parts = append(parts, "title → "+orNone(short(c.Session.Title)))
			case "venue":
				parts = append(parts, "venue → "+orNone(short(c.Session.Venue)))
			case "room":
				parts = append(parts, "room → "+orNone(short(c.Session.Room)))
			}
		}
		if len(parts) > 0 {
			b.WriteString(" " + strings.Join(parts, ", "))
		}
	}
	return b.String()
}

// shortWhen is the day and time of a scheduled session as a digest tells
// it, in loc: "Tue 10:00", or "Tue, all day". After an update (prev is the
// session before it) the end is told too when the length changed or only
// the end moved: "Tue 10:00–11:30".
func shortWhen(s, prev *catalog.Session, loc *time.Location) string {
	start := s.Start.In(loc)
	day := start.Format("Mon")
	if s.AllDay {
		return day + ", all day"
	}
	out := day + " " + start.Format("15:04")
	if prev != nil && !s.End.IsZero() && (s.Start.Equal(prev.Start) || s.End.Sub(s.Start) != prev.End.Sub(prev.Start)) {
		out += "–" + s.End.In(loc).Format("15:04")
	}
	return out
}
