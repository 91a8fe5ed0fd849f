package cli

import (
	"github.com/reinvent-cli/reinvent/pkg/catalog/eventsapi"
)

// eventsTokenFile is where reinvent login keeps the AWS Events API tokens:
// beside the store.
func (f *Factory) eventsTokenFile() (*eventsapi.TokenFile, error) {
	return atStore(f.Config, func(db string) (*eventsapi.TokenFile, error) { return eventsapi.TokensBeside(db), nil })
}

// eventsAccount returns the AWS Events API with the stored sign-in, for
// the catalog and for the writes of reserve, favorite and cancel. Without
// stored tokens it reads anonymously, which is enough for events that need
// no sign-in.
func (f *Factory) eventsAccount() (*eventsapi.Catalog, error) {
	tf, err := f.eventsTokenFile()
	if err != nil {
		return nil, err
	}
	si := &eventsapi.SignIn{File: tf, OAuthURL: f.Config.OAuthURL, ClientID: f.Config.OAuthClientID, Warn: func(msg string) { f.Logger.Warn(msg) }}
	return &eventsapi.Catalog{BaseURL: f.Config.EventsAPIURL, Token: si.Token}, nil
}
