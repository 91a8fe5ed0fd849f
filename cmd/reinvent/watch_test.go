package main

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	fakex "github.com/reinvent-cli/reinvent/internal/fake/x"
	"github.com/reinvent-cli/reinvent/internal/testenv"
	"github.com/reinvent-cli/reinvent/pkg/catalog"
	"github.com/reinvent-cli/reinvent/pkg/store"
	"github.com/reinvent-cli/reinvent/pkg/x"
)

var xCred = x.Credentials{ConsumerKey: "ck-e2e", ConsumerSecret: "cs-e2e", AccessToken: "at-e2e", AccessTokenSecret: "ats-e2e"}

// watchWorld is a store, a catalog file and a fake X shared by runs of
// the binary.
type watchWorld struct {
	t        *testing.T
	dir      string
	db       string
	catalog  string
	x        *fakex.Server
	sessions []catalog.Session
	// kill, when set, is called by the fake X after it stored a post and
	// before it answers.
	kill atomic.Pointer[func()]
}

func newWatchWorld(t *testing.T, n int) *watchWorld {
	w := &watchWorld{t: t, dir: t.TempDir()}
	w.db = filepath.Join(w.dir, "data", "reinvent.db")
	w.catalog = filepath.Join(w.dir, "catalog.json")
	w.x = fakex.New(xCred)
	w.x.OnAccept = func(fakex.Post) {
		if k := w.kill.Load(); k != nil {
			(*k)()
		}
	}
	t.Cleanup(w.x.Close)
	venues := []string{"Venetian", "Wynn", "MGM Grand", "Mandalay Bay", "Caesars Forum"}
	for i := range n {
		start := time.Date(2026, 11, 30+i%5, 8+i%9, 0, 0, 0, testenv.Vegas)
		w.sessions = append(w.sessions, catalog.Session{
			Code: fmt.Sprintf("ARC%03d", 100+i), Title: fmt.Sprintf("Session %d", i),
			Start: start, End: start.Add(time.Hour), Venue: venues[i%len(venues)], Room: "Room " + strconv.Itoa(i),
		})
	}
	w.write()
	return w
}

func (w *watchWorld) write() {
	w.t.Helper()
	var buf bytes.Buffer
	cat := &catalog.Catalog{Source: "e2e", Event: "reinvent2026", FetchedAt: time.Now(), Sessions: w.sessions}
	if err := catalog.WriteJSON(&buf, cat, testenv.Vegas); err != nil {
		w.t.Fatal(err)
	}
	tmp := w.catalog + ".tmp"
	if err := os.WriteFile(tmp, buf.Bytes(), 0o644); err != nil {
		w.t.Fatal(err)
	}
	if err := os.Rename(tmp, w.catalog); err != nil {
		w.t.Fatal(err)
	}
}

// command is watch --tweet on the world's store, catalog and fake X.
func (w *watchWorld) command(args ...string) *exec.Cmd {
	cmd := exec.Command(binary, append([]string{"watch", "--tweet"}, args...)...)
	cmd.Env = append(testenv.HomeEnv(w.dir),
		"REINVENT_DB="+w.db, "REINVENT_SOURCE="+w.catalog, "REINVENT_X_API_URL="+w.x.URL(),
		"REINVENT_X_CONSUMER_KEY="+xCred.ConsumerKey, "REINVENT_X_CONSUMER_SECRET="+xCred.ConsumerSecret,
		"REINVENT_X_ACCESS_TOKEN="+xCred.AccessToken, "REINVENT_X_ACCESS_TOKEN_SECRET="+xCred.AccessTokenSecret)
	return cmd
}

func (w *watchWorld) runClean(args ...string) string {
	w.t.Helper()
	cmd := w.command(args...)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Run(); err != nil {
		w.t.Fatalf("watch: %v\n%s", err, errOut.String())
	}
	return out.String()
}

