package cli

import (
	"runtime/debug"
	"testing"

	"github.com/spf13/cobra"
)

// A short command collects garbage less often (GOGC 200); a server, or a
// process whose user set GOGC, keeps its setting.
func TestTuneGC(t *testing.T) {
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	for _, tt := range []struct {
		cmd, gogc string
		want      int
	}{
		{"schedule", "", 200},
		{"search", "", 200},
		{"serve-webhook", "", 100},
		{"mcp", "", 100},
		{"lambda", "", 100},
		{"schedule", "50", 100}, // the runtime read GOGC at start; it is left alone
	} {
		t.Setenv("GOGC", tt.gogc)
		debug.SetGCPercent(100)
		tuneGC(&cobra.Command{Use: tt.cmd})
		if got := debug.SetGCPercent(100); got != tt.want {
			t.Errorf("%s with GOGC=%q: GC percent %d, want %d", tt.cmd, tt.gogc, got, tt.want)
		}
	}
}
