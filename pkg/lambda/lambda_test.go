package lambda

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambdacontext"

	fakex "github.com/reinvent-cli/reinvent/internal/fake/x"
	"github.com/reinvent-cli/reinvent/internal/testenv"
	"github.com/reinvent-cli/reinvent/pkg/catalog"
	"github.com/reinvent-cli/reinvent/pkg/catalog/sample"
	"github.com/reinvent-cli/reinvent/pkg/retry"
	"github.com/reinvent-cli/reinvent/pkg/schedule"
	"github.com/reinvent-cli/reinvent/pkg/store"
	"github.com/reinvent-cli/reinvent/pkg/webhook"
	"github.com/reinvent-cli/reinvent/pkg/x"
)

var cred = x.Credentials{ConsumerKey: "ck", ConsumerSecret: "cs", AccessToken: "at", AccessTokenSecret: "ats"}

var sampleCatalog = sync.OnceValue(func() *catalog.Catalog {
	cat, err := sample.Source{}.Fetch(context.Background(), catalog.FetchOptions{Location: testenv.Vegas})
	if err != nil {
		panic(err)
	}
	return cat
})

// rig is one function of a handler on a real SQLite store, posting to and
// reading from a fake X, its JSON log kept.
type rig struct {
	t    *testing.T
	st   *store.Store
	x    *fakex.Server
	logs *syncBuffer
	d    Deps
}

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

func newRig(t *testing.T) *rig {
	t.Helper()
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "reinvent.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	fx := fakex.New(cred)
	t.Cleanup(fx.Close)
	fx.SetBot("reinventbot")
	client := x.NewClient(fx.URL(), cred)
	client.Retry = retry.Policy{Attempts: 2, Sleep: func(context.Context, time.Duration) error { return nil }}
	r := &rig{t: t, st: st, x: fx, logs: &syncBuffer{}}
	r.d = Deps{
		Store: st, Poster: client, Timeline: client,
		KeepCatalog: func(ctx context.Context, set func(*catalog.Catalog)) (func(), error) {
			set(sampleCatalog())
			return func() {}, nil
		},
		Logger: slog.New(slog.NewJSONHandler(r.logs, nil)),
	}
	return r
}

func options(handler string) Options {
	return Options{
		Handler: handler, Path: "/webhook", BotHandle: "reinventbot", ConsumerSecret: cred.ConsumerSecret,
		UserLimit: 5, Plan: schedule.Options{Location: testenv.Vegas, UnknownTravel: 30 * time.Minute},
	}
}

func (r *rig) function(o Options) *Function {
	r.t.Helper()
	f, err := New(context.Background(), r.d, o)
	if err != nil {
		r.t.Fatal(err)
	}
	r.t.Cleanup(f.Close)
	return f
}

// invoke calls f as the runtime loop does: with the request id in the
// context and a deadline 30 s away.
func invoke(t *testing.T, f *Function, id string, payload []byte) ([]byte, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	ctx = lambdacontext.NewContext(ctx, &lambdacontext.LambdaContext{AwsRequestID: id})
	return f.Invoke(ctx, payload)
}

