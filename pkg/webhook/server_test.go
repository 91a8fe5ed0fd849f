package webhook

import (
	"bytes"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestHealthz(t *testing.T) {
	ts := newTestServer(t)
	status, body := do(t, mustRequest(t, http.MethodGet, ts.URL+"/healthz"))
	if status != http.StatusOK || body != "ok" {
		t.Errorf("GET /healthz = %d %q, want 200 ok", status, body)
	}
	if status, _ := do(t, mustRequest(t, http.MethodPost, ts.URL+"/healthz")); status != http.StatusMethodNotAllowed {
		t.Errorf("POST /healthz = %d, want 405", status)
	}
	if status, _ := do(t, mustRequest(t, http.MethodGet, ts.URL+"/other")); status != http.StatusNotFound {
		t.Errorf("GET /other = %d, want 404", status)
	}
	if status, _ := do(t, mustRequest(t, http.MethodGet, ts.URL+"/webhook/extra?crc_token=x")); status != http.StatusNotFound {
		t.Errorf("GET /webhook/extra = %d, want 404: only the exact path is the webhook", status)
	}
}

func TestAccessLogHidesSecrets(t *testing.T) {
	ts := newTestServer(t)
	const token = "crc-token-that-must-not-be-logged"
	if status, _ := do(t, mustRequest(t, http.MethodGet, ts.URL+"/webhook?crc_token="+token)); status != http.StatusOK {
		t.Fatalf("CRC status %d", status)
	}
	body := readFixture(t, "aa_mention.json")
	good := Sign(secret, body)
	bad := Sign("forger", body)
	ts.post(t, bytes.NewReader(body), good)
	ts.post(t, bytes.NewReader(body), bad)

	log := ts.log.String()
	for _, s := range []string{token, secret, strings.TrimPrefix(good, "sha256="), strings.TrimPrefix(bad, "sha256="), CRC(secret, token)} {
		if strings.Contains(log, s) {
			t.Errorf("the log holds %q:\n%s", s, log)
		}
	}
	for _, want := range []string{
		"method=GET path=/webhook status=200",
		"method=POST path=/webhook status=200",
		"method=POST path=/webhook status=401",
		"remote=127.0.0.1:",
	} {
		if !strings.Contains(log, want) {
			t.Errorf("the access log lacks %q:\n%s", want, log)
		}
	}
}

func TestNewServerTimeouts(t *testing.T) {
	s := NewServer(":8080", Mux("/webhook", http.NotFoundHandler()), nil)
	got := []time.Duration{s.ReadHeaderTimeout, s.ReadTimeout, s.WriteTimeout, s.IdleTimeout}
	want := []time.Duration{5 * time.Second, 10 * time.Second, 10 * time.Second, 60 * time.Second}
	for i := range got {
		if got[i] != want[i] {
			t.Errorf("timeouts = %v, want %v", got, want)
			break
		}
	}
	if s.Addr != ":8080" {
		t.Errorf("Addr = %q", s.Addr)
	}
}
