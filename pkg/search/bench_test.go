package search

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/reinvent-cli/reinvent/internal/catalogtest"
)

// BenchmarkSearchBuild2400 builds the index of 2,400 sessions in memory and
// searches it:
// what the first search of a new catalog pays.
func BenchmarkSearchBuild2400(b *testing.B) {
	cat := catalogtest.Sample2400(b)
	for b.Loop() {
		ix, err := Open(context.Background(), cat, "", time.UTC)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := ix.Search(context.Background(), Query{Words: "kubernetes"}, nil); err != nil {
			b.Fatal(err)
		}
		ix.Close()
	}
}

// BenchmarkSearchBuildKept2400 builds the index of 2,400 sessions into a
// file, puts it in place and searches it: the first search of a new catalog.
func BenchmarkSearchBuildKept2400(b *testing.B) {
	cat := catalogtest.Sample2400(b)
	for b.Loop() {
		ix, err := Open(context.Background(), cat, b.TempDir(), time.UTC)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := ix.Search(context.Background(), Query{Words: "kubernetes"}, nil); err != nil {
			b.Fatal(err)
		}
		ix.Close()
	}
}

// BenchmarkSearchKept2400 opens the kept index of 2,400 sessions and
// searches it: every search after the first, as a run does it.
func BenchmarkSearchKept2400(b *testing.B) {
	cat := catalogtest.Sample2400(b)
	dir := b.TempDir()
	for _, q := range []Query{
		{Words: "kubernetes", Limit: DefaultLimit},
		{Words: "bedrock agent", Limit: DefaultLimit},
		{Words: "ARC3", Limit: DefaultLimit},
		{Days: []string{"tue"}, After: "13:00", Limit: DefaultLimit},
	} {
		b.Run(strings.ReplaceAll(q.Words, " ", "_"), func(b *testing.B) {
			for b.Loop() {
				ix, err := Open(context.Background(), cat, dir, time.UTC)
				if err != nil {
					b.Fatal(err)
				}
				if _, err := ix.Search(context.Background(), q, nil); err != nil {
					b.Fatal(err)
				}
				ix.Close()
			}
		})
	}
}

// BenchmarkSearchQuery2400 is a search of an open index of 2,400 sessions:
// what a long-running server (the MCP server) pays per query.
func BenchmarkSearchQuery2400(b *testing.B) {
	ix, err := Open(context.Background(), catalogtest.Sample2400(b), b.TempDir(), time.UTC)
	if err != nil {
		b.Fatal(err)
	}
	defer ix.Close()
	for b.Loop() {
		if _, err := ix.Search(context.Background(), Query{Words: "kubernetes", Limit: DefaultLimit}, nil); err != nil {
			b.Fatal(err)
		}
	}
}
