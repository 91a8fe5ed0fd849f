//go:build unix

package cognitolocal

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
)

// installChild, when set, makes TestInstallConcurrentProcesses the child
// process that installs and starts cognito-local.
const installChild = "REINVENT_COGNITOLOCAL_INSTALL_CHILD"

// TestInstallConcurrentProcesses: test processes that start at once on a
// machine with an empty cache (as go test runs the packages that use
// cognito-local) share one npm install, made by one of them, which says so
// once; every one of them starts cognito-local from it and uses it. What an
// interrupted install left behind is cleared, and no install debris is left.
// It runs the real npm install once.
func TestInstallConcurrentProcesses(t *testing.T) {
	if os.Getenv(installChild) != "" {
		srv := Start(t)
		srv.NewPool(t, false)
		return
	}

	cache := t.TempDir()
	root := filepath.Join(cache, "reinvent-test")
	dir := filepath.Join(root, "cognito-local-"+Version)
	// An install killed halfway, and a tree left unmarked at dir.
	for _, d := range []string{filepath.Join(root, ".cognito-local-"+Version+"-install-12345", "node_modules"), dir} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "package.json"), []byte("{}\n"), 0o644); err != nil {
		t.Fatal(err)
	}

	const n = 3
	type result struct {
		out []byte
		err error
	}
	results := make(chan result, n)
	for range n {
		cmd := exec.CommandContext(t.Context(), os.Args[0], "-test.run=^TestInstallConcurrentProcesses$", "-test.count=1")
		cmd.Env = append(os.Environ(), installChild+"=1", "XDG_CACHE_HOME="+cache)
		cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true} // no terminal to say things on
		go func() {
			out, err := cmd.CombinedOutput()
			results <- result{out, err}
		}()
	}
	installing := 0
	for i := range n {
		r := <-results
		if r.err != nil {
			t.Errorf("child %d: %v\n%s", i, r.err, r.out)
		}
		installing += strings.Count(string(r.out), "installing cognito-local@"+Version+" with npm")
	}
	if installing != 1 {
		t.Errorf("%d processes said they were installing cognito-local, want 1", installing)
	}

	entries, err := os.ReadDir(root)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	want := []string{"cognito-local-" + Version, "cognito-local-" + Version + ".lock"}
	if !slices.Equal(names, want) {
		t.Errorf("the cache holds %q, want %q", names, want)
	}
	if _, err := os.Stat(filepath.Join(dir, ".installed")); err != nil {
		t.Errorf("the install is not marked: %v", err)
	}
}
