package main

import (
	"bytes"
	"context"
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
	cat, err := catalogtest.Sample2400()
	if err != nil {
		b.Fatal(err)
	}
	dir := b.TempDir()
	path := filepath.Join(dir, "sessions.json")
	var buf bytes.Buffer
	if err := catalog.WriteJSON(&buf, cat, nil); err != nil {
		b.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		b.Fatal(err)
	}
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
	slices.Sort(took)
	b.ReportMetric(float64(took[len(took)/2])/1e6, "ms-median")
	b.ReportMetric(float64(took[len(took)*9/10])/1e6, "ms-p90")
}
