package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// The kinds of Job.
const (
	KindSchedule = "schedule" // answer with a schedule (or the help reply)
	KindLimited  = "limited"  // one polite reply to a user over the limit
)

// The states of Job.
const (
	JobPending = "pending"
	JobRunning = "running"
	JobDone    = "done"
	JobDead    = "dead"    // gave up; kept for inspection
	JobDropped = "dropped" // over the limit and already told; never answered
)

// ErrNoJob is returned by Claim when no job is due.
var ErrNoJob = errors.New("no job is due")

// Job is one mention the webhook answers.
type Job struct {
	ID         string // the mention's post id; a redelivered mention is a duplicate
	UserID     string
	User       string // screen name
	Text       string
	Kind       string // KindSchedule or KindLimited
	State      string // JobPending, JobRunning, JobDone, JobDead or JobDropped
	Attempts   int    // failed attempts so far (RetryJob and Dead count one each)
	NextAt     time.Time
	LeaseUntil time.Time // while running: when another worker may claim it
	// Thread is the texts of the answer, worded once (SetThread) so that
	// every attempt posts the same posts.
	Thread    []string
	Replies   []string // ids of the thread posts made so far, in order
	CreatedAt time.Time
	LastError string
}

// Outcome is what Enqueue did with a job.
type Outcome int

// The outcomes of Enqueue.
const (
	Queued    Outcome = iota // stored as a pending KindSchedule job
	Duplicate                // a job with that id exists; nothing was stored
	Limited                  // stored as a pending KindLimited job
	Dropped                  // stored as JobDropped, for dedupe only
)

func (o Outcome) String() string {
	switch o {
	case Queued:
		return "queued"
	case Duplicate:
		return "duplicate"
	case Limited:
		return "limited"
	case Dropped:
		return "dropped"
	}
	return fmt.Sprintf("Outcome(%d)", int(o))
}

// Enqueue stores a new job and applies the per-user limit in the same
// transaction. The limit counts the user's jobs, of any kind and state but
// dropped, created in (j.CreatedAt-window, j.CreatedAt]. Under the limit
// the job is queued as given. At or over it, the job becomes KindLimited if
// the user has no KindLimited job in that span (one polite answer), else it
// is stored as JobDropped. A limit of 0 or less means no limit. A job whose
// id is already stored is a Duplicate and changes nothing. A zero
// CreatedAt means now, a zero NextAt means CreatedAt, and an empty Kind
// means KindSchedule.
func (s *Store) Enqueue(ctx context.Context, j Job, limit int, window time.Duration) (Outcome, error) {
	outs, err := s.EnqueueBatch(ctx, []Job{j}, limit, window)
	if err != nil {
		return 0, err
	}
	return outs[0], nil
}

const jobColumns = `id, user_id, user, text, kind, state, attempts, next_at, lease_until, thread, replies, created_at, last_error`

// scanJob reads one row selected with jobColumns.
func scanJob(row interface{ Scan(...any) error }) (*Job, error) {
	var j Job
	var next, lease, created int64
	var thread, replies string
	err := row.Scan(&j.ID, &j.UserID, &j.User, &j.Text, &j.Kind, &j.State, &j.Attempts, &next, &lease,
		&thread, &replies, &created, &j.LastError)
	if err != nil {
		return nil, err
	}
	j.NextAt, j.LeaseUntil, j.CreatedAt = fromNanos(next), fromNanos(lease), fromNanos(created)
	if err := json.Unmarshal([]byte(thread), &j.Thread); err != nil {
		return nil, fmt.Errorf("job %s: thread: %w", j.ID, err)
	}
	if err := json.Unmarshal([]byte(replies), &j.Replies); err != nil {
		return nil, fmt.Errorf("job %s: replies: %w", j.ID, err)
	}
	return &j, nil
}

// Claim hands out the oldest job that is due at now: a pending one whose
// NextAt has come, or a running one whose lease expired (its worker died
// or hung). The job becomes running, leased until now+lease. It returns
// ErrNoJob when none is due. Concurrent Claims never return the same job
// while its lease lasts, so the lease must outlast the longest job.
func (s *Store) Claim(ctx context.Context, now time.Time, lease time.Duration) (*Job, error) {
	var j *Job
	err := s.write(ctx, func(tx *sql.Tx) error {
		var err error
		j, err = scanJob(tx.QueryRowContext(ctx, `UPDATE jobs SET state = 'running', lease_until = ?2
			WHERE id = (SELECT id FROM (
				SELECT * FROM (SELECT id, created_at FROM jobs INDEXED BY jobs_claim WHERE state = 'pending' AND next_at <= ?1 ORDER BY created_at, id LIMIT 1)
				UNION ALL
				SELECT * FROM (SELECT id, created_at FROM jobs INDEXED BY jobs_claim WHERE state = 'running' AND lease_until <= ?1 ORDER BY created_at, id LIMIT 1))
				ORDER BY created_at, id LIMIT 1)
			RETURNING `+jobColumns, nanos(now), nanos(now.Add(lease))))
		return err
	})
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNoJob
	}
	if err != nil {
		return nil, fmt.Errorf("claim job: %w", err)
	}
	return j, nil
}

