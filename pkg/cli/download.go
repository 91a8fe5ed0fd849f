package cli

import (
	"context"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/reinvent-cli/reinvent/internal/atomicfile"
	"github.com/reinvent-cli/reinvent/pkg/catalog"
	"github.com/reinvent-cli/reinvent/pkg/setup"
)

// DownloadOptions are the inputs of reinvent download.
type DownloadOptions struct {
	setup.Deps

	Starred bool
	Format  string
	Output  string
}

// NewCmdDownload returns the download command. Tests pass runF to check
// flag parsing without running the download.
func NewCmdDownload(f *Factory, runF func(context.Context, *DownloadOptions) error) *cobra.Command {
	opts := &DownloadOptions{Deps: f.Deps()}
	cmd := &cobra.Command{
		Use:   "download [--starred] [--format csv|json] [-o FILE]",
		Short: "Download the session catalog as CSV or JSON",
		Long: `Download the whole session catalog, or only your starred sessions, as CSV (the
default) or JSON, to stdout or to a file (-o, whose extension picks the format).
Either output is itself a valid --source, for scheduling later with no network.
A download that fails writes nothing. docs/formats.md describes both formats.`,
		Example: `  # Your starred sessions from the embedded sample catalog, no account needed
  reinvent download --source sample --starred

  # The whole catalog as JSON, written atomically to a file
  reinvent download --format json -o sessions.json`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkFormat(opts.Format, catalog.Formats); err != nil {
				return err
			}
			format, err := catalog.OutputFormat(opts.Output, opts.Format, cmd.Flags().Changed("format"))
			if err != nil {
				return usageError(err)
			}
			opts.Format = format
			return runCommand(cmd.Context(), opts, runF, downloadRun)
		},
	}
	cmd.Flags().BoolVar(&opts.Starred, "starred", false, "only the sessions you starred")
	cmd.Flags().StringVar(&opts.Format, "format", "csv", "output format: csv or json")
	cmd.Flags().StringVarP(&opts.Output, "output", "o", "", "write to `FILE` instead of stdout: atomically, keeping an existing file's mode, creating missing directories as --db does")
	addSourceFlags(f, cmd)
	return cmd
}

func downloadRun(ctx context.Context, opts *DownloadOptions) error {
	src, cat, err := opts.Catalog(ctx, true)
	if err != nil {
		return err
	}
	opts.SaveCache(ctx, src, cat)
	cat.Sessions = catalog.Published(cat.Sessions, opts.Starred)

	// The catalog is whole and checked by now, so the output is streamed:
	// what can still fail is the write itself.
	render := func(w io.Writer) error { return catalog.Write(w, cat, opts.Format, opts.Config.Location) }
	if err := atomicfile.ToOutput(opts.IO.Out, opts.Output, render); err != nil || opts.Output == "" || opts.Output == "-" {
		return err
	}
	fmt.Fprintf(opts.IO.ErrOut, "Wrote %d sessions to %s\n", len(cat.Sessions), opts.Output)
	return nil
}

// addSourceFlags adds the flags of the commands that fetch a catalog: the
// source settings and --password-stdin.
func addSourceFlags(f *Factory, cmd *cobra.Command) {
	f.settings.addTo(cmd.Flags(), sourceSettings...)
	cmd.Flags().BoolVar(&f.PasswordStdin, "password-stdin", false, "read the portal password from the first line of standard input")
	setGroup(cmd.Flags(), "source", "password-stdin")
}