func fixture(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// httpEvent is the fixture name (a function URL or HTTP API event) with
// method, query, body and headers set as X would send them.
func httpEvent(t *testing.T, name, method, query string, body []byte, b64 bool, headers map[string]string) []byte {
	t.Helper()
	var ev map[string]any
	if err := json.Unmarshal(fixture(t, name), &ev); err != nil {
		t.Fatal(err)
	}
	ev["rawQueryString"] = query
	ev["requestContext"].(map[string]any)["http"].(map[string]any)["method"] = method
	ev["isBase64Encoded"] = b64
	if b64 {
		ev["body"] = base64.StdEncoding.EncodeToString(body)
	} else {
		ev["body"] = string(body)
	}
	h := ev["headers"].(map[string]any)
	for k, v := range headers {
		h[k] = v
	}
	out, _ := json.Marshal(ev)
	return out
}

// delivery is an Account Activity delivery of one mention of the bot.
func delivery(id, user, text string) []byte {
	return fmt.Appendf(nil, `{"for_user_id":"1460000000000000001","tweet_create_events":[{"id_str":%q,"text":%q,"truncated":false,`+
		`"user":{"id_str":"1187000000000000042","screen_name":%q},"entities":{"user_mentions":[{"screen_name":"reinventbot","id_str":"1460000000000000001"}]},`+
		`"created_at":"Mon Dec 07 07:00:00 +0000 2026"}]}`, id, text, user)
}

func signed(body []byte) map[string]string {
	return map[string]string{"x-twitter-webhooks-signature": fakex.WebhookSignature(cred.ConsumerSecret, body)}
}

// response reads a function URL answer.
func response(t *testing.T, b []byte) events.APIGatewayV2HTTPResponse {
	t.Helper()
	var resp events.APIGatewayV2HTTPResponse
	if err := json.Unmarshal(b, &resp); err != nil {
		t.Fatalf("answer %s: %v", b, err)
	}
	return resp
}

// TestWebhookCRC: X's CRC GET through a function URL gets serve-webhook's
// answer, the response token of the consumer secret.
func TestWebhookCRC(t *testing.T) {
	r := newRig(t)
	f := r.function(options(Webhook))
	out, err := invoke(t, f, "req-crc", httpEvent(t, "function_url.json", "GET", "crc_token=challenge", nil, false, nil))
	if err != nil {
		t.Fatal(err)
	}
	resp := response(t, out)
	want := `{"response_token":"` + webhook.CRC(cred.ConsumerSecret, "challenge") + `"}`
	if resp.StatusCode != 200 || strings.TrimSpace(resp.Body) != want || resp.Headers["Content-Type"] != "application/json" {
		t.Fatalf("CRC answer %d %q %v, want 200 %s", resp.StatusCode, resp.Body, resp.Headers, want)
	}
}

// TestWebhookStatusCodes: the function answers as serve-webhook does: a
// delivery with a bad or missing signature 401, one that is not JSON 400,
// one over 1 MiB 413, another path 404, and queues nothing for them.
func TestWebhookStatusCodes(t *testing.T) {
	r := newRig(t)
	f := r.function(options(Webhook))
	body := delivery("1995000000000000001", "alice", "@reinventbot svs215")
	big := bytes.Repeat([]byte(" "), webhook.MaxBodyBytes+1)
	cases := []struct {
		name  string
		event []byte
		want  int
	}{
		{"missing signature", httpEvent(t, "function_url.json", "POST", "", body, false, nil), 401},
		{"bad signature", httpEvent(t, "function_url.json", "POST", "", body, false, signed([]byte("other"))), 401},
		{"not JSON", httpEvent(t, "function_url.json", "POST", "", []byte("{nope"), false, signed([]byte("{nope"))), 400},
		{"over 1 MiB", httpEvent(t, "function_url.json", "POST", "", big, true, signed(big)), 413},
		{"another path", bytes.Replace(httpEvent(t, "function_url.json", "POST", "", body, false, signed(body)), []byte(`"rawPath":"/webhook"`), []byte(`"rawPath":"/other"`), 1), 404},
		{"not an HTTP event", fixture(t, "scheduler.json"), 400},
	}
	for _, c := range cases {
		out, err := invoke(t, f, "req-"+c.name, c.event)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if resp := response(t, out); resp.StatusCode != c.want {
			t.Errorf("%s: %d %s, want %d", c.name, resp.StatusCode, resp.Body, c.want)
		}
	}
	if job, err := r.st.JobByID(context.Background(), "1995000000000000001"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("a refused delivery was queued: %+v, %v", job, err)
	}
}

// TestWebhookQueuesOnceThenWorkerAnswersOnce: a signed delivery through a
// function URL, then its redelivery base64-encoded and through an HTTP API
// stage, are both answered 200 and queue the mention once; a stream event
// wakes the worker, which answers it with one thread, and a second stream
// event posts nothing more. Each invocation logs one JSON line with its
// request id, handler, outcome and duration.
func TestWebhookQueuesOnceThenWorkerAnswersOnce(t *testing.T) {
	r := newRig(t)
	hook := r.function(options(Webhook))
	const id = "1995000000000000001"
	r.x.Exists(id)
	body := delivery(id, "alice", "@reinventbot make a schedule that includes svs215 con213")
	for i, ev := range [][]byte{
		httpEvent(t, "function_url.json", "POST", "", body, false, signed(body)),
		httpEvent(t, "function_url.json", "POST", "", body, true, signed(body)),
		httpEvent(t, "http_api.json", "POST", "", body, true, signed(body)),
	} {
		out, err := invoke(t, hook, fmt.Sprintf("req-hook-%d", i), ev)
		if err != nil {
			t.Fatal(err)
		}
		if resp := response(t, out); resp.StatusCode != 200 {
			t.Fatalf("delivery %d: %d %s", i, resp.StatusCode, resp.Body)
		}
	}
	job, err := r.st.JobByID(context.Background(), id)
	if err != nil || job.User != "alice" || job.State != store.JobPending {
		t.Fatalf("queued job %+v, %v", job, err)
	}

	work := r.function(options(Worker))
	for i := range 2 {
		out, err := invoke(t, work, fmt.Sprintf("req-work-%d", i), fixture(t, "dynamodb_stream.json"))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(out), `"outcome":"drained"`) {
			t.Errorf("worker answer %s", out)
		}
	}
	var replies []fakex.Post
	for _, p := range r.x.Posts() {
		if strings.Contains(p.Text, "@alice") {
			replies = append(replies, p)
		}
	}
	if len(replies) == 0 || replies[0].InReplyTo != id {
		t.Fatalf("posts %+v: want one thread replying to %s", r.x.Posts(), id)
	}
	if job, _ := r.st.JobByID(context.Background(), id); job.State != store.JobDone || len(job.Replies) != len(replies) {
		t.Errorf("job %+v after the worker; %d replies posted", job, len(replies))
	}

	lines := invocationLines(t, r.logs.String())
	if len(lines) != 5 {
		t.Fatalf("%d invocation lines, want 5 (3 webhook, 2 worker):\n%s", len(lines), r.logs)
	}
	for i, l := range lines {
		if l["request_id"] == "" || l["handler"] == nil || l["outcome"] == nil || l["duration_ms"] == nil {
			t.Errorf("line %d lacks a field: %v", i, l)
		}
	}
	if lines[0]["request_id"] != "req-hook-0" || lines[0]["outcome"] != "200" || lines[3]["handler"] != "worker" || lines[3]["trigger"] != "stream" {
		t.Errorf("lines %v", lines)
	}
}

