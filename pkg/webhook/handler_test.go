package webhook

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
)

const secret = "test-consumer-secret"

// queue is a Queue that records what it is given and fails while err is set.
type queue struct {
	mu    sync.Mutex
	calls [][]Mention
	err   error
}

func (q *queue) add(_ context.Context, ms []Mention) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.err != nil {
		return q.err
	}
	q.calls = append(q.calls, ms)
	return nil
}

func (q *queue) queued() [][]Mention {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.calls
}

// testServer is a real loopback server running the webhook as serve-webhook would.
type testServer struct {
	*httptest.Server
	queue *queue
	log   *syncBuffer
}

func newTestServer(t *testing.T) *testServer {
	t.Helper()
	ts := &testServer{queue: &queue{}, log: &syncBuffer{}}
	logger := slog.New(slog.NewTextHandler(ts.log, &slog.HandlerOptions{Level: slog.LevelDebug}))
	h := &Handler{ConsumerSecret: secret, BotHandle: bot, Queue: ts.queue.add, Logger: logger}
	ts.Server = httptest.NewUnstartedServer(nil)
	ts.Config = NewServer("", Mux("/webhook", h), logger)
	ts.Start()
	t.Cleanup(ts.Close)
	return ts
}

// post sends body to /webhook with signature (none when empty).
func (ts *testServer) post(t *testing.T, body io.Reader, signature string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, ts.URL+"/webhook", body)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if signature != "" {
		req.Header.Set("x-twitter-webhooks-signature", signature)
	}
	return do(t, req)
}

func do(t *testing.T, req *http.Request) (int, string) {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(b)
}

type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func TestCRCValue(t *testing.T) {
	// Computed outside Go: base64(HMAC-SHA256("test-consumer-secret", "crc-token-123")).
	want := "sha256=m3yscIcSwL62BbDuWy/k/ml4+4Yfj3c0hep3IWko1Ws="
	if got := CRC(secret, "crc-token-123"); got != want {
		t.Errorf("CRC = %q, want %q", got, want)
	}
	if got, want := Sign(secret, []byte(`{"for_user_id":"1"}`)), "sha256=9w8aLiVwL38/RQT2UpgtZWWEeF/QIT5N9L+6p4DQweA="; got != want {
		t.Errorf("Sign = %q, want %q", got, want)
	}
}

func TestCRCEndpoint(t *testing.T) {
	ts := newTestServer(t)
	status, body := do(t, mustRequest(t, http.MethodGet, ts.URL+"/webhook?crc_token=crc-token-123"))
	var got struct {
		ResponseToken string `json:"response_token"`
	}
	if err := json.Unmarshal([]byte(body), &got); status != http.StatusOK || err != nil {
		t.Fatalf("GET crc = %d %s (%v), want 200 JSON", status, body, err)
	}
	if want := "sha256=m3yscIcSwL62BbDuWy/k/ml4+4Yfj3c0hep3IWko1Ws="; got.ResponseToken != want {
		t.Errorf("response_token = %q, want %q", got.ResponseToken, want)
	}
	status, body = do(t, mustRequest(t, http.MethodGet, ts.URL+"/webhook"))
	if status != http.StatusBadRequest || !strings.Contains(body, `"error"`) {
		t.Errorf("GET without crc_token = %d %s, want 400 with a JSON error", status, body)
	}
}

func TestDeliverySigned(t *testing.T) {
	ts := newTestServer(t)
	body := readFixture(t, "aa_batch.json")
	status, resp := ts.post(t, bytes.NewReader(body), Sign(secret, body))
	if status != http.StatusOK {
		t.Fatalf("signed POST = %d %s, want 200", status, resp)
	}
	calls := ts.queue.queued()
	if len(calls) != 1 || len(calls[0]) != 2 || calls[0][0].ID != "1995555000000000001" || calls[0][1].ID != "1995555000000000009" {
		t.Errorf("queued %+v, want one call with the two mentions in order", calls)
	}
}