// ResetRunning puts every running job back to pending, for a start-up
// after a crash, and returns how many there were. Each counts one attempt
// (with the error "interrupted"), so that a job that brings the process
// down every time ends in the dead letters rather than in a crash loop.
func (s *Store) ResetRunning(ctx context.Context) (int, error) {
	var n int64
	err := s.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE jobs SET state = 'pending', lease_until = 0, attempts = attempts + 1,
			last_error = 'interrupted: the server stopped while answering' WHERE state = 'running'`)
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("reset running jobs: %w", err)
	}
	return int(n), nil
}

// jsonList encodes a list of strings as a JSON array, [] for nil.
func jsonList(l []string) (string, error) {
	if l == nil {
		return "[]", nil
	}
	b, err := json.Marshal(l)
	return string(b), err
}

// SetThread stores the texts of the answer to job id, worded once so that
// a retry or a restart posts the same thread.
func (s *Store) SetThread(ctx context.Context, id string, posts []string) error {
	thread, err := jsonList(posts)
	if err != nil {
		return err
	}
	return s.updateJob(ctx, id, `UPDATE jobs SET thread = ? WHERE id = ?`, thread, id)
}

// AddReply appends postID to the replies of job id. Call it after each
// post of a thread, so a retry continues the thread instead of restarting.
func (s *Store) AddReply(ctx context.Context, id, postID string) error {
	return s.updateJob(ctx, id, `UPDATE jobs SET replies = json_insert(replies, '$[#]', ?) WHERE id = ?`, postID, id)
}

// Finish marks job id done.
func (s *Store) Finish(ctx context.Context, id string) error {
	return s.updateJob(ctx, id, `UPDATE jobs SET state = 'done', lease_until = 0, last_error = '' WHERE id = ?`, id)
}

// RetryJob puts job id back to pending until nextAt after a failed attempt,
// counting the attempt.
func (s *Store) RetryJob(ctx context.Context, id string, nextAt time.Time, msg string) error {
	return s.updateJob(ctx, id, `UPDATE jobs SET state = 'pending', attempts = attempts + 1, next_at = ?, lease_until = 0, last_error = ?
		WHERE id = ?`, nanos(nextAt), msg, id)
}

// Postpone puts job id back to pending until nextAt without counting an
// attempt: nothing failed, the job waits for a rate limit to lift.
func (s *Store) Postpone(ctx context.Context, id string, nextAt time.Time, msg string) error {
	return s.updateJob(ctx, id, `UPDATE jobs SET state = 'pending', next_at = ?, lease_until = 0, last_error = ?
		WHERE id = ?`, nanos(nextAt), msg, id)
}

// Dead gives up on job id after a failed attempt, counting the attempt; it
// is kept for inspection.
func (s *Store) Dead(ctx context.Context, id string, msg string) error {
	return s.updateJob(ctx, id, `UPDATE jobs SET state = 'dead', attempts = attempts + 1, lease_until = 0, last_error = ?
		WHERE id = ?`, msg, id)
}

// updateJob runs one update of job id.
func (s *Store) updateJob(ctx context.Context, id string, query string, args ...any) error {
	return s.updateOne(ctx, "job "+id, query, args...)
}

// NextDue returns when the next job falls due: the earliest NextAt of the
// pending jobs, or the earliest lease expiry of the running ones if that
// is sooner. ok is false when no job is pending or running.
func (s *Store) NextDue(ctx context.Context) (at time.Time, ok bool, err error) {
	var n sql.NullInt64
	err = s.db.QueryRowContext(ctx, `SELECT min(t) FROM (
		SELECT min(next_at) AS t FROM jobs WHERE state = 'pending'
		UNION ALL SELECT min(lease_until) FROM jobs WHERE state = 'running')`).Scan(&n)
	if err != nil {
		return time.Time{}, false, fmt.Errorf("next due job: %w", err)
	}
	if !n.Valid {
		return time.Time{}, false, nil
	}
	return fromNanos(n.Int64), true, nil
}

// JobByID returns job id, or an error wrapping ErrNotFound.
func (s *Store) JobByID(ctx context.Context, id string) (*Job, error) {
	j, err := scanJob(s.db.QueryRowContext(ctx, `SELECT `+jobColumns+` FROM jobs WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("job %s: %w", id, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("read job %s: %w", id, err)
	}
	return j, nil
}
