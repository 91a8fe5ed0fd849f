package cached

import (
	"database/sql"
	"testing"

	_ "modernc.org/sqlite"
)

// corrupt overwrites the cached catalogs of the store at path with bytes
// that are not a binary catalog, as an older reinvent's gzip JSON is not.
func corrupt(t *testing.T, path string) {
	t.Helper()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(`UPDATE catalogs SET data = x'1f8b0800'`); err != nil {
		t.Fatal(err)
	}
}
