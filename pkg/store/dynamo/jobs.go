package dynamo

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/reinvent-cli/reinvent/pkg/store"
	"github.com/reinvent-cli/reinvent/pkg/store/dynamo/internal/ddb"
)

// The queue of mentions (docs/serverless.md, "The table"): a job is the
// item JOB#<id>/JOB, put only if it is not there, so a mention delivered
// twice is queued once. While pending or running it is in the partition
// DUE of GSI1, sorted by when it falls due (pending: NextAt; running:
// LeaseUntil), which is what Claim and NextDue query; a job that is done,
// dead or dropped moves to the partition JOBS#ended, which nothing
// queries. (It moves rather than dropping its index keys because minidyn,
// the DynamoDB of the tests, keeps an item in an index after its keys are
// removed.) Each job also has an item
// USER#<user id>/<created>#<id> that the per-user limit counts.
const (
	jobSK  = "JOB"
	duePK  = "DUE"
	coldPK = "JOBS#ended"
	userTT = 24 * time.Hour // how long a user item outlives its window
)

func jobPK(id string) string                { return "JOB#" + id }
func dueSK(at time.Time, id string) string  { return pad(nanos(at)) + "#" + id }
func userSK(at time.Time, id string) string { return pad(nanos(at)) + "#" + id }
func listv(l []string) ddb.Value {
	out := make(ddb.L, len(l))
	for i, s := range l {
		out[i] = sv(s)
	}
	return out
}

func getList(it item, name string) []string {
	l, ok := it[name].(ddb.L)
	if !ok || len(l) == 0 {
		return nil
	}
	out := make([]string, 0, len(l))
	for _, v := range l {
		if s, ok := v.(ddb.S); ok {
			out = append(out, string(s))
		}
	}
	return out
}

func jobOf(it item) *store.Job {
	return &store.Job{
		ID: getS(it, "id"), UserID: getS(it, "user_id"), User: getS(it, "user"), Text: getS(it, "text"),
		Kind: getS(it, "kind"), State: getS(it, "state"), Attempts: int(getN(it, "attempts")),
		NextAt: fromNanos(getN(it, "next_at")), LeaseUntil: fromNanos(getN(it, "lease_until")),
		Thread: getList(it, "thread"), Replies: getList(it, "replies"),
		CreatedAt: fromNanos(getN(it, "created_at")), LastError: getS(it, "last_error"),
	}
}

// Enqueue stores a new job as store.Store.Enqueue documents it.
func (s *Store) Enqueue(ctx context.Context, j store.Job, limit int, window time.Duration) (store.Outcome, error) {
	outs, err := s.EnqueueBatch(ctx, []store.Job{j}, limit, window)
	if err != nil {
		return 0, err
	}
	return outs[0], nil
}

// EnqueueBatch stores jobs as Enqueue would, one after the other in order.
// Each job's item is put only if its id is new, then its user's item;
// unlike SQLite's, a
// batch that fails half way keeps the jobs stored before the failure,
// which the redelivery of the batch finds as Duplicates. The per-user
// limit counts what the user's items say when each job is stored: two
// processes storing the same user's mentions at the same instant may each
// let one more through.
func (s *Store) EnqueueBatch(ctx context.Context, jobs []store.Job, limit int, window time.Duration) ([]store.Outcome, error) {
	outs := make([]store.Outcome, 0, len(jobs))
	now := s.now()
	for _, j := range jobs {
		o, err := s.enqueue(ctx, j, now, limit, window)
		if err != nil {
			return nil, fmt.Errorf("enqueue %d jobs: job %s: %w", len(jobs), j.ID, err)
		}
		outs = append(outs, o)
	}
	return outs, nil
}

