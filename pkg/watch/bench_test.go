package watch

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/reinvent-cli/reinvent/internal/testenv"
	"github.com/reinvent-cli/reinvent/internal/tools/history"
	"github.com/reinvent-cli/reinvent/pkg/catalog"
	"github.com/reinvent-cli/reinvent/pkg/store"
)

// The size of the benchmarks' store (issue 6): 20 versions of each of
// 5,000 sessions.
const (
	benchSessions = 5000
	benchVersions = 20
	benchEvent    = "reinvent2026"
)

// fixture is a closed store holding benchVersions versions of each of
// benchSessions sessions, built once for every benchmark of the package
// because building it takes seconds.
var fixture struct {
	once   sync.Once
	dir    string
	path   string            // the store file
	latest []catalog.Session // the latest version of every session
	err    error
}

func TestMain(m *testing.M) {
	code := m.Run()
	if fixture.dir != "" {
		os.RemoveAll(fixture.dir)
	}
	os.Exit(code)
}

// benchStore returns the path of the fixture store and the latest version
// of each of its sessions, building them on first use.
func benchStore(b *testing.B) (string, []catalog.Session) {
	b.Helper()
	fixture.once.Do(func() {
		fixture.dir, fixture.err = os.MkdirTemp("", "reinvent-watch-bench")
		if fixture.err != nil {
			return
		}
		fixture.path = filepath.Join(fixture.dir, "reinvent.db")
		fixture.latest, fixture.err = history.Build(fixture.path, benchEvent, benchSessions, benchVersions)
	})
	if fixture.err != nil {
		b.Fatal(fixture.err)
	}
	return fixture.path, fixture.latest
}

// changedCatalog is latest with one session in 20 changed (room, time or
// title in turn), one in 100 gone and as many new ones, as a fetch
// during the event's planning finds.
func changedCatalog(latest []catalog.Session) (fetched []catalog.Session, changes int) {
	for i, s := range latest {
		switch {
		case i%100 == 1:
			changes++
			continue
		case i%20 == 0:
			switch {
			case (i/20)%3 == 1 && s.Scheduled():
				s.Start, s.End = s.Start.Add(time.Hour), s.End.Add(time.Hour)
			case (i/20)%3 == 2:
				s.Title = "Renamed: " + s.Title
			default:
				s.Room = "Moved " + s.Room
			}
			changes++
		}
		fetched = append(fetched, s)
	}
	for i := range len(latest) / 100 {
		fetched = append(fetched, history.Session(len(latest)+i, 0))
		changes++
	}
	return fetched, changes
}

// memMeter measures the memory of the timed part of a benchmark: bytes
// allocated, the largest heap in use right after an operation (its result
// still live), and the process's peak RSS while the loop ran.
type memMeter struct {
	alloc     uint64
	heapInuse uint64
	mark      runtime.MemStats
	rssReset  bool
}

// start collects the garbage of setup and, where Linux allows it, resets
// the process's peak RSS, so that what follows is the loop's.
func (m *memMeter) start() {
	debug.FreeOSMemory()
	m.rssReset = os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) == nil
}

// before is called just before the timer starts again.
func (m *memMeter) before() { runtime.ReadMemStats(&m.mark) }

// after is called just after the timer stopped, with the op's result
// still referenced.
func (m *memMeter) after() {
	var now runtime.MemStats
	runtime.ReadMemStats(&now)
	m.alloc += now.TotalAlloc - m.mark.TotalAlloc
	m.heapInuse = max(m.heapInuse, now.HeapInuse)
}

func (m *memMeter) report(b *testing.B) {
	const mib = 1 << 20
	b.ReportMetric(float64(m.alloc)/float64(b.N)/mib, "alloc-MiB/op")
	b.ReportMetric(float64(m.heapInuse)/mib, "heap-inuse-MiB")
	if rss, ok := peakRSS(); ok && m.rssReset {
		b.ReportMetric(float64(rss)/mib, "peak-rss-MiB")
	}
}

// peakRSS returns the process's peak resident set size (VmHWM).
func peakRSS() (uint64, bool) {
	status, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0, false
	}
	for line := range strings.Lines(string(status)) {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kib, err := strconv.ParseUint(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			return kib << 10, err == nil
		}
	}
	return 0, false
}

