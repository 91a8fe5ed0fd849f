package main

import (
	"encoding/json"
	"errors"
	"io/fs"
	"maps"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"

	fakeevents "github.com/reinvent-cli/reinvent/internal/fake/events"
	fakentfy "github.com/reinvent-cli/reinvent/internal/fake/ntfy"
)

// TestFollowEveryNotice: a baseline that sends nothing, then one change of
// every kind in the fake catalog, each a notice on stdout (NDJSON) and at
// the ntfy fake once, the clash first and at priority 5; a rerun sends
// nothing more; a session that comes back is a notice too.
func TestFollowEveryNotice(t *testing.T) {
	w := newFollowWorld(t, reInvent2026)
	out, errOut, code := w.run("--format", "json")
	if code != 0 || out != "" || w.ntfy.Published() != 0 || !strings.Contains(errOut, "Following 11 sessions of 11 codes") {
		t.Fatalf("baseline: exit %d, %d published, stdout %q; want exit 0, nothing sent, and how many sessions it follows on stderr\n%s",
			code, w.ntfy.Published(), out, errOut)
	}

	w.change("h2", func(s *fakeevents.Session) { s.SessionTime.Time = "10:30" })       // onto HLD101, also held
	w.change("h3", func(s *fakeevents.Session) { s.SessionTime.Time = "12:30" })       // onto the personal time
	w.change("h1", func(s *fakeevents.Session) { s.SeatAvailability = "veryLimited" }) // held: no seats notice
	w.change("f1", func(s *fakeevents.Session) { s.SessionTime.Time = "09:30" })
	w.change("f2", func(s *fakeevents.Session) { s.Room = "Level 4 | Lando 4201" })
	w.change("f3", func(s *fakeevents.Session) { s.Title = "New name" })
	cancelled := w.sessions[slices.IndexFunc(w.sessions, func(s fakeevents.Session) bool { return s.SessionID == "f4" })]
	w.remove("f4")
	w.add(w.session("r5", "REP101-R", "Popular one", 3, "15:00"))
	w.change("f6", func(s *fakeevents.Session) { s.SeatAvailability = "limited" })
	w.add(w.session("r7", "FIT101-R", "Does not fit yet", 4, "14:00"))             // FIT101 now fits
	w.change("o1", func(s *fakeevents.Session) { s.Room = "Level 1 | Elsewhere" }) // not followed

	out, errOut, code = w.run("--format", "json")
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, errOut)
	}
	noTopic(t, "stderr", errOut)
	ns := notices(t, out)
	var got []string
	for _, n := range ns {
		got = append(got, n.Kind+" "+n.Session)
	}
	want := []string{
		"clash HLD202", "clash HLD303",
		"cancelled CAN101", "plan CAN101", "new-repeat FIT101-R", "plan FIT101-R", "moved HLD202", "moved HLD303", "moved MOV101",
		"renamed REN101", "new-repeat REP101-R", "relocated ROO101", "seats SEA101",
	}
	if !slices.Equal(got, want) {
		t.Errorf("notices\n%q\nwant\n%q\n%s", got, want, out)
	}
	by := map[string]notice{}
	for _, n := range ns {
		by[n.Kind+" "+n.Session] = n
		if n.ID == "" || n.Code == "" || n.Title == "" || n.Old == "" && n.Kind != "new-repeat" || n.New == "" || !slices.Equal(n.Sent, []string{"ntfy"}) {
			t.Errorf("notice %+v: want an id, a code, a title, old and new, and sent [ntfy]", n)
		}
	}
	for key, fields := range map[string][4]string{
		"clash HLD202":        {"HLD202", "Held second", "fits your plan", "clashes with HLD101"},
		"moved MOV101":        {"MOV101", "Moving target", "Wed 2 Dec 09:00–10:00", "Wed 2 Dec 09:30–10:30"},
		"relocated ROO101":    {"ROO101", "Room to change", "Venetian, Level 2 | Hall ROO101", "Venetian, Level 4 | Lando 4201"},
		"renamed REN101":      {"REN101", "New name", "Old name", "New name"},
		"cancelled CAN101":    {"CAN101", "Soon cancelled", "Wed 2 Dec 15:00, Venetian, Level 2 | Hall CAN101", "removed from the catalog"},
		"seats SEA101":        {"SEA101", "Seats to come", "unavailable", "limited: seats opened"},
		"new-repeat REP101-R": {"REP101", "Popular one", "", "Thu 3 Dec 15:00, Venetian, Level 2 | Hall REP101-R"},
		"plan FIT101-R":       {"FIT101", "Does not fit yet", "did not fit", "now fits: FIT101-R Fri 4 Dec 14:00, Venetian, Level 2 | Hall FIT101-R (FIT101-R is a new repeat)"},
	} {
		n := by[key]
		if g := [4]string{n.Code, n.Title, n.Old, n.New}; g != fields {
			t.Errorf("%s: code, title, old, new = %q, want %q", key, g, fields)
		}
	}

	// At ntfy: each notice once, under its id as the sequence id; the
	// clash urgent (5), the rest below it.
	msgs := w.ntfy.Messages(ntfyTopic)
	if len(msgs) != len(ns) || len(w.ntfy.Notifications(ntfyTopic)) != len(ns) {
		t.Errorf("ntfy holds %d messages, %d notifications; want %d, one per notice", len(msgs), len(w.ntfy.Notifications(ntfyTopic)), len(ns))
	}
	bySeq := map[string]int{}
	for i, m := range msgs {
		bySeq[m.Sequence()] = i
	}
	for _, n := range ns {
		i, ok := bySeq[n.ID]
		if !ok {
			t.Errorf("notice %s (%s %s) never reached ntfy", n.ID, n.Kind, n.Session)
			continue
		}
		m := msgs[i]
		if !strings.HasPrefix(m.Title, n.Session+" ") || !strings.HasPrefix(m.Message, n.Title) || !strings.Contains(m.Message, n.New) {
			t.Errorf("ntfy message %+v does not tell notice %+v", m, n)
		}
		if urgent := n.Kind == "clash"; urgent != (m.Priority == 5) {
			t.Errorf("%s %s went out at priority %d", n.Kind, n.Session, m.Priority)
		}
	}

	// Nothing changed: nothing printed, nothing sent.
	before := w.ntfy.Published()
	if out, errOut, code = w.run("--format", "json"); code != 0 || out != "" || w.ntfy.Published() != before {
		t.Errorf("a rerun: exit %d, %d more published, stdout %q\n%s", code, w.ntfy.Published()-before, out, errOut)
	}

	// The cancelled session comes back: a notice, in text this time.
	w.add(cancelled)
	out, errOut, code = w.run()
	if code != 0 || !strings.Contains(out, "returned   CAN101") || !strings.Contains(out, "removed from the catalog → Wed 2 Dec 15:00") ||
		w.ntfy.Published() <= before {
		t.Errorf("a session back in the catalog: exit %d, %d published\n%s%s", code, w.ntfy.Published()-before, out, errOut)
	}
	for seq, n := range w.ntfyCount() {
		if n != 1 {
			t.Errorf("ntfy got %d messages of sequence %s", n, seq)
		}
	}
}

