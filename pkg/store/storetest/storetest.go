// Package storetest is the contract of a reinvent store: one behaviour
// suite (Run) that every implementation of store.Backend passes, SQLite
// and DynamoDB alike, so that the bot and watch keep their promises
// (docs/exactly-once.md) on either. Imported only by tests.
package storetest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/reinvent-cli/reinvent/pkg/catalog"
	"github.com/reinvent-cli/reinvent/pkg/catalog/cached"
	"github.com/reinvent-cli/reinvent/pkg/store"
)

// Copy is one process's handle on a store: its store and its catalog
// cache.
type Copy struct {
	Store store.Backend
	Cache cached.Store
}

// Fresh makes a new, empty store for one test and returns how to open a
// copy of it: each call is another process on the same store (another
// SQLite connection to the file, another DynamoDB client of the table).
// The test closes what it opens.
type Fresh func(t *testing.T) (open func() Copy)

// Run runs the contract against the stores fresh makes.
func Run(t *testing.T, fresh Fresh) {
	tests := []struct {
		name string
		fn   func(t *testing.T, open func() Copy)
	}{
		{"VersionsAndHeads", testVersionsAndHeads},
		{"TombstoneAndBadRun", testTombstoneAndBadRun},
		{"Outbox", testOutbox},
		{"Digest", testDigest},
		{"EnqueueOnce", testEnqueueOnce},
		{"UserLimit", testUserLimit},
		{"ClaimLease", testClaimLease},
		{"RepliesJournal", testRepliesJournal},
		{"Cursors", testCursors},
		{"Locks", testLocks},
		{"Hold", testHold},
		{"CatalogCache", testCatalogCache},
		{"CopiesAnswerEachMentionOnce", testCopiesAnswerOnce},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { tc.fn(t, opener(t, fresh)) })
	}
}

// opener closes every copy when the test ends.
func opener(t *testing.T, fresh Fresh) func() Copy {
	open := fresh(t)
	return func() Copy {
		c := open()
		t.Cleanup(func() { c.Store.Close() })
		return c
	}
}

var t0 = time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)

const event = "reinvent-2026"

