package main

import (
	"bufio"
	"encoding/json"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	fakeevents "github.com/reinvent-cli/reinvent/internal/fake/events"
	fakentfy "github.com/reinvent-cli/reinvent/internal/fake/ntfy"
	"github.com/reinvent-cli/reinvent/internal/testenv"
)

// ntfyTopic is the topic of the notify URL: a secret that must never be
// shown.
const ntfyTopic = "reinvent_e2e_k3v9x2"

// followWorld is a signed-in attendee on the AWS Events API fake, with
// held seats, favorites and personal time, and an ntfy fake the notices
// go to; runs of follow share its store.
type followWorld struct {
	t      *testing.T
	monday time.Time // 00:00 of the Monday of the fake's week, in Vegas
	events *fakeevents.Server
	ntfy   *fakentfy.Server
	db     string
	args   []string // --events-api-url and --db
	// notify is the value of REINVENT_NOTIFY.
	notify string
	// sessions are the fake's catalog, by session id, in the order served.
	sessions []fakeevents.Session
}

// notice is one NDJSON object of follow --format json.
type notice struct {
	ID      string   `json:"id"`
	Kind    string   `json:"kind"`
	Code    string   `json:"code"`
	Session string   `json:"session"`
	Title   string   `json:"title"`
	Old     string   `json:"old"`
	New     string   `json:"new"`
	Sent    []string `json:"sent"`
}

// newFollowWorld is the world of a week that starts on monday (a Monday
// in Vegas):
//
//	held seats  HLD101 Mon 10:00, HLD202 Mon 13:00, HLD303 Tue 14:00, HLD404 Fri 10:00
//	personal    Tue 12:00–13:00 "Lunch with the team"
//	favorites   MOV101 Wed 9:00, ROO101 Wed 11:00, REN101 Wed 13:00, CAN101 Wed 15:00,
//	            REP101 Thu 9:00, SEA101 Thu 11:00 (no seats), FIT101 Fri 10:00 (under HLD404)
//	not followed OTH101 Mon 15:00
func newFollowWorld(t *testing.T, monday time.Time) *followWorld {
	t.Helper()
	w := &followWorld{t: t, monday: monday}
	w.sessions = []fakeevents.Session{
		w.session("h1", "HLD101", "Held first", 0, "10:00"),
		w.session("h2", "HLD202", "Held second", 0, "13:00"),
		w.session("h3", "HLD303", "Held third", 1, "14:00"),
		w.session("h4", "HLD404", "Held fourth", 4, "10:00"),
		w.session("f1", "MOV101", "Moving target", 2, "09:00"),
		w.session("f2", "ROO101", "Room to change", 2, "11:00"),
		w.session("f3", "REN101", "Old name", 2, "13:00"),
		w.session("f4", "CAN101", "Soon cancelled", 2, "15:00"),
		w.session("f5", "REP101", "Popular one", 3, "09:00"),
		w.session("f6", "SEA101", "Seats to come", 3, "11:00"),
		w.session("f7", "FIT101", "Does not fit yet", 4, "10:00"),
		w.session("o1", "OTH101", "Not followed", 0, "15:00"),
	}
	w.sessions[9].SeatAvailability = "unavailable"
	w.events = fakeevents.New("reinvent2026", nil)
	t.Cleanup(w.events.Close)
	lunch := monday.AddDate(0, 0, 1).Add(12 * time.Hour)
	w.events.Lock()
	w.events.Event.TimeZone = "America/Los_Angeles"
	w.events.PageSizes = []int{5}
	w.events.Reserved = []string{"h1", "h2", "h3", "h4"}
	w.events.Favorites = []string{"f1", "f2", "f3", "f4", "f5", "f6", "f7"}
	w.events.PersonalTime = []fakeevents.PersonalTime{{PersonalTimeID: "p1", Title: "Lunch with the team", Description: "Lunch",
		StartDateTime: utc(lunch), EndDateTime: utc(lunch.Add(time.Hour))}}
	w.events.Unlock()
	w.serve()
	w.ntfy = fakentfy.New()
	t.Cleanup(w.ntfy.Close)
	w.notify = "ntfy://" + w.ntfy.Host() + "/" + ntfyTopic + "?scheme=http"
	w.args = signedIn(t, w.events)
	w.db = w.args[len(w.args)-1]
	return w
}

