package fakex

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// firstWebhookID is the id of the first webhook; webhooks, subscriptions
// and events have counters of their own so that post ids do not move.
const firstWebhookID = 1860000000000000001

// crcTimeout is how long a webhook has to answer: "Respond within 10
// seconds" (https://docs.x.com/x-api/webhooks/introduction).
const crcTimeout = 10 * time.Second

// Webhook is a webhook registered with POST /2/webhooks.
type Webhook struct {
	ID        string
	URL       string
	Valid     bool
	CreatedAt time.Time
}

type webhookState struct {
	list   []*Webhook // in the order they were created
	limit  int
	nextID uint64
	routes map[string]string // scheme://host/path of a public URL -> target
	client *http.Client
	// clientSecret is the app's OAuth 2.0 client secret, when it has one:
	// the CRC is then answered with it, and deliveries are signed with it
	// too (SetClientSecret).
	clientSecret string
}

// SetClientSecret gives the app an OAuth 2.0 client secret. Then, as the
// webhooks introduction says, the CRC response_token must be made with it
// ("generate it with the OAuth 2.0 client secret when available"), and
// each delivery carries X-Twitter-Webhooks-Signature-OAuth2 made with it
// beside the legacy x-twitter-webhooks-signature.
// https://docs.x.com/x-api/webhooks/introduction (Signature headers)
func (s *Server) SetClientSecret(secret string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.wh.clientSecret = secret
}

func newWebhookState() webhookState {
	return webhookState{limit: 1, nextID: firstWebhookID, routes: map[string]string{},
		client: &http.Client{
			Timeout:   crcTimeout,
			Transport: &http.Transport{}, // no proxy: targets are on loopback
			// A redirect is not followed: a 3XX marks a webhook invalid
			// (https://docs.x.com/x-api/webhooks/introduction).
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		}}
}

// SetWebhookLimit sets how many webhooks the app may register (default 1,
// the self-serve figure of https://docs.x.com/x-api/account-activity/introduction).
func (s *Server) SetWebhookLimit(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.wh.limit = n
}

// Route sends the CRC checks and deliveries of a registered webhook whose
// URL has publicURL's scheme, host and path to target (an http URL on
// loopback, such as an httptest server's) instead. The CRC of a webhook
// without a route fails with no request made.
func (s *Server) Route(publicURL, target string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.wh.routes[routeKey(publicURL)] = target
}

func routeKey(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return raw
	}
	return strings.ToLower(u.Scheme) + "://" + strings.ToLower(u.Host) + u.EscapedPath()
}

// target is where requests for the webhook URL raw go, with raw's query
// and q added; ok is false without a route. It is called with s.mu held.
func (s *Server) target(raw string, q url.Values) (string, bool) {
	t, ok := s.wh.routes[routeKey(raw)]
	if !ok {
		return "", false
	}
	tu, err1 := url.Parse(t)
	ru, err2 := url.Parse(raw)
	if err1 != nil || err2 != nil {
		return "", false
	}
	all := tu.Query()
	for k, vs := range ru.Query() {
		all[k] = append(all[k], vs...)
	}
	for k, vs := range q {
		all[k] = append(all[k], vs...)
	}
	tu.RawQuery = all.Encode()
	return tu.String(), true
}

// Webhooks returns the registered webhooks in the order they were made.
func (s *Server) Webhooks() []Webhook {
	s.mu.Lock()
	defer s.mu.Unlock()
	ws := make([]Webhook, len(s.wh.list))
	for i, w := range s.wh.list {
		ws[i] = *w
	}
	return ws
}

// SetWebhookValid marks a webhook valid or not, as X's periodic CRC would;
// an invalid webhook gets no deliveries. It panics on an unknown id.
func (s *Server) SetWebhookValid(id string, valid bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	w := s.webhook(id)
	if w == nil {
		panic("fakex: no webhook " + strconv.Quote(id))
	}
	w.Valid = valid
}

// webhook returns the webhook with id, or nil. It is called with s.mu held.
func (s *Server) webhook(id string) *Webhook {
	for _, w := range s.wh.list {
		if w.ID == id {
			return w
		}
	}
	return nil
}

// CRCResponse is the response_token a webhook answers crcToken with:
// "sha256=" and the base64 HMAC-SHA256 of it keyed with the consumer secret.
// https://docs.x.com/x-api/webhooks/quickstart ("How to build the CRC response")
func CRCResponse(consumerSecret, crcToken string) string {
	mac := hmac.New(sha256.New, []byte(consumerSecret))
	mac.Write([]byte(crcToken))
	return "sha256=" + base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// crc runs the Challenge-Response Check of the webhook URL raw: a GET with
// a crc_token, answered within 10 s by a 200 whose JSON response_token is
// right. It must be called without s.mu held.
// https://docs.x.com/x-api/webhooks/quickstart ("How the CRC works")
func (s *Server) crc(raw string) error {
	var b [24]byte
	_, _ = rand.Read(b[:])
	token := hex.EncodeToString(b[:])
	s.mu.Lock()
	u, ok := s.target(raw, url.Values{"crc_token": {token}})
	client := s.wh.client
	key := s.cred.ConsumerSecret
	if s.wh.clientSecret != "" {
		key = s.wh.clientSecret
	}
	s.mu.Unlock()
	if !ok {
		return errors.New("no route to " + raw)
	}
	ctx, cancel := context.WithTimeout(context.Background(), crcTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return err
	}
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<16))
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("CRC answered %d", resp.StatusCode)
	}
	var ans struct {
		ResponseToken string `json:"response_token"`
	}
	if err := json.Unmarshal(body, &ans); err != nil {
		return fmt.Errorf("CRC answer is not JSON: %w", err)
	}
	if !hmac.Equal([]byte(ans.ResponseToken), []byte(CRCResponse(key, token))) {
		return errors.New("wrong CRC response_token")
	}
	return nil
}

