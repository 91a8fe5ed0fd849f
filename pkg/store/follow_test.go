package store

import (
	"context"
	"path/filepath"
	"testing"
	"time"
)

func TestFollowStateAndNotices(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "reinvent.db")
	s := openAt(t, path, len(migrations))
	if _, ok, err := s.FollowState(ctx, "ev"); ok || err != nil {
		t.Fatalf("a new store has follow state: %v, %v", ok, err)
	}
	at := time.Unix(1796112000, 0)
	ns := []NewNotice{{NoticeID: "n1", Kind: "moved", Code: "arc302", Data: []byte(`{"a":1}`)}, {NoticeID: "n2", Kind: "clash", Code: "SVS401", Data: []byte(`{}`)}}
	if err := s.RecordFollow(ctx, "ev", []byte("one"), ns, []string{"k1", "k2"}, at); err != nil {
		t.Fatal(err)
	}
	// The same notices again (a rerun that records the same run) queue nothing new.
	if err := s.RecordFollow(ctx, "ev", []byte("two"), ns[:1], []string{"k1"}, at); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s = openAt(t, path, len(migrations))
	if data, ok, err := s.FollowState(ctx, "ev"); !ok || err != nil || string(data) != "two" {
		t.Fatalf("follow state = %q, %v, %v; want the last run's", data, ok, err)
	}
	pend, err := s.PendingNotices(ctx, "ev", []string{"k1", "k2"})
	if err != nil || len(pend) != 4 {
		t.Fatalf("pending = %d, %v; want 2 notices × 2 sinks", len(pend), err)
	}
	if pend[0].NoticeID != "n1" || pend[0].Code != "ARC302" || string(pend[0].Data) != `{"a":1}` {
		t.Errorf("first pending = %+v", pend[0])
	}
	// A sink no longer configured keeps its notices but is not offered them.
	only, _ := s.PendingNotices(ctx, "ev", []string{"k2"})
	if len(only) != 2 || only[0].Sink != "k2" {
		t.Errorf("pending for k2 = %+v", only)
	}
	if err := s.StartNotice(ctx, pend[0].ID, at); err != nil {
		t.Fatal(err)
	}
	if err := s.EndNotice(ctx, pend[0].ID, "ntfy at example.com: 503", at); err != nil {
		t.Fatal(err)
	}
	again, _ := s.PendingNotices(ctx, "ev", []string{"k1"})
	if again[0].Attempts != 1 || again[0].LastError == "" {
		t.Errorf("after a failed send: %+v; want pending with one attempt and its error", again[0])
	}
	if err := s.EndNotice(ctx, pend[0].ID, "", at); err != nil {
		t.Fatal(err)
	}
	left, _ := s.PendingNotices(ctx, "ev", []string{"k1", "k2"})
	if len(left) != 3 {
		t.Errorf("pending after one sent = %d, want 3", len(left))
	}
	all, _ := s.Notices(ctx, "ev")
	if len(all) != 4 || all[0].State != NoticeSent || all[0].SentAt.IsZero() {
		t.Errorf("notices = %+v", all)
	}
	if other, _ := s.PendingNotices(ctx, "other", []string{"k1"}); len(other) != 0 {
		t.Errorf("another event's pending = %v", other)
	}
}