// diffStore reads the heads of st and diffs fetched against them, as watch
// does after its fetch.
func diffStore(b *testing.B, st *store.Store, fetched []catalog.Session) (*store.Heads, *Result) {
	heads, err := st.Heads(context.Background(), benchEvent)
	if err != nil {
		b.Fatal(err)
	}
	res, err := Diff(heads, fetched, testenv.Vegas)
	if err != nil {
		b.Fatal(err)
	}
	return heads, res
}

// benchDiff times Heads + Diff of fetched against the fixture store and
// checks that every iteration finds want changes.
func benchDiff(b *testing.B, fetched []catalog.Session, want int) {
	path, _ := benchStore(b)
	st, err := store.Open(context.Background(), path)
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	var m memMeter
	b.ReportAllocs()
	m.start()
	b.ResetTimer()
	for b.Loop() {
		m.before()
		_, res := diffStore(b, st, fetched)
		b.StopTimer()
		m.after()
		if len(res.Changes) != want {
			b.Fatalf("%d changes, want %d", len(res.Changes), want)
		}
		b.StartTimer()
	}
	b.StopTimer()
	m.report(b)
}

// BenchmarkDiff5000x20Unchanged diffs a fetch equal to the store's latest
// versions: the common case of a cron run.
func BenchmarkDiff5000x20Unchanged(b *testing.B) {
	_, latest := benchStore(b)
	benchDiff(b, latest, 0)
}

// BenchmarkDiff5000x20Changed diffs a fetch in which 5% of the sessions
// changed, 1% disappeared and 1% are new.
func BenchmarkDiff5000x20Changed(b *testing.B) {
	_, latest := benchStore(b)
	fetched, changes := changedCatalog(latest)
	benchDiff(b, fetched, changes)
}

// BenchmarkRun5000x20Changed is the store side of a whole watch --tweet
// run on the changed fetch: Heads, Diff, the posts' text and one
// store.Record. Each iteration records against a fresh copy of the fixture
// store, made while the timer is stopped.
func BenchmarkRun5000x20Changed(b *testing.B) {
	ctx := context.Background()
	path, latest := benchStore(b)
	fetched, changes := changedCatalog(latest)
	dir := b.TempDir()
	var m memMeter
	b.ReportAllocs()
	m.start()
	b.ResetTimer()
	i := 0
	for b.Loop() {
		b.StopTimer()
		i++
		st := copyStore(b, path, filepath.Join(dir, fmt.Sprintf("run%d.db", i)))
		m.before()
		b.StartTimer()

		heads, res := diffStore(b, st, fetched)
		run := store.Run{Event: benchEvent, Source: "bench", Sessions: res.Sessions, Removed: res.Removed}
		for k := range res.Changes {
			c := &res.Changes[k]
			sc := store.Change{Code: c.Code, Kind: c.Kind, Fields: c.Fields, Old: c.Old, New: c.New}
			if c.Newsworthy {
				sc.Post = Text(c, heads.Seq(c.Code)+1, testenv.Vegas)
			}
			run.Changes = append(run.Changes, sc)
		}
		if _, err := st.Record(ctx, run); err != nil {
			b.Fatal(err)
		}

		b.StopTimer()
		m.after()
		if len(res.Changes) != changes {
			b.Fatalf("%d changes, want %d", len(res.Changes), changes)
		}
		if err := st.Close(); err != nil {
			b.Fatal(err)
		}
		os.Remove(st.Path())
		b.StartTimer()
	}
	b.StopTimer()
	m.report(b)
}

// copyStore copies the closed store at from to to and opens the copy.
func copyStore(b *testing.B, from, to string) *store.Store {
	src, err := os.Open(from)
	if err != nil {
		b.Fatal(err)
	}
	defer src.Close()
	dst, err := os.OpenFile(to, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := io.Copy(dst, src); err != nil {
		b.Fatal(err)
	}
	if err := dst.Close(); err != nil {
		b.Fatal(err)
	}
	st, err := store.Open(context.Background(), to)
	if err != nil {
		b.Fatal(err)
	}
	return st
}
