// Package cached serves a catalog source from the store's catalog cache, so
// that a live catalog is not fetched on every run and a catalog file is
// decoded once (docs/cache.md).
package cached

import (
	"context"
	"errors"
	"log/slog"
	"path/filepath"
	"sync"
	"time"

	"github.com/reinvent-cli/reinvent/pkg/catalog"
	"github.com/reinvent-cli/reinvent/pkg/store"
)

// Stamper is a source whose content can be identified before it is read: a
// catalog file. Stamp returns "" when it cannot be (a FIFO).
type Stamper interface {
	Stamp() (string, error)
}

// Source is a catalog.Source that keeps what Inner fetches in the store's
// catalog cache:
//
//   - a live source is served from the cache while the cached copy is
//     younger than MaxAge;
//   - a file (a Stamper) is served from the cache while the file holds what
//     the cached copy was read from;
//   - with FetchOptions.Fresh the catalog comes from Inner and the cache is
//     left alone: the caller saves it with Save once it has used it (watch
//     saves only what it recorded).
//
// A cached copy that cannot be read is fetched again and saved over.
// Without a usable store, Source fetches from Inner after a warning.
type Source struct {
	Inner catalog.Source
	// Cache returns the store's catalog cache.
	Cache  func() (*store.CatalogCache, error)
	MaxAge time.Duration
	// Now is the clock that ages the cache; nil means time.Now.
	Now    func() time.Time
	Logger *slog.Logger
}

var _ catalog.Source = (*Source)(nil)

// Name is the name of the source behind the cache.
func (s *Source) Name() string { return s.Inner.Name() }

// Fetch returns the catalog from the cache or from Inner, as the type's
// doc says, its sessions normalized with Normalize(opts.Location).
func (s *Source) Fetch(ctx context.Context, opts catalog.FetchOptions) (*catalog.Catalog, error) {
	if opts.Fresh {
		return s.Inner.Fetch(ctx, opts)
	}
	key, stamp, err := s.key()
	if err != nil {
		return nil, err
	}
	if key == "" {
		return s.Inner.Fetch(ctx, opts) // a FIFO: its content cannot be told
	}
	cache, err := s.Cache()
	if err != nil {
		// A file needs no cache: only a live source's user is told.
		if stamp == "" {
			s.logger().Warn("fetching without the catalog cache", "err", err)
		} else {
			s.logger().Debug("reading the file without the catalog cache", "err", err)
		}
		return s.Inner.Fetch(ctx, opts)
	}
	e, err := cache.Get(key, opts.Event)
	switch {
	case err == nil && (e.Stamp == stamp && (stamp != "" || s.now().Sub(e.FetchedAt) < s.MaxAge)):
		cat, err := e.Catalog(opts.Location)
		if err == nil {
			return cat, nil
		}
		s.logger().Info("the cached catalog cannot be read; fetching it again", "err", err)
	case err != nil && errors.Is(err, catalog.ErrBinaryFormat):
		s.logger().Info("the cached catalog cannot be read; fetching it again", "err", err)
	case err != nil && !errors.Is(err, store.ErrNotFound):
		s.logger().Warn("could not read the catalog cache", "err", err)
	}
	cat, err := s.Inner.Fetch(ctx, opts)
	if err != nil {
		return nil, err
	}
	if err := cache.Put(key, opts.Event, stamp, cat); err != nil {
		s.logger().Warn("could not update the catalog cache", "err", err)
	}
	return cat, nil
}

// Save keeps cat, which a fetch with FetchOptions.Fresh returned, as the
// cached copy of a live source: when it differs from the cached copy, or
// that copy is older than half of MaxAge, so that a run that finds nothing
// new writes nothing. A file's catalog is not saved: the next read of the
// file caches it. A failure is a warning, since the cache only saves work.
func (s *Source) Save(ctx context.Context, opts catalog.FetchOptions, cat *catalog.Catalog) {
	if _, ok := s.Inner.(Stamper); ok {
		return
	}
	cache, err := s.Cache()
	if err != nil {
		s.logger().Warn("could not update the catalog cache", "err", err)
		return
	}
	key := s.Inner.Name()
	if e, err := cache.Get(key, opts.Event); err == nil && s.now().Sub(e.FetchedAt) < s.MaxAge/2 {
		if held, err := e.Catalog(nil); err == nil && sameSessions(held, cat) {
			return
		}
	}
	if err := cache.Put(key, opts.Event, "", cat); err != nil {
		s.logger().Warn("could not update the catalog cache", "err", err)
	}
}