func TestDeliveryBadSignature(t *testing.T) {
	ts := newTestServer(t)
	body := readFixture(t, "aa_mention.json")
	good := Sign(secret, body)
	for name, sig := range map[string]string{
		"missing":        "",
		"other secret":   Sign("another-secret", body),
		"other body":     Sign(secret, append([]byte(" "), body...)),
		"no prefix":      strings.TrimPrefix(good, "sha256="),
		"not base64":     "sha256=%%%",
		"truncated":      good[:len(good)-4],
		"sha1 prefix":    "sha1=" + strings.TrimPrefix(good, "sha256="),
		"empty mac":      "sha256=",
		"case different": strings.ToUpper(good),
	} {
		status, resp := ts.post(t, bytes.NewReader(body), sig)
		if status != http.StatusUnauthorized || !strings.Contains(resp, `"error"`) {
			t.Errorf("%s signature: %d %s, want 401 with a JSON error", name, status, resp)
		}
	}
	if calls := ts.queue.queued(); len(calls) != 0 {
		t.Errorf("queued %+v after bad signatures, want nothing", calls)
	}
}

// paddedMention is a signed-able delivery with one mention, padded with
// spaces inside the JSON to exactly n bytes.
func paddedMention(t *testing.T, n int) []byte {
	t.Helper()
	body := readFixture(t, "aa_mention.json")
	body = bytes.TrimSpace(body)
	if n < len(body) {
		t.Fatalf("fixture is %d bytes, more than %d", len(body), n)
	}
	out := make([]byte, 0, n)
	out = append(out, body[:len(body)-1]...)
	out = append(out, bytes.Repeat([]byte(" "), n-len(body))...)
	return append(out, '}')
}

func TestDeliverySizeLimit(t *testing.T) {
	ts := newTestServer(t)
	exact := paddedMention(t, MaxBodyBytes)
	status, resp := ts.post(t, bytes.NewReader(exact), Sign(secret, exact))
	if status != http.StatusOK || len(ts.queue.queued()) != 1 {
		t.Fatalf("POST of exactly 1 MiB = %d %s with %d queue calls, want 200 and queued", status, resp, len(ts.queue.queued()))
	}
	over := paddedMention(t, MaxBodyBytes+1)
	status, resp = ts.post(t, bytes.NewReader(over), Sign(secret, over))
	if status != http.StatusRequestEntityTooLarge {
		t.Errorf("POST of 1 MiB + 1 = %d %s, want 413", status, resp)
	}
	// Without a Content-Length (chunked), the limit holds while reading.
	status, resp = ts.post(t, io.MultiReader(bytes.NewReader(over)), Sign(secret, over))
	if status != http.StatusRequestEntityTooLarge {
		t.Errorf("chunked POST of 1 MiB + 1 = %d %s, want 413", status, resp)
	}
	if n := len(ts.queue.queued()); n != 1 {
		t.Errorf("%d queue calls, want only the one of the 1 MiB delivery", n)
	}
}

func TestDeliveryMalformed(t *testing.T) {
	ts := newTestServer(t)
	body := []byte(`{"for_user_id":"1","tweet_create_events":[{"id_str":"1"`)
	status, resp := ts.post(t, bytes.NewReader(body), Sign(secret, body))
	if status != http.StatusBadRequest || !strings.Contains(resp, `"error"`) {
		t.Errorf("malformed POST = %d %s, want 400 with a JSON error", status, resp)
	}
	if calls := ts.queue.queued(); len(calls) != 0 {
		t.Errorf("queued %+v, want nothing", calls)
	}
}

