package catalog

import (
	"slices"
	"strings"
	"unicode/utf8"
)

// Text that arrives from the network is shown in terminals, written to CSV
// files and posted to X. A terminal acts on control characters (ESC starts
// a sequence that can clear the screen, retitle the window or hide a link
// behind other text), and the bidi overrides make text read in another
// order than it is stored. So every text field of every session is cleaned
// in Normalize, whatever the source (docs/security.md):
//
//   - removed: C0 controls except tab and newline, DEL, C1 controls, the
//     bidi embeddings and overrides U+202A–U+202E, the bidi isolates
//     U+2066–U+2069, ZERO WIDTH SPACE U+200B, LINE and PARAGRAPH SEPARATOR
//     U+2028/U+2029 and ZERO WIDTH NO-BREAK SPACE U+FEFF;
//   - replaced by U+FFFD: bytes that are not UTF-8, since a lone 0x9B is
//     CSI to a terminal that reads 8-bit controls;
//   - kept: ZERO WIDTH JOINER and NON-JOINER, which emoji and several
//     scripts need, and everything else.
//
// One-line fields (everything but the abstract) also lose their line
// breaks and tabs, each becoming a space.

// CleanText returns s with the characters a terminal would act on removed,
// keeping tabs and line breaks.
func CleanText(s string) string { return clean(s, false) }

// CleanLine returns s cleaned like CleanText, with tabs and line breaks
// turned into spaces.
func CleanLine(s string) string { return clean(s, true) }

// unsafeRune reports whether r is removed from text.
func unsafeRune(r rune) bool {
	switch {
	case r < 0x20:
		return r != '\t' && r != '\n'
	case r < 0x7f:
		return false
	case r <= 0x9f: // DEL and the C1 controls
		return true
	case r == 0x200b, r == 0x2028, r == 0x2029, r == 0xfeff:
		return true
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069:
		return true
	}
	return false
}

func clean(s string, line bool) string {
	if isPlain(s, line) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		i += n
		switch {
		case r == utf8.RuneError && n == 1:
			b.WriteRune(utf8.RuneError)
		case line && (r == '\t' || r == '\n'):
			b.WriteByte(' ')
		case unsafeRune(r):
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// isPlain reports whether s needs no cleaning: the common case, checked
// without allocating.
func isPlain(s string, line bool) bool {
	ascii := true
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 0x80:
			ascii = false
		case c == 0x7f:
			return false
		case c < 0x20 && (line || (c != '\t' && c != '\n')):
			return false
		}
	}
	if ascii {
		return true
	}
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if (r == utf8.RuneError && n == 1) || unsafeRune(r) {
			return false
		}
		i += n
	}
	return true
}

// clean cleans every text field of s in place.
func (s *Session) clean() {
	for _, p := range []*string{&s.Code, &s.BaseCode, &s.SessionID, &s.Title, &s.Type,
		&s.Venue, &s.Room, &s.Status, &s.SeatAvailability} {
		*p = CleanLine(*p)
	}
	s.Abstract = CleanText(s.Abstract)
	for _, l := range []*[]string{&s.Tracks, &s.Topics, &s.Services, &s.Roles, &s.Industries, &s.Speakers} {
		if !slices.ContainsFunc(*l, func(v string) bool { return CleanLine(v) != v }) {
			continue
		}
		// A new list, so that the caller's is not changed. A cleaned item
		// is trimmed, and goes when nothing is left of it, as CSV reads it.
		out := make([]string, 0, len(*l))
		for _, v := range *l {
			c := CleanLine(v)
			if c != v {
				c = strings.TrimSpace(c)
			}
			if c != "" || v == "" {
				out = append(out, c)
			}
		}
		*l = out
	}
}
