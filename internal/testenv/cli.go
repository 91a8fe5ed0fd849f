package testenv

import (
	"bytes"
	"context"
	"io"
	"testing"

	"github.com/spf13/cobra"
)

// Run builds a command tree with newRoot, giving it an empty stdin and
// buffers for stdout and stderr, runs it with args as the binary would,
// and returns what it printed.
//
// It takes a constructor rather than pkg/cli's root so that pkg/cli's own
// tests can use it: this package must not import pkg/cli.
func Run(t testing.TB, newRoot func(stdin io.Reader, stdout, stderr io.Writer) *cobra.Command, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	var in, out, errOut bytes.Buffer
	root := newRoot(&in, &out, &errOut)
	root.SetArgs(args)
	err = root.ExecuteContext(context.Background())
	return out.String(), errOut.String(), err
}

// ReplaceCommand puts sub in root in place of the subcommand of the same
// name, so that a test can run the tree with a command of its own making,
// and returns root.
func ReplaceCommand(root, sub *cobra.Command) *cobra.Command {
	for _, c := range root.Commands() {
		if c.Name() == sub.Name() {
			root.RemoveCommand(c)
		}
	}
	root.AddCommand(sub)
	return root
}
