// Package x posts to X (Twitter): OAuth 1.0a signing, POST /2/tweets, and X's weighted text length.
package x

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/reinvent-cli/reinvent/pkg/retry"
)

// DefaultBaseURL is the X API the client talks to unless told otherwise.
const DefaultBaseURL = "https://api.x.com"

// Client posts to X with one account's credentials. Its zero fields mean
// the defaults; it is safe for concurrent use once set up.
type Client struct {
	BaseURL     string // DefaultBaseURL when empty; no trailing slash needed
	Credentials Credentials
	HTTPClient  *http.Client // http.DefaultClient when nil
	// Retry bounds the retries of transient failures; the zero value is
	// retry.Policy's defaults (6 attempts, 60 s in all).
	Retry retry.Policy
	// Timeout bounds one attempt; 0 means 30 s. An attempt that times out
	// is retried: if X had accepted it, the retry meets ErrDuplicate.
	Timeout time.Duration

	postLimit atomic.Pointer[RateLimit] // of the last answer to a post

	bearerMu    sync.Mutex
	bearerToken string // the app-only token, once asked for
}

// notePostLimit keeps r unless an answer of the same or a later window,
// which may have arrived first on another goroutine, left less.
func (c *Client) notePostLimit(r RateLimit) {
	for {
		old := c.postLimit.Load()
		if old != nil && (old.Reset.After(r.Reset) || (old.Reset.Equal(r.Reset) && old.Remaining <= r.Remaining)) {
			return
		}
		if c.postLimit.CompareAndSwap(old, &r) {
			return
		}
	}
}

// PostLimit is the rate limit of POST /2/tweets as the last answer to a
// post told it; Known is false before the first answer with the headers.
// A worker that finds Remaining 0 before Reset holds its posts until then.
func (c *Client) PostLimit() RateLimit {
	if r := c.postLimit.Load(); r != nil {
		return *r
	}
	return RateLimit{}
}

// NewClient returns a client for the X API at baseURL.
func NewClient(baseURL string, cred Credentials) *Client {
	return &Client{BaseURL: baseURL, Credentials: cred}
}

// Post is one post to make: its text and, for a reply, the id of the post
// it answers.
type Post struct {
	Text      string
	InReplyTo string
}

// request is the body of POST /2/tweets.
type request struct {
	Text  string `json:"text"`
	Reply *reply `json:"reply,omitempty"`
}

type reply struct {
	InReplyToTweetID string `json:"in_reply_to_tweet_id"`
}

// created is the body of a 201 answer.
type created struct {
	Data struct {
		ID   string `json:"id"`
		Text string `json:"text"`
	} `json:"data"`
}

// outcome is the result of one attempt: an id, or an error and whether it
// is worth another try.
type outcome struct {
	id         string
	err        error
	transient  bool
	retryAfter time.Duration
}

// Post makes p and returns the new post's id. Transient failures are retried
// within c.Retry; the error then wraps ErrUnavailable. Other errors match
// ErrDuplicate, ErrRateLimited (a *RateLimitError) or ErrAuth, or are an
// *APIError; none of them carries a secret or an HTML page.
func (c *Client) Post(ctx context.Context, p Post) (string, error) {
	body := request{Text: p.Text}
	if p.InReplyTo != "" {
		body.Reply = &reply{InReplyToTweetID: p.InReplyTo}
	}
	raw, err := json.Marshal(body)
	if err != nil {
		return "", fmt.Errorf("post to X: %w", err)
	}
	var o outcome
	n, spent, err := c.Retry.Do(ctx, func() (bool, time.Duration) {
		o = c.try(ctx, raw)
		return o.err != nil && o.transient, o.retryAfter
	})
	switch {
	case err != nil:
		return "", fmt.Errorf("post to X: %w", err)
	case spent:
		return "", fmt.Errorf("post to X: %w after %d attempts: %w", ErrUnavailable, n, o.err)
	case o.err != nil:
		return "", fmt.Errorf("post to X: %w", o.err)
	}
	return o.id, nil
}

// try makes one signed attempt of POST /2/tweets.
func (c *Client) try(ctx context.Context, raw []byte) outcome {
	resp, data, err := c.do(ctx, http.MethodPost, "/2/tweets", nil, raw)
	switch {
	case err == nil:
		if r := parseRateLimit(resp.Header); r.Known {
			c.notePostLimit(r)
		}
		return classify(resp, data)
	case ctx.Err() != nil:
		return outcome{err: ctx.Err()}
	case errors.Is(err, errBuild):
		return outcome{err: err}
	}
	return outcome{err: err, transient: true} // no answer, or one cut short
}

