package cli

import (
	"os"
	"runtime/debug"

	"github.com/spf13/cobra"
)

// servers are the commands that run until they are stopped.
var servers = map[string]bool{"serve-webhook": true, "follow": true, "mcp": true, "lambda": true}

// tuneGC lets the heap of a command that is over in milliseconds grow to
// three times what it holds before a collection (GOGC 200), where Go's
// default (100) collects once a heap reaches 4 MB: one collection in a
// 2,400-session schedule or search costs it 2 ms and frees nothing it
// needs (docs/performance.md, "Garbage collection"). Servers, and a GOGC
// the user set, keep their setting.
func tuneGC(cmd *cobra.Command) {
	if os.Getenv("GOGC") == "" && !servers[cmd.Name()] {
		debug.SetGCPercent(200)
	}
}
