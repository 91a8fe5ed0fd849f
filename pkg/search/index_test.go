package search

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"

	"github.com/reinvent-cli/reinvent/internal/testenv"
	"github.com/reinvent-cli/reinvent/pkg/catalog"
)

// indexFiles are the index files kept in dir.
func indexFiles(t *testing.T, dir string) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "search-*.fts"))
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// openIn opens the index of cat kept in dir, and searches it for words,
// which opens (or builds) its full-text part.
func openIn(t *testing.T, cat *catalog.Catalog, dir string) *Index {
	t.Helper()
	ix, err := Open(context.Background(), cat, dir, testenv.Vegas)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	search(t, ix, Query{Words: "at"})
	return ix
}

// TestIndexKeptAndReplaced: the index is built once and kept (a second
// run reads the same file); a catalog whose text changed gets a new index,
// so a search never answers from a stale one; the old file goes once more
// than keepIndexes were built.
func TestIndexKeptAndReplaced(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "reinvent.db-catalogs")
	cat := fixture(t)
	openIn(t, cat, dir)
	first := indexFiles(t, dir)
	if len(first) != 1 {
		t.Fatalf("index files after a build: %v", first)
	}
	info, _ := os.Stat(first[0])
	openIn(t, cat, dir)
	if again, _ := os.Stat(first[0]); !slices.Equal(indexFiles(t, dir), first) || !again.ModTime().Equal(info.ModTime()) {
		t.Errorf("the same catalog built its index again: %v", indexFiles(t, dir))
	}

	changed := fixture(t)
	changed.Sessions[0].Title = "Zeppelins at scale"
	ix := openIn(t, changed, dir)
	if got := codes(search(t, ix, Query{Words: "zeppelin"})); !slices.Equal(got, []string{"KUB301"}) {
		t.Errorf("the changed title is not found: %v", got)
	}
	if len(indexFiles(t, dir)) != 2 {
		t.Errorf("index files: %v; want the old and the new", indexFiles(t, dir))
	}
	for i := range keepIndexes {
		changed.Sessions[0].Title = "Title " + string(rune('A'+i))
		openIn(t, changed, dir)
	}
	if files := indexFiles(t, dir); len(files) != keepIndexes || slices.Contains(files, first[0]) {
		t.Errorf("index files: %v; want the %d newest", files, keepIndexes)
	}
	if tmp, _ := filepath.Glob(filepath.Join(dir, ".search-*")); len(tmp) != 0 {
		t.Errorf("temporary files left: %v", tmp)
	}
}

// TestIndexDamagedIsRebuilt: a file in the index's place that is not its
// index (damaged, cut short) is built again, never searched.
func TestIndexDamagedIsRebuilt(t *testing.T) {
	dir := t.TempDir()
	cat := fixture(t)
	openIn(t, cat, dir).Close()
	files := indexFiles(t, dir)
	for _, garbage := range [][]byte{[]byte("not an index"), nil} {
		if err := os.WriteFile(files[0], garbage, 0o600); err != nil {
			t.Fatal(err)
		}
		ix := openIn(t, cat, dir)
		if got := codes(search(t, ix, Query{Words: "kubernetes"})); !slices.Equal(got, []string{"KUB301", "NOT101", "CNS210"}) {
			t.Errorf("after %q in its place: %v", garbage, got)
		}
	}
}

// TestIndexBuiltByManyAtOnce: runs that open the index of one catalog at
// once, with none built yet, all search it right.
func TestIndexBuiltByManyAtOnce(t *testing.T) {
	dir := t.TempDir()
	cat := fixture(t)
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for range 8 {
		wg.Go(func() {
			ix, err := Open(context.Background(), cat, dir, testenv.Vegas)
			if err != nil {
				errs <- err
				return
			}
			defer ix.Close()
			res, err := ix.Search(context.Background(), Query{Words: "bedrock agent"}, nil)
			if err == nil && !slices.Equal(codes(res), []string{"AIM330", "AIM205"}) {
				t.Errorf("got %v", codes(res))
			}
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	if files := indexFiles(t, dir); len(files) != 1 {
		t.Errorf("index files: %v", files)
	}
}

// TestIndexOnlyForWords: a search with no words needs no full-text index,
// and builds none.
func TestIndexOnlyForWords(t *testing.T) {
	dir := t.TempDir()
	ix, err := Open(context.Background(), fixture(t), dir, testenv.Vegas)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if res := search(t, ix, Query{Days: []string{"mon"}}); res.Total != 2 {
		t.Errorf("got %v", codes(res))
	}
	if files := indexFiles(t, dir); len(files) != 0 {
		t.Errorf("index files: %v", files)
	}
}

// TestIndexInMemory: with no directory, or one that cannot be written, the
// index is built for the run.
func TestIndexInMemory(t *testing.T) {
	file := filepath.Join(t.TempDir(), "reinvent.db")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, dir := range []string{"", filepath.Join(file, "catalogs")} {
		ix := openIn(t, fixture(t), dir)
		if got := codes(search(t, ix, Query{Words: "ARC3"})); len(got) != 2 {
			t.Errorf("dir %q: %v", dir, got)
		}
	}
}
