package cached

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/reinvent-cli/reinvent/internal/testenv"
	"github.com/reinvent-cli/reinvent/pkg/catalog"
)

// live is a live source that counts its fetches and serves title.
type live struct {
	fetches atomic.Int32
	title   atomic.Value
	err     error
}

func (l *live) Name() string { return "events-api" }

func (l *live) Fetch(ctx context.Context, o catalog.FetchOptions) (*catalog.Catalog, error) {
	l.fetches.Add(1)
	if l.err != nil {
		return nil, l.err
	}
	title, _ := l.title.Load().(string)
	s := catalog.Session{Code: "SVS401", Title: title, Start: time.Date(2026, 12, 1, 18, 0, 0, 0, time.UTC)}
	s.End = s.Start.Add(time.Hour)
	s.Normalize(o.Location)
	return &catalog.Catalog{Source: "events-api", Event: o.Event, FetchedAt: time.Now(), Sessions: []catalog.Session{s}}, nil
}

type fixture struct {
	src  *Source
	path string
	log  *bytes.Buffer
	now  time.Time
}

func newFixture(t *testing.T, inner catalog.Source) *fixture {
	f := &fixture{path: filepath.Join(t.TempDir(), "reinvent.db"), log: &bytes.Buffer{}, now: time.Now()}
	f.src = &Source{Inner: inner, MaxAge: time.Hour, Now: func() time.Time { return f.now },
		Cache:  func() (Store, error) { return Beside(f.path), nil },
		Logger: slog.New(slog.NewTextHandler(f.log, nil))}
	return f
}

var opts = catalog.FetchOptions{Event: "reinvent2026", Location: testenv.Vegas}

