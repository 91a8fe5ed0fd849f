package eventsapi

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/oauth2"
)

const testClientID = "test-client"

// fakeOAuth is an authorization server built from the wire format. It
// checks PKCE (S256) server-side, the redirect URI identity, the client id,
// the scope and the identity provider.
type fakeOAuth struct {
	t   *testing.T
	srv *httptest.Server

	mu sync.Mutex
	// authorize behaviour
	callbackState func(state string) string // rewrites the state sent back
	denyWith      string                    // error= instead of a code
	codes         map[string]pendingCode
	challenges    []string
	refreshTokens map[string]bool
	revoked       []string
	refreshes     int
	seq           int
}

type pendingCode struct {
	challenge, redirect string
}

func newFakeOAuth(t *testing.T) *fakeOAuth {
	f := &fakeOAuth{t: t, codes: map[string]pendingCode{}, refreshTokens: map[string]bool{}}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /oauth2/authorize", f.authorize)
	mux.HandleFunc("POST /oauth2/token", f.token)
	mux.HandleFunc("POST /oauth2/revoke", f.revoke)
	f.srv = httptest.NewServer(mux)
	t.Cleanup(f.srv.Close)
	return f
}

func oauthError(w http.ResponseWriter, status int, code, desc string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]string{"error": code, "error_description": desc})
}

func (f *fakeOAuth) authorize(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	bad := func(msg string) { http.Error(w, msg, http.StatusBadRequest) }
	switch {
	case q.Get("response_type") != "code":
		bad("response_type")
		return
	case q.Get("client_id") != testClientID:
		bad("client_id")
		return
	case q.Get("scope") != "openid email events/access":
		bad("scope " + q.Get("scope"))
		return
	case q.Get("identity_provider") != "AWSBuilderID":
		bad("identity_provider")
		return
	case q.Get("code_challenge_method") != "S256" || q.Get("code_challenge") == "":
		bad("PKCE")
		return
	case q.Get("state") == "":
		bad("state")
		return
	}
	redirect := q.Get("redirect_uri")
	ru, err := url.Parse(redirect)
	if err != nil || ru.Scheme != "http" || ru.Hostname() != "127.0.0.1" || ru.Path != "/callback" {
		bad("redirect_uri " + redirect)
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.challenges = append(f.challenges, q.Get("code_challenge"))
	state := q.Get("state")
	if f.callbackState != nil {
		state = f.callbackState(state)
	}
	v := url.Values{"state": {state}}
	if f.denyWith != "" {
		v.Set("error", f.denyWith)
		v.Set("error_description", "The user denied the request")
	} else {
		f.seq++
		code := fmt.Sprintf("code-%d", f.seq)
		f.codes[code] = pendingCode{challenge: q.Get("code_challenge"), redirect: redirect}
		v.Set("code", code)
	}
	http.Redirect(w, r, redirect+"?"+v.Encode(), http.StatusFound)
}

func (f *fakeOAuth) token(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		oauthError(w, 400, "invalid_request", err.Error())
		return
	}
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/x-www-form-urlencoded") {
		oauthError(w, 400, "invalid_request", "content type "+ct)
		return
	}
	if r.PostForm.Get("client_id") != testClientID {
		oauthError(w, 401, "invalid_client", "client_id")
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	switch r.PostForm.Get("grant_type") {
	case "authorization_code":
		code := r.PostForm.Get("code")
		p, ok := f.codes[code]
		if !ok {
			oauthError(w, 400, "invalid_grant", "unknown code")
			return
		}
		delete(f.codes, code)
		if r.PostForm.Get("redirect_uri") != p.redirect {
			oauthError(w, 400, "invalid_grant", "redirect_uri differs from the authorize request")
			return
		}
		sum := sha256.Sum256([]byte(r.PostForm.Get("code_verifier")))
		if base64.RawURLEncoding.EncodeToString(sum[:]) != p.challenge {
			oauthError(w, 400, "invalid_grant", "PKCE verification failed")
			return
		}
		f.seq++
		rt := fmt.Sprintf("refresh-%d", f.seq)
		f.refreshTokens[rt] = true
		writeJSON(w, map[string]any{
			"access_token": fmt.Sprintf("access-%d", f.seq), "refresh_token": rt,
			"id_token": "id", "token_type": "Bearer", "expires_in": 3600,
		})
	case "refresh_token":
		rt := r.PostForm.Get("refresh_token")
		if !f.refreshTokens[rt] {
			oauthError(w, 400, "invalid_grant", "refresh token revoked or unknown")
			return
		}
		f.refreshes++
		f.seq++
		// Cognito does not rotate refresh tokens: no refresh_token here.
		writeJSON(w, map[string]any{
			"access_token": fmt.Sprintf("access-%d", f.seq), "token_type": "Bearer", "expires_in": 3600,
		})
	default:
		oauthError(w, 400, "unsupported_grant_type", r.PostForm.Get("grant_type"))
	}
}