func TestDeliveryQueueFailure(t *testing.T) {
	ts := newTestServer(t)
	ts.queue.err = errors.New("database is locked")
	body := readFixture(t, "aa_mention.json")
	status, resp := ts.post(t, bytes.NewReader(body), Sign(secret, body))
	if status != http.StatusInternalServerError || !strings.Contains(resp, `"error"`) {
		t.Errorf("POST with a failing queue = %d %s, want 500", status, resp)
	}
	// X redelivers; once the queue works the same delivery is accepted.
	ts.queue.mu.Lock()
	ts.queue.err = nil
	ts.queue.mu.Unlock()
	if status, resp := ts.post(t, bytes.NewReader(body), Sign(secret, body)); status != http.StatusOK {
		t.Errorf("redelivery = %d %s, want 200", status, resp)
	}
}

func TestDeliveryWithoutMentions(t *testing.T) {
	ts := newTestServer(t)
	for _, name := range []string{"aa_favorite.json", "v2_follow.json", "aa_own.json"} {
		body := readFixture(t, name)
		if status, resp := ts.post(t, bytes.NewReader(body), Sign(secret, body)); status != http.StatusOK {
			t.Errorf("%s: %d %s, want 200", name, status, resp)
		}
	}
	if calls := ts.queue.queued(); len(calls) != 0 {
		t.Errorf("Queue called with %+v, want never for deliveries without mentions", calls)
	}
}

