package main

import (
	"bufio"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/reinvent-cli/reinvent/internal/dynamolocal"
	fakelambda "github.com/reinvent-cli/reinvent/internal/fake/lambdaruntime"
	fakex "github.com/reinvent-cli/reinvent/internal/fake/x"
	"github.com/reinvent-cli/reinvent/internal/testenv"
	"github.com/reinvent-cli/reinvent/pkg/catalog"
	"github.com/reinvent-cli/reinvent/pkg/store"
	"github.com/reinvent-cli/reinvent/pkg/store/dynamo"
	"github.com/reinvent-cli/reinvent/pkg/watch"
	"github.com/reinvent-cli/reinvent/pkg/webhook"
)

// lambdaWorld is the functions of the bot on one store: for each handler,
// a fake Runtime API and the bootstrap processes that serve it, the
// binary started under the name bootstrap as Lambda starts it.
type lambdaWorld struct {
	*watchWorld
	bootstrap string
	runtimes  map[string]*fakelambda.Server
	// store is the store every process works on, for the test to read;
	// env is what points a process at it.
	store store.Backend
	env   []string

	mu    sync.Mutex
	procs map[string][]*bootProc
}

// bootProc is one bootstrap process, its stdout and stderr kept.
type bootProc struct {
	cmd  *exec.Cmd
	out  *lockedBuffer
	done chan struct{}
}

// newLambdaWorld is a world on an SQLite store, or with dynamo on a
// DynamoDB table in a real implementation of its API (minidyn's server,
// internal/dynamolocal), reached through AWS_ENDPOINT_URL_DYNAMODB as a
// deployed function reaches DynamoDB.
func newLambdaWorld(t *testing.T, sessions int, dynamoDB bool) *lambdaWorld {
	t.Helper()
	w := &lambdaWorld{watchWorld: newWatchWorld(t, sessions), runtimes: map[string]*fakelambda.Server{}, procs: map[string][]*bootProc{}}
	w.x.SetBot("reinventbot")
	ctx := context.Background()
	if dynamoDB {
		url, env := startDynamo(t)
		st, err := dynamo.OpenClient(ctx, dynamolocal.Client(url), localTable)
		if err != nil {
			t.Fatal(err)
		}
		w.store = st
		w.env = env
	} else {
		if err := os.MkdirAll(filepath.Dir(w.db), 0o755); err != nil {
			t.Fatal(err)
		}
		st, err := store.Open(ctx, w.db)
		if err != nil {
			t.Fatal(err)
		}
		w.store = st
		w.env = []string{"REINVENT_DB=" + w.db}
	}
	t.Cleanup(func() { w.store.Close() })
	w.bootstrap = filepath.Join(t.TempDir(), "bootstrap")
	if err := os.Symlink(binary, w.bootstrap); err != nil {
		t.Fatal(err)
	}
	for _, h := range []string{"webhook", "worker", "schedule"} {
		rt := fakelambda.New()
		rt.Timeout = 4 * time.Second
		t.Cleanup(rt.Close)
		w.runtimes[h] = rt
	}
	return w
}

// localTable is the table of startDynamo.
const localTable = "reinvent"

// startDynamo serves DynamoDB on loopback until the test ends (minidyn's
// server, internal/dynamolocal) with the store's table in it, and returns
// its URL and what points a process at the table: the db setting and the
// AWS SDK's endpoint, region and (made-up) credentials.
func startDynamo(tb testing.TB) (url string, env []string) {
	tb.Helper()
	url = dynamolocal.Start(tb)
	if err := dynamo.CreateTable(context.Background(), dynamolocal.Client(url), localTable); err != nil {
		tb.Fatal(err)
	}
	return url, []string{"REINVENT_DB=" + dynamo.Scheme + localTable, "AWS_ENDPOINT_URL_DYNAMODB=" + url,
		"AWS_REGION=" + dynamolocal.Region, "AWS_ACCESS_KEY_ID=AKIDLOCAL", "AWS_SECRET_ACCESS_KEY=local-secret"}
}

