package store

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

// randomMentions returns n jobs as the webhook sees them: redeliveries of
// earlier ids, a few busy users, times mostly rising with some late
// arrivals, and now and then a job that is already KindLimited.
func randomMentions(r *rand.Rand, n int) []Job {
	jobs := make([]Job, n)
	at := time.Duration(0)
	for i := range jobs {
		id := fmt.Sprint(i)
		if i > 0 && r.IntN(5) == 0 {
			id = jobs[r.IntN(i)].ID
		}
		at += time.Duration(r.IntN(20)) * time.Minute
		created := at
		if r.IntN(8) == 0 {
			created -= 90 * time.Minute
		}
		jobs[i] = mention(id, fmt.Sprint("user", r.IntN(4)), created)
		if r.IntN(10) == 0 {
			jobs[i].Kind = KindLimited
		}
	}
	return jobs
}

// allJobs reads every job of s by id.
func allJobs(t *testing.T, s *Store, ids []string) map[string]Job {
	t.Helper()
	m := make(map[string]Job)
	for _, id := range ids {
		m[id] = *job(t, s, id)
	}
	return m
}

func TestEnqueueBatchMatchesEnqueue(t *testing.T) {
	ctx := context.Background()
	for seed := range uint64(20) {
		r := rand.New(rand.NewPCG(seed, 7))
		jobs := randomMentions(r, 60)
		limit := []int{0, 1, 3, 5}[seed%4]

		one, batched := newStore(t), newStore(t)
		var want []Outcome
		var ids []string
		for _, j := range jobs {
			out, err := one.Enqueue(ctx, j, limit, time.Hour)
			if err != nil {
				t.Fatal(err)
			}
			want = append(want, out)
			ids = append(ids, j.ID)
		}
		var got []Outcome
		for rest := jobs; len(rest) > 0; {
			n := min(1+r.IntN(25), len(rest))
			outs, err := batched.EnqueueBatch(ctx, rest[:n], limit, time.Hour)
			if err != nil {
				t.Fatal(err)
			}
			if len(outs) != n {
				t.Fatalf("seed %d: %d outcomes for %d jobs", seed, len(outs), n)
			}
			got = append(got, outs...)
			rest = rest[n:]
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("seed %d, limit %d: batched outcomes\n%v\nwant (one by one)\n%v", seed, limit, got, want)
		}
		if a, b := allJobs(t, one, ids), allJobs(t, batched, ids); !reflect.DeepEqual(a, b) {
			t.Errorf("seed %d: the stored jobs differ:\nbatched %v\none by one %v", seed, b, a)
		}
	}
}

func TestEnqueueBatchWithinOneBatch(t *testing.T) {
	s := newStore(t)
	var jobs []Job
	for i := range 8 {
		jobs = append(jobs, mention(fmt.Sprint(i), "ada", time.Duration(i)*time.Minute))
	}
	jobs = append(jobs, mention("2", "ada", 10*time.Minute)) // a redelivery in the same batch
	outs, err := s.EnqueueBatch(context.Background(), jobs, 5, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	want := []Outcome{Queued, Queued, Queued, Queued, Queued, Limited, Dropped, Dropped, Duplicate}
	if !reflect.DeepEqual(outs, want) {
		t.Errorf("outcomes %v, want %v", outs, want)
	}
	if j := job(t, s, "5"); j.Kind != KindLimited || j.State != JobPending {
		t.Errorf("the sixth mention of the hour is %s/%s, want a pending polite note", j.Kind, j.State)
	}
	if j := job(t, s, "7"); j.State != JobDropped {
		t.Errorf("the eighth mention of the hour is %s, want dropped", j.State)
	}
}

func TestEnqueueBatchFailureStoresNothing(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	enqueue(t, s, mention("old", "ada", 0), Queued)
	// SQLite refuses the third insert of the batch, after two succeeded.
	if _, err := s.db.ExecContext(ctx, `CREATE TRIGGER refuse BEFORE INSERT ON jobs WHEN NEW.id = 'bad'
		BEGIN SELECT RAISE(ABORT, 'refused by test'); END`); err != nil {
		t.Fatal(err)
	}
	batch := []Job{mention("a", "ada", time.Minute), mention("b", "bob", time.Minute), mention("bad", "cy", time.Minute)}
	outs, err := s.EnqueueBatch(ctx, batch, 5, time.Hour)
	if err == nil || !strings.Contains(err.Error(), "refused by test") || !strings.Contains(err.Error(), "bad") {
		t.Fatalf("EnqueueBatch = %v, %v; want the trigger's error naming the job", outs, err)
	}
	for _, id := range []string{"a", "b", "bad"} {
		if _, err := s.JobByID(ctx, id); !errors.Is(err, ErrNotFound) {
			t.Errorf("job %s after the failed batch: %v, want not found", id, err)
		}
	}

	// A job that cannot be stored at all fails the batch before it starts.
	if _, err := s.EnqueueBatch(ctx, []Job{mention("c", "ada", 0), {UserID: "u"}}, 5, time.Hour); err == nil {
		t.Error("a batch with a job without id was accepted")
	}
	if _, err := s.JobByID(ctx, "c"); !errors.Is(err, ErrNotFound) {
		t.Errorf("job c after the refused batch: %v, want not found", err)
	}

	// A cancelled context stores nothing either; the store goes on working.
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := s.EnqueueBatch(cancelled, []Job{mention("d", "ada", 0)}, 5, time.Hour); !errors.Is(err, context.Canceled) {
		t.Errorf("EnqueueBatch with a cancelled context = %v", err)
	}
	outs, err = s.EnqueueBatch(ctx, []Job{mention("old", "ada", 0), mention("d", "ada", 0)}, 5, time.Hour)
	if err != nil || !reflect.DeepEqual(outs, []Outcome{Duplicate, Queued}) {
		t.Errorf("EnqueueBatch after the failures = %v, %v", outs, err)
	}
	if outs, err := s.EnqueueBatch(ctx, nil, 5, time.Hour); outs != nil || err != nil {
		t.Errorf("EnqueueBatch of nothing = %v, %v", outs, err)
	}
}

// BenchmarkEnqueueBatch64 enqueues batches of 64 mentions of 100 users,
// as the webhook's group commit does under load; compare ns per job with
// BenchmarkEnqueue.
func BenchmarkEnqueueBatch64(b *testing.B) {
	ctx := context.Background()
	s := openAt(b, filepath.Join(b.TempDir(), "reinvent.db"), len(migrations))
	b.ReportAllocs()
	batch := make([]Job, 64)
	i := 0
	for b.Loop() {
		for k := range batch {
			batch[k] = Job{ID: fmt.Sprint(i), UserID: fmt.Sprint(i % 100), User: "user", Text: "@bot SVS215 CON213 API304",
				CreatedAt: t0.Add(time.Duration(i) * time.Second)}
			i++
		}
		if _, err := s.EnqueueBatch(ctx, batch, 5, time.Hour); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(i), "ns/job")
}
