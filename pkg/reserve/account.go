package reserve

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"time"

	"github.com/reinvent-cli/reinvent/pkg/catalog"
	"github.com/reinvent-cli/reinvent/pkg/catalog/eventsapi"
	"github.com/reinvent-cli/reinvent/pkg/retry"
	"github.com/reinvent-cli/reinvent/pkg/schedule"
	"github.com/reinvent-cli/reinvent/pkg/store"
)

// Writer is what Favorite and Cancel need of the AWS Events API;
// *eventsapi.Catalog implements it, and so does CatalogAccount, for dry
// runs on a catalog with no account behind it.
type Writer interface {
	Schedule(ctx context.Context, event string) (*eventsapi.Schedule, error)
	Favorite(ctx context.Context, event string, ids []string) (*eventsapi.Result, error)
	Cancel(ctx context.Context, event, id string) error
}

// Favorite refuses: a catalog takes no favorites.
func (CatalogAccount) Favorite(context.Context, string, []string) (*eventsapi.Result, error) {
	return nil, ErrNoAccount
}

// Cancel refuses: a catalog holds no seat to give up.
func (CatalogAccount) Cancel(context.Context, string, string) error { return ErrNoAccount }

// WriteOptions say how Favorite and Cancel write.
type WriteOptions struct {
	Event string
	// DryRun matches the codes and reports what would be sent, and
	// sends nothing.
	DryRun bool
	// Now is the clock the writes are paced on; nil means time.Now.
	Now func() time.Time
	// Sleep waits d or until ctx ends; nil means retry.Sleep.
	Sleep  func(ctx context.Context, d time.Duration) error
	Logger *slog.Logger
}

// writer is a writer to acct on o's clock, paced to Quota: AssociateFavorites
// and CancelReservation allow 30 sessions a minute, as ReserveSessions does
// (docs/events-api.md, "Quotas and throttling").
func (o WriteOptions) writer(st *store.Store, acct scheduleReader) *writer {
	w := &writer{st: st, acct: acct, event: o.Event, quota: Quota, now: o.Now, sleep: o.Sleep, logger: o.Logger}
	if w.now == nil {
		w.now = time.Now
	}
	if w.sleep == nil {
		w.sleep = retry.Sleep
	}
	if w.logger == nil {
		w.logger = slog.New(slog.DiscardHandler)
	}
	return w
}

// matching returns the sessions a code names: the one session of a full
// code, every repeat of a base code, and with schedule's exact mark
// (AIM306=) the one session of that code, as schedule reads it.
func matching(code string, sessions []catalog.Session) []catalog.Session {
	bare, exact := schedule.CutExact(code)
	c, err := catalog.ParseCode(bare)
	if err != nil {
		return nil
	}
	var out []catalog.Session
	for _, s := range sessions {
		// A base code names every repeat; with the exact mark (AIM306=)
		// only the instance of that code.
		if s.Code == c.String() || (!exact && c.String() == c.Base && s.BaseCode == c.Base) {
			out = append(out, s)
		}
	}
	return out
}

// FavoriteReport is what Favorite did, or in a dry run would do.
type FavoriteReport struct {
	DryRun bool
	// Sessions are the sessions the codes name, each once, in the order
	// of the codes.
	Sessions []catalog.Session
	// Added counts the sessions that are favorites now.
	Added int
	// NotFound are the codes that name no session.
	NotFound []string
	// NotAdded are the session ids not added, each with why.
	NotAdded []string
}

// Incomplete is the error of a favorite, not a dry run, that found no
// session for some codes or did not add some sessions (exit 1), or nil.
func (rep *FavoriteReport) Incomplete() error {
	if rep.DryRun || len(rep.NotAdded)+len(rep.NotFound) == 0 {
		return nil
	}
	return fmt.Errorf("%d codes not found, %d sessions not added", len(rep.NotFound), len(rep.NotAdded))
}

