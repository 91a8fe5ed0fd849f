package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/reinvent-cli/reinvent/pkg/catalog"
)

// SaveCatalog replaces the cached catalog of source and event with cat, in
// catalog.EncodeBinary's form, the one that loads fastest
// (docs/performance.md, "The load path").
func (s *Store) SaveCatalog(ctx context.Context, source, event string, cat *catalog.Catalog) error {
	return s.SaveCatalogOver(ctx, source, event, "", cat)
}

// SaveCatalogOver is SaveCatalog that also removes, in the same
// transaction, the other cached catalogs of event whose source starts with
// over (nothing when over is ""). A file's catalog is cached under a
// source that names the file and its content, so the catalog of its new
// content replaces that of the old.
func (s *Store) SaveCatalogOver(ctx context.Context, source, event, over string, cat *catalog.Catalog) error {
	data := catalog.EncodeBinary(cat)
	err := s.write(ctx, func(tx *sql.Tx) error {
		if over != "" {
			if _, err := tx.ExecContext(ctx, `DELETE FROM catalogs WHERE event = ? AND substr(CAST(source AS BLOB), 1, ?) = CAST(? AS BLOB) AND source != ?`,
				event, len(over), over, source); err != nil {
				return err
			}
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO catalogs (source, event, fetched_at, sessions, data) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (source, event) DO UPDATE SET
			fetched_at = excluded.fetched_at, sessions = excluded.sessions, data = excluded.data`,
			source, event, nanos(cat.FetchedAt), len(cat.Sessions), data)
		return err
	})
	if err != nil {
		return fmt.Errorf("cache catalog of %s from %s: %w", event, source, err)
	}
	return nil
}

// LoadCatalog returns the cached catalog of source and event, or an error
// wrapping ErrNotFound. Its FetchedAt tells how old it is; session times
// keep the instants (and offsets) they were saved with. A cached catalog
// that cannot be read (damaged, or of another version) is an error wrapping
// catalog.ErrBinaryFormat: fetch it again and save it over.
func (s *Store) LoadCatalog(ctx context.Context, source, event string) (*catalog.Catalog, error) {
	var data []byte
	err := s.db.QueryRowContext(ctx, `SELECT data FROM catalogs WHERE source = ? AND event = ?`, source, event).Scan(&data)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("cached catalog of %s from %s: %w", event, source, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("read cached catalog of %s from %s: %w", event, source, err)
	}
	cat, err := catalog.DecodeBinary(data, nil)
	if err != nil {
		return nil, fmt.Errorf("cached catalog of %s from %s: %w", event, source, err)
	}
	return cat, nil
}

// CatalogFetchedAt returns when the cached catalog of source and event was
// fetched, without reading it, or an error wrapping ErrNotFound.
func (s *Store) CatalogFetchedAt(ctx context.Context, source, event string) (time.Time, error) {
	var at int64
	err := s.db.QueryRowContext(ctx, `SELECT fetched_at FROM catalogs WHERE source = ? AND event = ?`, source, event).Scan(&at)
	if errors.Is(err, sql.ErrNoRows) {
		return time.Time{}, fmt.Errorf("cached catalog of %s from %s: %w", event, source, ErrNotFound)
	}
	if err != nil {
		return time.Time{}, fmt.Errorf("read cached catalog of %s from %s: %w", event, source, err)
	}
	return fromNanos(at), nil
}