// mutate makes a few newsworthy changes: times, rooms, titles, a removal
// and an addition, never more than the mass-removal guard allows.
func (w *watchWorld) mutate(rng *rand.Rand, round int) {
	for range 3 {
		s := &w.sessions[rng.IntN(len(w.sessions))]
		switch rng.IntN(3) {
		case 0:
			d := time.Duration(rng.IntN(3)+1) * 30 * time.Minute
			s.Start, s.End = s.Start.Add(d), s.End.Add(d)
		case 1:
			s.Room = fmt.Sprintf("Room %d-%d", round, rng.IntN(100))
		case 2:
			s.Title = fmt.Sprintf("Session renamed in round %d 🚀", round)
		}
	}
	if round%4 == 1 {
		w.sessions = slices.Delete(w.sessions, 0, 1)
	}
	if round%3 == 2 {
		start := time.Date(2026, 12, 1, 14, 0, 0, 0, testenv.Vegas)
		w.sessions = append(w.sessions, catalog.Session{Code: fmt.Sprintf("NEW%03d", 100+round), Title: "Added in round " + strconv.Itoa(round),
			Start: start, End: start.Add(time.Hour), Venue: "Wynn", Room: "Cristal 7"})
	}
	w.write()
}

var postHead = regexp.MustCompile(`^(NEW|UPDATED|REMOVED) #reInvent (\S+?)(?: \(v(\d+)\))?:`)

