package portal

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/reinvent-cli/reinvent/pkg/catalog"
)

// TestPromptPassword: the setting wins; --password-stdin reads one line
// (empty input is a refused sign-in); a terminal gets a prompt and reads
// without echo; with none of them the error says where to put it. A
// password is never written out.
func TestPromptPassword(t *testing.T) {
	terminal := func() ([]byte, error) { return []byte("typed"), nil }
	for _, tt := range []struct {
		name    string
		p       Prompt
		want    string
		errWant string
		prompt  string
	}{
		{name: "setting", p: Prompt{Setting: "s3cret", Stdin: true, In: strings.NewReader("piped\n"), TTY: true}, want: "s3cret"},
		{name: "stdin", p: Prompt{Stdin: true, In: strings.NewReader("piped\r\nmore\n")}, want: "piped"},
		{name: "stdin without newline", p: Prompt{Stdin: true, In: strings.NewReader("piped")}, want: "piped"},
		{name: "empty stdin", p: Prompt{Stdin: true, In: strings.NewReader("")}, errWant: "--password-stdin: nothing on standard input"},
		{name: "terminal", p: Prompt{TTY: true, ReadPassword: terminal, Username: "alice"}, want: "typed", prompt: "Portal password for alice: \n"},
		{name: "nothing", p: Prompt{In: strings.NewReader("ignored\n")}, errWant: "the portal needs your password: set REINVENT_PASSWORD, put password in the config file, or pipe it with --password-stdin"},
	} {
		var errOut bytes.Buffer
		tt.p.ErrOut = &errOut
		got, err := tt.p.Password()
		switch {
		case tt.errWant != "" && (err == nil || err.Error() != tt.errWant || !errors.Is(err, catalog.ErrAuth)):
			t.Errorf("%s: err %v; want %q, a refused sign-in", tt.name, err, tt.errWant)
		case tt.errWant == "" && (err != nil || got != tt.want):
			t.Errorf("%s: %q, %v; want %q", tt.name, got, err, tt.want)
		}
		if errOut.String() != tt.prompt {
			t.Errorf("%s: stderr %q, want %q", tt.name, errOut.String(), tt.prompt)
		}
	}
	failing := Prompt{TTY: true, ReadPassword: func() ([]byte, error) { return nil, errors.New("not a tty") }, ErrOut: &bytes.Buffer{}}
	if _, err := failing.Password(); err == nil || !strings.Contains(err.Error(), "read password: not a tty") {
		t.Errorf("terminal read failed: %v", err)
	}
}
