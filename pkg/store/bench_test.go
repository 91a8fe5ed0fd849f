package store

import (
	"context"
	"fmt"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/reinvent-cli/reinvent/pkg/catalog"
	"github.com/reinvent-cli/reinvent/pkg/catalog/sample"
)

// sampleCatalog returns the embedded sample catalog in Las Vegas time.
func sampleCatalog(t testing.TB) *catalog.Catalog {
	t.Helper()
	loc, err := time.LoadLocation("America/Los_Angeles")
	if err != nil {
		t.Fatal(err)
	}
	c, err := sample.Source{}.Fetch(context.Background(), catalog.FetchOptions{Location: loc})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// benchSessions returns n sessions with the sizes of real ones (taken
// from the sample catalog), with codes BEN0000... and titles marked with
// round, so that every round changes every session.
func benchSessions(b *testing.B, n, round int) []catalog.Session {
	b.Helper()
	tmpl := sampleCatalog(b).Sessions
	out := make([]catalog.Session, n)
	for i := range out {
		s := tmpl[i%len(tmpl)]
		s.Code, s.BaseCode = fmt.Sprintf("BEN%04d", i), fmt.Sprintf("BEN%04d", i)
		s.Title = fmt.Sprintf("%s (round %d)", s.Title, round)
		out[i] = s
	}
	return out
}

// reportMiB reports the MiB allocated per operation since before.
func reportMiB(b *testing.B, before *runtime.MemStats) {
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	b.ReportMetric(float64(after.TotalAlloc-before.TotalAlloc)/float64(b.N)/(1<<20), "MiB/op")
}

// BenchmarkHeads5000x20 reads the heads of a store holding 20 versions of
// each of 5,000 sessions and looks every code up, as watch's diff does.
func BenchmarkHeads5000x20(b *testing.B) {
	ctx := context.Background()
	const sessions, rounds = 5000, 20
	s := openAt(b, filepath.Join(b.TempDir(), "reinvent.db"), len(migrations))
	for r := range rounds {
		if _, err := s.Record(ctx, Run{Event: event, Source: "bench", Sessions: benchSessions(b, sessions, r)}); err != nil {
			b.Fatal(err)
		}
	}
	codes := make([]string, sessions)
	for i := range codes {
		codes[i] = fmt.Sprintf("BEN%04d", i)
	}
	b.ReportAllocs()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	b.ResetTimer()
	for b.Loop() {
		h, err := s.Heads(ctx, event)
		if err != nil {
			b.Fatal(err)
		}
		for _, c := range codes {
			if _, removed, ok := h.Get(c); !ok || removed {
				b.Fatalf("head of %s missing", c)
			}
		}
	}
	b.StopTimer()
	reportMiB(b, &before)
}
