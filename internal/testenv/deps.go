package testenv

// What the tests need from Debian's packages is installed when it is missing
// (cbc, Node.js and npm), so that `go test ./...` on a fresh machine with Go
// needs nothing installed by hand. It never skips: a test whose tool cannot
// be had fails, saying how to install it.

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"
)

var (
	mu      sync.Mutex
	updated bool
	tried   = map[string]error{}
)

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
// missing. The error says what is missing and how to install it by hand.
func Ensure(why string, tools []string, pkgs ...string) error {
	missing := func() []string {
		var m []string
		for _, t := range tools {
			if _, err := exec.LookPath(t); err != nil {
				m = append(m, t)
			}
		}
		return m
	}
	if len(missing()) == 0 {
		return nil
	}
	mu.Lock()
	defer mu.Unlock()
	key := strings.Join(pkgs, " ")
	if err, ok := tried[key]; ok {
		return err
	}
	err := install(why, pkgs)
	if m := missing(); err == nil && len(m) > 0 {
		err = fmt.Errorf("%s still not on the PATH after installing %s", strings.Join(m, ", "), key)
	}
	if err != nil {
		err = fmt.Errorf("%s: need %s, which could not be installed (%v); install it: apt-get install -y %s",
			why, strings.Join(tools, " and "), err, key)
	}
	tried[key] = err
	return err
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
