package cli

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/reinvent-cli/reinvent/internal/buildinfo"
)

// VersionOptions are the inputs of reinvent version.
type VersionOptions struct {
	IO      *IOStreams
	Version string
}

// NewCmdVersion returns the version command.
func NewCmdVersion(f *Factory, runF func(context.Context, *VersionOptions) error) *cobra.Command {
	opts := &VersionOptions{IO: f.IO, Version: f.Version}
	return &cobra.Command{
		Use:         "version",
		Short:       "Print the version of reinvent",
		Args:        noArgs,
		Annotations: map[string]string{skipConfig: "yes"},
		RunE: func(cmd *cobra.Command, args []string) error {
			return runCommand(cmd.Context(), opts, runF, versionRun)
		},
	}
}

func versionRun(_ context.Context, opts *VersionOptions) error {
	_, err := fmt.Fprintln(opts.IO.Out, buildinfo.Line(opts.Version))
	return err
}