func session(code, title string) catalog.Session {
	return catalog.Session{Code: code, Title: title, Start: t0.Add(24 * time.Hour), End: t0.Add(25 * time.Hour), Venue: "Venetian"}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func record(t *testing.T, s store.Backend, r store.Run) int64 {
	t.Helper()
	id, err := s.Record(context.Background(), r)
	must(t, err)
	return id
}

func texts(items []store.Outbox) []string {
	var out []string
	for _, it := range items {
		out = append(out, it.Text)
	}
	return out
}

// testVersionsAndHeads: a run's versions are the heads the next diff
// compares with, each version is kept, and a run's changes are read back
// with their posts.
func testVersionsAndHeads(t *testing.T, open func() Copy) {
	ctx := context.Background()
	s := open().Store
	if id := record(t, s, store.Run{Event: event}); id != 0 {
		t.Errorf("an empty run recorded as %d, want 0", id)
	}
	a, b := session("ARC302", "Resilience"), session("SVS401", "Serverless")
	run1 := record(t, s, store.Run{Event: event, Source: "sample", At: t0, Sessions: []catalog.Session{a, b},
		Changes: []store.Change{{Code: "ARC302", Kind: store.KindNew, Post: "NEW ARC302"}, {Code: "SVS401", Kind: store.KindNew}}})
	b.Title = "Serverless, again"
	run2 := record(t, s, store.Run{Event: event, At: t0.Add(time.Hour), Sessions: []catalog.Session{b},
		Changes: []store.Change{{Code: "svs401", Kind: store.KindUpdated, Fields: []string{"title"},
			Old: map[string]any{"title": "Serverless"}, New: map[string]any{"title": "Serverless, again"}, Post: "UPDATED SVS401 (v2)"}}})
	if run1 == 0 || run2 <= run1 {
		t.Fatalf("run ids %d then %d, want increasing", run1, run2)
	}
	h, err := s.Heads(ctx, event)
	must(t, err)
	if h.Len() != 2 || h.Seq("ARC302") != 1 || h.Seq("SVS401") != 2 || h.Seq("NEW999") != 0 {
		t.Errorf("heads: len %d, seqs %d %d", h.Len(), h.Seq("ARC302"), h.Seq("SVS401"))
	}
	if hash, removed, ok := h.Get("svs401"); !ok || removed || hash != store.Hash(&b) {
		t.Errorf("head of SVS401 = %x %v %v, want the hash of its second version", hash, removed, ok)
	}
	got, err := h.Session("SVS401")
	must(t, err)
	if got.Title != "Serverless, again" || !got.Start.Equal(b.Start) {
		t.Errorf("head session = %+v", got)
	}
	vs, err := s.Versions(ctx, event, "svs401")
	must(t, err)
	if len(vs) != 2 || vs[0].Seq != 1 || vs[1].Seq != 2 || vs[0].Session.Title != "Serverless" || !vs[1].SeenAt.Equal(t0.Add(time.Hour)) {
		t.Errorf("versions = %+v", vs)
	}
	cs, err := s.Changes(ctx, event, run2)
	must(t, err)
	if len(cs) != 1 || cs[0].Code != "SVS401" || cs[0].Kind != store.KindUpdated || cs[0].Post != "UPDATED SVS401 (v2)" ||
		!slices.Equal(cs[0].Fields, []string{"title"}) || cs[0].New["title"] != "Serverless, again" || cs[0].Posted {
		t.Errorf("changes of run 2 = %+v", cs)
	}
	all, err := s.Changes(ctx, event, 0)
	must(t, err)
	if len(all) != 3 {
		t.Errorf("every change = %d, want 3", len(all))
	}
	other, err := s.Heads(ctx, "another-event")
	must(t, err)
	if other.Len() != 0 {
		t.Errorf("another event has %d heads", other.Len())
	}
	// Another copy reads the same.
	h2, err := open().Store.Heads(ctx, event)
	must(t, err)
	if !slices.Equal(h2.Codes(), []string{"ARC302", "SVS401"}) {
		t.Errorf("another copy's heads = %v", h2.Codes())
	}
}

// testTombstoneAndBadRun: a removal keeps the session's last data, a
// return is a new version, and a run no store could record records
// nothing.
func testTombstoneAndBadRun(t *testing.T, open func() Copy) {
	ctx := context.Background()
	s := open().Store
	a := session("DEV201", "Dev")
	record(t, s, store.Run{Event: event, At: t0, Sessions: []catalog.Session{a}})
	record(t, s, store.Run{Event: event, At: t0.Add(time.Hour), Removed: []string{"DEV201"},
		Changes: []store.Change{{Code: "DEV201", Kind: store.KindRemoved, Post: "REMOVED DEV201"}}})
	h, err := s.Heads(ctx, event)
	must(t, err)
	if _, removed, ok := h.Get("DEV201"); !ok || !removed || h.Seq("DEV201") != 2 {
		t.Errorf("after removal: removed %v ok %v seq %d", removed, ok, h.Seq("DEV201"))
	}
	if got, err := h.Session("DEV201"); err != nil || got.Title != "Dev" {
		t.Errorf("tombstone keeps %+v, %v", got, err)
	}
	_, err = s.Record(ctx, store.Run{Event: event, Removed: []string{"DEV201"}})
	if !errors.Is(err, store.ErrBadRun) {
		t.Errorf("a tombstone of a removed session = %v, want ErrBadRun", err)
	}
	_, err = s.Record(ctx, store.Run{Event: event, Sessions: []catalog.Session{session("X1", "x")},
		Changes: []store.Change{{Code: "X1", Kind: "bogus"}}})
	if !errors.Is(err, store.ErrBadRun) {
		t.Errorf("a change of an unknown kind = %v, want ErrBadRun", err)
	}
	record(t, s, store.Run{Event: event, At: t0.Add(2 * time.Hour), Sessions: []catalog.Session{a}})
	h, err = s.Heads(ctx, event)
	must(t, err)
	if _, removed, _ := h.Get("DEV201"); removed || h.Seq("DEV201") != 3 || h.Seq("X1") != 0 {
		t.Errorf("after return: removed %v seq %d; X1 seq %d", removed, h.Seq("DEV201"), h.Seq("X1"))
	}
	p, err := s.Pending(ctx, event)
	must(t, err)
	if !slices.Equal(texts(p), []string{"REMOVED DEV201"}) {
		t.Errorf("pending = %q: a bad run queued a post", texts(p))
	}
}

// testOutbox: a post is pending until it is posted or failed, oldest
// first, whichever copy marks it.
func testOutbox(t *testing.T, open func() Copy) {
	ctx := context.Background()
	s, other := open().Store, open().Store
	record(t, s, store.Run{Event: event, At: t0, Sessions: []catalog.Session{session("A1", "a"), session("A2", "b"), session("A3", "c")},
		Changes: []store.Change{{Code: "A1", Kind: store.KindNew, Post: "one"}, {Code: "A2", Kind: store.KindNew, Post: "two"}, {Code: "A3", Kind: store.KindNew, Post: "three"}}})
	record(t, s, store.Run{Event: "other-event", At: t0, Sessions: []catalog.Session{session("B1", "b")},
		Changes: []store.Change{{Code: "B1", Kind: store.KindNew, Post: "elsewhere"}}})
	p, err := other.Pending(ctx, event)
	must(t, err)
	if !slices.Equal(texts(p), []string{"one", "two", "three"}) {
		t.Fatalf("pending = %q", texts(p))
	}
	must(t, s.Attempt(ctx, p[0].ID, t0))
	must(t, other.Posted(ctx, p[0].ID, "9001", t0.Add(time.Second), false))
	must(t, s.Attempt(ctx, p[1].ID, t0))
	must(t, s.Retry(ctx, p[1].ID, "503"))
	must(t, s.Failed(ctx, p[2].ID, "400 too long"))
	p2, err := s.Pending(ctx, event)
	must(t, err)
	if len(p2) != 1 || p2[0].Text != "two" || p2[0].Attempts != 1 || p2[0].LastError != "503" {
		t.Errorf("pending after one of each = %+v", p2)
	}
	o, err := other.OutboxByID(ctx, p[0].ID)
	must(t, err)
	if o.State != store.OutboxPosted || o.PostID != "9001" || o.Attempts != 1 || o.Duplicate || o.Code != "A1" {
		t.Errorf("posted row = %+v", o)
	}
	if n, pd, f, err := s.Counts(ctx, event); err != nil || n != 1 || pd != 1 || f != 1 {
		t.Errorf("counts = %d %d %d, %v; want 1 1 1", n, pd, f, err)
	}
	if _, err := s.OutboxByID(ctx, 1<<40); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("an unknown row = %v, want ErrNotFound", err)
	}
	if err := s.Posted(ctx, 1<<40, "1", t0, false); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("posting an unknown row = %v, want ErrNotFound", err)
	}
	cs, err := s.Changes(ctx, event, 0)
	must(t, err)
	if len(cs) != 3 || !cs[0].Posted || cs[1].Posted || cs[2].Posted {
		t.Errorf("changes' posted = %+v", cs)
	}
}

