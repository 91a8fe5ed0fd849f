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
//   - removed whole: ECMA-48 escape sequences (CSI, the control strings
//     OSC, DCS, SOS, PM and APC up to ST or BEL, and the other ESC
//     sequences), in their 7-bit form (ESC [) and their 8-bit one (U+009B),
//     when they end within maxSequence bytes; one that does not loses only
//     its introducer, so that a broken sequence never hides the text after
//     it;
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
		if n := sequence(s[i:]); n > 0 {
			i += n
			continue
		}
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

// maxSequence is the longest escape sequence removed whole, in bytes. Real
// ones are far shorter (a colour is under 20 bytes, a hyperlink's URL a few
// hundred), and the bound keeps a sequence that is never finished from
// taking the rest of a long abstract with it.
const maxSequence = 512

// sequence is how many bytes at the start of s an escape sequence takes
// (ECMA-48, docs/security.md): the whole sequence when it ends within
// maxSequence bytes, else its introducer alone, or 0 when s does not start
// with ESC or one of the 8-bit introducers CSI, OSC, DCS, SOS, PM, APC.
func sequence(s string) int {
	var intro int
	var control bool // a control string that runs to ST or BEL, else a CSI
	switch {
	case s[0] == 0x1b && len(s) == 1:
		return 1
	case s[0] == 0x1b:
		switch c := s[1]; {
		case c == '[':
			intro = 2
		case c == ']', c == 'P', c == 'X', c == '^', c == '_': // OSC, DCS, SOS, PM, APC
			intro, control = 2, true
		case c >= 0x20 && c <= 0x2f: // intermediate bytes, then a final byte
			j := 2
			for j < len(s) && j < maxSequence && s[j] >= 0x20 && s[j] <= 0x2f {
				j++
			}
			if j < len(s) && j < maxSequence && s[j] >= 0x30 && s[j] <= 0x7e {
				return j + 1
			}
			return 1
		case c >= 0x30 && c <= 0x7e: // one final byte: ESC 7, ESC c, ST (ESC \), ...
			return 2
		default:
			return 1
		}
	case s[0] == 0xc2 && len(s) > 1:
		switch s[1] {
		case 0x9b: // CSI
			intro = 2
		case 0x9d, 0x90, 0x98, 0x9e, 0x9f: // OSC, DCS, SOS, PM, APC
			intro, control = 2, true
		default:
			return 0
		}
	default:
		return 0
	}
	end := min(len(s), maxSequence)
	if !control {
		// Parameter bytes, then intermediate bytes, then a final byte.
		j := intro
		for j < end && s[j] >= 0x30 && s[j] <= 0x3f {
			j++
		}
		for j < end && s[j] >= 0x20 && s[j] <= 0x2f {
			j++
		}
		if j < end && s[j] >= 0x40 && s[j] <= 0x7e {
			return j + 1
		}
		return intro
	}
	for j := intro; j < end; j++ {
		switch {
		case s[j] == 0x07:
			return j + 1
		case j+1 < end && (s[j] == 0x1b && s[j+1] == '\\' || s[j] == 0xc2 && s[j+1] == 0x9c): // ST
			return j + 2
		}
	}
	return intro
}

// isPlain reports whether s needs no cleaning: the common case, checked
// byte by byte without decoding runes or allocating.
func isPlain(s string, line bool) bool {
	i := 0
	// Eight bytes at a time while all are printable ASCII: a byte below
	// 0x20 borrows into its high bit when 0x20 is taken from it, and a byte
	// of 0x7F or more has its high bit set, or gets it when 1 is added.
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	for ; i+8 <= len(s); i += 8 {
		w := uint64(s[i]) | uint64(s[i+1])<<8 | uint64(s[i+2])<<16 | uint64(s[i+3])<<24 |
			uint64(s[i+4])<<32 | uint64(s[i+5])<<40 | uint64(s[i+6])<<48 | uint64(s[i+7])<<56
		if ((w-0x20*ones)&^w|(w+ones)|w)&highs != 0 {
			break
		}
	}
	for ; i < len(s); i++ {
		switch c := s[i]; {
		case c >= 0x20 && c < 0x7f:
		case c < 0x20:
			if line || (c != '\t' && c != '\n') {
				return false
			}
		case c == 0x7f:
			return false
		default:
			return plainUTF8(s[i:], line)
		}
	}
	return true
}

// plainUTF8 is isPlain past the first byte that is not ASCII. In valid
// UTF-8 every rune unsafeRune removes above DEL starts with 0xC2 (the C1
// controls), 0xE2 (U+200B, U+2028–U+202E, U+2066–U+2069) or 0xEF (U+FEFF),
// so only those lead bytes are looked at closely.
func plainUTF8(s string, line bool) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 0x20 && c < 0x7f, c >= 0x80 && c < 0xc2, c > 0xc2 && c < 0xe2, c > 0xe2 && c < 0xef, c > 0xef:
		case c < 0x20:
			if line || (c != '\t' && c != '\n') {
				return false
			}
		case c == 0x7f:
			return false
		default: // a lead byte of a rune that may be removed
			r, n := utf8.DecodeRuneInString(s[i:])
			if unsafeRune(r) {
				return false
			}
			i += n - 1
		}
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
