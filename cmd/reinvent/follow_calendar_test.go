package main

import (
	"bufio"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	fakeevents "github.com/reinvent-cli/reinvent/internal/fake/events"
	"github.com/reinvent-cli/reinvent/internal/testenv"
)

// nextWeek is 00:00 of a Monday one to two weeks from now, in Vegas: a
// calendar keeps a cancelled event only until its end has passed, so the
// calendar test's week must be ahead.
func nextWeek() time.Time {
	d := time.Now().In(testenv.Vegas).AddDate(0, 0, 7)
	for d.Weekday() != time.Monday {
		d = d.AddDate(0, 0, 1)
	}
	return time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, testenv.Vegas)
}

// icsEvent is an event as python3-icalendar reads it.
type icsEvent struct {
	UID      string `json:"uid"`
	Summary  string `json:"summary"`
	Sequence int    `json:"sequence"`
	Status   string `json:"status"`
	Start    string `json:"dtstart"`
}

// readICS is a calendar reader that is not reinvent's: Debian's
// python3-icalendar.
const readICS = `
import json, sys
from icalendar import Calendar
cal = Calendar.from_ical(open(sys.argv[1], 'rb').read())
out = {'name': str(cal.get('x-wr-calname')), 'events': []}
for ev in cal.walk('VEVENT'):
    out['events'].append({'uid': str(ev.get('uid')), 'summary': str(ev.get('summary')), 'sequence': int(ev.get('sequence', 0)),
                          'status': str(ev.get('status')), 'dtstart': ev.decoded('dtstart').isoformat()})
json.dump(out, sys.stdout)
`

// readCalendar reads an .ics file with python3-icalendar: its name, and
// its events by the code their summary starts with.
func readCalendar(t *testing.T, path string) (string, map[string][]icsEvent) {
	t.Helper()
	out, err := exec.Command(testenv.DebianPython, "-c", readICS, path).Output()
	if err != nil {
		var stderr []byte
		if ee, ok := err.(*exec.ExitError); ok {
			stderr = ee.Stderr
		}
		t.Fatalf("python3-icalendar cannot read %s: %v\n%s", path, err, stderr)
	}
	var cal struct {
		Name   string     `json:"name"`
		Events []icsEvent `json:"events"`
	}
	if err := json.Unmarshal(out, &cal); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	events := map[string][]icsEvent{}
	for _, e := range cal.Events {
		code, _, _ := strings.Cut(e.Summary, " ")
		events[code] = append(events[code], e)
	}
	return cal.Name, events
}

// follower is follow --every running in the background.
type follower struct {
	cmd  *exec.Cmd
	runs chan string // each run's summary line on stderr
	done chan struct{}
	mu   sync.Mutex
	logs []string // every other line on stderr
}

// startFollower starts follow with args and waits for its first run.
func (w *followWorld) startFollower(args ...string) *follower {
	w.t.Helper()
	f := &follower{cmd: w.cmd(args...), runs: make(chan string, 100), done: make(chan struct{})}
	stderr, err := f.cmd.StderrPipe()
	if err != nil {
		w.t.Fatal(err)
	}
	if err := f.cmd.Start(); err != nil {
		w.t.Fatal(err)
	}
	go func() {
		defer close(f.done)
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			line := sc.Text()
			if strings.Contains(line, ", following ") || strings.HasPrefix(line, "Following ") {
				f.runs <- line
				continue
			}
			f.mu.Lock()
			f.logs = append(f.logs, line)
			f.mu.Unlock()
		}
	}()
	w.t.Cleanup(func() { _ = f.cmd.Process.Kill(); <-f.done; _ = f.cmd.Wait() })
	f.waitRun(w.t)
	return f
}

// waitRun waits for the summary of the next run.
func (f *follower) waitRun(t *testing.T) string {
	t.Helper()
	select {
	case line := <-f.runs:
		return line
	case <-f.done:
		t.Fatalf("follow ended before a run finished: %v\n%s", f.cmd.Wait(), f.logged())
	case <-time.After(30 * time.Second):
		t.Fatalf("follow --every finished no run in 30 seconds\n%s", f.logged())
	}
	return ""
}