// testDigest: one digest row carries several changes; its one post posts
// them all.
func testDigest(t *testing.T, open func() Copy) {
	ctx := context.Background()
	s := open().Store
	run := record(t, s, store.Run{Event: event, At: t0, Sessions: []catalog.Session{session("D1", "a"), session("D2", "b")},
		Changes: []store.Change{{Code: "D1", Kind: store.KindNew}, {Code: "D2", Kind: store.KindNew}},
		Digests: []store.Digest{{Kind: store.KindNew, Text: "NEW 2 sessions: D1; D2", Codes: []string{"D1", "D2"}}}})
	p, err := s.Pending(ctx, event)
	must(t, err)
	if len(p) != 1 || !slices.Equal(p[0].Codes, []string{"D1", "D2"}) || p[0].RunID != run {
		t.Fatalf("pending = %+v", p)
	}
	must(t, s.Posted(ctx, p[0].ID, "77", t0, true))
	cs, err := s.Changes(ctx, event, run)
	must(t, err)
	if len(cs) != 2 || !cs[0].Posted || !cs[1].Posted || cs[1].Post != "NEW 2 sessions: D1; D2" {
		t.Errorf("changes of a posted digest = %+v", cs)
	}
	if o, err := s.OutboxByID(ctx, p[0].ID); err != nil || !o.Duplicate {
		t.Errorf("digest row = %+v, %v; want a duplicate", o, err)
	}
}

