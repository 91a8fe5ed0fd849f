package webhook

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/reinvent-cli/reinvent/pkg/store"
)

// commitLog is a commit function that records every batch it is given and
// fails the batches for which fail says so.
type commitLog struct {
	mu      sync.Mutex
	batches [][]Mention
	errs    []error
	fail    func(n int) bool // n counts the commits from 0
	// gate, when set, is received from before each commit returns.
	gate chan struct{}
	// started, when set, gets each batch as its commit begins.
	started chan []Mention
}

func (c *commitLog) commit(_ context.Context, ms []Mention) error {
	if c.started != nil {
		c.started <- slices.Clone(ms)
	}
	if c.gate != nil {
		<-c.gate
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	var err error
	if c.fail != nil && c.fail(len(c.batches)) {
		err = fmt.Errorf("commit %d failed", len(c.batches))
	}
	c.batches = append(c.batches, slices.Clone(ms))
	c.errs = append(c.errs, err)
	return err
}

// mentions returns n mentions with ids prefix-0, prefix-1...
func mentions(prefix string, n int) []Mention {
	ms := make([]Mention, n)
	for i := range ms {
		ms[i] = Mention{ID: fmt.Sprintf("%s-%d", prefix, i), UserID: prefix, User: prefix, Text: "@reinventbot SVS215"}
	}
	return ms
}

// queuedSignal makes b report on the returned channel each time a caller's
// mentions joined a pending batch.
func queuedSignal(b *Batcher) chan struct{} {
	ch := make(chan struct{}, 1000)
	b.mu.Lock()
	b.queued = func() { ch <- struct{}{} }
	b.mu.Unlock()
	return ch
}

func TestBatcherCommitsEachMentionOnceWithItsBatchError(t *testing.T) {
	log := &commitLog{fail: func(n int) bool { return n%3 == 1 }}
	b := NewBatcher(log.commit, 16)
	const callers = 64
	type result struct {
		ms  []Mention
		err error
	}
	results := make(chan result, callers)
	var wg sync.WaitGroup
	for i := range callers {
		wg.Go(func() {
			for k := range 10 {
				ms := mentions(fmt.Sprintf("c%d.%d", i, k), 1+(i+k)%4)
				results <- result{ms, b.Queue(context.Background(), ms)}
			}
		})
	}
	seen := 0
	for range callers * 10 {
		r := <-results
		seen++
		// The caller's mentions are in exactly one batch, together and in
		// order, and the caller got that batch's error.
		log.mu.Lock()
		found := -1
		for n, batch := range log.batches {
			if i := slices.IndexFunc(batch, func(m Mention) bool { return m.ID == r.ms[0].ID }); i >= 0 {
				if found >= 0 {
					t.Errorf("%s committed twice", r.ms[0].ID)
				}
				found = n
				if i+len(r.ms) > len(batch) || !slices.Equal(batch[i:i+len(r.ms)], r.ms) {
					t.Errorf("the mentions of %s are not together in batch %d", r.ms[0].UserID, n)
				}
			}
		}
		if found < 0 {
			t.Errorf("Queue(%s) returned %v before its mentions were committed", r.ms[0].UserID, r.err)
		} else if r.err != log.errs[found] {
			t.Errorf("Queue(%s) = %v, want its batch's error %v", r.ms[0].UserID, r.err, log.errs[found])
		}
		log.mu.Unlock()
	}
	wg.Wait()
	b.Close()

	ids := make(map[string]int)
	total := 0
	for _, batch := range log.batches {
		if len(batch) > 16 {
			t.Errorf("a batch of %d mentions, over the maximum of 16", len(batch))
		}
		for _, m := range batch {
			ids[m.ID]++
			total++
		}
	}
	if want := callers * 10 * 5 / 2; total != want || len(ids) != want {
		t.Errorf("%d mentions committed, %d distinct; want %d once each", total, len(ids), want)
	}
	t.Logf("%d deliveries in %d commits", seen, len(log.batches))
}

func TestBatcherGathersWhileCommitting(t *testing.T) {
	log := &commitLog{gate: make(chan struct{}), started: make(chan []Mention, 10),
		fail: func(n int) bool { return n == 1 }}
	b := NewBatcher(log.commit, 3)
	queued := queuedSignal(b)
	errs := make(chan error, 10)
	queue := func(name string, n int) {
		go func() { errs <- b.Queue(context.Background(), mentions(name, n)) }()
		<-queued
	}

	queue("first", 1)
	if got := <-log.started; len(got) != 1 || got[0].ID != "first-0" {
		t.Fatalf("first commit %v, want first-0 alone at once", got)
	}
	// While it runs, four deliveries come. With at most 3 mentions a
	// commit, a and b share one; c's two do not fit with them and start
	// the next; big's five, over the maximum, are committed alone.
	queue("a", 1)
	queue("b", 1)
	queue("c", 2)
	queue("big", 5)
	log.gate <- struct{}{} // first commit returns
	if err := <-errs; err != nil {
		t.Errorf("first Queue = %v", err)
	}
	want := [][]string{{"a-0", "b-0"}, {"c-0", "c-1"}, {"big-0", "big-1", "big-2", "big-3", "big-4"}}
	for i, w := range want {
		got := <-log.started
		ids := make([]string, len(got))
		for k, m := range got {
			ids[k] = m.ID
		}
		if !slices.Equal(ids, w) {
			t.Errorf("commit %d holds %v, want %v", i+2, ids, w)
		}
		log.gate <- struct{}{}
	}
	var failed, ok int
	for range 4 {
		if err := <-errs; err != nil {
			failed++
		} else {
			ok++
		}
	}
	// The second commit failed: its two callers (a and b) get the error.
	if failed != 2 || ok != 2 {
		t.Errorf("%d callers failed and %d succeeded, want 2 and 2", failed, ok)
	}
	b.Close()
}

func TestBatcherCancelledCallerAndClose(t *testing.T) {
	log := &commitLog{gate: make(chan struct{}), started: make(chan []Mention, 10)}
	b := NewBatcher(log.commit, 0)
	queued := queuedSignal(b)

	ctx, cancel := context.WithCancel(context.Background())
	errs := make(chan error, 1)
	go func() { errs <- b.Queue(ctx, mentions("impatient", 1)) }()
	<-queued
	<-log.started
	cancel()
	if err := <-errs; !errors.Is(err, context.Canceled) {
		t.Errorf("a cancelled caller got %v, want context.Canceled", err)
	}

	// A delivery waits behind the running commit; Close lets both finish.
	go func() { errs <- b.Queue(context.Background(), mentions("late", 2)) }()
	<-queued
	closed := make(chan struct{})
	go func() { b.Close(); close(closed) }()
	log.gate <- struct{}{}
	<-log.started
	log.gate <- struct{}{}
	<-closed
	if err := <-errs; err != nil {
		t.Errorf("a caller pending at Close got %v", err)
	}
	if len(log.batches) != 2 || len(log.batches[1]) != 2 {
		t.Errorf("commits %v, want the cancelled caller's and then the late one's", log.batches)
	}
	if err := b.Queue(context.Background(), mentions("after", 1)); !errors.Is(err, ErrBatcherClosed) {
		t.Errorf("Queue after Close = %v, want ErrBatcherClosed", err)
	}
	if err := b.Queue(ctx, mentions("gone", 1)); !errors.Is(err, context.Canceled) {
		t.Errorf("Queue with an ended context = %v", err)
	}
}

// BenchmarkBatcherEnqueue queues one new mention per call from 64
// goroutines into a real store through the batcher, as serve-webhook's
// handlers do (without HTTP and without workers); ns/op is per mention.
// Compare store's BenchmarkEnqueue, one transaction per mention.
func BenchmarkBatcherEnqueue(b *testing.B) {
	st, err := store.Open(context.Background(), filepath.Join(b.TempDir(), "reinvent.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	var commits atomic.Int64
	batcher := NewBatcher(func(ctx context.Context, ms []Mention) error {
		commits.Add(1)
		now := time.Now()
		jobs := make([]store.Job, len(ms))
		for i, m := range ms {
			jobs[i] = store.Job{ID: m.ID, UserID: m.UserID, User: m.User, Text: m.Text, NextAt: now, CreatedAt: now}
		}
		_, err := st.EnqueueBatch(ctx, jobs, 5, time.Hour)
		return err
	}, 0)
	defer batcher.Close()
	var next atomic.Int64
	b.SetParallelism(32) // 64 goroutines on 2 cores
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			n := next.Add(1)
			m := Mention{ID: fmt.Sprint(n), UserID: fmt.Sprint(n), User: "user", Text: "@reinventbot SVS215 CON213 API304"}
			if err := batcher.Queue(context.Background(), []Mention{m}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.ReportMetric(float64(next.Load())/float64(max(commits.Load(), 1)), "mentions/commit")
}
