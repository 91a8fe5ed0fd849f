package x

import (
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// ErrDuplicate is wrapped by the error of a post X refused because the same
// text was posted already: the post is out there.
var ErrDuplicate = errors.New("duplicate content: X has this post already")

// ErrRateLimited is matched (errors.Is) by a *RateLimitError: X answered
// 429 and no more posts should be tried before the reset.
var ErrRateLimited = errors.New("rate limited by X")

// ErrAuth is wrapped by the error of a post X refused for the credentials:
// a 401, or a 403 that is not a duplicate (say, the app may not write).
var ErrAuth = errors.New("credentials refused by X")

// ErrUnavailable is wrapped by the error of a post that gave up because X
// kept failing with transient errors (5xx, timeouts, resets).
var ErrUnavailable = errors.New("the X API is unavailable")

// RateLimitError is the error of a post X answered with 429. Reset is when
// the limit lifts, zero when X did not say.
type RateLimitError struct {
	Reset time.Time
}

func (e *RateLimitError) Error() string {
	if e.Reset.IsZero() {
		return ErrRateLimited.Error()
	}
	return ErrRateLimited.Error() + " until " + e.Reset.UTC().Format(time.RFC3339)
}

// Is makes errors.Is(err, ErrRateLimited) true.
func (e *RateLimitError) Is(target error) bool { return target == ErrRateLimited }

// APIError is a refusal that retrying will not change, such as a 400 for an
// invalid post. Title and Detail are X's words, on one line.
type APIError struct {
	Status int
	Title  string
	Detail string
}

func (e *APIError) Error() string {
	s := "X answered " + strconv.Itoa(e.Status)
	if e.Title != "" {
		s += " " + e.Title
	}
	if e.Detail != "" {
		s += ": " + e.Detail
	}
	return s
}

// problem is X's error body: an RFC 7807 problem, sometimes with errors[].
type problem struct {
	Title  string `json:"title"`
	Detail string `json:"detail"`
	Type   string `json:"type"`
	Errors []struct {
		Message string `json:"message"`
		Code    int    `json:"code"`
	} `json:"errors"`
}

// parseProblem reads an error body. A body that is not JSON (an HTML page
// from an edge proxy, say) gives the status text and no detail, so that no
// markup reaches a message.
func parseProblem(status int, body []byte) problem {
	var p problem
	if json.Unmarshal(body, &p) != nil {
		p = problem{}
	}
	p.Title = oneLine(p.Title)
	p.Detail = oneLine(p.Detail)
	if p.Title == "" {
		p.Title = http.StatusText(status)
	}
	for _, e := range p.Errors {
		if m := oneLine(e.Message); m != "" && !strings.Contains(p.Detail, m) {
			p.Detail = strings.TrimSpace(strings.TrimSuffix(p.Detail, ".") + " (" + m + ")")
			break
		}
	}
	return p
}

// duplicate tells whether a 403 problem says the text was posted before.
func (p problem) duplicate() bool {
	if strings.Contains(strings.ToLower(p.Detail), "duplicate") {
		return true
	}
	for _, e := range p.Errors {
		if e.Code == 187 || strings.Contains(strings.ToLower(e.Message), "duplicate") {
			return true
		}
	}
	return false
}

// oneLine squeezes s to one line of at most 200 bytes.
func oneLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 200 {
		cut := 200
		for cut > 0 && s[cut]&0xC0 == 0x80 {
			cut--
		}
		s = s[:cut] + "…"
	}
	return s
}

// rateLimitReset reads when a 429 lifts: x-rate-limit-reset, or the later
// 24-hour user or app reset when that window is the one spent.
func rateLimitReset(h http.Header) time.Time {
	var reset time.Time
	consider := func(name string) {
		n, err := strconv.ParseInt(strings.TrimSpace(h.Get(name)), 10, 64)
		if err != nil || n <= 0 {
			return
		}
		if t := time.Unix(n, 0); t.After(reset) {
			reset = t
		}
	}
	consider("x-rate-limit-reset")
	for _, w := range []string{"x-user-limit-24hour", "x-app-limit-24hour"} {
		if strings.TrimSpace(h.Get(w+"-remaining")) == "0" {
			consider(w + "-reset")
		}
	}
	return reset
}