func (s *Store) enqueue(ctx context.Context, j store.Job, now time.Time, limit int, window time.Duration) (store.Outcome, error) {
	if j.ID == "" {
		return 0, errors.New("no id")
	}
	if j.CreatedAt.IsZero() {
		j.CreatedAt = now
	}
	if j.NextAt.IsZero() {
		j.NextAt = j.CreatedAt
	}
	if j.Kind == "" {
		j.Kind = store.KindSchedule
	}
	if j.Kind != store.KindSchedule && j.Kind != store.KindLimited {
		return 0, fmt.Errorf("unknown kind %q", j.Kind)
	}
	if old, err := s.get(ctx, jobPK(j.ID), jobSK); err != nil {
		return 0, err
	} else if old != nil {
		return store.Duplicate, nil
	}
	out, state := store.Queued, store.JobPending
	if limit > 0 {
		n, limited, err := s.recent(ctx, j.UserID, j.CreatedAt, window)
		if err != nil {
			return 0, err
		}
		switch {
		case n < limit:
		case !limited:
			j.Kind, out = store.KindLimited, store.Limited
		default:
			state, out = store.JobDropped, store.Dropped
		}
	}
	it := item{
		attrPK: sv(jobPK(j.ID)), attrSK: sv(jobSK),
		"id": sv(j.ID), "user_id": sv(j.UserID), "user": sv(j.User), "text": sv(j.Text), "kind": sv(j.Kind),
		"state": sv(state), "attempts": nv(int64(j.Attempts)), "next_at": nv(nanos(j.NextAt)), "lease_until": nv(0),
		"thread": listv(j.Thread), "replies": listv(j.Replies), "created_at": nv(nanos(j.CreatedAt)), "last_error": sv(j.LastError),
	}
	if state == store.JobPending {
		it[attrGSI1PK], it[attrGSI1SK] = sv(duePK), sv(dueSK(j.NextAt, j.ID))
	} else {
		it[attrGSI1PK], it[attrGSI1SK] = sv(coldPK), sv(j.ID)
	}
	user := item{
		attrPK: sv("USER#" + j.UserID), attrSK: sv(userSK(j.CreatedAt, j.ID)),
		"kind": sv(j.Kind), "dropped": boolv(state == store.JobDropped),
		attrTTL: nv(j.CreatedAt.Add(window + userTT).Unix()),
	}
	_, err := s.db.PutItem(ctx, &ddb.PutItemInput{TableName: s.table, Item: it, ConditionExpression: "attribute_not_exists(PK)"})
	if conditionFailed(err) {
		return store.Duplicate, nil // queued by another process since the read
	}
	if err != nil {
		return 0, err
	}
	// The user's item after the job's: a crash in between lets the user
	// one more mention through the limit, never one less.
	if _, err := s.db.PutItem(ctx, &ddb.PutItemInput{TableName: s.table, Item: user}); err != nil {
		return 0, err
	}
	return out, nil
}

// recent counts the jobs of user created in (at-window, at], of any kind
// and state but dropped, and says whether one of them is KindLimited.
func (s *Store) recent(ctx context.Context, user string, at time.Time, window time.Duration) (n int, limited bool, err error) {
	items, err := s.query(ctx, &ddb.QueryInput{
		KeyConditionExpression: "PK = :pk AND SK BETWEEN :lo AND :hi",
		ExpressionAttributeValues: item{":pk": sv("USER#" + user),
			":lo": sv(pad(nanos(at.Add(-window)) + 1)), ":hi": sv(pad(nanos(at)) + "#\xff")},
		ConsistentRead: true,
	})
	if err != nil {
		return 0, false, err
	}
	for _, it := range items {
		if !getBool(it, "dropped") {
			n++
			limited = limited || getS(it, "kind") == store.KindLimited
		}
	}
	return n, limited, nil
}

