package store

import (
	"context"
	"path/filepath"
	"testing"
	"time"
)

func TestCursorSurvivesReopen(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "reinvent.db")
	s := openAt(t, path, len(migrations))
	if v, err := s.Cursor(ctx, "mentions"); err != nil || v != "" {
		t.Fatalf("unset cursor = %q, %v; want empty", v, err)
	}
	at := time.Unix(1796112000, 0)
	for _, v := range []string{`{"since_id":"1"}`, `{"since_id":"2"}`} {
		if err := s.SetCursor(ctx, "mentions", v, at); err != nil {
			t.Fatal(err)
		}
	}
	s.Close()
	s = openAt(t, path, len(migrations))
	if v, err := s.Cursor(ctx, "mentions"); err != nil || v != `{"since_id":"2"}` {
		t.Errorf("cursor after reopen = %q, %v; want the last value saved", v, err)
	}
	if v, _ := s.Cursor(ctx, "other"); v != "" {
		t.Errorf("another name reads %q", v)
	}
}

func TestPostponeCountsNoAttempt(t *testing.T) {
	ctx := context.Background()
	s := openAt(t, filepath.Join(t.TempDir(), "reinvent.db"), len(migrations))
	now := time.Unix(1796112000, 0)
	if _, err := s.Enqueue(ctx, Job{ID: "1", UserID: "u", User: "ann", Text: "@bot x", Kind: KindSchedule, NextAt: now, CreatedAt: now}, 0, time.Hour); err != nil {
		t.Fatal(err)
	}
	j, err := s.Claim(ctx, now, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Postpone(ctx, j.ID, now.Add(time.Minute), "rate limited"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Claim(ctx, now, time.Hour); err != ErrNoJob {
		t.Errorf("claim before the new time: %v, want ErrNoJob", err)
	}
	j, err = s.Claim(ctx, now.Add(time.Minute), time.Hour)
	if err != nil || j.Attempts != 0 {
		t.Errorf("claim after: %+v, %v; want the job with 0 attempts", j, err)
	}
}
