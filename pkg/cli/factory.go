package cli

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/reinvent-cli/reinvent/pkg/catalog"
	"github.com/reinvent-cli/reinvent/pkg/catalog/cached"
	"github.com/reinvent-cli/reinvent/pkg/catalog/sample"
	"github.com/reinvent-cli/reinvent/pkg/store/backend"
)

// IOStreams are the standard streams of a run: data goes to Out, messages
// and progress to ErrOut.
type IOStreams struct {
	In     io.Reader
	Out    io.Writer
	ErrOut io.Writer

	StdinTTY  bool
	StdoutTTY bool
	StderrTTY bool
}

// SystemIO returns the process's standard streams.
func SystemIO() *IOStreams {
	return &IOStreams{
		In: os.Stdin, Out: os.Stdout, ErrOut: os.Stderr,
		StdinTTY:  term.IsTerminal(int(os.Stdin.Fd())),
		StdoutTTY: term.IsTerminal(int(os.Stdout.Fd())),
		StderrTTY: term.IsTerminal(int(os.Stderr.Fd())),
	}
}

// TestIO returns streams backed by buffers, none of them a terminal.
func TestIO() (ios *IOStreams, in, out, errOut *bytes.Buffer) {
	in, out, errOut = &bytes.Buffer{}, &bytes.Buffer{}, &bytes.Buffer{}
	return &IOStreams{In: in, Out: out, ErrOut: errOut}, in, out, errOut
}

// Factory holds what every command needs: streams, the configuration of the
// run, and lazy getters for the things built from it.
type Factory struct {
	IO      *IOStreams
	Version string
	Config  *Config
	// Logger logs to ErrOut at the configured level and format; set once
	// the configuration is loaded.
	Logger *slog.Logger
	// Source returns the catalog source the configuration names.
	Source func() (catalog.Source, error)
	// PasswordStdin is set by --password-stdin: the portal password is the
	// first line of standard input.
	PasswordStdin bool

	settings *binding
}

// NewFactory returns the Factory of a real run of the binary.
func NewFactory(version string) *Factory {
	return newFactory(SystemIO(), version)
}

func newFactory(ios *IOStreams, version string) *Factory {
	cfg := &Config{}
	f := &Factory{IO: ios, Version: version, Config: cfg, settings: newSettings(cfg)}
	f.Logger = slog.New(slog.NewTextHandler(ios.ErrOut, nil))
	f.Source = f.openSource
	return f
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

// showProgress reports whether progress may be drawn on ErrOut: only on a
// terminal and never with JSON logs.
func (f *Factory) showProgress() bool {
	return f.IO.StderrTTY && f.Config.LogFormat != "json"
}

// openSource returns the catalog source named by the source setting. A
// live source and a file come behind the store's catalog cache
// (cached.Source); the embedded sample needs none.
func (f *Factory) openSource() (catalog.Source, error) {
	name := f.Config.Source
	var src catalog.Source
	var err error
	switch ext := strings.ToLower(filepath.Ext(name)); {
	case name == "sample":
		return sample.Source{}, nil
	case name == "portal":
		src, err = f.portalSource()
	case name == "events-api":
		src, err = f.eventsAccount()
	case ext == ".json", ext == ".csv":
		src, err = catalog.NewFileSource(name)
	default:
		return nil, usageErrorf("unknown source %q: use events-api, portal, sample, or the path of a .json or .csv file written by reinvent download", name)
	}
	if err != nil {
		return nil, err
	}
	cache := func() (cached.Store, error) {
		return atStore(f.Config, func(db string) (cached.Store, error) { return backend.Catalogs(context.Background(), db) })
	}
	return &cached.Source{Inner: src, Cache: cache, MaxAge: f.Config.MaxAge, Logger: f.Logger}, nil
}

// runCommand runs the command's run with opts, or runF instead when a test
// passed one.
func runCommand[O any](ctx context.Context, opts O, runF, run func(context.Context, O) error) error {
	if runF != nil {
		return runF(ctx, opts)
	}
	return run(ctx, opts)
}
