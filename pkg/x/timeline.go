package x

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// ID is an id in a JSON answer of X: a string of digits, as X documents
// every id, or a number, which an answer may send instead. Either reads
// as its decimal text; null reads as "". Whether it has X's shape is for
// the caller to check (ValidID).
type ID string

// UnmarshalJSON reads a string, a whole non-negative number or null.
func (id *ID) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case bytes.Equal(b, []byte("null")):
		return nil
	case len(b) > 0 && b[0] == '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*id = ID(s)
		return nil
	case len(b) > 0 && bytes.IndexFunc(b, func(r rune) bool { return r < '0' || r > '9' }) < 0:
		*id = ID(b)
		return nil
	}
	return errors.New("an id must be a string or a whole number")
}

// User is an X account as GET /2/users/me names it.
type User struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	Username string `json:"username"`
}

// Me returns the account the credentials sign in as (GET /2/users/me,
// docs/x-api-research.md section 2). Transient failures are retried within
// c.Retry.
func (c *Client) Me(ctx context.Context) (User, error) {
	var me struct {
		Data User `json:"data"`
	}
	var err error
	_, _, derr := c.Retry.Do(ctx, func() (bool, time.Duration) {
		_, _, err = c.get(ctx, "/2/users/me", nil, &me)
		return errors.Is(err, ErrTransient), 0
	})
	switch {
	case derr != nil:
		return User{}, fmt.Errorf("read the bot's account (GET /2/users/me): %w", derr)
	case err != nil:
		return User{}, fmt.Errorf("read the bot's account (GET /2/users/me): %w", err)
	case me.Data.ID == "":
		return User{}, errors.New("read the bot's account (GET /2/users/me): the answer names no id")
	}
	return me.Data, nil
}

// RateLimit is what X's x-rate-limit-* headers said of one endpoint's
// window: Limit requests a window, Remaining left in this one, and Reset
// when the window ends (docs/x-api-research.md section 3). Known is false
// when the answer carried no usable headers.
type RateLimit struct {
	Limit     int
	Remaining int
	Reset     time.Time
	Known     bool
}

// parseRateLimit reads the x-rate-limit-* headers; Known needs remaining
// and reset both.
func parseRateLimit(h http.Header) RateLimit {
	num := func(name string) (int64, bool) {
		n, err := strconv.ParseInt(strings.TrimSpace(h.Get(name)), 10, 64)
		return n, err == nil && n >= 0
	}
	var r RateLimit
	limit, _ := num("x-rate-limit-limit")
	remaining, okR := num("x-rate-limit-remaining")
	reset, okT := num("x-rate-limit-reset")
	if !okR || !okT || reset == 0 {
		return r
	}
	return RateLimit{Limit: int(limit), Remaining: int(remaining), Reset: time.Unix(reset, 0), Known: true}
}

// Window is how long a rate-limit window of the mention timeline and of
// posting lasts (docs/x-api-research.md section 3).
const Window = 15 * time.Minute

// UntilReset is how long to wait from now for a window that ends at reset:
// the time to it and a second more, for clocks that differ, but never more
// than one Window. A reset further off is not believed; reset is compared
// before any arithmetic, so no header, however far in the future, can
// overflow the wait. It is 0 for a zero reset or one that has passed.
func UntilReset(reset, now time.Time) time.Duration {
	left := untilCapped(reset, now)
	if left == 0 {
		return 0
	}
	return min(left+time.Second, Window)
}

// untilCapped is the time from now to reset within [0, Window].
func untilCapped(reset, now time.Time) time.Duration {
	switch {
	case reset.IsZero() || !reset.After(now):
		return 0
	case reset.After(now.Add(Window)):
		return Window
	}
	return reset.Sub(now)
}

// Pace is the shortest wait between requests that spends this window's
// remaining requests no faster than they last: the time to the reset over
// the requests left, or the time to the reset when none is left. It is 0
// when the headers were unknown or the window has ended, and at most one
// Window.
func (r RateLimit) Pace(now time.Time) time.Duration {
	left := untilCapped(r.Reset, now)
	if !r.Known || left <= 0 {
		return 0
	}
	if r.Remaining == 0 {
		return left
	}
	return left / time.Duration(r.Remaining)
}

// MentionFields are the fields a mention timeline page is asked for: what
// an answer needs to tell who wrote a post, whether it mentions the bot,
// whether it is a retweet, and its whole text (docs/webhook.md, "Polling").
var MentionFields = url.Values{
	"tweet.fields": {"author_id,created_at,entities,referenced_tweets,note_tweet,conversation_id"},
	"expansions":   {"author_id"},
	"user.fields":  {"username"},
}

// MentionsQuery selects one page of the mention timeline: posts newer
// than SinceID (all when empty), the page after PaginationToken, at most
// MaxResults (5 to 100; 0 means 100).
type MentionsQuery struct {
	SinceID         string
	PaginationToken string
	MaxResults      int
}

// MentionsPage is one page of the mention timeline, newest first. Body is
// X's answer as it came (data, includes, meta), for the caller to read the
// posts from; the meta fields and the rate limit are read already.
type MentionsPage struct {
	Body        []byte
	NewestID    string
	OldestID    string
	NextToken   string
	ResultCount int
	Rate        RateLimit
}

// ErrNotJSON is wrapped by the error of an answer that should be JSON and
// is not, such as an HTML page from a proxy; trying again may mend it.
var ErrNotJSON = errors.New("the answer from X is not JSON")

// ErrTransient is wrapped by the error of a read that failed in a way
// another try may mend: no answer, a 5xx, a timeout, ErrNotJSON.
var ErrTransient = errors.New("transient failure")

// Mentions reads one page of GET /2/users/{userID}/mentions with the
// fields of MentionFields (docs/x-api-research.md section 1). It makes one
// attempt: the caller, which polls, decides when to try again. A 429 is a
// *RateLimitError; a refusal of the credentials wraps ErrAuth; a failure
// worth another try wraps ErrTransient; other refusals (a 400 for a
// pagination token X no longer knows) are an *APIError. The rate limit of
// an answer is in the page, or in the error's RateLimitError.Reset.
func (c *Client) Mentions(ctx context.Context, userID string, q MentionsQuery) (*MentionsPage, error) {
	v := url.Values{}
	for k, vs := range MentionFields {
		v[k] = vs
	}
	n := q.MaxResults
	if n == 0 {
		n = 100
	}
	v.Set("max_results", strconv.Itoa(n))
	if q.SinceID != "" {
		v.Set("since_id", q.SinceID)
	}
	if q.PaginationToken != "" {
		v.Set("pagination_token", q.PaginationToken)
	}
	var page struct {
		Meta struct {
			NewestID    ID              `json:"newest_id"`
			OldestID    ID              `json:"oldest_id"`
			NextToken   string          `json:"next_token"`
			ResultCount json.RawMessage `json:"result_count"`
		} `json:"meta"`
	}
	resp, data, err := c.get(ctx, "/2/users/"+url.PathEscape(userID)+"/mentions", v, &page)
	if err != nil {
		return nil, fmt.Errorf("read mentions: %w", err)
	}
	count, _ := strconv.Atoi(strings.Trim(string(page.Meta.ResultCount), `"`))
	return &MentionsPage{Body: data, NewestID: string(page.Meta.NewestID), OldestID: string(page.Meta.OldestID),
		NextToken: page.Meta.NextToken, ResultCount: count, Rate: parseRateLimit(resp.Header)}, nil
}