func mention(id, user string, after time.Duration) store.Job {
	return store.Job{ID: id, UserID: "u-" + user, User: user, Text: "@bot SVS401", CreatedAt: t0.Add(after)}
}

// testEnqueueOnce: a mention delivered again, by the same copy or another,
// is queued once.
func testEnqueueOnce(t *testing.T, open func() Copy) {
	ctx := context.Background()
	s, other := open().Store, open().Store
	outs, err := s.EnqueueBatch(ctx, []store.Job{mention("1", "ada", 0), mention("2", "bob", 0), mention("1", "ada", 0)}, 5, time.Hour)
	must(t, err)
	if !slices.Equal(outs, []store.Outcome{store.Queued, store.Queued, store.Duplicate}) {
		t.Errorf("batch outcomes = %v", outs)
	}
	again := mention("1", "ada", time.Minute)
	again.Text = "changed"
	if o, err := other.Enqueue(ctx, again, 5, time.Hour); err != nil || o != store.Duplicate {
		t.Errorf("redelivery to another copy = %v, %v; want duplicate", o, err)
	}
	j, err := other.JobByID(ctx, "1")
	must(t, err)
	if j.Text != "@bot SVS401" || j.State != store.JobPending || j.Kind != store.KindSchedule || !j.CreatedAt.Equal(t0) || !j.NextAt.Equal(t0) {
		t.Errorf("job = %+v", j)
	}
	if _, err := s.JobByID(ctx, "404"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("an unknown job = %v, want ErrNotFound", err)
	}
}

// testUserLimit: past the limit a user gets one polite answer, then
// nothing, until the window has passed.
func testUserLimit(t *testing.T, open func() Copy) {
	ctx := context.Background()
	s := open().Store
	want := []store.Outcome{store.Queued, store.Queued, store.Limited, store.Dropped}
	for i, w := range want {
		if o, err := s.Enqueue(ctx, mention(fmt.Sprint(i), "ada", time.Duration(i)*time.Minute), 2, time.Hour); err != nil || o != w {
			t.Errorf("mention %d = %v, %v; want %v", i, o, err, w)
		}
	}
	if o, _ := s.Enqueue(ctx, mention("b", "bob", 5*time.Minute), 2, time.Hour); o != store.Queued {
		t.Errorf("another user = %v, want queued", o)
	}
	if o, _ := s.Enqueue(ctx, mention("later", "ada", 2*time.Hour), 2, time.Hour); o != store.Queued {
		t.Errorf("after the window = %v, want queued", o)
	}
	if j, err := s.JobByID(ctx, "2"); err != nil || j.Kind != store.KindLimited {
		t.Errorf("limited job = %+v, %v", j, err)
	}
	if j, err := s.JobByID(ctx, "3"); err != nil || j.State != store.JobDropped {
		t.Errorf("dropped job = %+v, %v", j, err)
	}
}

