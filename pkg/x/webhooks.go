package x

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"text/tabwriter"

	"github.com/reinvent-cli/reinvent/pkg/catalog"
)

// Webhook is one of the app's webhook configurations (GET /2/webhooks,
// docs/x-api-research.md section 4).
type Webhook struct {
	ID        string `json:"id"`
	URL       string `json:"url"`
	Valid     bool   `json:"valid"`
	CreatedAt string `json:"created_at"`
}

// The reasons X names for refusing a webhook or subscription request
// (docs/x-api-research.md sections 4c and 5c). The docs do not say in
// which JSON field they arrive, so the whole answer is searched for them.
var reasons = []string{
	"UrlValidationFailed", "CrcValidationFailed", "DuplicateUrlFailed", "WebhookLimitExceeded",
	"WebhookIdInvalid", "DuplicateSubscriptionFailed", "SubscriptionLimitExceeded", "SubscriptionNotFound",
}

// WebhookError is X's refusal of a webhook or subscription request:
// Reason is one of the identifiers the docs name ("CrcValidationFailed"),
// or "" when the answer named none; Err is the refusal as X worded it.
type WebhookError struct {
	Reason string
	Err    error
}

func (e *WebhookError) Error() string {
	if e.Reason == "" {
		return e.Err.Error()
	}
	return e.Reason + ": " + e.Err.Error()
}

func (e *WebhookError) Unwrap() error { return e.Err }

// Advice says in one line what to do about the refusal, ending with X's
// reason ("... (X: CrcValidationFailed)"); id is the webhook the request
// named. It is "" for a reason reinvent has no advice for.
func (e *WebhookError) Advice(id string) string {
	a := map[string]string{
		"UrlValidationFailed":         "X refused the URL: it must be https, with no port, at most 200 characters",
		"CrcValidationFailed":         "X's CRC check failed: serve-webhook must answer at that URL, behind TLS, within 10 s, with this app's x-consumer-secret, or its x-client-secret when the app has OAuth 2.0 keys",
		"DuplicateUrlFailed":          "the app has a webhook for that URL already; 'reinvent x webhooks list' shows its id",
		"WebhookLimitExceeded":        "the app has as many webhooks as X allows; remove one with 'reinvent x webhooks remove ID'",
		"WebhookIdInvalid":            fmt.Sprintf("X knows no webhook %s of this app; 'reinvent x webhooks list' shows the ids", id),
		"SubscriptionLimitExceeded":   "the app has as many subscriptions as X allows; unsubscribe another account first",
		"DuplicateSubscriptionFailed": "the bot is subscribed already",
		"SubscriptionNotFound":        "the bot has no subscription on that webhook",
	}[e.Reason]
	if a == "" {
		return ""
	}
	return fmt.Sprintf("%s (X: %s)", a, e.Reason)
}

// CommandError is the error of a webhook or subscription request as one
// line that says what to do; id is the webhook the request named. X's
// refusal becomes its Advice, and an app with no webhook to subscribe to
// says how to add one; refused credentials and an unavailable X keep err
// in the chain (ErrAuth, ErrUnavailable, ...) and add a hint. Any other
// error is err.
func CommandError(err error, id string) error {
	var we *WebhookError
	switch {
	case errors.As(err, &we) && we.Advice(id) != "":
		return errors.New(we.Advice(id))
	case errors.Is(err, ErrNoWebhook):
		return errors.New("the app has no webhook to subscribe to; add one first: reinvent x webhooks add URL")
	case errors.Is(err, ErrAuth):
		return fmt.Errorf("%w; check the x-* credentials (the webhook commands need the app's consumer key and secret)", err)
	case errors.Is(err, ErrUnavailable), errors.Is(err, ErrTransient), errors.Is(err, ErrRateLimited):
		return fmt.Errorf("%w; try again later", err)
	}
	return err
}

// APIName is how messages name an api (ActivityAPI or AccountActivityAPI).
func APIName(api string) string {
	return map[string]string{ActivityAPI: "the X Activity API", AccountActivityAPI: "the Account Activity API"}[api]
}

// WriteWebhooks writes hooks as a table with a header (ID, URL, VALID,
// CREATED), their text cleaned for a terminal; an invalid webhook's row
// says how to have X check it again.
func WriteWebhooks(w io.Writer, hooks []Webhook) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tURL\tVALID\tCREATED")
	for _, h := range hooks {
		valid := "no: X stopped delivering; run 'reinvent x webhooks check " + catalog.CleanLine(h.ID) + "'"
		if h.Valid {
			valid = "yes"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", catalog.CleanLine(h.ID), catalog.CleanLine(h.URL), valid, catalog.CleanLine(h.CreatedAt))
	}
	return tw.Flush()
}

// IsReason reports whether err is X's refusal for reason.
func IsReason(err error, reason string) bool {
	var we *WebhookError
	return errors.As(err, &we) && we.Reason == reason
}

var webhookID = regexp.MustCompile(`^[0-9]{1,19}$`)

// ValidID reports whether id has the shape of X's webhook, user and
// subscription ids: 1 to 19 digits.
func ValidID(id string) bool { return webhookID.MatchString(id) }

