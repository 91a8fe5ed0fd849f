package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"
)

// The states of an outbox row.
const (
	OutboxPending = "pending"
	OutboxPosted  = "posted"
	OutboxFailed  = "failed"
)

// Outbox is one post a watch run recorded, waiting to be posted or kept
// as a record of the post: the post of one change, or a digest that
// carries several (Codes).
type Outbox struct {
	ID        int64
	RunID     int64
	Event     string
	Code      string // the change's code; a digest's first
	Kind      string // the change's kind
	Text      string
	State     string // OutboxPending, OutboxPosted or OutboxFailed
	Attempts  int
	CreatedAt time.Time // when the run that recorded it fetched the catalog
	LastError string
	PostID    string // the id of the post, once posted
	PostedAt  time.Time
	Duplicate bool // X refused it as a duplicate of a post already made
	// Codes are the codes of the changes a digest carries, in the order
	// of its text, all posted by its one post; nil for a change's own post.
	Codes []string
}

const outboxColumns = `id, run_id, event, code, kind, text, state, attempts, created_at, last_error, post_id, posted_at, duplicate,
	(SELECT group_concat(c.code, char(31) ORDER BY l.pos) FROM outbox_changes l JOIN changes c ON c.id = l.change_id
		WHERE l.outbox_id = outbox.id)`

// scanOutbox reads one row selected with outboxColumns.
func scanOutbox(rows *sql.Rows) (Outbox, error) {
	var o Outbox
	var created, posted int64
	var codes sql.NullString
	err := rows.Scan(&o.ID, &o.RunID, &o.Event, &o.Code, &o.Kind, &o.Text, &o.State, &o.Attempts,
		&created, &o.LastError, &o.PostID, &posted, &o.Duplicate, &codes)
	o.CreatedAt, o.PostedAt = fromNanos(created), fromNanos(posted)
	if codes.Valid {
		// A code holds no control character (catalog.CleanLine).
		o.Codes = strings.Split(codes.String, "\x1f")
	}
	return o, err
}

// Pending returns the outbox rows of event still to be posted, oldest
// first.
func (s *Store) Pending(ctx context.Context, event string) ([]Outbox, error) {
	return s.outbox(ctx, `SELECT `+outboxColumns+` FROM outbox WHERE event = ? AND state = 'pending' ORDER BY id`, event)
}

// OutboxByID returns one outbox row, in any state.
func (s *Store) OutboxByID(ctx context.Context, id int64) (*Outbox, error) {
	out, err := s.outbox(ctx, `SELECT `+outboxColumns+` FROM outbox WHERE id = ?`, id)
	if err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("outbox row %d: %w", id, ErrNotFound)
	}
	return &out[0], nil
}

// outbox runs a query for outbox rows.
func (s *Store) outbox(ctx context.Context, query string, args ...any) ([]Outbox, error) {
	rows, err := s.db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("read outbox: %w", err)
	}
	defer rows.Close()
	var out []Outbox
	for rows.Next() {
		o, err := scanOutbox(rows)
		if err != nil {
			return nil, fmt.Errorf("read outbox: %w", err)
		}
		out = append(out, o)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read outbox: %w", err)
	}
	return out, nil
}

// Attempt counts an attempt to post row id at time at. Commit it before
// the request to X, so a crash after the request still leaves a trace.
func (s *Store) Attempt(ctx context.Context, id int64, at time.Time) error {
	return s.updateOutbox(ctx, id, `UPDATE outbox SET attempts = attempts + 1, last_attempt_at = ? WHERE id = ?`, nanos(at), id)
}

// Posted marks row id as posted as postID at time at; duplicate says X
// refused it as a duplicate of a post already made, which counts as posted.
// For a digest, this one update posts every change it carries.
func (s *Store) Posted(ctx context.Context, id int64, postID string, at time.Time, duplicate bool) error {
	return s.updateOutbox(ctx, id, `UPDATE outbox SET state = 'posted', post_id = ?, posted_at = ?, duplicate = ?, last_error = ''
		WHERE id = ?`, postID, nanos(at), duplicate, id)
}

// Failed marks row id as failed for good (X refused it permanently); it is
// kept for inspection and never posted.
func (s *Store) Failed(ctx context.Context, id int64, msg string) error {
	return s.updateOutbox(ctx, id, `UPDATE outbox SET state = 'failed', last_error = ? WHERE id = ?`, msg, id)
}

// Retry records a transient failure of row id; it stays pending for the
// next run.
func (s *Store) Retry(ctx context.Context, id int64, msg string) error {
	return s.updateOutbox(ctx, id, `UPDATE outbox SET last_error = ? WHERE id = ?`, msg, id)
}

// updateOutbox runs one update of row id.
func (s *Store) updateOutbox(ctx context.Context, id int64, query string, args ...any) error {
	return s.updateOne(ctx, fmt.Sprintf("outbox row %d", id), query, args...)
}

// Counts returns how many outbox rows of event are pending, posted and
// failed.
func (s *Store) Counts(ctx context.Context, event string) (pending, posted, failed int, err error) {
	err = s.db.QueryRowContext(ctx, `SELECT
		coalesce(sum(state = 'pending'), 0), coalesce(sum(state = 'posted'), 0), coalesce(sum(state = 'failed'), 0)
		FROM outbox WHERE event = ?`, event).Scan(&pending, &posted, &failed)
	if err != nil {
		return 0, 0, 0, fmt.Errorf("count outbox of %s: %w", event, err)
	}
	return pending, posted, failed, nil
}
