package catalog

import (
	"fmt"
	"strings"
)

// Code is a parsed session code: a base such as SVS401 and an optional
// repeat suffix such as R1, both upper-case.
type Code struct {
	Base   string // letters then digits, e.g. "ARC302"
	Suffix string // without the dash, e.g. "R1"; empty for a base code
}

// ParseCode parses a session code case-insensitively. A code is letters
// followed by digits, optionally followed by a dash and a suffix of letters
// and optional digits (-R, -R1, -L, -WK2).
func ParseCode(s string) (Code, error) {
	s = strings.ToUpper(strings.TrimSpace(s))
	base, suffix, dashed := strings.Cut(s, "-")
	if !isLettersDigits(base, true) {
		return Code{}, fmt.Errorf("invalid session code %q: want letters then digits, like SVS401 or ARC302-R1", s)
	}
	if dashed && !isLettersDigits(suffix, false) {
		return Code{}, fmt.Errorf("invalid session code %q: the part after the dash must be letters then optional digits, like -R or -R1", s)
	}
	return Code{Base: base, Suffix: suffix}, nil
}

// isLettersDigits reports whether s is one or more ASCII letters followed by
// digits; the digits are required when needDigits is set.
func isLettersDigits(s string, needDigits bool) bool {
	i := 0
	for i < len(s) && s[i] >= 'A' && s[i] <= 'Z' {
		i++
	}
	if i == 0 {
		return false
	}
	j := i
	for j < len(s) && s[j] >= '0' && s[j] <= '9' {
		j++
	}
	if j != len(s) {
		return false
	}
	return !needDigits || j > i
}

// String returns the canonical upper-case form, e.g. "ARC302-R1".
func (c Code) String() string {
	if c.Suffix == "" {
		return c.Base
	}
	return c.Base + "-" + c.Suffix
}

// IsBase reports whether the code names every instance of a session rather
// than one repeat.
func (c Code) IsBase() bool { return c.Suffix == "" }

// Matches reports whether a session with full code full is named by c: a base
// code matches every instance sharing it, a full code only itself.
func (c Code) Matches(full Code) bool {
	if c.IsBase() {
		return c.Base == full.Base
	}
	return c == full
}

// SplitCodes splits arguments at commas, as the bot reads a post (it also
// splits at a few more separators, webhook.Codes): "SVS401,ARC302" is two
// codes. Blank pieces are dropped.
func SplitCodes(args []string) []string {
	var out []string
	for _, a := range args {
		for _, c := range strings.Split(a, ",") {
			if c = strings.TrimSpace(c); c != "" {
				out = append(out, c)
			}
		}
	}
	return out
}
