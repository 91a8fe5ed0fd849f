package lambda

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/reinvent-cli/reinvent/pkg/store"
	"github.com/reinvent-cli/reinvent/pkg/webhook"
	"github.com/reinvent-cli/reinvent/pkg/x"
)

// ErrNoCatalog is the worker's error when no catalog arrived before the
// invocation's deadline: Lambda tries the event again, and the mentions
// wait in the queue.
var ErrNoCatalog = errors.New("no catalog before the deadline; the mentions stay queued")

// trigger says what woke the worker: a DynamoDB stream batch
// (events.DynamoDBEvent, docs/serverless.md#events) or anything else, a
// scheduler event.
func trigger(payload []byte) (string, int) {
	var ev events.DynamoDBEvent
	if json.Unmarshal(payload, &ev) == nil && len(ev.Records) > 0 && ev.Records[0].EventSource == "aws:dynamodb" {
		return "stream", len(ev.Records)
	}
	return "schedule", 0
}

// work answers the queued mentions that are due, as serve-webhook's
// workers do, until none is left or the deadline nears (Options.Margin
// before it). A job it leaves unfinished is leased until the deadline, so
// another copy takes it up only once this one can no longer be at work.
func (f *Function) work(ctx context.Context, payload []byte) (outcome, error) {
	by, records := trigger(payload)
	out := outcome{Handler: Worker, attrs: []any{"trigger", by}}
	if by == "stream" {
		out.attrs = append(out.attrs, "records", records)
	}
	end, lease := f.window(ctx)
	work, cancel := context.WithDeadline(ctx, end)
	defer cancel()
	select {
	case <-f.catReady:
	case <-work.Done():
		out.Outcome = "no catalog"
		return out, ErrNoCatalog
	}
	f.worker.Lease = lease
	stop := make(chan struct{})
	close(stop) // drain: answer what is due, then return
	f.worker.Run(work, stop, max(f.o.Workers, 1))
	switch until, err := f.d.Store.Held(ctx, store.HoldPosts); {
	case err != nil:
		out.Outcome = "error"
		return out, fmt.Errorf("read the post hold: %w", err)
	case work.Err() != nil:
		out.Outcome = "deadline"
	case f.d.Now().Before(until):
		out.Outcome = "held"
		out.attrs = append(out.attrs, "held_until", until.UTC().Format(time.RFC3339))
	default:
		out.Outcome = "drained"
	}
	if next, ok, err := f.d.Store.NextDue(ctx); err == nil && ok {
		out.attrs = append(out.attrs, "next_due", next.UTC().Format(time.RFC3339))
	}
	return out, nil
}

// window returns when the worker stops (Margin before the invocation's
// deadline) and how long its jobs are leased: to the deadline and a
// second, when Lambda has stopped the invocation for sure. Without a
// deadline (a test, or no Lambda), it works for a minute.
func (f *Function) window(ctx context.Context) (end time.Time, lease time.Duration) {
	now := time.Now()
	deadline, ok := ctx.Deadline()
	if !ok {
		deadline = now.Add(time.Minute)
	}
	left := deadline.Sub(now)
	margin := min(f.o.Margin, left/2)
	return deadline.Add(-margin), max(left, 0) + time.Second
}

// tick serves a scheduler event: one run of watch --tweet and one read of
// the mention timeline, as Options say. Watch's and the poll's refusals are
// logged with the outcome; only a failure Lambda should retry is an
// error.
func (f *Function) tick(ctx context.Context, _ []byte) (outcome, error) {
	out := outcome{Handler: Schedule}
	var errs []error
	var done []string
	if f.o.Watch {
		switch err := f.d.Watch(ctx); {
		case errors.Is(err, store.ErrLocked):
			// Another copy runs watch now; it posts what changed.
			done = append(done, "watched")
			out.attrs = append(out.attrs, "watch", "another copy runs it")
		case err != nil:
			errs = append(errs, fmt.Errorf("watch: %w", err))
			out.attrs = append(out.attrs, "watch", "failed")
		default:
			done = append(done, "watched")
			out.attrs = append(out.attrs, "watch", "ok")
		}
	}
	if f.o.Poll {
		var rl *x.RateLimitError
		switch err := f.pollOnce(ctx); {
		case errors.As(err, &rl):
			// The mentions wait on X's side; the next event reads them.
			done = append(done, "polled")
			out.attrs = append(out.attrs, "poll", "rate-limited")
		case err != nil:
			errs = append(errs, fmt.Errorf("poll mentions: %w", err))
			out.attrs = append(out.attrs, "poll", "failed")
		default:
			done = append(done, "polled")
			out.attrs = append(out.attrs, "poll", "ok")
		}
	}
	if err := errors.Join(errs...); err != nil {
		out.Outcome = "failed"
		return out, err
	}
	switch {
	case len(done) == 2:
		out.Outcome = "watched and polled"
	default:
		out.Outcome = done[0]
	}
	return out, nil
}

// pollOnce reads the mention timeline once from where the last read
// stopped (webhook.Poller, the store's cursor) and queues what it finds.
func (f *Function) pollOnce(ctx context.Context) error {
	once, cancel := context.WithCancel(ctx)
	defer cancel()
	var readErr error
	p := &webhook.Poller{
		Timeline: f.d.Timeline, Store: f.d.Store, Queue: f.worker.Enqueue,
		BotHandle: f.o.BotHandle, Interval: time.Second, Logger: f.d.Logger, Now: f.d.Now,
		Read: func(err error) { readErr = err; cancel() },
	}
	if err := p.Run(once); err != nil {
		return err
	}
	if readErr == nil && ctx.Err() != nil {
		return ctx.Err()
	}
	return readErr
}
