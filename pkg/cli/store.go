package cli

import (
	"context"
	"errors"
	"os"
	"time"

	"github.com/reinvent-cli/reinvent/pkg/catalog"
	"github.com/reinvent-cli/reinvent/pkg/store"
)

// openStore opens the SQLite store at the db setting, creating it when
// missing. A file that is not a store, or one of a newer reinvent, is an
// error that leaves the file as it was.
func (f *Factory) openStore(ctx context.Context) (*store.Store, error) {
	path, err := f.Config.DBPath(os.Getenv)
	if err != nil {
		return nil, err
	}
	return store.Open(ctx, path)
}

// saveCache stores a freshly fetched catalog of a live source for
// schedule and serve-webhook. The cache only saves work, so a failure is a
// warning.
func (f *Factory) saveCache(ctx context.Context, st *store.Store, source, event string, cat *catalog.Catalog) {
	if err := st.SaveCatalog(ctx, source, event, cat); err != nil {
		f.Logger.Warn("could not update the catalog cache", "err", err)
	}
}

// loadCache returns the cached catalog of src for the configured event,
// its sessions in the configured zone; store.ErrNotFound when none is.
func (f *Factory) loadCache(ctx context.Context, st *store.Store, src catalog.Source) (*catalog.Catalog, error) {
	cat, err := st.LoadCatalog(ctx, src.Name(), f.Config.EventFor(f.Config.Source))
	if err != nil {
		return nil, err
	}
	for i := range cat.Sessions {
		cat.Sessions[i].Normalize(f.Config.Location)
	}
	return cat, nil
}

// fetchCached returns the catalog of src: from the store's cache when the
// source is live and the cached copy is younger than max-age, else fetched
// (and, for a live source, cached). Without a usable store it just fetches.
func fetchCached(ctx context.Context, f *Factory, src catalog.Source, now time.Time) (*catalog.Catalog, error) {
	cfg := f.Config
	if !isLive(cfg.Source) {
		return fetch(ctx, f, src)
	}
	event := cfg.EventFor(cfg.Source)
	st, err := f.openStore(ctx)
	if err != nil {
		f.Logger.Warn("fetching without the catalog cache", "err", err)
		return fetch(ctx, f, src)
	}
	defer st.Close()
	// The age is one column; the catalog is decoded only when it will do.
	at, err := st.CatalogFetchedAt(ctx, src.Name(), event)
	if err == nil && now.Sub(at) < cfg.MaxAge {
		var cat *catalog.Catalog
		if cat, err = f.loadCache(ctx, st, src); err == nil {
			return cat, nil
		}
	}
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		f.Logger.Warn("could not read the catalog cache", "err", err)
	}
	cat, err := fetch(ctx, f, src)
	if err != nil {
		return nil, err
	}
	f.saveCache(ctx, st, src.Name(), event, cat)
	return cat, nil
}

// refreshCache stores a catalog that download fetched from a live source.
func refreshCache(ctx context.Context, f *Factory, src catalog.Source, cat *catalog.Catalog) {
	if !isLive(f.Config.Source) {
		return
	}
	st, err := f.openStore(ctx)
	if err != nil {
		f.Logger.Warn("could not update the catalog cache", "err", err)
		return
	}
	defer st.Close()
	f.saveCache(ctx, st, src.Name(), f.Config.EventFor(f.Config.Source), cat)
}
