package x

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/idna"
)

// What counts as a URL (X wraps each in a 23-character t.co link), after
// twitter-text's rules, simplified:
//
//   - "http://" or "https://" (any case), then a host of two or more
//     dot-separated labels (1-63 ASCII letters, digits and inner hyphens)
//     whose last label is two or more letters;
//   - or a bare host like that whose last label is a known generic TLD
//     (com, org, io, dev, aws, ... see genericTLDs) or any two-letter
//     country code; a bare two-label host with a country code
//     ("file.py", "node.js") counts only with a path ("bit.ly/x").
//
// Either may go on with ":port" and a path, query or fragment up to the
// next space, quote or angle bracket, or a character from U+2000 up (CJK,
// emoji). Trailing ".,;:!?'*" and unbalanced ")" or "]" are not part of it.
// A host after "http://" or "https://" may be an internationalised domain
// name: labels of letters, marks and digits of any script (пример.рф,
// bücher.de), each at most 63 characters once written in punycode, as DNS
// allows. Not detected, so counted character by character: user info, IP
// addresses, bare hosts in other scripts and underscores in hosts.
// A URL must not follow a letter, digit, "@", "$" or "#"; a bare one must
// not follow "-", "_", "." or "/" either, so "user@example.com" and
// "a/b.com" hold no URL.

// genericTLDs are the generic top-level domains a bare host may end with.
var genericTLDs = func() map[string]bool {
	m := map[string]bool{}
	for _, t := range strings.Fields(`com net org edu gov mil int info biz name pro aero coop
		museum mobi asia jobs tel travel app dev page blog cloud online site tech store shop xyz
		live news media world today space website link club design email solutions agency
		digital network systems software academy center company services tools guru ninja
		rocks social team group global works zone events aws amazon google microsoft apple
		youtube wiki art moe top icu lol fun one data new`) {
		m[t] = true
	}
	return m
}()

// urlEnd returns the end of the URL that starts at s[i], or i when none does.
func urlEnd(s string, i int) int {
	if i >= len(s) || !isAlnum(s[i]) {
		return i
	}
	before := rune(' ')
	if i > 0 {
		before, _ = utf8.DecodeLastRuneInString(s[:i])
	}
	if before < utf8.RuneSelf && isAlnum(byte(before)) || strings.ContainsRune("@＠$#＃\u202a\u202b\u202c\u202d\u202e", before) {
		return i
	}
	j, scheme := i, false
	if hasPrefixFold(s[i:], "https://") {
		j, scheme = i+len("https://"), true
	} else if hasPrefixFold(s[i:], "http://") {
		j, scheme = i+len("http://"), true
	} else if strings.ContainsRune("-_./", before) {
		return i
	}
	var starts, ends []int
	for k := j; ; {
		e := labelEnd(s, k)
		for e > k && s[e-1] == '-' {
			e--
		}
		if e == k || s[k] == '-' {
			break
		}
		if !labelFits(s[k:e]) { // longer than a DNS label may be
			return i
		}
		starts, ends = append(starts, k), append(ends, e)
		if e+1 < len(s) && s[e] == '.' && labelEnd(s, e+1) > e+1 {
			k = e + 1
			continue
		}
		break
	}
	for n := len(ends); n >= 2; n-- {
		hostEnd := ends[n-1]
		if hostEnd < len(s) && (isAlnum(s[hostEnd]) || strings.IndexByte("@+-_", s[hostEnd]) >= 0) {
			continue
		}
		tld := strings.ToLower(s[starts[n-1]:hostEnd])
		cc := len(tld) == 2 && isLetters(tld)
		switch {
		case scheme && (utf8.RuneCountInString(tld) < 2 || !isLetters(tld) && !unicodeLetters(tld)):
			continue
		case !scheme && !isASCII(s[j:hostEnd]):
			continue // a bare host in another script is not linked
		case !scheme && !cc && !genericTLDs[tld]:
			continue
		}
		e := pathEnd(s, hostEnd)
		if !scheme && cc && n == 2 && e == hostEnd && !strings.EqualFold(s[j:hostEnd], "t.co") {
			continue
		}
		return e
	}
	return i
}

// pathEnd returns the end of an optional ":port" and path, query or
// fragment after a host that ends at s[i].
func pathEnd(s string, i int) int {
	if i+1 < len(s) && s[i] == ':' && '0' <= s[i+1] && s[i+1] <= '9' {
		i++
		for i < len(s) && '0' <= s[i] && s[i] <= '9' {
			i++
		}
	}
	if i >= len(s) || strings.IndexByte("/?#", s[i]) < 0 {
		return i
	}
	e := i
	for e < len(s) {
		r, n := utf8.DecodeRuneInString(s[e:])
		if r < utf8.RuneSelf {
			if r <= ' ' || r == 0x7f || strings.ContainsRune(`<>"'`+"`", r) {
				break
			}
		} else if r >= 0x2000 || !(unicode.IsLetter(r) || unicode.IsMark(r) || unicode.IsDigit(r)) {
			break
		}
		e += n
	}
	for e > i {
		c := s[e-1]
		switch {
		case strings.IndexByte(".,;:!?*", c) >= 0:
			e--
			continue
		case c == ')' && strings.Count(s[i:e], ")") > strings.Count(s[i:e], "("):
			e--
			continue
		case c == ']' && strings.Count(s[i:e], "]") > strings.Count(s[i:e], "["):
			e--
			continue
		}
		break
	}
	return e
}

// labelEnd returns the end of the host label that starts at s[k]: ASCII
// letters, digits and hyphens, and letters, marks and digits of any script.
func labelEnd(s string, k int) int {
	e := k
	for e < len(s) {
		if c := s[e]; c < utf8.RuneSelf {
			if !isAlnum(c) && c != '-' {
				break
			}
			e++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[e:])
		if r == utf8.RuneError || !(unicode.IsLetter(r) || unicode.IsMark(r) || unicode.IsDigit(r)) {
			break
		}
		e += n
	}
	return e
}

// labelFits reports whether a host label is at most 63 characters in the
// form DNS carries it: as is for ASCII, in punycode ("xn--...") otherwise.
func labelFits(label string) bool {
	if isASCII(label) {
		return len(label) <= 63
	}
	a, err := idna.Lookup.ToASCII(label)
	return err == nil && len(a) <= 63
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

func unicodeLetters(s string) bool {
	for _, r := range s {
		if !unicode.IsLetter(r) && !unicode.IsMark(r) {
			return false
		}
	}
	return true
}

func isAlnum(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
}

func isLetters(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i] | 0x20; c < 'a' || c > 'z' {
			return false
		}
	}
	return true
}

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

// Defuse returns s with every URL X would link (by urlEnd's rules) made
// plain text that reads the same: a zero-width space (U+200B) goes after
// each "." of it, so that no run of it is a host with a top-level domain.
// A post with a URL costs about 13 times one without (docs/webhook.md
// "What a post costs"), and a bare domain in catalog text ("Amazon.com")
// is one. Text with no URL comes back unchanged.
func Defuse(s string) string {
	var b strings.Builder
	last := 0
	for i := 0; i < len(s); {
		e := urlEnd(s, i)
		if e == i {
			_, size := utf8.DecodeRuneInString(s[i:])
			i += size
			continue
		}
		b.WriteString(s[last:i])
		b.WriteString(strings.ReplaceAll(s[i:e], ".", ".\u200b"))
		last, i = e, e
	}
	if last == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}