// urlValid checks a webhook URL: https, a host, no port.
// https://docs.x.com/x-api/webhooks/introduction (Requirements)
func urlValid(raw string) bool {
	u, err := url.Parse(raw)
	return err == nil && u.Scheme == "https" && u.Hostname() != "" && !strings.Contains(u.Host, ":") &&
		u.Opaque == "" && u.User == nil && u.Fragment == ""
}

// webhookJSON is a WebhookConfig.
// https://docs.x.com/x-api/webhooks/quickstart (CreateWebhooksResponse, WebhookConfig)
func webhookJSON(w *Webhook) map[string]any {
	return map[string]any{"id": w.ID, "url": w.URL, "valid": w.Valid, "created_at": timeV2(w.CreatedAt)}
}

// createWebhook answers POST /2/webhooks {"url": ...}: it checks the URL,
// runs the CRC and registers the webhook only when the CRC passes.
// https://docs.x.com/x-api/webhooks/quickstart ("Create a webhook";
// CreateWebhooksRequest, CreateWebhooksResponse)
func (s *Server) createWebhook(w http.ResponseWriter, r *http.Request) {
	if !s.appOnly(w, r) {
		return
	}
	raw, ok := readJSON(w, r)
	if !ok {
		return
	}
	var b struct {
		URL *string `json:"url"`
	}
	if err := json.Unmarshal(raw, &b); err != nil {
		invalid(w, "The request body is not valid JSON.")
		return
	}
	switch {
	case b.URL == nil || *b.URL == "":
		invalid(w, "The `url` field is required.")
		return
	case len(*b.URL) > 200:
		invalid(w, "The `url` field is longer than 200 characters.")
		return
	case !urlValid(*b.URL):
		failed(w, "UrlValidationFailed", "")
		return
	}
	s.mu.Lock()
	reason := s.canRegister(*b.URL)
	s.mu.Unlock()
	if reason != "" {
		failed(w, reason, "")
		return
	}
	if err := s.crc(*b.URL); err != nil {
		failed(w, "CrcValidationFailed", "")
		return
	}
	s.mu.Lock()
	if reason := s.canRegister(*b.URL); reason != "" { // raced with another create
		s.mu.Unlock()
		failed(w, reason, "")
		return
	}
	hook := &Webhook{ID: strconv.FormatUint(s.wh.nextID, 10), URL: *b.URL, Valid: true, CreatedAt: s.now()}
	s.wh.nextID++
	s.wh.list = append(s.wh.list, hook)
	body := map[string]any{"data": webhookJSON(hook)}
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, body)
}

// canRegister returns why the URL raw cannot be registered, or "". It is
// called with s.mu held.
func (s *Server) canRegister(raw string) string {
	if slices.ContainsFunc(s.wh.list, func(w *Webhook) bool { return w.URL == raw }) {
		return "DuplicateUrlFailed"
	}
	if len(s.wh.list) >= s.wh.limit {
		return "WebhookLimitExceeded"
	}
	return ""
}

// listWebhooks answers GET /2/webhooks.
// https://docs.x.com/x-api/webhooks/quickstart ("View webhooks"; GetWebhooksResponse)
func (s *Server) listWebhooks(w http.ResponseWriter, r *http.Request) {
	if !s.appOnly(w, r) {
		return
	}
	s.mu.Lock()
	data := make([]map[string]any, len(s.wh.list))
	for i, h := range s.wh.list {
		data[i] = webhookJSON(h)
	}
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{"data": data, "meta": map[string]any{"result_count": len(data)}})
}

// validateWebhook answers PUT /2/webhooks/{id}: it runs the CRC again and
// answers 200 with the webhook's validity after it, valid false when the
// CRC failed (docs/fake-x.md).
// https://docs.x.com/x-api/webhooks/quickstart ("Validate and re-enable a
// webhook"; ValidateWebhooksResponse)
func (s *Server) validateWebhook(w http.ResponseWriter, r *http.Request) {
	if !s.appOnly(w, r) {
		return
	}
	id := r.PathValue("id")
	s.mu.Lock()
	hook := s.webhook(id)
	var u string
	if hook != nil {
		u = hook.URL
	}
	s.mu.Unlock()
	if hook == nil {
		failed(w, "WebhookIdInvalid", "")
		return
	}
	valid := s.crc(u) == nil
	s.mu.Lock()
	if s.webhook(id) == nil { // deleted meanwhile
		s.mu.Unlock()
		failed(w, "WebhookIdInvalid", "")
		return
	}
	hook.Valid = valid
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{"data": map[string]bool{"valid": valid}})
}

// deleteWebhook answers DELETE /2/webhooks/{id}; the webhook's Account
// Activity and X Activity subscriptions go with it.
// https://docs.x.com/x-api/webhooks/quickstart ("Delete a webhook"; DeleteWebhooksResponse)
func (s *Server) deleteWebhook(w http.ResponseWriter, r *http.Request) {
	if !s.appOnly(w, r) {
		return
	}
	id := r.PathValue("id")
	s.mu.Lock()
	i := slices.IndexFunc(s.wh.list, func(h *Webhook) bool { return h.ID == id })
	if i < 0 {
		s.mu.Unlock()
		failed(w, "WebhookIdInvalid", "")
		return
	}
	s.wh.list = slices.Delete(s.wh.list, i, i+1)
	delete(s.subs.aaa, id)
	s.subs.xaa = slices.DeleteFunc(s.subs.xaa, func(x *xaaSub) bool { return x.webhookID == id })
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{"data": map[string]bool{"deleted": true}})
}
