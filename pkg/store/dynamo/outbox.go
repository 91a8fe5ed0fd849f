package dynamo

import (
	"context"
	"fmt"
	"time"

	"github.com/reinvent-cli/reinvent/pkg/store"
	"github.com/reinvent-cli/reinvent/pkg/store/dynamo/internal/ddb"
)

// The outbox of posts (docs/serverless.md, "The table"): each row is the
// item OUTBOX/<id>, in the partition PENDING#<event> of GSI1 while it is
// pending, then in OUTBOX#settled, which nothing queries. The index is read eventually consistent, so Pending reads each
// row it lists again, strongly consistent, and keeps those still pending.

const outboxColdPK = "OUTBOX#settled"

func outboxOf(it item) store.Outbox {
	return store.Outbox{
		ID: getN(it, "id"), RunID: getN(it, "run"), Event: getS(it, "event"), Code: getS(it, "code"), Kind: getS(it, "kind"),
		Text: getS(it, "text"), State: getS(it, "state"), Attempts: int(getN(it, "attempts")),
		CreatedAt: fromNanos(getN(it, "created_at")), LastError: getS(it, "last_error"), PostID: getS(it, "post_id"),
		PostedAt: fromNanos(getN(it, "posted_at")), Duplicate: getBool(it, "duplicate"), Codes: getList(it, "codes"),
	}
}

// Pending returns the outbox rows of event still to be posted, oldest
// first, of committed runs only.
func (s *Store) Pending(ctx context.Context, event string) ([]store.Outbox, error) {
	m, err := s.meta(ctx, event)
	if err != nil {
		return nil, err
	}
	listed, err := s.query(ctx, &ddb.QueryInput{
		IndexName:                 gsi1,
		KeyConditionExpression:    "GSI1PK = :p",
		ExpressionAttributeValues: item{":p": sv(pendingPK(event))},
	})
	if err != nil {
		return nil, fmt.Errorf("read outbox: %w", err)
	}
	var out []store.Outbox
	for _, l := range listed {
		if getN(l, "run") > m.committed {
			continue // written by a run that never committed
		}
		it, err := s.get(ctx, outboxPK, getS(l, attrSK))
		if err != nil {
			return nil, fmt.Errorf("read outbox: %w", err)
		}
		if it != nil && getS(it, "state") == store.OutboxPending {
			out = append(out, outboxOf(it))
		}
	}
	return out, nil
}

// OutboxByID returns one outbox row, in any state.
func (s *Store) OutboxByID(ctx context.Context, id int64) (*store.Outbox, error) {
	it, err := s.get(ctx, outboxPK, pad(id))
	if err != nil {
		return nil, fmt.Errorf("read outbox: %w", err)
	}
	if it == nil {
		return nil, fmt.Errorf("outbox row %d: %w", id, store.ErrNotFound)
	}
	o := outboxOf(it)
	return &o, nil
}

// Attempt counts an attempt to post row id at time at.
func (s *Store) Attempt(ctx context.Context, id int64, at time.Time) error {
	return s.update(ctx, fmt.Sprintf("outbox row %d", id), outboxPK, pad(id),
		"SET #attempts = #attempts + :one, #last_attempt_at = :at", item{":one": nv(1), ":at": nv(nanos(at))})
}

// Posted marks row id as posted as postID at time at; it leaves the index
// of pending rows.
func (s *Store) Posted(ctx context.Context, id int64, postID string, at time.Time, duplicate bool) error {
	return s.update(ctx, fmt.Sprintf("outbox row %d", id), outboxPK, pad(id),
		"SET #state = :posted, #post_id = :p, #posted_at = :at, #duplicate = :d, #last_error = :empty, GSI1PK = :cold",
		item{":posted": sv(store.OutboxPosted), ":p": sv(postID), ":at": nv(nanos(at)), ":d": boolv(duplicate), ":empty": sv(""), ":cold": sv(outboxColdPK)})
}

// Failed marks row id as failed for good; it is kept and never posted.
func (s *Store) Failed(ctx context.Context, id int64, msg string) error {
	return s.update(ctx, fmt.Sprintf("outbox row %d", id), outboxPK, pad(id),
		"SET #state = :failed, #last_error = :msg, GSI1PK = :cold", item{":failed": sv(store.OutboxFailed), ":msg": sv(msg), ":cold": sv(outboxColdPK)})
}

// Retry records a transient failure of row id; it stays pending.
func (s *Store) Retry(ctx context.Context, id int64, msg string) error {
	return s.update(ctx, fmt.Sprintf("outbox row %d", id), outboxPK, pad(id), "SET #last_error = :msg", item{":msg": sv(msg)})
}

// Counts returns how many outbox rows of event are pending, posted and
// failed. It reads the whole outbox partition: it is for reports and
// tests, not a hot path.
func (s *Store) Counts(ctx context.Context, event string) (pending, posted, failed int, err error) {
	m, err := s.meta(ctx, event)
	if err != nil {
		return 0, 0, 0, err
	}
	items, err := s.queryPrefix(ctx, outboxPK, "")
	if err != nil {
		return 0, 0, 0, fmt.Errorf("count outbox of %s: %w", event, err)
	}
	for _, it := range items {
		if getS(it, "event") != event || getN(it, "run") > m.committed {
			continue
		}
		switch getS(it, "state") {
		case store.OutboxPending:
			pending++
		case store.OutboxPosted:
			posted++
		case store.OutboxFailed:
			failed++
		}
	}
	return pending, posted, failed, nil
}
