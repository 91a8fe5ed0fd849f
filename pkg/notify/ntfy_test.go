package notify_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	fakentfy "github.com/reinvent-cli/reinvent/internal/fake/ntfy"
	"github.com/reinvent-cli/reinvent/pkg/notify"
)

const (
	ntfyUser     = "phil"
	ntfyPassword = "Pw9xQz7Kv-secret"
	ntfyTopic    = "Tp4mWn8Rj_private"
	ntfyToken    = "tk_AgQdq7mVBoFD37zQVN29RhuMzNIz2"
)

var ntfyBackend = backend{
	service: "ntfy",
	start: func(t *testing.T) (string, func() []got, func()) {
		s := fakentfy.New()
		t.Cleanup(s.Close)
		s.AddUser(ntfyUser, ntfyPassword)
		received := func() []got {
			var out []got
			for _, m := range s.Notifications(ntfyTopic) {
				out = append(out, got{m.Title, m.Message})
			}
			return out
		}
		return s.Host(), received, func() { s.FailWith(http.StatusInternalServerError) }
	},
	url: func(hostport string) string {
		return "ntfy://" + ntfyUser + ":" + ntfyPassword + "@" + hostport + "/" + ntfyTopic + "?scheme=http"
	},
	secrets: []string{ntfyPassword, ntfyTopic},
}

// startNtfy runs a fake ntfy server that wants the test user's password.
func startNtfy(t *testing.T) *fakentfy.Server {
	t.Helper()
	s := fakentfy.New()
	t.Cleanup(s.Close)
	s.AddUser(ntfyUser, ntfyPassword)
	return s
}

func ntfyURL(s *fakentfy.Server) string { return ntfyBackend.url(s.Host()) }

func TestNtfyPublishesTheNoticeFields(t *testing.T) {
	s := startNtfy(t)
	sink := open(t, ntfyURL(s)+"&tags=reinvent")
	if want := "ntfy at " + s.Host(); sink.Where() != want {
		t.Errorf("Where() = %q, want %q", sink.Where(), want)
	}
	err := sink.Send(context.Background(), notify.Notice{ID: "moved-SVS313-1", Title: "SVS313 moved", Message: "Tue 10:00 → 11:00", Tags: []string{"warning"}})
	if err != nil {
		t.Fatal(err)
	}
	msgs := s.Messages(ntfyTopic)
	if len(msgs) != 1 {
		t.Fatalf("the topic holds %d messages, want 1", len(msgs))
	}
	m := msgs[0]
	if m.Title != "SVS313 moved" || m.Message != "Tue 10:00 → 11:00" || m.Priority != 3 ||
		!slices.Equal(m.Tags, []string{"warning", "reinvent"}) || m.Sequence() != "moved-SVS313-1" {
		t.Errorf("the topic holds %+v", m)
	}
}

func TestNtfyPriorities(t *testing.T) {
	for _, tc := range []struct {
		url  string
		p    notify.Priority
		want int
	}{
		{"", notify.Default, 3},
		{"", notify.High, 4},
		{"", notify.Urgent, 5},
		{"&priority=low", notify.Default, 2}, // the URL's priority is that of ordinary notices
		{"&priority=low", notify.Urgent, 5},  // and never quiets a clash
	} {
		s := startNtfy(t)
		if err := open(t, ntfyURL(s)+tc.url).Send(context.Background(), notify.Notice{ID: "n", Message: "m", Priority: tc.p}); err != nil {
			t.Fatal(err)
		}
		if got := s.Messages(ntfyTopic)[0].Priority; got != tc.want {
			t.Errorf("URL options %q, notice priority %d: ntfy priority %d, want %d", tc.url, tc.p, got, tc.want)
		}
	}
}

func TestNtfyResendReplacesTheNotification(t *testing.T) {
	s := startNtfy(t)
	sink := open(t, ntfyURL(s))
	if !sink.Replaces() {
		t.Fatal("Replaces() = false before any send")
	}
	n := notify.Notice{ID: "clash-ARC302-7", Title: "ARC302 now clashes", Message: "with SVS313", Priority: notify.Urgent}
	for range 2 {
		if err := sink.Send(context.Background(), n); err != nil {
			t.Fatal(err)
		}
	}
	if got := s.Notifications(ntfyTopic); len(got) != 1 {
		t.Errorf("a phone shows %d notifications after a resend, want 1: %+v", len(got), got)
	}
	// ntfy's cache is append-only: the update is a message of its own.
	if got := s.Messages(ntfyTopic); len(got) != 2 || got[1].SequenceID != n.ID {
		t.Errorf("the message cache holds %+v", got)
	}
	if !sink.Replaces() {
		t.Error("Replaces() = false against a server that keeps sequence ids")
	}
}

func TestNtfyOldServerDoesNotReplace(t *testing.T) {
	s := startNtfy(t)
	s.IgnoreSequenceIDs()
	sink := open(t, ntfyURL(s))
	if err := sink.Send(context.Background(), notify.Notice{ID: "n-1", Message: "m"}); err != nil {
		t.Fatal(err)
	}
	if sink.Replaces() {
		t.Error("Replaces() = true after the server ignored the sequence id")
	}
}

