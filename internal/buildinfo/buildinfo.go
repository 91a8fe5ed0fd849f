// Package buildinfo says which build of reinvent is running.
package buildinfo

import (
	"fmt"
	"runtime"
	"runtime/debug"
)

// Line is what reinvent version and reinvent --version print: the version
// v injected at release, else the module's, and the build's Go, commit and
// platform.
func Line(v string) string {
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
