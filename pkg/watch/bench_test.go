package watch

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

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
		fixture.latest, fixture.err = buildStore(fixture.path, benchSessions, benchVersions)
	})
	if fixture.err != nil {
		b.Fatal(fixture.err)
	}
	return fixture.path, fixture.latest
}

// buildStore records versions rounds of n sessions at path, one
// store.Record per round, and returns the last round's sessions.
func buildStore(path string, n, versions int) ([]catalog.Session, error) {
	ctx := context.Background()
	st, err := store.Open(ctx, path)
	if err != nil {
		return nil, err
	}
	defer st.Close()
	var round []catalog.Session
	for r := range versions {
		round = make([]catalog.Session, n)
		for i := range round {
			round[i] = benchSession(i, r)
		}
		if _, err := st.Record(ctx, store.Run{Event: benchEvent, Source: "bench", Sessions: round}); err != nil {
			return nil, fmt.Errorf("record round %d: %w", r, err)
		}
	}
	return round, st.Close()
}

var (
	benchPrefixes = strings.Fields("AIM ANT ARC BIZ CMP CNS COP DAT DEV DOP END GBL HYB IOT NET OPN SEC STG SVS SUP")
	benchTypes    = []string{"Breakout session", "Chalk talk", "Workshop", "Builders' session", "Lightning talk"}
	benchTracks   = []string{"Artificial Intelligence", "Compute", "Databases", "Developer Tools", "Networking", "Security", "Serverless", "Storage"}
	benchVenues   = map[string][]string{
		"Venetian": {"Titian 2201", "Palazzo Ballroom B", "Murano 3301"}, "Wynn": {"Lafite 1", "Latour 4"},
		"MGM Grand": {"Room 116", "Premier 307"}, "Mandalay Bay": {"South Seas F", "Oceanside C"}, "Caesars Forum": {"Alliance 310"},
	}
	benchVenueNames = []string{"Venetian", "Wynn", "MGM Grand", "Mandalay Bay", "Caesars Forum"}
	benchWords      = strings.Fields(`learn how customers build resilient applications with managed services
		that scale automatically while keeping costs low in this session we dive deep into architecture
		patterns observability security controls data pipelines generative models and the operational
		practices that let teams ship faster with confidence across regions and accounts`)
)

// benchSession is version round of session i: the same code, title,
// abstract and speakers in every round, with the room, the time or the
// title's wording moved in each round, as a catalog that is still being
// planned changes.
func benchSession(i, round int) catalog.Session {
	rng := rand.New(rand.NewPCG(uint64(i), 7))
	code := benchPrefixes[i%len(benchPrefixes)] + strconv.Itoa(100+i/len(benchPrefixes))
	if i%4 == 1 {
		code += "-R" + strconv.Itoa(1+i%3)
	}
	var abstract strings.Builder
	for abstract.Len() < 480+rng.IntN(60) {
		if abstract.Len() > 0 {
			abstract.WriteByte(' ')
		}
		abstract.WriteString(benchWords[rng.IntN(len(benchWords))])
	}
	speakers := make([]string, 1+rng.IntN(3))
	for k := range speakers {
		speakers[k] = fmt.Sprintf("Speaker %d, Principal Engineer, Company %d", rng.IntN(3000), rng.IntN(500))
	}
	venue := benchVenueNames[rng.IntN(len(benchVenueNames))]
	rooms := benchVenues[venue]
	s := catalog.Session{
		Code:      code,
		SessionID: fmt.Sprintf("%016x", rng.Uint64()),
		Title:     fmt.Sprintf("Building %s at scale with %s", benchWords[rng.IntN(len(benchWords))], benchTracks[i%len(benchTracks)]),
		Abstract:  abstract.String(),
		Type:      benchTypes[rng.IntN(len(benchTypes))],
		Level:     100 * (1 + rng.IntN(4)),
		Tracks:    []string{benchTracks[i%len(benchTracks)], benchTracks[rng.IntN(len(benchTracks))]},
		Topics:    []string{"Architecture", "Best practices"},
		Services:  []string{"Amazon EC2", "AWS Lambda", "Amazon S3"}[:1+rng.IntN(3)],
		Roles:     []string{"Developer", "Solutions Architect"},
		Speakers:  speakers,
		Venue:     venue,
		Room:      fmt.Sprintf("%s (%d)", rooms[(i+round)%len(rooms)], round),
		Status:    "Active",
	}
	if i%50 != 0 { // one in 50 has no time yet
		s.Start = time.Date(2026, 11, 30+rng.IntN(5), 8+rng.IntN(10), 30*rng.IntN(2), 0, 0, vegas).
			Add(time.Duration(round%3) * 30 * time.Minute)
		s.End = s.Start.Add(time.Duration(1+rng.IntN(2)) * time.Hour)
	}
	if round%5 == 4 {
		s.Title += " (updated)"
	}
	s.Normalize(vegas)
	return s
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
		fetched = append(fetched, benchSession(len(latest)+i, 0))
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
	res, err := Diff(heads, fetched, vegas)
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
				sc.Post = Text(c, heads.Seq(c.Code)+1, vegas)
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
