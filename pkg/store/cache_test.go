package store

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/reinvent-cli/reinvent/pkg/catalog"
	"github.com/reinvent-cli/reinvent/pkg/catalog/sample"
)

// sampleCatalog returns the embedded sample catalog in Las Vegas time.
func sampleCatalog(t testing.TB) *catalog.Catalog {
	t.Helper()
	loc, err := time.LoadLocation("America/Los_Angeles")
	if err != nil {
		t.Fatal(err)
	}
	c, err := sample.Source{}.Fetch(context.Background(), catalog.FetchOptions{Location: loc})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestCatalogCacheRoundTrip(t *testing.T) {
	c := CacheOf(filepath.Join(t.TempDir(), "reinvent.db"))
	if _, err := c.Get("sample", event); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Get of an empty cache = %v, want ErrNotFound", err)
	}
	want := sampleCatalog(t)
	want.FetchedAt = time.Date(2026, 11, 20, 8, 30, 15, 123456789, time.FixedZone("PST", -8*3600))
	if err := c.Put("sample", event, "stamp 1", want); err != nil {
		t.Fatal(err)
	}
	e, err := c.Get("sample", event)
	if err != nil {
		t.Fatal(err)
	}
	if e.Stamp != "stamp 1" || !e.FetchedAt.Equal(want.FetchedAt) {
		t.Errorf("entry stamp %q, fetched_at %v; want stamp 1, %v", e.Stamp, e.FetchedAt, want.FetchedAt)
	}
	got, err := e.Catalog(nil)
	if err != nil {
		t.Fatal(err)
	}
	if got.Source != want.Source || got.Event != want.Event || !got.FetchedAt.Equal(want.FetchedAt) {
		t.Errorf("loaded %q %q %v, want %q %q %v", got.Source, got.Event, got.FetchedAt, want.Source, want.Event, want.FetchedAt)
	}
	if len(got.Sessions) != len(want.Sessions) || len(got.Sessions) < 1000 {
		t.Fatalf("loaded %d sessions, want %d", len(got.Sessions), len(want.Sessions))
	}
	for i := range want.Sessions {
		if !got.Sessions[i].Equal(&want.Sessions[i]) {
			t.Fatalf("session %d: loaded %+v, want %+v", i, got.Sessions[i], want.Sessions[i])
		}
	}

	// Putting again replaces; other sources and events are separate.
	small := &catalog.Catalog{Source: "sample", Event: event, FetchedAt: want.FetchedAt.Add(time.Hour),
		Sessions: []catalog.Session{session("ARC302", "Only")}}
	if err := c.Put("sample", event, "", small); err != nil {
		t.Fatal(err)
	}
	if e, err := c.Get("sample", event); err != nil || e.Stamp != "" {
		t.Errorf("after replacing: %+v, %v", e, err)
	} else if got, err := e.Catalog(nil); err != nil || len(got.Sessions) != 1 || got.Sessions[0].Title != "Only" {
		t.Errorf("after replacing: %v, %v", got, err)
	}
	entries, err := os.ReadDir(c.Dir)
	if err != nil || len(entries) != 1 {
		t.Errorf("the cache directory holds %d entries (%v), want 1", len(entries), err)
	}
	for _, key := range [][2]string{{"portal", event}, {"sample", "reinvent2025"}} {
		if _, err := c.Get(key[0], key[1]); !errors.Is(err, ErrNotFound) {
			t.Errorf("Get(%s, %s) = %v, want ErrNotFound", key[0], key[1], err)
		}
	}
	// The cache is private: directory 0700, files 0600.
	if fi, err := os.Stat(c.Dir); err != nil || fi.Mode().Perm() != 0o700 {
		t.Errorf("cache directory mode %v (%v), want 0700", fi.Mode().Perm(), err)
	}
	if fi, err := os.Stat(c.file("sample", event)); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("cache file mode %v (%v), want 0600", fi.Mode().Perm(), err)
	}
}

// An entry that cannot be read, whatever is wrong with it, is reported as
// unreadable and never read as a catalog.
func TestCatalogCacheUnreadable(t *testing.T) {
	c := CacheOf(filepath.Join(t.TempDir(), "reinvent.db"))
	if err := c.Put("events-api", event, "", sampleCatalog(t)); err != nil {
		t.Fatal(err)
	}
	path := c.file("events-api", event)
	good, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	flip := func(i int) []byte { b := bytes.Clone(good); b[i] ^= 0x10; return b }
	for name, data := range map[string][]byte{
		"empty": {}, "gzip JSON": {0x1f, 0x8b, 8, 0}, "header bit flipped": flip(12),
		"catalog bit flipped": flip(len(good) / 2), "truncated": good[:len(good)-3],
	} {
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		e, err := c.Get("events-api", event)
		if err == nil {
			_, err = e.Catalog(nil)
		}
		if !errors.Is(err, catalog.ErrBinaryFormat) {
			t.Errorf("%s: %v, want catalog.ErrBinaryFormat", name, err)
		}
	}
}

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