// testClaimLease: a job claimed by one copy is not claimed by another
// until its lease lapses; ResetRunning puts it back, counting an attempt.
func testClaimLease(t *testing.T, open func() Copy) {
	ctx := context.Background()
	a, b := open().Store, open().Store
	for i := range 3 {
		_, err := a.Enqueue(ctx, mention(fmt.Sprint(i), fmt.Sprint("user", i), time.Duration(i)*time.Minute), 0, time.Hour)
		must(t, err)
	}
	if _, err := a.Claim(ctx, t0.Add(-time.Second), time.Minute); !errors.Is(err, store.ErrNoJob) {
		t.Errorf("claim before anything is due = %v, want ErrNoJob", err)
	}
	if at, ok, err := b.NextDue(ctx); err != nil || !ok || !at.Equal(t0) {
		t.Errorf("next due = %v %v %v, want %v", at, ok, err, t0)
	}
	now := t0.Add(10 * time.Minute)
	var got []string
	for range 3 {
		j, err := a.Claim(ctx, now, time.Minute)
		must(t, err)
		if j.State != store.JobRunning || !j.LeaseUntil.Equal(now.Add(time.Minute)) {
			t.Errorf("claimed job = %+v", j)
		}
		got = append(got, j.ID)
	}
	if !slices.Equal(got, []string{"0", "1", "2"}) {
		t.Errorf("claim order = %v, want oldest first", got)
	}
	if _, err := b.Claim(ctx, now.Add(59*time.Second), time.Minute); !errors.Is(err, store.ErrNoJob) {
		t.Errorf("another copy's claim while leased = %v, want ErrNoJob", err)
	}
	if at, ok, _ := b.NextDue(ctx); !ok || !at.Equal(now.Add(time.Minute)) {
		t.Errorf("next due while leased = %v, want the lease's end", at)
	}
	j, err := b.Claim(ctx, now.Add(time.Minute), time.Minute)
	must(t, err)
	if j.ID != "0" {
		t.Errorf("after the lease lapsed another copy claimed %s, want 0", j.ID)
	}
	n, err := a.ResetRunning(ctx)
	must(t, err)
	if n != 3 {
		t.Errorf("ResetRunning = %d, want 3", n)
	}
	j, err = a.JobByID(ctx, "1")
	must(t, err)
	if j.State != store.JobPending || j.Attempts != 1 || j.LastError == "" {
		t.Errorf("reset job = %+v", j)
	}
}

// testRepliesJournal: the thread is worded once and each reply is
// recorded, so a retry goes on where the last attempt stopped; a finished
// or dead job is never handed out again.
func testRepliesJournal(t *testing.T, open func() Copy) {
	ctx := context.Background()
	s, other := open().Store, open().Store
	for _, id := range []string{"t", "d", "p"} {
		_, err := s.Enqueue(ctx, mention(id, "u"+id, 0), 0, time.Hour)
		must(t, err)
	}
	now := t0.Add(time.Minute)
	must(t, s.SetThread(ctx, "t", []string{"first", "second", "third"}))
	must(t, s.AddReply(ctx, "t", "100"))
	must(t, other.AddReply(ctx, "t", "101"))
	j, err := other.JobByID(ctx, "t")
	must(t, err)
	if !slices.Equal(j.Thread, []string{"first", "second", "third"}) || !slices.Equal(j.Replies, []string{"100", "101"}) {
		t.Errorf("journal = %q / %q", j.Thread, j.Replies)
	}
	must(t, s.RetryJob(ctx, "t", now.Add(time.Hour), "503"))
	must(t, s.Postpone(ctx, "p", now.Add(time.Hour), "rate limit"))
	must(t, s.Dead(ctx, "d", "refused"))
	if j, _ := s.JobByID(ctx, "t"); j.Attempts != 1 || j.State != store.JobPending || !j.NextAt.Equal(now.Add(time.Hour)) || j.LastError != "503" {
		t.Errorf("retried job = %+v", j)
	}
	if j, _ := s.JobByID(ctx, "p"); j.Attempts != 0 || !j.NextAt.Equal(now.Add(time.Hour)) {
		t.Errorf("postponed job = %+v: a postponement counts no attempt", j)
	}
	if j, _ := s.JobByID(ctx, "d"); j.State != store.JobDead || j.Attempts != 1 {
		t.Errorf("dead job = %+v", j)
	}
	if _, err := s.Claim(ctx, now, time.Minute); !errors.Is(err, store.ErrNoJob) {
		t.Errorf("claim before the retry is due = %v, want ErrNoJob", err)
	}
	j, err = s.Claim(ctx, now.Add(time.Hour), time.Minute)
	must(t, err)
	must(t, s.Finish(ctx, j.ID))
	j, err = s.Claim(ctx, now.Add(time.Hour), time.Minute)
	must(t, err)
	must(t, s.Finish(ctx, j.ID))
	if _, err := s.Claim(ctx, now.Add(48*time.Hour), time.Minute); !errors.Is(err, store.ErrNoJob) {
		t.Errorf("claim after every job finished or died = %v, want ErrNoJob", err)
	}
	if _, ok, err := s.NextDue(ctx); ok || err != nil {
		t.Errorf("next due with nothing left = %v, %v", ok, err)
	}
	if err := s.Finish(ctx, "404"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("finishing an unknown job = %v, want ErrNotFound", err)
	}
}