func (f *follower) logged() string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return strings.Join(f.logs, "\n")
}

// stop sends SIGTERM and returns the exit code and what was logged.
func (f *follower) stop(t *testing.T) (int, string) {
	t.Helper()
	if err := f.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case <-f.done:
	case <-time.After(30 * time.Second):
		_ = f.cmd.Process.Kill()
		t.Fatalf("follow --every still runs 30 seconds after SIGTERM\n%s", f.logged())
	}
	_ = f.cmd.Wait()
	return f.cmd.ProcessState.ExitCode(), f.logged()
}

// clientCopy reads the events of vdirsyncer's copy with python3-icalendar,
// by code. (vdirsyncer names each item by a hash of its text, so a revised
// event replaces the old item.)
func clientCopy(t *testing.T, dir string) map[string][]icsEvent {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "copy", "*.ics"))
	if err != nil {
		t.Fatal(err)
	}
	events := map[string][]icsEvent{}
	for _, f := range files {
		_, es := readCalendar(t, f)
		for code, e := range es {
			events[code] = append(events[code], e...)
		}
	}
	return events
}

// freeAddr is a loopback address nothing listens on.
func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// TestFollowCalendar: --ics writes a calendar python3-icalendar reads
// (CONFIRMED for a held seat, TENTATIVE for a planned one); follow --every
// --serve-calendar serves it at the URL --calendar-url prints, with 404 for
// a wrong token and 304 for a known ETag; vdirsyncer syncs it, and after a
// session moves and another leaves the plan, a SIGTERM (exit 0) and a new
// start, the client's copy has the move and the cancellation.
func TestFollowCalendar(t *testing.T) {
	if err := testenv.Ensure("follow's calendar client test", []string{"vdirsyncer"}, "vdirsyncer"); err != nil {
		t.Fatal(err)
	}
	if err := testenv.EnsurePython("follow's calendar reader test", []string{"icalendar"}, "python3-icalendar"); err != nil {
		t.Fatal(err)
	}
	w := newFollowWorld(t, nextWeek())
	w.notify = ""
	ics := filepath.Join(t.TempDir(), "reinvent.ics")

	if _, errOut, code := w.run("--ics", ics); code != 0 {
		t.Fatalf("follow --ics: exit %d\n%s", code, errOut)
	}
	name, first := readCalendar(t, ics)
	if name == "" || name == "None" {
		t.Errorf("the calendar has no X-WR-CALNAME")
	}
	for code, status := range map[string]string{"HLD101": "CONFIRMED", "HLD404": "CONFIRMED", "MOV101": "TENTATIVE", "REN101": "TENTATIVE"} {
		if es := first[code]; len(es) != 1 || es[0].Status != status || es[0].UID == "" || es[0].Sequence != 0 {
			t.Errorf("%s in the calendar file: %+v; want one event, %s, with a UID, SEQUENCE 0", code, es, status)
		}
	}
	if _, ok := first["FIT101"]; ok {
		t.Errorf("FIT101 does not fit the plan but is in the calendar")
	}

	addr := freeAddr(t)
	out, errOut, code := w.run("--calendar-url", "--serve-calendar", addr)
	calURL := strings.TrimSpace(out)
	if code != 0 || !strings.HasPrefix(calURL, "http://"+addr+"/calendar/") || !strings.HasSuffix(calURL, ".ics") {
		t.Fatalf("--calendar-url: exit %d, %q\n%s", code, out, errOut)
	}

	f := w.startFollower("--every", "1m", "--serve-calendar", addr, "--ics", ics)
	dir := t.TempDir()
	testenv.VdirsyncerClient(t, dir, calURL)
	testenv.Vdirsyncer(t, dir, "sync")
	copy1 := clientCopy(t, dir)
	for code, status := range map[string]string{"HLD101": "CONFIRMED", "MOV101": "TENTATIVE", "REN101": "TENTATIVE"} {
		if es := copy1[code]; len(es) != 1 || es[0].Status != status {
			t.Errorf("%s in the client's copy: %+v; want one event, %s", code, es, status)
		}
	}

	// The server: 304 for the ETag it gave, 404 for a wrong token.
	resp, err := http.Get(calURL)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	etag := resp.Header.Get("ETag")
	if resp.StatusCode != 200 || etag == "" || resp.Header.Get("Content-Type") != "text/calendar; charset=utf-8" {
		t.Errorf("GET the calendar: %s, ETag %q, Content-Type %q", resp.Status, etag, resp.Header.Get("Content-Type"))
	}
	req, _ := http.NewRequest(http.MethodGet, calURL, nil)
	req.Header.Set("If-None-Match", etag)
	if resp, err = http.DefaultClient.Do(req); err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotModified {
		t.Errorf("GET with If-None-Match of its ETag: %s, want 304", resp.Status)
	}
	token := strings.TrimSuffix(calURL[strings.LastIndex(calURL, "/")+1:], ".ics")
	wrong := strings.Replace(calURL, token, strings.Repeat("0", len(token)), 1)
	for _, u := range []string{wrong, "http://" + addr + "/", "http://" + addr + "/calendar/.ics"} {
		resp, err := http.Get(u)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s: %s, want 404", u, resp.Status)
		}
	}

	// MOV101 moves; REN101 is no longer a favorite, so leaves the plan.
	w.change("f1", func(s *fakeevents.Session) { s.SessionTime.Time = "09:30" })
	w.events.Lock()
	w.events.Favorites = slices.DeleteFunc(w.events.Favorites, func(id string) bool { return id == "f3" })
	w.events.Unlock()
	code, logs := f.stop(t)
	if code != 0 {
		t.Fatalf("follow --every after SIGTERM: exit %d\n%s", code, logs)
	}
	if n := strings.Count(logs, calURL); n != 1 {
		t.Errorf("the calendar's URL is logged %d times, want once:\n%s", n, logs)
	}

	f = w.startFollower("--every", "1m", "--serve-calendar", addr, "--ics", ics)
	testenv.Vdirsyncer(t, dir, "sync")
	copy2 := clientCopy(t, dir)
	moved := w.monday.AddDate(0, 0, 2).Add(9*time.Hour + 30*time.Minute)
	if es := copy2["MOV101"]; len(es) != 1 || !sameInstant(es[0].Start, moved) || es[0].Status != "TENTATIVE" {
		t.Errorf("MOV101 moved to %s; the client has %+v", moved, es)
	}
	if es := copy2["REN101"]; len(es) != 1 || es[0].Status != "CANCELLED" {
		t.Errorf("REN101 left the plan; the client has %+v, want one CANCELLED event", es)
	}
	if es := copy2["HLD101"]; len(es) != 1 || es[0].Status != "CONFIRMED" {
		t.Errorf("HLD101 did not change; the client has %+v", es)
	}

	// The file: the same UIDs, each revision a higher SEQUENCE.
	_, last := readCalendar(t, ics)
	if es := last["MOV101"]; len(es) != 1 || es[0].UID != first["MOV101"][0].UID || es[0].Sequence <= 0 || !sameInstant(es[0].Start, moved) {
		t.Errorf("MOV101 in the file: %+v; want UID %s, a higher SEQUENCE, the new start", es, first["MOV101"][0].UID)
	}
	if es := last["REN101"]; len(es) != 1 || es[0].UID != first["REN101"][0].UID || es[0].Sequence <= 0 || es[0].Status != "CANCELLED" {
		t.Errorf("REN101 in the file: %+v; want UID %s, CANCELLED, a higher SEQUENCE", es, first["REN101"][0].UID)
	}
	if code, logs := f.stop(t); code != 0 {
		t.Errorf("second follow --every after SIGTERM: exit %d\n%s", code, logs)
	}
}

// sameInstant reports whether an ISO 8601 time with an offset is t.
func sameInstant(iso string, t time.Time) bool {
	got, err := time.Parse(time.RFC3339, iso)
	return err == nil && got.Equal(t)
}
