package cli

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/spf13/cobra"

	"github.com/reinvent-cli/reinvent/pkg/catalog/cached"
)

// BenchmarkCompleteCodes2400 is reinvent __complete schedule SV in process
// on the Events API with a cached catalog of 2,400 sessions: the tree
// built, the settings read, the cache read and decoded, the codes offered.
func BenchmarkCompleteCodes2400(b *testing.B) {
	dir := b.TempDir()
	b.Setenv("XDG_CONFIG_HOME", dir)
	db := filepath.Join(dir, "reinvent.db")
	c := catalog2400(b)
	c.FetchedAt = time.Now()
	if err := cached.Beside(db).Put("events-api", "reinvent2026", "", c); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		ios, _, out, _ := TestIO()
		cmd := NewRootCmd(newFactory(ios, "bench"))
		cmd.SetArgs([]string{cobra.ShellCompRequestCmd, "schedule", "--source", "events-api", "--events-api-url", "http://127.0.0.1:1", "--db", db, "SV"})
		if err := cmd.ExecuteContext(context.Background()); err != nil || out.Len() < 1000 {
			b.Fatalf("%v: %q", err, out.String())
		}
	}
}
