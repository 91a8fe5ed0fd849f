package cli

import (
	"context"
	"encoding/json"
	"io"
	"strings"
	"testing"

	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/spf13/cobra"

	"github.com/reinvent-cli/reinvent/internal/testenv"
)

func TestMCPFlags(t *testing.T) {
	testenv.Isolate(t)
	for _, tt := range []struct {
		args []string
		want string // "" when the options reach the run
	}{
		{[]string{"mcp", "--source", "sample"}, ""},
		{[]string{"mcp", "--source", "sample", "--allow-writes"}, `--allow-writes writes to the AWS Events API, and --source is "sample"`},
		{[]string{"mcp", "--source", "sample", "--time-limit", "0s"}, "--time-limit must be positive"},
		{[]string{"mcp", "--source", "sample", "SVS401"}, "SVS401"},
	} {
		var got *MCPOptions
		root := rootWith(func(f *Factory) *cobra.Command {
			return NewCmdMCP(f, func(_ context.Context, o *MCPOptions) error { got = o; return nil })
		})
		root.SetArgs(tt.args)
		root.SetOut(io.Discard)
		root.SetErr(io.Discard)
		err := root.Execute()
		switch {
		case tt.want == "" && (err != nil || got == nil):
			t.Errorf("%v: %v, want the run", tt.args, err)
		case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want) || ExitCode(err) != ExitUsage):
			t.Errorf("%v: %v (exit %d), want a usage error saying %q", tt.args, err, ExitCode(err), tt.want)
		}
	}
}

// plan_schedule, called through reinvent mcp's run on its standard input
// and output, holds the very object reinvent schedule --format json
// prints for the same codes and settings.
func TestMCPPlanIsScheduleJSON(t *testing.T) {
	testenv.Isolate(t)
	codes := []string{"SVS401", "ARC302", "DAT301", "XYZ999"}
	want, _, err := runCLI(t, append([]string{"schedule", "--format", "json", "--source", "sample", "--buffer", "10m"}, codes...)...)
	if err != nil {
		t.Fatal(err)
	}

	inR, inW := io.Pipe()
	outR, outW := io.Pipe()
	done := make(chan error, 1)
	root := rootWith(func(f *Factory) *cobra.Command {
		return NewCmdMCP(f, func(ctx context.Context, o *MCPOptions) error {
			o.IO = &IOStreams{In: inR, Out: outW, ErrOut: io.Discard}
			go func() { done <- mcpRun(ctx, o); outW.Close() }()
			return nil
		})
	})
	root.SetArgs([]string{"mcp", "--source", "sample"})
	if err := root.Execute(); err != nil {
		t.Fatal(err)
	}
	cs, err := mcp.NewClient(&mcp.Implementation{Name: "test", Version: "1"}, nil).Connect(context.Background(), &mcp.IOTransport{Reader: outR, Writer: inW}, nil)
	if err != nil {
		t.Fatal(err)
	}
	// A build with no version injected still tells the client one.
	if v := cs.InitializeResult().ServerInfo.Version; v == "" {
		t.Errorf("serverInfo.version is empty; want the build's version or (devel)")
	}
	res, err := cs.CallTool(context.Background(), &mcp.CallToolParams{Name: "plan_schedule", Arguments: map[string]any{"codes": codes, "buffer": "10m"}})
	if err != nil || res.IsError {
		t.Fatalf("plan_schedule: %v %+v", err, res)
	}
	var got struct{ Schedule json.RawMessage }
	b, _ := json.Marshal(res.StructuredContent)
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	if g, w := canonical(t, got.Schedule), canonical(t, []byte(want)); g != w {
		t.Errorf("plan_schedule's schedule\n%s\nwant schedule --format json's\n%s", g, w)
	}
	cs.Close()
	inW.Close()
	if err := <-done; err != nil {
		t.Errorf("the run ended with %v when its input closed, want nil", err)
	}
}

// canonical is JSON with its keys sorted and no spaces.
func canonical(t *testing.T, b []byte) string {
	t.Helper()
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatalf("%v in %s", err, b)
	}
	c, _ := json.Marshal(v)
	return string(c)
}
