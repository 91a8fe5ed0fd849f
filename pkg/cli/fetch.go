package cli

import (
	"context"
	"os"

	"github.com/reinvent-cli/reinvent/pkg/catalog"
	"github.com/reinvent-cli/reinvent/pkg/catalog/cached"
	"github.com/reinvent-cli/reinvent/pkg/catalog/eventsapi"
	"github.com/reinvent-cli/reinvent/pkg/render"
	"github.com/reinvent-cli/reinvent/pkg/reserve"
	"github.com/reinvent-cli/reinvent/pkg/store"
	"github.com/reinvent-cli/reinvent/pkg/store/backend"
)

// openStore opens the SQLite store at the db setting, creating it when
// missing. A file that is not a store, or one of a newer reinvent, is an
// error that leaves the file as it was.
func (f *Factory) openStore(ctx context.Context) (*store.Store, error) {
	return f.openStoreWith(ctx, store.Open)
}

// openStoreWith opens the store at the db setting with open.
func (f *Factory) openStoreWith(ctx context.Context, open func(context.Context, string) (*store.Store, error)) (*store.Store, error) {
	return atStore(f.Config, func(db string) (*store.Store, error) { return open(ctx, db) })
}

// openBackend opens the store at the db setting for the commands that run
// on either store (watch, serve-webhook, lambda): backend.Open.
func (f *Factory) openBackend(ctx context.Context, o backend.Options) (store.Backend, error) {
	return atStore(f.Config, func(db string) (store.Backend, error) { return backend.Open(ctx, db, o) })
}

// catalogCache returns the catalog cache of the store at the db setting.
func (f *Factory) catalogCache() (*cached.Cache, error) {
	return atStore(f.Config, func(db string) (*cached.Cache, error) { return cached.Beside(db), nil })
}

// atStore is what at makes of the path of the store, the db setting: the
// store itself, or a file kept beside it.
func atStore[T any](cfg *Config, at func(db string) (T, error)) (T, error) {
	db, err := cfg.DBPath(os.Getenv)
	if err != nil {
		var none T
		return none, err
	}
	return at(db)
}

// fetchOptions are the options of a fetch of the configured event.
func (f *Factory) fetchOptions(fresh bool) catalog.FetchOptions {
	return catalog.FetchOptions{Event: f.Config.EventFor(f.Config.Source), Location: f.Config.Location, Fresh: fresh}
}

// fetch reads a whole catalog from src for the configured event, drawing
// progress on a terminal and saying on stderr which sessions the source
// could read only in part, or not at all (what it did not list is logged
// at debug). fresh asks for the catalog as it is now, not the cache's copy
// (docs/configuration.md, max-age).
func (f *Factory) fetch(ctx context.Context, src catalog.Source, fresh bool) (*catalog.Catalog, error) {
	p := render.NewProgress(f.IO.ErrOut, "fetching "+src.Name(), f.showProgress())
	fo := f.fetchOptions(fresh)
	if p != nil {
		fo.Progress = p.Update
	}
	cat, err := src.Fetch(ctx, fo)
	p.Done()
	if err != nil {
		return nil, err // ExitCode classifies it
	}
	for _, w := range cat.WriteWarnings(f.IO.ErrOut, src.Name()) {
		f.Logger.Debug("session read in part", "detail", w)
	}
	return cat, nil
}

// saveCache keeps a catalog fetched fresh from a live source in the
// store's cache (a cached.Saver); other sources keep nothing.
func (f *Factory) saveCache(ctx context.Context, src catalog.Source, cat *catalog.Catalog) {
	if s, ok := src.(cached.Saver); ok {
		s.Save(ctx, f.fetchOptions(true), cat)
	}
}

// keepCatalog hands set the catalog of the configured source for a
// long-running server (cached.Keep), fetching it once from a source that
// is not cached.
func (f *Factory) keepCatalog(ctx context.Context, set func(*catalog.Catalog)) (wait func(), err error) {
	src, err := f.Source()
	if err != nil {
		return nil, err
	}
	fetch := func(ctx context.Context) (*catalog.Catalog, error) { return f.fetch(ctx, src, false) }
	return cached.Keep(ctx, src, f.fetchOptions(false), fetch, set)
}

// CatalogDeps are what a command that reads the catalog, and maybe your
// account, works with: the streams, the settings, and the functions that
// reach the source, the store and the AWS Events API. A command's Options
// embed them, so that a test can hand it fakes.
type CatalogDeps struct {
	IO     *IOStreams
	Config *Config
	// Source returns the catalog source the settings name, once they are
	// read.
	Source func() (catalog.Source, error)
	// Fetch fetches the catalog of a source, from the store's cache when
	// its copy will do and fresh is false.
	Fetch func(ctx context.Context, src catalog.Source, fresh bool) (*catalog.Catalog, error)
	// SaveCache keeps a catalog fetched fresh in the store's cache.
	SaveCache func(ctx context.Context, src catalog.Source, cat *catalog.Catalog)
	OpenStore func(ctx context.Context) (*store.Store, error)
	// Account returns the AWS Events API with the stored sign-in.
	Account func() (*eventsapi.Catalog, error)
}

// catalog fetches the catalog of the configured source, from the store's
// cache when its copy will do and fresh is false, and returns the source.
func (d CatalogDeps) catalog(ctx context.Context, fresh bool) (catalog.Source, *catalog.Catalog, error) {
	src, err := d.Source()
	if err != nil {
		return nil, nil, err
	}
	cat, err := d.Fetch(ctx, src, fresh)
	return src, cat, err
}

// account is Account when the source is the AWS Events API, else nil.
func (d CatalogDeps) account() (*eventsapi.Catalog, error) {
	if d.Config.Source != "events-api" {
		return nil, nil
	}
	return d.Account()
}

// plan is what a plan reads: the catalog of src (fresh, or the cache's
// copy when it will do) and, when the AWS Events API is the source, the
// account whose seats and personal time it works around.
func (d CatalogDeps) plan(src catalog.Source, fresh bool) reserve.PlanDeps {
	pd := reserve.PlanDeps{Fetch: func(ctx context.Context) (*catalog.Catalog, error) { return d.Fetch(ctx, src, fresh) }}
	if d.Config.Source == "events-api" && d.Account != nil {
		pd.Account = func() (reserve.Holder, error) {
			a, err := d.Account()
			if err != nil {
				return nil, err // not a nil *eventsapi.Catalog in an interface
			}
			return a, nil
		}
	}
	return pd
}

// catalogDeps are the Factory's CatalogDeps.
func (f *Factory) catalogDeps() CatalogDeps {
	return CatalogDeps{IO: f.IO, Config: f.Config, Source: func() (catalog.Source, error) { return f.Source() },
		Fetch: f.fetch, SaveCache: f.saveCache, OpenStore: f.openStore, Account: f.eventsAccount}
}