// Favorite adds the sessions of codes to the favorites in journaled
// batches of at most 10, paced to AssociateFavorites' 30 sessions a
// minute. A favorite added twice does no harm, so a lost answer is read
// back and the run goes on. On an error the report says what was done
// before it.
func Favorite(ctx context.Context, st *store.Store, acct Writer, sessions []catalog.Session, codes []string, o WriteOptions) (*FavoriteReport, error) {
	rep := &FavoriteReport{DryRun: o.DryRun}
	var ids []string
	seen := map[string]bool{}
	for _, c := range codes {
		m := matching(c, sessions)
		if len(m) == 0 {
			rep.NotFound = append(rep.NotFound, c)
		}
		for _, s := range m {
			if !seen[s.SessionID] {
				seen[s.SessionID] = true
				ids = append(ids, s.SessionID)
				rep.Sessions = append(rep.Sessions, s)
			}
		}
	}
	if o.DryRun {
		return rep, nil
	}
	w := o.writer(st, acct)
	for len(ids) > 0 {
		n := min(len(ids), eventsapi.MaxBatch)
		batch := ids[:n]
		ids = ids[n:]
		var res *eventsapi.Result
		_, lost, err := w.write(ctx, "favorite", batch, func() (string, error) {
			var err error
			res, err = acct.Favorite(ctx, o.Event, batch)
			if err != nil {
				return "", err
			}
			return fmt.Sprintf("%d added, %d failed", len(res.Successful), len(res.Failed)), nil
		}, func(sch *eventsapi.Schedule) string {
			out, missing := settled(batch, sch.Favorites)
			rep.Added += len(batch) - len(missing)
			for _, id := range missing {
				rep.NotAdded = append(rep.NotAdded, id+" (answer lost)")
			}
			return out
		})
		if err != nil {
			return rep, err
		}
		if lost {
			continue
		}
		rep.Added += len(res.Successful)
		for _, f := range res.Failed {
			if f.Code == eventsapi.CodeAlreadyFavorited {
				rep.Added++
				continue
			}
			rep.NotAdded = append(rep.NotAdded, f.SessionID+" ("+f.Code+")")
		}
	}
	return rep, nil
}

// WriteText writes the report for people: what was added (or would be),
// then the codes not found and the sessions not added, a line each.
func (rep *FavoriteReport) WriteText(out io.Writer) error {
	w := bufio.NewWriter(out)
	if rep.DryRun {
		fmt.Fprintf(w, "Would add %s to your favorites (dry run: nothing sent)\n", Count(len(rep.Sessions), "session"))
		for _, s := range rep.Sessions {
			fmt.Fprintf(w, "  %-12s %s\n", s.Code, catalog.CleanLine(s.Title))
		}
	} else {
		fmt.Fprintf(w, "%d sessions are favorites now\n", rep.Added)
	}
	for _, c := range rep.NotFound {
		fmt.Fprintf(w, "not found: %s\n", catalog.CleanLine(c))
	}
	for _, f := range rep.NotAdded {
		fmt.Fprintf(w, "not added: %s\n", catalog.CleanLine(f))
	}
	return w.Flush()
}

// The outcomes of a code given to Cancel.
const (
	Cancelled   = "cancelled"
	AlreadyGone = "already gone" // the service answered 404
	StillHeld   = "still held"   // the answer was lost, and the schedule read back still holds the seat
	NoSeatHeld  = "no seat held" // nothing to cancel: not an error
	WouldCancel = "would be cancelled (dry run: nothing sent)"
)

// CancelEntry is one line of a CancelReport: the code of a session whose
// seat was held, or a requested code of which no seat is held, and what
// became of it.
type CancelEntry struct {
	Code    string
	Outcome string
}

// CancelReport is what Cancel did, code by code.
type CancelReport struct {
	Entries []CancelEntry
}

// StillHeld counts the seats whose cancel may not have happened.
func (rep *CancelReport) StillHeld() int {
	n := 0
	for _, e := range rep.Entries {
		if e.Outcome == StillHeld {
			n++
		}
	}
	return n
}

