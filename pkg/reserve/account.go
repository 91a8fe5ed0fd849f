package reserve

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/reinvent-cli/reinvent/pkg/catalog/eventsapi"
	"github.com/reinvent-cli/reinvent/pkg/store"
)

// Favorites is what Favorite needs of the AWS Events API.
type Favorites interface {
	Schedule(ctx context.Context, event string) (*eventsapi.Schedule, error)
	Favorite(ctx context.Context, event string, ids []string) (*eventsapi.Result, error)
}

// Canceller is what Cancel needs of the AWS Events API.
type Canceller interface {
	Schedule(ctx context.Context, event string) (*eventsapi.Schedule, error)
	Cancel(ctx context.Context, event, id string) error
}

// Favorite adds sessions to the favorites in journaled batches of at most
// 10, paced to AssociateFavorites' 30 sessions a minute. A favorite added
// twice does no harm, so a lost answer is read back and the run goes on.
// It returns how many are favorites now and the ids not added, with why.
func Favorite(ctx context.Context, st *store.Store, acct Favorites, event string, ids []string) (added int, failed []string, err error) {
	sent, start := 0, time.Now()
	for len(ids) > 0 {
		n := min(len(ids), eventsapi.MaxBatch)
		batch := ids[:n]
		ids = ids[n:]
		if sent+n > Quota {
			if err := sleep(ctx, time.Until(start.Add(time.Minute))); err != nil {
				return added, failed, err
			}
			sent, start = 0, time.Now()
		}
		sent += n
		jid, err := st.JournalWrite(ctx, event, "favorite", batch, time.Now())
		if err != nil {
			return added, failed, err
		}
		res, err := acct.Favorite(ctx, event, batch)
		if errors.Is(err, eventsapi.ErrUncertain) {
			sch, serr := acct.Schedule(ctx, event)
			if serr != nil {
				return added, failed, serr
			}
			for _, id := range batch {
				if sch.Favorites[id] {
					added++
				} else {
					failed = append(failed, id+" (answer lost)")
				}
			}
			if err := st.EndWrite(ctx, jid, store.WriteReconciled, "read back", time.Now()); err != nil {
				return added, failed, err
			}
			continue
		}
		if err != nil {
			_ = st.EndWrite(context.WithoutCancel(ctx), jid, store.WriteDone, err.Error(), time.Now())
			return added, failed, err
		}
		if err := st.EndWrite(ctx, jid, store.WriteDone, fmt.Sprintf("%d added, %d failed", len(res.Successful), len(res.Failed)), time.Now()); err != nil {
			return added, failed, err
		}
		added += len(res.Successful)
		for _, f := range res.Failed {
			if f.Code == eventsapi.CodeAlreadyFavorited {
				added++
				continue
			}
			failed = append(failed, f.SessionID+" ("+f.Code+")")
		}
	}
	return added, failed, nil
}

// Cancel gives up the seat of session id, journaled: "cancelled", "already
// gone" (404), or, when the answer was lost and the schedule read back,
// "cancelled" or "still held".
func Cancel(ctx context.Context, st *store.Store, acct Canceller, event, id string) (string, error) {
	jid, err := st.JournalWrite(ctx, event, "cancel", []string{id}, time.Now())
	if err != nil {
		return "", err
	}
	err = acct.Cancel(ctx, event, id)
	state, outcome := store.WriteDone, "cancelled"
	switch {
	case err == nil:
	case errors.Is(err, eventsapi.ErrNotHeld):
		outcome = "already gone"
	case errors.Is(err, eventsapi.ErrUncertain):
		state = store.WriteReconciled
		back, serr := acct.Schedule(ctx, event)
		if serr != nil {
			return "", serr // the journal stays open: the next run settles it
		}
		if back.Reserved[id] {
			outcome = "still held"
		}
	default:
		_ = st.EndWrite(context.WithoutCancel(ctx), jid, store.WriteDone, err.Error(), time.Now())
		return "", err
	}
	return outcome, st.EndWrite(ctx, jid, state, outcome, time.Now())
}
