package main

import (
	"bytes"
	"crypto/sha256"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/reinvent-cli/reinvent/internal/testenv"
	sessionhistory "github.com/reinvent-cli/reinvent/internal/tools/history"
	"github.com/reinvent-cli/reinvent/pkg/catalog"
)

// historyEvent is the event the history stores are recorded under, given
// to the binary with --event.
const historyEvent = "reinvent2026"

// history is a store holding several versions of each session of a
// catalog, and that catalog's latest version as a JSON file written by
// catalog.WriteJSON, as `reinvent download --format json` writes it.
type history struct {
	db, catalog string
}

// newHistory records versions rounds of n sessions in a new store in dir,
// in process, one store.Record per round, and writes the last round as the
// catalog file.
func newHistory(tb testing.TB, dir string, n, versions int) history {
	tb.Helper()
	h := history{db: filepath.Join(dir, "reinvent.db"), catalog: filepath.Join(dir, "catalog.json")}
	sessions, err := sessionhistory.Build(h.db, historyEvent, n, versions)
	if err != nil {
		tb.Fatal(err)
	}
	var buf bytes.Buffer
	cat := &catalog.Catalog{Source: "bench", Event: historyEvent, FetchedAt: time.Now(), Sessions: sessions}
	if err := catalog.WriteJSON(&buf, cat, testenv.Vegas); err != nil {
		tb.Fatal(err)
	}
	if err := os.WriteFile(h.catalog, buf.Bytes(), 0o644); err != nil {
		tb.Fatal(err)
	}
	return h
}

// watchArgs are the arguments of a watch run against h.
func (h history) watchArgs() []string {
	return []string{"watch", "--db", h.db, "--source", h.catalog, "--event", historyEvent}
}

// fileSum returns the SHA-256 of the file at path.
func fileSum(tb testing.TB, path string) [32]byte {
	tb.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	return sha256.Sum256(data)
}

// checkNoChange runs watch once against h's unchanged catalog and fails
// unless it succeeded, printed nothing, and left the database file
// byte-for-byte unchanged with no write-ahead log beside it.
func checkNoChange(tb testing.TB, h history) {
	tb.Helper()
	before := fileSum(tb, h.db)
	home := tb.TempDir()
	cmd := exec.Command(binary, h.watchArgs()...)
	cmd.Env = testenv.HomeEnv(home)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Run(); err != nil {
		tb.Fatalf("watch: %v\n%s", err, errOut.String())
	}
	if out.Len() != 0 {
		tb.Fatalf("watch of an unchanged catalog printed:\n%.500s", out.String())
	}
	if !strings.Contains(errOut.String(), " 0 new, 0 updated, 0 removed, 0 reappeared") {
		tb.Fatalf("summary does not say nothing changed:\n%s", errOut.String())
	}
	if after := fileSum(tb, h.db); after != before {
		tb.Fatalf("watch of an unchanged catalog changed %s (sha256 %x, was %x)", h.db, after, before)
	}
	if fi, err := os.Stat(h.db + "-wal"); err == nil && fi.Size() > 0 {
		tb.Fatalf("watch of an unchanged catalog left %d bytes of write-ahead log", fi.Size())
	}
}

func TestWatchNoChangeLeavesStoreUnchanged(t *testing.T) {
	h := newHistory(t, t.TempDir(), 200, 3)
	checkNoChange(t, h)
	checkNoChange(t, h) // the lock file exists now
}

// keepHistory, when set, is where BenchmarkBinaryWatch5000x20NoChange
// builds its store and catalog file, left in place for timing the binary
// with other tools.
var keepHistory = flag.String("watch.keep", "", "build the store and catalog of BenchmarkBinaryWatch5000x20NoChange in this new directory and keep them")

// BenchmarkBinaryWatch5000x20NoChange is a cron run of `reinvent watch`
// that finds nothing new: the binary decodes a 5,000-session catalog file
// and diffs it against a store holding 20 versions of each session.
func BenchmarkBinaryWatch5000x20NoChange(b *testing.B) {
	dir := *keepHistory
	if dir == "" {
		dir = b.TempDir()
	} else if _, err := os.Stat(filepath.Join(dir, "reinvent.db")); err == nil {
		b.Fatalf("-watch.keep %s already holds a store; give an empty or new directory", dir)
	} else if err := os.MkdirAll(dir, 0o755); err != nil {
		b.Fatal(err)
	}
	h := newHistory(b, dir, 5000, 20)
	checkNoChange(b, h)
	floor := lowerRSSFloor(b)
	benchBinary(b, h.watchArgs()...)
	b.StopTimer()
	checkNoChange(b, h)
	b.ReportMetric(floor, "floor-MiB")
}

// lowerRSSFloor frees the memory that building the store took and resets
// this process's peak RSS to its current RSS, which it returns in MiB. On
// Linux a child's max RSS is never lower than its parent's peak (exec
// keeps the high-water mark of the address space it replaces, and os/exec
// starts children with vfork, golang/go#32054), so without this
// maxrss-MiB would report the peak of building the store.
func lowerRSSFloor(b *testing.B) float64 {
	b.Helper()
	debug.FreeOSMemory()
	if err := os.WriteFile("/proc/self/clear_refs", []byte("5"), 0); err != nil {
		b.Fatalf("reset peak RSS, without which maxrss-MiB is this process's: %v", err)
	}
	status, err := os.ReadFile("/proc/self/status")
	if err != nil {
		b.Fatal(err)
	}
	for line := range strings.Lines(string(status)) {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kib, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 64)
			if err != nil {
				b.Fatal(err)
			}
			return kib / 1024
		}
	}
	b.Fatal("no VmHWM in /proc/self/status")
	return 0
}
