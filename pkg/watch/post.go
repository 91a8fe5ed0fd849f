package watch

import (
	"fmt"
	"strings"
	"time"

	"github.com/reinvent-cli/reinvent/pkg/catalog"
	"github.com/reinvent-cli/reinvent/pkg/x"
)

// Text words the post announcing c: it starts with NEW, UPDATED or
// REMOVED, holds #reInvent, the code and the title, and for an update what
// changed, old → new. Free text (titles, venues, rooms) is shortened with
// "…" so the post fits X's 280 weighted characters.
//
// seq is the number of the session's version the change records. From the
// second version on it is part of the text, so that two changes that read
// the same (a room moved there and back, and there again) are never taken
// for one by X's duplicate-content check, which watch relies on after a
// crash (docs/exactly-once.md).
func Text(c *Change, seq int, loc *time.Location) string {
	return TextLink(c, seq, loc, "")
}

// TextLink is Text with link, when not empty, as the post's last line: a
// URL, which X counts as 23 characters and bills at about 13 times a post
// without one (docs/watch.md, "Links"). The other text is shortened to
// make room for it.
func TextLink(c *Change, seq int, loc *time.Location, link string) string {
	word := map[string]string{KindNew: "NEW", KindReappeared: "NEW", KindUpdated: "UPDATED", KindRemoved: "REMOVED"}[c.Kind]
	head := word + " #reInvent " + c.Code
	if seq > 1 {
		head += fmt.Sprintf(" (v%d)", seq)
	}
	compose := func(cap int) string {
		short := func(s string) string { return x.Shorten(quiet(s), cap) }
		var b strings.Builder
		b.WriteString(head)
		if c.Session.Title != "" {
			b.WriteString(": " + short(c.Session.Title))
		}
		switch c.Kind {
		case KindNew, KindReappeared:
			if c.Kind == KindReappeared {
				b.WriteString("\nback in the catalog")
			}
			b.WriteString("\n" + when(&c.Session, loc) + place(&c.Session, short))
		case KindRemoved:
			b.WriteString("\nwas " + when(&c.Session, loc) + place(&c.Session, short))
		case KindUpdated:
			old, cur := &c.Previous, &c.Session
			timed := false
			for _, f := range c.Fields {
				switch f {
				case "start", "end":
					if !timed {
						b.WriteString("\ntime: " + when(old, loc) + " → " + when(cur, loc))
						timed = true
					}
				case "title", "venue", "room":
					ov, nv := c.Old[f].(string), c.New[f].(string)
					b.WriteString("\n" + f + ": " + orNone(short(ov)) + " → " + orNone(short(nv)))
				}
			}
		}
		if link != "" {
			b.WriteString("\n" + link)
		}
		return b.String()
	}

	text := compose(longestCap(compose, func(s string) bool { return x.WeightedLength(s) <= x.MaxLength }))
	return x.Shorten(text, x.MaxLength)
}

// longestCap is the longest cap on each piece of free text, 1 to
// x.MaxLength, for which compose(cap) fits, found by bisection (the length
// only grows with the cap); 1 when none does.
func longestCap(compose func(cap int) string, fits func(string) bool) int {
	lo, hi := 1, x.MaxLength
	if fits(compose(hi)) {
		return hi
	}
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if fits(compose(mid)) {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	return lo
}

// when is "Mon 1 Dec 10:00–11:00", "Mon 1 Dec, all day" or "time to be
// announced", in loc.
func when(s *catalog.Session, loc *time.Location) string {
	if !s.Scheduled() {
		return "time to be announced"
	}
	start := s.Start.In(loc)
	day := start.Format("Mon 2 Jan")
	if s.AllDay {
		return day + ", all day"
	}
	if s.End.IsZero() {
		return day + " " + start.Format("15:04")
	}
	return day + " " + start.Format("15:04") + "–" + s.End.In(loc).Format("15:04")
}

// place is ", Venue, Room" for the parts that are known.
func place(s *catalog.Session, short func(string) string) string {
	var b strings.Builder
	for _, p := range []string{s.Venue, s.Room} {
		if p != "" {
			b.WriteString(", " + short(p))
		}
	}
	return b.String()
}

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}

// quiet keeps catalog text from mentioning X users and from linking: an @
// is followed by a word joiner, which X does not link, and a domain
// ("Amazon.com") is defused (x.Defuse), since a post with a URL costs
// about 13 times one without (docs/webhook.md "What a post costs").
func quiet(s string) string {
	return x.Defuse(strings.ReplaceAll(s, "@", "@\u2060"))
}
