package testenv

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Isolate gives the rest of the test an empty home of its own and returns
// it: HOME and XDG_CONFIG_HOME are a new temporary directory,
// XDG_DATA_HOME is its "data" subdirectory, and every REINVENT_ variable
// of the developer's environment is emptied. It uses t.Setenv, so the test
// must not be parallel.
func Isolate(t testing.TB) string {
	t.Helper()
	dir := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", dir)
	t.Setenv("HOME", dir)
	t.Setenv("XDG_DATA_HOME", filepath.Join(dir, "data"))
	for _, kv := range os.Environ() {
		if k, _, _ := strings.Cut(kv, "="); strings.HasPrefix(k, "REINVENT_") {
			t.Setenv(k, "")
		}
	}
	return dir
}

// HomeEnv is the whole environment of a child process isolated the same
// way: HOME, XDG_CONFIG_HOME and XDG_DATA_HOME are home, PATH is this
// process's, and nothing else is set, so no REINVENT_ setting of the
// developer's leaks in. Append the settings the test wants.
func HomeEnv(home string) []string {
	return []string{"HOME=" + home, "XDG_CONFIG_HOME=" + home, "XDG_DATA_HOME=" + home, "PATH=" + os.Getenv("PATH")}
}
