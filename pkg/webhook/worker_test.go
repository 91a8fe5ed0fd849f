package webhook

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	fakex "github.com/reinvent-cli/reinvent/internal/fake/x"
	"github.com/reinvent-cli/reinvent/internal/testenv"
	"github.com/reinvent-cli/reinvent/pkg/catalog"
	"github.com/reinvent-cli/reinvent/pkg/catalog/sample"
	"github.com/reinvent-cli/reinvent/pkg/retry"
	"github.com/reinvent-cli/reinvent/pkg/schedule"
	"github.com/reinvent-cli/reinvent/pkg/store"
	"github.com/reinvent-cli/reinvent/pkg/x"
)

var cred = x.Credentials{ConsumerKey: "ck", ConsumerSecret: "cs", AccessToken: "at", AccessTokenSecret: "ats"}

var sampleCatalog = sync.OnceValue(func() *catalog.Catalog {
	cat, err := sample.Source{}.Fetch(context.Background(), catalog.FetchOptions{Location: testenv.Vegas})
	if err != nil {
		panic(err)
	}
	return cat
})

// rig is a worker on a real store, posting to a fake X, with a clock the
// test moves.
type rig struct {
	t    *testing.T
	st   *store.Store
	x    *fakex.Server
	w    *Worker
	logs *bytes.Buffer
	now  time.Time
	mu   sync.Mutex
}

func newRig(t *testing.T) *rig {
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "reinvent.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	fx := fakex.New(cred)
	t.Cleanup(fx.Close)
	client := x.NewClient(fx.URL(), cred)
	client.Retry = retry.Policy{Attempts: 2, Sleep: func(context.Context, time.Duration) error { return nil }}
	r := &rig{t: t, st: st, x: fx, logs: &bytes.Buffer{}, now: time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)}
	r.w = &Worker{
		Store: st, Poster: client, Catalog: sampleCatalog,
		Plan:      schedule.Options{Location: testenv.Vegas, UnknownTravel: 30 * time.Minute},
		BotHandle: "reinventbot", UserLimit: 5,
		Logger: slog.New(slog.NewTextHandler(r.logs, nil)),
		Now:    r.clock,
	}
	return r
}

func (r *rig) clock() time.Time {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.now
}

func (r *rig) advance(d time.Duration) {
	r.mu.Lock()
	r.now = r.now.Add(d)
	r.mu.Unlock()
}

// mention queues a mention of user with text.
func (r *rig) mention(id, user, text string) store.Outcome {
	r.t.Helper()
	r.x.Exists(id)
	out, err := r.st.Enqueue(context.Background(), store.Job{ID: id, UserID: "u-" + user, User: user, Text: text, CreatedAt: r.clock()}, 5, time.Hour)
	if err != nil {
		r.t.Fatal(err)
	}
	return out
}

// drain answers every due job and returns.
func (r *rig) drain() {
	stop := make(chan struct{})
	close(stop)
	r.w.Run(context.Background(), stop, 2)
}

// thread returns the posts replying, directly or down the chain, to id.
func (r *rig) thread(id string) []fakex.Post {
	var out []fakex.Post
	parent := id
	for _, p := range r.x.Posts() {
		if p.InReplyTo == parent {
			out = append(out, p)
			parent = p.ID
		}
	}
	return out
}

func TestWorkerAnswersWithAThread(t *testing.T) {
	r := newRig(t)
	r.mention("1001", "alice", "@reinventbot make a schedule that includes svs401 arc302 xyz999")
	r.drain()
	posts := r.thread("1001")
	if len(posts) != 1 {
		t.Fatalf("%d posts, want one: %v", len(posts), r.x.Posts())
	}
	text := posts[0].Text
	for _, want := range []string{"@alice 2 of 3 sessions scheduled:", "• SVS401", "• ARC302", "Not found in the catalog: XYZ999"} {
		if !strings.Contains(text, want) {
			t.Errorf("the reply lacks %q:\n%s", want, text)
		}
	}
	job, err := r.st.JobByID(context.Background(), "1001")
	if err != nil || job.State != store.JobDone {
		t.Errorf("job %+v, err %v; want it done", job, err)
	}
}

