package cli

import (
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
func NewCmdVersion(f *Factory, runF func(*VersionOptions) error) *cobra.Command {
	opts := &VersionOptions{IO: f.IO, Version: f.Version}
	return &cobra.Command{
		Use:         "version",
		Short:       "Print the version of reinvent",
		Args:        noArgs,
		Annotations: map[string]string{skipConfig: "yes"},
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(opts)
			}
			return versionRun(opts)
		},
	}
}

func versionRun(opts *VersionOptions) error {
	_, err := fmt.Fprintln(opts.IO.Out, buildinfo.Line(opts.Version))
	return err
}