// start starts a bootstrap process of handler.
func (w *lambdaWorld) start(handler string) *bootProc {
	w.t.Helper()
	cmd := exec.Command(w.bootstrap)
	cmd.Env = append(testenv.HomeEnv(w.dir),
		"AWS_LAMBDA_RUNTIME_API="+w.runtimes[handler].Addr(), "_HANDLER="+handler,
		"REINVENT_SOURCE="+w.catalog, "REINVENT_X_API_URL="+w.x.URL(),
		"REINVENT_BOT_HANDLE=reinventbot", "REINVENT_WATCH=true", "REINVENT_POLL_MENTIONS=true",
		"REINVENT_X_CONSUMER_KEY="+xCred.ConsumerKey, "REINVENT_X_CONSUMER_SECRET="+xCred.ConsumerSecret,
		"REINVENT_X_ACCESS_TOKEN="+xCred.AccessToken, "REINVENT_X_ACCESS_TOKEN_SECRET="+xCred.AccessTokenSecret)
	cmd.Env = append(cmd.Env, w.env...)
	p := &bootProc{cmd: cmd, out: &lockedBuffer{}, done: make(chan struct{})}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		w.t.Fatal(err)
	}
	cmd.Stderr = cmd.Stdout
	if err := cmd.Start(); err != nil {
		w.t.Fatal(err)
	}
	go func() {
		defer close(p.done)
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			p.out.WriteString(sc.Text() + "\n")
		}
	}()
	w.t.Cleanup(func() { _ = cmd.Process.Kill(); <-p.done; _ = cmd.Wait() })
	w.mu.Lock()
	w.procs[handler] = append(w.procs[handler], p)
	w.mu.Unlock()
	return p
}

// live returns the processes of handlers whose output is still open.
func (w *lambdaWorld) live(handlers ...string) []*bootProc {
	w.mu.Lock()
	defer w.mu.Unlock()
	var live []*bootProc
	for _, h := range handlers {
		for _, p := range w.procs[h] {
			if !isDone(p.done) {
				live = append(live, p)
			}
		}
	}
	return live
}

// kill ends one running process of handlers, chosen at random, with
// SIGKILL. It may run on the fake X's goroutine.
func (w *lambdaWorld) kill(handlers ...string) {
	if live := w.live(handlers...); len(live) > 0 {
		_ = live[rand.IntN(len(live))].cmd.Process.Signal(syscall.SIGKILL)
	}
}

// killAll ends every running process of handlers with SIGKILL. It may
// run on the fake X's goroutine.
func (w *lambdaWorld) killAll(handlers ...string) {
	for _, p := range w.live(handlers...) {
		_ = p.cmd.Process.Signal(syscall.SIGKILL)
	}
}

// replace starts processes of handler until two run, as Lambda replaces
// a dead environment.
func (w *lambdaWorld) replace(handler string) {
	w.t.Helper()
	for range 2 - len(w.live(handler)) {
		w.start(handler)
	}
}

func isDone(c chan struct{}) bool {
	select {
	case <-c:
		return true
	default:
		return false
	}
}

// logs is every process's output, for a failure's message.
func (w *lambdaWorld) logs() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	var s string
	for h, ps := range w.procs {
		for i, p := range ps {
			s += fmt.Sprintf("--- %s #%d\n%s", h, i, p.out.String())
		}
	}
	return s
}

// functionURLEvent is X's signed POST of a delivery as a function URL
// hands it to the function (payload format 2.0), its body base64-encoded
// or not.
func functionURLEvent(body []byte, b64 bool) []byte {
	ev := map[string]any{
		"version": "2.0", "routeKey": "$default", "rawPath": "/webhook", "rawQueryString": "",
		"headers": map[string]string{
			"content-type":                 "application/json",
			"x-twitter-webhooks-signature": webhook.Sign(xCred.ConsumerSecret, body),
		},
		"requestContext": map[string]any{
			"http":       map[string]string{"method": "POST", "path": "/webhook", "protocol": "HTTP/1.1", "sourceIp": "203.0.113.7"},
			"domainName": "abcdefghijklmnop.lambda-url.us-east-1.on.aws", "stage": "$default",
		},
		"body": string(body), "isBase64Encoded": b64,
	}
	if b64 {
		ev["body"] = base64.StdEncoding.EncodeToString(body)
	}
	b, _ := json.Marshal(ev)
	return b
}

// streamEvent is a DynamoDB stream batch of one record, as the table's
// stream hands it to the worker.
var streamEvent = []byte(`{"Records":[{"eventID":"1","eventName":"INSERT","eventVersion":"1.1","eventSource":"aws:dynamodb","awsRegion":"us-east-1",` +
	`"dynamodb":{"Keys":{"pk":{"S":"job"}},"SequenceNumber":"1","SizeBytes":10,"StreamViewType":"KEYS_ONLY"},` +
	`"eventSourceARN":"arn:aws:dynamodb:us-east-1:123456789012:table/reinvent/stream/2026-12-01T00:00:00.000"}]}`)

