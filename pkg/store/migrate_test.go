package store

import (
	"context"
	"path/filepath"
	"testing"
)

// The migration to schema 3 drops the old cache table and keeps the rest.
func TestMigrationDropsOldCache(t *testing.T) {
	path := filepath.Join(t.TempDir(), "reinvent.db")
	old := openAt(t, path, 2)
	populate(t, old, 2)
	if got := countRows(t, old, "catalogs"); got != 0 {
		t.Fatalf("%d rows in the old cache table", got)
	}
	old.Close()
	s := openAt(t, path, len(migrations))
	var n int
	if err := s.db.QueryRowContext(context.Background(), `SELECT count(*) FROM sqlite_master WHERE name = 'catalogs'`).Scan(&n); err != nil || n != 0 {
		t.Errorf("the catalogs table is still there (%d, %v)", n, err)
	}
}
