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
func (f *Factory) xClient(why string) (*x.Client, error) {
	cred := f.xCredentials()
	if missing := cred.Missing(); len(missing) > 0 {
		return nil, missingSettings(why+" needs the X credentials", missing)
	}
	return x.NewClient(f.Config.XAPIURL, cred), nil
}

// missingSettings is settings.Missing as a usage error.
func missingSettings(what string, names []string) error {
	return usageError(settings.Missing(what, names))
}
