package cli

import (
	"strings"
	"testing"

	"github.com/reinvent-cli/reinvent/internal/testenv"
)

// TestGroupsSuggestTheirSubcommands: a mistyped subcommand of a command
// group exits 2 with one line naming the closest subcommand, as a
// mistyped top-level command does; a word close to nothing gets no guess.
func TestGroupsSuggestTheirSubcommands(t *testing.T) {
	for _, c := range []struct {
		args   []string
		want   string
		noHint bool
	}{
		{args: []string{"x", "webhoks"}, want: `unknown command "webhoks" for "reinvent x" (did you mean webhooks?); run 'reinvent x --help' for the list of commands`},
		{args: []string{"x", "subscrbe"}, want: `unknown command "subscrbe" for "reinvent x" (did you mean subscribe?)`},
		{args: []string{"x", "webhooks", "lsit"}, want: `unknown command "lsit" for "reinvent x webhooks" (did you mean list?)`},
		{args: []string{"x", "webhooks", "zzzzzz"}, want: `unknown command "zzzzzz" for "reinvent x webhooks"; run`, noHint: true},
	} {
		t.Run(strings.Join(c.args, " "), func(t *testing.T) {
			testenv.Isolate(t)
			_, _, err := runCLI(t, c.args...)
			if ExitCode(err) != ExitUsage || !strings.Contains(err.Error(), c.want) || strings.Contains(err.Error(), "\n") {
				t.Errorf("exit %d, %v; want one line with %q", ExitCode(err), err, c.want)
			}
			if c.noHint && err != nil && strings.Contains(err.Error(), "did you mean") {
				t.Errorf("a guess at nothing close: %v", err)
			}
		})
	}
}
