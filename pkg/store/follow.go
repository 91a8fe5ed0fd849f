package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
)

// NoticeSent is the state of a notice a sink has taken; a notice not yet
// sent is NoticePending.
const (
	NoticePending = "pending"
	NoticeSent    = "sent"
)

// Notice is one private notice of follow waiting for, or delivered to, one
// notify URL (docs/follow.md, "Exactly once").
type Notice struct {
	ID       int64
	Event    string
	NoticeID string // the notice's own id, the same for every sink
	Sink     string // the notify URL's key (notify.Key), never the URL
	Kind     string
	Code     string
	Data     []byte // the notice as follow encoded it
	State    string
	// Attempts counts the sends started. A pending notice with attempts
	// may have reached its sink before a run was killed.
	Attempts  int
	CreatedAt time.Time
	SentAt    time.Time
	LastError string
}

// NewNotice is a notice to queue for each sink.
type NewNotice struct {
	NoticeID string
	Kind     string
	Code     string
	Data     []byte
}

// FollowState returns the document follow recorded for event at its last
// run, and false when it has none (the next run is a baseline).
func (s *Store) FollowState(ctx context.Context, event string) ([]byte, bool, error) {
	var data []byte
	err := s.db.QueryRowContext(ctx, `SELECT data FROM follow_state WHERE event = ?`, event).Scan(&data)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return nil, false, nil
	case err != nil:
		return nil, false, fmt.Errorf("read follow state: %w", err)
	}
	return data, true, nil
}

// RecordFollow stores a run of follow in one durable transaction: the new
// state of event, and each notice once for each sink. A notice already
// queued for a sink is not queued again.
func (s *Store) RecordFollow(ctx context.Context, event string, state []byte, notices []NewNotice, sinks []string, at time.Time) error {
	err := s.writeDurable(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO follow_state (event, data, updated_at) VALUES (?, ?, ?)
			ON CONFLICT (event) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at`,
			event, state, nanos(at)); err != nil {
			return err
		}
		for _, n := range notices {
			for _, sink := range sinks {
				if _, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO notices (event, notice_id, sink, kind, code, data, created_at)
					VALUES (?, ?, ?, ?, ?, ?, ?)`, event, n.NoticeID, sink, n.Kind, upper(n.Code), n.Data, nanos(at)); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("record follow run: %w", err)
	}
	return nil
}

// PendingNotices returns the notices of event not yet sent to the given
// sinks, oldest first. Notices for a sink that is no longer configured
// are left alone.
func (s *Store) PendingNotices(ctx context.Context, event string, sinks []string) ([]Notice, error) {
	if len(sinks) == 0 {
		return nil, nil
	}
	args := []any{event}
	for _, k := range sinks {
		args = append(args, k)
	}
	return s.queryNotices(ctx, "read pending notices",
		`event = ? AND state = 'pending' AND sink IN (?`+strings.Repeat(", ?", len(sinks)-1)+`)`, args...)
}

// queryNotices returns the notices where the condition holds, oldest
// first; what names the query in errors.
func (s *Store) queryNotices(ctx context.Context, what, where string, args ...any) ([]Notice, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, event, notice_id, sink, kind, code, data, state, attempts, created_at, sent_at, last_error
		FROM notices WHERE `+where+` ORDER BY id`, args...)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	defer rows.Close()
	var out []Notice
	for rows.Next() {
		var n Notice
		var created, sent int64
		if err := rows.Scan(&n.ID, &n.Event, &n.NoticeID, &n.Sink, &n.Kind, &n.Code, &n.Data, &n.State, &n.Attempts,
			&created, &sent, &n.LastError); err != nil {
			return nil, fmt.Errorf("%s: %w", what, err)
		}
		n.CreatedAt, n.SentAt = fromNanos(created), fromNanos(sent)
		out = append(out, n)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	return out, nil
}

// StartNotice records, durably, that a send of notice id begins, before
// it is sent: a run killed after this may have delivered it.
func (s *Store) StartNotice(ctx context.Context, id int64, at time.Time) error {
	err := s.writeDurable(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE notices SET attempts = attempts + 1, last_attempt_at = ? WHERE id = ? AND state = 'pending'`, nanos(at), id)
		return err
	})
	if err != nil {
		return fmt.Errorf("start notice %d: %w", id, err)
	}
	return nil
}

// EndNotice records the outcome of a send: sent when failure is "", else
// still pending with failure as its last error.
func (s *Store) EndNotice(ctx context.Context, id int64, failure string, at time.Time) error {
	if failure != "" {
		return s.updateOne(ctx, "notice", `UPDATE notices SET last_error = ? WHERE id = ?`, failure, id)
	}
	return s.updateOne(ctx, "notice", `UPDATE notices SET state = 'sent', sent_at = ?, last_error = '' WHERE id = ?`, nanos(at), id)
}

// Notices returns every notice of event, oldest first: what follow sent
// and what waits.
func (s *Store) Notices(ctx context.Context, event string) ([]Notice, error) {
	return s.queryNotices(ctx, "read notices", `event = ?`, event)
}
