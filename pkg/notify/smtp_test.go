package notify_test

import (
	"errors"
	"io"
	"mime"
	"net"
	"net/mail"
	"strings"
	"sync"
	"testing"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

const (
	smtpUser     = "me@example.com"
	smtpPassword = "Sm7pQx4Lw-secret"
)

// The email sink against go-smtp's server, a real SMTP implementation that
// is not ours: shoutrrr's smtp sender speaks to it over loopback with PLAIN
// auth and no TLS (Go's PLAIN auth allows that on 127.0.0.1 only).
var smtpBackend = backend{
	service: "smtp",
	start: func(t *testing.T) (string, func() []got, func()) {
		b := &mailbox{}
		srv := smtp.NewServer(b)
		srv.Domain = "localhost"
		srv.AllowInsecureAuth = true
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		go srv.Serve(l)
		t.Cleanup(func() { srv.Close() })
		return l.Addr().String(), b.received(t), b.refuse
	},
	url: func(hostport string) string {
		return "smtp://" + strings.ReplaceAll(smtpUser, "@", "%40") + ":" + smtpPassword + "@" + hostport +
			"/?from=reinvent@example.com&to=" + smtpUser + "&encryption=None&usestarttls=no&auth=Plain"
	},
	secrets: []string{smtpPassword},
}

// mailbox is a go-smtp backend that keeps what it is sent.
type mailbox struct {
	mu      sync.Mutex
	mails   [][]byte
	refused bool
}

func (b *mailbox) NewSession(*smtp.Conn) (smtp.Session, error) { return &session{b: b}, nil }

func (b *mailbox) refuse() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.refused = true
}

// received parses the mails as a mail reader would: the subject decoded
// (RFC 2047), the body with its line ends as LF.
func (b *mailbox) received(t *testing.T) func() []got {
	return func() []got {
		b.mu.Lock()
		defer b.mu.Unlock()
		var out []got
		for _, raw := range b.mails {
			m, err := mail.ReadMessage(strings.NewReader(string(raw)))
			if err != nil {
				t.Errorf("a mail that does not parse: %v\n%s", err, raw)
				continue
			}
			var dec mime.WordDecoder
			subject, err := dec.DecodeHeader(m.Header.Get("Subject"))
			if err != nil {
				t.Errorf("subject %q: %v", m.Header.Get("Subject"), err)
			}
			body, _ := io.ReadAll(m.Body)
			out = append(out, got{subject, strings.TrimRight(strings.ReplaceAll(string(body), "\r\n", "\n"), "\n")})
		}
		return out
	}
}

type session struct {
	b    *mailbox
	auth bool
}

func (s *session) AuthMechanisms() []string { return []string{sasl.Plain} }

func (s *session) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(_, user, pass string) error {
		if user != smtpUser || pass != smtpPassword {
			return errors.New("invalid credentials")
		}
		s.auth = true
		return nil
	}), nil
}

func (s *session) Mail(string, *smtp.MailOptions) error {
	if !s.auth {
		return smtp.ErrAuthRequired
	}
	return nil
}

func (s *session) Rcpt(string, *smtp.RcptOptions) error { return nil }

func (s *session) Data(r io.Reader) error {
	raw, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	s.b.mu.Lock()
	defer s.b.mu.Unlock()
	if s.b.refused {
		return &smtp.SMTPError{Code: 554, EnhancedCode: smtp.EnhancedCode{5, 7, 1}, Message: "rejected for " + smtpPassword}
	}
	s.b.mails = append(s.b.mails, raw)
	return nil
}

func (s *session) Reset()        {}
func (s *session) Logout() error { return nil }
