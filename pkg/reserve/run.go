package reserve

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/reinvent-cli/reinvent/pkg/catalog"
	"github.com/reinvent-cli/reinvent/pkg/catalog/eventsapi"
	"github.com/reinvent-cli/reinvent/pkg/retry"
	"github.com/reinvent-cli/reinvent/pkg/schedule"
	"github.com/reinvent-cli/reinvent/pkg/store"
)

// Account is what reserve needs of the AWS Events API; *eventsapi.Catalog
// implements it.
type Account interface {
	Schedule(ctx context.Context, event string) (*eventsapi.Schedule, error)
	Reserve(ctx context.Context, event string, ids []string) (*eventsapi.Result, error)
}

// Quota is ReserveSessions' limit: sessions (not requests) per attendee per
// minute (docs/reserve.md).
const Quota = 30

// Options say what a run reserves.
type Options struct {
	Event string
	// Codes are the requested codes in priority order.
	Codes []string
	// Starred adds the catalog's starred sessions after Codes, in the
	// order of schedule.StarredCodes (--starred).
	Starred bool
	Plan    schedule.Options
	// TravelFile, when Plan.Travel is nil, overrides pairs of the built-in
	// travel table (schedule.LoadTravel, --travel); its error is a
	// *schedule.TravelError, before anything is sent.
	TravelFile string
	// DryRun plans and reports what would be reserved, and writes nothing.
	DryRun bool
	// Confirm is asked, with the sessions about to be reserved, before the
	// first write; false ends the run as a dry run. Nil means yes.
	Confirm func(toReserve []catalog.Session) bool
	// Quota is the sessions per minute the writes are paced to; 0 means
	// Quota.
	Quota int
	Now   func() time.Time
	// Sleep waits d or until ctx ends; nil means a timer.
	Sleep func(ctx context.Context, d time.Duration) error
	// Retry bounds how long a reservation whose answer did not come is
	// sent again (docs/reserve.md); zero fields take the defaults, and a
	// nil Sleep or Now the run's.
	Retry  retry.Policy
	Logger *slog.Logger
	// Opening, when set, waits through a closed reservation system (409)
	// for it to open, probing on a schedule (--at-open; docs/reserve.md,
	// "The opening minute").
	Opening *Opening
	// MaxWrites bounds the write requests of the run (probes refused with
	// 409 excepted); 0 means no bound. The planned codes not sent then
	// are "not sent".
	MaxWrites int
}

// Entry is one code of the report and the session it is about.
type Entry struct {
	Code    string          `json:"code"`
	Session catalog.Session `json:"-"`
	// From is the instance first planned, when the seat ended in another.
	From string `json:"from,omitempty"`
	// Why says why a code is not held: "full", "conflict", "answer
	// lost", "not sent", "no time announced", "not found", "not
	// reservable", or the API's code.
	Why       string   `json:"reason,omitempty"`
	BlockedBy []string `json:"blocked_by,omitempty"`
}

// Report is what a run did, read back from the account at its end.
type Report struct {
	AlreadyHeld []Entry `json:"already_held"`
	Reserved    []Entry `json:"reserved"`
	WalkUp      []Entry `json:"walk_up"`
	NotHeld     []Entry `json:"not_held"`
	// ToReserve is what a dry run would reserve.
	ToReserve []Entry `json:"to_reserve"`
	DryRun    bool    `json:"dry_run"`
	// Requests counts the writes sent; Reconciled those whose answer was
	// lost and that were settled by reading the schedule back.
	Requests   int `json:"requests"`
	Reconciled int `json:"reconciled"`
}

