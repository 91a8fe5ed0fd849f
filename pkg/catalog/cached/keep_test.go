package cached

import (
	"context"
	"errors"
	"testing"

	"github.com/reinvent-cli/reinvent/pkg/catalog"
	"github.com/reinvent-cli/reinvent/pkg/catalog/sample"
)

// keeper is a Keeper that hands set its catalog and records the options.
type keeper struct {
	sample.Source
	cat  *catalog.Catalog
	opts []catalog.FetchOptions
}

func (k *keeper) Keep(_ context.Context, opts catalog.FetchOptions, set func(*catalog.Catalog)) (func(), error) {
	k.opts = append(k.opts, opts)
	set(k.cat)
	return func() {}, nil
}

// TestKeepAnySource: a Keeper keeps the catalog itself, with the options given and
// no fetch; any other source is fetched once, and its error is Keep's.
func TestKeepAnySource(t *testing.T) {
	kept := &catalog.Catalog{Event: "kept"}
	fetched := &catalog.Catalog{Event: "fetched"}
	var got []*catalog.Catalog
	set := func(c *catalog.Catalog) { got = append(got, c) }
	fetches := 0
	fetch := func(context.Context) (*catalog.Catalog, error) { fetches++; return fetched, nil }
	k := &keeper{cat: kept}
	wait, err := Keep(context.Background(), k, catalog.FetchOptions{Event: "reinvent2026"}, fetch, set)
	if err != nil || wait == nil || len(k.opts) != 1 || k.opts[0].Event != "reinvent2026" || fetches != 0 {
		t.Fatalf("Keeper: %v, options %v, %d fetches; want Keep called once with the options, no fetch", err, k.opts, fetches)
	}
	wait, err = Keep(context.Background(), sample.Source{}, catalog.FetchOptions{}, fetch, set)
	if err != nil || wait == nil || fetches != 1 {
		t.Fatalf("plain source: %v, %d fetches", err, fetches)
	}
	wait()
	if len(got) != 2 || got[0] != kept || got[1] != fetched {
		t.Errorf("set got %v, want the kept catalog then the fetched one", got)
	}
	down := errors.New("source down")
	if _, err := Keep(context.Background(), sample.Source{}, catalog.FetchOptions{}, func(context.Context) (*catalog.Catalog, error) { return nil, down }, set); !errors.Is(err, down) || len(got) != 2 {
		t.Errorf("failed fetch: %v, set %d times; want the error and no set", err, len(got))
	}
}
