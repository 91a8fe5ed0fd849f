package cli

import (
	"strings"

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
		return nil, usageErrorf("%s needs the X credentials %s: set %s in the environment or the config file",
			why, strings.Join(missing, ", "), strings.Join(envNames(missing), ", "))
	}
	return x.NewClient(f.Config.XAPIURL, cred), nil
}

// envNames are the REINVENT_* variables of settings.
func envNames(names []string) []string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = envName(n)
	}
	return out
}
