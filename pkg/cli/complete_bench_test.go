package cli

import (
	"context"
	"testing"

	"github.com/reinvent-cli/reinvent/pkg/iostreams"
	"github.com/spf13/cobra"
)

// BenchmarkCompleteCodes2400 is reinvent __complete schedule SV in process
// on the Events API with a cached catalog of 2,400 sessions: the tree
// built, the settings read, the cache read and decoded, the codes offered.
func BenchmarkCompleteCodes2400(b *testing.B) {
	db := cached2400(b)
	for b.Loop() {
		ios, _, out, _ := iostreams.Test()
		cmd := NewRootCmd(newFactory(ios, "bench"))
		cmd.SetArgs(append(append([]string{cobra.ShellCompRequestCmd, "schedule"}, offline(db)...), "SV"))
		if err := cmd.ExecuteContext(context.Background()); err != nil || out.Len() < 1000 {
			b.Fatalf("%v: %q", err, out.String())
		}
	}
}
