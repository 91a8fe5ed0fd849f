package portal

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/reinvent-cli/reinvent/pkg/catalog"
)

// Prompt is where the portal password comes from, asked only when a
// sign-in needs it (docs/configuration.md): Setting, the password setting
// (env or config file); else, with Stdin (--password-stdin), the first line
// of In; else, when In is a terminal (TTY), ReadPassword after a prompt on
// ErrOut naming Username.
type Prompt struct {
	Setting      string
	Stdin        bool
	In           io.Reader
	ErrOut       io.Writer
	TTY          bool
	ReadPassword func() ([]byte, error)
	Username     string
}

// Password returns the password, or an error that wraps catalog.ErrAuth
// when there is none to be had.
func (p *Prompt) Password() (string, error) {
	switch {
	case p.Setting != "":
		return p.Setting, nil
	case p.Stdin:
		line, err := bufio.NewReader(p.In).ReadString('\n')
		if err != nil && line == "" {
			return "", noPassword("--password-stdin: nothing on standard input")
		}
		return strings.TrimRight(line, "\r\n"), nil
	case p.TTY:
		fmt.Fprintf(p.ErrOut, "Portal password for %s: ", p.Username)
		b, err := p.ReadPassword()
		fmt.Fprintln(p.ErrOut)
		if err != nil {
			return "", fmt.Errorf("read password: %w", err)
		}
		return string(b), nil
	}
	return "", noPassword("the portal needs your password: set REINVENT_PASSWORD, put password in the config file, or pipe it with --password-stdin")
}

// noPassword is an error that reads as msg and is a refused sign-in
// (catalog.ErrAuth, exit 3).
type noPassword string

func (e noPassword) Error() string        { return string(e) }
func (e noPassword) Is(target error) bool { return target == catalog.ErrAuth }