// Run books the plan of o.Codes (docs/reserve.md); a nil acct is a
// catalog's CatalogAccount, for a dry run with no account. It takes the store's
// reserve lock, reads the schedule (settling first any write an earlier
// run sent without seeing its answer), plans around what is held, and
// reserves the planned sessions not yet held in batches of at most 10,
// paced to the quota. A full session is left out and the plan made again;
// a clash means the schedule changed: it is read again and the plan made
// again; alreadyScheduled is a seat held; any other refusal leaves that
// code out. Every write is journaled before it is sent, and after a write
// whose answer did not come the schedule is read back before anything
// else; what it does not hold is sent again under o.Retry. The report is
// of the schedule as read back at the end. When the answers stay lost
// past o.Retry, the run stops: the report is returned with an error that
// wraps eventsapi.ErrUnavailable.
func Run(ctx context.Context, st *store.Store, acct Account, sessions []catalog.Session, o Options) (*Report, error) {
	if acct == nil { // no account: what is held is what the catalog's reserved sessions say
		acct = CatalogAccount{Sessions: sessions}
	}
	if o.Plan.Travel == nil && o.TravelFile != "" {
		travel, err := schedule.LoadTravel(o.TravelFile, sessions)
		if err != nil {
			return nil, err
		}
		o.Plan.Travel = travel
	}
	r := &run{st: st, acct: acct, o: o, excluded: map[string]string{}, lost: map[string]bool{}, dropped: map[string]string{}, first: map[string]string{}, sent: map[string]bool{}}
	if r.o.Quota == 0 {
		r.o.Quota = Quota
	}
	if r.o.Now == nil {
		r.o.Now = time.Now
	}
	if r.o.Sleep == nil {
		r.o.Sleep = retry.Sleep
	}
	if r.o.Logger == nil {
		r.o.Logger = slog.New(slog.DiscardHandler)
	}
	if r.o.Retry.Sleep == nil {
		r.o.Retry.Sleep = r.o.Sleep
	}
	if r.o.Retry.Now == nil {
		r.o.Retry.Now = r.o.Now
	}
	r.byID = map[string]*catalog.Session{}
	for i := range sessions {
		r.byID[sessions[i].SessionID] = &sessions[i]
	}
	r.sessions = sessions
	if o.Starred {
		r.o.Codes = append(slices.Clone(o.Codes), schedule.StarredCodes(sessions)...)
	}
	r.w = &writer{st: st, acct: acct, event: o.Event, quota: r.o.Quota, now: r.o.Now, sleep: r.o.Sleep, logger: r.o.Logger, max: o.MaxWrites}
	unlock, err := r.lockAndSettle(ctx)
	if err != nil {
		return nil, err
	}
	defer unlock()
	heldBefore := maps.Clone(r.held.Reserved)
	confirmed := false
	for round := 0; round < 100; round++ {
		res, want, err := r.plan()
		if err != nil {
			return nil, err
		}
		if len(want) == 0 {
			break
		}
		if o.DryRun {
			return r.report(res, heldBefore, want, true), nil
		}
		if !confirmed {
			if o.Confirm != nil && !o.Confirm(want) {
				return r.report(res, heldBefore, want, true), nil
			}
			confirmed = true
		}
		if o.Opening != nil && !r.opened {
			err = r.open(ctx, want)
		} else {
			err = r.send(ctx, want)
		}
		if errors.Is(err, errMaxWrites) {
			r.stopped = true
			r.o.Logger.Info("stopped at --max-writes", "writes", o.MaxWrites)
			break
		}
		if err != nil {
			return r.report(res, heldBefore, nil, false), err
		}
	}
	// The truth is the account's: read it back.
	sch, err := acct.Schedule(ctx, o.Event)
	if err != nil {
		return nil, err
	}
	r.held = HeldOf(sch)
	res, _, err := r.plan()
	if err != nil {
		return nil, err
	}
	return r.report(res, heldBefore, nil, false), nil
}

type run struct {
	st       *store.Store
	acct     Account
	w        *writer
	o        Options
	sessions []catalog.Session
	byID     map[string]*catalog.Session
	held     Held
	excluded map[string]string // session id → why it is left out: "full" or "conflict"
	lost     map[string]bool   // session ids whose answers stayed lost past the retry policy
	stopped  bool              // the run stopped there: the service stayed unavailable
	dropped  map[string]string // requested code → the refusal that leaves it out
	first    map[string]string // requested code → the instance first planned
	recon    int
	opened   bool            // an accepted probe said reservations are open
	sent     map[string]bool // session ids this run asked for
	refines  int             // schedule reads spent on the service's clock
}

// settle reads the schedule and, when the run is alone on the store, ends
// every write an earlier run left without an outcome: what the schedule
// holds is what happened. Beside another run, whose writes may be in
// flight, it only reads the schedule.
func (r *run) settle(ctx context.Context, alone bool) error {
	var open []store.Write
	var err error
	if alone {
		if open, err = r.st.Writes(ctx, r.o.Event, store.WriteSent); err != nil {
			return err
		}
	}
	sch, err := r.acct.Schedule(ctx, r.o.Event)
	if err != nil {
		return err
	}
	r.held = HeldOf(sch)
	for _, w := range open {
		// A reservation sent, its answer lost, and not held either never
		// arrived or was refused. Knowing that, it stays in the plan and
		// is sent again; a refusal then says why.
		holds := sch.Reserved
		if w.Kind == "favorite" {
			holds = sch.Favorites
		}
		out, missing := settled(w.SessionIDs, holds)
		if err := r.st.EndWrite(ctx, w.ID, store.WriteReconciled, out, r.o.Now()); err != nil {
			return err
		}
		r.recon++
		r.o.Logger.Info("settled a write whose answer was lost", "write", w.ID, "kind", w.Kind, "held", len(w.SessionIDs)-len(missing), "not_held", len(missing))
	}
	return nil
}

