package main

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	fakelambda "github.com/reinvent-cli/reinvent/internal/fake/lambdaruntime"
	fakex "github.com/reinvent-cli/reinvent/internal/fake/x"
	"github.com/reinvent-cli/reinvent/internal/testenv"
	"github.com/reinvent-cli/reinvent/pkg/webhook"
)

// benchStores are the stores the Lambda benchmarks run on.
var benchStores = []string{"sqlite", "dynamodb"}

// benchStore returns what points a process at a new, empty store of kind:
// an SQLite file in dir, or a table on minidyn's server on loopback
// (startDynamo), an in-memory emulator, not DynamoDB's latency.
func benchStore(b *testing.B, dir, kind string) []string {
	b.Helper()
	if kind == "dynamodb" {
		_, env := startDynamo(b)
		return env
	}
	return []string{"REINVENT_DB=" + filepath.Join(dir, "reinvent.db")}
}

// benchBootstrap starts the binary as bootstrap for handler against the
// runtime rt, on the sample catalog, the store of storeEnv (benchStore)
// and X at xURL.
func benchBootstrap(b *testing.B, dir, handler, rt string, storeEnv []string, xURL string) *exec.Cmd {
	b.Helper()
	boot := filepath.Join(dir, "bootstrap")
	if _, err := os.Lstat(boot); err != nil {
		if err := os.Symlink(binary, boot); err != nil {
			b.Fatal(err)
		}
	}
	cmd := exec.Command(boot)
	cmd.Env = append(testenv.HomeEnv(dir),
		"AWS_LAMBDA_RUNTIME_API="+rt, "_HANDLER="+handler, "REINVENT_LOG_LEVEL=warn",
		"REINVENT_SOURCE=sample", "REINVENT_X_API_URL="+xURL, "REINVENT_BOT_HANDLE=reinventbot",
		"REINVENT_USER_LIMIT=0",
		"REINVENT_X_CONSUMER_KEY="+xCred.ConsumerKey, "REINVENT_X_CONSUMER_SECRET="+xCred.ConsumerSecret,
		"REINVENT_X_ACCESS_TOKEN="+xCred.AccessToken, "REINVENT_X_ACCESS_TOKEN_SECRET="+xCred.AccessTokenSecret)
	cmd.Env = append(cmd.Env, storeEnv...)
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	return cmd
}

// BenchmarkLambdaColdStart starts a bootstrap process with an event already
// queued and measures the time from the start of the process to the
// event's answer: a CRC check for the webhook, an empty queue drained for
// the worker (which first loads the embedded sample catalog). It reports
// the process's max RSS after the answer, on each store.
func BenchmarkLambdaColdStart(b *testing.B) {
	for _, kind := range benchStores {
		for _, c := range []struct{ handler, event string }{
			{"webhook", string(functionURLEvent(nil, false))},
			{"worker", string(streamEvent)},
		} {
			b.Run(kind+"/"+c.handler, func(b *testing.B) { benchColdStart(b, kind, c.handler, c.event) })
		}
	}
}

func benchColdStart(b *testing.B, kind, handler, ev string) {
	dir := b.TempDir()
	db := benchStore(b, dir, kind)
	fx := fakex.New(xCred)
	defer fx.Close()
	var maxRSS int64
	var total time.Duration
	event := []byte(ev)
	if handler == "webhook" {
		event = []byte(strings.Replace(ev, `"rawQueryString":""`, `"rawQueryString":"crc_token=abc"`, 1))
		event = []byte(strings.Replace(string(event), `"method":"POST"`, `"method":"GET"`, 1))
	}
	b.ResetTimer()
	for range b.N {
		rt := fakelambda.New()
		id := rt.Invoke(event)
		start := time.Now()
		cmd := benchBootstrap(b, dir, handler, rt.Addr(), db, fx.URL())
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		r, err := rt.Wait(ctx, id)
		cancel()
		total += time.Since(start)
		if err != nil || r.Err != nil {
			b.Fatalf("%v %+v", err, r.Err)
		}
		_ = cmd.Process.Signal(syscall.SIGKILL)
		_ = cmd.Wait()
		if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
			maxRSS = max(maxRSS, ru.Maxrss)
		}
		rt.Close()
	}
	b.ReportMetric(float64(total.Microseconds())/1000/float64(b.N), "ms-to-first-answer")
	b.ReportMetric(float64(maxRSS)/1024, "maxrss-MiB")
}

// BenchmarkLambdaMentions measures, per op, 200 mentions through two
// bootstrap processes of each kind on one store, SQLite or DynamoDB
// (minidyn on loopback): delivered through the webhook function (two
// processes taking the function URL events as they come) and answered by
// the worker function (two processes, each woken by one stream event). It
// reports both rates; BenchmarkServeWebhookMentions is the same through
// one serve-webhook.
func BenchmarkLambdaMentions(b *testing.B) {
	for _, kind := range benchStores {
		b.Run(kind, func(b *testing.B) { benchLambdaMentions(b, kind) })
	}
}