// TestFollowFailingSink: an ntfy server that answers 503 keeps the notices
// pending (exit 5, the server named by host, never by topic) and does not
// hold back a second ntfy server; once it is back, the next run sends them,
// each once, and exits 0.
func TestFollowFailingSink(t *testing.T) {
	w := newFollowWorld(t, reInvent2026)
	other := fakentfy.New()
	t.Cleanup(other.Close)
	w.notify += " ntfy://" + other.Host() + "/" + ntfyTopic + "?scheme=http"
	if _, errOut, code := w.run(); code != 0 {
		t.Fatalf("baseline: exit %d\n%s", code, errOut)
	}
	w.change("f1", func(s *fakeevents.Session) { s.SessionTime.Time = "09:30" })
	w.change("f3", func(s *fakeevents.Session) { s.Title = "New name" })

	w.ntfy.FailWith(503)
	out, errOut, code := w.run("--format", "json")
	where := "ntfy at " + w.ntfy.Host()
	if code != 5 || !strings.Contains(errOut, where) || !strings.Contains(errOut, "503") {
		t.Errorf("a sink answering 503: exit %d; want 5 and stderr naming %q\n%s", code, where, errOut)
	}
	noTopic(t, "stderr", errOut)
	ns := notices(t, out)
	if len(ns) != 2 || len(other.Messages(ntfyTopic)) != 2 || w.ntfy.Published() != 0 {
		t.Errorf("%d notices; the working server got %d, the failing one %d; want 2, 2, 0\n%s", len(ns), len(other.Messages(ntfyTopic)), w.ntfy.Published(), out)
	}

	// Still down: still pending, and the other server gets nothing again.
	if _, errOut, code = w.run(); code != 5 || len(other.Messages(ntfyTopic)) != 2 {
		t.Errorf("still down: exit %d, the working server has %d messages\n%s", code, len(other.Messages(ntfyTopic)), errOut)
	}

	w.ntfy.FailWith(0)
	out, errOut, code = w.run("--format", "json")
	if code != 0 || out != "" || !strings.Contains(errOut, "2 notices of earlier runs sent") {
		t.Errorf("back up: exit %d, stdout %q; want exit 0 and the earlier notices sent\n%s", code, out, errOut)
	}
	for _, n := range ns {
		if got := w.ntfyCount()[n.ID]; got != 1 {
			t.Errorf("notice %s (%s %s) reached the server that was down %d times, want once", n.ID, n.Kind, n.Session, got)
		}
	}
	if len(w.ntfy.Messages(ntfyTopic)) != 2 || len(other.Messages(ntfyTopic)) != 2 {
		t.Errorf("the servers hold %d and %d messages; want 2 each", len(w.ntfy.Messages(ntfyTopic)), len(other.Messages(ntfyTopic)))
	}
	if _, _, code = w.run(); code != 0 || w.ntfy.Published() != 2 {
		t.Errorf("a rerun: exit %d, %d published", code, w.ntfy.Published())
	}
}

