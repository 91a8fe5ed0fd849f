package fakex

import (
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/reinvent-cli/reinvent/pkg/x"
)

// tokenRequest asks POST /oauth2/token as the docs describe; basic is the
// Authorization header's credentials before base64, body the form.
func tokenRequest(t *testing.T, s *Server, basic, body string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest("POST", s.URL()+"/oauth2/token", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded;charset=UTF-8")
	if basic != "" {
		req.Header.Set("Authorization", "Basic "+base64.StdEncoding.EncodeToString([]byte(basic)))
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, strings.TrimSpace(string(b))
}

func TestBearerToken(t *testing.T) {
	c := x.Credentials{ConsumerKey: "key+1", ConsumerSecret: "sec/ret=", AccessToken: "at", AccessTokenSecret: "ats"}
	s := New(c)
	defer s.Close()
	good := url.QueryEscape(c.ConsumerKey) + ":" + url.QueryEscape(c.ConsumerSecret)
	st, b := tokenRequest(t, s, good, "grant_type=client_credentials")
	var tok struct {
		TokenType   string `json:"token_type"`
		AccessToken string `json:"access_token"`
	}
	if err := json.Unmarshal([]byte(b), &tok); err != nil || st != 200 || tok.TokenType != "bearer" || tok.AccessToken != s.BearerToken() {
		t.Fatalf("token: %d %s", st, b)
	}
	if !strings.Contains(tok.AccessToken, "%2B") || !strings.Contains(tok.AccessToken, "%3D") {
		t.Errorf("token %s has no percent-escapes to keep", tok.AccessToken)
	}
	if st, b2 := tokenRequest(t, s, good, "grant_type=client_credentials"); st != 200 || b2 != b {
		t.Errorf("second request: %d %s, want the same token", st, b2)
	}
	other := New(cred)
	defer other.Close()
	if other.BearerToken() == s.BearerToken() {
		t.Error("the token does not depend on the credentials")
	}

	const refused = `{"errors":[{"code":99,"label":"authenticity_token_error","message":"Unable to verify your credentials"}]}`
	for name, c := range map[string]struct{ basic, body string }{
		"wrong secret":  {url.QueryEscape(c.ConsumerKey) + ":nope", "grant_type=client_credentials"},
		"wrong key":     {"nope:" + url.QueryEscape(c.ConsumerSecret), "grant_type=client_credentials"},
		"no basic":      {"", "grant_type=client_credentials"},
		"no grant_type": {good, ""},
		"other grant":   {good, "grant_type=password"},
		"bad escape":    {"%zz:" + url.QueryEscape(c.ConsumerSecret), "grant_type=client_credentials"},
		// Not RFC 1738-encoded: the "+" of the key reads as a space.
		"key not encoded": {c.ConsumerKey + ":" + url.QueryEscape(c.ConsumerSecret), "grant_type=client_credentials"},
	} {
		if st, b := tokenRequest(t, s, c.basic, c.body); st != 403 {
			t.Errorf("%s: %d %s", name, st, b)
		} else {
			sameJSON(t, name, b, refused)
		}
	}
}

func TestAppOnlyEndpointsRefuseOtherAuth(t *testing.T) {
	s := newFixed(t)
	const invalidToken = `{"errors":[{"message":"Invalid or expired token","code":89}]}`
	for _, auth := range []string{"", "oauth", "Bearer " + s.BearerToken() + "x", "bearer " + s.BearerToken(), "Basic Y2s6Y3M="} {
		for _, r := range []struct{ method, path, body string }{
			{"GET", "/2/webhooks", ""},
			{"POST", "/2/webhooks", `{"url":"https://example.com/hook"}`},
			{"PUT", "/2/webhooks/1860000000000000001", ""},
			{"DELETE", "/2/webhooks/1860000000000000001", ""},
			{"GET", "/2/account_activity/webhooks/1860000000000000001/subscriptions/all/list", ""},
			{"DELETE", "/2/account_activity/webhooks/1860000000000000001/subscriptions/" + UserID + "/all", ""},
		} {
			a := call(t, s, r.method, r.path, r.body, auth)
			if a.status != 401 {
				t.Errorf("%s %s with %.20q: %d %s", r.method, r.path, auth, a.status, a.body)
				continue
			}
			sameJSON(t, r.path, a.body, invalidToken)
		}
	}
}