// invocationLines returns the JSON log lines of invocations.
func invocationLines(t *testing.T, log string) []map[string]any {
	t.Helper()
	var out []map[string]any
	for line := range strings.SplitSeq(strings.TrimSpace(log), "\n") {
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatalf("log line is not JSON: %q", line)
		}
		if m["msg"] == "invocation" {
			out = append(out, m)
		}
	}
	return out
}

// TestWorkerLeavesAHeldQueue: while X's post rate limit holds (a hold in
// the store, as another copy wrote it), a scheduler event posts nothing
// and says the queue is held.
func TestWorkerLeavesAHeldQueue(t *testing.T) {
	r := newRig(t)
	const id = "1995000000000000002"
	r.x.Exists(id)
	if _, err := r.st.Enqueue(context.Background(), store.Job{ID: id, UserID: "u1", User: "bob", Text: "@reinventbot svs215",
		Kind: store.KindSchedule, NextAt: time.Now(), CreatedAt: time.Now()}, 5, time.Hour); err != nil {
		t.Fatal(err)
	}
	if err := r.st.Hold(context.Background(), store.HoldPosts, time.Now().Add(10*time.Minute)); err != nil {
		t.Fatal(err)
	}
	work := r.function(options(Worker))
	out, err := invoke(t, work, "req-held", fixture(t, "scheduler.json"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(out), `"outcome":"held"`) || r.x.Count() != 0 {
		t.Fatalf("answer %s with %d posts, want held and none", out, r.x.Count())
	}
}

// TestScheduleEventPollsOnce: a scheduler event reads the mention
// timeline once and queues what it finds; the next event reads on from
// the saved cursor and queues nothing twice, and reads the bot's account
// no more (X bills each read).
func TestScheduleEventPollsOnce(t *testing.T) {
	r := newRig(t)
	me := &countMe{Timeline: r.d.Timeline}
	r.d.Timeline = me
	o := options(Schedule)
	o.Poll = true
	f := r.function(o)
	id := r.x.AddMention(fakex.Mention{AuthorID: "42", Username: "carol", Text: "@reinventbot svs215"})
	for i := range 2 {
		out, err := invoke(t, f, fmt.Sprintf("req-tick-%d", i), fixture(t, "scheduler.json"))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(out), `"outcome":"polled"`) {
			t.Fatalf("answer %s", out)
		}
	}
	job, err := r.st.JobByID(context.Background(), id)
	if err != nil || job.User != "carol" {
		t.Fatalf("polled mention %+v, %v", job, err)
	}
	if cur, _ := r.st.Cursor(context.Background(), "x/mentions"); !strings.Contains(cur, id) {
		t.Errorf("cursor %q does not stand at %s", cur, id)
	}
	if me.n.Load() != 1 {
		t.Errorf("GET /2/users/me read %d times in two events, want once", me.n.Load())
	}
}

