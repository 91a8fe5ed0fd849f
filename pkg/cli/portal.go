package cli

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/term"

	"github.com/reinvent-cli/reinvent/pkg/catalog"
	"github.com/reinvent-cli/reinvent/pkg/catalog/portal"
)

// portalSource returns the attendee portal source: Cognito sign-in with the
// configured flow, the refresh token cached beside the store, and the
// GraphQL catalog.
func (f *Factory) portalSource() (catalog.Source, error) {
	c := f.Config
	if c.Username == "" {
		return nil, usageErrorf("the portal source needs your portal user name: set --username, REINVENT_USERNAME or username in the config file")
	}
	db, err := c.DBPath(os.Getenv)
	if err != nil {
		return nil, err
	}
	si := &portal.SignIn{
		Region:       c.CognitoRegion,
		PoolID:       c.CognitoUserPoolID,
		ClientID:     c.CognitoClientID,
		ClientSecret: c.CognitoClientSecret,
		Endpoint:     c.CognitoEndpoint,
		Flow:         c.AuthFlow,
		Username:     c.Username,
		Password:     f.password,
		Tokens:       &portal.TokenFile{Path: filepath.Join(filepath.Dir(db), "portal-tokens.json")},
	}
	return &portal.Catalog{URL: c.PortalURL, Token: si.Token}, nil
}

// password returns the portal password: from the password setting (env or
// config file), else the first line of stdin with --password-stdin, else a
// prompt without echo when stdin is a terminal. It is asked only when a
// sign-in needs it.
func (f *Factory) password() (string, error) {
	switch {
	case f.Config.Password != "":
		return f.Config.Password, nil
	case f.PasswordStdin:
		line, err := bufio.NewReader(f.IO.In).ReadString('\n')
		if err != nil && line == "" {
			return "", &ExitError{Code: ExitAuth, Err: errors.New("--password-stdin: nothing on standard input")}
		}
		return strings.TrimRight(line, "\r\n"), nil
	case f.IO.StdinTTY:
		fmt.Fprintf(f.IO.ErrOut, "Portal password for %s: ", f.Config.Username)
		b, err := term.ReadPassword(int(os.Stdin.Fd()))
		fmt.Fprintln(f.IO.ErrOut)
		if err != nil {
			return "", fmt.Errorf("read password: %w", err)
		}
		return string(b), nil
	}
	return "", &ExitError{Code: ExitAuth, Err: errors.New("the portal needs your password: set REINVENT_PASSWORD, put password in the config file, or pipe it with --password-stdin")}
}
