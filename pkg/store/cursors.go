package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
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

// holdPrefix marks a hold among the cursors: a hold is saved as the cursor
// "hold:NAME", its value the Unix nanoseconds it lifts at.
const holdPrefix = "hold:"

// Hold holds name until until, or later if it already is: of the two, the
// later time is kept. Every process on the store sees it (Held).
func (s *Store) Hold(ctx context.Context, name string, until time.Time) error {
	err := s.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO cursors (name, value, updated_at) VALUES (?1, ?2, ?2)
			ON CONFLICT (name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at
			WHERE CAST(value AS INTEGER) < CAST(excluded.value AS INTEGER)`,
			holdPrefix+name, strconv.FormatInt(until.UnixNano(), 10))
		return err
	})
	if err != nil {
		return fmt.Errorf("hold %s: %w", name, err)
	}
	return nil
}

// Held returns when the hold of name lifts, the zero time when it was
// never held.
func (s *Store) Held(ctx context.Context, name string) (time.Time, error) {
	v, err := s.Cursor(ctx, holdPrefix+name)
	if err != nil || v == "" {
		return time.Time{}, err
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return time.Time{}, fmt.Errorf("hold %s: %q is not a time", name, v)
	}
	return time.Unix(0, n), nil
}
