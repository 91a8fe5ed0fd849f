package notify_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/reinvent-cli/reinvent/pkg/notify"
)

const genericPath = "hooks/Wh5kTz2Qn-secret"

// A Slack-style JSON webhook: shoutrrr's generic sender with template=json
// POSTs {"title": ..., "message": ...} to the URL's path, over plain HTTP
// with disabletls=yes.
var genericBackend = backend{
	service: "generic",
	start: func(t *testing.T) (string, func() []got, func()) {
		h := &webhook{}
		srv := httptest.NewServer(h)
		t.Cleanup(srv.Close)
		return strings.TrimPrefix(srv.URL, "http://"), h.received, h.refuse
	},
	url: func(hostport string) string {
		return "generic://" + hostport + "/" + genericPath + "?template=json&disabletls=yes"
	},
	secrets: []string{genericPath, "Wh5kTz2Qn-secret"},
}

// webhook is a JSON webhook receiver that wants its secret path.
type webhook struct {
	mu      sync.Mutex
	bodies  []map[string]string
	types   []string
	refused bool
}

func (h *webhook) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if r.Method != http.MethodPost || r.URL.Path != "/"+genericPath {
		http.Error(w, "no hook at "+r.URL.Path, http.StatusNotFound)
		return
	}
	if h.refused {
		http.Error(w, "invalid_token for "+r.URL.Path, http.StatusForbidden)
		return
	}
	raw, _ := io.ReadAll(r.Body)
	var body map[string]string
	if err := json.Unmarshal(raw, &body); err != nil {
		http.Error(w, "invalid_payload", http.StatusBadRequest)
		return
	}
	h.bodies = append(h.bodies, body)
	h.types = append(h.types, r.Header.Get("Content-Type"))
	w.Write([]byte("ok"))
}

func (h *webhook) refuse() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.refused = true
}

func (h *webhook) received() []got {
	h.mu.Lock()
	defer h.mu.Unlock()
	var out []got
	for _, b := range h.bodies {
		out = append(out, got{b["title"], b["message"]})
	}
	return out
}

func TestGenericJSONWebhook(t *testing.T) {
	h := &webhook{}
	srv := httptest.NewServer(h)
	defer srv.Close()
	host := strings.TrimPrefix(srv.URL, "http://")
	sink := open(t, genericBackend.url(host))
	if want := "generic at " + host; sink.Where() != want || sink.Replaces() {
		t.Errorf("Where() = %q, Replaces() = %v; want %q, false", sink.Where(), sink.Replaces(), want)
	}
	if err := sink.Send(context.Background(), notify.Notice{ID: "n", Title: "ARC302 is full", Message: "seats: limited → veryLimited"}); err != nil {
		t.Fatal(err)
	}
	if len(h.bodies) != 1 || h.bodies[0]["title"] != "ARC302 is full" || h.bodies[0]["message"] != "seats: limited → veryLimited" ||
		h.types[0] != "application/json" {
		t.Errorf("the hook received %q as %q", h.bodies, h.types)
	}
}

// slack://, discord:// and telegram:// post to their services' fixed hosts
// over HTTPS, which a loopback server cannot stand in for; their URLs are
// checked here, and their delivery is shoutrrr's (docs/notify.md).
func TestFixedHostServices(t *testing.T) {
	for _, tc := range []struct{ url, where, secret string }{
		{"slack://hook:T0ABCDEFG-B0ABCDEFG-XyZ123abc456def789ghi012@webhook", "slack", "XyZ123abc456def789ghi012"},
		{"discord://Dk3sPq8Vx-token@123456789012345678", "discord", "Dk3sPq8Vx-token"},
		{"telegram://123456:Tg7hJk2Lm-token@telegram?chats=@reinventme", "telegram", "Tg7hJk2Lm-token"},
	} {
		sink, err := notify.Open(tc.url, notify.Options{})
		if err != nil {
			t.Errorf("Open(%q): %v", tc.url, err)
			continue
		}
		if sink.Where() != tc.where || sink.Service() != tc.where {
			t.Errorf("%s: Where() = %q, Service() = %q", tc.where, sink.Where(), sink.Service())
		}
	}
	_, err := notify.Open("slack://hook:Sl4ckBadToken@webhook", notify.Options{})
	if err == nil || !strings.HasPrefix(err.Error(), "slack: ") {
		t.Fatalf("a malformed slack token: error %v", err)
	}
	noSecrets(t, "the error", err.Error(), []string{"Sl4ckBadToken"})
}

// A webhook that never answers holds a send no longer than its context.
func TestGenericSendEndsWithItsContext(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { <-release }))
	defer srv.Close()
	defer close(release)
	sink := open(t, genericBackend.url(strings.TrimPrefix(srv.URL, "http://")))
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	err := sink.Send(ctx, notify.Notice{ID: "n", Message: "m"})
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Send to a webhook that never answers: %v, want context.DeadlineExceeded", err)
	}
	if !strings.HasPrefix(err.Error(), sink.Where()+": ") {
		t.Errorf("error %q", err)
	}
}

// A notice whose send gave up while an earlier call still held the sender
// is pending for the caller, so it must not go out when the sender frees.
func TestGenericAbandonedSendStaysUnsent(t *testing.T) {
	release := make(chan struct{})
	var mu sync.Mutex
	var messages []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var body map[string]string
		json.NewDecoder(r.Body).Decode(&body)
		mu.Lock()
		messages = append(messages, body["message"])
		mu.Unlock()
		<-release
	}))
	defer srv.Close()
	sink := open(t, genericBackend.url(strings.TrimPrefix(srv.URL, "http://")))
	for _, m := range []string{"held", "abandoned"} {
		ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
		if err := sink.Send(ctx, notify.Notice{ID: "n", Message: m}); !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("send %q: %v, want context.DeadlineExceeded", m, err)
		}
		cancel()
	}
	close(release)
	if err := sink.Send(context.Background(), notify.Notice{ID: "n", Message: "later"}); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if !slices.Equal(messages, []string{"held", "later"}) {
		t.Errorf("the hook received %q, want the held send and the later one", messages)
	}
}