func TestWorkerSplitsLongThreadsAndChainsThem(t *testing.T) {
	r := newRig(t)
	var codes []string
	for _, s := range sampleCatalog().Sessions {
		if len(codes) == 45 {
			break
		}
		if s.Code == s.BaseCode && s.Scheduled() && !strings.Contains(strings.Join(codes, " "), s.BaseCode) {
			codes = append(codes, s.BaseCode)
		}
	}
	r.mention("2002", "bob", "@reinventbot "+strings.Join(codes, " "))
	r.drain()
	posts := r.thread("2002")
	if len(posts) < 2 || len(posts) != r.x.Count() {
		t.Fatalf("%d posts in the thread, %d in all; want a chained thread of several", len(posts), r.x.Count())
	}
	all := ""
	for i, p := range posts {
		if n := x.WeightedLength(p.Text); n > x.MaxLength {
			t.Errorf("post %d has %d weighted characters", i+1, n)
		}
		all += p.Text + "\n"
	}
	if !strings.HasPrefix(posts[0].Text, "@bob ") || !strings.Contains(all, "of 40 sessions scheduled") {
		t.Errorf("first post %q: want @bob N of 40", posts[0].Text)
	}
	if !strings.Contains(all, "first 40 codes") {
		t.Errorf("the thread does not say that only 40 codes were used:\n%s", all)
	}
}

func TestWorkerHelpAndLimitReplies(t *testing.T) {
	r := newRig(t)
	r.mention("3000", "carol", "@reinventbot hello there!")
	for i := 1; i <= 7; i++ {
		r.mention(fmt.Sprint(3000+i), "dave", "@reinventbot SVS401")
	}
	r.drain()
	if help := r.thread("3000"); len(help) != 1 || !strings.Contains(help[0].Text, "@reinventbot SVS401 ARC302") || !strings.HasPrefix(help[0].Text, "@carol ") {
		t.Errorf("help reply: %v", help)
	}
	limited := 0
	for i := 1; i <= 7; i++ {
		posts := r.thread(fmt.Sprint(3000 + i))
		switch {
		case i <= 5 && (len(posts) != 1 || !strings.Contains(posts[0].Text, "sessions scheduled")):
			t.Errorf("mention %d of dave: %v, want a schedule", i, posts)
		case i == 6 && (len(posts) != 1 || !strings.Contains(posts[0].Text, "limit")):
			t.Errorf("mention 6 of dave: %v, want one polite note about the limit", posts)
		case i == 7 && len(posts) != 0:
			t.Errorf("mention 7 of dave was answered: %v", posts)
		}
		if len(posts) == 1 && strings.Contains(posts[0].Text, "limit") {
			limited++
		}
	}
	if limited != 1 {
		t.Errorf("%d notes about the limit, want 1", limited)
	}
}

func TestWorkerRetriesThenDeadLetters(t *testing.T) {
	r := newRig(t)
	r.mention("4001", "erin", "@reinventbot SVS401")
	r.x.FailNext(fakex.Failure{Status: 429, Body: `{"title":"Too Many Requests","status":429}`})
	r.drain()
	if r.x.Count() != 0 {
		t.Fatal("posted through a 429")
	}
	job, _ := r.st.JobByID(context.Background(), "4001")
	if job.State != store.JobPending || job.Attempts != 0 || !job.NextAt.After(r.clock()) {
		t.Fatalf("after a 429: %+v; want pending, no attempt spent (the rate limit is not the mention's fault), a later try", job)
	}
	r.drain()
	if r.x.Count() != 0 {
		t.Fatal("tried again before the backoff ran out")
	}
	r.advance(time.Hour)
	r.drain()
	if len(r.thread("4001")) != 1 {
		t.Fatalf("after the backoff: %v", r.x.Posts())
	}

	r.mention("4002", "erin", "@reinventbot ARC302")
	r.x.FailNext(fakex.Failure{Status: 400, Body: `{"title":"Invalid Request","detail":"nope","status":400}`})
	r.drain()
	job, _ = r.st.JobByID(context.Background(), "4002")
	if job.State != store.JobDead || !strings.Contains(r.logs.String(), "dead letters") {
		t.Errorf("after a 400: state %s, log %s; want a logged dead letter", job.State, r.logs.String())
	}
}

func TestWorkerResumesAThreadWhereItStopped(t *testing.T) {
	r := newRig(t)
	ctx := context.Background()
	r.mention("5001", "frank", "@reinventbot SVS401")
	// A run that posted the first of three posts and died.
	if _, err := r.st.Claim(ctx, r.clock(), time.Minute); err != nil {
		t.Fatal(err)
	}
	if err := r.st.SetThread(ctx, "5001", []string{"@frank part one", "part two", "part three"}); err != nil {
		t.Fatal(err)
	}
	first, err := r.w.Poster.Post(ctx, x.Post{Text: "@frank part one", InReplyTo: "5001"})
	if err != nil {
		t.Fatal(err)
	}
	if err := r.st.AddReply(ctx, "5001", first); err != nil {
		t.Fatal(err)
	}
	if _, err := r.st.ResetRunning(ctx); err != nil {
		t.Fatal(err)
	}
	r.drain()
	posts := r.thread("5001")
	if len(posts) != 3 || r.x.Count() != 3 || posts[2].Text != "part three" {
		t.Errorf("thread %v; want the three parts once each, chained", posts)
	}
}

