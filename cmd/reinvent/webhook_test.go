package main

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	fakex "github.com/reinvent-cli/reinvent/internal/fake/x"
	"github.com/reinvent-cli/reinvent/internal/testenv"
	"github.com/reinvent-cli/reinvent/pkg/webhook"
)

// botServer is one serve-webhook process of the built binary.
type botServer struct {
	cmd    *exec.Cmd
	addr   string
	stderr *lockedBuffer
	done   chan struct{}
}

// lockedBuffer is the bot's stderr, read by the test while the bot runs.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) WriteString(s string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.b.WriteString(s)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// listening matches the log line of a server that takes deliveries, or
// of one that only polls (no address).
var listening = regexp.MustCompile(`msg="serving the X webhook" addr=(\S+)|msg="polling the mention timeline"`)

// startBot starts serve-webhook on the sample catalog, a port of its own
// choosing, the store db, and X at xURL; it returns once it listens, or
// with an empty --addr once it polls.
func startBot(t testing.TB, db, xURL string, args ...string) *botServer {
	t.Helper()
	return startBotEnv(t, db, xURL, nil, args...)
}

// startBotEnv is startBot with env added to the bot's environment.
func startBotEnv(t testing.TB, db, xURL string, env []string, args ...string) *botServer {
	t.Helper()
	home := filepath.Dir(db)
	cmd := exec.Command(binary, append([]string{"serve-webhook", "--source", "sample", "--addr", "127.0.0.1:0", "--workers", "1"}, args...)...)
	cmd.Env = append(testenv.HomeEnv(home),
		"REINVENT_DB="+db, "REINVENT_X_API_URL="+xURL, "REINVENT_BOT_HANDLE=reinventbot",
		"REINVENT_X_CONSUMER_KEY="+xCred.ConsumerKey, "REINVENT_X_CONSUMER_SECRET="+xCred.ConsumerSecret,
		"REINVENT_X_ACCESS_TOKEN="+xCred.AccessToken, "REINVENT_X_ACCESS_TOKEN_SECRET="+xCred.AccessTokenSecret)
	cmd.Env = append(cmd.Env, env...)
	pipe, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	b := &botServer{cmd: cmd, stderr: &lockedBuffer{}, done: make(chan struct{})}
	addr := make(chan string, 1)
	go func() {
		defer close(b.done)
		sc := bufio.NewScanner(pipe)
		for sc.Scan() {
			b.stderr.WriteString(sc.Text() + "\n")
			if m := listening.FindStringSubmatch(sc.Text()); m != nil {
				addr <- m[1]
			}
		}
	}()
	t.Cleanup(func() { _ = cmd.Process.Kill(); <-b.done; _ = cmd.Wait() })
	select {
	case b.addr = <-addr:
	case <-b.done:
		t.Fatalf("serve-webhook did not start:\n%s", b.stderr)
	case <-time.After(20 * time.Second):
		t.Fatal("serve-webhook did not say where it listens")
	}
	return b
}

// deliver POSTs a signed Account Activity delivery of one mention.
func (b *botServer) deliver(t *testing.T, id, user, text string) int {
	t.Helper()
	body := fmt.Sprintf(`{"for_user_id":"99","tweet_create_events":[{"id_str":%q,"text":%q,"user":{"id_str":"u-%s","screen_name":%q},"entities":{"user_mentions":[{"screen_name":"reinventbot","id_str":"99"}]}}]}`,
		id, text, user, user)
	return b.post(t, body, webhook.Sign(xCred.ConsumerSecret, []byte(body)))
}

// post POSTs body to the webhook with signature and returns the status.
func (b *botServer) post(t *testing.T, body, signature string) int {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, "http://"+b.addr+"/webhook", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set(webhook.SignatureHeader, signature)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode
}

// xWithSignal is a fake X that reports each accepted post on a channel.
func xWithSignal(t testing.TB, ids ...string) (*fakex.Server, chan fakex.Post) {
	fx := fakex.New(xCred)
	accepted := make(chan fakex.Post, 100)
	fx.OnAccept = func(p fakex.Post) { accepted <- p }
	fx.Exists(ids...)
	t.Cleanup(fx.Close)
	return fx, accepted
}

func waitPost(t testing.TB, accepted chan fakex.Post) fakex.Post {
	t.Helper()
	select {
	case p := <-accepted:
		return p
	case <-time.After(20 * time.Second):
		t.Fatal("no reply was posted")
	}
	return fakex.Post{}
}

