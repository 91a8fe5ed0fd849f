package notify

import (
	"context"
	"errors"
	"net/url"
	"regexp"
	"slices"
	"strings"

	"github.com/reinvent-cli/reinvent/pkg/catalog"
)

// Error is what every function of the package returns: where ("ntfy at
// ntfy.sh") and what went wrong, in text that holds none of the URL's
// secrets and none of the control characters a server might have sent.
type Error struct {
	where string
	msg   string
	ctx   error // context.Canceled or DeadlineExceeded, for errors.Is
}

func (e *Error) Error() string { return e.where + ": " + e.msg }

// Unwrap returns the context's error when the send was cancelled or timed
// out, and nil otherwise: the errors underneath may quote the URL.
func (e *Error) Unwrap() error { return e.ctx }

// failure returns an Error for cause, whose text is scrubbed of secrets.
func failure(where string, cause error, s *secrets) *Error {
	e := &Error{where: where, msg: s.scrub(cause.Error())}
	switch {
	case errors.Is(cause, context.Canceled):
		e.ctx = context.Canceled
	case errors.Is(cause, context.DeadlineExceeded):
		e.ctx = context.DeadlineExceeded
	}
	return e
}

// parseProblem says what is wrong with a URL that url.Parse refused,
// without the parts of the URL its errors quote.
func parseProblem(err error) string {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	var esc url.EscapeError
	var host url.InvalidHostError
	switch {
	case errors.As(err, &esc):
		return "a % escape in the URL is not valid: write a % in a password or topic as %25"
	case errors.As(err, &host):
		return "the host holds a character that a host name cannot"
	}
	return "not a valid URL: " + quoted.ReplaceAllString(err.Error(), "…")
}

// quoted matches the quoted parts of an error message, which may be parts
// of the URL.
var quoted = regexp.MustCompile(`"[^"]*"|'[^']*'`)

// maxError is the most of a library's or a server's text an error keeps.
const maxError = 200

// secrets are the parts of a URL that must never be shown: the userinfo,
// the path and its segments, the query values and the fragment, raw and
// unescaped, and the whole URL.
type secrets struct{ words []string }

// minSecret is the shortest part that is scrubbed: shorter ones would take
// ordinary words out of the message and tell nothing.
const minSecret = 4

func secretsOf(raw string, u *url.URL) *secrets {
	s := &secrets{}
	add := func(w ...string) {
		for _, v := range w {
			if len(v) >= minSecret {
				s.words = append(s.words, v)
			}
			if un, err := url.PathUnescape(v); err == nil && un != v && len(un) >= minSecret {
				s.words = append(s.words, un)
			}
			if un, err := url.QueryUnescape(v); err == nil && un != v && len(un) >= minSecret {
				s.words = append(s.words, un)
			}
		}
	}
	add(raw)
	if u != nil {
		add(u.String(), u.Opaque, u.RawPath, u.Path, u.EscapedPath(), u.RawQuery, u.Fragment, u.RawFragment)
		add(strings.Split(u.EscapedPath(), "/")...)
		add(strings.Split(u.Path, "/")...)
		if u.User != nil {
			pass, _ := u.User.Password()
			add(u.User.String(), u.User.Username(), pass)
		}
		for _, vs := range u.Query() {
			add(vs...)
		}
		for _, pair := range strings.FieldsFunc(u.RawQuery, func(r rune) bool { return r == '&' || r == ';' }) {
			_, v, _ := strings.Cut(pair, "=")
			add(v)
		}
	}
	// Longest first, so that a part is replaced whole before a shorter part
	// inside it.
	slices.SortFunc(s.words, func(a, b string) int { return len(b) - len(a) })
	s.words = slices.Compact(s.words)
	return s
}

// scrub returns text with every secret replaced by "…", quoted parts
// removed, control characters removed, on one line and cut short.
func (s *secrets) scrub(text string) string {
	if s != nil {
		for _, w := range s.words {
			text = strings.ReplaceAll(text, w, "…")
		}
	}
	text = quoted.ReplaceAllString(text, "…")
	return cut(catalog.CleanLine(text), maxError)
}

// cut returns s cut to at most n bytes at a character boundary, with "…"
// when something was cut.
func cut(s string, n int) string {
	s = strings.TrimSpace(s)
	if len(s) <= n {
		return s
	}
	for n > 0 && !isRuneStart(s[n]) {
		n--
	}
	return strings.TrimSpace(s[:n]) + "…"
}

func isRuneStart(b byte) bool { return b&0xC0 != 0x80 }
