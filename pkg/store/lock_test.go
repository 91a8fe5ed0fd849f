package store

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// lockChildEnv, when set to a store path, makes the test binary a child
// that takes the watch lock of that store, says "locked" on stdout and
// holds the lock until it is killed.
const lockChildEnv = "REINVENT_STORE_TEST_LOCK_CHILD"

func TestMain(m *testing.M) {
	if path := os.Getenv(lockChildEnv); path != "" {
		os.Exit(lockChild(path))
	}
	os.Exit(m.Run())
}

// lockChild is the child process of TestLockIsReleasedWhenHolderIsKilled.
func lockChild(path string) int {
	s, err := Open(context.Background(), path)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	if _, err := s.Lock("watch"); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	fmt.Println("locked")
	io.Copy(io.Discard, os.Stdin) // hold the lock until killed
	return 0
}

func TestLockConflictsBetweenStores(t *testing.T) {
	path := filepath.Join(t.TempDir(), "reinvent.db")
	a, b := openAt(t, path, len(migrations)), openAt(t, path, len(migrations))
	unlockA, err := a.Lock("watch")
	if err != nil {
		t.Fatal(err)
	}
	_, err = b.Lock("watch")
	if !errors.Is(err, ErrLocked) {
		t.Fatalf("second Lock = %v, want ErrLocked", err)
	}
	if want := "another reinvent watch is running on " + path; err.Error() != want {
		t.Errorf("error %q, want %q", err, want)
	}
	if _, err := a.Lock("watch"); !errors.Is(err, ErrLocked) {
		t.Errorf("Lock twice on one Store = %v, want ErrLocked", err)
	}
	unlockOther, err := b.Lock("serve-webhook")
	if err != nil {
		t.Fatalf("a lock of another name = %v, want no conflict", err)
	}
	defer unlockOther()
	if err := unlockA(); err != nil {
		t.Fatal(err)
	}
	unlockB, err := b.Lock("watch")
	if err != nil {
		t.Fatalf("Lock after unlock = %v", err)
	}
	if err := unlockB(); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(path + ".watch.lock"); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("lock file: %v, %v; want mode 0600", fi, err)
	}
}

func TestLockIsReleasedWhenHolderIsKilled(t *testing.T) {
	path := filepath.Join(t.TempDir(), "reinvent.db")
	s := openAt(t, path, len(migrations))

	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), lockChildEnv+"="+path)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	defer stdin.Close()
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil || line != "locked\n" {
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatalf("child said %q, %v; stderr: %s", line, err, stderr.String())
	}

	if _, err := s.Lock("watch"); !errors.Is(err, ErrLocked) {
		t.Errorf("Lock while another process holds it = %v, want ErrLocked", err)
	}
	if err := cmd.Process.Kill(); err != nil { // SIGKILL: no chance to unlock
		t.Fatal(err)
	}
	cmd.Wait()
	unlock, err := s.Lock("watch")
	if err != nil {
		t.Fatalf("Lock after the holder was killed = %v, want the lock", err)
	}
	if err := unlock(); err != nil {
		t.Fatal(err)
	}
}
