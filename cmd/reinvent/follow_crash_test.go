package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/mail"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	fakeevents "github.com/reinvent-cli/reinvent/internal/fake/events"
	"github.com/reinvent-cli/reinvent/pkg/notify"
	"github.com/reinvent-cli/reinvent/pkg/store"
)

// killSwitch is what a fake calls once it has stored a notice and before
// it answers: a test kills the binary there, inside the window in which
// the notice has arrived and the store does not know it.
type killSwitch struct{ fn atomic.Pointer[func()] }

func (k *killSwitch) set(f func()) {
	if f == nil {
		k.fn.Store(nil)
		return
	}
	k.fn.Store(&f)
}

func (k *killSwitch) fire() {
	if f := k.fn.Load(); f != nil {
		(*f)()
	}
}

// killingProxy is a reverse proxy in front of an ntfy fake that fires k
// after the fake answered a publish (so stored it) and before the client
// has the answer.
func killingProxy(t *testing.T, target string, k *killSwitch) string {
	t.Helper()
	u, err := url.Parse(target)
	if err != nil {
		t.Fatal(err)
	}
	p := httputil.NewSingleHostReverseProxy(u)
	p.ModifyResponse = func(r *http.Response) error {
		if r.Request.Method == http.MethodPost && r.StatusCode == http.StatusOK {
			k.fire()
		}
		return nil
	}
	srv := httptest.NewServer(p)
	t.Cleanup(srv.Close)
	return strings.TrimPrefix(srv.URL, "http://")
}

// mailbox is an SMTP server (go-smtp's, a real implementation) that keeps
// every mail it accepts and fires its kill switch after keeping one, before
// it says 250 to the client.
type mailbox struct {
	kill  killSwitch
	mu    sync.Mutex
	mails []*mail.Message
	addr  string
}

func newMailbox(t *testing.T) *mailbox {
	t.Helper()
	b := &mailbox{}
	srv := smtp.NewServer(b)
	srv.Domain = "localhost"
	srv.ErrorLog = log.New(io.Discard, "", 0) // a killed client's connection resets
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	b.addr = l.Addr().String()
	go srv.Serve(l)
	t.Cleanup(func() { srv.Close() })
	return b
}

// url is the notify URL of the mailbox: no TLS and no auth on loopback.
func (b *mailbox) url() string {
	return "smtp://" + b.addr + "/?from=reinvent@example.com&to=me@example.com&encryption=None&usestarttls=no&auth=None"
}

func (b *mailbox) NewSession(*smtp.Conn) (smtp.Session, error) { return &mailSession{b: b}, nil }

// bodies counts the mails by their body, as a mail reader shows it (line
// ends as LF).
func (b *mailbox) bodies(t *testing.T) map[string]int {
	t.Helper()
	b.mu.Lock()
	defer b.mu.Unlock()
	out := map[string]int{}
	for _, m := range b.mails {
		body, err := io.ReadAll(m.Body)
		if err != nil {
			t.Fatal(err)
		}
		m.Body = strings.NewReader(string(body))
		out[strings.TrimRight(strings.ReplaceAll(string(body), "\r\n", "\n"), "\n")]++
	}
	return out
}

type mailSession struct{ b *mailbox }

func (s *mailSession) Mail(string, *smtp.MailOptions) error { return nil }
func (s *mailSession) Rcpt(string, *smtp.RcptOptions) error { return nil }
func (s *mailSession) Reset()                               {}
func (s *mailSession) Logout() error                        { return nil }

func (s *mailSession) Data(r io.Reader) error {
	m, err := mail.ReadMessage(r)
	if err != nil {
		return err
	}
	body, err := io.ReadAll(m.Body)
	if err != nil {
		return err
	}
	m.Body = strings.NewReader(string(body))
	s.b.mu.Lock()
	s.b.mails = append(s.b.mails, m)
	s.b.mu.Unlock()
	s.b.kill.fire()
	return nil
}