// Claim hands out the job that fell due first as store.Store.Claim does:
// it queries GSI1 for the jobs due at now and takes the first whose
// conditional update (still pending and due, or running with its lease
// lapsed) succeeds, so two processes never hold one job while its lease
// lasts.
func (s *Store) Claim(ctx context.Context, now time.Time, lease time.Duration) (*store.Job, error) {
	for range 5 {
		due, err := s.query1(ctx, &ddb.QueryInput{
			IndexName:                 gsi1,
			KeyConditionExpression:    "GSI1PK = :due AND GSI1SK <= :now",
			ExpressionAttributeValues: item{":due": sv(duePK), ":now": sv(pad(nanos(now)) + "#\xff")},
			Limit:                     8,
		})
		if err != nil {
			return nil, fmt.Errorf("claim job: %w", err)
		}
		if len(due) == 0 {
			return nil, store.ErrNoJob
		}
		for _, it := range due {
			id := getS(it, "id")
			out, err := s.db.UpdateItem(ctx, &ddb.UpdateItemInput{
				TableName: s.table, Key: keyOf(jobPK(id), jobSK),
				UpdateExpression:         "SET #state = :running, #lease_until = :lease, GSI1SK = :g",
				ConditionExpression:      "(#state = :pending AND #next_at <= :now) OR (#state = :running AND #lease_until <= :now)",
				ExpressionAttributeNames: exprNames("SET #state = :running, #lease_until = :lease, GSI1SK = :g", "(#state = :pending AND #next_at <= :now) OR (#state = :running AND #lease_until <= :now)"),
				ExpressionAttributeValues: item{":running": sv(store.JobRunning), ":pending": sv(store.JobPending),
					":now": nv(nanos(now)), ":lease": nv(nanos(now.Add(lease))), ":g": sv(dueSK(now.Add(lease), id))},
				ReturnValues: ddb.ReturnAllNew,
			})
			if conditionFailed(err) {
				continue // another process took it, or the index was behind
			}
			if err != nil {
				return nil, fmt.Errorf("claim job %s: %w", id, err)
			}
			return jobOf(out.Attributes), nil
		}
	}
	return nil, store.ErrNoJob
}

// query1 runs one page of a query.
func (s *Store) query1(ctx context.Context, in *ddb.QueryInput) ([]item, error) {
	in.TableName = s.table
	out, err := s.db.Query(ctx, in)
	if err != nil {
		return nil, err
	}
	return out.Items, nil
}

// ResetRunning puts every running job back to pending, counting an
// attempt, as store.Store.ResetRunning does. Only a process that is alone
// on the table may call it (serve-webhook, under its lock): it takes the
// jobs of every process.
func (s *Store) ResetRunning(ctx context.Context) (int, error) {
	due, err := s.query(ctx, &ddb.QueryInput{
		IndexName:                 gsi1,
		KeyConditionExpression:    "GSI1PK = :due",
		ExpressionAttributeValues: item{":due": sv(duePK)},
	})
	if err != nil {
		return 0, fmt.Errorf("reset running jobs: %w", err)
	}
	n := 0
	for _, it := range due {
		if getS(it, "state") != store.JobRunning {
			continue
		}
		id := getS(it, "id")
		_, err := s.db.UpdateItem(ctx, &ddb.UpdateItemInput{
			TableName: s.table, Key: keyOf(jobPK(id), jobSK),
			UpdateExpression:         "SET #state = :pending, #lease_until = :zero, #attempts = #attempts + :one, #last_error = :msg, GSI1SK = :g",
			ConditionExpression:      "#state = :running",
			ExpressionAttributeNames: exprNames("SET #state = :pending, #lease_until = :zero, #attempts = #attempts + :one, #last_error = :msg, GSI1SK = :g", "#state = :running"),
			ExpressionAttributeValues: item{":pending": sv(store.JobPending), ":running": sv(store.JobRunning), ":zero": nv(0), ":one": nv(1),
				":msg": sv("interrupted: the server stopped while answering"), ":g": sv(dueSK(fromNanos(getN(it, "next_at")), id))},
		})
		if conditionFailed(err) {
			continue
		}
		if err != nil {
			return n, fmt.Errorf("reset running job %s: %w", id, err)
		}
		n++
	}
	return n, nil
}

