package x

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// Find returns the id of the newest of the account's last 100 posts whose
// text ends with suffix, or "" when none does. A worker that X told its
// post was a duplicate uses it to learn the id of the post that an earlier,
// interrupted attempt made, so that a thread stays chained. It makes two
// signed requests, GET /2/users/me and GET /2/users/:id/tweets, once each.
func (c *Client) Find(ctx context.Context, suffix string) (string, error) {
	var me struct {
		Data struct {
			ID string `json:"id"`
		} `json:"data"`
	}
	if _, _, err := c.get(ctx, "/2/users/me", nil, &me); err != nil {
		return "", fmt.Errorf("find a post on X: %w", err)
	}
	if me.Data.ID == "" {
		return "", fmt.Errorf("find a post on X: /2/users/me answered no id")
	}
	var posts struct {
		Data []struct {
			ID   string `json:"id"`
			Text string `json:"text"`
		} `json:"data"`
	}
	q := url.Values{"max_results": {"100"}}
	if _, _, err := c.get(ctx, "/2/users/"+url.PathEscape(me.Data.ID)+"/tweets", q, &posts); err != nil {
		return "", fmt.Errorf("find a post on X: %w", err)
	}
	for _, p := range posts.Data { // newest first
		if strings.HasSuffix(strings.TrimSpace(p.Text), suffix) {
			return p.ID, nil
		}
	}
	return "", nil
}

// get makes one signed GET of path with query q and decodes a 200 answer
// into v. Any other answer is an error as classify reads it; the error
// wraps ErrTransient when another try may mend it: no answer, a 5xx or
// 408, or a 200 that is not JSON. The answer is returned too, for its
// headers and body.
func (c *Client) get(ctx context.Context, path string, q url.Values, v any) (*http.Response, []byte, error) {
	resp, data, err := c.do(ctx, http.MethodGet, path, q, nil)
	if err != nil {
		return nil, nil, sendError(ctx, err)
	}
	if resp.StatusCode != http.StatusOK {
		return resp, data, answerError(resp, data)
	}
	if err := json.Unmarshal(data, v); err != nil {
		return resp, data, fmt.Errorf("GET %s: %w: %w", path, ErrTransient, ErrNotJSON)
	}
	return resp, data, nil
}
