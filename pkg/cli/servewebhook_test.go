package cli

import (
	"context"
	"net"
	"net/http"
	"strings"
	"testing"

	"github.com/reinvent-cli/reinvent/internal/testenv"
	"github.com/reinvent-cli/reinvent/pkg/iostreams"
	"github.com/reinvent-cli/reinvent/pkg/webhook"
)

func TestServeWebhookNeedsItsSettings(t *testing.T) {
	for _, tt := range []struct {
		name string
		env  map[string]string
		args []string
		want []string
	}{
		{"nothing set", nil, nil, []string{"bot-handle", "x-consumer-key", "x-consumer-secret", "x-access-token", "x-access-token-secret", "REINVENT_BOT_HANDLE"}},
		{"dry run needs only two", nil, []string{"--dry-run"}, []string{"needs bot-handle, x-consumer-secret:"}},
		{"handle with @", map[string]string{"REINVENT_BOT_HANDLE": "@bot", "REINVENT_X_CONSUMER_SECRET": "s"}, []string{"--dry-run"}, []string{"without the @"}},
		{"bad path", nil, []string{"--path", "webhook"}, []string{"must start with /"}},
		{"no workers", nil, []string{"--workers", "0"}, []string{"--workers must be at least 1"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			testenv.Isolate(t)
			for k, v := range tt.env {
				t.Setenv(k, v)
			}
			_, _, err := runCLI(t, append([]string{"serve-webhook", "--source", "sample"}, tt.args...)...)
			if ExitCode(err) != ExitUsage {
				t.Fatalf("exit %d, err %v; want 2", ExitCode(err), err)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
		})
	}
}

// TestServeWebhookDryRun runs the command in process: a signed mention is
// answered with a thread in the log, nothing is posted, and cancelling the
// context stops it cleanly.
func TestServeWebhookDryRun(t *testing.T) {
	testenv.Isolate(t)
	t.Setenv("REINVENT_BOT_HANDLE", "reinventbot")
	t.Setenv("REINVENT_X_CONSUMER_SECRET", "dev-secret")
	t.Setenv("REINVENT_X_API_URL", "http://127.0.0.1:1") // never used in a dry run

	ios, _, _, errOut := iostreams.Test()
	f := newFactory(ios, "test")
	ready := make(chan string, 1)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	cmd := testenv.ReplaceCommand(NewRootCmd(f), NewCmdServeWebhook(f, func(ctx context.Context, o *ServeWebhookOptions) error {
		o.Run.Ready = func(addr string) { ready <- addr }
		return serveWebhookRun(ctx, o)
	}))
	cmd.SetArgs([]string{"serve-webhook", "--source", "sample", "--dry-run", "--addr", "127.0.0.1:0"})
	go func() { done <- cmd.ExecuteContext(ctx) }()
	addr := <-ready

	body := `{"for_user_id":"1","tweet_create_events":[{"id_str":"77","text":"@reinventbot SVS401 ARC302","user":{"id_str":"2","screen_name":"zoe"},"entities":{"user_mentions":[{"screen_name":"reinventbot"}]}}]}`
	req, _ := http.NewRequest(http.MethodPost, "http://"+addr+"/webhook", strings.NewReader(body))
	req.Header.Set(webhook.SignatureHeader, webhook.Sign("dev-secret", []byte(body)))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("delivery answered %d", resp.StatusCode)
	}
	cancel() // like SIGTERM: stop, drain, return nil
	if err := <-done; err != nil {
		t.Fatalf("serve-webhook returned %v", err)
	}
	log := errOut.String()
	if !strings.Contains(log, "dry run: would post") || !strings.Contains(log, "@zoe 2 of 2 sessions scheduled") {
		t.Errorf("the dry run did not log the thread:\n%s", log)
	}
}

// TestServeWebhookListensOnLoopbackByDefault: with no --addr, the server
// is reachable only from the machine (behind its TLS proxy), and --help
// says how to listen on every interface, as a container needs.
func TestServeWebhookListensOnLoopbackByDefault(t *testing.T) {
	testenv.Isolate(t)
	ios, _, _, _ := iostreams.Test()
	f := newFactory(ios, "test")
	var got []string
	for _, args := range [][]string{nil, {"--addr", ":8080"}} {
		cmd := testenv.ReplaceCommand(NewRootCmd(f), NewCmdServeWebhook(f, func(_ context.Context, o *ServeWebhookOptions) error {
			got = append(got, o.Run.Addr)
			return nil
		}))
		cmd.SetArgs(append([]string{"serve-webhook", "--source", "sample"}, args...))
		if err := cmd.Execute(); err != nil {
			t.Fatal(err)
		}
	}
	host, _, err := net.SplitHostPort(got[0])
	if ip := net.ParseIP(host); err != nil || ip == nil || !ip.IsLoopback() {
		t.Errorf("default --addr %q; want a loopback address", got[0])
	}
	if got[1] != ":8080" {
		t.Errorf("--addr :8080 read as %q", got[1])
	}
	help, _, err := runCLI(t, "serve-webhook", "--help")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"127.0.0.1:8080", "--addr :8080", "0.0.0.0:8080"} {
		if !strings.Contains(help, want) {
			t.Errorf("--help does not mention %s", want)
		}
	}
}