// plan plans around what is held, leaving out the full instances and the
// refused codes, and returns the sessions to reserve.
func (r *run) plan() (*schedule.Result, []catalog.Session, error) {
	sessions := r.sessions
	if len(r.excluded) > 0 {
		sessions = slices.DeleteFunc(slices.Clone(sessions), func(s catalog.Session) bool { return r.excluded[s.SessionID] != "" && !r.held.Reserved[s.SessionID] })
	}
	var codes []string
	for _, c := range r.o.Codes {
		if _, ok := r.dropped[strings.ToUpper(c)]; !ok {
			codes = append(codes, c)
		}
	}
	res, err := Plan(codes, sessions, r.held, r.o.Plan)
	if err != nil {
		return nil, nil, err
	}
	var want []catalog.Session
	for _, c := range res.Scheduled {
		s := c.Session
		if IsPersonal(c.Code) || r.held.Reserved[s.SessionID] {
			continue
		}
		if code := r.requestedFor(&s); r.first[code] == "" {
			r.first[code] = s.Code
		}
		if s.SeatAvailability == catalog.SeatWalkUp || !s.Reservable {
			continue
		}
		want = append(want, s)
	}
	return res, want, nil
}

// send reserves want in batches of at most 10, paced to the quota, and
// learns from each answer; it returns after the first batch that changes
// the plan, so that the plan is made again.
func (r *run) send(ctx context.Context, want []catalog.Session) error {
	for len(want) > 0 {
		n := min(len(want), eventsapi.MaxBatch)
		batch := want[:n]
		want = want[n:]
		ids := make([]string, n)
		for i := range batch {
			ids[i] = batch[i].SessionID
		}
		res, err := r.reserve(ctx, ids)
		if err != nil {
			return err
		}
		if changed, err := r.learn(ctx, res); changed || err != nil {
			return err
		}
	}
	return nil
}

// learn takes in the answer of one batch: seats held, full instances and
// refused codes left out, the schedule read again after a clash. changed
// says the plan must be made again. A nil res (the schedule read back
// holds the whole batch) changes nothing.
func (r *run) learn(ctx context.Context, res *eventsapi.Result) (changed bool, err error) {
	if res == nil {
		return false, nil
	}
	for _, id := range res.Successful {
		r.held.Reserved[id] = true
	}
	reread := false
	for _, f := range res.Failed {
		switch f.Code {
		case eventsapi.CodeAlreadyScheduled:
			r.held.Reserved[f.SessionID] = true
		case eventsapi.CodeSessionFull:
			r.excluded[f.SessionID] = "full"
		case eventsapi.CodeScheduleConflict:
			reread = true
			r.excluded[f.SessionID] = "conflict" // the plan made again around what is held now says what instead
		default:
			if s := r.byID[f.SessionID]; s != nil {
				r.drop(s, f.Code)
			}
		}
	}
	if reread {
		sch, err := r.acct.Schedule(ctx, r.o.Event)
		if err != nil {
			return true, err
		}
		r.held = HeldOf(sch)
	}
	return len(res.Failed) > 0, nil
}

// reserve sends one batch and returns the answer of its last request.
// When an answer does not come (a 5xx, a timeout, a dropped connection),
// the schedule is read back before anything else: what it holds is held,
// and the rest, the same instances, is sent again after the retry
// policy's backoff. Nothing is planned again for a lost answer. The
// answer is nil when the schedule read back holds the whole batch. When
// the policy is spent, the sessions still not held are "answer lost",
// the run stops, and the error wraps eventsapi.ErrUnavailable.
func (r *run) reserve(ctx context.Context, ids []string) (*eventsapi.Result, error) {
	for _, id := range ids {
		r.sent[id] = true
	}
	var (
		res        *eventsapi.Result
		fail, lost error
		unsettled  bool // the schedule could not be read back after a lost answer
	)
	tries, spent, err := r.o.Retry.Do(ctx, func() (bool, time.Duration) {
		var (
			sent    error
			missing []string
			wasLost bool
		)
		_, wasLost, fail = r.w.write(ctx, "reserve", ids, func() (string, error) {
			res, sent = r.acct.Reserve(ctx, r.o.Event, ids)
			out, _ := json.Marshal(res)
			return string(out), sent
		}, func(sch *eventsapi.Schedule) string {
			r.held = HeldOf(sch)
			r.recon++
			out, m := settled(ids, r.held.Reserved)
			missing = m
			return out
		})
		if !wasLost {
			return false, 0
		}
		res, lost = nil, sent
		if fail == nil {
			// What the schedule does not hold most likely never
			// reached the service, so the pacing does not count it
			// (spent); if it did, the service's 429 says how long to wait.
			ids = missing
		}
		unsettled = fail != nil
		return fail == nil && len(ids) > 0, 0
	})
	if unsettled || spent {
		// Unsettled, or not held after the last try: the run stops here.
		for _, id := range ids {
			r.lost[id] = true
		}
		r.stopped = true
	}
	switch {
	case err != nil:
		return nil, err
	case fail != nil:
		return nil, fail
	case spent:
		codes := make([]string, len(ids))
		for i, id := range ids {
			codes[i] = r.byID[id].Code
		}
		return nil, fmt.Errorf("%w: answer lost for %s after %d tries (last: %v); the run stopped there: run reserve again later, it reads back what is held first",
			eventsapi.ErrUnavailable, strings.Join(codes, ", "), tries, lost)
	}
	return res, nil
}

