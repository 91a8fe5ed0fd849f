package x

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// MaxLength is the most a post may weigh (WeightedLength).
const MaxLength = 280

// urlWeight is what every URL weighs: the length of a t.co link.
const urlWeight = 23

// ellipsis ends a shortened text.
const ellipsis = "…"

// WeightedLength is the length of s as X counts it (twitter-text v3): s is
// NFC-normalised; each URL (see urlEnd for what is detected) weighs 23 and
// each emoji sequence (with its variation selector, skin tone, ZWJ-joined
// parts or tags, a flag's two regional indicators, a keycap) weighs 2; any
// other code point weighs 1 in U+0000-U+10FF, U+2000-U+200D, U+2010-U+201F
// and U+2032-U+2037, and 2 elsewhere (CJK, most symbols, "…").
func WeightedLength(s string) int {
	s = norm.NFC.String(s)
	n := 0
	for i := 0; i < len(s); {
		if e := urlEnd(s, i); e > i {
			n += urlWeight
			i = e
			continue
		}
		if e := emojiEnd(s, i); e > i {
			n += 2
			i = e
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		n += runeWeight(r)
		i += size
	}
	return n
}

// runeWeight is the weight of a code point that is not part of a URL or an
// emoji sequence.
func runeWeight(r rune) int {
	switch {
	case r <= 0x10FF, 0x2000 <= r && r <= 0x200D, 0x2010 <= r && r <= 0x201F, 0x2032 <= r && r <= 0x2037:
		return 1
	}
	return 2
}

// Shorten returns s when its WeightedLength is at most max; else the
// longest prefix of s that, without trailing spaces and followed by "…",
// weighs at most max. The cut falls between user-perceived characters:
// never inside an emoji sequence, between a letter and its combining marks,
// or inside a URL (a URL that does not fit is dropped whole). When not even
// "…" fits (max < 2), the result is empty.
//
// The search stops at the first space after which nothing more can fit,
// and looks at no more than 2*max+64 cut points: only a run without spaces
// that ends in a very long URL could fit beyond that, and it is cut before.
func Shorten(s string, max int) string {
	if WeightedLength(s) <= max {
		return s
	}
	if max < runeWeight('…') {
		return ""
	}
	best := ellipsis
	cuts := boundaries(s)
	for k := 1; k < len(cuts) && k <= 2*max+64; k++ {
		p := strings.TrimRightFunc(s[:cuts[k]], unicode.IsSpace)
		w := WeightedLength(p + ellipsis)
		if w <= max {
			best = p + ellipsis
			continue
		}
		// Before a space, the tokens of p are those of s: a longer prefix
		// weighs no less.
		if r, _ := utf8.DecodeRuneInString(s[cuts[k]:]); unicode.IsSpace(r) {
			break
		}
	}
	return best
}

// boundaries returns the byte offsets in s where a cut may fall, in order,
// starting with 0.
func boundaries(s string) []int {
	var cuts []int
	for i := 0; i < len(s); {
		cuts = append(cuts, i)
		if e := urlEnd(s, i); e > i {
			i = e
			continue
		}
		if e := emojiEnd(s, i); e > i {
			i = e
			continue
		}
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
		for i < len(s) {
			r, size := utf8.DecodeRuneInString(s[i:])
			if !extends(r) {
				break
			}
			i += size
		}
	}
	return cuts
}

// extends tells whether r belongs with the character before it: combining
// marks, joiners, variation selectors, and Hangul vowel and final jamo.
func extends(r rune) bool {
	return unicode.In(r, unicode.Mn, unicode.Me, unicode.Mc) ||
		r == 0x200C || r == 0x200D ||
		0xFE00 <= r && r <= 0xFE0F || 0xE0100 <= r && r <= 0xE01EF ||
		0x1160 <= r && r <= 0x11FF || 0xD7B0 <= r && r <= 0xD7FF
}

// emojiEnd returns the end of the emoji sequence that starts at s[i], or i
// when none does.
func emojiEnd(s string, i int) int {
	r, size := utf8.DecodeRuneInString(s[i:])
	j := i + size
	next := func(k int) rune {
		if k >= len(s) {
			return -1
		}
		r, _ := utf8.DecodeRuneInString(s[k:])
		return r
	}
	switch {
	case isRegional(r):
		if isRegional(next(j)) {
			return j + 4
		}
		return j
	case r == '#' || r == '*' || '0' <= r && r <= '9':
		if next(j) == 0xFE0F {
			j += 3
		}
		if next(j) == 0x20E3 {
			return j + 3
		}
		return i
	case r == 0xA9 || r == 0xAE:
		if next(j) == 0xFE0F {
			return j + 3
		}
		return i
	case !isPictographic(r) || next(j) == 0xFE0E:
		return i
	}
	for {
		if next(j) == 0xFE0F {
			j += 3
		}
		if m := next(j); 0x1F3FB <= m && m <= 0x1F3FF {
			j += 4
		}
		for t := next(j); 0xE0020 <= t && t <= 0xE007F; t = next(j) {
			j += 4
			if t == 0xE007F {
				break
			}
		}
		if next(j) != 0x200D || !isPictographic(next(j+3)) || next(j+3+utf8.RuneLen(next(j+3))) == 0xFE0E {
			return j
		}
		j += 3 + utf8.RuneLen(next(j+3))
	}
}

func isRegional(r rune) bool { return 0x1F1E6 <= r && r <= 0x1F1FF }

// isPictographic approximates Unicode's Extended_Pictographic property by
// the blocks and code points that hold emoji.
func isPictographic(r rune) bool {
	switch {
	case r < 0x203C:
		return false
	case 0x1F000 <= r && r <= 0x1FAFF, 0x1FC00 <= r && r <= 0x1FFFD:
		return true
	case 0x2600 <= r && r <= 0x27BF, 0x2194 <= r && r <= 0x2199, 0x21A9 <= r && r <= 0x21AA,
		0x231A <= r && r <= 0x231B, 0x23E9 <= r && r <= 0x23F3, 0x23F8 <= r && r <= 0x23FA,
		0x25AA <= r && r <= 0x25AB, 0x25FB <= r && r <= 0x25FE, 0x2934 <= r && r <= 0x2935,
		0x2B05 <= r && r <= 0x2B07, 0x2B1B <= r && r <= 0x2B1C:
		return true
	}
	switch r {
	case 0x203C, 0x2049, 0x2122, 0x2139, 0x2328, 0x2388, 0x23CF, 0x24C2, 0x25B6, 0x25C0,
		0x2B50, 0x2B55, 0x3030, 0x303D, 0x3297, 0x3299:
		return true
	}
	return false
}
