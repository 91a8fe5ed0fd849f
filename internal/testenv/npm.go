package testenv

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/gofrs/flock"
)

// npmTimeout bounds one npm install.
const npmTimeout = 10 * time.Minute

var (
	npmMu        sync.Mutex
	npmInstalled = map[string]string{} // name@version → dir
)

// npmRoot is where the npm packages of the tests are installed: the user's
// cache directory as the process started (tests move HOME), so that an
// install outlives the tests and every run shares it.
var npmRoot = func() string {
	root, err := os.UserCacheDir()
	if err != nil {
		root = os.TempDir()
	}
	return filepath.Join(root, "reinvent-test")
}()

// NpmPackage installs the npm package name at exactly version, once per
// cache directory, and returns the directory whose node_modules holds it.
// Node.js and npm come from Debian when missing (Ensure). Test processes
// that ask at once share one install: one installs, saying so once with
// Say (why is for whom), and the others wait for it. No process ever sees
// a half-installed tree.
func NpmPackage(why, name, version string) (string, error) {
	spec := name + "@" + version
	npmMu.Lock()
	defer npmMu.Unlock()
	if dir, ok := npmInstalled[spec]; ok {
		return dir, nil
	}
	dir, err := npmInstall(why, name, version)
	if err != nil {
		return "", fmt.Errorf("npm install %s, for %s: %w", spec, why, err)
	}
	npmInstalled[spec] = dir
	return dir, nil
}

func npmInstall(why, name, version string) (string, error) {
	// Node.js first: some builds of it (NodeSource's) bring npm, and
	// Debian's npm package cannot be installed beside those.
	if err := Ensure(why+" ("+name+")", []string{"node"}, "nodejs"); err != nil {
		return "", err
	}
	if err := Ensure(why+" ("+name+")", []string{"npm"}, "npm"); err != nil {
		return "", err
	}
	npm, err := exec.LookPath("npm")
	if err != nil {
		return "", err
	}
	// A scoped name (@scope/pkg) becomes one path element.
	base := strings.ReplaceAll(strings.TrimPrefix(name, "@"), "/", "-") + "-" + version
	dir := filepath.Join(npmRoot, base)
	installed := func() bool {
		_, merr := os.Stat(filepath.Join(dir, ".installed"))
		_, perr := os.Stat(filepath.Join(dir, "node_modules", filepath.FromSlash(name), "package.json"))
		return merr == nil && perr == nil
	}
	// A tree is marked installed before it is renamed into place, and a
	// marked tree is never removed: once installed, it is used without a lock.
	if installed() {
		return dir, nil
	}
	if err := os.MkdirAll(npmRoot, 0o755); err != nil {
		return "", err
	}
	// One test process installs; the others wait for the lock, then use
	// its install.
	lock := flock.New(dir + ".lock")
	if err := lock.Lock(); err != nil {
		return "", fmt.Errorf("lock %s: %w", lock.Path(), err)
	}
	defer lock.Unlock()
	if installed() {
		return dir, nil
	}
	// What is left that is not a whole install (the private directory of a
	// killed install, a tree left at dir unmarked) was never used by anyone,
	// and only the holder of the lock makes more, so it can go.
	prefix := "." + base + "-install-"
	leftovers, _ := filepath.Glob(filepath.Join(npmRoot, prefix+"*"))
	for _, d := range append(leftovers, dir) {
		if err := os.RemoveAll(d); err != nil {
			return "", fmt.Errorf("remove an unfinished install: %w", err)
		}
	}
	// Install into a private directory and rename it into place.
	tmp, err := os.MkdirTemp(npmRoot, prefix+"*")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(tmp)
	if err := os.WriteFile(filepath.Join(tmp, "package.json"), []byte(`{"name":"reinvent-test-`+base+`","private":true}`+"\n"), 0o644); err != nil {
		return "", err
	}
	ctx, cancel := context.WithTimeout(context.Background(), npmTimeout)
	defer cancel()
	Say("installing " + name + "@" + version + " with npm into " + dir + ", for " + why)
	cmd := exec.CommandContext(ctx, npm, "install", "--no-audit", "--no-fund", "--loglevel=error", "--save-exact", name+"@"+version)
	cmd.Dir = tmp
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("%v\n%s", err, out)
	}
	if err := os.WriteFile(filepath.Join(tmp, ".installed"), nil, 0o644); err != nil {
		return "", err
	}
	if err := os.Rename(tmp, dir); err != nil {
		return "", err
	}
	if !installed() {
		return "", fmt.Errorf("installed without %s", filepath.Join(dir, "node_modules", name, "package.json"))
	}
	return dir, nil
}