// drop leaves out the requested code that a refused session answers.
func (r *run) drop(s *catalog.Session, why string) {
	for _, c := range r.o.Codes {
		u := strings.ToUpper(strings.TrimSuffix(c, schedule.ExactMark))
		if u == s.Code || u == s.BaseCode {
			r.dropped[u] = why
		}
	}
}

func (r *run) report(res *schedule.Result, before map[string]bool, want []catalog.Session, dry bool) *Report {
	rep := &Report{DryRun: dry, Requests: r.w.requests, Reconciled: r.recon,
		AlreadyHeld: []Entry{}, Reserved: []Entry{}, WalkUp: []Entry{}, NotHeld: []Entry{}, ToReserve: []Entry{}}
	for _, s := range want {
		rep.ToReserve = append(rep.ToReserve, Entry{Code: s.Code, Session: s})
	}
	for _, c := range res.Scheduled {
		s := c.Session
		switch {
		case IsPersonal(c.Code):
		case r.held.Reserved[s.SessionID] && (before[s.SessionID] || !r.sent[s.SessionID]):
			// Held before, or taken meanwhile by another run or device.
			rep.AlreadyHeld = append(rep.AlreadyHeld, Entry{Code: r.requestedFor(&s), Session: s})
		case r.held.Reserved[s.SessionID]:
			code := r.requestedFor(&s)
			e := Entry{Code: code, Session: s}
			if f := r.first[code]; f != "" && f != s.Code {
				e.From = f
			}
			rep.Reserved = append(rep.Reserved, e)
		case s.SeatAvailability == catalog.SeatWalkUp:
			rep.WalkUp = append(rep.WalkUp, Entry{Code: c.Code, Session: s})
		case !s.Reservable:
			rep.NotHeld = append(rep.NotHeld, Entry{Code: c.Code, Session: s, Why: "not reservable"})
		case !dry:
			why := "not held"
			if r.lost[s.SessionID] {
				why = "answer lost"
			} else if r.stopped {
				why = "not sent"
			}
			rep.NotHeld = append(rep.NotHeld, Entry{Code: c.Code, Session: s, Why: why})
		}
	}
	personal := personalNames(r.held)
	for _, u := range res.Unscheduled {
		if IsPersonal(u.Code) {
			continue // personal time left out for a held seat: nothing to reserve
		}
		why := u.Reason
		if w := r.leftOut(u.Code); w != "" {
			why = w
		}
		var by []string
		for _, b := range u.BlockedBy {
			if n, ok := personal[b]; ok {
				b = n
			}
			by = append(by, b)
		}
		rep.NotHeld = append(rep.NotHeld, Entry{Code: u.Code, Why: why, BlockedBy: by})
	}
	for _, c := range res.NotFound {
		why := "not found"
		if w := r.leftOut(c); w != "" {
			why = w
		}
		rep.NotHeld = append(rep.NotHeld, Entry{Code: c, Why: why})
	}
	for _, c := range r.o.Codes {
		u := strings.ToUpper(strings.TrimSuffix(c, schedule.ExactMark))
		if why, ok := r.dropped[u]; ok {
			rep.NotHeld = append(rep.NotHeld, Entry{Code: u, Why: why})
		}
	}
	return rep
}

// requestedFor is the requested code that session s answers, as written
// canonically; s's own code when none does.
func (r *run) requestedFor(s *catalog.Session) string {
	for _, c := range r.o.Codes {
		u := strings.ToUpper(strings.TrimSuffix(c, schedule.ExactMark))
		if u == s.Code || u == s.BaseCode {
			return u
		}
	}
	return s.Code
}

// leftOut says why every instance of code was left out ("full",
// "conflict", or both joined by " or "), or "" when some instance was
// not.
func (r *run) leftOut(code string) string {
	code = strings.ToUpper(strings.TrimSuffix(code, schedule.ExactMark))
	var whys []string
	for i := range r.sessions {
		s := &r.sessions[i]
		if s.Code == code || s.BaseCode == code {
			w := r.excluded[s.SessionID]
			if w == "" {
				return ""
			}
			if !slices.Contains(whys, w) {
				whys = append(whys, w)
			}
		}
	}
	slices.Sort(whys)
	return strings.Join(whys, " or ")
}
