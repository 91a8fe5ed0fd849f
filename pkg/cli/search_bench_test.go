package cli

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/reinvent-cli/reinvent/pkg/catalog/cached"
)

// BenchmarkSearchCache2400 is reinvent search on the Events API with a
// fresh cached catalog of 2,400 sessions and its kept index: nothing is
// fetched or built.
func BenchmarkSearchCache2400(b *testing.B) {
	dir := b.TempDir()
	b.Setenv("XDG_CONFIG_HOME", dir)
	db := filepath.Join(dir, "reinvent.db")
	c := catalog2400(b)
	c.FetchedAt = time.Now()
	if err := cached.Beside(db).Put("events-api", "reinvent2026", "", c); err != nil {
		b.Fatal(err)
	}
	for _, args := range [][]string{{"kubernetes"}, {"--day", "tue", "--after", "13:00"}, {"--fits", "SVS401,ARC302", "--day", "wed"}} {
		b.Run(args[0], func(b *testing.B) {
			for b.Loop() {
				ios, _, _, _ := TestIO()
				ios.Out = &countingWriter{}
				cmd := NewRootCmd(newFactory(ios, "bench"))
				cmd.SetArgs(append([]string{"search", "--source", "events-api", "--events-api-url", "http://127.0.0.1:1", "--db", db}, args...))
				if err := cmd.ExecuteContext(context.Background()); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
