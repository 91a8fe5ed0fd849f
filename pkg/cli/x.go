package cli

import (
	"fmt"
	"strings"

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

// missingSettings is the usage error "WHAT a, b: set REINVENT_A,
// REINVENT_B in the environment, or put "a: ...", "b: ..." in the config
// file": both places a setting may come from, by their own names.
func missingSettings(what string, names []string) error {
	env := make([]string, len(names))
	keys := make([]string, len(names))
	for i, n := range names {
		env[i] = settings.EnvName(n)
		keys[i] = fmt.Sprintf("%q", n+": ...")
	}
	return usageErrorf("%s %s: set %s in the environment, or put %s in the config file",
		what, strings.Join(names, ", "), strings.Join(env, ", "), strings.Join(keys, ", "))
}