// TestFollowClosedSink: a notify URL of a port nothing listens on is the
// same: exit 5, its host named, nothing lost once it listens.
func TestFollowClosedSink(t *testing.T) {
	w := newFollowWorld(t, reInvent2026)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	w.notify = "ntfy://" + addr + "/" + ntfyTopic + "?scheme=http"
	if _, errOut, code := w.run(); code != 0 {
		t.Fatalf("baseline: exit %d\n%s", code, errOut)
	}
	w.change("f2", func(s *fakeevents.Session) { s.Room = "Level 4 | Lando 4201" })
	out, errOut, code := w.run("--format", "json")
	if code != 5 || !strings.Contains(errOut, "ntfy at "+addr+": ") || !strings.Contains(errOut, "connection refused") {
		t.Errorf("a closed port: exit %d; want 5 and stderr naming ntfy at %s\n%s", code, addr, errOut)
	}
	noTopic(t, "stderr", errOut)
	ns := notices(t, out)
	if len(ns) != 1 || len(ns[0].Sent) != 0 {
		t.Fatalf("notices %+v; want one, sent nowhere", ns)
	}

	// The server comes up on that port: the next run sends the notice.
	l, err = net.Listen("tcp", addr)
	if err != nil {
		t.Fatalf("listen on %s again: %v", addr, err)
	}
	target, _ := url.Parse(w.ntfy.URL())
	srv := &http.Server{Handler: httputil.NewSingleHostReverseProxy(target)}
	go srv.Serve(l)
	t.Cleanup(func() { srv.Close() })
	if out, errOut, code = w.run(); code != 0 || out != "" {
		t.Errorf("the server is up: exit %d, stdout %q\n%s", code, out, errOut)
	}
	if got := w.ntfyCount(); len(got) != 1 || got[ns[0].ID] != 1 {
		t.Errorf("ntfy got %v; want notice %s once", got, ns[0].ID)
	}
}

// TestFollowDryRun: a dry run before the baseline records nothing (the
// next run is the baseline); after it, a dry run prints the notice and
// sends, records and writes nothing, and the next real run sends it.
func TestFollowDryRun(t *testing.T) {
	w := newFollowWorld(t, reInvent2026)
	ics := filepathOf(t, "plan.ics")
	out, errOut, code := w.run("--dry-run", "--ics", ics)
	if code != 0 || out != "" || !strings.Contains(errOut, "Would follow 11 sessions") {
		t.Errorf("a dry run first: exit %d, stdout %q\n%s", code, out, errOut)
	}
	if _, errOut, code = w.run(); code != 0 || !strings.Contains(errOut, "Following 11 sessions") {
		t.Errorf("the run after a dry run is not the baseline: exit %d\n%s", code, errOut)
	}
	w.change("f1", func(s *fakeevents.Session) { s.SessionTime.Time = "09:30" })
	for range 2 {
		out, errOut, code = w.run("--dry-run", "--format", "json", "--ics", ics)
		ns := notices(t, out)
		if code != 0 || len(ns) != 1 || ns[0].Kind != "moved" || len(ns[0].Sent) != 0 || !strings.Contains(errOut, "dry run: nothing recorded or sent") {
			t.Errorf("dry run: exit %d, notices %+v\n%s", code, ns, errOut)
		}
	}
	if _, err := os.Stat(ics); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a dry run wrote the calendar file: %v", err)
	}
	if n := w.ntfy.Published(); n != 0 {
		t.Errorf("dry runs published %d notices", n)
	}
	out, errOut, code = w.run("--format", "json")
	if ns := notices(t, out); code != 0 || len(ns) != 1 || ns[0].Kind != "moved" || !slices.Equal(ns[0].Sent, []string{"ntfy"}) || w.ntfy.Published() != 1 {
		t.Errorf("the real run after the dry runs: exit %d, notices %+v, %d published\n%s", code, ns, w.ntfy.Published(), errOut)
	}
}

