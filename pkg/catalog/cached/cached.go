// Package cached serves a catalog source from the store's catalog cache, so
// that a live catalog is not fetched on every run and a catalog file is
// decoded once (docs/cache.md).
package cached

import (
	"context"
	"errors"
	"log/slog"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/reinvent-cli/reinvent/pkg/catalog"
)

// Stamper is a source whose content can be told before it is decoded: a
// catalog file (catalog.FileSource). Stamp identifies it by its metadata
// ("" when it cannot be, as for a FIFO) and says when it last changed; Sum
// is a checksum of its bytes; FetchSum fetches it with the Sum of the bytes
// it decoded.
type Stamper interface {
	Stamp() (meta string, changed time.Time, err error)
	Sum() (string, error)
	FetchSum(ctx context.Context, opts catalog.FetchOptions) (*catalog.Catalog, string, error)
}

// settle is how long a file must have been left unchanged, when its copy
// was saved, for its metadata alone to vouch for its content. File times
// are coarse (a few milliseconds), so a second change in the same tick as
// the first could leave them as they were; after settle, any change moves
// the change time.
const settle = time.Second

// Source is a catalog.Source that keeps what Inner fetches in the store's
// catalog cache:
//
//   - a live source is served from the cache while the cached copy is
//     younger than MaxAge;
//   - a file (a Stamper) is served from the cache while the file holds what
//     the cached copy was read from: its metadata (size, times, inode) are
//     the same and it had settled when the copy was saved, or else its
//     bytes have the same checksum;
//   - with FetchOptions.Fresh the catalog comes from Inner and the cache is
//     left alone: the caller saves it with Save once it has used it (watch
//     saves only what it recorded).
//
// A cached copy that cannot be read is fetched again and saved over.
// Without a usable store, Source fetches from Inner after a warning.
type Source struct {
	Inner catalog.Source
	// Cache returns the store's catalog cache. It is called when the
	// cache is first needed, and again only until it succeeds (opening
	// a DynamoDB table's cache costs requests: docs/serverless.md).
	Cache  func() (Store, error)
	MaxAge time.Duration
	// Now is the clock that ages the cache; nil means time.Now.
	Now    func() time.Time
	Logger *slog.Logger

	mu     sync.Mutex
	opened Store
}

// cache returns the store's catalog cache, opened once.
func (s *Source) cache() (Store, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.opened != nil {
		return s.opened, nil
	}
	c, err := s.Cache()
	if err == nil {
		s.opened = c
	}
	return c, err
}

// Saver is a source that keeps a catalog fetched with FetchOptions.Fresh
// once its caller has used it, as Source.Save does.
type Saver interface {
	Save(ctx context.Context, opts catalog.FetchOptions, cat *catalog.Catalog)
}

// Keeper is a source that keeps a long-running server's catalog fresh, as
// Source.Keep does.
type Keeper interface {
	Keep(ctx context.Context, opts catalog.FetchOptions, set func(*catalog.Catalog)) (wait func(), err error)
}

// Keep hands set the catalog of src for a long-running server: through
// src's Keep when it is a Keeper (the cached copy at once, a fresh one
// whenever it is older than max-age), else what fetch returns, once.
func Keep(ctx context.Context, src catalog.Source, opts catalog.FetchOptions, fetch func(context.Context) (*catalog.Catalog, error), set func(*catalog.Catalog)) (wait func(), err error) {
	if k, ok := src.(Keeper); ok {
		return k.Keep(ctx, opts, set)
	}
	cat, err := fetch(ctx)
	if err != nil {
		return nil, err
	}
	set(cat)
	return func() {}, nil
}

var (
	_ catalog.Source = (*Source)(nil)
	_ Saver          = (*Source)(nil)
	_ Keeper         = (*Source)(nil)
)

// Name is the name of the source behind the cache.
func (s *Source) Name() string { return s.Inner.Name() }