// Incomplete is the error of a cancel that leaves seats that may still be
// held (exit 1: run it again), or nil.
func (rep *CancelReport) Incomplete() error {
	if n := rep.StillHeld(); n > 0 {
		return fmt.Errorf("%d seats are still held; run reinvent cancel again", n)
	}
	return nil
}

// WriteText writes one line a code: "CODE: OUTCOME".
func (rep *CancelReport) WriteText(out io.Writer) error {
	w := bufio.NewWriter(out)
	for _, e := range rep.Entries {
		fmt.Fprintf(w, "%s: %s\n", catalog.CleanLine(e.Code), e.Outcome)
	}
	return w.Flush()
}

// Cancel gives up the seats held in the sessions of codes (of a base code,
// whichever repeat is held), each journaled and paced to
// CancelReservation's 30 a minute: "cancelled", "already gone" (404), or,
// when the answer was lost and the schedule read back, "cancelled" or
// "still held". A code of which no seat is held is "no seat held". A dry
// run reads the schedule and sends nothing. On an error the report says
// what was done before it.
func Cancel(ctx context.Context, st *store.Store, acct Writer, sessions []catalog.Session, codes []string, o WriteOptions) (*CancelReport, error) {
	rep := &CancelReport{}
	sch, err := acct.Schedule(ctx, o.Event)
	if err != nil {
		return rep, err
	}
	w := o.writer(st, acct)
	for _, c := range codes {
		var held []catalog.Session
		for _, s := range matching(c, sessions) {
			if sch.Reserved[s.SessionID] {
				held = append(held, s)
			}
		}
		if len(held) == 0 {
			rep.Entries = append(rep.Entries, CancelEntry{Code: c, Outcome: NoSeatHeld})
			continue
		}
		for _, s := range held {
			outcome := WouldCancel
			if !o.DryRun {
				id := s.SessionID
				outcome, _, err = w.write(ctx, "cancel", []string{id}, func() (string, error) {
					err := acct.Cancel(ctx, o.Event, id)
					if errors.Is(err, eventsapi.ErrNotHeld) {
						return AlreadyGone, nil
					}
					return Cancelled, err
				}, func(back *eventsapi.Schedule) string {
					if back.Reserved[id] {
						return StillHeld
					}
					return Cancelled
				})
				if err != nil {
					return rep, err
				}
			}
			rep.Entries = append(rep.Entries, CancelEntry{Code: s.Code, Outcome: outcome})
		}
	}
	return rep, nil
}

// ReserveExact reserves exactly the sessions of ids in one journaled
// request, paced to the quota like every write, with no plan and no
// retry: what follow --swap needs for each step of a swap (docs/follow.md,
// "Swaps"). It returns the ids held afterwards (alreadyScheduled counts)
// and, for each id not held, why: the API's code, or "answer lost" when
// the answer did not come and the schedule read back does not hold it.
// An error is a refusal of the whole request (such as 409 or a 429 given
// up), or a schedule that could not be read back after a lost answer:
// then what happened is not known, and the journal's entry stays open for
// the next run to settle.
func ReserveExact(ctx context.Context, st *store.Store, acct Account, ids []string, o WriteOptions) (held []string, why map[string]string, err error) {
	why = map[string]string{}
	w := o.writer(st, acct)
	var res *eventsapi.Result
	_, lost, err := w.write(ctx, "reserve", ids, func() (string, error) {
		var err error
		res, err = acct.Reserve(ctx, o.Event, ids)
		out, _ := json.Marshal(res)
		return string(out), err
	}, func(sch *eventsapi.Schedule) string {
		out, missing := settled(ids, sch.Reserved)
		for _, id := range ids {
			if slices.Contains(missing, id) {
				why[id] = "answer lost"
			} else {
				held = append(held, id)
			}
		}
		return out
	})
	if err != nil || lost {
		return held, why, err
	}
	held = append(held, res.Successful...)
	for _, f := range res.Failed {
		if f.Code == eventsapi.CodeAlreadyScheduled {
			held = append(held, f.SessionID)
			continue
		}
		why[f.SessionID] = f.Code
	}
	return held, why, nil
}
