package cached

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/reinvent-cli/reinvent/internal/testenv"
	"github.com/reinvent-cli/reinvent/pkg/catalog"
	"github.com/reinvent-cli/reinvent/pkg/catalog/sample"
)

const event = "reinvent2026"

// sampleCatalog returns the embedded sample catalog in Las Vegas time.
func sampleCatalog(t testing.TB) *catalog.Catalog {
	t.Helper()
	c, err := sample.Source{}.Fetch(context.Background(), catalog.FetchOptions{Location: testenv.Vegas})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestCatalogCacheRoundTrip(t *testing.T) {
	c := Beside(filepath.Join(t.TempDir(), "reinvent.db"))
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
	only := catalog.Session{Code: "ARC302", Title: "Only", Start: time.Date(2026, 11, 30, 10, 0, 0, 0, testenv.Vegas)}
	only.End = only.Start.Add(time.Hour)
	only.Normalize(testenv.Vegas)
	small := &catalog.Catalog{Source: "sample", Event: event, FetchedAt: want.FetchedAt.Add(time.Hour),
		Sessions: []catalog.Session{only}}
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
	c := Beside(filepath.Join(t.TempDir(), "reinvent.db"))
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

// FuzzCacheEntry: whatever bytes a cache file holds, Get and Catalog
// return a catalog or an error wrapping catalog.ErrBinaryFormat or
// ErrNotFound, never a panic.
func FuzzCacheEntry(f *testing.F) {
	c := Beside(filepath.Join(f.TempDir(), "reinvent.db"))
	s := catalog.Session{Code: "ARC302", Title: "Seed", Start: time.Date(2026, 11, 30, 10, 0, 0, 0, time.UTC)}
	s.End = s.Start.Add(time.Hour)
	s.Normalize(time.UTC)
	if err := c.Put("events-api", event, "meta|sum|1", &catalog.Catalog{Source: "events-api", Event: event, FetchedAt: time.Unix(1, 0), Sessions: []catalog.Session{s}}); err != nil {
		f.Fatal(err)
	}
	good, err := os.ReadFile(c.file("events-api", event))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(good)
	f.Add(good[:len(good)/2])
	f.Add([]byte{})
	f.Add([]byte{0x1f, 0x8b, 8, 0})
	f.Add([]byte("\x0dRNVCACHE\x01\x00\x00\x00\x00"))
	f.Fuzz(func(t *testing.T, data []byte) {
		c := Beside(filepath.Join(t.TempDir(), "reinvent.db"))
		if err := os.MkdirAll(c.Dir, 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(c.file("events-api", event), data, 0o600); err != nil {
			t.Fatal(err)
		}
		e, err := c.Get("events-api", event)
		if err == nil {
			_, err = e.Catalog(time.UTC)
		}
		if err != nil && !errors.Is(err, catalog.ErrBinaryFormat) && !errors.Is(err, ErrNotFound) {
			t.Errorf("Get of %q: %v, want a catalog or ErrBinaryFormat", data, err)
		}
	})
}
