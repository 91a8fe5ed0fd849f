package calendar

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/reinvent-cli/reinvent/internal/atomicfile"
)

// ContentType is the media type the server answers with.
const ContentType = "text/calendar; charset=utf-8"

// Server serves the calendar at /calendar/<token>.ics (Path) to calendar
// clients that subscribe to it (docs/calendar.md): GET and HEAD, with an
// ETag (a hash of the body) and Last-Modified, and 304 Not Modified to a
// matching If-None-Match, or If-Modified-Since when there is no
// If-None-Match. Any other path, or a wrong token, gets 404; another
// method on the right path gets 405. Before the first calendar is written
// the right path gets 503.
type Server struct {
	// Token is the secret part of the path (see Token). A server with no
	// token answers 404 to everything.
	Token string
	// Current returns the calendar's bytes and when they last changed;
	// nil bytes mean no calendar has been written yet. A calendar is
	// never changed in place: a new one is new bytes.
	Current func() (body []byte, modified time.Time)

	// The entity tag of the last body served, hashed once per body
	// rather than once per request.
	mu      sync.Mutex
	tagged  []byte
	lastTag string
}

// Path is the path the calendar is served at.
func (s *Server) Path() string { return "/calendar/" + s.Token + ".ics" }

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !s.authorized(r.URL.Path) {
		http.NotFound(w, r)
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "only GET and HEAD are allowed", http.StatusMethodNotAllowed)
		return
	}
	body, modified := s.Current()
	if body == nil {
		http.Error(w, "no calendar yet: it is written after follow's first run", http.StatusServiceUnavailable)
		return
	}
	h := w.Header()
	h.Set("Content-Type", ContentType)
	h.Set("ETag", s.etag(body))
	// Clients may keep a copy but must ask (with If-None-Match) before
	// using it; shared caches must not keep a URL that holds a secret.
	h.Set("Cache-Control", "private, no-cache")
	h.Set("X-Content-Type-Options", "nosniff")
	// ServeContent answers HEAD, the conditional requests and ranges, and
	// sets Last-Modified (when modified is not zero) and Content-Length.
	http.ServeContent(w, r, "", modified, bytes.NewReader(body))
}

// authorized reports whether path is the calendar's, comparing the token
// in constant time.
func (s *Server) authorized(path string) bool {
	tok, ok := strings.CutPrefix(path, "/calendar/")
	if !ok {
		return false
	}
	if tok, ok = strings.CutSuffix(tok, ".ics"); !ok || s.Token == "" {
		return false
	}
	return subtle.ConstantTimeCompare([]byte(tok), []byte(s.Token)) == 1
}

// etag is etag(body), from the last request's when body is the same
// slice of bytes.
func (s *Server) etag(body []byte) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(body) > 0 && len(body) == len(s.tagged) && &body[0] == &s.tagged[0] {
		return s.lastTag
	}
	s.tagged, s.lastTag = body, etag(body)
	return s.lastTag
}

// etag is a strong entity tag for body: 128 bits of its SHA-256.
func etag(body []byte) string {
	sum := sha256.Sum256(body)
	return `"` + hex.EncodeToString(sum[:16]) + `"`
}

// tokenLen is the length of a token: 128 bits in hex.
const tokenLen = 32

// Token returns the calendar's secret token, kept in the file at path: 32
// lower-case hex digits (128 random bits), created on first use in a
// secret file (mode 0600, written atomically) and read back after that.
// A file wider than 0600 is narrowed. Two processes creating the token at
// once may each return their own: follow calls it under its run lock.
func Token(path string) (string, error) {
	b, _, err := atomicfile.ReadSecret(path)
	switch {
	case err == nil:
		tok := strings.TrimSpace(string(b))
		if !validToken(tok) {
			return "", fmt.Errorf("calendar token file %s does not hold a token (32 hex digits): delete it to make a new one (the calendar's URL changes)", path)
		}
		return tok, nil
	case !errors.Is(err, fs.ErrNotExist):
		return "", fmt.Errorf("read calendar token: %w", err)
	}
	raw := make([]byte, tokenLen/2)
	_, _ = rand.Read(raw) // crypto/rand's Read never fails
	tok := hex.EncodeToString(raw)
	if err := atomicfile.WriteSecret(path, []byte(tok+"\n")); err != nil {
		return "", fmt.Errorf("write calendar token %s: %w", path, err)
	}
	return tok, nil
}

// TokenBeside is Token of the file calendar-token in the directory of the
// store at db, which it makes when missing.
func TokenBeside(db string) (string, error) {
	return Token(filepath.Join(filepath.Dir(db), "calendar-token"))
}

func validToken(tok string) bool {
	if len(tok) != tokenLen {
		return false
	}
	for _, c := range tok {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
}
