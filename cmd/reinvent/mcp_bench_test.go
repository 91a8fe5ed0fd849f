package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/reinvent-cli/reinvent/internal/catalogtest"
	"github.com/reinvent-cli/reinvent/internal/testenv"
	"github.com/reinvent-cli/reinvent/pkg/catalog"
)

// BenchmarkMCPPlanScheduleStdio2400 is one plan_schedule round trip of the
// Go SDK's client to a warm reinvent mcp process over stdio, on a download
// file of 2,400 sessions (read from the store's catalog cache on every
// call, as every command reads it): what an assistant waits for. It
// reports the median and p90 of the round trips (docs/performance.md,
// "MCP").
func BenchmarkMCPPlanScheduleStdio2400(b *testing.B) {
	dir := b.TempDir()
	path := sessions2400(b, dir)
	cmd := exec.Command(binary, "mcp", "--source", path, "--db", filepath.Join(dir, "reinvent.db"))
	cmd.Env = testenv.HomeEnv(dir)
	ctx := context.Background()
	cs, err := mcp.NewClient(&mcp.Implementation{Name: "bench", Version: "1"}, nil).Connect(ctx, &mcp.CommandTransport{Command: cmd}, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer cs.Close()
	params := &mcp.CallToolParams{Name: "plan_schedule", Arguments: map[string]any{"codes": []string{"SVS401", "ARC302"}}}
	if res, err := cs.CallTool(ctx, params); err != nil || res.IsError { // warm: the file read into the cache
		b.Fatal(err, res)
	}
	var took []time.Duration
	for b.Loop() {
		start := time.Now()
		res, err := cs.CallTool(ctx, params)
		took = append(took, time.Since(start))
		if err != nil || res.IsError {
			b.Fatal(err, res)
		}
	}
	reportMedian(b, took)
}

// BenchmarkMCPPlanScheduleTypeScript2400 is the same round trip from the
// TypeScript SDK's client (testdata/mcp-client.cjs, as the e2e tests run
// it): b.N calls in one session, timed by the client.
func BenchmarkMCPPlanScheduleTypeScript2400(b *testing.B) {
	dir := b.TempDir()
	path := sessions2400(b, dir)
	sdk, err := testenv.NpmPackage("the MCP tests (a real client of reinvent mcp)", "@modelcontextprotocol/sdk", mcpSDK)
	if err != nil {
		b.Fatal(err)
	}
	script, err := filepath.Abs(filepath.Join("testdata", "mcp-client.cjs"))
	if err != nil {
		b.Fatal(err)
	}
	calls := make([]mcpCall, b.N+1) // the first warms the server
	for i := range calls {
		calls[i] = mcpCall{"plan_schedule", map[string]any{"codes": []string{"SVS401", "ARC302"}}}
	}
	a, _ := json.Marshal([]string{"mcp", "--source", path, "--db", filepath.Join(dir, "reinvent.db")})
	c, _ := json.Marshal(calls)
	cmd := exec.Command("node", script, sdk, binary, string(a), string(c))
	cmd.Env = testenv.HomeEnv(dir)
	var errOut bytes.Buffer
	cmd.Stderr = &errOut
	b.ResetTimer()
	stdout, err := cmd.Output()
	b.StopTimer()
	if err != nil {
		b.Fatalf("%v: %s", err, errOut.String())
	}
	var out mcpOutput
	if err := json.Unmarshal(stdout, &out); err != nil {
		b.Fatal(err)
	}
	var took []time.Duration
	for _, r := range out.Results[1:] {
		if r.IsError {
			b.Fatal(r.Text)
		}
		took = append(took, time.Duration(r.Ms*1e6))
	}
	reportMedian(b, took)
}

// sessions2400 writes the 2,400-session catalog of the benchmarks into dir
// as a download --format json file and returns its path.
func sessions2400(b *testing.B, dir string) string {
	b.Helper()
	cat := catalogtest.Sample2400(b)
	path := filepath.Join(dir, "sessions.json")
	var buf bytes.Buffer
	if err := catalog.WriteJSON(&buf, cat, nil); err != nil {
		b.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		b.Fatal(err)
	}
	return path
}

// reportMedian reports the median and the 90th percentile of took in
// milliseconds.
func reportMedian(b *testing.B, took []time.Duration) {
	slices.Sort(took)
	b.ReportMetric(float64(took[len(took)/2])/1e6, "ms-median")
	b.ReportMetric(float64(took[len(took)*9/10])/1e6, "ms-p90")
}
