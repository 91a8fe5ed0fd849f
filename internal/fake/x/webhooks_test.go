package fakex

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
)

// receiver is a webhook consumer app on loopback, written from the
// quickstart: it answers CRCs (GET) and takes events (POST).
type receiver struct {
	srv    *httptest.Server
	secret string
	mu     sync.Mutex
	mode   string // "ok", "wrong", "500", "html", "redirect"
	crcs   []url.Values
	posts  []received
}

type received struct {
	path   string
	header http.Header
	body   []byte
}

func newReceiver(t *testing.T, secret string) *receiver {
	rc := &receiver{secret: secret, mode: "ok"}
	rc.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rc.mu.Lock()
		defer rc.mu.Unlock()
		if r.Method == http.MethodPost {
			b, _ := io.ReadAll(r.Body)
			rc.posts = append(rc.posts, received{r.URL.Path, r.Header.Clone(), b})
			return
		}
		rc.crcs = append(rc.crcs, r.URL.Query())
		mac := hmac.New(sha256.New, []byte(rc.secret))
		mac.Write([]byte(r.URL.Query().Get("crc_token")))
		token := "sha256=" + base64.StdEncoding.EncodeToString(mac.Sum(nil))
		switch rc.mode {
		case "wrong":
			token = "sha256=" + base64.StdEncoding.EncodeToString([]byte("not the hmac"))
		case "500":
			http.Error(w, "oops", 500)
			return
		case "html":
			_, _ = io.WriteString(w, "<html>"+token+"</html>")
			return
		case "redirect":
			http.Redirect(w, r, "/elsewhere", http.StatusFound)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]string{"response_token": token})
	}))
	t.Cleanup(rc.srv.Close)
	return rc
}

func (rc *receiver) setMode(m string) {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	rc.mode = m
}

func (rc *receiver) crcCount() int {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return len(rc.crcs)
}

func (rc *receiver) received() []received {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return append([]received(nil), rc.posts...)
}

const hookURL = "https://hooks.example.com/x/webhook"

// refusedFor checks a 400 that names reason.
func refusedFor(t *testing.T, what string, a answer, reason string) {
	t.Helper()
	var b struct {
		Title  string `json:"title"`
		Type   string `json:"type"`
		Errors []struct {
			Reason string `json:"reason"`
		} `json:"errors"`
	}
	if err := json.Unmarshal([]byte(a.body), &b); err != nil || a.status != 400 || b.Title != reason ||
		len(b.Errors) != 1 || b.Errors[0].Reason != reason || b.Type != "https://api.x.com/2/problems/invalid-request" {
		t.Errorf("%s: %d %s, want a 400 for %s", what, a.status, a.body, reason)
	}
}

func TestCreateWebhook(t *testing.T) {
	s := newFixed(t)
	rc := newReceiver(t, cred.ConsumerSecret)
	s.Route(hookURL, rc.srv.URL+"/listen")
	s.Route("https://hooks.example.com/second", rc.srv.URL+"/second")
	sameJSON(t, "no webhooks", call(t, s, "GET", "/2/webhooks", "", "bearer").body, `{"data":[],"meta":{"result_count":0}}`)

	for _, c := range []struct {
		name, mode, body, reason string
	}{
		{"http", "ok", `{"url":"http://hooks.example.com/x/webhook"}`, "UrlValidationFailed"},
		{"port", "ok", `{"url":"https://hooks.example.com:443/x/webhook"}`, "UrlValidationFailed"},
		{"empty port", "ok", `{"url":"https://hooks.example.com:/x/webhook"}`, "UrlValidationFailed"},
		{"no scheme", "ok", `{"url":"hooks.example.com/x/webhook"}`, "UrlValidationFailed"},
		{"no host", "ok", `{"url":"https:///x/webhook"}`, "UrlValidationFailed"},
		{"not a URL", "ok", `{"url":"https://hooks example.com/%zz"}`, "UrlValidationFailed"},
		{"no route", "ok", `{"url":"https://nowhere.example.com/hook"}`, "CrcValidationFailed"},
		{"wrong token", "wrong", `{"url":"` + hookURL + `"}`, "CrcValidationFailed"},
		{"CRC 500", "500", `{"url":"` + hookURL + `"}`, "CrcValidationFailed"},
		{"CRC not JSON", "html", `{"url":"` + hookURL + `"}`, "CrcValidationFailed"},
		{"CRC redirect", "redirect", `{"url":"` + hookURL + `"}`, "CrcValidationFailed"},
		{"missing url", "ok", `{}`, ""},
		{"empty url", "ok", `{"url":""}`, ""},
		{"long url", "ok", `{"url":"` + hookURL + "?" + strings.Repeat("a", 200-len(hookURL)) + `"}`, ""},
		{"not JSON", "ok", `url=x`, ""},
	} {
		rc.setMode(c.mode)
		a := call(t, s, "POST", "/2/webhooks", c.body, "bearer")
		if c.reason == "" {
			if a.status != 400 || !strings.Contains(a.body, "invalid-request") {
				t.Errorf("%s: %d %s", c.name, a.status, a.body)
			}
		} else {
			refusedFor(t, c.name, a, c.reason)
		}
		if n := len(s.Webhooks()); n != 0 {
			t.Fatalf("%s: %d webhooks registered", c.name, n)
		}
	}
	if n := rc.crcCount(); n != 4 {
		t.Errorf("%d CRCs made, want 4 (one for each routed, well-formed URL)", n)
	}

	rc.setMode("ok")
	a := call(t, s, "POST", "/2/webhooks", `{"url":"`+hookURL+`?app=1"}`, "bearer")
	sameJSON(t, "created", a.body, `{"data":{"id":"1860000000000000001","url":"`+hookURL+`?app=1","valid":true,"created_at":"2026-12-01T09:00:00.000Z"}}`)
	rc.mu.Lock()
	last, before := rc.crcs[4], rc.crcs[3]
	rc.mu.Unlock()
	if last.Get("app") != "1" || len(last.Get("crc_token")) < 16 || last.Get("crc_token") == before.Get("crc_token") {
		t.Errorf("CRC query %v", last)
	}
	refusedFor(t, "same URL", call(t, s, "POST", "/2/webhooks", `{"url":"`+hookURL+`?app=1"}`, "bearer"), "DuplicateUrlFailed")
	refusedFor(t, "second webhook", call(t, s, "POST", "/2/webhooks", `{"url":"https://hooks.example.com/second"}`, "bearer"), "WebhookLimitExceeded")
	s.SetWebhookLimit(2)
	if a := call(t, s, "POST", "/2/webhooks", `{"url":"https://hooks.example.com/second"}`, "bearer"); a.status != 200 {
		t.Errorf("second webhook under a limit of 2: %d %s", a.status, a.body)
	}
	sameJSON(t, "list", call(t, s, "GET", "/2/webhooks", "", "bearer").body, `{"data":[
		{"id":"1860000000000000001","url":"`+hookURL+`?app=1","valid":true,"created_at":"2026-12-01T09:00:00.000Z"},
		{"id":"1860000000000000002","url":"https://hooks.example.com/second","valid":true,"created_at":"2026-12-01T09:00:00.000Z"}],
		"meta":{"result_count":2}}`)
	if ws := s.Webhooks(); len(ws) != 2 || ws[1].URL != "https://hooks.example.com/second" || !ws[1].Valid || !ws[1].CreatedAt.Equal(fixed) {
		t.Errorf("Webhooks() = %+v", ws)
	}
}

