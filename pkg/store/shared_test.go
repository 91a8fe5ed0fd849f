package store

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"
)

// TestLockShared: two runs hold a lock shared side by side; while they do,
// Lock (alone) is refused, and once they let go it is had. A shared lock
// waits for an exclusive holder, and gives up with its context.
func TestLockShared(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "reinvent.db")
	a, b := openShared(t, path), openShared(t, path)
	ua, err := a.LockShared(ctx, "reserve")
	if err != nil {
		t.Fatal(err)
	}
	ub, err := b.LockShared(ctx, "reserve")
	if err != nil {
		t.Fatalf("a second shared holder: %v", err)
	}
	if _, err := a.Lock("reserve"); !errors.Is(err, ErrLocked) {
		t.Errorf("Lock beside shared holders = %v, want ErrLocked", err)
	}
	ua()
	ub()
	alone, err := a.Lock("reserve")
	if err != nil {
		t.Fatalf("Lock once the shared holders left: %v", err)
	}
	short, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
	defer cancel()
	if _, err := b.LockShared(short, "reserve"); err == nil {
		t.Error("a shared lock beside an exclusive holder")
	}
	alone()
}

// TestJournalPaced: admit sees the writes of the kind since the time given,
// from every Store on the file, and a write it holds back is not
// journaled.
func TestJournalPaced(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "reinvent.db")
	a, b := openShared(t, path), openShared(t, path)
	t0 := time.Date(2026, 10, 8, 17, 0, 0, 0, time.UTC)
	if _, err := a.JournalWrite(ctx, "e", "reserve", []string{"x", "y"}, t0); err != nil {
		t.Fatal(err)
	}
	if _, err := a.JournalWrite(ctx, "e", "favorite", []string{"z"}, t0); err != nil {
		t.Fatal(err)
	}
	var seen []Write
	id, wait, err := b.JournalPaced(ctx, "e", "reserve", []string{"q"}, t0.Add(time.Second), t0.Add(-time.Minute), func(r []Write) time.Duration {
		seen = r
		return 59 * time.Second
	})
	if err != nil || id != 0 || wait != 59*time.Second {
		t.Fatalf("held back: id %d, wait %v, err %v", id, wait, err)
	}
	if len(seen) != 1 || len(seen[0].SessionIDs) != 2 {
		t.Errorf("admit saw %+v, want the one reserve of the other Store", seen)
	}
	id, wait, err = b.JournalPaced(ctx, "e", "reserve", []string{"q"}, t0.Add(time.Minute), t0, func(r []Write) time.Duration { seen = r; return 0 })
	if err != nil || id == 0 || wait != 0 || len(seen) != 0 {
		t.Fatalf("admitted: id %d, wait %v, err %v, saw %d (the write at t0 is a minute old)", id, wait, err, len(seen))
	}
	all, _ := a.Writes(ctx, "e", WriteSent)
	if len(all) != 3 {
		t.Errorf("%d writes journaled, want 3", len(all))
	}
}

func openShared(t *testing.T, path string) *Store {
	t.Helper()
	s, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}