func TestNtfyCredentials(t *testing.T) {
	s := startNtfy(t)
	s.AddToken(ntfyToken)
	host := s.Host()
	for _, tc := range []struct {
		name, url string
		wantErr   string // "" for success
	}{
		{"user and password", "ntfy://" + ntfyUser + ":" + ntfyPassword + "@" + host + "/" + ntfyTopic + "?scheme=http", ""},
		{"token as the password", "ntfy://:" + ntfyToken + "@" + host + "/" + ntfyTopic + "?scheme=http", ""},
		{"token as the user", "ntfy://" + ntfyToken + "@" + host + "/" + ntfyTopic + "?scheme=http", ""},
		{"wrong password", "ntfy://" + ntfyUser + ":wrong-" + ntfyPassword + "@" + host + "/" + ntfyTopic + "?scheme=http", "ntfy at " + host + ": 401 Unauthorized: unauthorized"},
		{"none", "ntfy://" + host + "/" + ntfyTopic + "?scheme=http", "ntfy at " + host + ": 403 Forbidden: forbidden"},
	} {
		err := open(t, tc.url).Send(context.Background(), notify.Notice{ID: "n", Message: tc.name})
		switch {
		case tc.wantErr == "" && err != nil:
			t.Errorf("%s: %v", tc.name, err)
		case tc.wantErr != "" && (err == nil || err.Error() != tc.wantErr):
			t.Errorf("%s: error %v, want %q", tc.name, err, tc.wantErr)
		}
	}
	if got := len(s.Messages(ntfyTopic)); got != 3 {
		t.Errorf("the topic holds %d messages, want the 3 sent with good credentials", got)
	}
}

func TestNtfySchemes(t *testing.T) {
	s := startNtfy(t)
	base := "ntfy://" + ntfyUser + ":" + ntfyPassword + "@" + s.Host() + "/" + ntfyTopic
	for _, tc := range []struct {
		query string
		ok    bool
	}{
		{"", false}, // https by default: the plain-HTTP server cannot answer
		{"?scheme=http", true},
		{"?disabletls=yes", true},
		{"?scheme=https", false},
	} {
		err := open(t, base+tc.query).Send(context.Background(), notify.Notice{ID: "n", Message: "m"})
		if (err == nil) != tc.ok {
			t.Errorf("%q: error %v", tc.query, err)
		}
		if err != nil {
			noSecrets(t, "the error", err.Error(), ntfyBackend.secrets)
		}
	}
	if got := open(t, "ntfy:///"+ntfyTopic).Where(); got != "ntfy at ntfy.sh" {
		t.Errorf("a URL with no host: Where() = %q, want ntfy at ntfy.sh", got)
	}
}

func TestNtfyOpenErrors(t *testing.T) {
	for _, tc := range []struct{ url, want string }{
		{"ntfy://ntfy.example.com", "ntfy at ntfy.example.com: the URL names no topic: write ntfy://HOST/TOPIC"},
		{"ntfy://ntfy.example.com/" + ntfyTopic + "/more", "ntfy at ntfy.example.com: a topic is 1 to 64 letters, digits, - or _"},
		{"ntfy://u:" + ntfyPassword + "@ntfy.example.com/" + ntfyTopic + "?priority=loud", "ntfy at ntfy.example.com: priority= is 1 to 5, or min, low, default, high, max or urgent"},
		{"ntfy://ntfy.example.com/" + ntfyTopic + "?scheme=ftp", "ntfy at ntfy.example.com: scheme= is http or https"},
		{"ntfy://u:" + ntfyPassword + "%zz@ntfy.example.com/" + ntfyTopic, "ntfy URL: a % escape in the URL is not valid: write a % in a password or topic as %25"},
	} {
		_, err := notify.Open(tc.url, notify.Options{})
		if err == nil || err.Error() != tc.want {
			t.Errorf("Open(%q): error %v, want %q", tc.url, err, tc.want)
		}
	}
	_, err := notify.Open("ntfy://ntfy.example.com/"+ntfyTopic+"?"+ntfyPassword+"=1", notify.Options{})
	if err == nil || !strings.HasPrefix(err.Error(), "ntfy at ntfy.example.com: the URL has an option ntfy does not take") {
		t.Errorf("an unknown option: error %v", err)
	}
	noSecrets(t, "the error", err.Error(), ntfyBackend.secrets)
}

func TestNtfyServerTextIsCleaned(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusBadGateway)
		w.Write([]byte("\x1b]0;owned\x07\x1b[2Jproxy " + strings.Repeat("down ", 100) + "\nsecond line"))
	}))
	defer srv.Close()
	host := strings.TrimPrefix(srv.URL, "http://")
	err := open(t, "ntfy://"+host+"/"+ntfyTopic+"?scheme=http").Send(context.Background(), notify.Notice{ID: "n", Message: "m"})
	if err == nil {
		t.Fatal("Send succeeded against a 502")
	}
	msg := err.Error()
	if strings.ContainsAny(msg, "\x1b\x07\n") || strings.Contains(msg, "second line") || len(msg) > 200 {
		t.Errorf("the error is not one short clean line: %q", msg)
	}
	if !strings.HasPrefix(msg, "ntfy at "+host+": 502 Bad Gateway: proxy down") {
		t.Errorf("error %q", msg)
	}
}

func TestNtfyCancelled(t *testing.T) {
	s := startNtfy(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := open(t, ntfyURL(s)).Send(ctx, notify.Notice{ID: "n", Message: "m"})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("Send with a cancelled context: %v, want context.Canceled", err)
	}
	if got := s.Published(); got != 0 {
		t.Errorf("the server took %d messages", got)
	}
}

func TestNtfyRejectsBadNoticeIDs(t *testing.T) {
	s := startNtfy(t)
	for _, id := range []string{"", "has space", strings.Repeat("x", 65), "slash/id"} {
		if err := open(t, ntfyURL(s)).Send(context.Background(), notify.Notice{ID: id, Message: "m"}); err == nil {
			t.Errorf("ID %q was sent", id)
		}
	}
	if got := s.Published(); got != 0 {
		t.Errorf("the server took %d messages", got)
	}
}
