package setup

import (
	"context"
	"log/slog"

	"github.com/reinvent-cli/reinvent/pkg/catalog"
	"github.com/reinvent-cli/reinvent/pkg/catalog/eventsapi"
	"github.com/reinvent-cli/reinvent/pkg/iostreams"
	"github.com/reinvent-cli/reinvent/pkg/mcpserver"
	"github.com/reinvent-cli/reinvent/pkg/reserve"
	"github.com/reinvent-cli/reinvent/pkg/settings"
	"github.com/reinvent-cli/reinvent/pkg/store"
	"github.com/reinvent-cli/reinvent/pkg/store/backend"
	"github.com/reinvent-cli/reinvent/pkg/watch"
	"github.com/reinvent-cli/reinvent/pkg/x"
)

// Deps are what a command works with: the streams, the settings, and the
// functions that reach the source, the stores, the AWS Events API and X.
// A command's options embed them, so that a test can hand it fakes; Env.Deps
// gives the real ones.
type Deps struct {
	IO     *iostreams.IOStreams
	Config *settings.Config
	// Logger is set when the command runs, once the settings are read.
	Logger *slog.Logger
	// Source returns the catalog source the settings name.
	Source func() (catalog.Source, error)
	// Fetch fetches the catalog of a source, from the store's cache when
	// its copy will do and fresh is false.
	Fetch func(ctx context.Context, src catalog.Source, fresh bool) (*catalog.Catalog, error)
	// SaveCache keeps a catalog fetched fresh in the store's cache.
	SaveCache func(ctx context.Context, src catalog.Source, cat *catalog.Catalog)
	// KeepCatalog hands set the catalog, and a fresh one when it is old,
	// for as long as a server runs.
	KeepCatalog func(ctx context.Context, set func(*catalog.Catalog)) (wait func(), err error)
	OpenStore   func(ctx context.Context) (*store.Store, error)
	// OpenBackend opens the store at the db setting, SQLite or DynamoDB.
	OpenBackend func(ctx context.Context, o backend.Options) (store.Backend, error)
	// Account returns the AWS Events API with the stored sign-in.
	Account   func() (*eventsapi.Catalog, error)
	TokenFile func() (*eventsapi.TokenFile, error)
	// IndexDir is where the search index is kept ("" in memory).
	IndexDir func() string
	// XClient returns an X client (Env.XClient).
	XClient     func(why string, user bool) (*x.Client, error)
	Credentials func() x.Credentials
}

// Deps are the real functions of e.
func (e *Env) Deps() Deps {
	return Deps{IO: e.IO, Config: e.Config, Source: e.Source, Fetch: e.Fetch, SaveCache: e.SaveCache,
		KeepCatalog: e.KeepCatalog, OpenStore: e.OpenStore, OpenBackend: e.OpenBackend, Account: e.Account,
		TokenFile: e.TokenFile, IndexDir: e.IndexDir, XClient: e.XClient, Credentials: e.Credentials}
}

// Catalog fetches the catalog of the configured source, from the store's
// cache when its copy will do and fresh is false, and returns the source.
func (d Deps) Catalog(ctx context.Context, fresh bool) (catalog.Source, *catalog.Catalog, error) {
	src, err := d.Source()
	if err != nil {
		return nil, nil, err
	}
	cat, err := d.Fetch(ctx, src, fresh)
	return src, cat, err
}

// EventsAccount is Account when the source is the AWS Events API, else nil.
func (d Deps) EventsAccount() (*eventsapi.Catalog, error) {
	if d.Config.Source != "events-api" {
		return nil, nil
	}
	return d.Account()
}

// PlanDeps are what a plan reads: the catalog of src (fresh, or the cache's
// copy when it will do) and, when the AWS Events API is the source, the
// account whose seats and personal time it works around.
func (d Deps) PlanDeps(src catalog.Source, fresh bool) reserve.PlanDeps {
	pd := reserve.PlanDeps{Fetch: func(ctx context.Context) (*catalog.Catalog, error) { return d.Fetch(ctx, src, fresh) }}
	if d.Config.Source == "events-api" && d.Account != nil {
		pd.Account = accountAs[reserve.Holder](d.Account)
	}
	return pd
}