func TestValidateAndDeleteWebhook(t *testing.T) {
	s := newFixed(t)
	rc := newReceiver(t, cred.ConsumerSecret)
	s.Route(hookURL, rc.srv.URL)
	a := call(t, s, "POST", "/2/webhooks", `{"url":"`+hookURL+`"}`, "bearer")
	var created struct{ Data struct{ ID string } }
	if err := json.Unmarshal([]byte(a.body), &created); err != nil || a.status != 200 {
		t.Fatalf("create: %d %s", a.status, a.body)
	}
	id := created.Data.ID
	valid := func(what string, want bool) {
		t.Helper()
		ws := s.Webhooks()
		if len(ws) != 1 || ws[0].Valid != want || !strings.Contains(call(t, s, "GET", "/2/webhooks", "", "bearer").body, `"valid":`+map[bool]string{true: "true", false: "false"}[want]) {
			t.Errorf("%s: webhooks %+v, want valid %v", what, ws, want)
		}
	}
	for _, c := range []struct {
		mode string
		want bool
	}{{"ok", true}, {"wrong", false}, {"500", false}, {"ok", true}} {
		rc.setMode(c.mode)
		sameJSON(t, "PUT "+c.mode, call(t, s, "PUT", "/2/webhooks/"+id, "", "bearer").body, `{"data":{"valid":`+map[bool]string{true: "true", false: "false"}[c.want]+`}}`)
		valid("after PUT "+c.mode, c.want)
	}
	if n := rc.crcCount(); n != 5 {
		t.Errorf("%d CRCs, want 5", n)
	}
	s.SetWebhookValid(id, false)
	valid("SetWebhookValid", false)
	for _, bad := range []string{"1860000000000000099", "abc"} {
		refusedFor(t, "PUT "+bad, call(t, s, "PUT", "/2/webhooks/"+bad, "", "bearer"), "WebhookIdInvalid")
		refusedFor(t, "DELETE "+bad, call(t, s, "DELETE", "/2/webhooks/"+bad, "", "bearer"), "WebhookIdInvalid")
	}

	// Its subscriptions go with it.
	if a := call(t, s, "POST", "/2/account_activity/webhooks/"+id+"/subscriptions/all", `{}`, "oauth"); a.status != 200 {
		t.Fatalf("subscribe: %d %s", a.status, a.body)
	}
	if a := call(t, s, "POST", "/2/activity/subscriptions", `{"event_type":"post.mention.create","filter":{"user_id":"`+UserID+`"},"webhook_id":"`+id+`"}`, "oauth"); a.status != 200 {
		t.Fatalf("XAA subscribe: %d %s", a.status, a.body)
	}
	sameJSON(t, "deleted", call(t, s, "DELETE", "/2/webhooks/"+id, "", "bearer").body, `{"data":{"deleted":true}}`)
	sameJSON(t, "none left", call(t, s, "GET", "/2/webhooks", "", "bearer").body, `{"data":[],"meta":{"result_count":0}}`)
	refusedFor(t, "AAA list of a deleted webhook", call(t, s, "GET", "/2/account_activity/webhooks/"+id+"/subscriptions/all/list", "", "bearer"), "WebhookIdInvalid")
	sameJSON(t, "XAA subscriptions", call(t, s, "GET", "/2/activity/subscriptions", "", "bearer").body, `{"data":[]}`)
	refusedFor(t, "DELETE again", call(t, s, "DELETE", "/2/webhooks/"+id, "", "bearer"), "WebhookIdInvalid")
	func() {
		defer func() {
			if recover() == nil {
				t.Error("SetWebhookValid of a deleted webhook did not panic")
			}
		}()
		s.SetWebhookValid(id, true)
	}()
}
