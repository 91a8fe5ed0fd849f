package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Cursor returns the value last saved under name, or "" when none was.
func (s *Store) Cursor(ctx context.Context, name string) (string, error) {
	var v string
	err := s.db.QueryRowContext(ctx, `SELECT value FROM cursors WHERE name = ?`, name).Scan(&v)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return "", nil
	case err != nil:
		return "", fmt.Errorf("read cursor %s: %w", name, err)
	}
	return v, nil
}

// SetCursor saves value under name, durably: a cursor says what was done,
// and a cursor lost to a power cut would have it done again.
func (s *Store) SetCursor(ctx context.Context, name, value string, at time.Time) error {
	err := s.writeDurable(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO cursors (name, value, updated_at) VALUES (?, ?, ?)
			ON CONFLICT (name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
			name, value, nanos(at))
		return err
	})
	if err != nil {
		return fmt.Errorf("save cursor %s: %w", name, err)
	}
	return nil
}
