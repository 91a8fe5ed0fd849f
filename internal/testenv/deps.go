package testenv

// What the tests need from Debian's packages is installed when it is missing
// (cbc, Node.js and npm, vdirsyncer, python3-icalendar, bash-completion and
// fish), so that `go test ./...` on a fresh machine with Go
// needs nothing installed by hand. It never skips: a test whose tool cannot
// be had fails, saying how to install it.

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"

	"github.com/gofrs/flock"
)

var (
	mu      sync.Mutex
	updated bool
	tried   = map[string]error{}
)

// aptLock is the file that lets one test process at a time install with
// apt-get: go test runs packages in parallel processes, and dpkg does not
// wait for its own lock, so a second apt-get at the same time fails with
// "Could not get lock". It is in the user's cache directory as the process
// started (tests move HOME).
var aptLock = func() string {
	root, err := os.UserCacheDir()
	if err != nil {
		root = os.TempDir()
	}
	return filepath.Join(root, "reinvent-test", "apt.lock")
}()

// beforeLock runs when Ensure has found a tool missing, just before it
// takes aptLock; a test lines processes up there.
var beforeLock = func() {}

// Say tells a person what the tests are installing, once per message: on
// stderr, and on the terminal when there is one, since go test shows a
// passing package's output only with -v.
func Say(msg string) {
	line := "reinvent tests: " + msg + "\n"
	fmt.Fprint(os.Stderr, line)
	if tty, err := os.OpenFile("/dev/tty", os.O_WRONLY, 0); err == nil {
		_, _ = tty.WriteString(line)
		tty.Close()
	}
}

// Ensure makes sure every one of tools is on the PATH, installing the
// Debian packages pkgs with apt-get (as root, or with sudo -n) when one is
// missing. Test processes running at once install one at a time, and only
// what is still missing once it is their turn, so one of them installs and
// says so on stderr. The error says what is missing and how to install it by
// hand.
func Ensure(why string, tools []string, pkgs ...string) error {
	onPath := func(t string) bool { _, err := exec.LookPath(t); return err == nil }
	return ensure(why, strings.Join(tools, " and "), "on the PATH", missingOf(tools, onPath), pkgs)
}

// EnsureFile makes sure every one of files exists, installing the Debian
// packages pkgs when one does not, as Ensure installs tools: for what a
// package installs that is not a program (bash-completion's functions).
func EnsureFile(why string, files []string, pkgs ...string) error {
	there := func(f string) bool { _, err := os.Stat(f); return err == nil }
	return ensure(why, strings.Join(files, " and "), "there", missingOf(files, there), pkgs)
}

// missingOf returns what of items present does not find, each time it is
// called: ensure calls it again once it has installed.
func missingOf(items []string, present func(string) bool) func() []string {
	return func() []string {
		var m []string
		for _, it := range items {
			if !present(it) {
				m = append(m, it)
			}
		}
		return m
	}
}

// DebianPython is the Python that Debian's python3-* packages install
// their modules for: a python3 earlier on the PATH (pyenv's, a virtual
// environment's) does not see them.
const DebianPython = "/usr/bin/python3"

// EnsurePython makes sure DebianPython can import every one of modules,
// installing the Debian packages pkgs (python3-icalendar, say) when it
// cannot, as Ensure installs tools.
func EnsurePython(why string, modules []string, pkgs ...string) error {
	imports := func(mod string) bool { return exec.Command(DebianPython, "-c", "import "+mod).Run() == nil }
	return ensure(why, "the Python modules "+strings.Join(modules, " and "), "importable by "+DebianPython, missingOf(modules, imports), pkgs)
}

// ensure installs pkgs when missing names anything, once per process for
// the same packages; want is what is needed, where where it must be.
func ensure(why, want, where string, missing func() []string, pkgs []string) error {
	if len(missing()) == 0 {
		return nil
	}
	mu.Lock()
	defer mu.Unlock()
	key := strings.Join(pkgs, " ")
	if err, ok := tried[key]; ok {
		return err
	}
	err := installLocked(why, pkgs, func() bool { return len(missing()) == 0 })
	if m := missing(); err == nil && len(m) > 0 {
		err = fmt.Errorf("%s still not %s after installing %s", strings.Join(m, ", "), where, key)
	}
	if err != nil {
		err = fmt.Errorf("%s: need %s, which could not be installed (%v); install it: apt-get install -y %s",
			why, want, err, key)
	}
	tried[key] = err
	return err
}

// installLocked installs pkgs under aptLock unless, once it holds the lock,
// present says another process has installed them meanwhile.
func installLocked(why string, pkgs []string, present func() bool) error {
	beforeLock()
	if err := os.MkdirAll(filepath.Dir(aptLock), 0o755); err != nil {
		return err
	}
	lock := flock.New(aptLock)
	if err := lock.Lock(); err != nil {
		return fmt.Errorf("lock %s: %w", aptLock, err)
	}
	defer lock.Unlock()
	if present() {
		return nil
	}
	return install(why, pkgs)
}

func install(why string, pkgs []string) error {
	apt := []string{"apt-get"}
	if os.Geteuid() != 0 {
		apt = []string{"sudo", "-n", "apt-get"}
	}
	Say(fmt.Sprintf("installing %s with apt-get, for %s", strings.Join(pkgs, " "), why))
	steps := [][]string{{"install", "-y", "-qq", "--no-install-recommends"}}
	steps[0] = append(steps[0], pkgs...)
	if !updated {
		steps = append([][]string{{"update", "-qq"}}, steps...)
	}
	for _, args := range steps {
		cmd := exec.Command(apt[0], append(apt[1:], args...)...)
		cmd.Env = append(os.Environ(), "DEBIAN_FRONTEND=noninteractive")
		if out, err := cmd.CombinedOutput(); err != nil {
			return fmt.Errorf("%s %s: %v: %s", strings.Join(apt, " "), strings.Join(args, " "), err, bytes.TrimSpace(out))
		}
		if args[0] == "update" {
			updated = true
		}
	}
	return nil
}
