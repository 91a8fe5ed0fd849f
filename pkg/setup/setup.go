// Package setup makes, from the settings of a run, what its work needs:
// the catalog source behind the store's cache, the stores, the AWS Events
// API account and the X client (docs/architecture.md).
package setup

import (
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"golang.org/x/term"

	"github.com/reinvent-cli/reinvent/pkg/catalog"
	"github.com/reinvent-cli/reinvent/pkg/catalog/cached"
	"github.com/reinvent-cli/reinvent/pkg/catalog/eventsapi"
	"github.com/reinvent-cli/reinvent/pkg/catalog/portal"
	"github.com/reinvent-cli/reinvent/pkg/catalog/sample"
	"github.com/reinvent-cli/reinvent/pkg/iostreams"
	"github.com/reinvent-cli/reinvent/pkg/render"
	"github.com/reinvent-cli/reinvent/pkg/settings"
	"github.com/reinvent-cli/reinvent/pkg/store"
	"github.com/reinvent-cli/reinvent/pkg/store/backend"
	"github.com/reinvent-cli/reinvent/pkg/store/dynamo"
	"github.com/reinvent-cli/reinvent/pkg/x"
)

// Env is a run's streams and settings, and what it makes of them. Its
// methods read Config and Logger when they are called, so that an Env
// made before the settings are read serves the run once they are.
type Env struct {
	IO     *iostreams.IOStreams
	Config *settings.Config
	// Logger logs to IO.ErrOut at the configured level and format.
	Logger *slog.Logger
	// PasswordStdin is set by --password-stdin: the portal password is
	// the first line of standard input.
	PasswordStdin bool

	mu sync.Mutex
	// table is the DynamoDB store OpenBackend opened, whose catalog cache
	// Source reads through the same client instead of opening the table
	// again (a DescribeTable at every Lambda cold start).
	table *dynamo.Store
}

// Progress reports whether progress may be drawn on ErrOut: only on a
// terminal and never with JSON logs.
func (e *Env) Progress() bool {
	return e.IO.StderrTTY && e.Config.LogFormat != "json"
}

// Source returns the catalog source named by the source setting. A live
// source and a file come behind the store's catalog cache (cached.Source);
// the embedded sample needs none.
func (e *Env) Source() (catalog.Source, error) {
	name := e.Config.Source
	var src catalog.Source
	var err error
	switch ext := strings.ToLower(filepath.Ext(name)); {
	case name == "sample":
		return sample.Source{}, nil
	case name == "portal":
		src, err = e.portal()
	case name == "events-api":
		src, err = e.Account()
	case ext == ".json", ext == ".csv":
		src, err = catalog.NewFileSource(name)
	default:
		return nil, settings.Usagef("unknown source %q: use events-api, portal, sample, or the path of a .json or .csv file written by reinvent download", name)
	}
	if err != nil {
		return nil, err
	}
	cache := func() (cached.Store, error) {
		e.mu.Lock()
		table := e.table
		e.mu.Unlock()
		if table != nil {
			return table.Catalogs(), nil
		}
		return AtStore(e.Config, func(db string) (cached.Store, error) { return backend.Catalogs(context.Background(), db) })
	}
	return &cached.Source{Inner: src, Cache: cache, MaxAge: e.Config.MaxAge, Logger: e.Logger}, nil
}

// portal returns the attendee portal source: Cognito sign-in with the
// configured flow, the refresh token cached beside the store, and the
// GraphQL catalog.
func (e *Env) portal() (catalog.Source, error) {
	c := e.Config
	if c.Username == "" {
		return nil, settings.Usagef("the portal source needs your portal user name: set --username, REINVENT_USERNAME or username in the config file")
	}
	tokens, err := AtStore(c, func(db string) (*portal.TokenFile, error) { return portal.TokensBeside(db), nil })
	if err != nil {
		return nil, err
	}
	prompt := &portal.Prompt{Setting: c.Password, Stdin: e.PasswordStdin, In: e.IO.In, ErrOut: e.IO.ErrOut, TTY: e.IO.StdinTTY,
		ReadPassword: func() ([]byte, error) { return term.ReadPassword(int(os.Stdin.Fd())) }, Username: c.Username}
	si := &portal.SignIn{Region: c.CognitoRegion, PoolID: c.CognitoUserPoolID, ClientID: c.CognitoClientID,
		ClientSecret: c.CognitoClientSecret, Endpoint: c.CognitoEndpoint, Flow: c.AuthFlow, Username: c.Username,
		Password: prompt.Password, Tokens: tokens}
	return &portal.Catalog{URL: c.PortalURL, Token: si.Token}, nil
}

// TokenFile is where reinvent login keeps the AWS Events API tokens:
// beside the store.
func (e *Env) TokenFile() (*eventsapi.TokenFile, error) {
	return AtStore(e.Config, func(db string) (*eventsapi.TokenFile, error) { return eventsapi.TokensBeside(db), nil })
}

// Account returns the AWS Events API with the stored sign-in, for the
// catalog and for the writes of reserve, favorite and cancel. Without
// stored tokens it reads anonymously, which is enough for events that need
// no sign-in.
func (e *Env) Account() (*eventsapi.Catalog, error) {
	tf, err := e.TokenFile()
	if err != nil {
		return nil, err
	}
	si := &eventsapi.SignIn{File: tf, OAuthURL: e.Config.OAuthURL, ClientID: e.Config.OAuthClientID, Warn: func(msg string) { e.Logger.Warn(msg) }}
	return &eventsapi.Catalog{BaseURL: e.Config.EventsAPIURL, Token: si.Token}, nil
}

