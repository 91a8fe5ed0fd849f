package notify_test

import (
	"context"
	"net"
	"strings"
	"testing"

	"github.com/reinvent-cli/reinvent/pkg/notify"
)

// The contract every sink keeps, run against a real server of each
// service on loopback (STYLE: one behaviour, several backends).

// got is a notice as the server received it.
type got struct{ Title, Message string }

// backend is one service under the contract.
type backend struct {
	service string
	// start runs a server and returns its host:port, what it received so
	// far, and a function that makes it refuse every notice from then on.
	start func(t *testing.T) (hostport string, received func() []got, refuse func())
	// url is the notify URL of the server at hostport; it holds secrets.
	url func(hostport string) string
	// secrets are the parts of url that must never be shown.
	secrets []string
}

// backends are the services under the contract.
var backends = []backend{ntfyBackend, smtpBackend, genericBackend}

func TestContract(t *testing.T) {
	for _, b := range backends {
		t.Run(b.service, func(t *testing.T) { runContract(t, b) })
	}
}

func runContract(t *testing.T, b backend) {
	t.Run("delivers the title and the message", func(t *testing.T) {
		hostport, received, _ := b.start(t)
		sink := open(t, b.url(hostport))
		if sink.Service() != b.service {
			t.Errorf("Service() = %q, want %q", sink.Service(), b.service)
		}
		noSecrets(t, "Where()", sink.Where(), b.secrets)
		n := notify.Notice{ID: "n-1", Title: "SVS313 moved – Café ☕", Message: "Tue 10:00 → 11:00\nVenetian, Level 2", Priority: notify.Urgent, Tags: []string{"warning"}}
		if err := sink.Send(context.Background(), n); err != nil {
			t.Fatalf("Send: %v", err)
		}
		want := []got{{n.Title, n.Message}}
		if g := received(); len(g) != 1 || g[0] != want[0] {
			t.Errorf("the server received %q, want %q", g, want)
		}
	})

	t.Run("a refusal is an error that names the service and host only", func(t *testing.T) {
		hostport, received, refuse := b.start(t)
		refuse()
		sink := open(t, b.url(hostport))
		err := sink.Send(context.Background(), notify.Notice{ID: "n-1", Title: "t", Message: "m"})
		if err == nil {
			t.Fatalf("Send succeeded against a server that refuses; it received %q", received())
		}
		if !strings.HasPrefix(err.Error(), sink.Where()+": ") {
			t.Errorf("error %q does not start with %q", err, sink.Where()+": ")
		}
		noSecrets(t, "the error", err.Error(), b.secrets)
	})

	t.Run("an unreachable server is an error that names the service and host only", func(t *testing.T) {
		sink := open(t, b.url(closedPort(t)))
		err := sink.Send(context.Background(), notify.Notice{ID: "n-1", Title: "t", Message: "m"})
		if err == nil {
			t.Fatal("Send succeeded against a closed port")
		}
		if !strings.HasPrefix(err.Error(), sink.Where()+": ") {
			t.Errorf("error %q does not start with %q", err, sink.Where()+": ")
		}
		noSecrets(t, "the error", err.Error(), b.secrets)
	})
}

func open(t *testing.T, rawURL string) notify.Sink {
	t.Helper()
	sink, err := notify.Open(rawURL, notify.Options{})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	return sink
}

// noSecrets fails the test when text holds one of the secrets.
func noSecrets(t *testing.T, what, text string, secrets []string) {
	t.Helper()
	for _, s := range secrets {
		if strings.Contains(text, s) {
			t.Errorf("%s %q holds the secret %q", what, text, s)
		}
	}
}

// closedPort returns a loopback host:port that nothing listens on.
func closedPort(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return addr
}