// TestFollowCrashLoop kills follow with SIGKILL at random moments while
// the catalog keeps changing, and in some rounds right after the ntfy fake
// or the SMTP server took a notice and before the binary heard so. After
// runs until one is clean, ntfy shows every notice exactly once (one
// notification per sequence id), and email has every notice at least once,
// twice only for a notice whose send a killed run had begun (the window
// docs/follow.md names: between the send and the store recording it).
func TestFollowCrashLoop(t *testing.T) {
	w := newFollowWorld(t, reInvent2026)
	var kill killSwitch
	ntfyURL := "ntfy://" + killingProxy(t, w.ntfy.URL(), &kill) + "/" + ntfyTopic + "?scheme=http"
	mb := newMailbox(t)
	// The loop makes an hour's runs in seconds: the Events API's quotas
	// per minute are not what it tests.
	w.events.Lock()
	w.events.Quotas = map[string]int{"event": 1000, "sessions": 1000, "schedule": 1000}
	w.events.Unlock()
	w.notify = ntfyURL + " " + mb.url()
	seed := uint64(time.Now().UnixNano())
	rng := rand.New(rand.NewPCG(seed, 24))
	t.Logf("seed %d", seed)
	if _, errOut, code := w.run(); code != 0 {
		t.Fatalf("baseline: exit %d\n%s", code, errOut)
	}

	const rounds = 60
	killed := 0
	for round := range rounds {
		w.mutate(rng, round)
		cmd := w.cmd()
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		var once sync.Once
		stop := func() { once.Do(func() { _ = cmd.Process.Kill() }) }
		var timer *time.Timer
		if round%3 == 0 {
			// Die right after the target-th notice arrived at a server.
			// Notices go out oldest first, each to ntfy, then by email:
			// round 0 dies in ntfy's window, round 3 in email's.
			var arrived atomic.Int32
			target := int32(round / 3 % 3)
			k := func() {
				if arrived.Add(1) > target {
					stop()
				}
			}
			kill.set(k)
			mb.kill.set(k)
		} else {
			timer = time.AfterFunc(time.Duration(rng.IntN(60_000))*time.Microsecond, stop)
		}
		err := cmd.Wait()
		kill.set(nil)
		mb.kill.set(nil)
		if timer != nil {
			timer.Stop()
		}
		if cmd.ProcessState.ExitCode() == -1 {
			killed++
		} else if err != nil {
			t.Fatalf("seed %d, round %d: %v", seed, round, err)
		}
	}
	// Run until a run is clean: it sends what the killed runs left.
	for i := 0; ; i++ {
		out, errOut, code := w.run()
		if code == 0 {
			break
		}
		if i == 3 {
			t.Fatalf("seed %d: still exit %d after the crash loop\n%s%s", seed, code, out, errOut)
		}
	}
	before, mails := w.ntfy.Published(), len(mb.bodies(t))
	if out, errOut, code := w.run(); code != 0 || out != "" || w.ntfy.Published() != before || len(mb.bodies(t)) != mails {
		t.Errorf("seed %d: a run after everything was sent: exit %d, stdout %q\n%s", seed, code, out, errOut)
	}

	// The store's notices, per sink.
	st, err := store.Open(context.Background(), w.db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	all, err := st.Notices(context.Background(), "reinvent2026")
	if err != nil {
		t.Fatal(err)
	}
	ntfyKey, smtpKey := notify.Key(ntfyURL), notify.Key(mb.url())
	byNtfy := map[string]store.Notice{}
	bySMTP := map[string]store.Notice{}
	for _, n := range all {
		if n.State != store.NoticeSent {
			t.Errorf("seed %d: notice %s for %s is %s after a clean run", seed, n.NoticeID, n.Sink, n.State)
		}
		switch n.Sink {
		case ntfyKey:
			byNtfy[n.NoticeID] = n
		case smtpKey:
			bySMTP[n.NoticeID] = n
		default:
			t.Errorf("seed %d: a notice for a sink that is neither URL: %+v", seed, n)
		}
	}
	if len(byNtfy) == 0 || len(byNtfy) != len(bySMTP) {
		t.Fatalf("seed %d: %d notices for ntfy, %d for email; want the same, and some", seed, len(byNtfy), len(bySMTP))
	}

	// ntfy: one notification per notice, under its id; every message of
	// a sequence is a notice's.
	notes := w.ntfy.Notifications(ntfyTopic)
	if len(notes) != len(byNtfy) {
		t.Errorf("seed %d: ntfy shows %d notifications for %d notices", seed, len(notes), len(byNtfy))
	}
	for seq, n := range w.ntfyCount() {
		sn, ok := byNtfy[seq]
		switch {
		case !ok:
			t.Errorf("seed %d: ntfy has sequence %s, which is no notice of the store", seed, seq)
		case n > sn.Attempts:
			t.Errorf("seed %d: ntfy got notice %s %d times in %d sends begun", seed, seq, n, sn.Attempts)
		}
	}

	// Email: each notice at least once; twice only when a run began its
	// send and was killed before it recorded the end.
	bodies := mb.bodies(t)
	dups := 0
	for id, sn := range bySMTP {
		var n notice
		if err := json.Unmarshal(sn.Data, &n); err != nil {
			t.Fatal(err)
		}
		body := n.Title + "\n" + n.Old + " → " + n.New
		got := bodies[body]
		switch {
		case got == 0:
			t.Errorf("seed %d: notice %s (%s %s) never arrived by email", seed, id, n.Kind, n.Session)
		case got > 1 && sn.Attempts == 1:
			t.Errorf("seed %d: notice %s arrived %d times by email, though only one send of it was ever begun", seed, id, got)
		case got > sn.Attempts:
			t.Errorf("seed %d: notice %s arrived %d times by email in %d sends begun", seed, id, got, sn.Attempts)
		}
		dups += got - 1
		delete(bodies, body)
	}
	for body, n := range bodies {
		t.Errorf("seed %d: %d mails that are no notice of the store: %q", seed, n, body)
	}
	if dups > killed {
		t.Errorf("seed %d: %d duplicate mails, more than the %d runs killed", seed, dups, killed)
	}
	if w.ntfy.Published() <= len(notes) || dups == 0 {
		t.Errorf("seed %d: %d publishes for %d notifications, %d duplicate mails: no run was killed inside each window", seed, w.ntfy.Published(), len(notes), dups)
	}
	t.Logf("%d rounds, %d killed, %d notices, %d ntfy publishes, %d duplicate mails", rounds, killed, len(byNtfy), w.ntfy.Published(), dups)
}

// mutate makes one to three changes to followed sessions that are not
// held, each with the round in it, so that no two notices read the same.
func (w *followWorld) mutate(rng *rand.Rand, round int) {
	ids := []string{"f1", "f2", "f3", "f5", "f6"}
	for i := range 1 + rng.IntN(3) {
		id := ids[rng.IntN(len(ids))]
		w.change(id, func(s *fakeevents.Session) {
			if rng.IntN(2) == 0 {
				s.Title = fmt.Sprintf("%s, round %d.%d", s.Abbreviation, round, i)
			} else {
				s.Room = fmt.Sprintf("Level 3 | Room %d.%d", round, i)
			}
		})
	}
}