// reInvent2026 is the Monday of re:Invent 2026.
var reInvent2026 = time.Date(2026, 11, 30, 0, 0, 0, 0, testenv.Vegas)

// utc is a time as the schedule's personal time is written: UTC with no
// offset.
func utc(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05") }

// session is a reservable hour-long session at the Venetian on day d
// (0 is Monday) at clock.
func (w *followWorld) session(id, code, title string, d int, clock string) fakeevents.Session {
	s := sessionAt(id, code, title, "Venetian", "Level 2 | Hall "+code, w.monday.AddDate(0, 0, d).Format("2006-01-02"), clock, "60")
	s.IsReservable, s.SeatAvailability = new(true), "available"
	return s
}

// serve hands the fake the world's sessions.
func (w *followWorld) serve() {
	items := make([]any, len(w.sessions))
	for i, s := range w.sessions {
		items[i] = s
	}
	w.events.Lock()
	w.events.Sessions = items
	w.events.Unlock()
}

// change edits the session of id (the catalog is served again after
// every change).
func (w *followWorld) change(id string, edit func(*fakeevents.Session)) {
	w.t.Helper()
	i := slices.IndexFunc(w.sessions, func(s fakeevents.Session) bool { return s.SessionID == id })
	if i < 0 {
		w.t.Fatalf("no session %s", id)
	}
	edit(&w.sessions[i])
	w.serve()
}

// remove takes the session of id out of the catalog.
func (w *followWorld) remove(id string) {
	w.sessions = slices.DeleteFunc(w.sessions, func(s fakeevents.Session) bool { return s.SessionID == id })
	w.serve()
}

// add puts a session into the catalog.
func (w *followWorld) add(s fakeevents.Session) {
	w.sessions = append(w.sessions, s)
	w.serve()
}

// cmd is follow with args on the world's store, signed in, with the
// notify URL in the environment.
func (w *followWorld) cmd(args ...string) *exec.Cmd {
	cmd := command(w.t, append(append([]string{"follow"}, args...), w.args...)...)
	cmd.Env = append(cmd.Env, "REINVENT_NOTIFY="+w.notify)
	return cmd
}

// run runs follow to its end.
func (w *followWorld) run(args ...string) (stdout, stderr string, code int) {
	w.t.Helper()
	return runCmd(w.t, w.cmd(args...))
}

// notices reads follow --format json's NDJSON.
func notices(t *testing.T, out string) []notice {
	t.Helper()
	var ns []notice
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		var n notice
		if err := json.Unmarshal(sc.Bytes(), &n); err != nil {
			t.Fatalf("a line of follow --format json that is not a JSON object: %q: %v", sc.Text(), err)
		}
		ns = append(ns, n)
	}
	return ns
}

// noTopic fails when text shows the ntfy topic, the notify URL's secret.
func noTopic(t *testing.T, what, text string) {
	t.Helper()
	if strings.Contains(text, ntfyTopic) {
		t.Errorf("%s shows the ntfy topic, a secret: %q", what, text)
	}
}

// ntfyCount is how many messages the ntfy fake holds per sequence id.
func (w *followWorld) ntfyCount() map[string]int {
	n := map[string]int{}
	for _, m := range w.ntfy.Messages(ntfyTopic) {
		n[m.Sequence()]++
	}
	return n
}

// filepathOf is a file in the test's own directory.
func filepathOf(t *testing.T, name string) string { return filepath.Join(t.TempDir(), name) }
