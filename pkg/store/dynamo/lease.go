package dynamo

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"time"

	"github.com/reinvent-cli/reinvent/pkg/store"
	"github.com/reinvent-cli/reinvent/pkg/store/dynamo/internal/ddb"
)

// Cursor returns the value last saved under name, or "" when none was.
func (s *Store) Cursor(ctx context.Context, name string) (string, error) {
	it, err := s.get(ctx, "CURSOR#"+name, "CURSOR")
	if err != nil {
		return "", fmt.Errorf("read cursor %s: %w", name, err)
	}
	return getS(it, "value"), nil
}

// SetCursor saves value under name; DynamoDB has it durably when the call
// returns.
func (s *Store) SetCursor(ctx context.Context, name, value string, at time.Time) error {
	_, err := s.db.PutItem(ctx, &ddb.PutItemInput{TableName: s.table, Item: item{
		attrPK: sv("CURSOR#" + name), attrSK: sv("CURSOR"), "value": sv(value), "updated_at": nv(nanos(at)),
	}})
	if err != nil {
		return fmt.Errorf("save cursor %s: %w", name, err)
	}
	return nil
}

// Hold holds name until until, or later if it already is: the update is
// conditional on the stored time being earlier.
func (s *Store) Hold(ctx context.Context, name string, until time.Time) error {
	_, err := s.db.UpdateItem(ctx, &ddb.UpdateItemInput{
		TableName: s.table, Key: keyOf("HOLD#"+name, "HOLD"),
		UpdateExpression:          "SET #until = :u",
		ConditionExpression:       "attribute_not_exists(#until) OR #until < :u",
		ExpressionAttributeNames:  exprNames("SET #until = :u", "attribute_not_exists(#until) OR #until < :u"),
		ExpressionAttributeValues: item{":u": nv(until.UnixNano())},
	})
	if err != nil && !conditionFailed(err) {
		return fmt.Errorf("hold %s: %w", name, err)
	}
	return nil
}

// Held returns when the hold of name lifts, the zero time when it was
// never held.
func (s *Store) Held(ctx context.Context, name string) (time.Time, error) {
	it, err := s.get(ctx, "HOLD#"+name, "HOLD")
	if err != nil {
		return time.Time{}, fmt.Errorf("read hold %s: %w", name, err)
	}
	if it == nil {
		return time.Time{}, nil
	}
	return time.Unix(0, getN(it, "until")), nil
}

// Lock takes the run lock name as a lease: the item LOCK#<name> names its
// holder and when the lease lapses, and is put only if it is missing or
// lapsed, so one holder has it at a time. The holder renews the lease in
// the background every third of LockLease until unlock, which deletes the
// item if it is still the holder's. A holder that dies leaves a lease that
// another takes over once it lapses. The error of a lock held elsewhere
// wraps store.ErrLocked.
func (s *Store) Lock(name string) (unlock func() error, err error) {
	ttl := s.LockLease
	if ttl <= 0 {
		ttl = 30 * time.Second
	}
	var b [16]byte
	_, _ = rand.Read(b[:])
	owner := hex.EncodeToString(b[:])
	pk := "LOCK#" + name
	ctx, cancel := context.WithTimeout(context.Background(), ttl)
	defer cancel()
	now := s.now()
	_, err = s.db.PutItem(ctx, &ddb.PutItemInput{
		TableName: s.table,
		Item: item{attrPK: sv(pk), attrSK: sv("LOCK"), "owner": sv(owner),
			"expires": nv(now.Add(ttl).UnixNano()), attrTTL: nv(now.Add(ttl + time.Hour).Unix())},
		ConditionExpression:       "attribute_not_exists(PK) OR #expires < :now",
		ExpressionAttributeNames:  exprNames("attribute_not_exists(PK) OR #expires < :now"),
		ExpressionAttributeValues: item{":now": nv(now.UnixNano())},
	})
	if conditionFailed(err) {
		return nil, fmt.Errorf("another reinvent %s is running on the DynamoDB table %s: %w", name, s.table, store.ErrLocked)
	}
	if err != nil {
		return nil, fmt.Errorf("lock %s on the DynamoDB table %s: %w", name, s.table, err)
	}
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(ttl / 3)
		defer t.Stop()
		for {
			select {
			case <-stop:
				return
			case <-t.C:
				ctx, cancel := context.WithTimeout(context.Background(), ttl/3)
				now := s.now()
				_, _ = s.db.UpdateItem(ctx, &ddb.UpdateItemInput{
					TableName: s.table, Key: keyOf(pk, "LOCK"),
					UpdateExpression:          "SET #expires = :e, #ttl = :t",
					ConditionExpression:       "#owner = :o",
					ExpressionAttributeNames:  exprNames("SET #expires = :e, #ttl = :t", "#owner = :o"),
					ExpressionAttributeValues: item{":o": sv(owner), ":e": nv(now.Add(ttl).UnixNano()), ":t": nv(now.Add(ttl + time.Hour).Unix())},
				})
				cancel()
			}
		}
	}()
	return func() error {
		close(stop)
		<-done
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		err := s.db.DeleteItem(ctx, &ddb.DeleteItemInput{
			TableName: s.table, Key: keyOf(pk, "LOCK"),
			ConditionExpression:       "#owner = :o",
			ExpressionAttributeNames:  exprNames("#owner = :o"),
			ExpressionAttributeValues: item{":o": sv(owner)},
		})
		if err != nil && !conditionFailed(err) {
			return fmt.Errorf("unlock %s on the DynamoDB table %s: %w", name, s.table, err)
		}
		return nil
	}, nil
}
