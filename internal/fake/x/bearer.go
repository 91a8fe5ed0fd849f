package fakex

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"net/url"
	"strings"
)

// routes registers the endpoints of docs/fake-x.md that fakex.go's serve
// does not answer.
func (s *Server) routes(mux *http.ServeMux) {
	mux.HandleFunc("POST /oauth2/token", s.token)
	mux.HandleFunc("GET /2/users/{id}/mentions", s.timeline)
	mux.HandleFunc("POST /2/webhooks", s.createWebhook)
	mux.HandleFunc("GET /2/webhooks", s.listWebhooks)
	mux.HandleFunc("PUT /2/webhooks/{id}", s.validateWebhook)
	mux.HandleFunc("DELETE /2/webhooks/{id}", s.deleteWebhook)
	const aaa = "/2/account_activity/webhooks/{webhook_id}/subscriptions"
	mux.HandleFunc("POST "+aaa+"/all", s.subscribeAAA)
	mux.HandleFunc("GET "+aaa+"/all", s.checkAAA)
	mux.HandleFunc("GET "+aaa+"/all/list", s.listAAA)
	mux.HandleFunc("DELETE "+aaa+"/{user_id}/all", s.unsubscribeAAA)
	mux.HandleFunc("POST /2/activity/subscriptions", s.createXAA)
	mux.HandleFunc("GET /2/activity/subscriptions", s.listXAA)
	mux.HandleFunc("DELETE /2/activity/subscriptions/{id}", s.deleteXAA)
}

// BearerToken is the app-only Bearer Token that POST /oauth2/token issues
// for the fake's consumer key and secret. Like X's, it holds
// percent-escapes ("%2B", "%3D") that a client must send as they are.
func (s *Server) BearerToken() string {
	sum := sha256.Sum256([]byte("fakex bearer\x00" + s.cred.ConsumerKey + "\x00" + s.cred.ConsumerSecret))
	h := hex.EncodeToString(sum[:])
	return "AAAAAAAAAAAAAAAAAAAAA" + h[:20] + "%2B" + h[20:44] + "%3D" + h[44:]
}

// token answers POST /oauth2/token: HTTP Basic credentials of the
// RFC 1738-encoded consumer key and secret, body grant_type=client_credentials.
// https://docs.x.com/fundamentals/authentication/oauth-2-0/application-only
// (Step 2; "Common error cases")
// https://docs.x.com/fundamentals/authentication/oauth-2-0/bearer-tokens
func (s *Server) token(w http.ResponseWriter, r *http.Request) {
	raw, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 1<<16))
	form, ferr := url.ParseQuery(string(raw))
	key, secret, ok := r.BasicAuth()
	if ok {
		var err1, err2 error
		key, err1 = url.QueryUnescape(key)
		secret, err2 = url.QueryUnescape(secret)
		ok = err1 == nil && err2 == nil
	}
	if err != nil || ferr != nil || !ok || form.Get("grant_type") != "client_credentials" ||
		!hmac.Equal([]byte(key), []byte(s.cred.ConsumerKey)) || !hmac.Equal([]byte(secret), []byte(s.cred.ConsumerSecret)) {
		writeJSON(w, http.StatusForbidden, map[string]any{"errors": []map[string]any{
			{"code": 99, "label": "authenticity_token_error", "message": "Unable to verify your credentials"}}})
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"token_type": "bearer", "access_token": s.BearerToken()})
}

// appOnly checks that r carries the app-only Bearer Token, or writes the
// documented 401 and returns false.
// https://docs.x.com/fundamentals/authentication/oauth-2-0/application-only
// ("API request contains invalid App only Access Token")
func (s *Server) appOnly(w http.ResponseWriter, r *http.Request) bool {
	if s.isBearer(r) {
		return true
	}
	writeJSON(w, http.StatusUnauthorized, map[string]any{"errors": []map[string]any{{"message": "Invalid or expired token", "code": 89}}})
	return false
}

