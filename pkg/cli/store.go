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
	cat, err := st.LoadCatalog(ctx, src.Name(), event)
	switch {
	case err == nil && now.Sub(cat.FetchedAt) < cfg.MaxAge:
		for i := range cat.Sessions {
			cat.Sessions[i].Normalize(cfg.Location)
		}
		return cat, nil
	case err != nil && !errors.Is(err, store.ErrNotFound):
		f.Logger.Warn("could not read the catalog cache", "err", err)
	}
	cat, err = fetch(ctx, f, src)
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
