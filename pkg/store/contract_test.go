package store_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/reinvent-cli/reinvent/pkg/catalog/cached"
	"github.com/reinvent-cli/reinvent/pkg/store"
	"github.com/reinvent-cli/reinvent/pkg/store/storetest"
)

// TestContract runs the store's behaviour suite on SQLite: each copy is
// another connection to one file, as another process would open it.
func TestContract(t *testing.T) {
	storetest.Run(t, func(t *testing.T) func() storetest.Copy {
		path := filepath.Join(t.TempDir(), "reinvent.db")
		return func() storetest.Copy {
			s, err := store.Open(context.Background(), path)
			if err != nil {
				t.Fatal(err)
			}
			return storetest.Copy{Store: s, Cache: cached.Beside(path)}
		}
	})
}
