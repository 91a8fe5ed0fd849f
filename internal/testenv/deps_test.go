//go:build unix

package testenv

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// ensureChild, when set, makes TestEnsureConcurrentProcesses the child
// process that calls Ensure.
const ensureChild = "REINVENT_TESTENV_ENSURE_CHILD"

// childReady is what a child prints when it has found the tool missing; it
// then waits for a line on stdin before it takes the install lock.
const childReady = "reinvent-testenv-child-ready"

// fakeAptGet behaves, for the test, like apt-get on Debian: install puts an
// executable for each package on the PATH, and like dpkg it fails at once,
// saying "Could not get lock", while another apt-get runs. Every call is
// logged.
const fakeAptGet = `#!/bin/sh
echo "$*" >> "$FAKE_APT/apt.log"
if ! mkdir "$FAKE_APT/dpkg.lock" 2>/dev/null; then
	echo "E: Could not get lock $FAKE_APT/dpkg.lock. It is held by another apt-get" >&2
	exit 100
fi
trap 'rmdir "$FAKE_APT/dpkg.lock"' EXIT
if [ "$1" = install ]; then
	for p in "$@"; do
		case "$p" in
		install | -*) ;;
		*) printf '#!/bin/sh\n' > "$FAKE_APT/bin/.$p" && chmod 755 "$FAKE_APT/bin/.$p" && mv "$FAKE_APT/bin/.$p" "$FAKE_APT/bin/$p" ;;
		esac
	done
fi
`

// fakeSudo runs its command as it is, for a test that is not run as root.
const fakeSudo = `#!/bin/sh
[ "$1" = -n ] && shift
exec "$@"
`

// TestEnsureConcurrentProcesses: on a fresh machine, several test processes
// find the same tool missing at once; one of them installs it with a single
// apt-get install, saying so on stderr, and the others wait for it and use
// its install, instead of failing on dpkg's lock.
func TestEnsureConcurrentProcesses(t *testing.T) {
	if os.Getenv(ensureChild) != "" {
		beforeLock = func() {
			fmt.Println(childReady)
			_, _ = bufio.NewReader(os.Stdin).ReadString('\n')
		}
		if err := Ensure("the concurrent install test", []string{"reinvent-fake-tool"}, "reinvent-fake-tool"); err != nil {
			t.Fatal(err)
		}
		return
	}

	dir := t.TempDir()
	bin := filepath.Join(dir, "bin")
	if err := os.Mkdir(bin, 0o755); err != nil {
		t.Fatal(err)
	}
	for name, script := range map[string]string{"apt-get": fakeAptGet, "sudo": fakeSudo} {
		if err := os.WriteFile(filepath.Join(bin, name), []byte(script), 0o755); err != nil {
			t.Fatal(err)
		}
	}

	const n = 4
	type child struct {
		cmd    *exec.Cmd
		stdin  io.WriteCloser
		stdout *bufio.Reader
		stderr bytes.Buffer
	}
	children := make([]*child, n)
	for i := range children {
		c := &child{cmd: exec.CommandContext(t.Context(), os.Args[0], "-test.run=^TestEnsureConcurrentProcesses$", "-test.count=1")}
		c.cmd.Env = append(os.Environ(),
			ensureChild+"=1",
			"FAKE_APT="+dir,
			"XDG_CACHE_HOME="+filepath.Join(dir, "cache"), // where the install lock is
			"PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"),
		)
		c.cmd.Stderr = &c.stderr
		c.cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true} // no terminal to say things on
		var err error
		if c.stdin, err = c.cmd.StdinPipe(); err != nil {
			t.Fatal(err)
		}
		stdout, err := c.cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		c.stdout = bufio.NewReader(stdout)
		if err := c.cmd.Start(); err != nil {
			t.Fatal(err)
		}
		children[i] = c
	}
	// Every child has found the tool missing before any of them goes on.
	for i, c := range children {
		for {
			line, err := c.stdout.ReadString('\n')
			if strings.TrimSpace(line) == childReady {
				break
			}
			if err != nil {
				_ = c.cmd.Wait()
				t.Fatalf("child %d ended before it found the tool missing: %v\n%s", i, err, c.stderr.String())
			}
		}
	}
	for _, c := range children {
		if _, err := io.WriteString(c.stdin, "go\n"); err != nil {
			t.Fatal(err)
		}
		c.stdin.Close()
	}
	installing := 0
	for i, c := range children {
		out, _ := io.ReadAll(c.stdout)
		if err := c.cmd.Wait(); err != nil {
			t.Errorf("child %d: %v\nstdout:\n%s\nstderr:\n%s", i, err, out, c.stderr.String())
		}
		installing += strings.Count(c.stderr.String(), "installing reinvent-fake-tool with apt-get")
	}
	if installing != 1 {
		t.Errorf("%d processes said they were installing reinvent-fake-tool, want 1", installing)
	}
	log, err := os.ReadFile(filepath.Join(dir, "apt.log"))
	if err != nil {
		t.Fatal(err)
	}
	installs := 0
	for _, line := range strings.Split(string(log), "\n") {
		if strings.HasPrefix(line, "install ") {
			installs++
		}
	}
	if installs != 1 {
		t.Errorf("apt-get install ran %d times, want 1; calls:\n%s", installs, log)
	}
}
