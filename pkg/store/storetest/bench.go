package storetest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/reinvent-cli/reinvent/internal/catalogtest"
	"github.com/reinvent-cli/reinvent/pkg/catalog"
	"github.com/reinvent-cli/reinvent/pkg/store"
)

// The benchmarks of the stores' hot paths (docs/performance.md, "The
// DynamoDB store"): each implementation runs the same bodies, so that
// their figures compare.

// Bench is a store under benchmark, new and empty.
type Bench struct {
	Store store.Backend
	// Requests, for a store that talks to a server, returns the reads
	// and writes it has asked for so far; the benchmarks then report
	// them per operation. Nil for SQLite.
	Requests func() (reads, writes int64)
}

// counted reports the requests made since start was called, per op.
func (s Bench) counted(b *testing.B) (report func()) {
	if s.Requests == nil {
		return func() {}
	}
	r0, w0 := s.Requests()
	return func() {
		r, w := s.Requests()
		b.ReportMetric(float64(r-r0)/float64(b.N), "reads/op")
		b.ReportMetric(float64(w-w0)/float64(b.N), "writes/op")
	}
}

// BenchEnqueue enqueues mentions of 100 users under a limit of 5 an
// hour, as the webhook does before it answers 200.
func BenchEnqueue(b *testing.B, s Bench) {
	ctx := context.Background()
	b.ReportAllocs()
	report := s.counted(b)
	i := 0
	for b.Loop() {
		j := store.Job{ID: fmt.Sprint(i), UserID: fmt.Sprint(i % 100), User: "user", Text: "@bot SVS215 CON213 API304",
			CreatedAt: t0.Add(time.Duration(i) * time.Second)}
		if _, err := s.Store.Enqueue(ctx, j, 5, time.Hour); err != nil {
			b.Fatal(err)
		}
		i++
	}
	report()
}

// BenchClaim claims the due mentions of a queue of b.N, one a call, as a
// worker does before it answers one.
func BenchClaim(b *testing.B, s Bench) {
	ctx := context.Background()
	jobs := make([]store.Job, b.N)
	for i := range jobs {
		jobs[i] = store.Job{ID: fmt.Sprint(i), UserID: fmt.Sprint(i), User: "user", Text: "@bot SVS215",
			CreatedAt: t0.Add(time.Duration(i) * time.Millisecond)}
	}
	if _, err := s.Store.EnqueueBatch(ctx, jobs, 0, time.Hour); err != nil {
		b.Fatal(err)
	}
	now := t0.Add(time.Minute)
	b.ReportAllocs()
	b.ResetTimer()
	report := s.counted(b)
	for range b.N {
		if _, err := s.Store.Claim(ctx, now, time.Hour); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	report()
}

// BenchRecord records a run in which changed sessions of the 2,400 of a
// store changed (catalogtest.Sample2400), each with a change and a post:
// one run of watch --tweet.
func BenchRecord(b *testing.B, s Bench, changed int) {
	ctx := context.Background()
	all := catalogtest.Sample2400(b).Sessions
	if _, err := s.Store.Record(ctx, store.Run{Event: event, Source: "bench", At: t0, Sessions: all}); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	report := s.counted(b)
	round := 0
	for b.Loop() {
		round++
		r := changes(all[:changed], round)
		if _, err := s.Store.Record(ctx, r); err != nil {
			b.Fatal(err)
		}
	}
	report()
}

// BenchPending reads the pending posts of a store holding pending of
// them, as watch does before it posts.
func BenchPending(b *testing.B, s Bench, pending int) {
	ctx := context.Background()
	all := catalogtest.Sample2400(b).Sessions
	if _, err := s.Store.Record(ctx, store.Run{Event: event, Source: "bench", At: t0, Sessions: all}); err != nil {
		b.Fatal(err)
	}
	if _, err := s.Store.Record(ctx, changes(all[:pending], 1)); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	report := s.counted(b)
	for b.Loop() {
		p, err := s.Store.Pending(ctx, event)
		if err != nil {
			b.Fatal(err)
		}
		if len(p) != pending {
			b.Fatalf("%d pending posts, want %d", len(p), pending)
		}
	}
	report()
}

// changes is the run of watch in which the room of each of sessions
// changed in round.
func changes(sessions []catalog.Session, round int) store.Run {
	r := store.Run{Event: event, Source: "bench", At: t0.Add(time.Duration(round) * time.Minute)}
	for _, x := range sessions {
		old := x.Room
		x.Room = fmt.Sprintf("Room %d", round)
		r.Sessions = append(r.Sessions, x)
		r.Changes = append(r.Changes, store.Change{Code: x.Code, Kind: store.KindUpdated, Fields: []string{"room"},
			Old: map[string]any{"room": old}, New: map[string]any{"room": x.Room},
			Post: "UPDATED " + x.Code + " room → " + x.Room + " #reInvent"})
	}
	return r
}
