package cli

import (
	"fmt"
	"runtime"
	"runtime/debug"

	"github.com/spf13/cobra"
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
	v, commit := opts.Version, ""
	if info, ok := debug.ReadBuildInfo(); ok {
		if v == "" {
			v = info.Main.Version
		}
		for _, s := range info.Settings {
			if s.Key == "vcs.revision" && len(s.Value) >= 12 {
				commit = ", commit " + s.Value[:12]
			}
		}
	}
	if v == "" {
		v = "(devel)"
	}
	_, err := fmt.Fprintf(opts.IO.Out, "reinvent %s (%s%s, %s/%s)\n", v, runtime.Version(), commit, runtime.GOOS, runtime.GOARCH)
	return err
}
