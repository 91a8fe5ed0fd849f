package cli

import (
	"context"
	"strings"
	"testing"

	"github.com/reinvent-cli/reinvent/internal/testenv"
	"github.com/reinvent-cli/reinvent/pkg/iostreams"
	"github.com/reinvent-cli/reinvent/pkg/x"
)

// TestXLeavesReadTheirArguments: each x leaf command hands its run
// function its argument, its path and the API to use; a bad --api is a
// usage error before anything runs.
func TestXLeavesReadTheirArguments(t *testing.T) {
	for _, tt := range []struct {
		args           []string
		path, arg, api string
		webhook        string
	}{
		{[]string{"webhooks", "list"}, "reinvent x webhooks list", "", x.ActivityAPI, ""},
		{[]string{"webhooks", "add", "https://bot.example.com/webhook"}, "reinvent x webhooks add", "https://bot.example.com/webhook", x.ActivityAPI, ""},
		{[]string{"webhooks", "check", "123"}, "reinvent x webhooks check", "123", x.ActivityAPI, ""},
		{[]string{"webhooks", "remove", "123"}, "reinvent x webhooks remove", "123", x.ActivityAPI, ""},
		{[]string{"subscribe", "--webhook", "9", "--api", "account-activity"}, "reinvent x subscribe", "", x.AccountActivityAPI, "9"},
		{[]string{"unsubscribe"}, "reinvent x unsubscribe", "", x.ActivityAPI, ""},
	} {
		t.Run(tt.path, func(t *testing.T) {
			testenv.Isolate(t)
			ios, _, _, _ := iostreams.Test()
			f := newFactory(ios, "test")
			var got *XOptions
			cmd := testenv.ReplaceCommand(NewRootCmd(f), NewCmdX(f, func(_ context.Context, o *XOptions) error {
				got = o
				return nil
			}))
			cmd.SetArgs(append([]string{"x"}, tt.args...))
			if err := cmd.Execute(); err != nil {
				t.Fatal(err)
			}
			if got == nil || got.Path != tt.path || got.Arg != tt.arg || got.API != tt.api || got.WebhookID != tt.webhook {
				t.Errorf("options %+v; want path %q, arg %q, api %q, webhook %q", got, tt.path, tt.arg, tt.api, tt.webhook)
			}
		})
	}
	testenv.Isolate(t)
	_, _, err := runCLI(t, "x", "subscribe", "--api", "v1")
	if ExitCode(err) != ExitUsage || !strings.Contains(err.Error(), `--api "v1"`) {
		t.Errorf("--api v1: exit %d, %v; want a usage error naming it", ExitCode(err), err)
	}
}
