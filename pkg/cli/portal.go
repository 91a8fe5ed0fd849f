package cli

import (
	"os"

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
	tokens, err := atStore(c, func(db string) (*portal.TokenFile, error) { return portal.TokensBeside(db), nil })
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
		Password: (&portal.Prompt{Setting: c.Password, Stdin: f.PasswordStdin, In: f.IO.In, ErrOut: f.IO.ErrOut, TTY: f.IO.StdinTTY,
			ReadPassword: func() ([]byte, error) { return term.ReadPassword(int(os.Stdin.Fd())) }, Username: c.Username}).Password,
		Tokens: tokens,
	}
	return &portal.Catalog{URL: c.PortalURL, Token: si.Token}, nil
}