// wait returns how invocation id ended, failing the test after a minute.
func (w *lambdaWorld) wait(handler, id string) fakelambda.Result {
	w.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	r, err := w.runtimes[handler].Wait(ctx, id)
	if err != nil {
		w.t.Fatalf("%s invocation %s: %v\n%s", handler, id, err, w.logs())
	}
	return r
}

// TestLambdaBootstrapsAnswerOnce runs the bot as Lambda runs it: the real
// binary started as bootstrap, two processes of each handler (webhook,
// worker, schedule) on one store, against fake Runtime APIs, a fake X and
// a catalog file that keeps changing. Signed deliveries through a function
// URL (some base64-encoded), redeliveries, mentions found by polling the
// timeline, watch runs, and kill -9s of workers and schedule processes in
// the middle of their invocations arrive together. In the end each mention
// is answered by one thread, and each change of the catalog is on X once.
func TestLambdaBootstrapsAnswerOnce(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) { bootstrapsAnswerOnce(t, false) })
	t.Run("dynamodb", func(t *testing.T) { bootstrapsAnswerOnce(t, true) })
}

func bootstrapsAnswerOnce(t *testing.T, dynamoDB bool) {
	w := newLambdaWorld(t, 30, dynamoDB)
	seed := uint64(time.Now().UnixNano())
	t.Logf("seed %d", seed)
	rng := rand.New(rand.NewPCG(seed, 2))
	for _, h := range []string{"webhook", "worker", "schedule"} {
		w.start(h)
		w.start(h)
	}
	// The first scheduled event records the catalog's baseline.
	if r := w.wait("schedule", w.runtimes["schedule"].Invoke([]byte(`{}`))); r.Err != nil {
		t.Fatalf("first schedule event: %+v\n%s", r.Err, w.logs())
	}

	var mentions []string
	var pending []string // worker and schedule invocations not waited for
	const rounds = 8
	for round := range rounds {
		// Two delivered mentions, each delivered again (X's retries).
		for i := range 2 {
			id := strconv.Itoa(1995000000000000000 + round*10 + i)
			w.x.Exists(id)
			mentions = append(mentions, id)
			body := fmt.Appendf(nil, `{"for_user_id":"99","tweet_create_events":[{"id_str":%q,"text":"@reinventbot ARC%03d ARC%03d","user":{"id_str":"u-%d","screen_name":"user%d"},"entities":{"user_mentions":[{"screen_name":"reinventbot","id_str":"99"}]}}]}`,
				id, 100+rng.IntN(30), 100+rng.IntN(30), round*10+i, round*10+i)
			for _, b64 := range []bool{false, true} {
				r := w.wait("webhook", w.runtimes["webhook"].Invoke(functionURLEvent(body, b64)))
				if r.Err != nil || !json.Valid(r.Response) {
					t.Fatalf("delivery of %s: %+v %s\n%s", id, r.Err, r.Response, w.logs())
				}
				var resp struct{ StatusCode int }
				_ = json.Unmarshal(r.Response, &resp)
				if resp.StatusCode != 200 {
					t.Fatalf("delivery of %s answered %s", id, r.Response)
				}
			}
		}
		// In the first round, once for sure: when X takes the round's
		// first post, every worker and schedule process is killed, the
		// one that made the post in the middle of its invocation, which
		// goes to another process.
		var killedInHand chan struct{}
		if round == 0 {
			killedInHand = make(chan struct{})
			var once sync.Once
			k := func() { once.Do(func() { w.killAll("worker", "schedule"); close(killedInHand) }) }
			w.watchWorld.kill.Store(&k)
		}
		// One mention on the timeline, for the schedule's poll.
		mentions = append(mentions, w.x.AddMention(fakex.Mention{AuthorID: "p" + strconv.Itoa(round), Username: "poller" + strconv.Itoa(round),
			Text: fmt.Sprintf("@reinventbot ARC%03d", 100+rng.IntN(30))}))
		w.mutate(rng, round)
		pending = append(pending, "schedule:"+w.runtimes["schedule"].Invoke([]byte(`{}`)))
		pending = append(pending, "worker:"+w.runtimes["worker"].Invoke(streamEvent))
		pending = append(pending, "worker:"+w.runtimes["worker"].Invoke(streamEvent))
		// Kill a worker or a schedule process at a random moment of their
		// invocations, or, every other round, when X has just taken a post
		// (maybe theirs) and before they could record it.
		switch {
		case round == 0:
			select {
			case <-killedInHand:
			case <-time.After(60 * time.Second):
				t.Fatalf("no post in the first round in 60 s\n%s", w.logs())
			}
			w.watchWorld.kill.Store(nil)
		case round%2 == 0:
			var once sync.Once
			k := func() { once.Do(func() { w.kill("worker", "schedule") }) }
			w.watchWorld.kill.Store(&k)
		default:
			time.Sleep(time.Duration(rng.IntN(300)) * time.Millisecond) // a random moment to kill at, not a synchronisation
			w.kill("worker", "schedule")
		}
		for _, h := range []string{"worker", "schedule"} {
			w.replace(h)
		}
	}
	w.watchWorld.kill.Store(nil)
	handedAgain := 0
	for _, p := range pending {
		h, id, _ := strings.Cut(p, ":")
		// Errors are allowed: a watch or poll cut short is tried again below.
		if r := w.wait(h, id); r.Handed > 1 {
			handedAgain++
		}
	}

	// What is left (the jobs killed processes held, leased until their
	// invocation's deadline; the catalog's last changes, which no watch
	// recorded while a killed copy's lock lasted; watch posts left
	// pending) is done by the next events, as the schedule (the safety
	// net) sends them, here every quarter of a second. On SQLite the lock
	// dies with its holder; on DynamoDB it is a lease that lapses 30 s
	// after the holder's last renewal.
	st := w.store
	deadline := time.Now().Add(90 * time.Second)
	tick := time.NewTicker(250 * time.Millisecond)
	defer tick.Stop()
	for {
		w.wait("schedule", w.runtimes["schedule"].Invoke([]byte(`{}`)))
		w.wait("worker", w.runtimes["worker"].Invoke([]byte(`{}`)))
		if allDone(t, st, mentions) && w.caughtUp(st) {
			if p, _, _, err := st.Counts(context.Background(), "reinvent2026"); err == nil && p == 0 {
				break
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("mentions, catalog changes or watch posts still pending after 90 s\n%s", w.logs())
		}
		<-tick.C
	}

	// Each mention: one thread, its first post replying to the mention.
	replies := repliesTo(w.x)
	for _, id := range mentions {
		if replies[id] != 1 {
			t.Errorf("mention %s has %d replies, want 1", id, replies[id])
		}
	}
	for id, n := range replies {
		if id != "" && n > 1 {
			t.Errorf("post %s has %d replies", id, n)
		}
	}
	// Each change of the catalog: one post.
	seen := map[string]bool{}
	changes := 0
	for _, p := range w.x.Posts() {
		if p.InReplyTo != "" {
			continue
		}
		m := postHead.FindStringSubmatch(p.Text)
		if m == nil {
			t.Fatalf("a post that neither watch nor the worker would word: %q", p.Text)
		}
		key := m[2] + " v" + m[3]
		if seen[key] {
			t.Errorf("%s was posted twice", key)
		}
		seen[key] = true
		changes++
	}
	pendingPosts, posted, failed, err := st.Counts(context.Background(), "reinvent2026")
	if err != nil || pendingPosts != 0 || failed != 0 || posted != changes {
		t.Errorf("outbox: %d pending, %d posted, %d failed (%v); X has %d change posts", pendingPosts, posted, failed, err, changes)
	}
	if changes == 0 {
		t.Error("no change was posted")
	}
	if handedAgain == 0 {
		t.Error("no process was killed with an invocation in hand")
	}
	t.Logf("%d mentions, %d change posts, %d posts in all, %d requests to X, %d invocations handed to a second process",
		len(mentions), changes, len(w.x.Posts()), w.x.Requests(), handedAgain)
}

// caughtUp says whether st holds the catalog file as it is now: a watch
// run recorded every change the test made.
func (w *lambdaWorld) caughtUp(st store.Sessions) bool {
	w.t.Helper()
	ctx := context.Background()
	src, err := catalog.NewFileSource(w.catalog)
	if err != nil {
		w.t.Fatal(err)
	}
	cat, err := src.Fetch(ctx, catalog.FetchOptions{Location: testenv.Vegas})
	if err != nil {
		w.t.Fatal(err)
	}
	heads, err := st.Heads(ctx, "reinvent2026")
	if err != nil {
		return false
	}
	res, err := watch.DiffCatalog(heads, cat, testenv.Vegas)
	return err == nil && len(res.Changes) == 0
}

// allDone says whether every mention's job is done.
func allDone(t *testing.T, st store.Queue, ids []string) bool {
	t.Helper()
	for _, id := range ids {
		j, err := st.JobByID(context.Background(), id)
		if err != nil || j.State != store.JobDone {
			return false
		}
	}
	return true
}
