package mcpserver_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/reinvent-cli/reinvent/internal/catalogtest"
	"github.com/reinvent-cli/reinvent/pkg/catalog"
	"github.com/reinvent-cli/reinvent/pkg/mcpserver"
)

// BenchmarkPlanSchedule2400 is one plan_schedule round trip of the SDK's
// client to a warm server (its catalog of 2,400 sessions in memory), over
// the SDK's in-memory transport: the JSON-RPC both ways, the schema
// checks of the arguments and the result, reserve.PlanAround and the
// schedule's JSON. It reports the median and p90 of the round trips
// (docs/performance.md, "MCP").
func BenchmarkPlanSchedule2400(b *testing.B) {
	cat := catalogtest.Sample2400(b)
	deps := mcpserver.Deps{Fetch: func(context.Context, bool) (*catalog.Catalog, error) { return cat, nil }}
	cs := connect(b, deps, mcpserver.Options{})
	params := &mcp.CallToolParams{Name: "plan_schedule", Arguments: map[string]any{"codes": []string{"SVS401", "ARC302"}}}
	var took []time.Duration
	for b.Loop() {
		start := time.Now()
		res, err := cs.CallTool(context.Background(), params)
		took = append(took, time.Since(start))
		if err != nil || res.IsError {
			b.Fatal(err, res)
		}
	}
	reportMedian(b, took)
}

// reportMedian reports the median and the 90th percentile of took in
// milliseconds.
func reportMedian(b *testing.B, took []time.Duration) {
	slices.Sort(took)
	b.ReportMetric(float64(took[len(took)/2])/1e6, "ms-median")
	b.ReportMetric(float64(took[len(took)*9/10])/1e6, "ms-p90")
}
