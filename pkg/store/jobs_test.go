package store

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/reinvent-cli/reinvent/pkg/catalog"
)

var t0 = time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)

// mention returns a job for mention id of user at t0+after.
func mention(id, user string, after time.Duration) Job {
	return Job{ID: id, UserID: "u-" + user, User: user, Text: "@bot schedule SVS215 CON213", CreatedAt: t0.Add(after)}
}

// enqueue enqueues j with the limit of 5 an hour and checks the outcome.
func enqueue(t *testing.T, s *Store, j Job, want Outcome) {
	t.Helper()
	got, err := s.Enqueue(context.Background(), j, 5, time.Hour)
	if err != nil || got != want {
		t.Fatalf("Enqueue(%s) = %v, %v; want %v", j.ID, got, err, want)
	}
}

// job reads job id.
func job(t *testing.T, s *Store, id string) *Job {
	t.Helper()
	j, err := s.JobByID(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return j
}

func TestEnqueueIgnoresRedeliveries(t *testing.T) {
	s := newStore(t)
	enqueue(t, s, mention("1", "ada", 0), Queued)
	again := mention("1", "ada", time.Minute)
	again.Text = "changed"
	enqueue(t, s, again, Duplicate)
	j := job(t, s, "1")
	if j.Text != "@bot schedule SVS215 CON213" || j.Kind != KindSchedule || j.State != JobPending ||
		!j.CreatedAt.Equal(t0) || !j.NextAt.Equal(t0) || j.Replies == nil || j.Thread == nil {
		t.Errorf("job = %+v", j)
	}
	if _, err := s.JobByID(context.Background(), "2"); !errors.Is(err, ErrNotFound) {
		t.Errorf("JobByID of an unknown id = %v, want ErrNotFound", err)
	}
}

func TestEnqueueLimitsEachUser(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	for i := range 5 {
		enqueue(t, s, mention(fmt.Sprint(i), "ada", time.Duration(i)*time.Minute), Queued)
	}
	enqueue(t, s, mention("5", "ada", 5*time.Minute), Limited)
	enqueue(t, s, mention("6", "ada", 6*time.Minute), Dropped)
	enqueue(t, s, mention("7", "ada", 50*time.Minute), Dropped)
	enqueue(t, s, mention("b", "bob", 7*time.Minute), Queued) // another user is not limited
	if j := job(t, s, "5"); j.Kind != KindLimited || j.State != JobPending {
		t.Errorf("the 6th mention is %s/%s, want a pending limited job", j.Kind, j.State)
	}
	if j := job(t, s, "6"); j.State != JobDropped {
		t.Errorf("the 7th mention is %s, want dropped", j.State)
	}
	// A redelivered dropped mention is still a duplicate.
	enqueue(t, s, mention("6", "ada", 6*time.Minute), Duplicate)
	// An hour after the first ones, the user may ask again.
	enqueue(t, s, mention("8", "ada", 2*time.Hour), Queued)

	// Dropped jobs are never handed out.
	seen := map[string]bool{}
	for {
		j, err := s.Claim(ctx, t0.Add(3*time.Hour), time.Minute)
		if errors.Is(err, ErrNoJob) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		seen[j.ID] = true
		if err := s.Finish(ctx, j.ID); err != nil {
			t.Fatal(err)
		}
	}
	if seen["6"] || seen["7"] || len(seen) != 8 {
		t.Errorf("claimed %v, want the 8 jobs that are not dropped", seen)
	}
	if got, err := s.Enqueue(ctx, mention("9", "ada", 2*time.Hour), 0, time.Hour); got != Queued || err != nil {
		t.Errorf("Enqueue with no limit = %v, %v", got, err)
	}
}

func TestClaimHandsOutDueJobsOldestFirst(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	later := mention("later", "ada", 0)
	later.NextAt = t0.Add(time.Hour)
	enqueue(t, s, later, Queued)
	enqueue(t, s, mention("second", "bob", 2*time.Second), Queued)
	enqueue(t, s, mention("first", "cy", time.Second), Queued)

	if at, ok, err := s.NextDue(ctx); err != nil || !ok || !at.Equal(t0.Add(time.Second)) {
		t.Errorf("NextDue = %v, %v, %v; want the first job's time", at, ok, err)
	}
	now := t0.Add(time.Minute)
	for _, want := range []string{"first", "second"} {
		j, err := s.Claim(ctx, now, time.Minute)
		if err != nil || j.ID != want || j.State != JobRunning || !j.LeaseUntil.Equal(now.Add(time.Minute)) {
			t.Fatalf("Claim = %+v, %v; want %s running", j, err, want)
		}
	}
	if j, err := s.Claim(ctx, now, time.Minute); !errors.Is(err, ErrNoJob) {
		t.Fatalf("Claim with nothing due = %+v, %v; want ErrNoJob", j, err)
	}
	if err := s.Finish(ctx, "second"); err != nil {
		t.Fatal(err)
	}

	// A failed attempt goes back to pending until its next time.
	if err := s.RetryJob(ctx, "first", now.Add(10*time.Minute), "429 Too Many Requests"); err != nil {
		t.Fatal(err)
	}
	if j, err := s.Claim(ctx, now.Add(5*time.Minute), time.Minute); !errors.Is(err, ErrNoJob) {
		t.Errorf("Claim before the retry time = %+v, %v; want ErrNoJob", j, err)
	}
	j, err := s.Claim(ctx, now.Add(10*time.Minute), 30*time.Minute)
	if err != nil || j.ID != "first" || j.Attempts != 1 || j.LastError != "429 Too Many Requests" {
		t.Fatalf("Claim after the retry time = %+v, %v", j, err)
	}
	if err := s.Dead(ctx, "first", "still 429"); err != nil {
		t.Fatal(err)
	}
	if j := job(t, s, "first"); j.State != JobDead || j.Attempts != 2 || j.LastError != "still 429" {
		t.Errorf("dead job = %+v", j)
	}
	if at, ok, err := s.NextDue(ctx); err != nil || !ok || !at.Equal(t0.Add(time.Hour)) {
		t.Errorf("NextDue = %v, %v, %v; want the later job's time", at, ok, err)
	}
}

func TestClaimAfterLeaseExpiry(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	enqueue(t, s, mention("1", "ada", 0), Queued)
	if _, err := s.Claim(ctx, t0, time.Minute); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Claim(ctx, t0.Add(59*time.Second), time.Minute); !errors.Is(err, ErrNoJob) {
		t.Fatalf("Claim during the lease = %v, want ErrNoJob", err)
	}
	if at, ok, _ := s.NextDue(ctx); !ok || !at.Equal(t0.Add(time.Minute)) {
		t.Errorf("NextDue = %v, %v; want the lease's end", at, ok)
	}
	j, err := s.Claim(ctx, t0.Add(time.Minute), time.Minute)
	if err != nil || j.ID != "1" {
		t.Fatalf("Claim after the lease = %+v, %v; want the job again", j, err)
	}
}

func TestResetRunningAndReplies(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	for _, id := range []string{"1", "2", "3"} {
		enqueue(t, s, mention(id, "ada", 0), Queued)
	}
	for range 2 {
		if _, err := s.Claim(ctx, t0, time.Hour); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.SetThread(ctx, "1", []string{"@ada 3 of 3 sessions scheduled:", "• SVS215", "• CON213"}); err != nil {
		t.Fatal(err)
	}
	for _, post := range []string{"p1", "p2"} {
		if err := s.AddReply(ctx, "1", post); err != nil {
			t.Fatal(err)
		}
	}
	// The process restarts: the jobs it was running go back to pending,
	// keeping the thread posted so far.
	n, err := s.ResetRunning(ctx)
	if err != nil || n != 2 {
		t.Fatalf("ResetRunning = %d, %v; want 2", n, err)
	}
	j, err := s.Claim(ctx, t0, time.Hour)
	if err != nil || j.ID != "1" || !slices.Equal(j.Replies, []string{"p1", "p2"}) || len(j.Thread) != 3 || j.Attempts != 1 {
		t.Fatalf("Claim after restart = %+v, %v", j, err)
	}
	if err := s.AddReply(ctx, "1", "p3"); err != nil {
		t.Fatal(err)
	}
	if err := s.Finish(ctx, "1"); err != nil {
		t.Fatal(err)
	}
	if j := job(t, s, "1"); j.State != JobDone || !slices.Equal(j.Replies, []string{"p1", "p2", "p3"}) {
		t.Errorf("finished job = %+v", j)
	}
	for name, err := range map[string]error{
		"AddReply":  s.AddReply(ctx, "x", "p"),
		"SetThread": s.SetThread(ctx, "x", []string{"p"}),
		"Finish":    s.Finish(ctx, "x"),
		"RetryJob":  s.RetryJob(ctx, "x", t0, "m"),
		"Dead":      s.Dead(ctx, "x", "m"),
	} {
		if !errors.Is(err, ErrNotFound) {
			t.Errorf("%s of an unknown job = %v, want ErrNotFound", name, err)
		}
	}
}

func TestConcurrentClaimHandsOutEachJobOnce(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	const jobs, workers = 200, 8
	for i := range jobs {
		enqueue(t, s, mention(fmt.Sprint(i), fmt.Sprint("user", i), time.Duration(i)*time.Millisecond), Queued)
	}
	var mu sync.Mutex
	claims := map[string]int{}
	var wg sync.WaitGroup
	errs := make(chan error, workers)
	for range workers {
		wg.Go(func() {
			for {
				j, err := s.Claim(ctx, t0.Add(time.Hour), time.Hour)
				if errors.Is(err, ErrNoJob) {
					return
				}
				if err == nil {
					err = s.Finish(ctx, j.ID)
				}
				if err != nil {
					errs <- err
					return
				}
				mu.Lock()
				claims[j.ID]++
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if len(claims) != jobs {
		t.Errorf("%d jobs claimed, want %d", len(claims), jobs)
	}
	for id, n := range claims {
		if n != 1 {
			t.Errorf("job %s handed out %d times", id, n)
		}
	}
}

func TestTwoStoresWriteConcurrently(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "reinvent.db")
	stores := []*Store{openAt(t, path, len(migrations)), openAt(t, path, len(migrations))}
	const rounds = 40
	var wg sync.WaitGroup
	errs := make(chan error, 2*len(stores))
	for i, s := range stores {
		wg.Go(func() {
			for r := range rounds {
				id := fmt.Sprintf("s%d-%d", i, r)
				if _, err := s.Enqueue(ctx, mention(id, id, 0), 5, time.Hour); err != nil {
					errs <- err
					return
				}
			}
		})
		wg.Go(func() {
			for r := range rounds {
				x := session(fmt.Sprintf("ARC%d", 100+i), fmt.Sprint("Title ", r))
				if _, err := s.Record(ctx, Run{Event: event, Sessions: []catalog.Session{x},
					Changes: []Change{{Code: x.Code, Kind: KindUpdated, Post: x.Title}}}); err != nil {
					errs <- err
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("concurrent write failed: %v", err)
	}
	if got := countRows(t, stores[0], "jobs"); got != 2*rounds {
		t.Errorf("%d jobs, want %d", got, 2*rounds)
	}
	for i := range stores {
		vs, err := stores[1-i].Versions(ctx, event, fmt.Sprintf("ARC%d", 100+i))
		if err != nil || len(vs) != rounds {
			t.Errorf("store %d wrote %d versions (%v), want %d", i, len(vs), err, rounds)
		}
	}
}
