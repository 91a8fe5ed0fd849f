package store

import (
	"context"
	"errors"
	"io/fs"
	"os"
)

// OpenExisting opens the store at path like Open, or returns nil and no
// error when there is no file there yet, creating nothing (watch
// --dry-run).
func OpenExisting(ctx context.Context, path string) (*Store, error) {
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	return Open(ctx, path)
}
