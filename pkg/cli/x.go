package cli

import (
	"github.com/reinvent-cli/reinvent/pkg/settings"
	"github.com/reinvent-cli/reinvent/pkg/x"
)

// xCredentials are the OAuth 1.0a credentials of the configuration.
func (f *Factory) xCredentials() x.Credentials {
	c := f.Config
	return x.Credentials{
		ConsumerKey: c.XConsumerKey, ConsumerSecret: c.XConsumerSecret,
		AccessToken: c.XAccessToken, AccessTokenSecret: c.XAccessTokenSecret,
	}
}

// xClient returns an X client, or a usage error naming every missing
// credential and where to set it. why is what needs it ("--tweet").
func (f *Factory) xClient(why string) (*x.Client, error) { return f.xAppClient(why, true) }

// xAppClient is xClient for a command that, unless user, needs only the
// app's consumer key and secret.
func (f *Factory) xAppClient(why string, user bool) (*x.Client, error) {
	cred := f.xCredentials()
	missing, what := cred.Missing(), why+" needs the X credentials"
	if !user {
		missing, what = cred.MissingApp(), why+" needs the X app's credentials"
	}
	if len(missing) > 0 {
		return nil, missingSettings(what, missing)
	}
	return x.NewClient(f.Config.XAPIURL, cred), nil
}

// missingSettings is settings.Missing as a usage error.
func missingSettings(what string, names []string) error {
	return usageError(settings.Missing(what, names))
}
