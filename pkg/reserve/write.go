package reserve

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"slices"
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
// paced to a quota of sessions a minute on one clock (docs/reserve.md).
type writer struct {
	st     *store.Store
	acct   scheduleReader
	event  string
	quota  int
	now    func() time.Time
	sleep  func(ctx context.Context, d time.Duration) error
	logger *slog.Logger
	// sent are the sessions sent in the last minute, for pacing.
	sent []sentAt
	// requests counts the writes sent.
	requests int
}

type sentAt struct {
	at time.Time
	n  int
}

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
	if err := w.pace(ctx, len(ids)); err != nil {
		return "", false, err
	}
	jid, err := w.st.JournalWrite(ctx, w.event, kind, ids, w.now())
	if err != nil {
		return "", false, err
	}
	w.requests++
	w.sent = append(w.sent, sentAt{w.now(), len(ids)})
	outcome, err = send()
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

// pace waits until n more sessions fit the quota of the last minute.
func (w *writer) pace(ctx context.Context, n int) error {
	for {
		now := w.now()
		used := 0
		w.sent = slices.DeleteFunc(w.sent, func(s sentAt) bool { return now.Sub(s.at) >= time.Minute })
		for _, s := range w.sent {
			used += s.n
		}
		if used+n <= w.quota || len(w.sent) == 0 {
			return nil
		}
		wait := w.sent[0].at.Add(time.Minute).Sub(now)
		w.logger.Info("pacing the writes to the quota", "wait", wait.Round(time.Second).String())
		if err := w.sleep(ctx, wait); err != nil {
			return err
		}
	}
}

// unsend takes n sessions of the last write off the quota: sessions that
// most likely never reached the service.
func (w *writer) unsend(n int) {
	if len(w.sent) > 0 {
		w.sent[len(w.sent)-1].n -= n
	}
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