func (f *fakeOAuth) revoke(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		oauthError(w, 400, "invalid_request", err.Error())
		return
	}
	if r.PostForm.Get("client_id") != testClientID {
		oauthError(w, 400, "invalid_client", "client_id")
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	tok := r.PostForm.Get("token")
	if !f.refreshTokens[tok] {
		oauthError(w, 400, "unsupported_token_type", "unknown token")
		return
	}
	delete(f.refreshTokens, tok)
	f.revoked = append(f.revoked, tok)
	w.WriteHeader(http.StatusOK)
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}

// browser plays the user's browser: it GETs the authorize URL without
// following redirects, then GETs the Location (the loopback callback).
type browser struct {
	mu       sync.Mutex
	status   int
	page     string
	redirect string
}

func (b *browser) open(authURL string) error {
	c := &http.Client{
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		Timeout:       10 * time.Second,
	}
	resp, err := c.Get(authURL)
	if err != nil {
		return err
	}
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusFound {
		return fmt.Errorf("authorize: %s", resp.Status)
	}
	loc := resp.Header.Get("Location")
	b.mu.Lock()
	b.redirect = loc
	b.mu.Unlock()
	resp, err = c.Get(loc)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	b.mu.Lock()
	b.status, b.page = resp.StatusCode, string(body)
	b.mu.Unlock()
	return nil
}

// freePorts reserves n loopback ports by listening on them, and returns the
// ports and a func that releases them.
func freePorts(t *testing.T, n int) ([]int, []net.Listener) {
	t.Helper()
	var ports []int
	var lns []net.Listener
	for range n {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = ln.Close() })
		ports = append(ports, ln.Addr().(*net.TCPAddr).Port)
		lns = append(lns, ln)
	}
	return ports, lns
}

// testLogin returns a Login on two ports; the first is kept busy so that
// the second must be chosen.
func testLogin(t *testing.T, f *fakeOAuth, b *browser) (*Login, int) {
	t.Helper()
	ports, lns := freePorts(t, 2)
	_ = lns[1].Close() // free the second port; the first stays busy
	return &Login{
		OAuthURL: f.srv.URL,
		ClientID: testClientID,
		Ports:    ports,
		OpenURL:  b.open,
		Out:      io.Discard,
		HTTP:     f.srv.Client(),
	}, ports[1]
}

func testCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func TestLoginSuccess(t *testing.T) {
	f := newFakeOAuth(t)
	b := &browser{}
	l, port := testLogin(t, f, b)
	tok, err := l.Run(testCtx(t))
	if err != nil {
		t.Fatal(err)
	}
	if tok.AccessToken == "" || tok.RefreshToken == "" {
		t.Fatalf("tokens = %+v", tok)
	}
	if d := time.Until(tok.Expiry); d < 55*time.Minute || d > 61*time.Minute {
		t.Errorf("expiry in %v, want about 60 min", d)
	}
	if b.status != http.StatusOK || !strings.Contains(b.page, "Signed in") {
		t.Errorf("callback page %d %q", b.status, b.page)
	}
	want := fmt.Sprintf("http://127.0.0.1:%d/callback?", port)
	if !strings.HasPrefix(b.redirect, want) {
		t.Errorf("redirect %q, want prefix %q (first free port)", b.redirect, want)
	}
	// The callback server is shut down afterwards.
	if c, err := net.DialTimeout("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)), time.Second); err == nil {
		_ = c.Close()
		t.Errorf("callback server still listening on %d", port)
	}

	// A second attempt uses a fresh verifier (a fresh challenge).
	b2 := &browser{}
	l.OpenURL = b2.open
	if _, err := l.Run(testCtx(t)); err != nil {
		t.Fatal(err)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.challenges) != 2 || f.challenges[0] == f.challenges[1] {
		t.Errorf("challenges %q: want two different", f.challenges)
	}
}

// TestLoginWrongStateRejected: a callback with another state is refused
// and does not end the sign-in, which goes on to take the real answer.
func TestLoginWrongStateRejected(t *testing.T) {
	f := newFakeOAuth(t)
	b := &browser{}
	l, _ := testLogin(t, f, b)
	forged := 0
	l.OpenURL = func(authURL string) error {
		u, err := url.Parse(authURL)
		if err != nil {
			return err
		}
		cb := u.Query().Get("redirect_uri") + "?state=forged&code=attacker-code"
		resp, err := http.Get(cb)
		if err != nil {
			return err
		}
		resp.Body.Close()
		forged = resp.StatusCode
		return b.open(authURL)
	}
	tok, err := l.Run(testCtx(t))
	if err != nil || tok.AccessToken == "" {
		t.Fatalf("Run = %+v, %v; want the real sign-in to finish after the forged callback", tok, err)
	}
	if forged != http.StatusBadRequest {
		t.Errorf("forged callback answered %d, want 400", forged)
	}
}

func TestLoginAccessDenied(t *testing.T) {
	f := newFakeOAuth(t)
	f.denyWith = "access_denied"
	b := &browser{}
	l, _ := testLogin(t, f, b)
	_, err := l.Run(testCtx(t))
	if err == nil || !strings.Contains(err.Error(), "access_denied") {
		t.Fatalf("err = %v, want access_denied", err)
	}
	if b.status != http.StatusBadRequest || !strings.Contains(b.page, "access_denied") {
		t.Errorf("callback page %d %q", b.status, b.page)
	}
}

func TestLoginAllPortsBusy(t *testing.T) {
	f := newFakeOAuth(t)
	ports, _ := freePorts(t, 6) // all six stay busy
	called := false
	l := &Login{OAuthURL: f.srv.URL, ClientID: testClientID, Ports: ports,
		OpenURL: func(string) error { called = true; return nil }}
	_, err := l.Run(testCtx(t))
	if err == nil {
		t.Fatal("Run succeeded with all ports busy")
	}
	for _, p := range []int{ports[0], ports[5]} {
		if !strings.Contains(err.Error(), strconv.Itoa(p)) {
			t.Errorf("error %q does not name port %d", err, p)
		}
	}
	if !strings.Contains(err.Error(), "in use") || !strings.Contains(err.Error(), "--port") {
		t.Errorf("error %q is not clear", err)
	}
	if called {
		t.Error("browser opened although no callback server runs")
	}
}

func TestLoginPortsDescribedAsRange(t *testing.T) {
	if got := describePorts(DefaultPorts); got != "8484-8489" {
		t.Errorf("describePorts = %q", got)
	}
	l := &Login{Port: 9999, Ports: []int{1, 2}}
	if p := l.ports(); len(p) != 1 || p[0] != 9999 {
		t.Errorf("explicit port ignored: %v", p)
	}
	if p := (&Login{}).ports(); len(p) != 6 || p[0] != 8484 || p[5] != 8489 {
		t.Errorf("default ports %v", p)
	}
}

