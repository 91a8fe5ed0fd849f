package reserve

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"time"

	"github.com/reinvent-cli/reinvent/pkg/catalog/eventsapi"
	"github.com/reinvent-cli/reinvent/pkg/store"
)

// scheduleReader reads the attendee's schedule: what a write whose answer
// was lost is settled from.
type scheduleReader interface {
	Schedule(ctx context.Context, event string) (*eventsapi.Schedule, error)
}

// writer sends the journaled writes of one command to the AWS Events API,
// paced to a quota of sessions a minute (docs/reserve.md, "One quota for
// every process"). The pacing reads the store's journal: what any process
// on the store sent in the last minute counts, so reserve, follow
// --rebook, favorite and cancel never go over the quota together.
type writer struct {
	st     *store.Store
	acct   scheduleReader
	event  string
	quota  int
	now    func() time.Time
	sleep  func(ctx context.Context, d time.Duration) error
	logger *slog.Logger
	// requests counts the writes sent; counted those that count against
	// max (all but the 409s, which did nothing), when max is not 0.
	requests, counted, max int
}

// errMaxWrites is write's error once the run has sent its --max-writes.
var errMaxWrites = errors.New("the run has sent its --max-writes")

// write journals a write of kind for ids, waits for the quota, sends it
// with send and ends the journal entry with the outcome send returns. It
// returns the outcome journaled.
//
// When the answer does not come (send's error wraps eventsapi.ErrUncertain),
// the schedule is read back before anything else and readBack says from it
// what happened: the entry ends "reconciled" with that outcome, and lost is
// true. When the schedule cannot be read either, the entry stays "sent",
// for the next run to settle, and err is the read's error. Any other error
// of send ends the entry with that error and is returned.
func (w *writer) write(ctx context.Context, kind string, ids []string, send func() (string, error), readBack func(*eventsapi.Schedule) string) (outcome string, lost bool, err error) {
	if w.max > 0 && w.counted >= w.max {
		return "", false, errMaxWrites
	}
	jid, err := w.journal(ctx, kind, ids)
	if err != nil {
		return "", false, err
	}
	w.requests++
	outcome, err = send()
	if !errors.Is(err, eventsapi.ErrClosed) {
		w.counted++
	}
	state := store.WriteDone
	switch {
	case errors.Is(err, eventsapi.ErrUncertain):
		w.logger.Warn("a write's answer was lost; reading the schedule back before anything else", "kind", kind, "err", err)
		sch, serr := w.acct.Schedule(ctx, w.event)
		if serr != nil {
			return "", true, serr
		}
		lost, state, outcome = true, store.WriteReconciled, readBack(sch)
	case err != nil:
		out, _ := json.Marshal(map[string]string{"error": err.Error()})
		_ = w.st.EndWrite(context.WithoutCancel(ctx), jid, store.WriteDone, string(out), w.now())
		return "", false, err
	}
	return outcome, lost, w.st.EndWrite(ctx, jid, state, outcome, w.now())
}

// journal waits until len(ids) more sessions of kind fit the quota of the
// last minute, counting every process's journaled writes, and journals
// the write in the same transaction.
func (w *writer) journal(ctx context.Context, kind string, ids []string) (int64, error) {
	for {
		now := w.now()
		jid, wait, err := w.st.JournalPaced(ctx, w.event, kind, ids, now, now.Add(-time.Minute), func(recent []store.Write) time.Duration {
			return fits(recent, len(ids), w.quota, now)
		})
		if err != nil || wait == 0 {
			return jid, err
		}
		w.logger.Info("pacing the writes to the quota", "wait", wait.Round(time.Second).String())
		if err := w.sleep(ctx, wait); err != nil {
			return 0, err
		}
	}
}

// fits says how long after now n more sessions fit quota, given the writes
// journaled in the minute before now, oldest first: 0 when they fit now,
// or when nothing of the last minute spent any (a batch larger than the
// quota is the service's to refuse).
func fits(recent []store.Write, n, quota int, now time.Time) time.Duration {
	used := 0
	for _, w := range recent {
		used += spent(w)
	}
	if used == 0 || used+n <= quota {
		return 0
	}
	for _, w := range recent {
		if used -= spent(w); used+n <= quota {
			return max(w.CreatedAt.Add(time.Minute).Sub(now), time.Millisecond)
		}
	}
	return time.Minute
}

// spent is how many sessions of the quota a journaled write spent, by what
// is known of it: all of them while its outcome is open; none when it
// ended with an error (a refusal, such as 409 or a 429 given up: "neither
// performed the write", docs/events-api.md); when its answer was lost,
// only those the schedule read back held, since the rest most likely
// never reached the service (if they did, its 429 says how long to wait).
func spent(w store.Write) int {
	var out struct {
		Error string   `json:"error"`
		Held  []string `json:"held"`
	}
	known := json.Unmarshal([]byte(w.Outcome), &out) == nil
	switch {
	case w.State == store.WriteSent || !known:
		return len(w.SessionIDs)
	case out.Error != "":
		return 0
	case w.State == store.WriteReconciled:
		return len(out.Held)
	}
	return len(w.SessionIDs)
}

// settled is the outcome of a write of ids that the schedule read back
// settles: the ids holds has and those it does not, which are returned too.
func settled(ids []string, holds map[string]bool) (outcome string, missing []string) {
	var held []string
	for _, id := range ids {
		if holds[id] {
			held = append(held, id)
		} else {
			missing = append(missing, id)
		}
	}
	out, _ := json.Marshal(map[string][]string{"held": held, "not_held": missing})
	return string(out), missing
}