func benchLambdaMentions(b *testing.B, kind string) {
	const n = 200
	var intake, answer time.Duration
	for i := range b.N {
		dir := b.TempDir()
		db := benchStore(b, dir, kind)
		fx := fakex.New(xCred)
		var posted sync.WaitGroup
		posted.Add(n)
		fx.OnAccept = func(fakex.Post) { posted.Done() }
		hook, work := fakelambda.New(), fakelambda.New()
		work.Timeout = 5 * time.Minute
		var procs []*exec.Cmd
		for range 2 {
			procs = append(procs, benchBootstrap(b, dir, "webhook", hook.Addr(), db, fx.URL()),
				benchBootstrap(b, dir, "worker", work.Addr(), db, fx.URL()))
		}
		// Both processes of each function asking: they are warm.
		warm := []string{hook.Invoke(functionURLEvent(nil, false)), hook.Invoke(functionURLEvent(nil, false))}
		for _, id := range warm {
			waitResult(b, hook, id)
		}
		waitResult(b, work, work.Invoke(streamEvent))
		waitResult(b, work, work.Invoke(streamEvent))

		ids := make([]string, n)
		start := time.Now()
		for k := range n {
			mid := fmt.Sprintf("19960%02d%012d", i%100, k)
			fx.Exists(mid)
			ids[k] = hook.Invoke(functionURLEvent(mentionBody(mid, k), false))
		}
		for _, id := range ids {
			waitResult(b, hook, id)
		}
		intake += time.Since(start)
		start = time.Now()
		a, c := work.Invoke(streamEvent), work.Invoke(streamEvent)
		posted.Wait()
		answer += time.Since(start)
		waitResult(b, work, a)
		waitResult(b, work, c)
		for _, p := range procs {
			_ = p.Process.Kill()
			_ = p.Wait()
		}
		hook.Close()
		work.Close()
		fx.Close()
	}
	b.ReportMetric(float64(n*b.N)/intake.Seconds(), "delivered/s")
	b.ReportMetric(float64(n*b.N)/answer.Seconds(), "answered/s")
	b.ReportMetric(float64(n*b.N)/(intake+answer).Seconds(), "end-to-end/s")
}

// BenchmarkServeWebhookMentions is BenchmarkLambdaMentions through one
// serve-webhook --workers 2 on SQLite: 200 signed POSTs two at a time,
// then the time from the first POST until the last mention is answered
// (its workers answer while the POSTs come).
func BenchmarkServeWebhookMentions(b *testing.B) {
	const n = 200
	var intake, answer time.Duration
	for i := range b.N {
		dir := b.TempDir()
		db := filepath.Join(dir, "data", "reinvent.db")
		fx := fakex.New(xCred)
		var posted sync.WaitGroup
		posted.Add(n)
		fx.OnAccept = func(fakex.Post) { posted.Done() }
		bot := startBotEnv(b, db, fx.URL(), nil, "--workers", "2", "--user-limit", "0")
		start := time.Now()
		var wg sync.WaitGroup
		for half := range 2 {
			wg.Go(func() {
				for k := half; k < n; k += 2 {
					mid := fmt.Sprintf("19970%02d%012d", i%100, k)
					fx.Exists(mid)
					body := mentionBody(mid, k)
					req, _ := http.NewRequest(http.MethodPost, "http://"+bot.addr+"/webhook", strings.NewReader(string(body)))
					req.Header.Set(webhook.SignatureHeader, webhook.Sign(xCred.ConsumerSecret, body))
					resp, err := http.DefaultClient.Do(req)
					if err != nil || resp.StatusCode != 200 {
						b.Errorf("POST: %v", err)
						return
					}
					resp.Body.Close()
				}
			})
		}
		wg.Wait()
		intake += time.Since(start)
		posted.Wait()
		answer += time.Since(start)
		_ = bot.cmd.Process.Kill()
		<-bot.done
		_ = bot.cmd.Wait()
		fx.Close()
	}
	b.ReportMetric(float64(n*b.N)/intake.Seconds(), "delivered/s")
	b.ReportMetric(float64(n*b.N)/answer.Seconds(), "end-to-end/s")
}

// mentionBody is an Account Activity delivery of mention id asking for two
// sample codes, from a user of its own.
func mentionBody(id string, k int) []byte {
	return fmt.Appendf(nil, `{"for_user_id":"99","tweet_create_events":[{"id_str":%q,"text":"@reinventbot svs215 con213","user":{"id_str":"u-%d","screen_name":"user%d"},"entities":{"user_mentions":[{"screen_name":"reinventbot","id_str":"99"}]}}]}`, id, k, k)
}

func waitResult(b *testing.B, rt *fakelambda.Server, id string) {
	b.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	r, err := rt.Wait(ctx, id)
	if err != nil || r.Err != nil {
		b.Fatalf("invocation %s: %v %+v", id, err, r.Err)
	}
}
