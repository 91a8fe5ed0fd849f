package cached

import (
	"bufio"
	"errors"
	"go/build"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The catalog packages, the cache included, are built without the SQLite
// store: a command that reads a catalog need not link it
// (docs/architecture.md).
func TestCatalogDoesNotImportStore(t *testing.T) {
	root, module := moduleRoot(t)
	store := module + "/pkg/store"
	var starts []string
	err := filepath.WalkDir(filepath.Join(root, "pkg", "catalog"), func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "testdata" || strings.HasPrefix(d.Name(), ".") || strings.HasPrefix(d.Name(), "_")) {
			return filepath.SkipDir
		}
		if d.IsDir() {
			rel, _ := filepath.Rel(root, path)
			starts = append(starts, module+"/"+filepath.ToSlash(rel))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// via records, for each package reached, the package that imports it.
	via := map[string]string{}
	queue := starts
	for _, p := range starts {
		via[p] = ""
	}
	for len(queue) > 0 {
		p := queue[0]
		queue = queue[1:]
		pkg, err := build.ImportDir(filepath.Join(root, filepath.FromSlash(strings.TrimPrefix(p, module+"/"))), 0)
		var none *build.NoGoError
		if errors.As(err, &none) {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		for _, imp := range pkg.Imports {
			if _, seen := via[imp]; seen || !strings.HasPrefix(imp, module+"/") {
				continue
			}
			via[imp] = p
			queue = append(queue, imp)
		}
	}
	if _, ok := via[store]; ok {
		chain := store
		for p := via[store]; p != ""; p = via[p] {
			chain = p + " -> " + chain
		}
		t.Errorf("a catalog package imports the store: %s", chain)
	}
	if _, ok := via[module+"/pkg/catalog/cached"]; !ok || len(via) < 5 {
		t.Fatalf("the walk reached only %d packages: %v", len(via), via)
	}
}

// moduleRoot returns the directory of go.mod above this package and the
// module's path.
func moduleRoot(t *testing.T) (dir, module string) {
	t.Helper()
	dir, err := filepath.Abs(".")
	if err != nil {
		t.Fatal(err)
	}
	for {
		f, err := os.Open(filepath.Join(dir, "go.mod"))
		if err == nil {
			defer f.Close()
			sc := bufio.NewScanner(f)
			for sc.Scan() {
				if m, ok := strings.CutPrefix(strings.TrimSpace(sc.Text()), "module "); ok {
					return dir, strings.TrimSpace(m)
				}
			}
			t.Fatalf("%s/go.mod names no module", dir)
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the package")
		}
		dir = parent
	}
}
