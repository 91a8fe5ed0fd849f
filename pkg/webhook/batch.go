package webhook

import (
	"context"
	"errors"
	"sync"
)

// ErrBatcherClosed is returned by Batcher.Queue after Close.
var ErrBatcherClosed = errors.New("webhook queue is closed")

// DefaultMaxBatch is the largest group commit of a Batcher made with a
// maxBatch below 1.
const DefaultMaxBatch = 512

// Batcher is a group commit in front of a durable queue: the mentions of
// deliveries that arrive while a commit runs are gathered and committed
// together by one goroutine, so that a store paying one fsync per
// transaction answers many deliveries per fsync. There is no waiting for
// company: a delivery that finds the queue idle is committed at once.
// Its Queue method is a Handler.Queue.
type Batcher struct {
	commit   func(ctx context.Context, ms []Mention) error
	maxBatch int

	mu      sync.Mutex
	pending []*batch // oldest first; only the last one takes more
	closed  bool
	kick    chan struct{} // a batch is pending or the batcher closed
	done    chan struct{} // the commit goroutine returned

	// queued, when set by tests, is called under mu after a caller's
	// mentions joined a pending batch.
	queued func()
}

// batch is one group commit: its mentions in the order the callers came,
// and its error once done is closed.
type batch struct {
	ms   []Mention
	err  error
	done chan struct{}
}

// NewBatcher starts a batcher that stores mentions with commit, at most
// maxBatch mentions a call (DefaultMaxBatch when below 1); a single
// delivery with more is committed alone. commit runs on one goroutine, one
// call at a time, with a context that is never cancelled; it must store
// all the mentions or none. Close stops the batcher.
func NewBatcher(commit func(ctx context.Context, ms []Mention) error, maxBatch int) *Batcher {
	if maxBatch < 1 {
		maxBatch = DefaultMaxBatch
	}
	b := &Batcher{commit: commit, maxBatch: maxBatch, kick: make(chan struct{}, 1), done: make(chan struct{})}
	go b.run()
	return b
}

// Queue commits ms with the mentions of the other deliveries that arrive
// meanwhile and returns once that commit returned, with its error: on nil
// the mentions are stored. When ctx ends first, Queue returns ctx.Err() at
// once; the mentions may still be committed (a redelivery of them is then
// a duplicate). After Close it returns ErrBatcherClosed.
func (b *Batcher) Queue(ctx context.Context, ms []Mention) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if len(ms) == 0 {
		return nil
	}
	b.mu.Lock()
	if b.closed {
		b.mu.Unlock()
		return ErrBatcherClosed
	}
	var into *batch
	if n := len(b.pending); n > 0 && len(b.pending[n-1].ms)+len(ms) <= b.maxBatch {
		into = b.pending[n-1]
	} else {
		into = &batch{ms: make([]Mention, 0, max(len(ms), min(b.maxBatch, 64))), done: make(chan struct{})}
		b.pending = append(b.pending, into)
	}
	into.ms = append(into.ms, ms...)
	if b.queued != nil {
		b.queued()
	}
	b.mu.Unlock()
	select {
	case b.kick <- struct{}{}:
	default:
	}

	select {
	case <-into.done:
		return into.err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Close stops taking mentions, waits until the pending ones are committed
// and returns. Queue calls still waiting get their commit's error as usual.
func (b *Batcher) Close() {
	b.mu.Lock()
	b.closed = true
	b.mu.Unlock()
	select {
	case b.kick <- struct{}{}:
	default:
	}
	<-b.done
}

// run commits the pending batches oldest first until the batcher is
// closed and nothing is pending.
func (b *Batcher) run() {
	defer close(b.done)
	ctx := context.Background()
	for {
		b.mu.Lock()
		if len(b.pending) == 0 {
			closed := b.closed
			b.mu.Unlock()
			if closed {
				return
			}
			<-b.kick
			continue
		}
		next := b.pending[0]
		b.pending[0] = nil
		b.pending = b.pending[1:]
		b.mu.Unlock()

		next.err = b.commit(ctx, next.ms)
		close(next.done)
	}
}