// countMe counts the reads of the bot's account.
type countMe struct {
	webhook.Timeline
	n atomic.Int32
}

func (c *countMe) Me(ctx context.Context) (x.User, error) {
	c.n.Add(1)
	return c.Timeline.Me(ctx)
}

// TestScheduleEventWatches: a scheduler event runs watch once; another
// copy's watch holding the lock is no failure, a failed watch is.
func TestScheduleEventWatches(t *testing.T) {
	r := newRig(t)
	var runs atomic.Int32
	var fail atomic.Pointer[error]
	r.d.Watch = func(context.Context) error {
		runs.Add(1)
		if e := fail.Load(); e != nil {
			return *e
		}
		return nil
	}
	o := options(Schedule)
	o.Watch = true
	f := r.function(o)
	if out, err := invoke(t, f, "req-w1", fixture(t, "scheduler.json")); err != nil || !strings.Contains(string(out), `"outcome":"watched"`) {
		t.Fatalf("answer %s, %v", out, err)
	}
	locked := fmt.Errorf("lock: %w", store.ErrLocked)
	fail.Store(&locked)
	if _, err := invoke(t, f, "req-w2", fixture(t, "scheduler.json")); err != nil {
		t.Fatalf("a watch run by another copy: %v", err)
	}
	down := errors.New("fetch the catalog: 503")
	fail.Store(&down)
	if _, err := invoke(t, f, "req-w3", fixture(t, "scheduler.json")); err == nil || !strings.Contains(err.Error(), "503") {
		t.Fatalf("a failed watch: %v", err)
	}
	if runs.Load() != 3 {
		t.Errorf("%d watch runs, want 3", runs.Load())
	}
}

