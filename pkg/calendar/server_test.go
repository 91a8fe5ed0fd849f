package calendar

import (
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

const testToken = "0123456789abcdef0123456789abcdef"

// published is what a follow run has written, as the server reads it.
type published struct {
	mu       sync.Mutex
	body     []byte
	modified time.Time
}

func (p *published) set(body []byte, modified time.Time) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.body, p.modified = body, modified
}

func (p *published) current() ([]byte, time.Time) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.body, p.modified
}

func serve(t *testing.T, p *published) (*httptest.Server, *Server) {
	t.Helper()
	s := &Server{Token: testToken, Current: p.current}
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	return srv, s
}

func do(t *testing.T, method, url string, header map[string]string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(method, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, string(b)
}

func TestServerServesWithValidators(t *testing.T) {
	entries, o := sampleCalendar()
	body := write(t, entries, o)
	modified := time.Date(2026, time.November, 21, 12, 0, 0, 0, time.UTC)
	p := &published{}
	p.set(body, modified)
	srv, s := serve(t, p)
	url := srv.URL + s.Path()
	if s.Path() != "/calendar/"+testToken+".ics" {
		t.Errorf("Path() = %q", s.Path())
	}

	resp, got := do(t, http.MethodGet, url, nil)
	etag := resp.Header.Get("ETag")
	if resp.StatusCode != http.StatusOK || got != string(body) {
		t.Fatalf("GET: %s, %d bytes; want 200 and the calendar", resp.Status, len(got))
	}
	if ct := resp.Header.Get("Content-Type"); ct != "text/calendar; charset=utf-8" {
		t.Errorf("Content-Type %q", ct)
	}
	if lm := resp.Header.Get("Last-Modified"); lm != "Sat, 21 Nov 2026 12:00:00 GMT" {
		t.Errorf("Last-Modified %q", lm)
	}
	if len(etag) != 34 || etag[0] != '"' || etag[33] != '"' {
		t.Errorf("ETag %q, want a strong tag of 32 hex digits", etag)
	}

	t.Run("If-None-Match", func(t *testing.T) {
		resp, got := do(t, http.MethodGet, url, map[string]string{"If-None-Match": etag})
		if resp.StatusCode != http.StatusNotModified || got != "" || resp.Header.Get("ETag") != etag {
			t.Errorf("%s, body %q, ETag %q; want 304, no body, the same ETag", resp.Status, got, resp.Header.Get("ETag"))
		}
		resp, _ = do(t, http.MethodGet, url, map[string]string{"If-None-Match": `"another"`})
		if resp.StatusCode != http.StatusOK {
			t.Errorf("another tag: %s, want 200", resp.Status)
		}
	})
	t.Run("If-Modified-Since", func(t *testing.T) {
		resp, _ := do(t, http.MethodGet, url, map[string]string{"If-Modified-Since": "Sat, 21 Nov 2026 12:00:00 GMT"})
		if resp.StatusCode != http.StatusNotModified {
			t.Errorf("not modified since: %s, want 304", resp.Status)
		}
		resp, _ = do(t, http.MethodGet, url, map[string]string{"If-Modified-Since": "Sat, 21 Nov 2026 11:59:59 GMT"})
		if resp.StatusCode != http.StatusOK {
			t.Errorf("modified since: %s, want 200", resp.Status)
		}
		// If-None-Match wins over If-Modified-Since (RFC 9110, 13.2.2).
		resp, _ = do(t, http.MethodGet, url, map[string]string{"If-None-Match": `"another"`, "If-Modified-Since": "Sat, 21 Nov 2026 12:00:00 GMT"})
		if resp.StatusCode != http.StatusOK {
			t.Errorf("another tag, not modified since: %s, want 200", resp.Status)
		}
	})
	t.Run("HEAD", func(t *testing.T) {
		resp, got := do(t, http.MethodHead, url, nil)
		if resp.StatusCode != http.StatusOK || got != "" || resp.Header.Get("ETag") != etag ||
			resp.ContentLength != int64(len(body)) || resp.Header.Get("Content-Type") != ContentType {
			t.Errorf("%s, body %q, ETag %q, length %d, type %q", resp.Status, got, resp.Header.Get("ETag"), resp.ContentLength, resp.Header.Get("Content-Type"))
		}
	})
	t.Run("a new calendar", func(t *testing.T) {
		moved := Update(entries, nil, modified.Add(time.Hour))
		p.set(write(t, moved, o), modified.Add(time.Hour))
		resp, got := do(t, http.MethodGet, url, map[string]string{"If-None-Match": etag})
		if resp.StatusCode != http.StatusOK || resp.Header.Get("ETag") == etag || !strings.Contains(got, "STATUS:CANCELLED") {
			t.Errorf("%s, ETag %q; want 200, a new ETag and the new calendar", resp.Status, resp.Header.Get("ETag"))
		}
		if lm := resp.Header.Get("Last-Modified"); lm != "Sat, 21 Nov 2026 13:00:00 GMT" {
			t.Errorf("Last-Modified %q", lm)
		}
	})
}

// Only the calendar's path, with the whole token, is served; anything
// else is 404 as if there were nothing, whatever the method.
func TestServerNotFound(t *testing.T) {
	p := &published{}
	p.set([]byte("BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"), time.Now())
	srv, _ := serve(t, p)
	wrong := "0123456789abcdef0123456789abcdee" // same length, last digit off
	for _, path := range []string{
		"/", "/calendar/", "/calendar/.ics", "/" + testToken + ".ics", "/calendar/" + wrong + ".ics",
		"/calendar/" + testToken, "/calendar/" + testToken + ".ics/", "/calendar/" + testToken + ".ics.bak",
		"/calendar/" + strings.ToUpper(testToken) + ".ics", "/calendar/" + testToken[:31] + ".ics",
		"/calendar/" + testToken + "0.ics", "/x/calendar/" + testToken + ".ics",
	} {
		for _, method := range []string{http.MethodGet, http.MethodHead, http.MethodPost} {
			if resp, _ := do(t, method, srv.URL+path, nil); resp.StatusCode != http.StatusNotFound {
				t.Errorf("%s %s: %s, want 404", method, path, resp.Status)
			}
		}
	}
}

func TestServerMethodNotAllowed(t *testing.T) {
	p := &published{}
	p.set([]byte("BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"), time.Now())
	srv, s := serve(t, p)
	for _, method := range []string{http.MethodPost, http.MethodPut, http.MethodDelete} {
		resp, _ := do(t, method, srv.URL+s.Path(), nil)
		if resp.StatusCode != http.StatusMethodNotAllowed || resp.Header.Get("Allow") != "GET, HEAD" {
			t.Errorf("%s: %s, Allow %q; want 405 and GET, HEAD", method, resp.Status, resp.Header.Get("Allow"))
		}
	}
}

// A server with no token serves nothing, not the path with an empty one.
func TestServerNoToken(t *testing.T) {
	p := &published{}
	p.set([]byte("BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"), time.Now())
	srv := httptest.NewServer(&Server{Current: p.current})
	defer srv.Close()
	if resp, _ := do(t, http.MethodGet, srv.URL+"/calendar/.ics", nil); resp.StatusCode != http.StatusNotFound {
		t.Errorf("%s, want 404", resp.Status)
	}
}

// Before the first run has written a calendar, the right path says so.
func TestServerNotYetWritten(t *testing.T) {
	srv, s := serve(t, &published{})
	resp, body := do(t, http.MethodGet, srv.URL+s.Path(), nil)
	if resp.StatusCode != http.StatusServiceUnavailable || !strings.Contains(body, "first run") {
		t.Errorf("%s %q, want 503 saying the first run writes it", resp.Status, body)
	}
}

func TestToken(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state", "calendar-token")
	tok, err := Token(path)
	if err != nil {
		t.Fatal(err)
	}
	if !validToken(tok) {
		t.Errorf("token %q is not 32 lower-case hex digits", tok)
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("token file mode %v, want 0600", fi.Mode().Perm())
	}
	again, err := Token(path)
	if err != nil || again != tok {
		t.Errorf("second use: %q (%v), want %q", again, err, tok)
	}
	other, err := Token(filepath.Join(t.TempDir(), "calendar-token"))
	if err != nil || other == tok {
		t.Errorf("another file's token %q (%v) is the same as %q", other, err, tok)
	}

	// A file opened up by hand is narrowed, and still read.
	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	if again, err := Token(path); err != nil || again != tok {
		t.Errorf("after chmod 644: %q (%v)", again, err)
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o600 {
		t.Errorf("mode %v not narrowed to 0600", fi.Mode().Perm())
	}
}

// TestTokenBeside: the token is kept in calendar-token beside the store,
// whose directory need not exist yet, and is the same on the next use.
func TestTokenBeside(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "reinvent")
	tok, err := TokenBeside(filepath.Join(dir, "reinvent.db"))
	if err != nil {
		t.Fatal(err)
	}
	if again, err := Token(filepath.Join(dir, "calendar-token")); err != nil || again != tok {
		t.Errorf("calendar-token beside the store holds %q (%v), want %q", again, err, tok)
	}
	if fi, err := os.Stat(dir); err != nil || fi.Mode().Perm() != 0o700 {
		t.Errorf("store directory: %v, %v; want mode 0700", fi, err)
	}
}

// A token file that holds something else is an error saying what to do,
// not a new token that would silently change the URL.
func TestTokenBadFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "calendar-token")
	if err := os.WriteFile(path, []byte("not a token\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := Token(path)
	if err == nil || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), "delete it") || strings.Contains(err.Error(), "\n") {
		t.Errorf("error = %v; want one line naming the file and saying to delete it", err)
	}
	if b, _ := os.ReadFile(path); string(b) != "not a token\n" {
		t.Errorf("the file was changed to %q", b)
	}
}

// Whatever path a request asks for, only the calendar's own is served.
func FuzzServerPath(f *testing.F) {
	for _, seed := range []string{"/calendar/" + testToken + ".ics", "/calendar/.ics", "/", "/calendar/" + testToken + ".ics\x00", "/calendar//" + testToken + ".ics"} {
		f.Add(seed)
	}
	p := &published{}
	p.set([]byte("BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"), time.Now())
	s := &Server{Token: testToken, Current: p.current}
	f.Fuzz(func(t *testing.T, path string) {
		req := httptest.NewRequest(http.MethodGet, "/", nil)
		req.URL.Path = path
		w := httptest.NewRecorder()
		s.ServeHTTP(w, req)
		if want := path == s.Path(); (w.Code == http.StatusOK) != want || !want && w.Code != http.StatusNotFound {
			t.Errorf("%q: %d", path, w.Code)
		}
	})
}
