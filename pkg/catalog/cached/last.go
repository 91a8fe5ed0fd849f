package cached

import (
	"path/filepath"

	"github.com/reinvent-cli/reinvent/pkg/catalog"
)

// fileKey is the key of a catalog file's copy: its absolute path.
func fileKey(abs string) string { return "file:" + abs }

// Last returns the cache's copy of the catalog of source and event however
// old it is, without fetching or reading anything else: source is a live
// source's name (events-api, portal) or the path of a catalog file. It is
// what shell completion offers, which must never touch the network. An
// error wraps ErrNotFound when there is no copy.
func (c *Cache) Last(source, event string) (*Entry, error) {
	key := source
	if catalog.FileFormat(source) != "" {
		abs, err := filepath.Abs(source)
		if err != nil {
			return nil, err
		}
		key = fileKey(abs)
	}
	return c.Get(key, event)
}
