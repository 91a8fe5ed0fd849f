package store

import (
	"context"
	"errors"
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
	ctx := context.Background()
	s := newStore(t)
	if _, err := s.LoadCatalog(ctx, "sample", event); !errors.Is(err, ErrNotFound) {
		t.Fatalf("LoadCatalog of an empty cache = %v, want ErrNotFound", err)
	}
	want := sampleCatalog(t)
	want.FetchedAt = time.Date(2026, 11, 20, 8, 30, 15, 123456789, time.FixedZone("PST", -8*3600))
	if err := s.SaveCatalog(ctx, "sample", event, want); err != nil {
		t.Fatal(err)
	}
	got, err := s.LoadCatalog(ctx, "sample", event)
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
		g := got.Sessions[i]
		g.Normalize(nil)
		if !g.Equal(&want.Sessions[i]) {
			t.Fatalf("session %d: loaded %+v, want %+v", i, g, want.Sessions[i])
		}
	}
	if at, err := s.CatalogFetchedAt(ctx, "sample", event); err != nil || !at.Equal(want.FetchedAt) {
		t.Errorf("CatalogFetchedAt = %v, %v", at, err)
	}

	// Saving again replaces; other sources and events are separate.
	small := &catalog.Catalog{Source: "sample", Event: event, FetchedAt: want.FetchedAt.Add(time.Hour),
		Sessions: []catalog.Session{session("ARC302", "Only")}}
	if err := s.SaveCatalog(ctx, "sample", event, small); err != nil {
		t.Fatal(err)
	}
	if got, err := s.LoadCatalog(ctx, "sample", event); err != nil || len(got.Sessions) != 1 || got.Sessions[0].Title != "Only" {
		t.Errorf("after replacing: %d sessions, %v", len(got.Sessions), err)
	}
	if got := countRows(t, s, "catalogs"); got != 1 {
		t.Errorf("%d cached catalogs, want 1", got)
	}
	for _, key := range [][2]string{{"portal", event}, {"sample", "reinvent2025"}} {
		if _, err := s.LoadCatalog(ctx, key[0], key[1]); !errors.Is(err, ErrNotFound) {
			t.Errorf("LoadCatalog(%s, %s) = %v, want ErrNotFound", key[0], key[1], err)
		}
	}
}

// A file's catalog saved over the entries of the same file's older
// content replaces them; other files and events keep theirs.
func TestSaveCatalogOver(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	one := &catalog.Catalog{Sessions: []catalog.Session{session("ARC302", "One")}}
	for _, k := range [][2]string{{"file:/a.json|v1", event}, {"file:/b.json|v1", event}, {"file:/a.json|v1", "reinvent2025"}} {
		if err := s.SaveCatalog(ctx, k[0], k[1], one); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.SaveCatalogOver(ctx, "file:/a.json|v2", event, "file:/a.json|", one); err != nil {
		t.Fatal(err)
	}
	for key, want := range map[[2]string]bool{
		{"file:/a.json|v1", event}: false, {"file:/a.json|v2", event}: true,
		{"file:/b.json|v1", event}: true, {"file:/a.json|v1", "reinvent2025"}: true,
	} {
		_, err := s.LoadCatalog(ctx, key[0], key[1])
		if got := err == nil; got != want {
			t.Errorf("%q of %s cached = %v (%v), want %v", key[0], key[1], got, err, want)
		}
	}
}

// A cache entry that cannot be read, such as the gzip-compressed JSON that
// earlier versions stored, is reported as unreadable, not as a catalog.
func TestLoadCatalogUnreadable(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	if _, err := s.db.ExecContext(ctx, `INSERT INTO catalogs (source, event, fetched_at, sessions, data) VALUES ('events-api', ?, 1, 1, x'1f8b0800')`, event); err != nil {
		t.Fatal(err)
	}
	if c, err := s.LoadCatalog(ctx, "events-api", event); !errors.Is(err, catalog.ErrBinaryFormat) {
		t.Errorf("LoadCatalog = %v, %v; want catalog.ErrBinaryFormat", c, err)
	}
}
