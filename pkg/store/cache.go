package store

import (
	"bytes"
	"compress/gzip"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/reinvent-cli/reinvent/pkg/catalog"
)

// SaveCatalog replaces the cached catalog of source and event with cat,
// stored as gzip-compressed JSON.
func (s *Store) SaveCatalog(ctx context.Context, source, event string, cat *catalog.Catalog) error {
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, gzip.BestSpeed)
	if err != nil {
		return err
	}
	if err := json.NewEncoder(zw).Encode(cat); err != nil {
		return fmt.Errorf("encode catalog of %s: %w", event, err)
	}
	if err := zw.Close(); err != nil {
		return fmt.Errorf("compress catalog of %s: %w", event, err)
	}
	err = s.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO catalogs (source, event, fetched_at, sessions, data) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (source, event) DO UPDATE SET
			fetched_at = excluded.fetched_at, sessions = excluded.sessions, data = excluded.data`,
			source, event, nanos(cat.FetchedAt), len(cat.Sessions), buf.Bytes())
		return err
	})
	if err != nil {
		return fmt.Errorf("cache catalog of %s from %s: %w", event, source, err)
	}
	return nil
}

// LoadCatalog returns the cached catalog of source and event, or an error
// wrapping ErrNotFound. Its FetchedAt tells how old it is; session times
// keep the instants (and offsets) they were saved with.
func (s *Store) LoadCatalog(ctx context.Context, source, event string) (*catalog.Catalog, error) {
	var data []byte
	err := s.db.QueryRowContext(ctx, `SELECT data FROM catalogs WHERE source = ? AND event = ?`, source, event).Scan(&data)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("cached catalog of %s from %s: %w", event, source, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("read cached catalog of %s from %s: %w", event, source, err)
	}
	zr, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("cached catalog of %s from %s: %w", event, source, err)
	}
	var cat catalog.Catalog
	if err := json.NewDecoder(zr).Decode(&cat); err != nil {
		return nil, fmt.Errorf("decode cached catalog of %s from %s: %w", event, source, err)
	}
	return &cat, nil
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
