package mcpserver_test

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/reinvent-cli/reinvent/internal/testenv"
	"github.com/reinvent-cli/reinvent/pkg/catalog"
	"github.com/reinvent-cli/reinvent/pkg/mcpserver"
	"github.com/reinvent-cli/reinvent/pkg/reserve"
	"github.com/reinvent-cli/reinvent/pkg/schedule"
)

// Serve keeps the catalog in memory when it can (as serve-webhook does):
// calls read no catalog but the kept one, and when the client goes, the
// keeper is stopped and waited for before Serve returns.
func TestServeKeepsTheCatalog(t *testing.T) {
	cat, err := sampleOnce()
	if err != nil {
		t.Fatal(err)
	}
	var fetches atomic.Int32
	stopped := make(chan struct{})
	deps := mcpserver.Deps{
		Fetch: func(context.Context, bool) (*catalog.Catalog, error) { fetches.Add(1); return cat, nil },
		KeepCatalog: func(ctx context.Context, set func(*catalog.Catalog)) (func(), error) {
			set(cat)
			go func() { <-ctx.Done(); close(stopped) }()
			return func() { <-stopped }, nil
		},
	}
	inR, inW := io.Pipe()
	outR, outW := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- mcpserver.Serve(context.Background(), deps, mcpserver.Options{Location: testenv.Vegas, Plan: reserve.PlanOptions{Plan: schedule.Options{UnknownTravel: 30 * time.Minute, TimeLimit: time.Second}}}, inR, outW)
		outW.Close()
	}()
	cs, err := mcp.NewClient(&mcp.Implementation{Name: "test", Version: "1"}, nil).Connect(context.Background(), &mcp.IOTransport{Reader: outR, Writer: inW}, nil)
	if err != nil {
		t.Fatal(err)
	}
	mustCall(t, cs, "plan_schedule", map[string]any{"codes": []string{"SVS401"}})
	mustCall(t, cs, "get_session", map[string]any{"code": "SVS401"})
	if n := fetches.Load(); n != 0 {
		t.Errorf("%d fetches with the catalog kept, want 0", n)
	}
	cs.Close()
	inW.Close()
	if err := <-done; err != nil {
		t.Errorf("Serve = %v when its input closed, want nil", err)
	}
	select {
	case <-stopped:
	default:
		t.Error("Serve returned with the keeper running")
	}
}

// A signal (ctx ending) stops the server as closing its input does: Serve
// returns nil, and logs nothing at error.
func TestServeStopsOnSignal(t *testing.T) {
	var logs strings.Builder
	var mu sync.Mutex
	log := slog.New(slog.NewTextHandler(lockedWriter{&mu, &logs}, nil))
	ctx, cancel := context.WithCancel(context.Background())
	inR, inW := io.Pipe()
	defer inW.Close()
	outR, outW := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- mcpserver.Serve(ctx, sampleDeps(t), mcpserver.Options{Logger: log, Location: testenv.Vegas, Plan: reserve.PlanOptions{Plan: schedule.Options{TimeLimit: time.Second}}}, inR, outW)
		outW.Close()
	}()
	cs, err := mcp.NewClient(&mcp.Implementation{Name: "test", Version: "1"}, nil).Connect(context.Background(), &mcp.IOTransport{Reader: outR, Writer: inW}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer cs.Close()
	mustCall(t, cs, "get_session", map[string]any{"code": "SVS401"})
	cancel()
	if err := <-done; err != nil {
		t.Errorf("Serve = %v on a signal, want nil", err)
	}
	mu.Lock()
	defer mu.Unlock()
	if strings.Contains(logs.String(), "level=ERROR") {
		t.Errorf("logged on a signal:\n%s", logs.String())
	}
}

type lockedWriter struct {
	mu *sync.Mutex
	w  io.Writer
}

func (l lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// A client that writes its requests and closes the server's input (a
// script: printf ... | reinvent mcp) still gets every answer: the input's
// end waits for the requests already read.
func TestServeAnswersWhatItReadBeforeTheEnd(t *testing.T) {
	in := strings.Join([]string{
		`{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"script","version":"1"}}}`,
		`{"jsonrpc":"2.0","method":"notifications/initialized"}`,
		`{"jsonrpc":"2.0","id":"plan","method":"tools/call","params":{"name":"plan_schedule","arguments":{"codes":["SVS401","ARC302"]}}}`,
		`{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"search_sessions","arguments":{"query":"kubernetes","limit":2}}}`,
	}, "\n") + "\n"
	var out strings.Builder
	var mu sync.Mutex
	err := mcpserver.Serve(context.Background(), sampleDeps(t), mcpserver.Options{Location: testenv.Vegas, Plan: reserve.PlanOptions{Plan: schedule.Options{UnknownTravel: 30 * time.Minute, TimeLimit: time.Second}}},
		strings.NewReader(in), lockedWriter{&mu, &out})
	if err != nil {
		t.Fatalf("Serve = %v at the input's end, want nil", err)
	}
	mu.Lock()
	defer mu.Unlock()
	for _, id := range []string{`"id":1,`, `"id":"plan",`, `"id":3,`} {
		if !strings.Contains(out.String(), id) {
			t.Errorf("no answer to %s in:\n%s", id, out.String())
		}
	}
	if !strings.Contains(out.String(), "SVS401") || strings.Contains(out.String(), `"isError":true`) {
		t.Errorf("the answers hold no plan of SVS401, or an error:\n%.2000s", out.String())
	}
}
