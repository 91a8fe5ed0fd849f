package x

import (
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

// Pace is the shortest wait between requests that spends this window's
// remaining requests no faster than they last: the time to the reset over
// the requests left, or the time to the reset when none is left. It is 0
// when the headers were unknown or the window has ended.
func (r RateLimit) Pace(now time.Time) time.Duration {
	left := r.Reset.Sub(now)
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
			NewestID    string          `json:"newest_id"`
			OldestID    string          `json:"oldest_id"`
			NextToken   string          `json:"next_token"`
			ResultCount json.RawMessage `json:"result_count"`
		} `json:"meta"`
	}
	resp, data, err := c.get(ctx, "/2/users/"+url.PathEscape(userID)+"/mentions", v, &page)
	if err != nil {
		return nil, fmt.Errorf("read mentions: %w", err)
	}
	count, _ := strconv.Atoi(strings.Trim(string(page.Meta.ResultCount), `"`))
	return &MentionsPage{Body: data, NewestID: page.Meta.NewestID, OldestID: page.Meta.OldestID,
		NextToken: page.Meta.NextToken, ResultCount: count, Rate: parseRateLimit(resp.Header)}, nil
}
