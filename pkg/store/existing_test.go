package store

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

// TestOpenExisting: no store is created where there is none; an existing
// one opens as Open opens it.
func TestOpenExisting(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "reinvent.db")
	st, err := OpenExisting(ctx, path)
	if st != nil || err != nil {
		t.Fatalf("no file: %v, %v; want nil, nil", st, err)
	}
	if _, err := os.Stat(path); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("a file was created: %v", err)
	}
	created, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	created.Close()
	st, err = OpenExisting(ctx, path)
	if st == nil || err != nil {
		t.Fatalf("existing store: %v, %v", st, err)
	}
	st.Close()
}
