package store

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/reinvent-cli/reinvent/pkg/catalog"
)

func TestOutboxLifecycle(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "reinvent.db")
	s := openAt(t, path, len(migrations))
	at := time.Date(2026, 10, 1, 12, 0, 0, 0, time.UTC)
	codes := []string{"ARC302", "SVS401", "API304", "DAT335"}
	var sessions []catalog.Session
	var changes []Change
	for i, c := range codes {
		sessions = append(sessions, session(c, "Title "+c))
		ch := Change{Code: c, Kind: KindNew}
		if i < 3 {
			ch.Post = "NEW " + c + " #reInvent"
		}
		changes = append(changes, ch)
	}
	runID, err := s.Record(ctx, Run{Event: event, Source: "sample", At: at, Sessions: sessions, Changes: changes})
	if err != nil {
		t.Fatal(err)
	}

	// A crash after recording: the next run finds the posts pending.
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s = openAt(t, path, len(migrations))
	pending, err := s.Pending(ctx, event)
	if err != nil || len(pending) != 3 {
		t.Fatalf("Pending = %+v, %v; want the 3 posts", pending, err)
	}
	for i, o := range pending {
		if o.Code != codes[i] || o.Text != "NEW "+codes[i]+" #reInvent" || o.RunID != runID || o.Kind != KindNew ||
			o.State != OutboxPending || o.Attempts != 0 || !o.CreatedAt.Equal(at) {
			t.Errorf("pending[%d] = %+v", i, o)
		}
	}
	if other, _ := s.Pending(ctx, "another-event"); len(other) != 0 {
		t.Error("pending posts leak across events")
	}

	posted, transient, refused := pending[0].ID, pending[1].ID, pending[2].ID
	for _, id := range []int64{posted, transient, refused} {
		if err := s.Attempt(ctx, id, at.Add(time.Minute)); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Posted(ctx, posted, "1850000000000000000", at.Add(time.Minute), false); err != nil {
		t.Fatal(err)
	}
	if err := s.Retry(ctx, transient, "503 Service Unavailable"); err != nil {
		t.Fatal(err)
	}
	if err := s.Failed(ctx, refused, "403 not permitted"); err != nil {
		t.Fatal(err)
	}

	pending, err = s.Pending(ctx, event)
	if err != nil || len(pending) != 1 || pending[0].ID != transient || pending[0].Attempts != 1 ||
		pending[0].LastError != "503 Service Unavailable" {
		t.Fatalf("Pending after one round = %+v, %v; want only the retried post", pending, err)
	}
	if p, d, f, err := s.Counts(ctx, event); p != 1 || d != 1 || f != 1 || err != nil {
		t.Errorf("Counts = %d, %d, %d, %v; want 1, 1, 1", p, d, f, err)
	}
	o, err := s.OutboxByID(ctx, posted)
	if err != nil || o.State != OutboxPosted || o.PostID != "1850000000000000000" || o.Duplicate || o.Attempts != 1 {
		t.Errorf("posted row = %+v, %v", o, err)
	}
	o, err = s.OutboxByID(ctx, refused)
	if err != nil || o.State != OutboxFailed || o.LastError != "403 not permitted" {
		t.Errorf("failed row = %+v, %v", o, err)
	}

	// X's duplicate-content answer counts as posted.
	if err := s.Attempt(ctx, transient, at.Add(2*time.Minute)); err != nil {
		t.Fatal(err)
	}
	if err := s.Posted(ctx, transient, "", at.Add(2*time.Minute), true); err != nil {
		t.Fatal(err)
	}
	if o, _ := s.OutboxByID(ctx, transient); o.State != OutboxPosted || !o.Duplicate || o.Attempts != 2 || o.LastError != "" {
		t.Errorf("duplicate row = %+v", o)
	}
	if pending, _ := s.Pending(ctx, event); len(pending) != 0 {
		t.Errorf("still pending: %+v", pending)
	}

	for name, err := range map[string]error{
		"Attempt": s.Attempt(ctx, 999, at),
		"Posted":  s.Posted(ctx, 999, "1", at, false),
		"Failed":  s.Failed(ctx, 999, "x"),
		"Retry":   s.Retry(ctx, 999, "x"),
	} {
		if !errors.Is(err, ErrNotFound) {
			t.Errorf("%s of an unknown row = %v, want ErrNotFound", name, err)
		}
	}
	if _, err := s.OutboxByID(ctx, 999); !errors.Is(err, ErrNotFound) {
		t.Errorf("OutboxByID of an unknown row = %v, want ErrNotFound", err)
	}
}
