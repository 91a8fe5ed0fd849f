package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"
)

// A write to the attendee's account is journaled before it is sent and
// ended once its outcome is known (docs/reserve.md). A write still "sent"
// when a run starts had an outcome nobody saw: the account must be read
// back before anything else is sent.
const (
	WriteSent       = "sent"
	WriteDone       = "done"
	WriteReconciled = "reconciled"
)

// Write is one journaled write.
type Write struct {
	ID         int64
	Event      string
	Kind       string // "reserve", "cancel", "favorite"
	SessionIDs []string
	State      string
	Outcome    string
	CreatedAt  time.Time
}

// JournalWrite records a write about to be sent, committed before it
// returns, and returns its id.
func (s *Store) JournalWrite(ctx context.Context, event, kind string, ids []string, at time.Time) (int64, error) {
	b, _ := json.Marshal(ids)
	var id int64
	err := s.writeDurable(ctx, func(tx *sql.Tx) error {
		r, err := tx.ExecContext(ctx, `INSERT INTO writes (event, kind, session_ids, state, created_at) VALUES (?, ?, ?, ?, ?)`,
			event, kind, string(b), WriteSent, nanos(at))
		if err != nil {
			return err
		}
		id, err = r.LastInsertId()
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("journal a %s of %d sessions: %w", kind, len(ids), err)
	}
	return id, nil
}

// JournalPaced journals a write of kind for ids as JournalWrite does, but
// only when admit lets it: in the same transaction, admit is given the
// writes of event and kind journaled since since, by any process on this
// store, oldest first, and returns how long to wait before the write fits
// (0: now). Transactions on the store are serialised across processes, so
// two writers never both take the last of a quota. When admit says wait,
// nothing is journaled and the id is 0.
func (s *Store) JournalPaced(ctx context.Context, event, kind string, ids []string, at, since time.Time, admit func(recent []Write) time.Duration) (id int64, wait time.Duration, err error) {
	b, _ := json.Marshal(ids)
	err = s.writeDurable(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT id, event, kind, session_ids, state, outcome, created_at FROM writes
			WHERE event = ? AND kind = ? AND created_at > ? ORDER BY created_at, id`, event, kind, nanos(since))
		if err != nil {
			return err
		}
		recent, err := scanWrites(rows)
		if err != nil {
			return err
		}
		if wait = admit(recent); wait > 0 {
			return nil
		}
		r, err := tx.ExecContext(ctx, `INSERT INTO writes (event, kind, session_ids, state, created_at) VALUES (?, ?, ?, ?, ?)`,
			event, kind, string(b), WriteSent, nanos(at))
		if err != nil {
			return err
		}
		id, err = r.LastInsertId()
		return err
	})
	if err != nil {
		return 0, 0, fmt.Errorf("journal a %s of %d sessions: %w", kind, len(ids), err)
	}
	return id, wait, nil
}

// EndWrite records the outcome of write id: state is WriteDone when the
// answer came, WriteReconciled when it did not and the account was read
// back instead.
func (s *Store) EndWrite(ctx context.Context, id int64, state, outcome string, at time.Time) error {
	err := s.writeDurable(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE writes SET state = ?, outcome = ?, ended_at = ? WHERE id = ?`, state, outcome, nanos(at), id)
		return err
	})
	if err != nil {
		return fmt.Errorf("journal the outcome of write %d: %w", id, err)
	}
	return nil
}

// Writes returns the journaled writes of event, oldest first; only those
// in state when state is not "".
func (s *Store) Writes(ctx context.Context, event, state string) ([]Write, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, event, kind, session_ids, state, outcome, created_at FROM writes
		WHERE event = ? AND (? = '' OR state = ?) ORDER BY id`, event, state, state)
	if err != nil {
		return nil, err
	}
	return scanWrites(rows)
}

// scanWrites reads rows of id, event, kind, session_ids, state, outcome
// and created_at, and closes them.
func scanWrites(rows *sql.Rows) ([]Write, error) {
	defer rows.Close()
	var out []Write
	for rows.Next() {
		var w Write
		var ids string
		var at int64
		if err := rows.Scan(&w.ID, &w.Event, &w.Kind, &ids, &w.State, &w.Outcome, &at); err != nil {
			return nil, err
		}
		if err := json.Unmarshal([]byte(ids), &w.SessionIDs); err != nil {
			return nil, fmt.Errorf("write %d: session ids: %w", w.ID, err)
		}
		w.CreatedAt = fromNanos(at)
		out = append(out, w)
	}
	return out, rows.Err()
}
