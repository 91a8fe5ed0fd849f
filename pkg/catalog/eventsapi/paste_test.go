package eventsapi

import (
	"bytes"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// syncBuffer is an Out that the waiting Run and its reader of pasted
// lines may write at once.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// remoteBrowser plays a browser on another machine: it follows the
// authorize URL to the redirect and stops there, since the loopback
// address does not load; it returns the address the browser ended on.
func remoteBrowser(authURL string) (string, error) {
	c := &http.Client{
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		Timeout:       10 * time.Second,
	}
	resp, err := c.Get(authURL)
	if err != nil {
		return "", err
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusFound {
		return "", fmt.Errorf("authorize: %s", resp.Status)
	}
	return resp.Header.Get("Location"), nil
}

// pasteLogin returns a Login whose browser cannot be opened, as on a
// server, and whose user pastes lines(authURL, address) once the URL is
// printed, then nothing more; the sign-in's output goes to out.
func pasteLogin(t *testing.T, f *fakeOAuth, out io.Writer, lines func(authURL, address string) []string) *Login {
	t.Helper()
	l, _ := testLogin(t, f, &browser{})
	pr, pw := io.Pipe()
	t.Cleanup(func() { pw.Close() })
	l.Paste, l.Out = pr, out
	l.OpenURL = func(authURL string) error {
		address, err := remoteBrowser(authURL)
		if err != nil {
			return err
		}
		go func() {
			for _, line := range lines(authURL, address) {
				if _, err := io.WriteString(pw, line+"\n"); err != nil {
					return
				}
			}
		}()
		return fmt.Errorf("no display")
	}
	return l
}

// TestLoginPastedAddress: on a machine whose callback the browser cannot
// reach, the address the browser ended on, pasted, signs in, with the
// redirect URI of the authorize request (the fake checks it). Garbage, an
// address of another sign-in, and the sign-in URL itself each get a
// one-line error, which never shows the code, and the next line is read.
func TestLoginPastedAddress(t *testing.T) {
	f := newFakeOAuth(t)
	var out syncBuffer
	var code string
	l := pasteLogin(t, f, &out, func(authURL, address string) []string {
		u, _ := url.Parse(address)
		code = u.Query().Get("code")
		other := u.Query()
		other.Set("state", "another-state")
		u.RawQuery = other.Encode()
		return []string{"", "hello", u.String(), authURL, "  " + address + "  "}
	})
	tok, err := l.Run(testCtx(t))
	if err != nil || tok.AccessToken == "" {
		t.Fatalf("Run = %+v, %v; want the pasted address to sign in", tok, err)
	}
	text := out.String()
	for _, want := range []string{
		"If the browser runs on another machine",
		"ssh -N -L " + strconv.Itoa(l.Ports[1]) + ":127.0.0.1:" + strconv.Itoa(l.Ports[1]),
		"paste it here and press Enter",
		"\nThat is not the address the browser ended on:",
		"\nThat address belongs to another sign-in",
		"\nThat address carries no code:",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("output lacks %q:\n%s", want, text)
		}
	}
	if code == "" || strings.Contains(text, code) {
		t.Errorf("the output shows the code %q:\n%s", code, text)
	}
	// The callback server is gone with the sign-in.
	if c, err := net.DialTimeout("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(l.Ports[1])), time.Second); err == nil {
		c.Close()
		t.Errorf("callback server still listening")
	}
}

// TestLoginPastedRefusal: a pasted address that says the user denied the
// sign-in ends it with the server's error.
func TestLoginPastedRefusal(t *testing.T) {
	f := newFakeOAuth(t)
	f.denyWith = "access_denied"
	l := pasteLogin(t, f, io.Discard, func(_, address string) []string { return []string{address} })
	if _, err := l.Run(testCtx(t)); err == nil || !strings.Contains(err.Error(), "access_denied") {
		t.Fatalf("err = %v, want access_denied", err)
	}
}

// TestLoginCallbackWhilePasteWaits: with the paste reader waiting for a
// line that never comes, the browser's redirect to the callback signs in.
func TestLoginCallbackWhilePasteWaits(t *testing.T) {
	f := newFakeOAuth(t)
	b := &browser{}
	l, _ := testLogin(t, f, b)
	pr, pw := io.Pipe()
	t.Cleanup(func() { pw.Close() })
	l.Paste = pr
	tok, err := l.Run(testCtx(t))
	if err != nil || tok.AccessToken == "" {
		t.Fatalf("Run = %+v, %v", tok, err)
	}
	if b.status != http.StatusOK {
		t.Errorf("callback page %d %q", b.status, b.page)
	}
}

// FuzzPastedQuery: the code and state of an address are read back from
// every form a user may paste it in, and no line makes PastedQuery panic.
func FuzzPastedQuery(f *testing.F) {
	f.Add("code-1", "c3RhdGU", uint8(0))
	f.Add("a b&c=d", "st#te?x", uint8(1))
	f.Add("", "", uint8(2))
	f.Add("\"quoted\"", "<angle>", uint8(3))
	f.Add("ü%zz", "'", uint8(4))
	f.Fuzz(func(t *testing.T, code, state string, form uint8) {
		PastedQuery(code) // any line
		q := url.Values{"code": {code}, "state": {state}}.Encode()
		line := []string{
			"http://127.0.0.1:8484/callback?" + q,
			"127.0.0.1:8484/callback?" + q,
			"?" + q,
			q,
			` "http://127.0.0.1:8484/callback?` + q + `#" `,
		}[int(form)%5]
		if form%2 == 1 {
			line += "&junk=%zz" // a pair that cannot be decoded costs only itself
		}
		got := PastedQuery(line)
		if got.Get("code") != code || got.Get("state") != state {
			t.Errorf("PastedQuery(%q) = code %q, state %q; want %q, %q", line, got.Get("code"), got.Get("state"), code, state)
		}
	})
}