// errBuild marks an error of building a request, which no retry mends.
var errBuild = errors.New("build request")

// do makes one request of path signed with the credentials (OAuth 1.0a,
// as the bot), with query q and, when body is not nil, a JSON body, and
// reads the answer (at most 4 MiB).
func (c *Client) do(ctx context.Context, method, path string, q url.Values, body []byte) (*http.Response, []byte, error) {
	return c.send(ctx, method, path, q, "application/json", body, func(endpoint string) (string, error) {
		return c.Credentials.Authorization(method, endpoint, nil, newNonce(), time.Now())
	})
}

// send makes one request of path with query q and a body of contentType
// (none when body is nil), authorized by auth(the URL), and reads the
// answer (at most 4 MiB) within c.Timeout. An error of building the
// request wraps errBuild.
func (c *Client) send(ctx context.Context, method, path string, q url.Values, contentType string, body []byte,
	auth func(endpoint string) (string, error)) (*http.Response, []byte, error) {
	timeout := c.Timeout
	if timeout <= 0 {
		timeout = 30 * time.Second
	}
	actx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	endpoint := c.base() + path
	if len(q) > 0 {
		endpoint += "?" + q.Encode()
	}
	authorization, err := auth(endpoint)
	if err != nil {
		return nil, nil, fmt.Errorf("%w: %w", errBuild, err)
	}
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(actx, method, endpoint, rd)
	if err != nil {
		return nil, nil, fmt.Errorf("%w: %w", errBuild, err)
	}
	if body != nil {
		req.Header.Set("Content-Type", contentType)
	}
	req.Header.Set("Authorization", authorization)
	resp, err := c.httpClient().Do(req)
	if err != nil {
		if ctx.Err() == nil && actx.Err() != nil {
			return nil, nil, fmt.Errorf("no answer within %s", timeout)
		}
		return nil, nil, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 4<<20))
	if err != nil {
		return nil, nil, fmt.Errorf("read answer %d: %w", resp.StatusCode, err)
	}
	return resp, data, nil
}

// sendError is the error of a request that got no answer: the context's
// when it ended, a build error as it is, and anything else (no answer, a
// reset, a timeout) wrapping ErrTransient.
func sendError(ctx context.Context, err error) error {
	switch {
	case ctx.Err() != nil:
		return ctx.Err()
	case errors.Is(err, errBuild):
		return err
	}
	return fmt.Errorf("%w: %w", ErrTransient, err)
}

// answerError is the error of an answer that is not a success, as
// classify reads it, wrapping ErrTransient when another try may mend it.
func answerError(resp *http.Response, data []byte) error {
	o := classify(resp, data)
	if o.transient {
		return fmt.Errorf("%w: %w", ErrTransient, o.err)
	}
	return o.err
}

func (c *Client) base() string {
	if c.BaseURL == "" {
		return DefaultBaseURL
	}
	return strings.TrimSuffix(c.BaseURL, "/")
}

func (c *Client) httpClient() *http.Client {
	if c.HTTPClient == nil {
		return http.DefaultClient
	}
	return c.HTTPClient
}

// classify turns one answer into an outcome.
func classify(resp *http.Response, data []byte) outcome {
	st := resp.StatusCode
	switch {
	case st == http.StatusCreated || st == http.StatusOK:
		var c created
		if err := json.Unmarshal(data, &c); err != nil || c.Data.ID == "" {
			return outcome{err: fmt.Errorf("answer %d has no post id", st)}
		}
		return outcome{id: c.Data.ID}
	case st == http.StatusTooManyRequests:
		return outcome{err: &RateLimitError{Reset: rateLimitReset(resp.Header)}}
	case st == http.StatusRequestTimeout || st >= 500:
		p := parseProblem(st, data)
		return outcome{
			err:        &APIError{Status: st, Title: p.Title, Detail: p.Detail},
			transient:  true,
			retryAfter: retry.ParseRetryAfter(resp.Header.Get("Retry-After"), time.Now()),
		}
	}
	p := parseProblem(st, data)
	switch {
	case st == http.StatusForbidden && p.duplicate():
		return outcome{err: ErrDuplicate}
	case st == http.StatusUnauthorized || st == http.StatusForbidden:
		return outcome{err: fmt.Errorf("%w: %s", ErrAuth, (&APIError{Status: st, Title: p.Title, Detail: p.Detail}).Error())}
	}
	return outcome{err: &APIError{Status: st, Title: p.Title, Detail: p.Detail}}
}