// TestBotAnswersEachMentionOnce sends a signed mention to the binary, sees
// the reply on a fake X, redelivers it, and sees no second reply.
func TestBotAnswersEachMentionOnce(t *testing.T) {
	db := filepath.Join(t.TempDir(), "reinvent.db")
	fx, accepted := xWithSignal(t, "1001", "1002")
	bot := startBot(t, db, fx.URL())

	if code := bot.deliver(t, "1001", "alice", "@reinventbot schedule svs401 arc302 please"); code != 200 {
		t.Fatalf("delivery answered %d", code)
	}
	p := waitPost(t, accepted)
	if p.InReplyTo != "1001" || !strings.HasPrefix(p.Text, "@alice 2 of 2 sessions scheduled:") {
		t.Errorf("reply %+v", p)
	}
	// X redelivers; then a second mention. With one worker the queue is
	// answered in order, so had the redelivery been queued, its reply would
	// come first.
	if code := bot.deliver(t, "1001", "alice", "@reinventbot schedule svs401 arc302 please"); code != 200 {
		t.Fatalf("redelivery answered %d", code)
	}
	if code := bot.deliver(t, "1002", "bob", "@reinventbot DAT301"); code != 200 {
		t.Fatalf("delivery answered %d", code)
	}
	if p := waitPost(t, accepted); p.InReplyTo != "1002" {
		t.Errorf("after the redelivery the bot posted %+v; want the answer to 1002", p)
	}
	if fx.Count() != 2 {
		t.Errorf("%d posts, want 2", fx.Count())
	}

	// A bad signature is refused and nothing is queued.
	if code := bot.post(t, `{"tweet_create_events":[]}`, "sha256=AAAA"); code != 401 {
		t.Errorf("a bad signature answered %d, want 401", code)
	}
	// A second server on the same store refuses to start.
	second := exec.Command(binary, "serve-webhook", "--source", "sample", "--addr", "127.0.0.1:0")
	second.Env = bot.cmd.Env
	msg, err := second.CombinedOutput()
	if second.ProcessState.ExitCode() != 1 || !strings.Contains(string(msg), "another reinvent serve-webhook is running") {
		t.Errorf("a second server: %v, %s", err, msg)
	}
	if strings.Contains(bot.stderr.String(), xCred.ConsumerSecret) || strings.Contains(bot.stderr.String(), xCred.AccessTokenSecret) {
		t.Error("the log holds a secret")
	}
}

// TestBotSurvivesKillAfterAcknowledging kills the bot after it answered X
// 200 and before it could reply (its X is a black hole), restarts it, and
// sees exactly one reply.
func TestBotSurvivesKillAfterAcknowledging(t *testing.T) {
	db := filepath.Join(t.TempDir(), "reinvent.db")
	// The hole holds every request until the test ends: a request of the
	// killed bot may be accepted after its connection is gone, and then only
	// this release ends it.
	release := make(chan struct{})
	hole := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-release:
		}
	}))
	t.Cleanup(hole.Close)
	t.Cleanup(func() { close(release) }) // runs first

	first := startBot(t, db, hole.URL)
	if code := first.deliver(t, "2001", "carol", "@reinventbot SVS401 ARC302 DAT301"); code != 200 {
		t.Fatalf("delivery answered %d", code)
	}
	if err := first.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	<-first.done
	_ = first.cmd.Wait()

	fx, accepted := xWithSignal(t, "2001")
	second := startBot(t, db, fx.URL())
	p := waitPost(t, accepted)
	if p.InReplyTo != "2001" || !strings.HasPrefix(p.Text, "@carol ") {
		t.Errorf("reply after the restart: %+v", p)
	}
	// Stop the second bot with SIGTERM: it drains and exits 0, with the
	// mention answered once.
	if err := second.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	<-second.done
	if err := second.cmd.Wait(); err != nil {
		t.Errorf("after SIGTERM: %v\n%s", err, second.stderr)
	}
	if fx.Count() != 1 {
		t.Errorf("%d posts, want 1", fx.Count())
	}
}

// TestBotDrainsOnSIGTERM queues a mention and stops the bot at once: it
// answers the mention before it exits 0.
func TestBotDrainsOnSIGTERM(t *testing.T) {
	db := filepath.Join(t.TempDir(), "reinvent.db")
	fx, _ := xWithSignal(t, "3001")
	bot := startBot(t, db, fx.URL())
	if code := bot.deliver(t, "3001", "dave", "@reinventbot SVS401"); code != 200 {
		t.Fatalf("delivery answered %d", code)
	}
	if err := bot.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	<-bot.done
	if err := bot.cmd.Wait(); err != nil {
		t.Errorf("after SIGTERM: %v\n%s", err, bot.stderr)
	}
	if posts := fx.Posts(); len(posts) != 1 || posts[0].InReplyTo != "3001" {
		t.Errorf("posts after the drain: %+v", posts)
	}
}

