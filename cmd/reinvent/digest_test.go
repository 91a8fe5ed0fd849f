package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os/exec"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/reinvent-cli/reinvent/internal/testenv"
	"github.com/reinvent-cli/reinvent/pkg/catalog"
	"github.com/reinvent-cli/reinvent/pkg/store"
	"github.com/reinvent-cli/reinvent/pkg/x"
)

// digestPost is the head of a digest post.
var digestPost = regexp.MustCompile(`^(NEW|UPDATED|REMOVED) #reInvent (\d+) sessions?: `)

// thirtyChanges makes 30 newsworthy changes in a world of 40 sessions: 20
// rooms, 5 times, 2 titles, a removal and 2 new sessions. It returns the
// codes that changed.
func (w *watchWorld) thirtyChanges() []string {
	var codes []string
	for i := range 27 {
		s := &w.sessions[i]
		switch {
		case i < 20:
			s.Room += " moved"
		case i < 25:
			s.Start, s.End = s.Start.Add(90*time.Minute), s.End.Add(90*time.Minute)
		default:
			s.Title += " renamed"
		}
		codes = append(codes, s.Code)
	}
	codes = append(codes, w.sessions[39].Code)
	w.sessions = w.sessions[:39]
	for i := range 2 {
		start := time.Date(2026, 12, 2, 14+i, 0, 0, 0, testenv.Vegas)
		w.sessions = append(w.sessions, catalog.Session{Code: fmt.Sprintf("NEW%03d", 100+i), Title: "Added " + strconv.Itoa(i),
			Start: start, End: start.Add(time.Hour), Venue: "Wynn", Room: "Cristal 7"})
		codes = append(codes, fmt.Sprintf("NEW%03d", 100+i))
	}
	w.write()
	return codes
}

// run runs watch --tweet with args and returns its stdout, stderr and
// exit code.
func (w *watchWorld) run(args ...string) (stdout, stderr string, code int) {
	w.t.Helper()
	cmd := w.command(args...)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	var ee *exec.ExitError
	if err != nil && !errors.As(err, &ee) {
		w.t.Fatal(err)
	}
	return out.String(), errOut.String(), cmd.ProcessState.ExitCode()
}

// digestCodes checks that every post on the fake X is a digest of at
// most 280 weighted characters whose head counts its items, that no text
// is there twice, and returns how often each code is among the items.
func digestCodes(t *testing.T, w *watchWorld) map[string]int {
	t.Helper()
	seen := map[string]int{}
	texts := map[string]bool{}
	for _, p := range w.x.Posts() {
		if texts[p.Text] {
			t.Errorf("posted twice: %q", p.Text)
		}
		texts[p.Text] = true
		m := digestPost.FindStringSubmatch(p.Text)
		if m == nil {
			t.Errorf("not a digest: %q", p.Text)
			continue
		}
		if n := x.WeightedLength(p.Text); n > x.MaxLength {
			t.Errorf("%d weighted characters: %q", n, p.Text)
		}
		items := strings.Split(p.Text[len(m[0]):], "; ")
		if n, _ := strconv.Atoi(m[2]); n != len(items) {
			t.Errorf("the head counts %d sessions, the post lists %d: %q", n, len(items), p.Text)
		}
		for _, it := range items {
			seen[strings.Fields(it)[0]]++
		}
	}
	return seen
}