// testCursors: a cursor saved by one copy is read by another.
func testCursors(t *testing.T, open func() Copy) {
	ctx := context.Background()
	s, other := open().Store, open().Store
	if v, err := s.Cursor(ctx, "mentions"); err != nil || v != "" {
		t.Errorf("unsaved cursor = %q, %v", v, err)
	}
	must(t, s.SetCursor(ctx, "mentions", "1860000000000000001", t0))
	must(t, s.SetCursor(ctx, "mentions", "1860000000000000002", t0.Add(time.Minute)))
	if v, err := other.Cursor(ctx, "mentions"); err != nil || v != "1860000000000000002" {
		t.Errorf("cursor = %q, %v", v, err)
	}
}

// testLocks: one holder of a run lock at a time, across copies.
func testLocks(t *testing.T, open func() Copy) {
	a, b := open().Store, open().Store
	unlock, err := a.Lock("watch")
	must(t, err)
	if _, err := b.Lock("watch"); !errors.Is(err, store.ErrLocked) {
		t.Errorf("second Lock = %v, want ErrLocked", err)
	}
	other, err := b.Lock("serve-webhook")
	must(t, err)
	must(t, other())
	must(t, unlock())
	again, err := b.Lock("watch")
	must(t, err)
	must(t, again())
}

// testHold: a hold set by one copy holds every copy, and an earlier time
// never shortens it.
func testHold(t *testing.T, open func() Copy) {
	ctx := context.Background()
	a, b := open().Store, open().Store
	if at, err := b.Held(ctx, store.HoldPosts); err != nil || !at.IsZero() {
		t.Errorf("never held = %v, %v", at, err)
	}
	must(t, a.Hold(ctx, store.HoldPosts, t0.Add(15*time.Minute)))
	must(t, b.Hold(ctx, store.HoldPosts, t0.Add(5*time.Minute)))
	if at, err := b.Held(ctx, store.HoldPosts); err != nil || !at.Equal(t0.Add(15*time.Minute)) {
		t.Errorf("held until %v, %v; want the later time", at, err)
	}
	must(t, b.Hold(ctx, store.HoldPosts, t0.Add(time.Hour)))
	if at, _ := a.Held(ctx, store.HoldPosts); !at.Equal(t0.Add(time.Hour)) {
		t.Errorf("held until %v, want it extended", at)
	}
}

