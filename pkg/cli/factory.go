package cli

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/spf13/cobra"

	"github.com/reinvent-cli/reinvent/pkg/iostreams"
	"github.com/reinvent-cli/reinvent/pkg/setup"
)

// IOStreams are the standard streams of a run: data goes to Out, messages
// and progress to ErrOut.
type IOStreams = iostreams.IOStreams

// Factory holds what every command needs: the streams and the settings of
// the run, and what pkg/setup makes of them once they are read.
type Factory struct {
	*setup.Env
	Version  string
	settings *binding
}

// NewFactory returns the Factory of a real run of the binary.
func NewFactory(version string) *Factory {
	return newFactory(iostreams.System(), version)
}

func newFactory(ios *IOStreams, version string) *Factory {
	cfg := &Config{}
	env := &setup.Env{IO: ios, Config: cfg, Logger: slog.New(slog.NewTextHandler(ios.ErrOut, nil))}
	return &Factory{Env: env, Version: version, settings: newSettings(cfg)}
}

// loadConfig fills f.Config and sets up the logger. It runs once per
// command, before the command's own work.
func (f *Factory) loadConfig(cmd *cobra.Command) error {
	if err := f.settings.loadFor(cmd); err != nil {
		return err
	}
	f.Logger = f.Config.Logger(f.IO.ErrOut)
	for _, w := range f.settings.warnings {
		fmt.Fprintln(f.IO.ErrOut, "warning: "+w)
	}
	return nil
}

// runCommand runs the command's run with opts, or runF instead when a test
// passed one.
func runCommand[O any](ctx context.Context, opts O, runF, run func(context.Context, O) error) error {
	if runF != nil {
		return runF(ctx, opts)
	}
	return run(ctx, opts)
}
