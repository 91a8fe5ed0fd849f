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
	v = Version(v)
	commit := ""
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, s := range info.Settings {
			if s.Key == "vcs.revision" && len(s.Value) >= 12 {
				commit = ", commit " + s.Value[:12]
			}
		}
	}
	return fmt.Sprintf("reinvent %s (%s%s, %s/%s)", v, runtime.Version(), commit, runtime.GOOS, runtime.GOARCH)
}

// Version is the version v injected at release, else the module's, else
// "(devel)": never empty, so that whoever is told it (an MCP client's
// serverInfo, a log line) is told something.
func Version(v string) string {
	if info, ok := debug.ReadBuildInfo(); ok && v == "" {
		v = info.Main.Version
	}
	if v == "" {
		v = "(devel)"
	}
	return v
}
