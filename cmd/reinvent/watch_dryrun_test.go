package main

import (
	"bytes"
	"encoding/json"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/reinvent-cli/reinvent/internal/testenv"
	"github.com/reinvent-cli/reinvent/pkg/catalog"
)

// runCode runs watch --tweet with args, its environment passed through
// env when set, and returns its stdout, stderr and exit code.
func (w *watchWorld) runCode(env func([]string) []string, args ...string) (string, string, int) {
	w.t.Helper()
	cmd := w.command(args...)
	if env != nil {
		cmd.Env = env(cmd.Env)
	}
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	_ = cmd.Run()
	if cmd.ProcessState == nil {
		w.t.Fatalf("watch %v did not run: %s", args, errOut.String())
	}
	return out.String(), errOut.String(), cmd.ProcessState.ExitCode()
}

// filesIn returns the contents of each file in dir, by name.
func filesIn(t *testing.T, dir string) map[string]string {
	t.Helper()
	got := map[string]string{}
	entries, err := os.ReadDir(dir)
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		got[e.Name()] = string(b)
	}
	return got
}

// TestWatchDryRunThenRun: watch --tweet --dry-run on a store with a post
// left pending prints the changes and the exact posts a run would make,
// the pending one first, without X credentials, and leaves the store's
// files byte for byte as they were and X untouched; the run that follows
// posts exactly those posts, once, and the next posts nothing.
func TestWatchDryRunThenRun(t *testing.T) {
	w := newWatchWorld(t, 6)
	noX := func(env []string) []string {
		return slices.DeleteFunc(env, func(kv string) bool { return strings.HasPrefix(kv, "REINVENT_X_") })
	}
	// Before any store: nothing is created, not even the directory.
	if out, errOut, code := w.runCode(noX, "--dry-run"); code != 0 || out != "" || !strings.Contains(errOut, "Dry run: would record a baseline of 6 sessions") {
		t.Fatalf("dry run before any store: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	if _, err := os.Stat(filepath.Dir(w.db)); !os.IsNotExist(err) {
		t.Fatalf("a dry run created the store's directory: %v", err)
	}
	w.runClean() // the baseline

	// Two rooms change; --max-posts 1 posts one and leaves one pending.
	w.sessions[0].Room, w.sessions[1].Room = "Lido 3001", "Lido 3002"
	w.write()
	if _, errOut, code := w.runCode(nil, "--max-posts", "1"); code != 5 {
		t.Fatalf("run with --max-posts 1: exit %d, want 5: %s", code, errOut)
	}
	// A title changes and a session is added.
	w.sessions[2].Title = "Session two, renamed"
	start := time.Date(2026, 12, 2, 14, 0, 0, 0, testenv.Vegas)
	w.sessions = append(w.sessions, catalog.Session{Code: "NEW999", Title: "Added late", Start: start, End: start.Add(time.Hour), Venue: "Wynn", Room: "Cristal 7"})
	w.write()

	posts, requests := w.x.Count(), w.x.Requests()
	dir := filepath.Dir(w.db)
	before := filesIn(t, dir)
	text, errOut, code := w.runCode(noX, "--dry-run")
	if code != 0 {
		t.Fatalf("dry run: exit %d: %s", code, errOut)
	}
	for _, want := range []string{
		`updated ARC102: title "Session 2" → "Session two, renamed" [would post]` + "\n",
		"new NEW999: Added late (Wed 2 Dec 14:00, Wynn) [would post]\n",
		"would post 1 of 3, left pending by an earlier run:\n    UPDATED #reInvent ARC101 (v2): Session 1\n    room: Room 1 → Lido 3002\n",
		"would post 2 of 3:\n    UPDATED #reInvent ARC102 (v2): Session two, renamed\n    title: Session 2 → Session two, renamed\n",
		"would post 3 of 3:\n    NEW #reInvent NEW999: Added late\n    Wed 2 Dec 14:00–15:00, Wynn, Cristal 7\n",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("dry run output lacks %q:\n%s", want, text)
		}
	}
	if !strings.Contains(errOut, "Would post 3 to X and leave 0 pending; posted nothing") {
		t.Errorf("dry run summary: %q", errOut)
	}
	jsonOut, errOut, code := w.runCode(noX, "--dry-run", "--format", "json")
	if code != 0 {
		t.Fatalf("dry run --format json: exit %d: %s", code, errOut)
	}
	var planned []string
	for line := range strings.Lines(jsonOut) {
		var p struct {
			Post *string `json:"post"`
		}
		if err := json.Unmarshal([]byte(line), &p); err != nil {
			t.Fatalf("dry run JSON line %q: %v", line, err)
		}
		if p.Post != nil {
			planned = append(planned, *p.Post)
		}
	}
	if w.x.Count() != posts || w.x.Requests() != requests {
		t.Errorf("the dry runs sent %d requests to X", w.x.Requests()-requests)
	}
	if after := filesIn(t, dir); !maps.Equal(after, before) {
		t.Errorf("the dry runs changed the files of the store: %d files, were %d", len(after), len(before))
	}

	w.runClean()
	got := w.x.Posts()[posts:]
	var sent []string
	for _, p := range got {
		sent = append(sent, p.Text)
	}
	if !slices.Equal(sent, planned) || len(planned) != 3 {
		t.Errorf("the run after the dry run posted\n%q\nthe dry run planned\n%q", sent, planned)
	}
	if out := w.runClean(); out != "" || w.x.Count() != posts+3 {
		t.Errorf("a run after everything was posted printed %q and X has %d posts, want %d", out, w.x.Count(), posts+3)
	}
}
