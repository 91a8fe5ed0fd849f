package store_test

import (
	"context"
	"fmt"
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

// sqliteBench opens a new SQLite store for one benchmark.
func sqliteBench(b *testing.B) storetest.Bench {
	s, err := store.Open(context.Background(), filepath.Join(b.TempDir(), "reinvent.db"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	return storetest.Bench{Store: s}
}

// The hot paths' benchmarks, the same bodies as pkg/store/dynamo's
// (docs/performance.md, "The DynamoDB store").

func BenchmarkEnqueue(b *testing.B) { storetest.BenchEnqueue(b, sqliteBench(b)) }
func BenchmarkClaim(b *testing.B)   { storetest.BenchClaim(b, sqliteBench(b)) }
func BenchmarkPending(b *testing.B) { storetest.BenchPending(b, sqliteBench(b), 10) }

func BenchmarkRecord(b *testing.B) {
	for _, n := range []int{1, 100} {
		b.Run(fmt.Sprintf("changed=%d", n), func(b *testing.B) { storetest.BenchRecord(b, sqliteBench(b), n) })
	}
}
