package dynamo_test

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/reinvent-cli/reinvent/internal/catalogtest"
	"github.com/reinvent-cli/reinvent/internal/dynamolocal"
	fakex "github.com/reinvent-cli/reinvent/internal/fake/x"
	"github.com/reinvent-cli/reinvent/pkg/catalog"
	"github.com/reinvent-cli/reinvent/pkg/schedule"
	"github.com/reinvent-cli/reinvent/pkg/watch"
	"github.com/reinvent-cli/reinvent/pkg/webhook"
	"github.com/reinvent-cli/reinvent/pkg/x"
)

// TestRequestsPerMention holds the store to the requests docs/serverless.md
// ("Requests per mention") prices: what a mention queued, answered and
// delivered again, and a run of watch with and without a change, ask of
// DynamoDB. More requests would cost every deployment more.
func TestRequestsPerMention(t *testing.T) {
	var r dynamolocal.Requests
	s := dynamoBench(t, &r)
	fx := fakex.New(cred)
	t.Cleanup(fx.Close)
	cat := catalogtest.Sample2400(t)
	cat.Sessions = cat.Sessions[:50] // the counts do not depend on it; minidyn's time does
	w := &webhook.Worker{
		Store: s, Poster: x.NewClient(fx.URL(), cred), Catalog: func() *catalog.Catalog { return cat },
		Plan:      schedule.Options{Location: time.UTC, UnknownTravel: 30 * time.Minute},
		BotHandle: "reinventbot", UserLimit: 5, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
	}
	ctx := context.Background()
	m := webhook.Mention{ID: "1001", UserID: "42", User: "frank", Text: "@reinventbot " + cat.Sessions[0].Code}
	fx.Exists(m.ID)
	stop := make(chan struct{})
	close(stop)

	check := func(what string, wantReads, wantWrites int64, f func()) {
		t.Helper()
		r0, w0 := r.Counts()
		f()
		r1, w1 := r.Counts()
		if r1-r0 != wantReads || w1-w0 != wantWrites {
			t.Errorf("%s: %d reads, %d writes; docs/serverless.md says %d and %d", what, r1-r0, w1-w0, wantReads, wantWrites)
		}
	}
	enqueue := func() {
		if err := w.Enqueue(ctx, []webhook.Mention{m}); err != nil {
			t.Fatal(err)
		}
	}
	check("a mention queued", 2, 2, enqueue)
	check("the same mention delivered again", 1, 0, enqueue)
	// Claimed and answered with one post (2 reads, 4 writes), then the
	// worker finds nothing more due (2 reads).
	check("a mention answered by one worker", 4, 4, func() { w.Run(ctx, stop, 1) })
	if n := len(fx.Posts()); n != 1 {
		t.Fatalf("%d posts, want the one-post thread", n)
	}

	d := watch.Deps{Store: s, Poster: x.NewClient(fx.URL(), cred),
		Fetch:  func(context.Context) (*catalog.Catalog, error) { return cat, nil },
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
	o := watch.Options{Event: "reinvent-2026", Source: "test", Location: time.UTC}
	run := func() {
		if _, err := watch.Run(ctx, d, o); err != nil {
			t.Fatal(err)
		}
	}
	run() // the silent baseline
	check("a run of watch with no change", 4, 2, run)
	cat.Sessions[0].Room = "Room 1"
	check("a run of watch with one change posted", 9, 13, run)
	if n := len(fx.Posts()); n != 2 {
		t.Fatalf("%d posts, want the reply and the change", n)
	}
}
