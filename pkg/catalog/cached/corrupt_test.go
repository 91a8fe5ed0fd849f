package cached

import (
	"os"
	"path/filepath"
	"testing"
)

// corrupt overwrites every entry of the cache in dir with bytes that are
// not a cache entry, as an older reinvent's would not be.
func corrupt(t *testing.T, dir string) {
	t.Helper()
	entries, err := filepath.Glob(filepath.Join(dir, "*.bin"))
	if err != nil || len(entries) == 0 {
		t.Fatalf("no cache entries in %s (%v)", dir, err)
	}
	for _, e := range entries {
		if err := os.WriteFile(e, []byte{0x1f, 0x8b, 8, 0}, 0o600); err != nil {
			t.Fatal(err)
		}
	}
}
