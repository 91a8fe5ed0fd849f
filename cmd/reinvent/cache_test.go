package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestScheduleFromTheCache: a live catalog that download fetched is
// scheduled from the store's cache while it is younger than max-age, with
// no request, and fetched again once it is older.
func TestScheduleFromTheCache(t *testing.T) {
	fake := eventsWorld(t)
	db := filepath.Join(t.TempDir(), "reinvent.db")
	api := []string{"--source", "events-api", "--events-api-url", fake.URL, "--db", db}
	if _, errOut, code := run(t, append([]string{"download"}, api...)...); code != 0 {
		t.Fatalf("download: exit %d: %s", code, errOut)
	}
	pages := fake.Count("sessions")
	if pages == 0 {
		t.Fatal("download made no page request")
	}

	out, errOut, code := run(t, append([]string{"schedule", "DAT201", "NET305"}, api...)...)
	again := fake.Count("sessions")
	if code != 0 || !strings.HasPrefix(out, "2 of 2 sessions scheduled") || again != pages {
		t.Errorf("schedule after download: exit %d, %d page requests (download made %d); want the cache, no request\n%s%s", code, again, pages, out, errOut)
	}
	assertPrivate(t, db+"-catalogs")

	// Past max-age the catalog is fetched again: with the service gone,
	// that is exit 4, not a stale schedule.
	fake.Close()
	if _, errOut, code := run(t, append([]string{"schedule", "DAT201", "--max-age", "1ns"}, api...)...); code != 4 {
		t.Errorf("schedule past max-age with the service down: exit %d, want 4\n%s", code, errOut)
	}
	if out, errOut, code := run(t, append([]string{"schedule", "DAT201"}, api...)...); code != 0 || !strings.HasPrefix(out, "1 of 1") {
		t.Errorf("schedule within max-age with the service down: exit %d\n%s%s", code, out, errOut)
	}
}

// TestScheduleFromACachedFile: a download file is read once and then
// served from the cache while it holds the same bytes; an edit, even one
// that keeps its size, is read, and a damaged cache is rebuilt.
func TestScheduleFromACachedFile(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "reinvent.db")
	file := filepath.Join(dir, "sessions.json")
	if _, errOut, code := run(t, "download", "--source", "sample", "--format", "json", "-o", file); code != 0 {
		t.Fatalf("download: exit %d: %s", code, errOut)
	}
	schedule := func() string {
		t.Helper()
		out, errOut, code := run(t, "schedule", "--source", file, "--db", db, "--ignore-reserved", "SVS401")
		if code != 0 {
			t.Fatalf("schedule: exit %d: %s", code, errOut)
		}
		return out
	}
	first := schedule()
	if second := schedule(); second != first {
		t.Errorf("the cached read differs from the first:\n%s\n----\n%s", first, second)
	}
	entries, err := filepath.Glob(filepath.Join(db+"-catalogs", "*.bin"))
	if err != nil || len(entries) != 1 {
		t.Fatalf("cache entries %v (%v), want one", entries, err)
	}
	assertPrivate(t, db+"-catalogs")

	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	const title = `"title": "Best practices for serverless developers"`
	if !bytes.Contains(data, []byte(title)) {
		t.Fatalf("the sample's SVS401 is no longer %s", title)
	}
	edited := bytes.Replace(data, []byte(title), []byte(`"title": "Best practices for serverless DEVELOPERS"`), 1)
	if err := os.WriteFile(file, edited, 0o644); err != nil {
		t.Fatal(err)
	}
	if out := schedule(); !strings.Contains(out, "DEVELOPERS") {
		t.Errorf("after an edit of the same size the old title is shown:\n%s", out)
	}

	if err := os.WriteFile(entries[0], []byte("not a cache entry"), 0o600); err != nil {
		t.Fatal(err)
	}
	if out := schedule(); !strings.Contains(out, "DEVELOPERS") {
		t.Errorf("with a damaged cache:\n%s", out)
	}
	if b, err := os.ReadFile(entries[0]); err != nil || bytes.Equal(b, []byte("not a cache entry")) {
		t.Errorf("the damaged cache entry was not rebuilt (%v)", err)
	}
}

// assertPrivate checks that the cache directory and its files are the
// user's alone.
func assertPrivate(t *testing.T, dir string) {
	t.Helper()
	fi, err := os.Stat(dir)
	if err != nil || fi.Mode().Perm() != 0o700 {
		t.Fatalf("cache directory %s: %v, %v; want mode 0700", dir, fi, err)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*"))
	for _, f := range files {
		if fi, err := os.Stat(f); err != nil || fi.Mode().Perm() != 0o600 {
			t.Errorf("cache file %s: mode %v (%v), want 0600", f, fi.Mode().Perm(), err)
		}
	}
}
