package cli

import (
	"io"
	"testing"

	"github.com/spf13/cobra"

	"github.com/reinvent-cli/reinvent/internal/testenv"
	"github.com/reinvent-cli/reinvent/pkg/iostreams"
)

// The helpers the tests of every command share. What does not need this
// package's unexported names (the event's zone, an isolated home, running
// a command tree) is in internal/testenv.

// load is loadFor with no command: the settings alone.
func (s *binding) load() error { return s.loadFor(nil) }

// rootWith returns the root command with one subcommand replaced by the
// one newCmd builds, so that a test can pass its own runF.
func rootWith(newCmd func(*Factory) *cobra.Command) *cobra.Command {
	ios, _, _, _ := iostreams.Test()
	f := newFactory(ios, "test")
	return testenv.ReplaceCommand(NewRootCmd(f), newCmd(f))
}

// runCLI runs the root command as the binary would, on streams that are
// buffers and not terminals, and returns what it printed. Call
// testenv.Isolate first to keep the developer's settings out.
func runCLI(t *testing.T, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	return testenv.Run(t, func(in io.Reader, out, errOut io.Writer) *cobra.Command {
		return NewRootCmd(newFactory(&IOStreams{In: in, Out: out, ErrOut: errOut}, "v0.0.0-test"))
	}, args...)
}