// TestWatchCrashLoop kills watch --tweet with SIGKILL at random moments,
// and in some rounds exactly between X's acceptance of a post and the
// client's bookkeeping, while the catalog keeps changing. After a final
// clean run every change is on X exactly once.
func TestWatchCrashLoop(t *testing.T) {
	w := newWatchWorld(t, 40)
	seed := uint64(time.Now().UnixNano())
	t.Logf("seed %d", seed)
	rng := rand.New(rand.NewPCG(seed, 1))
	w.runClean() // the baseline

	const rounds = 30
	for round := range rounds {
		w.mutate(rng, round)
		cmd := w.command()
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		var once sync.Once
		kill := func() { once.Do(func() { _ = cmd.Process.Kill() }) }
		var timer *time.Timer
		if round%3 == 0 {
			// Die inside the window: X has the post, the store does not know.
			var accepted atomic.Int32
			target := int32(rng.IntN(3))
			k := func() {
				if accepted.Add(1) > target {
					kill()
				}
			}
			w.kill.Store(&k)
		} else {
			timer = time.AfterFunc(time.Duration(rng.IntN(40_000))*time.Microsecond, kill)
		}
		_ = cmd.Wait()
		w.kill.Store(nil)
		if timer != nil {
			timer.Stop()
		}
	}
	w.runClean() // posts whatever the killed runs left pending
	if out := w.runClean(); out != "" {
		t.Errorf("a run after everything was posted printed %q", out)
	}

	// No change twice: each (code, version) is on X once.
	posts := w.x.Posts()
	seen := map[string]bool{}
	last := map[string]string{}
	lastV := map[string]int{}
	for _, p := range posts {
		m := postHead.FindStringSubmatch(p.Text)
		if m == nil {
			t.Fatalf("a post that watch would not word: %q", p.Text)
		}
		key := m[2] + " v" + m[3]
		if seen[key] {
			t.Errorf("%s was posted twice", key)
		}
		seen[key] = true
		v, _ := strconv.Atoi(m[3])
		if v >= lastV[m[2]] {
			lastV[m[2]], last[m[2]] = v, p.Text
		}
	}
	if w.x.Requests() <= len(posts) {
		t.Errorf("%d requests for %d posts: no run was ever killed inside the window", w.x.Requests(), len(posts))
	}

	// No change lost: the store's every newsworthy change is on X, and the
	// last post of every code tells its final state.
	st, err := store.Open(context.Background(), w.db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	pending, posted, failed, err := st.Counts(context.Background(), "reinvent2026")
	if err != nil {
		t.Fatal(err)
	}
	if pending != 0 || failed != 0 || posted != len(posts) {
		t.Errorf("outbox: %d pending, %d failed, %d posted; X has %d posts", pending, failed, posted, len(posts))
	}
	final := map[string]catalog.Session{}
	for _, s := range w.sessions {
		final[s.Code] = s
	}
	for code, text := range last {
		s, ok := final[code]
		switch {
		case !ok && !strings.HasPrefix(text, "REMOVED"):
			t.Errorf("%s is gone, but its last post is %q", code, text)
		case ok && strings.HasPrefix(text, "REMOVED"):
			t.Errorf("%s is in the catalog, but its last post is %q", code, text)
		case ok && !strings.Contains(text, s.Title) && !strings.Contains(text, s.Room):
			t.Errorf("%s's last post %q tells neither its title %q nor its room %q", code, text, s.Title, s.Room)
		}
	}
	t.Logf("%d rounds, %d posts, %d requests to X", rounds, len(posts), w.x.Requests())
}

// TestWatchRunsDoNotOverlap holds one watch inside its fetch (reading a
// FIFO) and starts a second on the same store: the second exits 1 at once
// and the first finishes normally.
func TestWatchRunsDoNotOverlap(t *testing.T) {
	w := newWatchWorld(t, 5)
	w.runClean()
	body, err := os.ReadFile(w.catalog)
	if err != nil {
		t.Fatal(err)
	}
	fifo := filepath.Join(w.dir, "catalog-fifo.json")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	first := w.command("--source", fifo)
	var firstErr bytes.Buffer
	first.Stderr = &firstErr
	if err := first.Start(); err != nil {
		t.Fatal(err)
	}
	// Opening the FIFO for writing returns once the first run opened it
	// for reading, which it does only after it took the lock.
	pipe, err := os.OpenFile(fifo, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}

	second := w.command()
	var errOut bytes.Buffer
	second.Stderr = &errOut
	err = second.Run()
	if code := second.ProcessState.ExitCode(); code != 1 || !strings.Contains(errOut.String(), "another reinvent watch is running") {
		t.Errorf("second run: exit %d (%v), stderr %q; want exit 1 saying another watch runs", code, err, errOut.String())
	}

	if _, err := pipe.Write(body); err != nil {
		t.Fatal(err)
	}
	pipe.Close()
	if err := first.Wait(); err != nil {
		t.Errorf("first run: %v\n%s", err, firstErr.String())
	}
}

// TestWatchReadOnlyStore: a store its user may not write is refused with
// one line, exit 1, and nothing left beside it. Run as an unprivileged
// user, since root may write any file.
func TestWatchReadOnlyStore(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "reinvent.db")
	if _, errOut, code := run(t, "watch", "--source", "sample", "--db", db, "--log-level", "warn"); code != 0 {
		t.Fatalf("baseline: exit %d: %s", code, errOut)
	}
	for _, p := range []string{filepath.Dir(binary), dir, filepath.Dir(dir)} {
		if err := os.Chmod(p, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Chmod(db, 0o444); err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadDir(dir)
	cmd := command(t, "watch", "--source", "sample", "--db", db)
	cmd.Dir = dir
	for _, kv := range cmd.Env {
		if home, ok := strings.CutPrefix(kv, "HOME="); ok {
			if err := os.Chmod(home, 0o755); err != nil {
				t.Fatal(err)
			}
		}
	}
	if os.Geteuid() == 0 {
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
	}
	var errOut bytes.Buffer
	cmd.Stderr = &errOut
	err := cmd.Run()
	if cmd.ProcessState == nil || cmd.ProcessState.ExitCode() != 1 || !strings.Contains(errOut.String(), "read-only") ||
		strings.Count(strings.TrimSpace(errOut.String()), "\n") != 0 {
		t.Errorf("watch of a read-only store: %v, stderr %q; want exit 1 and one line saying it is read-only", err, errOut.String())
	}
	after, _ := os.ReadDir(dir)
	if len(after) != len(before) {
		var names []string
		for _, e := range after {
			names = append(names, e.Name())
		}
		t.Errorf("files beside the store: %v (were %d)", names, len(before))
	}
}