// key is the source under which the catalog is cached and, for a file,
// the stamp of its content. The key is "" when the source cannot be
// cached.
func (s *Source) key() (key, stamp string, err error) {
	st, ok := s.Inner.(Stamper)
	if !ok {
		return s.Inner.Name(), "", nil
	}
	if stamp, err = st.Stamp(); err != nil || stamp == "" {
		return "", "", err
	}
	path, err := filepath.Abs(s.Inner.Name())
	if err != nil {
		return "", "", nil
	}
	return "file:" + path, stamp, nil
}

// Keep serves a long-running server: it calls set with the cached catalog
// at once, whatever its age, and then, in the background until ctx ends,
// with a fresh one whenever the catalog in hand is older than MaxAge (at
// most once a minute; a failed fetch is logged and tried again in a
// minute). A file is read once, before Keep returns, and a failure to read
// it is Keep's error. The returned wait waits for the background work.
func (s *Source) Keep(ctx context.Context, opts catalog.FetchOptions, set func(*catalog.Catalog)) (wait func(), err error) {
	if _, ok := s.Inner.(Stamper); ok {
		cat, err := s.Fetch(ctx, opts)
		if err != nil {
			return nil, err
		}
		set(cat)
		return func() {}, nil
	}
	var cur *catalog.Catalog
	if cache, err := s.Cache(); err == nil {
		e, err := cache.Get(s.Inner.Name(), opts.Event)
		if err == nil {
			cur, err = e.Catalog(opts.Location)
		}
		switch {
		case err == nil:
			set(cur)
		case errors.Is(err, catalog.ErrBinaryFormat):
			s.logger().Info("the cached catalog cannot be read; fetching it again", "err", err)
		case !errors.Is(err, store.ErrNotFound):
			s.logger().Warn("could not read the catalog cache", "err", err)
		}
	}
	var wg sync.WaitGroup
	wg.Go(func() {
		every := max(s.MaxAge, time.Minute)
		var wait time.Duration
		if cur != nil {
			wait = cur.FetchedAt.Add(every).Sub(s.now())
		}
		fresh := opts
		fresh.Fresh = true
		for sleep(ctx, wait) {
			cat, err := s.Fetch(ctx, fresh)
			if err == nil {
				s.Save(ctx, opts, cat)
			}
			switch {
			case ctx.Err() != nil:
				return
			case err != nil:
				s.logger().Error("could not refresh the catalog; trying again in a minute", "err", err)
				wait = time.Minute
				continue
			}
			if cat.FetchedAt.IsZero() {
				cat.FetchedAt = s.now()
			}
			set(cat)
			s.logger().Info("catalog refreshed", "sessions", len(cat.Sessions))
			wait = every
		}
	})
	return wg.Wait, nil
}

func (s *Source) now() time.Time {
	if s.Now == nil {
		return time.Now()
	}
	return s.Now()
}

func (s *Source) logger() *slog.Logger {
	if s.Logger == nil {
		return slog.New(slog.DiscardHandler)
	}
	return s.Logger
}

// sameSessions reports whether two catalogs hold the same sessions in the
// same order.
func sameSessions(a, b *catalog.Catalog) bool {
	if len(a.Sessions) != len(b.Sessions) {
		return false
	}
	for i := range a.Sessions {
		if !a.Sessions[i].Equal(&b.Sessions[i]) {
			return false
		}
	}
	return true
}

// sleep waits d (nothing when d <= 0) and reports whether ctx is still
// live.
func sleep(ctx context.Context, d time.Duration) bool {
	if d > 0 {
		t := time.NewTimer(d)
		defer t.Stop()
		select {
		case <-ctx.Done():
		case <-t.C:
		}
	}
	return ctx.Err() == nil
}