func (f *fixture) fetch(t *testing.T, o catalog.FetchOptions) *catalog.Catalog {
	t.Helper()
	c, err := f.src.Fetch(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func (f *fixture) fetchedAt(t *testing.T) time.Time {
	t.Helper()
	e, err := Beside(f.path).Get("events-api", "reinvent2026")
	if err != nil {
		t.Fatal(err)
	}
	return e.FetchedAt
}

func TestLiveServedWhileYoungerThanMaxAge(t *testing.T) {
	l := &live{}
	l.title.Store("One")
	f := newFixture(t, l)
	if c := f.fetch(t, opts); c.Sessions[0].Title != "One" || l.fetches.Load() != 1 {
		t.Fatalf("first fetch: %q after %d fetches", c.Sessions[0].Title, l.fetches.Load())
	}
	l.title.Store("Two")
	f.now = f.now.Add(59 * time.Minute)
	c := f.fetch(t, opts)
	if c.Sessions[0].Title != "One" || l.fetches.Load() != 1 {
		t.Errorf("within max-age: %q after %d fetches; want the cached One", c.Sessions[0].Title, l.fetches.Load())
	}
	if loc := c.Sessions[0].Start.Location(); loc != testenv.Vegas {
		t.Errorf("cached times are in %v, want the event's zone", loc)
	}
	f.now = f.now.Add(2 * time.Minute)
	if c := f.fetch(t, opts); c.Sessions[0].Title != "Two" || l.fetches.Load() != 2 {
		t.Errorf("past max-age: %q after %d fetches; want a fetch of Two", c.Sessions[0].Title, l.fetches.Load())
	}
}

// A fresh fetch leaves the cache alone; Save then writes only what is new,
// or renews a copy older than half of max-age.
func TestFreshAndSave(t *testing.T) {
	ctx := context.Background()
	l := &live{}
	l.title.Store("One")
	f := newFixture(t, l)
	c := f.fetch(t, catalog.FetchOptions{Event: opts.Event, Location: testenv.Vegas, Fresh: true})
	if _, err := os.Stat(Beside(f.path).Dir); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("a fresh fetch wrote the cache: %v", err)
	}
	c.FetchedAt = f.now
	f.src.Save(ctx, opts, c)
	first := f.fetchedAt(t)

	again := f.fetch(t, catalog.FetchOptions{Event: opts.Event, Location: testenv.Vegas, Fresh: true})
	again.FetchedAt = f.now.Add(time.Minute)
	f.now = f.now.Add(29 * time.Minute)
	f.src.Save(ctx, opts, again)
	if at := f.fetchedAt(t); !at.Equal(first) {
		t.Errorf("the same catalog saved again within half of max-age rewrote the cache (fetched_at %v, was %v)", at, first)
	}
	f.now = f.now.Add(2 * time.Minute)
	f.src.Save(ctx, opts, again)
	if at := f.fetchedAt(t); !at.Equal(again.FetchedAt) {
		t.Errorf("past half of max-age the copy was not renewed: fetched_at %v, want %v", at, again.FetchedAt)
	}
	l.title.Store("Two")
	changed := f.fetch(t, catalog.FetchOptions{Event: opts.Event, Location: testenv.Vegas, Fresh: true})
	f.src.Save(ctx, opts, changed)
	if c := f.fetch(t, opts); c.Sessions[0].Title != "Two" {
		t.Errorf("after saving a change, the cache serves %q", c.Sessions[0].Title)
	}
}

func TestFileCachedWhileUnchanged(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "sessions.json")
	write := func(title string) {
		t.Helper()
		var b bytes.Buffer
		s := catalog.Session{Code: "ARC302", Title: title}
		s.Normalize(nil)
		if err := catalog.WriteJSON(&b, &catalog.Catalog{Source: "x", Event: "reinvent2026", Sessions: []catalog.Session{s}}, nil); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("Original")
	fs, err := catalog.NewFileSource(path)
	if err != nil {
		t.Fatal(err)
	}
	f := newFixture(t, fs)
	if c := f.fetch(t, opts); c.Sessions[0].Title != "Original" {
		t.Fatalf("first read: %q", c.Sessions[0].Title)
	}
	f.now = f.now.Add(24 * time.Hour) // max-age does not apply to a file
	if c := f.fetch(t, opts); c.Sessions[0].Title != "Original" {
		t.Fatalf("cached read: %q", c.Sessions[0].Title)
	}
	write("Changed!") // the same size
	if c := f.fetch(t, opts); c.Sessions[0].Title != "Changed!" {
		t.Errorf("after an edit the cache served %q", c.Sessions[0].Title)
	}
	// A damaged file is an error even when an earlier content is cached.
	if err := os.WriteFile(path, []byte("{"), 0o644); err != nil {
		t.Fatal(err)
	}
	if c, err := f.src.Fetch(context.Background(), opts); err == nil {
		t.Errorf("a damaged file read as %+v", c)
	}
	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
	if _, err := f.src.Fetch(context.Background(), opts); err == nil || !strings.Contains(err.Error(), "check the --source path") {
		t.Errorf("a missing file: %v", err)
	}
}

// A cached copy that cannot be read is fetched again and saved over; a
// store that cannot be opened means a fetch without the cache, said once.
func TestUnreadableCacheAndStore(t *testing.T) {
	l := &live{}
	l.title.Store("One")
	f := newFixture(t, l)
	if err := Beside(f.path).Put("events-api", "reinvent2026", "", &catalog.Catalog{FetchedAt: f.now}); err != nil {
		t.Fatal(err)
	}
	corrupt(t, Beside(f.path).Dir)
	if c := f.fetch(t, opts); len(c.Sessions) != 1 || l.fetches.Load() != 1 {
		t.Fatalf("an unreadable cache gave %d sessions after %d fetches", len(c.Sessions), l.fetches.Load())
	}
	if c := f.fetch(t, opts); len(c.Sessions) != 1 || l.fetches.Load() != 1 {
		t.Errorf("the rebuilt cache was not used: %d fetches", l.fetches.Load())
	}

	// Another run, whose store cannot be opened (a Source keeps the
	// cache it opened).
	f.src = &Source{Inner: f.src.Inner, MaxAge: f.src.MaxAge, Now: f.src.Now, Logger: f.src.Logger,
		Cache: func() (Store, error) { return nil, errors.New("disk on fire") }}
	if c := f.fetch(t, opts); len(c.Sessions) != 1 || !strings.Contains(f.log.String(), "fetching without the catalog cache") {
		t.Errorf("without a store: %d sessions, log %q", len(c.Sessions), f.log.String())
	}
}

// Keep serves the cached copy at once and a fresh one when it is old.
func TestKeep(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	l := &live{}
	l.title.Store("Cached")
	f := newFixture(t, l)
	f.fetch(t, opts)
	l.title.Store("Fresh")
	f.now = f.now.Add(3 * time.Hour)
	got := make(chan string, 4)
	wait, err := f.src.Keep(ctx, opts, func(c *catalog.Catalog) { got <- c.Sessions[0].Title })
	if err != nil {
		t.Fatal(err)
	}
	if first, second := <-got, <-got; first != "Cached" || second != "Fresh" {
		t.Errorf("Keep set %q then %q; want Cached then Fresh", first, second)
	}
	cancel()
	wait()
	e, err := Beside(f.path).Get("events-api", "reinvent2026")
	if err != nil {
		t.Fatal(err)
	}
	if c, err := e.Catalog(nil); err != nil || c.Sessions[0].Title != "Fresh" {
		t.Errorf("the refresh was not saved: cache holds %v (%v)", c, err)
	}
}

// file is a catalog file whose metadata, change time and content the test
// sets, counting how often its bytes are read.
type file struct {
	meta    string
	changed time.Time
	title   string
	sums    int // reads of the bytes to check them
	fetches int
}

func (f *file) Name() string { return "/catalogs/sessions.json" }
func (f *file) Fetch(ctx context.Context, o catalog.FetchOptions) (*catalog.Catalog, error) {
	c, _, err := f.FetchSum(ctx, o)
	return c, err
}
func (f *file) Stamp() (string, time.Time, error) { return f.meta, f.changed, nil }
func (f *file) Sum() (string, error)              { f.sums++; return "sum of " + f.title, nil }
func (f *file) FetchSum(_ context.Context, o catalog.FetchOptions) (*catalog.Catalog, string, error) {
	f.fetches++
	s := catalog.Session{Code: "ARC302", Title: f.title}
	s.Normalize(o.Location)
	return &catalog.Catalog{Sessions: []catalog.Session{s}}, "sum of " + f.title, nil
}

// A file that had settled when its copy was saved is vouched for by its
// metadata alone; any doubt (new metadata, a change too close to the save)
// is settled by its bytes.
func TestFileStampAndSum(t *testing.T) {
	ff := &file{meta: "m1", title: "One"}
	f := newFixture(t, ff)
	ff.changed = f.now.Add(-time.Hour)
	check := func(what, title string, sums, fetches int) {
		t.Helper()
		ff.sums, ff.fetches = 0, 0
		if c := f.fetch(t, opts); c.Sessions[0].Title != title || ff.sums != sums || ff.fetches != fetches {
			t.Errorf("%s: %q after %d sums and %d reads; want %q, %d, %d", what, c.Sessions[0].Title, ff.sums, ff.fetches, title, sums, fetches)
		}
	}
	check("first read", "One", 0, 1)
	check("settled, same metadata", "One", 0, 0)

	ff.meta, ff.title, ff.changed = "m2", "Two", f.now
	check("changed", "Two", 1, 1)
	// Saved within a second of the change: the metadata does not vouch
	// until the file has settled, and then it is saved again.
	check("same metadata, changed just before the save", "Two", 1, 0)
	f.now = f.now.Add(2 * time.Second)
	check("settled since", "Two", 1, 0)
	check("settled and saved again", "Two", 0, 0)

	f.now = f.now.Add(time.Minute)
	ff.meta = "m3" // touched: new times, the same bytes
	check("touched", "Two", 1, 0)
	check("after the touch, settled", "Two", 0, 0)
}

// The store's cache is opened when first needed and kept: fetches and
// saves open it once (a DynamoDB table's costs requests); an open that
// failed is tried again the next time.
func TestCacheOpenedOnce(t *testing.T) {
	l := &live{}
	f := newFixture(t, l)
	var opens atomic.Int32
	fail := true
	f.src.Cache = func() (Store, error) {
		opens.Add(1)
		if fail {
			fail = false
			return nil, errors.New("table out of reach")
		}
		return Beside(f.path), nil
	}
	f.fetch(t, opts) // the cache out of reach: fetched from the source
	f.fetch(t, opts)
	f.now = f.now.Add(2 * time.Hour)
	fresh := f.fetch(t, catalog.FetchOptions{Event: opts.Event, Location: opts.Location, Fresh: true})
	f.src.Save(context.Background(), opts, fresh)
	f.fetch(t, opts)
	if n := opens.Load(); n != 2 {
		t.Errorf("the cache was opened %d times, want 2 (the failed open, then once)", n)
	}
}
