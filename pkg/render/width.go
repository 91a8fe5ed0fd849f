package render

import (
	"strings"
	"unicode"

	"golang.org/x/text/width"
)

// runeWidth is how many terminal columns r takes: 2 for wide and fullwidth
// characters (CJK, most emoji), 0 for combining marks, variation selectors
// and other format characters, else 1.
func runeWidth(r rune) int {
	switch {
	case unicode.In(r, unicode.Mn, unicode.Me, unicode.Cf) || (r >= 0xFE00 && r <= 0xFE0F):
		return 0
	}
	switch width.LookupRune(r).Kind() {
	case width.EastAsianWide, width.EastAsianFullwidth:
		return 2
	}
	return 1
}

// textWidth is how many terminal columns s takes.
func textWidth(s string) int {
	n := 0
	for _, r := range s {
		n += runeWidth(r)
	}
	return n
}

// shorten cuts s to at most w columns, ending it with "…" when it had to
// cut. It cuts after a whole word when that keeps most of the room.
func shorten(s string, w int) string {
	if textWidth(s) <= w {
		return s
	}
	if w <= 0 {
		return ""
	}
	n, cut, word := 0, len(s), 0 // columns kept, bytes kept, bytes before the last space
	for i, r := range s {
		if r == ' ' {
			word = i
		}
		rw := runeWidth(r)
		if n+rw > w-1 {
			cut = i
			break
		}
		n += rw
	}
	if word > 0 && textWidth(s[:word]) >= w*2/3 {
		cut = word
	}
	return strings.TrimRight(s[:cut], " ,;:-–") + "…"
}

// pad fills s with spaces to w columns.
func pad(s string, w int) string {
	if n := textWidth(s); n < w {
		return s + strings.Repeat(" ", w-n)
	}
	return s
}
