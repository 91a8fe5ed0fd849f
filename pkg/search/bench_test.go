package search

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/reinvent-cli/reinvent/pkg/catalog"
	"github.com/reinvent-cli/reinvent/pkg/catalog/sample"
)

// catalog2400 is the sample and 400 of its sessions again under new codes,
// as pkg/cli's benchmarks make it.
func catalog2400(b *testing.B) *catalog.Catalog {
	b.Helper()
	c, err := sample.Source{}.Fetch(context.Background(), catalog.FetchOptions{Location: time.UTC})
	if err != nil {
		b.Fatal(err)
	}
	for i := 0; len(c.Sessions) < 2400; i++ {
		s := c.Sessions[i]
		code, _ := catalog.ParseCode(s.Code)
		letters := strings.TrimRight(code.Base, "0123456789")
		s.Code = letters + "Q" + strings.TrimPrefix(s.Code, letters)
		s.SessionID += "-copy"
		s.Normalize(time.UTC)
		c.Sessions = append(c.Sessions, s)
	}
	return c
}

// BenchmarkSearchBuild2400 builds the index of 2,400 sessions in memory and
// searches it:
// what the first search of a new catalog pays.
func BenchmarkSearchBuild2400(b *testing.B) {
	cat := catalog2400(b)
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
	cat := catalog2400(b)
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
	cat := catalog2400(b)
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
	ix, err := Open(context.Background(), catalog2400(b), b.TempDir(), time.UTC)
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
