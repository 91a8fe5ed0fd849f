package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// EnqueueBatch stores jobs as Enqueue would, one after the other in order,
// in a single write transaction: a group commit, so that many mentions
// arriving at once cost one fsync instead of one each. The outcome of each
// job is the one Enqueue would give it after the earlier jobs of the batch:
// a job whose id came earlier in the batch is a Duplicate, and the per-user
// limit counts the user's earlier jobs of the batch. On an error nothing of
// the batch is stored. An empty batch does nothing.
func (s *Store) EnqueueBatch(ctx context.Context, jobs []Job, limit int, window time.Duration) ([]Outcome, error) {
	if len(jobs) == 0 {
		return nil, nil
	}
	rows := make([]jobRow, len(jobs))
	now := time.Now()
	for i, j := range jobs {
		r, err := newJobRow(j, now)
		if err != nil {
			return nil, err
		}
		rows[i] = r
	}
	outs := make([]Outcome, len(jobs))
	err := s.writeDurable(ctx, func(tx *sql.Tx) error {
		st, err := prepareEnqueue(ctx, tx)
		if err != nil {
			return err
		}
		defer st.close()
		for i := range rows {
			if outs[i], err = st.enqueue(ctx, &rows[i], limit, window); err != nil {
				return fmt.Errorf("job %s: %w", rows[i].ID, err)
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("enqueue %d jobs: %w", len(jobs), err)
	}
	return outs, nil
}

// jobRow is a job checked and completed for the jobs table, its thread
// and replies encoded.
type jobRow struct {
	Job
	thread, replies string
}

// newJobRow checks j and fills in its defaults as Enqueue documents them,
// with now for a zero CreatedAt.
func newJobRow(j Job, now time.Time) (jobRow, error) {
	if j.ID == "" {
		return jobRow{}, errors.New("enqueue job: no id")
	}
	if j.CreatedAt.IsZero() {
		j.CreatedAt = now
	}
	if j.NextAt.IsZero() {
		j.NextAt = j.CreatedAt
	}
	if j.Kind == "" {
		j.Kind = KindSchedule
	}
	if j.Kind != KindSchedule && j.Kind != KindLimited {
		return jobRow{}, fmt.Errorf("enqueue job %s: unknown kind %q", j.ID, j.Kind)
	}
	r := jobRow{Job: j}
	var err error
	if r.thread, err = jsonList(j.Thread); err != nil {
		return jobRow{}, fmt.Errorf("enqueue job %s: %w", j.ID, err)
	}
	if r.replies, err = jsonList(j.Replies); err != nil {
		return jobRow{}, fmt.Errorf("enqueue job %s: %w", j.ID, err)
	}
	return r, nil
}

// enqueueStmts are the statements of one job's enqueue, prepared once per
// batch.
type enqueueStmts struct {
	exists, recent, insert *sql.Stmt
}

func prepareEnqueue(ctx context.Context, tx *sql.Tx) (*enqueueStmts, error) {
	st := &enqueueStmts{}
	var err error
	if st.exists, err = tx.PrepareContext(ctx, `SELECT count(*) FROM jobs WHERE id = ?`); err != nil {
		return nil, err
	}
	st.recent, err = tx.PrepareContext(ctx, `SELECT count(*), coalesce(sum(kind = 'limited'), 0) FROM jobs
		WHERE user_id = ? AND state != 'dropped' AND created_at > ? AND created_at <= ?`)
	if err != nil {
		st.close()
		return nil, err
	}
	st.insert, err = tx.PrepareContext(ctx, `INSERT INTO jobs (id, user_id, user, text, kind, state, attempts, next_at, thread, replies, created_at, last_error)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		st.close()
		return nil, err
	}
	return st, nil
}

func (st *enqueueStmts) close() {
	for _, s := range []*sql.Stmt{st.exists, st.recent, st.insert} {
		if s != nil {
			s.Close()
		}
	}
}

// enqueue stores r unless its id is stored, applying the per-user limit
// as Enqueue does; the jobs inserted earlier in the transaction count.
func (st *enqueueStmts) enqueue(ctx context.Context, r *jobRow, limit int, window time.Duration) (Outcome, error) {
	var n int
	if err := st.exists.QueryRowContext(ctx, r.ID).Scan(&n); err != nil {
		return 0, err
	}
	if n > 0 {
		return Duplicate, nil
	}
	out, kind, state := Queued, r.Kind, JobPending
	if limit > 0 {
		var limited int
		err := st.recent.QueryRowContext(ctx, r.UserID, nanos(r.CreatedAt.Add(-window)), nanos(r.CreatedAt)).Scan(&n, &limited)
		if err != nil {
			return 0, err
		}
		switch {
		case n < limit:
		case limited == 0:
			kind, out = KindLimited, Limited
		default:
			state, out = JobDropped, Dropped
		}
	}
	_, err := st.insert.ExecContext(ctx, r.ID, r.UserID, r.User, r.Text, kind, state, r.Attempts,
		nanos(r.NextAt), r.thread, r.replies, nanos(r.CreatedAt), r.LastError)
	if err != nil {
		return 0, err
	}
	return out, nil
}
