package dynamo_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/reinvent-cli/reinvent/internal/catalogtest"
	"github.com/reinvent-cli/reinvent/internal/dynamolocal"
	fakex "github.com/reinvent-cli/reinvent/internal/fake/x"
	"github.com/reinvent-cli/reinvent/pkg/catalog"
	"github.com/reinvent-cli/reinvent/pkg/schedule"
	"github.com/reinvent-cli/reinvent/pkg/store/dynamo"
	"github.com/reinvent-cli/reinvent/pkg/store/storetest"
	"github.com/reinvent-cli/reinvent/pkg/watch"
	"github.com/reinvent-cli/reinvent/pkg/webhook"
	"github.com/reinvent-cli/reinvent/pkg/x"
)

// The benchmarks of docs/performance.md, "The DynamoDB store": the store's
// hot paths with the bodies pkg/store runs on SQLite, and the requests a
// mention and a change cost. minidyn is in memory: the times measure our
// requests and their encoding, not DynamoDB's latency; the reads and
// writes per operation are what DynamoDB would bill.

// dynamoBench makes a table on a fresh local DynamoDB and opens the store
// in it through a client that counts its requests in r.
func dynamoBench(tb testing.TB, r *dynamolocal.Requests) *dynamo.Store {
	url := dynamolocal.Start(tb)
	ctx := context.Background()
	if err := dynamo.CreateTable(ctx, dynamolocal.Client(url), "reinvent"); err != nil {
		tb.Fatal(err)
	}
	s, err := dynamo.OpenClient(ctx, dynamolocal.Counting(url, r), "reinvent")
	if err != nil {
		tb.Fatal(err)
	}
	return s
}

func bench(b *testing.B) storetest.Bench {
	var r dynamolocal.Requests
	return storetest.Bench{Store: dynamoBench(b, &r), Requests: r.Counts}
}

func BenchmarkEnqueue(b *testing.B) { storetest.BenchEnqueue(b, bench(b)) }
func BenchmarkClaim(b *testing.B)   { storetest.BenchClaim(b, bench(b)) }
func BenchmarkPending(b *testing.B) { storetest.BenchPending(b, bench(b), 10) }

func BenchmarkRecord(b *testing.B) {
	for _, n := range []int{1, 100} {
		b.Run(fmt.Sprintf("changed=%d", n), func(b *testing.B) { storetest.BenchRecord(b, bench(b), n) })
	}
}

var cred = x.Credentials{ConsumerKey: "ck", ConsumerSecret: "cs", AccessToken: "at", AccessTokenSecret: "ats"}

// BenchmarkMention queues one mention as the webhook does (Worker.Enqueue)
// and answers it as a worker invocation does (Worker.Run until nothing is
// due), posting its thread to the fake X; it reports the reads and writes
// of each half.
func BenchmarkMention(b *testing.B) {
	var r dynamolocal.Requests
	s := dynamoBench(b, &r)
	fx := fakex.New(cred)
	b.Cleanup(fx.Close)
	cat := catalogtest.Sample2400(b)
	codes := cat.Sessions[0].Code + " " + cat.Sessions[40].Code + " " + cat.Sessions[80].Code
	w := &webhook.Worker{
		Store: s, Poster: x.NewClient(fx.URL(), cred), Catalog: func() *catalog.Catalog { return cat },
		Plan:      schedule.Options{Location: time.UTC, UnknownTravel: 30 * time.Minute},
		BotHandle: "reinventbot", UserLimit: 5, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
	}
	ctx := context.Background()
	stop := make(chan struct{})
	close(stop) // Run answers what is due, then returns
	var queue, answer [2]int64
	count := func(into *[2]int64, f func()) {
		r0, w0 := r.Counts()
		f()
		r1, w1 := r.Counts()
		into[0] += r1 - r0
		into[1] += w1 - w0
	}
	i := 0
	for b.Loop() {
		i++
		m := webhook.Mention{ID: fmt.Sprint(1000 + i), UserID: fmt.Sprint(i), User: "user", Text: "@reinventbot " + codes}
		fx.Exists(m.ID)
		count(&queue, func() {
			if err := w.Enqueue(ctx, []webhook.Mention{m}); err != nil {
				b.Fatal(err)
			}
		})
		count(&answer, func() { w.Run(ctx, stop, 1) })
	}
	if n := len(fx.Posts()); n < b.N {
		b.Fatalf("%d posts for %d mentions", n, b.N)
	}
	n := float64(b.N)
	b.ReportMetric(float64(len(fx.Posts()))/n, "posts/op")
	b.ReportMetric(float64(queue[0])/n, "queue-reads/op")
	b.ReportMetric(float64(queue[1])/n, "queue-writes/op")
	b.ReportMetric(float64(answer[0])/n, "answer-reads/op")
	b.ReportMetric(float64(answer[1])/n, "answer-writes/op")
}

// BenchmarkWatch runs watch --tweet on a store holding the 2,400 sessions
// of catalogtest.Sample2400, with 0, 1 or 10 of them changed a run, each
// change posted to the fake X: what a run and a change cost.
func BenchmarkWatch(b *testing.B) {
	for _, changed := range []int{0, 1, 10} {
		b.Run(fmt.Sprintf("changed=%d", changed), func(b *testing.B) {
			var r dynamolocal.Requests
			s := dynamoBench(b, &r)
			fx := fakex.New(cred)
			b.Cleanup(fx.Close)
			cat := catalogtest.Sample2400(b)
			d := watch.Deps{Store: s, Poster: x.NewClient(fx.URL(), cred),
				Fetch:  func(context.Context) (*catalog.Catalog, error) { return cat, nil },
				Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
			o := watch.Options{Event: "reinvent-2026", Source: "bench", Location: time.UTC}
			ctx := context.Background()
			if _, err := watch.Run(ctx, d, o); err != nil { // the silent baseline
				b.Fatal(err)
			}
			round := 0
			r0, w0 := r.Counts()
			for b.Loop() {
				round++
				for i := range changed {
					cat.Sessions[i].Room = fmt.Sprintf("Room %d", round)
				}
				if _, err := watch.Run(ctx, d, o); err != nil {
					b.Fatal(err)
				}
			}
			if got := len(fx.Posts()); got != changed*b.N {
				b.Fatalf("%d posts, want %d", got, changed*b.N)
			}
			r1, w1 := r.Counts()
			b.ReportMetric(float64(r1-r0)/float64(b.N), "reads/op")
			b.ReportMetric(float64(w1-w0)/float64(b.N), "writes/op")
		})
	}
}