func (s *Server) isBearer(r *http.Request) bool {
	tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	return ok && hmac.Equal([]byte(tok), []byte(s.BearerToken()))
}

// userContext checks the OAuth 1.0a signature of r (body is a
// form-encoded body, or nil) and that its nonce is new, or writes why not
// and returns false: the documented 403 for the app-only token, the fake's
// 401 otherwise. It is called with s.mu held.
// https://docs.x.com/fundamentals/authentication/oauth-2-0/application-only
// ("App only Access Token (Bearer Token) used on endpoint which doesn't
// support application-only auth")
func (s *Server) userContext(w http.ResponseWriter, r *http.Request, body []byte) bool {
	if s.isBearer(r) {
		writeJSON(w, http.StatusForbidden, map[string]any{"errors": []map[string]any{
			{"message": "Your credentials do not allow access to this resource", "code": 220}}})
		return false
	}
	nonce, err := s.verify(r, body)
	if err == nil && s.nonces[nonce] {
		err = errReplay
	}
	if err != nil {
		problem(w, http.StatusUnauthorized, "Unauthorized", "Unauthorized", "about:blank")
		return false
	}
	s.nonces[nonce] = true
	return true
}

// userOrApp accepts OAuth 1.0a user context or the app-only token and
// reports which; it writes the 401 and returns ok false for neither. It
// is called with s.mu held.
func (s *Server) userOrApp(w http.ResponseWriter, r *http.Request, body []byte) (user, ok bool) {
	if s.isBearer(r) {
		return false, true
	}
	if strings.HasPrefix(r.Header.Get("Authorization"), "Bearer ") {
		return false, s.appOnly(w, r)
	}
	return true, s.userContext(w, r, body)
}

// reasons are the failure reasons of the webhook and Account Activity
// pages, with their descriptions.
// https://docs.x.com/x-api/webhooks/quickstart ("Common failure reasons")
// https://docs.x.com/x-api/account-activity/introduction ("Failure (400 Bad Request)")
var reasons = map[string]string{
	"CrcValidationFailed":         "Your callback URL did not respond correctly to the CRC check (e.g., timed out, wrong response)",
	"UrlValidationFailed":         "The callback URL does not meet requirements (e.g., not `https`, invalid format)",
	"DuplicateUrlFailed":          "A webhook is already registered by your application for this URL",
	"WebhookLimitExceeded":        "Your application has reached the maximum number of allowed webhooks",
	"WebhookIdInvalid":            "The provided `webhook_id` was not found or is not associated with your app",
	"DuplicateSubscriptionFailed": "A subscription for this user already exists for the specified webhook_id.",
	"SubscriptionNotFound":        "No subscription exists for the specified user_id on the given webhook_id.",
}

// failed writes a 400 for a documented failure reason. The docs name the
// reasons but not the JSON around them; the fake uses X's v2 problem
// shape with the reason as title and as errors[].reason, the field the
// spec gives per-id failures of DeleteActivitySubscriptionsByIdsResponse
// (docs/fake-x.md, "Where the docs are silent").
func failed(w http.ResponseWriter, reason, detail string) {
	if detail == "" {
		detail = reasons[reason]
	}
	writeJSON(w, http.StatusBadRequest, map[string]any{
		"errors": []map[string]any{{"message": detail, "reason": reason}},
		"title":  reason,
		"detail": detail,
		"type":   "https://api.x.com/2/problems/invalid-request",
		"status": http.StatusBadRequest,
	})
}

// readJSON reads a request body of at most 1 MiB, or writes a 413.
func readJSON(w http.ResponseWriter, r *http.Request) ([]byte, bool) {
	raw, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 1<<20))
	if err != nil {
		problem(w, http.StatusRequestEntityTooLarge, "Payload Too Large", "The request body is too large.", "about:blank")
		return nil, false
	}
	return raw, true
}