// TestBotAnswersAnActivityAPIMention sends an X Activity API v2
// post.mention.create delivery: the author's name comes from includes.
func TestBotAnswersAnActivityAPIMention(t *testing.T) {
	db := filepath.Join(t.TempDir(), "reinvent.db")
	fx, accepted := xWithSignal(t, "4001")
	bot := startBot(t, db, fx.URL())
	body := `{"data":{"event_type":"post.mention.create","filter":{"user_id":"99"},
		"payload":{"id":"4001","text":"@reinventbot svs401, arc302!","author_id":"77",
			"entities":{"mentions":[{"start":0,"end":12,"username":"reinventbot","id":"99"}]}}},
		"includes":{"users":[{"id":"77","username":"zed"}]}}`
	if code := bot.post(t, body, webhook.Sign(xCred.ConsumerSecret, []byte(body))); code != 200 {
		t.Fatalf("delivery answered %d", code)
	}
	if p := waitPost(t, accepted); p.InReplyTo != "4001" || !strings.HasPrefix(p.Text, "@zed 2 of 2 sessions scheduled:") {
		t.Errorf("reply %+v", p)
	}
}

// rssKiB reads a process's resident set size from /proc.
func rssKiB(t *testing.T, pid int) int {
	t.Helper()
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(data), "\n") {
		if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			var kib int
			if _, err := fmt.Sscanf(strings.TrimSpace(v), "%d kB", &kib); err == nil {
				return kib
			}
		}
	}
	t.Fatalf("no VmRSS in /proc/%d/status", pid)
	return 0
}

// TestBotHoldsNoMemoryForStalledBodies opens 2,000 connections that each
// send the headers of a 1 MiB delivery and then nothing, as an attacker
// would, and reads the server's memory: the bodies that never came must
// cost nothing (docs/webhook.md, "Memory and slow clients").
func TestBotHoldsNoMemoryForStalledBodies(t *testing.T) {
	if _, err := os.Stat("/proc/self/status"); err != nil {
		t.Fatal("this test reads the server's memory from /proc, which this system lacks")
	}
	db := filepath.Join(t.TempDir(), "reinvent.db")
	fx, accepted := xWithSignal(t, "6001")
	bot := startBot(t, db, fx.URL())
	health := func() {
		resp, err := http.Get("http://" + bot.addr + "/healthz")
		if err != nil {
			t.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
	health()
	idle := rssKiB(t, bot.cmd.Process.Pid)

	const conns = 2000
	head := "POST /webhook HTTP/1.1\r\nHost: bot\r\nContent-Type: application/json\r\nContent-Length: 1048576\r\n\r\n{"
	var open []net.Conn
	t.Cleanup(func() {
		for _, c := range open {
			c.Close()
		}
	})
	for range conns {
		c, err := net.Dial("tcp", bot.addr)
		if err != nil {
			t.Fatalf("after %d connections: %v", len(open), err)
		}
		open = append(open, c)
		if _, err := io.WriteString(c, head); err != nil {
			t.Fatal(err)
		}
	}
	// The server accepts connections in order, so once a later request is
	// answered every stalled one has been accepted; a few more rounds let
	// their handlers run. The highest reading counts.
	peak := 0
	for range 20 {
		health()
		peak = max(peak, rssKiB(t, bot.cmd.Process.Pid))
	}
	if grown := (peak - idle) / 1024; grown > 100 {
		t.Errorf("%d stalled deliveries grew the server by %d MiB (idle %d MiB, peak %d MiB); want under 100", conns, grown, idle/1024, peak/1024)
	}
	t.Logf("idle %d MiB, peak %d MiB with %d stalled deliveries", idle/1024, peak/1024, conns)

	// Once they are gone, it answers a real delivery at once.
	for _, c := range open {
		c.Close()
	}
	open = nil
	if code := bot.deliver(t, "6001", "dora", "@reinventbot SVS401"); code != 200 {
		t.Fatalf("a real delivery answered %d", code)
	}
	if p := waitPost(t, accepted); p.InReplyTo != "6001" {
		t.Errorf("reply %+v", p)
	}
}

// TestBotNeverMentionsASecondAccount: a delivery whose screen name is not
// an X handle ("eve @victim2") is not answered, and the log says why.
func TestBotNeverMentionsASecondAccount(t *testing.T) {
	db := filepath.Join(t.TempDir(), "reinvent.db")
	fx, accepted := xWithSignal(t, "9001", "9002")
	bot := startBot(t, db, fx.URL())
	if code := bot.deliver(t, "9001", "eve @victim2", "@reinventbot SVS401"); code != 200 {
		t.Fatalf("delivery answered %d", code)
	}
	if code := bot.deliver(t, "9002", "frank", "@reinventbot SVS401"); code != 200 {
		t.Fatalf("delivery answered %d", code)
	}
	// One worker answers in order: had 9001 been queued, its reply would come first.
	if p := waitPost(t, accepted); p.InReplyTo != "9002" || strings.Contains(p.Text, "victim2") {
		t.Errorf("first post %+v; want the answer to 9002", p)
	}
	if !strings.Contains(bot.stderr.String(), "screen name is not an X handle") {
		t.Errorf("the log does not say why 9001 was dropped:\n%s", bot.stderr.String())
	}
	if fx.Count() != 1 {
		t.Errorf("%d posts, want 1", fx.Count())
	}
}
