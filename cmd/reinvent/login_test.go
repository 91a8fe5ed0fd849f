package main

import (
	"bufio"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// oauthFake is an authorization server in the wire format of OAuth 2.0
// with PKCE (docs/events-api.md, "Sign-in and tokens"): /oauth2/authorize
// redirects to the redirect_uri with a code and the state, /oauth2/token
// exchanges the code when the verifier matches the S256 challenge and the
// redirect_uri is the authorize request's, character for character.
type oauthFake struct {
	*httptest.Server
	mu        sync.Mutex
	codes     map[string]string // code → challenge
	redirects map[string]string // code → redirect_uri of its authorize request
	used      []string          // codes exchanged
}

func newOAuthFake(t *testing.T) *oauthFake {
	f := &oauthFake{codes: map[string]string{}, redirects: map[string]string{}}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /oauth2/authorize", func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		f.mu.Lock()
		code := "code-" + q.Get("state")[:8]
		f.codes[code] = q.Get("code_challenge")
		f.redirects[code] = q.Get("redirect_uri")
		f.mu.Unlock()
		http.Redirect(w, r, q.Get("redirect_uri")+"?"+url.Values{"code": {code}, "state": {q.Get("state")}}.Encode(), http.StatusFound)
	})
	mux.HandleFunc("POST /oauth2/token", func(w http.ResponseWriter, r *http.Request) {
		_ = r.ParseForm()
		f.mu.Lock()
		defer f.mu.Unlock()
		sum := sha256.Sum256([]byte(r.PostForm.Get("code_verifier")))
		challenge, ok := f.codes[r.PostForm.Get("code")]
		if !ok || base64.RawURLEncoding.EncodeToString(sum[:]) != challenge || r.PostForm.Get("redirect_uri") != f.redirects[r.PostForm.Get("code")] {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusBadRequest)
			_, _ = w.Write([]byte(`{"error":"invalid_grant"}`))
			return
		}
		f.used = append(f.used, r.PostForm.Get("code"))
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{"access_token": "at-1", "refresh_token": "rt-1", "token_type": "Bearer", "expires_in": 3600})
	})
	f.Server = httptest.NewServer(mux)
	t.Cleanup(f.Close)
	return f
}

// TestLoginIgnoresAForgedCallback runs `reinvent login --no-browser`, sends
// its callback a request with another state (as any local page could), and
// sees it refused while the sign-in goes on; the real answer then signs in.
func TestLoginIgnoresAForgedCallback(t *testing.T) {
	f := newOAuthFake(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()

	cmd := command(t, "login", "--no-browser", "--port", strconv.Itoa(port), "--oauth-url", f.URL)
	home := ""
	for _, kv := range cmd.Env {
		if v, ok := strings.CutPrefix(kv, "XDG_DATA_HOME="); ok {
			home = v
		}
	}
	out, err := cmd.StderrPipe() // login talks to the person on stderr
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	sc := bufio.NewScanner(out)
	authURL := ""
	for sc.Scan() {
		if l := strings.TrimSpace(sc.Text()); strings.HasPrefix(l, f.URL) {
			authURL = l
		}
		if strings.HasPrefix(sc.Text(), "Waiting for the sign-in") {
			break
		}
	}
	if authURL == "" {
		t.Fatal("login printed no sign-in URL")
	}
	go func() { // keep reading, so that the login never blocks on stderr
		for sc.Scan() {
		}
	}()
	u, _ := url.Parse(authURL)
	redirect := u.Query().Get("redirect_uri")

	resp, err := http.Get(redirect + "?state=forged&code=attacker")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest {
		t.Errorf("a forged callback answered %d, want 400", resp.StatusCode)
	}

	// The browser's part: follow the authorize redirect to the callback.
	resp, err = http.Get(authURL)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("the real callback answered %d", resp.StatusCode)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("login: %v", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("login did not finish after the real callback")
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.used) != 1 || strings.Contains(strings.Join(f.used, ","), "attacker") {
		t.Errorf("codes exchanged %v, want only the real one", f.used)
	}
	fi, err := os.Stat(filepath.Join(home, "reinvent", "events-api-tokens.json"))
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("token file: %v %v", fi, err)
	}
}

// TestLoginPastedAddressOverSSH runs `reinvent login --no-browser` as on a
// server reached over ssh: the browser on the user's own machine follows
// the sign-in URL to a 127.0.0.1 address that does not load there, and the
// user pastes that address into login. A line that is not the address and
// an address of another sign-in each get a one-line error and login reads
// on; the real address signs in, the code is exchanged with the redirect
// URI of the authorize request, and the code is never printed.
func TestLoginPastedAddressOverSSH(t *testing.T) {
	f := newOAuthFake(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := strconv.Itoa(ln.Addr().(*net.TCPAddr).Port)
	ln.Close()

	if out, _, code := run(t, "login", "--help"); code != 0 || !strings.Contains(out, "ssh -N -L 8484:127.0.0.1:8484") {
		t.Errorf("login --help (exit %d) does not say how to forward the port:\n%s", code, out)
	}

	cmd := command(t, "login", "--no-browser", "--port", port, "--oauth-url", f.URL)
	home := ""
	for _, kv := range cmd.Env {
		if v, ok := strings.CutPrefix(kv, "XDG_DATA_HOME="); ok {
			home = v
		}
	}
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill() })
	lines := make(chan string, 100)
	var said strings.Builder // everything login said, for the checks at the end
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	// next returns the next line that starts with prefix, after the lines
	// before it.
	next := func(prefix string) string {
		t.Helper()
		timeout := time.After(20 * time.Second)
		for {
			select {
			case l, ok := <-lines:
				if !ok {
					t.Fatalf("login ended before saying %q:\n%s", prefix, said.String())
				}
				said.WriteString(l + "\n")
				if strings.HasPrefix(strings.TrimSpace(l), prefix) {
					return strings.TrimSpace(l)
				}
			case <-timeout:
				t.Fatalf("login did not say %q:\n%s", prefix, said.String())
			}
		}
	}
	authURL := next(f.URL)
	next("ssh -N -L " + port + ":127.0.0.1:" + port)
	next("load, paste it here and press Enter.")

	// The browser on the other machine: the redirect's address does not load.
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.Get(authURL)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	address := resp.Header.Get("Location")
	u, err := url.Parse(address)
	if err != nil || u.Query().Get("code") == "" {
		t.Fatalf("the authorize redirect %q carries no code", address)
	}
	code := u.Query().Get("code")
	forged := *u
	q := u.Query()
	q.Set("state", "someone-elses")
	forged.RawQuery = q.Encode()

	for _, step := range []struct{ paste, reply string }{
		{"where do I paste this?", "That is not the address the browser ended on"},
		{forged.String(), "That address belongs to another sign-in"},
	} {
		if _, err := io.WriteString(stdin, step.paste+"\n"); err != nil {
			t.Fatal(err)
		}
		next(step.reply)
	}
	if _, err := io.WriteString(stdin, address+"\n"); err != nil {
		t.Fatal(err)
	}
	next("Signed in to the AWS Events API")
	if err := cmd.Wait(); err != nil {
		t.Fatalf("login: %v\n%s", err, said.String())
	}
	if strings.Contains(said.String(), code) {
		t.Errorf("login printed the code %q:\n%s", code, said.String())
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.used) != 1 || f.used[0] != code {
		t.Errorf("codes exchanged %v, want only %q", f.used, code)
	}
	fi, err := os.Stat(filepath.Join(home, "reinvent", "events-api-tokens.json"))
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("token file: %v %v", fi, err)
	}
}