func TestMethodNotAllowed(t *testing.T) {
	ts := newTestServer(t)
	resp, err := http.DefaultClient.Do(mustRequest(t, http.MethodPut, ts.URL+"/webhook"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed || !strings.Contains(resp.Header.Get("Allow"), "POST") {
		t.Errorf("PUT = %d Allow %q, want 405 allowing GET and POST", resp.StatusCode, resp.Header.Get("Allow"))
	}
}

func TestUnconfiguredHandlerRefuses(t *testing.T) {
	// With no consumer secret anyone could sign a delivery, so nothing is accepted.
	q := &queue{}
	h := &Handler{BotHandle: bot, Queue: q.add}
	body := readFixture(t, "aa_mention.json")
	req := httptest.NewRequest(http.MethodPost, "/webhook", bytes.NewReader(body))
	req.Header.Set(SignatureHeader, Sign("", body))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusInternalServerError || len(q.queued()) != 0 {
		t.Errorf("POST to a handler without a secret = %d, %d queued; want 500, none", rec.Code, len(q.queued()))
	}
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/webhook?crc_token=x", nil))
	if rec.Code != http.StatusInternalServerError {
		t.Errorf("CRC on a handler without a secret = %d, want 500", rec.Code)
	}
}

func mustRequest(t *testing.T, method, url string) *http.Request {
	t.Helper()
	req, err := http.NewRequest(method, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	return req
}

// TestDeliveryRepeatsAMention queues, and counts, a mention that one
// delivery lists many times once.
func TestDeliveryRepeatsAMention(t *testing.T) {
	ts := newTestServer(t)
	one := `{"id_str":"7001","text":"@reinventbot SVS401","user":{"id_str":"5","screen_name":"eve"},"entities":{"user_mentions":[{"screen_name":"reinventbot"}]}}`
	body := []byte(`{"for_user_id":"99","tweet_create_events":[` + strings.Repeat(one+",", 999) + one + `]}`)
	status, resp := ts.post(t, bytes.NewReader(body), Sign(secret, body))
	if status != http.StatusOK || !strings.Contains(resp, `"queued":1`) {
		t.Fatalf("POST = %d %s, want 200 and queued 1", status, resp)
	}
	if calls := ts.queue.queued(); len(calls) != 1 || len(calls[0]) != 1 {
		t.Errorf("queued %+v, want one mention", calls)
	}
}

// TestDeliveryBadScreenName drops a mention whose author's screen name is
// not an X handle, so that a reply never mentions a second account.
func TestDeliveryBadScreenName(t *testing.T) {
	ts := newTestServer(t)
	mk := func(id, name string) string {
		return `{"id_str":"` + id + `","text":"@reinventbot SVS401","user":{"id_str":"5","screen_name":` + strconv.Quote(name) + `},"entities":{"user_mentions":[{"screen_name":"reinventbot"}]}}`
	}
	body := []byte(`{"for_user_id":"99","tweet_create_events":[` + mk("8001", "eve @victim2") + `,` + mk("8002", "waytoolonghandle16") + `,` + mk("8003", "ok_name_15chars") + `]}`)
	status, resp := ts.post(t, bytes.NewReader(body), Sign(secret, body))
	if status != http.StatusOK || !strings.Contains(resp, `"queued":1`) {
		t.Fatalf("POST = %d %s", status, resp)
	}
	if calls := ts.queue.queued(); len(calls) != 1 || len(calls[0]) != 1 || calls[0][0].ID != "8003" {
		t.Errorf("queued %+v, want only 8003", calls)
	}
}

func TestValidHandle(t *testing.T) {
	for s, want := range map[string]bool{"a": true, "reinvent_bot": true, "ABCdef123456789": true, "": false,
		"abcdefghijklmnop": false, "eve @victim2": false, "ève": false, "a-b": false, "@eve": false} {
		if ValidHandle(s) != want {
			t.Errorf("ValidHandle(%q) = %v", s, !want)
		}
	}
	if got := HelpText("eve @victim2", "bot"); strings.Contains(got, "victim2") || strings.HasPrefix(got, "@") {
		t.Errorf("help text %q", got)
	}
}

// TestOAuth2ClientSecret: with the app's OAuth 2.0 client secret set, the
// CRC is answered with it, and a delivery signed with it in
// X-Twitter-Webhooks-Signature-OAuth2 is accepted, as well as one with
// the legacy header; a wrong OAuth 2.0 signature alone is refused.
func TestOAuth2ClientSecret(t *testing.T) {
	const client = "test-oauth2-client-secret"
	q := &queue{}
	h := &Handler{ConsumerSecret: secret, ClientSecret: client, BotHandle: bot, Queue: q.add}
	srv := httptest.NewServer(Mux("/webhook", h))
	defer srv.Close()

	status, body := do(t, mustRequest(t, http.MethodGet, srv.URL+"/webhook?crc_token=crc-token-123"))
	if want := CRC(client, "crc-token-123"); status != 200 || !strings.Contains(body, strconv.Quote(want)) {
		t.Errorf("CRC = %d %s; want the token made with the client secret, %s", status, body, want)
	}
	payload := readFixture(t, "v2_mention.json")
	for _, c := range []struct {
		name    string
		headers map[string]string
		want    int
	}{
		{"OAuth 2.0 header alone", map[string]string{OAuth2SignatureHeader: Sign(client, payload)}, 200},
		{"legacy header alone", map[string]string{SignatureHeader: Sign(secret, payload)}, 200},
		{"both", map[string]string{OAuth2SignatureHeader: Sign(client, payload), SignatureHeader: Sign(secret, payload)}, 200},
		{"OAuth 2.0 header made with the consumer secret", map[string]string{OAuth2SignatureHeader: Sign(secret, payload)}, 401},
		{"legacy header made with the client secret", map[string]string{SignatureHeader: Sign(client, payload)}, 401},
		{"none", nil, 401},
	} {
		req, _ := http.NewRequest(http.MethodPost, srv.URL+"/webhook", bytes.NewReader(payload))
		for k, v := range c.headers {
			req.Header.Set(k, v)
		}
		if status, body := do(t, req); status != c.want {
			t.Errorf("%s: %d %s, want %d", c.name, status, body, c.want)
		}
	}
	// Without a client secret the OAuth 2.0 header proves nothing.
	h2 := &Handler{ConsumerSecret: secret, BotHandle: bot, Queue: q.add}
	srv2 := httptest.NewServer(Mux("/webhook", h2))
	defer srv2.Close()
	req, _ := http.NewRequest(http.MethodPost, srv2.URL+"/webhook", bytes.NewReader(payload))
	req.Header.Set(OAuth2SignatureHeader, Sign("", payload))
	if status, _ := do(t, req); status != 401 {
		t.Errorf("an OAuth 2.0 signature with no client secret configured: %d, want 401", status)
	}
}