func TestSplitKeepsLinesAndLimits(t *testing.T) {
	lines := []string{"@someone 3 of 3 sessions scheduled:"}
	for i := range 30 {
		lines = append(lines, fmt.Sprintf("• GPSBUS2%02d-R1 – Mon 10:00 at Caesars Forum 🚀", i))
	}
	lines = append(lines, "Not found in the catalog: "+strings.Repeat("XYZ999, ", 80)+"XYZ998")
	posts := Split(lines, x.MaxLength)
	joined := strings.Join(posts, "\n")
	for i, p := range posts {
		if x.WeightedLength(p) > x.MaxLength {
			t.Errorf("post %d is too long: %d", i, x.WeightedLength(p))
		}
	}
	for _, l := range lines[:31] {
		if !strings.Contains(joined, l) {
			t.Errorf("line %q was broken or lost", l)
		}
	}
	if strings.Count(joined, "XYZ999") != 80 || !strings.Contains(joined, "XYZ998") {
		t.Error("a long line lost words when it was broken")
	}
}

func TestWorkerEndsACrashLoop(t *testing.T) {
	r := newRig(t)
	ctx := context.Background()
	r.mention("6001", "gina", "@reinventbot SVS401")
	// Eight starts (MaxAttempts' default), each finding the job in hand of
	// a server that died.
	for range 8 {
		if _, err := r.st.Claim(ctx, r.clock(), time.Minute); err != nil {
			t.Fatal(err)
		}
		if _, err := r.st.ResetRunning(ctx); err != nil {
			t.Fatal(err)
		}
	}
	r.drain()
	job, _ := r.st.JobByID(ctx, "6001")
	if job.State != store.JobDead || r.x.Count() != 0 || !strings.Contains(r.logs.String(), "interrupted") {
		t.Errorf("after a crash loop: state %s, %d posts, log %s; want a logged dead letter", job.State, r.x.Count(), r.logs.String())
	}
}

// TestWorkerKeepsAThreadChainedAfterADuplicate: an attempt made post 2 of
// 3 and died before recording it. The retry's post 2 is a duplicate; the
// worker finds the earlier post by its stamp and replies to it.
func TestWorkerKeepsAThreadChainedAfterADuplicate(t *testing.T) {
	r := newRig(t)
	ctx := context.Background()
	r.mention("7001", "hank", "@reinventbot SVS401")
	if _, err := r.st.Claim(ctx, r.clock(), time.Minute); err != nil {
		t.Fatal(err)
	}
	thread := Stamp([]string{"@hank part one", "part two", "part three"}, "7001")
	if err := r.st.SetThread(ctx, "7001", thread); err != nil {
		t.Fatal(err)
	}
	first, err := r.w.Poster.Post(ctx, x.Post{Text: thread[0], InReplyTo: "7001"})
	if err != nil {
		t.Fatal(err)
	}
	if err := r.st.AddReply(ctx, "7001", first); err != nil {
		t.Fatal(err)
	}
	if _, err := r.w.Poster.Post(ctx, x.Post{Text: thread[1], InReplyTo: first}); err != nil { // never recorded
		t.Fatal(err)
	}
	if _, err := r.st.ResetRunning(ctx); err != nil {
		t.Fatal(err)
	}
	r.drain()
	posts := r.thread("7001")
	if len(posts) != 3 || r.x.Count() != 3 || posts[2].Text != thread[2] {
		t.Errorf("thread %+v; want the three posts once each, chained", posts)
	}
}

func TestWorkerHoldsPostsAtTheRateLimit(t *testing.T) {
	r := newRig(t)
	r.x.Now = r.clock
	r.x.RateLimitAfter(2)
	for i := range 5 {
		r.mention(fmt.Sprint(5001+i), fmt.Sprint("user", i), "@reinventbot SVS401")
	}
	r.drain()
	if r.x.Count() != 2 {
		t.Fatalf("%d posts within a limit of 2", r.x.Count())
	}
	// The second post's answer says no post is left in the window, so no
	// worker starts another before the reset; the other worker's post may
	// be in flight already, and X refuses it.
	n := r.x.Requests()
	if n > 3 {
		t.Errorf("%d post requests; want at most 3: X said none was left after the second", n)
	}
	r.advance(5 * time.Minute)
	r.drain()
	if r.x.Requests() != n {
		t.Errorf("posted again before X's reset: %d requests, %d before", r.x.Requests(), n)
	}
	r.advance(11 * time.Minute)
	r.x.RateLimitAfter(-1)
	r.drain()
	for i := range 5 {
		id := fmt.Sprint(5001 + i)
		job, _ := r.st.JobByID(context.Background(), id)
		if len(r.thread(id)) != 1 || job.State != store.JobDone || job.Attempts != 0 {
			t.Errorf("mention %s after the reset: %d replies, %+v; want answered once, no attempt spent", id, len(r.thread(id)), job)
		}
	}
}