func TestLoginCancel(t *testing.T) {
	f := newFakeOAuth(t)
	ports, lns := freePorts(t, 1)
	_ = lns[0].Close()
	ctx, cancel := context.WithCancel(context.Background())
	var out strings.Builder
	l := &Login{OAuthURL: f.srv.URL, ClientID: testClientID, Ports: ports, Out: &out,
		OpenURL: func(string) error { cancel(); return nil }}
	_, err := l.Run(ctx)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	// Without OpenURL the URL is printed.
	l.OpenURL = nil
	_, err = l.Run(ctx)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v", err)
	}
	if !strings.Contains(out.String(), f.srv.URL+"/oauth2/authorize?") {
		t.Errorf("URL not printed: %q", out.String())
	}
}

func TestRefresh(t *testing.T) {
	f := newFakeOAuth(t)
	b := &browser{}
	l, _ := testLogin(t, f, b)
	ctx := testCtx(t)
	tok, err := l.Run(ctx)
	if err != nil {
		t.Fatal(err)
	}
	tok.Expiry = time.Now().Add(time.Minute)
	if !tok.NeedsRefresh(time.Now()) {
		t.Error("a token expiring in 1 min must be refreshed")
	}
	ctx = context.WithValue(ctx, oauth2.HTTPClient, f.srv.Client())
	nt, err := Refresh(ctx, f.srv.URL, testClientID, tok)
	if err != nil {
		t.Fatal(err)
	}
	if nt.AccessToken == "" || nt.AccessToken == tok.AccessToken {
		t.Errorf("access token not renewed: %q", nt.AccessToken)
	}
	if nt.RefreshToken != tok.RefreshToken {
		t.Errorf("refresh token %q, want kept %q", nt.RefreshToken, tok.RefreshToken)
	}
	if nt.NeedsRefresh(time.Now()) {
		t.Error("a fresh token needs no refresh")
	}
	f.mu.Lock()
	if f.refreshes != 1 {
		t.Errorf("refreshes = %d", f.refreshes)
	}
	f.mu.Unlock()

	// An unknown refresh token fails with a hint to log in again.
	_, err = Refresh(ctx, f.srv.URL, testClientID, &Tokens{RefreshToken: "nope"})
	if err == nil || !strings.Contains(err.Error(), "invalid_grant") || !strings.Contains(err.Error(), "reinvent login") {
		t.Errorf("err = %v", err)
	}
	if _, err := Refresh(ctx, f.srv.URL, testClientID, &Tokens{AccessToken: "a"}); err == nil {
		t.Error("refresh without refresh token succeeded")
	}
}

func TestRevoke(t *testing.T) {
	f := newFakeOAuth(t)
	f.mu.Lock()
	f.refreshTokens["rt-1"] = true
	f.mu.Unlock()
	ctx := context.WithValue(testCtx(t), oauth2.HTTPClient, f.srv.Client())
	if err := Revoke(ctx, f.srv.URL, testClientID, "rt-1"); err != nil {
		t.Fatal(err)
	}
	f.mu.Lock()
	if len(f.revoked) != 1 || f.revoked[0] != "rt-1" {
		t.Errorf("revoked %v", f.revoked)
	}
	f.mu.Unlock()
	// The revoked token can no longer be refreshed.
	if _, err := Refresh(ctx, f.srv.URL, testClientID, &Tokens{RefreshToken: "rt-1"}); err == nil {
		t.Error("refresh with a revoked token succeeded")
	}
	err := Revoke(ctx, f.srv.URL, testClientID, "rt-1")
	if err == nil || !strings.Contains(err.Error(), "unsupported_token_type") {
		t.Errorf("second revoke: %v", err)
	}
}
