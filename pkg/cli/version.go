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
	_, err := fmt.Fprintln(opts.IO.Out, versionLine(opts.Version))
	return err
}

// versionLine is what reinvent version and reinvent --version print: the
// version injected at release, else the module's, and the build's Go,
// commit and platform.
func versionLine(v string) string {
	commit := ""
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
	return fmt.Sprintf("reinvent %s (%s%s, %s/%s)", v, runtime.Version(), commit, runtime.GOOS, runtime.GOARCH)
}
