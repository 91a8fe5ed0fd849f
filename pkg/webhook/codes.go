package webhook

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/reinvent-cli/reinvent/pkg/catalog"
)

// Codes extracts the session codes from a mention's text: tokens shaped like codes (catalog.ParseCode),
// upper-cased, in order, deduplicated; never the bot's handle, other @handles, #hashtags, URLs or $cashtags.
// At most max codes are returned; truncated reports that more were present.
// A max of zero or less means no limit.
//
// The text is read word by word, a word being a run of characters between
// white space:
//
//   - a word containing "://", or starting with "www.", is a URL and skipped
//     whole ("https://example.com/ABC123" yields nothing);
//   - a word whose first character after any opening punctuation such as
//     ( [ " ' “ is @, # or $ is a handle, hashtag or cashtag and skipped whole
//     ("(@ARC302)" and "#SVS999," yield nothing);
//   - the rest is split at , ; / | + & so that "svs215,con213" and
//     "SVS215/CON213" are two codes; each piece then loses its leading and
//     trailing characters other than letters and digits ("svs215," and
//     "(SVS215-R1)." and "svs215!" all count) and is a code when what remains
//     is ASCII letters, digits and dashes that catalog.ParseCode accepts, so
//     look-alikes such as "ſvs215" or full-width "ＳＶＳ２１５" are not codes;
//   - a piece equal to the bot's handle is never a code, nor is a piece that
//     starts with @, # or $ ("SVS215,#SVS999" yields SVS215 only) or has one
//     inside, such as "me@SVS215".
//
// A base code and one of its repeats ("SVS215" and "SVS215-R1") are different
// codes here; choosing between them is the scheduler's work.
func Codes(text, botHandle string, max int) (codes []string, truncated bool) {
	botHandle = strings.TrimPrefix(botHandle, "@")
	seen := make(map[string]bool)
	for _, word := range strings.Fields(text) {
		if isURL(word) || isTagged(strings.TrimLeftFunc(word, isOpening)) {
			continue
		}
		for _, piece := range strings.FieldsFunc(word, isSeparator) {
			code, ok := pieceCode(piece, botHandle)
			if !ok || seen[code] {
				continue
			}
			if max > 0 && len(codes) == max {
				return codes, true
			}
			seen[code] = true
			codes = append(codes, code)
		}
	}
	return codes, false
}

// pieceCode returns the canonical code in piece, trimmed of punctuation.
func pieceCode(piece, botHandle string) (string, bool) {
	if isTagged(strings.TrimLeftFunc(piece, isOpening)) {
		return "", false
	}
	piece = strings.TrimFunc(piece, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsNumber(r) })
	if piece == "" || strings.EqualFold(piece, botHandle) {
		return "", false
	}
	for _, r := range piece {
		if !isASCIIAlnum(r) && r != '-' {
			return "", false
		}
	}
	c, err := catalog.ParseCode(piece)
	if err != nil {
		return "", false
	}
	return c.String(), true
}

// isURL reports whether word is a link; X shows every link as a URL with a
// scheme, and people type bare ones starting with www.
func isURL(word string) bool {
	return strings.Contains(word, "://") || (len(word) >= 4 && strings.EqualFold(word[:4], "www."))
}

// isTagged reports whether word is a @handle, #hashtag or $cashtag, including
// their full-width forms.
func isTagged(word string) bool {
	r, _ := utf8.DecodeRuneInString(word)
	switch r {
	case '@', '#', '$', '＠', '＃', '＄':
		return true
	}
	return false
}

// isOpening reports whether r is punctuation that may open a word, such as a
// bracket or a quote; @, # and $ are not.
func isOpening(r rune) bool {
	switch r {
	case '@', '#', '$', '＠', '＃', '＄':
		return false
	}
	return unicode.IsPunct(r) || unicode.IsSymbol(r)
}

// isSeparator reports whether r separates codes written without spaces.
func isSeparator(r rune) bool {
	switch r {
	case ',', ';', '/', '|', '+', '&', '、', '，':
		return true
	}
	return false
}

func isASCIIAlnum(r rune) bool {
	return ('0' <= r && r <= '9') || ('a' <= r && r <= 'z') || ('A' <= r && r <= 'Z')
}
