package cli

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/spf13/cobra"

	"github.com/reinvent-cli/reinvent/internal/testenv"
	"github.com/reinvent-cli/reinvent/pkg/follow"
	"github.com/reinvent-cli/reinvent/pkg/reserve"
)

func TestFollowFlags(t *testing.T) {
	testenv.Isolate(t)
	tests := []struct {
		args    []string
		want    FollowOptions
		wantErr string
	}{
		{args: nil, want: FollowOptions{Run: follow.Options{Plan: reserve.PlanOptions{Starred: true}}, Format: "text"}},
		{args: []string{"SVS401,arc302"}, want: FollowOptions{Run: follow.Options{Plan: reserve.PlanOptions{Codes: []string{"SVS401", "arc302"}}}, Format: "text"}},
		{args: []string{"--every", "5m", "--serve-calendar", "127.0.0.1:0", "--format", "json", "SVS401"},
			want: FollowOptions{Run: follow.Options{Plan: reserve.PlanOptions{Codes: []string{"SVS401"}}}, Every: follow.EveryOptions{Every: 5 * time.Minute, Serve: "127.0.0.1:0"}, Format: "json"}},
		{args: []string{"--every", "10s"}, wantErr: "--every 10s is too often: at least 1m0s"},
		{args: []string{"--serve-calendar", "127.0.0.1:0"}, wantErr: "--serve-calendar serves while follow runs: add --every DUR"},
		{args: []string{"--calendar-url", "--serve-calendar", "127.0.0.1:9"}, want: FollowOptions{Run: follow.Options{Plan: reserve.PlanOptions{Starred: true}}, Every: follow.EveryOptions{Serve: "127.0.0.1:9"}, Format: "text"}},
		{args: []string{"--format", "csv"}, wantErr: `unknown --format "csv": use text, json`},
		{args: []string{"--rebook"}, wantErr: `--rebook reserves on the AWS Events API, and --source is "sample"`},
		{args: []string{"--rebook", "--dry-run"}, want: FollowOptions{Run: follow.Options{Plan: reserve.PlanOptions{Starred: true}}, Format: "text"}},
		{args: []string{"--ics", "/nonexistent/folder/plan.ics"}, wantErr: "--ics /nonexistent/folder/plan.ics: the folder /nonexistent/folder does not exist"},
		{args: []string{"--max-writes", "3"}, wantErr: "--max-writes 3: with --rebook"},
		{args: []string{"--rebook", "--dry-run", "--max-writes", "3"}, want: FollowOptions{Run: follow.Options{Plan: reserve.PlanOptions{Starred: true}, Reserve: reserve.Options{MaxWrites: 3}}, Format: "text"}},
		{args: []string{"--swap", "--dry-run"}, wantErr: "--swap gives up a seat only for one --rebook took in its place: add --rebook"},
		{args: []string{"--notify", "ntfy://ntfy.sh/secret"}, wantErr: "notify is a secret and is not accepted as a flag"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			var got *FollowOptions
			root := rootWith(func(f *Factory) *cobra.Command {
				return NewCmdFollow(f, func(_ context.Context, o *FollowOptions) error { got = o; return nil })
			})
			root.SetArgs(append([]string{"follow", "--source", "sample"}, tt.args...))
			err := root.Execute()
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) || ExitCode(err) != ExitUsage {
					t.Fatalf("err = %v (exit %d), want %q and exit 2", err, ExitCode(err), tt.wantErr)
				}
				if strings.Contains(err.Error(), "secret\"") || strings.Contains(err.Error(), "ntfy.sh/secret") {
					t.Errorf("the error shows the URL: %v", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if strings.Join(got.Run.Plan.Codes, " ") != strings.Join(tt.want.Run.Plan.Codes, " ") || got.Run.Plan.Starred != tt.want.Run.Plan.Starred ||
				got.Every.Every != tt.want.Every.Every || got.Every.Serve != tt.want.Every.Serve || got.Format != tt.want.Format || got.Run.Reserve.MaxWrites != tt.want.Run.Reserve.MaxWrites {
				t.Errorf("options = %+v, want %+v", got, tt.want)
			}
		})
	}
}

// TestFollowNotifyFromTheConfigFile: notify is a YAML list in the config
// file, or URLs separated by spaces in REINVENT_NOTIFY; a URL reinvent
// cannot use is exit 2, named without its secrets.
func TestFollowNotifyFromTheConfigFile(t *testing.T) {
	testenv.Isolate(t)
	dir := t.TempDir()
	t.Setenv("REINVENT_DB", filepath.Join(dir, "reinvent.db"))
	cfg := filepath.Join(dir, "config.yaml")
	write := func(s string) {
		if err := os.WriteFile(cfg, []byte(s), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write("notify:\n  - ntfy://ntfy.example.com/topic-one\n  - nosuch://user:hunter2@example.com/topic-two\n")
	_, _, err := runCLI(t, "follow", "--source", "sample", "--config", cfg, "SVS313")
	if err == nil || ExitCode(err) != ExitUsage || !strings.Contains(err.Error(), "nosuch: not a service") {
		t.Fatalf("a list with an unknown service: %v (exit %d)", err, ExitCode(err))
	}
	if strings.Contains(err.Error(), "hunter2") || strings.Contains(err.Error(), "topic") {
		t.Errorf("the error shows the URL's secrets: %v", err)
	}
	write("notify:\n  - 12\n")
	if _, _, err := runCLI(t, "follow", "--source", "sample", "--config", cfg); err == nil || !strings.Contains(err.Error(), "config file "+cfg+":1: notify: item 1 of the list: want a URL") {
		t.Errorf("a number in the list: %v", err)
	}
	write("")
	t.Setenv("REINVENT_NOTIFY", "ntfy://ntfy.example.com/a nosuch://x/y")
	if _, _, err := runCLI(t, "follow", "--source", "sample", "--config", cfg); err == nil || !strings.Contains(err.Error(), "nosuch") {
		t.Errorf("REINVENT_NOTIFY's second URL is not read: %v", err)
	}
	// A dry run sends nothing and needs no usable URL; the first run is a baseline.
	out, errOut, err := runCLI(t, "follow", "--source", "sample", "--config", cfg, "--dry-run", "SVS313")
	if err != nil || out != "" || !strings.Contains(errOut, "Would follow") {
		t.Errorf("dry run: %v, stdout %q, stderr %q", err, out, errOut)
	}
}