// TestOptionsCheck: a missing or unknown handler, and a schedule handler
// with nothing to do, are one-line errors naming the fix.
func TestOptionsCheck(t *testing.T) {
	for _, c := range []struct {
		o    Options
		want string
	}{
		{Options{}, "set _HANDLER"},
		{Options{Handler: "webhooks", Path: "/webhook"}, `unknown handler "webhooks"`},
		{Options{Handler: Schedule}, "REINVENT_WATCH"},
		{Options{Handler: Webhook, Path: "webhook"}, "must start with /"},
	} {
		err := c.o.Check()
		if err == nil || !strings.Contains(err.Error(), c.want) || strings.Contains(err.Error(), "\n") {
			t.Errorf("%+v: %v, want one line with %q", c.o, err, c.want)
		}
	}
	if err := options(Worker).Check(); err != nil {
		t.Errorf("worker: %v", err)
	}
}

// FuzzWebhookEvent: whatever event the function is handed, the webhook
// handler answers with one of serve-webhook's status codes and never an
// error Lambda would retry.
func FuzzWebhookEvent(f *testing.F) {
	for _, name := range []string{"function_url.json", "http_api.json", "dynamodb_stream.json", "scheduler.json"} {
		b, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(`{"requestContext":{"http":{"method":"GET"}},"rawPath":"/webhook","rawQueryString":"crc_token=%zz"}`))
	f.Add([]byte(`{"requestContext":{"http":{"method":"POST"}},"rawPath":"/webhook","isBase64Encoded":true,"body":"!!"}`))
	st, err := store.Open(context.Background(), filepath.Join(f.TempDir(), "reinvent.db"))
	if err != nil {
		f.Fatal(err)
	}
	defer st.Close()
	fn, err := New(context.Background(), Deps{Store: st}, options(Webhook))
	if err != nil {
		f.Fatal(err)
	}
	allowed := map[int]bool{200: true, 400: true, 401: true, 404: true, 405: true, 413: true}
	f.Fuzz(func(t *testing.T, payload []byte) {
		out, err := fn.Invoke(context.Background(), payload)
		if err != nil {
			t.Fatalf("error %v", err)
		}
		var resp events.APIGatewayV2HTTPResponse
		if err := json.Unmarshal(out, &resp); err != nil || !allowed[resp.StatusCode] {
			t.Fatalf("answer %s (%v)", out, err)
		}
	})
}

// TestWorkerTakesBackAJobAfterItsLease: a mention claimed by a copy that
// died in the middle of its invocation (leased, as the worker leases, to
// that invocation's deadline and a second) is left alone while the lease
// lasts and answered by the first worker invocation after it.
func TestWorkerTakesBackAJobAfterItsLease(t *testing.T) {
	r := newRig(t)
	var clock atomic.Pointer[time.Time]
	now := time.Now()
	clock.Store(&now)
	r.d.Now = func() time.Time { return *clock.Load() }
	const id = "1995000000000000003"
	r.x.Exists(id)
	if _, err := r.st.Enqueue(context.Background(), store.Job{ID: id, UserID: "u1", User: "dave", Text: "@reinventbot svs215",
		Kind: store.KindSchedule, NextAt: now, CreatedAt: now}, 5, time.Hour); err != nil {
		t.Fatal(err)
	}
	if _, err := r.st.Claim(context.Background(), now, 31*time.Second); err != nil { // the dead copy's claim
		t.Fatal(err)
	}
	work := r.function(options(Worker))
	if _, err := invoke(t, work, "req-early", fixture(t, "scheduler.json")); err != nil {
		t.Fatal(err)
	}
	if r.x.Count() != 0 {
		t.Fatalf("a mention in another copy's lease was answered: %+v", r.x.Posts())
	}
	later := now.Add(32 * time.Second)
	clock.Store(&later)
	if _, err := invoke(t, work, "req-late", fixture(t, "scheduler.json")); err != nil {
		t.Fatal(err)
	}
	if job, _ := r.st.JobByID(context.Background(), id); job.State != store.JobDone || r.x.Count() != 1 {
		t.Fatalf("after the lease: job %+v, %d posts", job, r.x.Count())
	}
}
