// Command reinvent downloads, watches and schedules the AWS re:Invent
// session catalog.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	_ "time/tzdata" // the event's zone must load on machines without zoneinfo

	"github.com/reinvent-cli/reinvent/pkg/catalog"
	"github.com/reinvent-cli/reinvent/pkg/cli"
)

// version is set at release time with -ldflags "-X main.version=...".
var version string

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	// After the first signal, a second one stops the process hard.
	context.AfterFunc(ctx, stop)

	root := cli.NewRootCmd(cli.NewFactory(version))
	// A Lambda custom runtime starts the executable named bootstrap: it is
	// reinvent lambda (docs/serverless.md).
	if filepath.Base(os.Args[0]) == "bootstrap" {
		root.SetArgs(append([]string{"lambda"}, os.Args[1:]...))
	}
	err := root.ExecuteContext(ctx)
	stop()
	os.Exit(exitCode(ctx, err))
}

// exitCode prints err as one line on stderr and returns the process exit
// code for it.
func exitCode(ctx context.Context, err error) int {
	if err == nil {
		return cli.ExitOK
	}
	if ctx.Err() != nil && errors.Is(err, context.Canceled) {
		fmt.Fprintln(os.Stderr, "reinvent: interrupted")
		return cli.ExitInterrupted
	}
	// An error may quote a server's words: what a terminal would act on
	// is taken out (docs/security.md).
	msg := strings.Join(strings.Fields(catalog.CleanLine(err.Error())), " ")
	fmt.Fprintln(os.Stderr, "reinvent: "+msg)
	return cli.ExitCode(err)
}