// Watch is what a run of watch reads and where it records: the catalog of
// the configured source fetched fresh (and kept in the cache), the store
// st (nil for none), the poster; and wo with the configured event, source
// and zone.
func (d Deps) Watch(st store.Watch, poster watch.Poster, wo watch.Options) (watch.Deps, watch.Options, error) {
	src, err := d.Source()
	if err != nil {
		return watch.Deps{}, watch.Options{}, err
	}
	cfg := d.Config
	wo.Event, wo.Source, wo.Location = cfg.EventFor(cfg.Source), src.Name(), cfg.Location
	return watch.Deps{Store: st, Poster: poster, Logger: d.Logger,
		Fetch:     func(ctx context.Context) (*catalog.Catalog, error) { return d.Fetch(ctx, src, true) },
		SaveCache: func(ctx context.Context, cat *catalog.Catalog) { d.SaveCache(ctx, src, cat) },
	}, wo, nil
}

// MCP are the MCP server's reads and writes: the source's catalog, kept in
// memory and fresh (cached.Keep), as serve-webhook keeps it; the AWS Events
// API's account when it is the source; the store.
func (d Deps) MCP(src catalog.Source) mcpserver.Deps {
	md := mcpserver.Deps{
		Fetch:       func(ctx context.Context, fresh bool) (*catalog.Catalog, error) { return d.Fetch(ctx, src, fresh) },
		OpenStore:   d.OpenStore,
		SearchDir:   d.IndexDir(),
		KeepCatalog: d.KeepCatalog,
	}
	if d.Config.Source == "events-api" && d.Account != nil {
		md.Account = accountAs[mcpserver.Account](d.Account)
	}
	return md
}

// accountAs is account as the interface T of what a package needs of it:
// an error, never a nil *eventsapi.Catalog that looks like an account.
func accountAs[T any](account func() (*eventsapi.Catalog, error)) func() (T, error) {
	return func() (T, error) {
		a, err := account()
		if err != nil {
			var none T
			return none, err
		}
		return any(a).(T), nil
	}
}

// PlanOptions are po in the settings' zone, for the AWS Events API's
// event of the settings.
func (d Deps) PlanOptions(po reserve.PlanOptions) reserve.PlanOptions {
	po.Event, po.Plan.Location = d.Config.EventFor("events-api"), d.Config.Location
	return po
}

// AccountWrites opens what favorite and cancel write with: the AWS Events
// API's account, the store of the journal, and the catalog (the cache's
// copy when it will do). On another source, for a dry run, the catalog
// stands in for the account (reserve.CatalogAccount).
func (d Deps) AccountWrites(ctx context.Context) (reserve.Writer, *store.Store, *catalog.Catalog, error) {
	events, err := d.EventsAccount()
	if err != nil {
		return nil, nil, nil, err
	}
	_, cat, err := d.Catalog(ctx, false)
	if err != nil {
		return nil, nil, nil, err
	}
	st, err := d.OpenStore(ctx)
	if err != nil {
		return nil, nil, nil, err
	}
	if events != nil {
		return events, st, cat, nil
	}
	return reserve.CatalogAccount{Sessions: cat.Sessions}, st, cat, nil
}

// WatchTweet returns one run of watch --tweet on st, as reinvent watch
// --tweet runs it, its report logged: the Lambda schedule handler's watch.
func (d Deps) WatchTweet(st store.Watch, poster watch.Poster) func(context.Context) error {
	return func(ctx context.Context) error {
		wd, wo, err := d.Watch(st, poster, watch.Options{Tweet: true})
		if err != nil {
			return err
		}
		r, err := watch.Run(ctx, wd, wo)
		if r != nil {
			d.Logger.Info("watch run", "fetched", r.Fetched, "baseline", r.Baseline, "posted", r.Done, "pending", r.Pending, "failed", r.Failed)
		}
		return err
	}
}

// ReserveAccount is the AWS Events API's account as reserve.Run writes
// to it when it is the source; else nil, and a run plans around the
// catalog's reserved sessions.
func (d Deps) ReserveAccount() (reserve.Account, error) {
	if d.Config.Source != "events-api" {
		return nil, nil
	}
	return accountAs[reserve.Account](d.Account)()
}