// TestFollowUsageErrors: each is exit 2 with one line that says what to
// do, and shows no part of a notify URL but its service and host.
func TestFollowUsageErrors(t *testing.T) {
	w := newFollowWorld(t, reInvent2026)
	for _, c := range []struct {
		name   string
		notify string
		args   []string
		want   string
	}{
		{"unknown service", "nosuch://me:hunter2@example.com/s3cr3t-topic", nil, "nosuch: not a service reinvent sends to"},
		{"bad escape", "ntfy://me:hunt%zzer2@ntfy.example.com/s3cr3t-topic", nil, "a % escape in the URL is not valid"},
		{"no service", "hunter2@ntfy.example.com/s3cr3t-topic", nil, "it does not start with a service"},
		{"second of two", w.notify + " nosuch://me:hunter2@example.com/s3cr3t-topic", nil, "nosuch"},
		{"--every too often", w.notify, []string{"--every", "10s"}, "--every 10s is too often: at least 1m0s"},
		{"serve without every", w.notify, []string{"--serve-calendar", "127.0.0.1:0"}, "--serve-calendar serves while follow runs: add --every DUR"},
		{"notify as a flag", w.notify, []string{"--notify", "ntfy://ntfy.sh/s3cr3t-topic"}, "REINVENT_NOTIFY"},
	} {
		t.Run(c.name, func(t *testing.T) {
			w.notify = c.notify
			out, errOut, code := w.run(c.args...)
			if code != 2 || out != "" || strings.Count(errOut, "\n") != 1 || !strings.HasPrefix(errOut, "reinvent: ") || !strings.Contains(errOut, c.want) {
				t.Errorf("exit %d, stdout %q, stderr %q; want exit 2 and one line saying %q", code, out, errOut, c.want)
			}
			for _, secret := range []string{"hunter2", "hunt%zzer2", "s3cr3t", ntfyTopic} {
				if strings.Contains(errOut, secret) {
					t.Errorf("stderr shows %q of the URL: %q", secret, errOut)
				}
			}
		})
	}
	if _, err := os.Stat(w.db); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a refused run made the store: %v", err)
	}
}

// TestFollowWebhook: a Slack-style JSON webhook (shoutrrr's generic://
// with template=json) gets each notice as {"title", "message"}, sent
// ["generic"]; while it refuses, the notice waits (exit 5), and the error
// names its host, never its secret path.
func TestFollowWebhook(t *testing.T) {
	const hook = "/hooks/T0e2e/Wh5kTz2Qn-secret"
	var mu sync.Mutex
	var got []map[string]string
	refuse := true
	srv := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		var body map[string]string
		if r.Method != http.MethodPost || r.URL.Path != hook || json.NewDecoder(r.Body).Decode(&body) != nil {
			http.Error(rw, "invalid_payload", http.StatusBadRequest)
			return
		}
		if refuse {
			http.Error(rw, "invalid_token for "+hook, http.StatusForbidden)
			return
		}
		got = append(got, body)
	}))
	t.Cleanup(srv.Close)
	host := strings.TrimPrefix(srv.URL, "http://")
	w := newFollowWorld(t, reInvent2026)
	w.notify = "generic://" + host + hook + "?template=json&disabletls=yes"
	if _, errOut, code := w.run(); code != 0 {
		t.Fatalf("baseline: exit %d\n%s", code, errOut)
	}
	w.change("f3", func(s *fakeevents.Session) { s.Title = "New name" })
	out, errOut, code := w.run("--format", "json")
	if code != 5 || !strings.Contains(errOut, "generic at "+host+": ") || strings.Contains(errOut, "Wh5kTz2Qn") {
		t.Errorf("a webhook that refuses: exit %d; want 5, naming generic at %s and not the path\n%s", code, host, errOut)
	}
	if ns := notices(t, out); len(ns) != 1 || len(ns[0].Sent) != 0 {
		t.Errorf("notices %+v; want one, sent nowhere", ns)
	}

	mu.Lock()
	refuse = false
	mu.Unlock()
	if out, errOut, code = w.run(); code != 0 || out != "" {
		t.Errorf("the webhook takes it: exit %d, stdout %q\n%s", code, out, errOut)
	}
	w.change("f2", func(s *fakeevents.Session) { s.Room = "Level 4 | Lando 4201" })
	out, errOut, code = w.run("--format", "json")
	if ns := notices(t, out); code != 0 || len(ns) != 1 || !slices.Equal(ns[0].Sent, []string{"generic"}) {
		t.Errorf("exit %d, notices %+v; want one sent [generic]\n%s", code, ns, errOut)
	}
	mu.Lock()
	defer mu.Unlock()
	want := []map[string]string{
		{"title": "REN101 was renamed", "message": "New name\nOld name → New name"},
		{"title": "ROO101 changed room", "message": "Room to change\nVenetian, Level 2 | Hall ROO101 → Venetian, Level 4 | Lando 4201"},
	}
	if len(got) != len(want) || !maps.Equal(got[0], want[0]) || !maps.Equal(got[1], want[1]) {
		t.Errorf("the webhook received %q, want %q", got, want)
	}
}