// CheckWebhookURL says what X's webhook rules (docs/x-api-research.md
// section 4b) find wrong with u, before a request is spent on it: it must
// be https, name a host and no port, and be at most 200 characters.
func CheckWebhookURL(u string) error {
	p, err := url.Parse(u)
	switch {
	case err != nil:
		return fmt.Errorf("%q is not a URL", u)
	case p.Scheme != "https":
		return fmt.Errorf("https only: X delivers only to https:// URLs; put a TLS reverse proxy in front of serve-webhook (docs/webhook.md)")
	case p.Hostname() == "":
		return fmt.Errorf("%q names no host", u)
	case p.Port() != "":
		return fmt.Errorf("no port allowed: X allows no port in a webhook URL (%s); serve it on 443 through a reverse proxy", p.Host)
	case len(u) > 200:
		return fmt.Errorf("the URL is %d characters; X allows at most 200", len(u))
	}
	return nil
}

// bearer returns the app-only token, asked for once with the consumer key
// and secret (POST /oauth2/token, grant_type=client_credentials;
// docs/x-api-research.md, "App-only bearer token").
func (c *Client) bearer(ctx context.Context) (string, error) {
	c.bearerMu.Lock()
	defer c.bearerMu.Unlock()
	if c.bearerToken != "" {
		return c.bearerToken, nil
	}
	basic := url.QueryEscape(c.Credentials.ConsumerKey) + ":" + url.QueryEscape(c.Credentials.ConsumerSecret)
	resp, data, err := c.send(ctx, http.MethodPost, "/oauth2/token", nil, "application/x-www-form-urlencoded;charset=UTF-8",
		[]byte("grant_type=client_credentials"), func(string) (string, error) {
			return "Basic " + base64.StdEncoding.EncodeToString([]byte(basic)), nil
		})
	if err != nil {
		return "", fmt.Errorf("get X's app-only token: %w", sendError(ctx, err))
	}
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("get X's app-only token: %w", answerError(resp, data))
	}
	var tok struct {
		TokenType   string `json:"token_type"`
		AccessToken string `json:"access_token"`
	}
	if err := json.Unmarshal(data, &tok); err != nil || !strings.EqualFold(tok.TokenType, "bearer") || tok.AccessToken == "" {
		return "", errors.New("get X's app-only token: the answer holds no bearer token")
	}
	c.bearerToken = tok.AccessToken
	return tok.AccessToken, nil
}

// auth says how a management request is signed.
type auth int

const (
	userAuth auth = iota // OAuth 1.0a user context: the bot's account
	appAuth              // the app-only bearer token
)

// call makes one management request and decodes a 2xx answer's JSON into
// v; a refusal is a *WebhookError naming X's reason.
func (c *Client) call(ctx context.Context, a auth, method, path string, body any, v any) error {
	var raw []byte
	if body != nil {
		var err error
		if raw, err = json.Marshal(body); err != nil {
			return err
		}
	}
	var resp *http.Response
	var data []byte
	var err error
	if a == appAuth {
		tok, terr := c.bearer(ctx)
		if terr != nil {
			return terr
		}
		resp, data, err = c.send(ctx, method, path, nil, "application/json", raw, func(string) (string, error) { return "Bearer " + tok, nil })
	} else {
		resp, data, err = c.do(ctx, method, path, nil, raw)
	}
	if err != nil {
		return sendError(ctx, err)
	}
	if resp.StatusCode/100 != 2 {
		err := answerError(resp, data)
		for _, r := range reasons {
			if strings.Contains(string(data), r) {
				return &WebhookError{Reason: r, Err: err}
			}
		}
		return err
	}
	if v == nil {
		return nil
	}
	if err := json.Unmarshal(data, v); err != nil {
		return fmt.Errorf("%s %s: %w", method, path, ErrNotJSON)
	}
	return nil
}

// Webhooks lists the app's webhooks (GET /2/webhooks, bearer).
func (c *Client) Webhooks(ctx context.Context) ([]Webhook, error) {
	var out struct {
		Data []Webhook `json:"data"`
	}
	if err := c.call(ctx, appAuth, http.MethodGet, "/2/webhooks", nil, &out); err != nil {
		return nil, fmt.Errorf("list webhooks: %w", err)
	}
	return out.Data, nil
}

// AddWebhook registers u (POST /2/webhooks, bearer). X runs its CRC check
// against u before it answers, so serve-webhook must be answering there.
func (c *Client) AddWebhook(ctx context.Context, u string) (Webhook, error) {
	var out struct {
		Data Webhook `json:"data"`
	}
	if err := c.call(ctx, appAuth, http.MethodPost, "/2/webhooks", map[string]string{"url": u}, &out); err != nil {
		return Webhook{}, fmt.Errorf("add webhook: %w", err)
	}
	return out.Data, nil
}

// CheckWebhook has X run its CRC check on webhook id again (PUT
// /2/webhooks/{id}, bearer) and returns whether the webhook is valid now.
func (c *Client) CheckWebhook(ctx context.Context, id string) (bool, error) {
	var out struct {
		Data struct {
			Valid bool `json:"valid"`
		} `json:"data"`
	}
	if err := c.call(ctx, appAuth, http.MethodPut, "/2/webhooks/"+url.PathEscape(id), nil, &out); err != nil {
		return false, fmt.Errorf("check webhook %s: %w", id, err)
	}
	return out.Data.Valid, nil
}

// RemoveWebhook deletes webhook id (DELETE /2/webhooks/{id}, bearer).
func (c *Client) RemoveWebhook(ctx context.Context, id string) error {
	if err := c.call(ctx, appAuth, http.MethodDelete, "/2/webhooks/"+url.PathEscape(id), nil, nil); err != nil {
		return fmt.Errorf("remove webhook %s: %w", id, err)
	}
	return nil
}
