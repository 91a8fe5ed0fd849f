package cli

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/reinvent-cli/reinvent/pkg/catalog"
	"github.com/reinvent-cli/reinvent/pkg/catalog/eventsapi"
)

// eventsTokenFile is where reinvent login keeps the AWS Events API tokens:
// beside the store.
func (f *Factory) eventsTokenFile() (*eventsapi.TokenFile, error) {
	db, err := f.Config.DBPath(os.Getenv)
	if err != nil {
		return nil, err
	}
	return &eventsapi.TokenFile{Path: filepath.Join(filepath.Dir(db), "events-api-tokens.json")}, nil
}

// eventsSource returns the AWS Events API source. Without stored tokens it
// reads anonymously, which is enough for events that need no sign-in.
func (f *Factory) eventsSource() (catalog.Source, error) { return f.eventsAccount() }

// eventsAccount returns the AWS Events API with the stored sign-in, for
// the catalog and for the writes of reserve, favorite and cancel.
func (f *Factory) eventsAccount() (*eventsapi.Catalog, error) {
	tf, err := f.eventsTokenFile()
	if err != nil {
		return nil, err
	}
	ts := &eventsTokens{file: tf, oauthURL: f.Config.OAuthURL, clientID: f.Config.OAuthClientID, warn: func(msg string) { f.Logger.Warn(msg) }}
	return &eventsapi.Catalog{BaseURL: f.Config.EventsAPIURL, Token: ts.token}, nil
}

// eventsTokens hands out the stored access token, refreshing it shortly
// before it expires, or when the API refused it.
type eventsTokens struct {
	file     *eventsapi.TokenFile
	oauthURL string
	clientID string
	warn     func(string)

	mu sync.Mutex
}

func (e *eventsTokens) token(ctx context.Context, fresh bool) (string, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	t, warning, err := e.file.Load()
	if warning != "" {
		e.warn(warning)
	}
	if err != nil {
		return "", &ExitError{Code: ExitAuth, Err: err}
	}
	if t == nil {
		return "", nil // not signed in: read anonymously
	}
	if fresh || t.NeedsRefresh(time.Now()) {
		nt, err := eventsapi.Refresh(ctx, e.oauthURL, e.clientID, t)
		if err != nil {
			return "", &ExitError{Code: ExitAuth, Err: fmt.Errorf("refresh the AWS Events API sign-in: %w", err)}
		}
		if err := e.file.Save(nt); err != nil {
			return "", err
		}
		t = nt
	}
	return t.AccessToken, nil
}