// SetThread stores the texts of the answer to job id.
func (s *Store) SetThread(ctx context.Context, id string, posts []string) error {
	return s.update(ctx, "job "+id, jobPK(id), jobSK, "SET #thread = :t", item{":t": listv(posts)})
}

// AddReply appends postID to the replies of job id.
func (s *Store) AddReply(ctx context.Context, id, postID string) error {
	return s.update(ctx, "job "+id, jobPK(id), jobSK, "SET #replies = list_append(#replies, :r)", item{":r": listv([]string{postID})})
}

// Finish marks job id done; it leaves the index of due jobs.
func (s *Store) Finish(ctx context.Context, id string) error {
	return s.update(ctx, "job "+id, jobPK(id), jobSK, "SET #state = :done, #lease_until = :zero, #last_error = :empty, GSI1PK = :cold, GSI1SK = :id",
		item{":done": sv(store.JobDone), ":zero": nv(0), ":empty": sv(""), ":cold": sv(coldPK), ":id": sv(id)})
}

// RetryJob puts job id back to pending until nextAt, counting the attempt.
func (s *Store) RetryJob(ctx context.Context, id string, nextAt time.Time, msg string) error {
	return s.requeue(ctx, id, nextAt, msg, 1)
}

// Postpone puts job id back to pending until nextAt without counting an
// attempt.
func (s *Store) Postpone(ctx context.Context, id string, nextAt time.Time, msg string) error {
	return s.requeue(ctx, id, nextAt, msg, 0)
}

func (s *Store) requeue(ctx context.Context, id string, nextAt time.Time, msg string, attempts int64) error {
	return s.update(ctx, "job "+id, jobPK(id), jobSK,
		"SET #state = :pending, #attempts = #attempts + :n, #next_at = :next, #lease_until = :zero, #last_error = :msg, GSI1PK = :due, GSI1SK = :g",
		item{":pending": sv(store.JobPending), ":n": nv(attempts), ":next": nv(nanos(nextAt)), ":zero": nv(0), ":msg": sv(msg),
			":due": sv(duePK), ":g": sv(dueSK(nextAt, id))})
}

// Dead gives up on job id, counting the attempt; it is kept.
func (s *Store) Dead(ctx context.Context, id string, msg string) error {
	return s.update(ctx, "job "+id, jobPK(id), jobSK,
		"SET #state = :dead, #attempts = #attempts + :one, #lease_until = :zero, #last_error = :msg, GSI1PK = :cold, GSI1SK = :id",
		item{":dead": sv(store.JobDead), ":one": nv(1), ":zero": nv(0), ":msg": sv(msg), ":cold": sv(coldPK), ":id": sv(id)})
}

// NextDue returns when the next job falls due: the first of GSI1's DUE
// partition.
func (s *Store) NextDue(ctx context.Context) (time.Time, bool, error) {
	due, err := s.query1(ctx, &ddb.QueryInput{
		IndexName:                 gsi1,
		KeyConditionExpression:    "GSI1PK = :due",
		ExpressionAttributeValues: item{":due": sv(duePK)},
		Limit:                     1,
	})
	if err != nil {
		return time.Time{}, false, fmt.Errorf("next due job: %w", err)
	}
	if len(due) == 0 {
		return time.Time{}, false, nil
	}
	at, _, _ := strings.Cut(getS(due[0], attrGSI1SK), "#")
	var n int64
	if _, err := fmt.Sscan(at, &n); err != nil {
		return time.Time{}, false, fmt.Errorf("next due job: bad index key %q", at)
	}
	return fromNanos(n), true, nil
}

// JobByID returns job id, or an error wrapping store.ErrNotFound.
func (s *Store) JobByID(ctx context.Context, id string) (*store.Job, error) {
	it, err := s.get(ctx, jobPK(id), jobSK)
	if err != nil {
		return nil, fmt.Errorf("read job %s: %w", id, err)
	}
	if it == nil {
		return nil, fmt.Errorf("job %s: %w", id, store.ErrNotFound)
	}
	return jobOf(it), nil
}