// checkEveryChangeOnce fails unless each of codes is in exactly one post
// on X and no other code is, and the store has no post left pending.
func checkEveryChangeOnce(t *testing.T, w *watchWorld, codes []string) {
	t.Helper()
	seen := digestCodes(t, w)
	for _, code := range codes {
		if seen[code] != 1 {
			t.Errorf("%s is in %d posts, want 1", code, seen[code])
		}
		delete(seen, code)
	}
	if len(seen) > 0 {
		t.Errorf("posts name codes that did not change: %v", seen)
	}
	st, err := store.Open(context.Background(), w.db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	pending, posted, failed, err := st.Counts(context.Background(), "reinvent2026")
	if err != nil || pending != 0 || failed != 0 || posted != w.x.Count() {
		t.Errorf("outbox: %d pending, %d posted, %d failed (%v); X has %d posts", pending, posted, failed, err, w.x.Count())
	}
}

// TestWatchDigestsCarryEveryChange: 30 changes with --digest-over 5 are
// posted as a few digests that together hold each of them exactly once.
func TestWatchDigestsCarryEveryChange(t *testing.T) {
	w := newWatchWorld(t, 40)
	w.runClean("--digest-over", "5") // the baseline
	codes := w.thirtyChanges()
	out, errOut, code := w.run("--digest-over", "5")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	posts := w.x.Posts()
	if len(posts) < 3 || len(posts) > 10 {
		t.Errorf("%d posts for 30 changes, want a few digests", len(posts))
	}
	for _, p := range posts {
		t.Logf("%s", p.Text)
	}
	checkEveryChangeOnce(t, w, codes)
	if n := strings.Count(out, "[posted]"); n != 30 || strings.Contains(out, "[pending]") {
		t.Errorf("%d changes printed [posted], want 30:\n%s", n, out)
	}
	if want := fmt.Sprintf("Posted %d to X; 0 pending", len(posts)); !strings.Contains(errOut, want) {
		t.Errorf("stderr %q does not say %q", errOut, want)
	}
	texts := strings.Join(slices.Collect(func(yield func(string) bool) {
		for _, p := range posts {
			if !yield(p.Text) {
				return
			}
		}
	}), "\n")
	for _, want := range []string{
		"UPDATED #reInvent ", "ARC100 (v2) room → Room 0 moved", "ARC120 (v2) time → Mon 11:30", "ARC125 (v2) title → Session 25 renamed",
		"NEW #reInvent 2 sessions: NEW100 Added 0, Wed 14:00; NEW101 Added 1, Wed 15:00", "REMOVED #reInvent 1 session: ARC139 (v2)",
	} {
		if !strings.Contains(texts, want) {
			t.Errorf("no post says %q:\n%s", want, texts)
		}
	}
}

// TestWatchDigestKilledAfterAccept: a run killed with SIGKILL right after
// X accepted its first digest, before it could mark it posted, is followed
// by a run that posts the very same texts: X refuses the first one as a
// duplicate, the others go out, and every change is on X exactly once.
func TestWatchDigestKilledAfterAccept(t *testing.T) {
	w := newWatchWorld(t, 40)
	w.runClean("--digest-over", "5")
	codes := w.thirtyChanges()

	cmd := w.command("--digest-over", "5")
	var errOut bytes.Buffer
	cmd.Stderr = &errOut
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var once sync.Once
	kill := func() { once.Do(func() { _ = cmd.Process.Kill() }) }
	w.kill.Store(&kill)
	_ = cmd.Wait()
	w.kill.Store(nil)
	if cmd.ProcessState.ExitCode() != -1 || w.x.Count() != 1 {
		t.Fatalf("the first run: %v, %d posts; want it killed after one post\n%s", cmd.ProcessState, w.x.Count(), errOut.String())
	}
	first := w.x.Posts()[0].Text

	out, stderr, code := w.run("--digest-over", "5")
	if code != 0 || out != "" {
		t.Fatalf("the rerun: exit %d, stdout %q\n%s", code, out, stderr)
	}
	if w.x.Requests() != w.x.Count()+1 {
		t.Errorf("%d requests for %d posts: the rerun did not send the first digest again, as it was", w.x.Requests(), w.x.Count())
	}
	if w.x.Posts()[0].Text != first {
		t.Errorf("the first post changed")
	}
	if want := fmt.Sprintf("Posted %d to X; 0 pending", w.x.Count()); !strings.Contains(stderr, want) {
		t.Errorf("stderr %q does not say %q (the duplicate counts as posted)", stderr, want)
	}
	checkEveryChangeOnce(t, w, codes)
	if out := w.runClean("--digest-over", "5"); out != "" {
		t.Errorf("a run after everything was posted printed %q", out)
	}
}

// TestWatchDigestMaxPosts: --max-posts 1 makes one digest post and leaves
// the others pending (exit 5); the next run posts them, each change once.
func TestWatchDigestMaxPosts(t *testing.T) {
	w := newWatchWorld(t, 40)
	w.runClean("--digest-over", "5")
	codes := w.thirtyChanges()
	out, errOut, code := w.run("--digest-over", "5", "--max-posts", "1")
	if code != 5 || w.x.Count() != 1 {
		t.Fatalf("exit %d, %d posts; want exit 5 after 1 post\n%s", code, w.x.Count(), errOut)
	}
	m := digestPost.FindStringSubmatch(w.x.Posts()[0].Text)
	if m == nil {
		t.Fatalf("not a digest: %q", w.x.Posts()[0].Text)
	}
	carried, _ := strconv.Atoi(m[2])
	if n := strings.Count(out, "[posted]"); n != carried || strings.Count(out, "[pending]") != 30-carried {
		t.Errorf("%d [posted] and %d [pending], want %d and %d:\n%s", n, strings.Count(out, "[pending]"), carried, 30-carried, out)
	}
	pendingLine := regexp.MustCompile(`Posted 1 to X; (\d+) pending`).FindStringSubmatch(errOut)
	if pendingLine == nil || !strings.Contains(errOut, "--max-posts allows; "+pendingLine[1]+" posts left pending") {
		t.Fatalf("stderr does not say how many posts are pending:\n%s", errOut)
	}

	_, errOut, code = w.run("--digest-over", "5")
	if code != 0 || !strings.Contains(errOut, "Posted "+pendingLine[1]+" to X; 0 pending") {
		t.Errorf("the next run: exit %d\n%s", code, errOut)
	}
	checkEveryChangeOnce(t, w, codes)
}