// OpenStore opens the SQLite store at the db setting, creating it when
// missing. A file that is not a store, or one of a newer reinvent, is an
// error that leaves the file as it was.
func (e *Env) OpenStore(ctx context.Context) (*store.Store, error) {
	return AtStore(e.Config, func(db string) (*store.Store, error) { return store.Open(ctx, db) })
}

// OpenBackend opens the store at the db setting for the work that runs on
// either store (watch, serve-webhook, lambda): backend.Open. A DynamoDB
// table opened here also serves Source's catalog cache.
func (e *Env) OpenBackend(ctx context.Context, o backend.Options) (store.Backend, error) {
	st, err := AtStore(e.Config, func(db string) (store.Backend, error) { return backend.Open(ctx, db, o) })
	if table, ok := st.(*dynamo.Store); ok && err == nil {
		e.mu.Lock()
		e.table = table
		e.mu.Unlock()
	}
	return st, err
}

// CatalogCache returns the catalog cache of the store at the db setting.
func (e *Env) CatalogCache() (*cached.Cache, error) {
	return AtStore(e.Config, func(db string) (*cached.Cache, error) { return cached.Beside(db), nil })
}

// IndexDir is where the search index is kept, beside the store's catalog
// cache; "" keeps it in memory.
func (e *Env) IndexDir() string {
	if c, err := e.CatalogCache(); err == nil {
		return c.Dir
	}
	return ""
}

// AtStore is what at makes of the path of the store, the db setting: the
// store itself, or a file kept beside it.
func AtStore[T any](cfg *settings.Config, at func(db string) (T, error)) (T, error) {
	db, err := cfg.DBPath(os.Getenv)
	if err != nil {
		var none T
		return none, err
	}
	return at(db)
}

// fetchOptions are the options of a fetch of the configured event.
func (e *Env) fetchOptions(fresh bool) catalog.FetchOptions {
	return catalog.FetchOptions{Event: e.Config.EventFor(e.Config.Source), Location: e.Config.Location, Fresh: fresh}
}

// Fetch reads a whole catalog from src for the configured event, drawing
// progress on a terminal and saying on stderr which sessions the source
// could read only in part, or not at all (what it did not list is logged
// at debug). fresh asks for the catalog as it is now, not the cache's copy
// (docs/configuration.md, max-age).
func (e *Env) Fetch(ctx context.Context, src catalog.Source, fresh bool) (*catalog.Catalog, error) {
	p := render.NewProgress(e.IO.ErrOut, "fetching "+src.Name(), e.Progress())
	fo := e.fetchOptions(fresh)
	if p != nil {
		fo.Progress = p.Update
	}
	cat, err := src.Fetch(ctx, fo)
	p.Done()
	if err != nil {
		return nil, err
	}
	for _, w := range cat.WriteWarnings(e.IO.ErrOut, src.Name()) {
		e.Logger.Debug("session read in part", "detail", w)
	}
	return cat, nil
}

// SaveCache keeps a catalog fetched fresh from a live source in the
// store's cache (a cached.Saver); other sources keep nothing.
func (e *Env) SaveCache(ctx context.Context, src catalog.Source, cat *catalog.Catalog) {
	if s, ok := src.(cached.Saver); ok {
		s.Save(ctx, e.fetchOptions(true), cat)
	}
}

// KeepCatalog hands set the catalog of the configured source for a
// long-running server (cached.Keep), fetching it once from a source that
// is not cached.
func (e *Env) KeepCatalog(ctx context.Context, set func(*catalog.Catalog)) (wait func(), err error) {
	src, err := e.Source()
	if err != nil {
		return nil, err
	}
	fetch := func(ctx context.Context) (*catalog.Catalog, error) { return e.Fetch(ctx, src, false) }
	return cached.Keep(ctx, src, e.fetchOptions(false), fetch, set)
}

// Credentials are the X OAuth 1.0a credentials of the settings.
func (e *Env) Credentials() x.Credentials {
	c := e.Config
	return x.Credentials{
		ConsumerKey: c.XConsumerKey, ConsumerSecret: c.XConsumerSecret,
		AccessToken: c.XAccessToken, AccessTokenSecret: c.XAccessTokenSecret,
	}
}

// XClient returns an X client, or a usage error naming every missing
// credential and where to set it. why is what needs it ("--tweet"); user
// asks for the bot's own credentials too, not only the app's consumer key
// and secret.
func (e *Env) XClient(why string, user bool) (*x.Client, error) {
	cred := e.Credentials()
	missing, what := cred.Missing(), why+" needs the X credentials"
	if !user {
		missing, what = cred.MissingApp(), why+" needs the X app's credentials"
	}
	if len(missing) > 0 {
		return nil, settings.Usage(settings.Missing(what, missing))
	}
	return x.NewClient(e.Config.XAPIURL, cred), nil
}

// Cached is the catalog of the configured source as the store's cache
// last kept it, however old, or the embedded sample for --source sample;
// nil when there is none. Nothing is fetched: shell completion reads it.
func (e *Env) Cached(loc *time.Location) *catalog.Catalog {
	if e.Config.Source == "sample" {
		cat, _ := sample.Source{}.Fetch(context.Background(), catalog.FetchOptions{Location: loc})
		return cat
	}
	cache, err := e.CatalogCache()
	if err != nil {
		return nil
	}
	last, err := cache.Last(e.Config.Source, e.Config.EventFor(e.Config.Source))
	if err != nil {
		return nil
	}
	cat, _ := last.Catalog(loc)
	return cat
}
