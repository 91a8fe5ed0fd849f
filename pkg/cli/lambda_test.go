package cli

import (
	"context"
	"strings"
	"testing"

	"github.com/spf13/cobra"

	"github.com/reinvent-cli/reinvent/internal/testenv"
)

// TestLambdaSettingsFromTheEnvironment: the function's settings come from
// the environment as Lambda sets them: the handler from _HANDLER (a flag
// wins), the schedule handler's work from REINVENT_WATCH and
// REINVENT_POLL_MENTIONS, create-table from REINVENT_CREATE_TABLE, and
// serve-webhook's path, workers and user limit under their own names.
func TestLambdaSettingsFromTheEnvironment(t *testing.T) {
	testenv.Isolate(t)
	t.Setenv("_HANDLER", "schedule")
	t.Setenv("REINVENT_WATCH", "true")
	t.Setenv("REINVENT_POLL_MENTIONS", "true")
	t.Setenv("REINVENT_PATH", "/x/hook")
	t.Setenv("REINVENT_WORKERS", "3")
	t.Setenv("REINVENT_USER_LIMIT", "0")
	t.Setenv("REINVENT_CREATE_TABLE", "true")
	var got *LambdaOptions
	root := rootWith(func(f *Factory) *cobra.Command {
		return NewCmdLambda(f, func(_ context.Context, o *LambdaOptions) error { got = o; return nil })
	})
	root.SetArgs([]string{"lambda"})
	if err := root.ExecuteContext(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got.Getenv("_HANDLER") != "schedule" || got.Run.Handler != "" || !got.Run.Watch || !got.Run.Poll ||
		got.Run.Path != "/x/hook" || got.Run.Workers != 3 || got.Run.UserLimit != 0 || !got.CreateTable {
		t.Errorf("options %+v", got)
	}
}

// TestLambdaNeedsItsSettings: outside Lambda, with no handler, or without
// the settings its handler needs, reinvent lambda exits 2 with one line
// that names what to set.
func TestLambdaNeedsItsSettings(t *testing.T) {
	for _, tt := range []struct {
		name string
		env  map[string]string
		args []string
		want string
	}{
		{"not under Lambda", map[string]string{"_HANDLER": "worker"}, nil, "AWS_LAMBDA_RUNTIME_API is not set"},
		{"no handler", map[string]string{"AWS_LAMBDA_RUNTIME_API": "127.0.0.1:1"}, nil, "set _HANDLER"},
		{"unknown handler", map[string]string{"AWS_LAMBDA_RUNTIME_API": "127.0.0.1:1"}, []string{"--handler", "cron"}, `unknown handler "cron"`},
		{"webhook without its secret", map[string]string{"AWS_LAMBDA_RUNTIME_API": "127.0.0.1:1", "_HANDLER": "webhook", "REINVENT_BOT_HANDLE": "bot"}, nil, "x-consumer-secret"},
		{"worker without credentials", map[string]string{"AWS_LAMBDA_RUNTIME_API": "127.0.0.1:1", "_HANDLER": "worker", "REINVENT_BOT_HANDLE": "bot"}, nil, "x-access-token"},
		{"schedule with nothing to do", map[string]string{"AWS_LAMBDA_RUNTIME_API": "127.0.0.1:1", "_HANDLER": "schedule"}, nil, "REINVENT_WATCH"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			testenv.Isolate(t)
			t.Setenv("AWS_LAMBDA_RUNTIME_API", "")
			t.Setenv("_HANDLER", "")
			for k, v := range tt.env {
				t.Setenv(k, v)
			}
			_, _, err := runCLI(t, append([]string{"lambda", "--source", "sample"}, tt.args...)...)
			if ExitCode(err) != ExitUsage || !strings.Contains(err.Error(), tt.want) || strings.Contains(err.Error(), "\n") {
				t.Fatalf("exit %d, err %v; want 2 and one line with %q", ExitCode(err), err, tt.want)
			}
		})
	}
}