// Fetch returns the catalog from the cache or from Inner, as the type's
// doc says, its sessions normalized with Normalize(opts.Location).
func (s *Source) Fetch(ctx context.Context, opts catalog.FetchOptions) (*catalog.Catalog, error) {
	if opts.Fresh {
		return s.Inner.Fetch(ctx, opts)
	}
	if file, ok := s.Inner.(Stamper); ok {
		return s.fetchFile(ctx, file, opts)
	}
	cache, err := s.cache()
	if err != nil {
		s.logger().Warn("fetching without the catalog cache", "err", err)
		return s.Inner.Fetch(ctx, opts)
	}
	key := s.Inner.Name()
	e, err := cache.Get(key, opts.Event)
	if err == nil && s.now().Sub(e.FetchedAt) < s.MaxAge {
		var cat *catalog.Catalog
		if cat, err = e.Catalog(opts.Location); err == nil {
			return cat, nil
		}
	}
	s.cacheTrouble(err, slog.LevelWarn)
	cat, err := s.Inner.Fetch(ctx, opts)
	if err != nil {
		return nil, err
	}
	if err := cache.Put(key, opts.Event, "", cat); err != nil {
		s.logger().Warn("could not update the catalog cache", "err", err)
	}
	return cat, nil
}

// fetchFile serves a catalog file from the cache while it holds what the
// cached copy was read from.
func (s *Source) fetchFile(ctx context.Context, file Stamper, opts catalog.FetchOptions) (*catalog.Catalog, error) {
	meta, changed, err := file.Stamp()
	if err != nil {
		return nil, err
	}
	path, perr := filepath.Abs(s.Inner.Name())
	if meta == "" || perr != nil {
		return s.Inner.Fetch(ctx, opts) // a FIFO: its content cannot be told
	}
	cache, err := s.cache()
	if err != nil {
		s.logger().Debug("reading the file without the catalog cache", "err", err)
		return s.Inner.Fetch(ctx, opts)
	}
	key := fileKey(path)
	e, err := cache.Get(key, opts.Event)
	if err == nil {
		held, sum, saved, ok := parseFileStamp(e.Stamp)
		vouched := ok && held == meta && changed.Before(saved.Add(-settle))
		same := vouched
		if !same && ok {
			cur, serr := file.Sum()
			same = serr == nil && cur == sum
		}
		if same {
			var cat *catalog.Catalog
			if cat, err = e.Catalog(opts.Location); err == nil {
				// The bytes vouched (a touch, or a save too soon after a
				// change): once the file has settled, save the metadata
				// again so that the next run needs only a stat.
				if !vouched && changed.Before(s.now().Add(-settle)) {
					s.putFile(cache, key, meta, sum, opts, cat)
				}
				return cat, nil
			}
		}
	}
	s.cacheTrouble(err, slog.LevelDebug)
	cat, sum, err := file.FetchSum(ctx, opts)
	if err != nil {
		return nil, err
	}
	s.putFile(cache, key, meta, sum, opts, cat)
	return cat, nil
}

// putFile saves a file's catalog under its stamp: the metadata taken
// before it was read, the sum of the bytes decoded, and when. A file needs
// no cache, so a failure is only logged at debug level.
func (s *Source) putFile(cache Store, key, meta, sum string, opts catalog.FetchOptions, cat *catalog.Catalog) {
	stamp := meta + "|" + sum + "|" + strconv.FormatInt(s.now().UnixNano(), 10)
	if err := cache.Put(key, opts.Event, stamp, cat); err != nil {
		s.logger().Debug("could not update the catalog cache", "err", err)
	}
}

// parseFileStamp splits what putFile wrote.
func parseFileStamp(stamp string) (meta, sum string, saved time.Time, ok bool) {
	parts := strings.Split(stamp, "|")
	if len(parts) != 3 {
		return "", "", time.Time{}, false
	}
	ns, err := strconv.ParseInt(parts[2], 10, 64)
	if err != nil {
		return "", "", time.Time{}, false
	}
	return parts[0], parts[1], time.Unix(0, ns), true
}

// cacheTrouble logs why a cached copy could not be used, if it was more
// than there being none, at level when the cache itself is in trouble.
func (s *Source) cacheTrouble(err error, level slog.Level) {
	switch {
	case err == nil, errors.Is(err, ErrNotFound):
	case errors.Is(err, catalog.ErrBinaryFormat):
		s.logger().Info("the cached catalog cannot be read; fetching it again", "err", err)
	default:
		s.logger().Log(context.Background(), level, "could not read the catalog cache", "err", err)
	}
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
	cache, err := s.cache()
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
	if cache, err := s.cache(); err == nil {
		e, err := cache.Get(s.Inner.Name(), opts.Event)
		if err == nil {
			cur, err = e.Catalog(opts.Location)
		}
		switch {
		case err == nil:
			set(cur)
		case errors.Is(err, catalog.ErrBinaryFormat):
			s.logger().Info("the cached catalog cannot be read; fetching it again", "err", err)
		case !errors.Is(err, ErrNotFound):
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