// testCatalogCache: a catalog put by one copy is read by another, whole.
func testCatalogCache(t *testing.T, open func() Copy) {
	a, b := open().Cache, open().Cache
	if _, err := a.Get("events-api", event); !errors.Is(err, cached.ErrNotFound) {
		t.Errorf("empty cache = %v, want ErrNotFound", err)
	}
	cat := &catalog.Catalog{FetchedAt: t0}
	for i := range 3000 {
		s := session(fmt.Sprintf("BIG%04d", i), fmt.Sprintf("A session with a long enough title to fill the cache %d", i))
		s.Abstract = fmt.Sprintf("%0300d", i)
		cat.Sessions = append(cat.Sessions, s)
	}
	must(t, a.Put("events-api", event, "", cat))
	e, err := b.Get("events-api", event)
	must(t, err)
	got, err := e.Catalog(time.UTC)
	must(t, err)
	if !e.FetchedAt.Equal(t0) || len(got.Sessions) != 3000 || got.Sessions[2999].Abstract != cat.Sessions[2999].Abstract {
		t.Errorf("cached catalog: fetched %v, %d sessions", e.FetchedAt, len(got.Sessions))
	}
	small := &catalog.Catalog{FetchedAt: t0.Add(time.Hour), Sessions: cat.Sessions[:1]}
	must(t, b.Put("events-api", event, "stamp", small))
	e, err = a.Get("events-api", event)
	must(t, err)
	if got, err := e.Catalog(time.UTC); err != nil || len(got.Sessions) != 1 || e.Stamp != "stamp" {
		t.Errorf("replaced entry: %d sessions, stamp %q, %v", len(got.Sessions), e.Stamp, err)
	}
	if _, err := a.Get("events-api", "another-event"); !errors.Is(err, cached.ErrNotFound) {
		t.Errorf("another event = %v, want ErrNotFound", err)
	}
}

// testCopiesAnswerOnce: two copies with two workers each, every mention
// delivered to both, each mention queued once and answered once.
func testCopiesAnswerOnce(t *testing.T, open func() Copy) {
	ctx := context.Background()
	copies := []store.Backend{open().Store, open().Store}
	const n = 30
	var batch []store.Job
	for i := range n {
		batch = append(batch, mention(fmt.Sprint("m", i), fmt.Sprint("user", i), 0))
	}
	queued := make([][]store.Outcome, 2)
	var wg sync.WaitGroup
	for c, s := range copies {
		wg.Go(func() {
			for i := range batch {
				o, err := s.EnqueueBatch(ctx, batch[i:i+1], 0, time.Hour)
				if err != nil {
					t.Error(err)
					return
				}
				queued[c] = append(queued[c], o...)
			}
		})
	}
	wg.Wait()
	for i := range n {
		if q := (queued[0][i] == store.Queued) != (queued[1][i] == store.Queued); !q {
			t.Errorf("mention %d: outcomes %v and %v, want one queued and one duplicate", i, queued[0][i], queued[1][i])
		}
	}
	var mu sync.Mutex
	answered := map[string]int{}
	now := t0.Add(time.Minute)
	for _, s := range copies {
		for range 2 {
			wg.Go(func() {
				for {
					j, err := s.Claim(ctx, now, time.Hour)
					if errors.Is(err, store.ErrNoJob) {
						return
					}
					if err != nil {
						t.Error(err)
						return
					}
					if err := s.AddReply(ctx, j.ID, "reply-"+j.ID); err != nil {
						t.Error(err)
					}
					if err := s.Finish(ctx, j.ID); err != nil {
						t.Error(err)
					}
					mu.Lock()
					answered[j.ID]++
					mu.Unlock()
				}
			})
		}
	}
	wg.Wait()
	for _, j := range batch {
		if answered[j.ID] != 1 {
			t.Errorf("mention %s answered %d times", j.ID, answered[j.ID])
		}
		if got, err := copies[0].JobByID(ctx, j.ID); err != nil || len(got.Replies) != 1 || got.State != store.JobDone {
			t.Errorf("job %s = %+v, %v", j.ID, got, err)
		}
	}
}
