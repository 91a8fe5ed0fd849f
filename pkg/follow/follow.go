// Package follow keeps an attendee's plan up with the conference: each
// run re-solves the plan on the catalog as it is now, tells what changed
// for the followed sessions in private notices sent exactly once, and
// keeps a live calendar (docs/follow.md).
package follow

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"strings"
	"time"

	"github.com/reinvent-cli/reinvent/internal/atomicfile"
	"github.com/reinvent-cli/reinvent/pkg/calendar"
	"github.com/reinvent-cli/reinvent/pkg/catalog"
	"github.com/reinvent-cli/reinvent/pkg/notify"
	"github.com/reinvent-cli/reinvent/pkg/reserve"
	"github.com/reinvent-cli/reinvent/pkg/store"
)

// Target is one notify URL: its sink, and the key the outbox keeps its
// notices under (notify.Key).
type Target struct {
	Key  string
	Sink notify.Sink
}

// Targets opens each notify URL (notify.Open with o) as a Target keyed by
// notify.Key. The first URL that cannot be used is the error, which names
// no secret of it.
func Targets(urls []string, o notify.Options) ([]Target, error) {
	var out []Target
	for _, u := range urls {
		s, err := notify.Open(u, o)
		if err != nil {
			return nil, err
		}
		out = append(out, Target{Key: notify.Key(u), Sink: s})
	}
	return out, nil
}

// Account is what --rebook and --swap write to: reserve's account, and
// its cancels.
type Account interface {
	reserve.Account
	reserve.Writer
}

// Deps are what a run reads and writes.
type Deps struct {
	// Store keeps the state between runs and the outbox of notices. A dry
	// run may have none (the store does not exist yet): then it is a
	// baseline.
	Store *store.Store
	// Plan fetches the catalog (fresh) and reads the account's schedule.
	Plan reserve.PlanDeps
	// Notify are the notify URLs' sinks.
	Notify []Target
	// Writer is the account --rebook reserves on, and --swap cancels on
	// (the AWS Events API).
	Writer Account
	Logger *slog.Logger
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// Options say what is followed and what a run writes.
type Options struct {
	// Plan says what is planned: the codes, --starred, travel and the
	// solver's options. Its Plan.Keep is the run's own: the last plan.
	Plan reserve.PlanOptions
	// Event names the event in the store.
	Event string
	// DryRun computes and reports, and records, sends and writes nothing.
	DryRun bool
	// ICS is the calendar file rewritten on every run; "" writes none.
	ICS string
	// Calendar are the calendar's name, refresh interval and zone.
	Calendar calendar.Options
	// Rebook reserves, on every run, what became possible: the planned
	// instances of followed codes not held yet that have seats
	// (docs/follow.md, "Rebooking"). Deps.Writer takes the reservations.
	Rebook bool
	// Swap, with Rebook, gives up a held seat that clashes once another
	// instance of its code is held in its place, and swaps held seats for
	// a strictly better plan, rolling a failed swap back at once
	// (docs/follow.md, "Swaps").
	Swap bool
	// Reserve are the options of the reservations of Rebook: quota,
	// clock, retry policy, logger; its Event, Codes and Plan are Run's.
	Reserve reserve.Options
}

// Report is what a run did.
type Report struct {
	// Baseline reports a first run: recorded, nothing notified.
	Baseline bool
	// DryRun reports that nothing was recorded or sent.
	DryRun bool
	// Codes and Sessions count what is followed: the codes (held seats
	// included) and the instances of them in the catalog.
	Codes, Sessions int
	// Notices are this run's notices, with where each was sent.
	Notices []Notice
	// Earlier counts notices of earlier runs sent by this one.
	Earlier int
	// Pending counts notices left for the next run: a sink failed.
	Pending int
	// Failures say which sinks failed, one line each, naming the service
	// and host only.
	Failures []string
	// Planned is the plan made.
	Planned *reserve.Planned
	// Booked is what --rebook reserved (or, on a dry run, would); nil
	// without --rebook or on a baseline.
	Booked *reserve.Report
	// Swaps are the swaps for a better plan --swap made or tried.
	Swaps []Swap
	// location is the event's zone, for the times Write prints.
	location *time.Location
	// Calendar is the live calendar, as --ics writes it.
	Calendar []byte
	// CalendarChanged is when the calendar's events last changed.
	CalendarChanged time.Time
}

// ErrPending is the error of a run that left notices pending because a
// sink failed; they are sent by the next run.
var ErrPending = errors.New("some notices could not be sent")

// ErrShrunk is the error of a run whose catalog is much smaller than the
// last one's: nothing is recorded (docs/follow.md, "A catalog that
// shrinks").
var ErrShrunk = errors.New("the catalog shrank")

// Lock is the name of follow's run lock in the store.
const Lock = "follow"

// Run makes one run of follow: lock, read the last state, plan, compare,
// record the state and the notices in one transaction, write the
// calendar, then send every pending notice. A run killed at any point
// loses nothing: the next one sends what this one recorded.
func Run(ctx context.Context, d Deps, o Options) (*Report, error) {
	now := d.now()
	if d.Store != nil && !o.DryRun {
		unlock, err := d.Store.Lock(Lock)
		if err != nil {
			return nil, err
		}
		defer unlock()
	}
	prev, err := d.load(ctx, o.Event)
	if err != nil {
		return nil, err
	}
	po := o.Plan
	if prev != nil {
		for _, p := range prev.Plan {
			if p.Session != "" {
				po.Plan.Keep = append(po.Plan.Keep, p.Session)
			}
		}
		slices.Sort(po.Plan.Keep)
	}
	planned, err := reserve.PlanAround(ctx, d.Plan, po)
	if err != nil {
		return nil, err
	}
	var booked *reserve.Report
	before := planned
	if o.Rebook && prev != nil {
		if planned, booked, err = d.rebook(ctx, o, po, planned, prev); err != nil {
			return nil, err
		}
	}
	var swaps []Swap
	if o.Rebook && o.Swap && !o.DryRun && prev != nil {
		if planned, swaps, err = d.better(ctx, o, po, planned, prev); err != nil {
			return nil, err
		}
	}
	cur := stateOf(planned, prev)
	cur.GivenUp = givenUp(swaps)
	if prev != nil {
		cur.Refused = refused(prev, swaps, planned.Catalog)
	}
	if prev != nil {
		// A seat that clashed at the last run, still held and still not
		// in the plan (another instance of its code stands in for it),
		// clashes still: remembered for --swap, and no news again.
		for c, with := range prev.Clashes {
			if _, ok := cur.Clashes[c]; !ok && planned.Held[c] && !chosen(planned, c) {
				cur.Clashes[c] = with
			}
		}
	}
	if before != planned {
		// A seat that clashed before --rebook took another instance of
		// its code still clashes, though the plan made again counts the
		// new seat for the code: it is news all the same.
		// So does one --swap gave up: it is the reason.
		was := stateOf(before, prev).Clashes
		for c, with := range prev.Clashes {
			if _, ok := was[c]; !ok && before.Held[c] && !chosen(before, c) {
				was[c] = with
			}
		}
		for c, with := range was {
			if _, ok := cur.Clashes[c]; !ok && before.Held[c] {
				cur.Clashes[c] = with
			}
		}
	}
	if prev != nil && shrunk(prev.CatalogSize, cur.CatalogSize) {
		return nil, fmt.Errorf("%w from %d to %d sessions, which looks like a source that is not all there: nothing recorded; the next run tries again",
			ErrShrunk, prev.CatalogSize, cur.CatalogSize)
	}
	r := &Report{Baseline: prev == nil, DryRun: o.DryRun, Codes: len(cur.Codes), Sessions: len(cur.Sessions), Planned: planned, Booked: booked, Swaps: swaps, location: o.Calendar.Location}
	if prev != nil {
		r.Notices = append(swapNotices(swaps, planned.Catalog, o.Calendar.Location), Changes(prev, cur, o.Calendar.Location)...)
		cur.Prefix, cur.Run = prev.Prefix, prev.Run+1
	} else {
		cur.Prefix, cur.Run = newPrefix(), 1
	}
	for i := range r.Notices {
		r.Notices[i].ID = noticeID(cur.Prefix, cur.Run, i+1)
	}
	// The calendar is kept on every run, so that --ics or
	// --serve-calendar added later starts from the events' history.
	var old []calendar.Entry
	if prev != nil {
		old = prev.Calendar
	}
	cur.Calendar = calendar.Update(old, planOf(planned), now)
	var buf bytes.Buffer
	if err := calendar.Write(&buf, cur.Calendar, o.Calendar); err != nil {
		return nil, err
	}
	r.Calendar, r.CalendarChanged = buf.Bytes(), lastChange(cur.Calendar, now)
	if o.DryRun {
		return r, nil
	}
	if err := d.record(ctx, o.Event, cur, r.Notices, now); err != nil {
		return nil, err
	}
	// A calendar file that cannot be written holds back no notice.
	var icsErr error
	if o.ICS != "" {
		if err := atomicfile.Write(o.ICS, 0o644, func(w io.Writer) error { _, err := w.Write(r.Calendar); return err }); err != nil {
			icsErr = fmt.Errorf("write the calendar %s: %w; the notices were sent", o.ICS, err)
		}
	}
	if err := d.send(ctx, o.Event, r); err != nil {
		return r, err
	}
	if r.Pending > 0 {
		return r, errors.Join(fmt.Errorf("%w (%s); %d left pending for the next run", ErrPending, strings.Join(r.Failures, "; "), r.Pending), icsErr)
	}
	if icsErr != nil {
		return r, icsErr
	}
	return r, nil
}

func (d *Deps) now() time.Time {
	if d.Now == nil {
		return time.Now()
	}
	return d.Now()
}

// load reads the state of the last run; nil when there is none.
func (d *Deps) load(ctx context.Context, event string) (*State, error) {
	if d.Store == nil {
		return nil, nil
	}
	data, ok, err := d.Store.FollowState(ctx, event)
	if err != nil || !ok {
		return nil, err
	}
	var st State
	if err := json.Unmarshal(data, &st); err != nil {
		return nil, fmt.Errorf("read follow's state in the store: %w; delete the store's follow_state row for %s to start a new baseline", err, event)
	}
	return &st, nil
}

// record stores the state and queues the notices for every sink, in one
// transaction.
func (d *Deps) record(ctx context.Context, event string, st *State, notices []Notice, now time.Time) error {
	data, err := json.Marshal(st)
	if err != nil {
		return err
	}
	queued := make([]store.NewNotice, len(notices))
	for i, n := range notices {
		b, err := json.Marshal(n)
		if err != nil {
			return err
		}
		queued[i] = store.NewNotice{NoticeID: n.ID, Kind: n.Kind, Code: n.Session, Data: b}
	}
	return d.Store.RecordFollow(ctx, event, data, queued, d.keys(), now)
}

func (d *Deps) keys() []string {
	keys := make([]string, len(d.Notify))
	for i, t := range d.Notify {
		keys[i] = t.Key
	}
	return keys
}

// stateOf is the state of a plan: the followed codes, every instance of
// them in the catalog, those the last run saw that are gone, the plan's
// picks, the held seats and their clashes.
func stateOf(p *reserve.Planned, prev *State) *State {
	res := p.Result
	st := &State{CatalogSize: len(p.Catalog.Sessions), Sessions: map[string]Snap{}, Plan: map[string]Pick{}, Clashes: map[string][]string{}}
	for _, c := range res.Requested {
		st.Codes = append(st.Codes, strings.ToUpper(c))
	}
	for i := range p.Catalog.Sessions {
		s := p.Catalog.Sessions[i]
		if s.Embargoed || !st.followed(s.BaseCode) {
			continue
		}
		s.Abstract = "" // the notices and the calendar need no abstract
		st.Sessions[strings.ToUpper(s.Code)] = Snap{Session: s}
	}
	if prev != nil {
		// A starred or held code whose every session left the catalog is
		// starred or held nowhere now: it stays followed, as a code given
		// on the command line does, to tell that it is gone and when it
		// comes back.
		var gone []string
		for _, c := range prev.Codes {
			if base := baseOf(c); !st.followed(base) && !inCatalog(p.Catalog, base) {
				gone = append(gone, c)
				st.Plan[c] = Pick{Reason: "not in the catalog"}
			}
		}
		st.Codes = append(st.Codes, gone...)
		for c, s := range prev.Sessions {
			if _, ok := st.Sessions[c]; !ok && st.followed(s.Session.BaseCode) {
				st.Sessions[c] = Snap{Session: s.Session, Gone: true}
			}
		}
	}
	for _, c := range res.Scheduled {
		st.Plan[strings.ToUpper(c.Code)] = Pick{Session: c.Session.Code}
	}
	for _, u := range res.Unscheduled {
		st.Plan[strings.ToUpper(u.Code)] = Pick{Reason: u.Reason, BlockedBy: u.BlockedBy}
	}
	for _, c := range res.NotFound {
		st.Plan[strings.ToUpper(c)] = Pick{Reason: "not in the catalog"}
	}
	for h := range p.Held {
		st.Held = append(st.Held, h)
	}
	slices.Sort(st.Held)
	for _, u := range p.HeldLeftOut {
		st.Clashes[strings.ToUpper(u.Code)] = u.BlockedBy
	}
	// Personal time comes after held seats in the plan: a block that a
	// seat clashes with is left out, and the seat is what clashes.
	for _, u := range p.PersonalLeftOut {
		for _, b := range u.BlockedBy {
			st.Clashes[strings.ToUpper(b)] = append(st.Clashes[strings.ToUpper(b)], u.Code)
		}
	}
	return st
}

// inCatalog reports whether a session of the base code is in the catalog.
func inCatalog(c *catalog.Catalog, base string) bool {
	return slices.ContainsFunc(c.Sessions, func(s catalog.Session) bool { return strings.EqualFold(s.BaseCode, base) })
}

// planOf is the plan as the calendar sees it.
func planOf(p *reserve.Planned) []calendar.Planned {
	var out []calendar.Planned
	for _, c := range p.Result.Scheduled {
		out = append(out, calendar.Planned{Session: c.Session, Held: p.Held[strings.ToUpper(c.Session.Code)]})
	}
	return out
}

// lastChange is when the calendar's events last changed.
func lastChange(es []calendar.Entry, now time.Time) time.Time {
	var t time.Time
	for _, e := range es {
		if e.LastModified.After(t) {
			t = e.LastModified
		}
	}
	if t.IsZero() {
		return now
	}
	return t
}

// shrunk reports whether a catalog of n sessions is much smaller than the
// last one, of was: by more than a fifth (docs/follow.md).
func shrunk(was, n int) bool { return was > 0 && n*5 < was*4 }

// newPrefix is a random prefix for the notice ids of a store.
func newPrefix() string {
	b := make([]byte, 4)
	_, _ = rand.Read(b) // crypto/rand's Read never fails
	return hex.EncodeToString(b)
}

// sinkNotice is the notice as a sink sends it.
func sinkNotice(n *Notice) notify.Notice {
	title := n.Session + " " + kindWords[n.Kind]
	msg := n.Title
	switch {
	case n.Old != "":
		msg += "\n" + n.Old + " → " + n.New
	case n.New != "":
		msg += "\n" + n.New
	}
	p := notify.Default
	switch n.Kind {
	case KindClash, KindSeatLost:
		p = notify.Urgent
	case KindCancelled, KindMoved, KindRelocated, KindPlan, KindSwapFailed:
		p = notify.High
	}
	return notify.Notice{ID: n.ID, Title: title, Message: msg, Priority: p, Tags: []string{kindTags[n.Kind]}}
}

var kindWords = map[string]string{
	KindMoved: "moved", KindRelocated: "changed room", KindRenamed: "was renamed", KindCancelled: "was cancelled",
	KindReturned: "is back", KindSeats: "seats changed", KindNewRepeat: "new repeat", KindPlan: "plan changed",
	KindClash: "now clashes", KindSwapFailed: "swap rolled back", KindSeatLost: "SEAT LOST",
	KindReserved: "reserved", KindReleased: "no longer held",
}

var kindTags = map[string]string{
	KindMoved: "clock3", KindRelocated: "round_pushpin", KindRenamed: "pencil2", KindCancelled: "x",
	KindReturned: "leftwards_arrow_with_hook", KindSeats: "seat", KindNewRepeat: "new", KindPlan: "calendar",
	KindClash: "rotating_light", KindSwapFailed: "leftwards_arrow_with_hook", KindSeatLost: "rotating_light",
	KindReserved: "white_check_mark", KindReleased: "wave",
}

// Formats are the formats of a report's notices (Write).
var Formats = []string{"text", "json"}

// Write writes the report's notices to w, as NDJSON when asJSON, else one
// line each, and its Summary to errOut when summary is set or the run is a
// baseline.
func (r *Report) Write(w, errOut io.Writer, asJSON, summary bool) error {
	write := r.WriteText
	if asJSON {
		write = r.WriteJSON
	}
	if err := write(w); err != nil {
		return err
	}
	if b := r.Booked; b != nil && b.DryRun {
		// What --rebook would reserve: stdout keeps to the notices.
		for _, e := range b.ToReserve {
			if _, err := fmt.Fprintf(errOut, "would reserve %-12s %s  %s\n", e.Session.Code, reserve.When(e.Session, r.location), catalog.CleanLine(e.Session.Title)); err != nil {
				return err
			}
		}
	}
	if summary || r.Baseline || r.lost() {
		_, err := io.WriteString(errOut, r.Summary())
		return err
	}
	return nil
}

// CalendarName names the live calendar after the event: "re:Invent 2026
// (reinvent follow)" for reinvent2026.
func CalendarName(event string) string {
	if y, ok := strings.CutPrefix(event, "reinvent"); ok && len(y) == 4 {
		event = "re:Invent " + y
	}
	return event + " (reinvent follow)"
}

// WriteText writes the report's notices, one line each.
func (r *Report) WriteText(w io.Writer) error {
	for _, n := range r.Notices {
		change := n.Old + " → " + n.New
		if n.Old == "" {
			change = n.New
		}
		line := fmt.Sprintf("%-10s %-12s %s: %s", n.Kind, n.Session, n.Title, change)
		if _, err := fmt.Fprintln(w, catalog.CleanLine(line)); err != nil {
			return err
		}
	}
	return nil
}

// WriteJSON writes the report's notices as NDJSON, one object each.
func (r *Report) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	for _, n := range r.Notices {
		if n.Sent == nil {
			n.Sent = []string{}
		}
		if err := enc.Encode(n); err != nil {
			return err
		}
	}
	return nil
}

// Summary is the line said on stderr after a run.
func (r *Report) Summary() string {
	switch {
	case r.DryRun && r.Baseline:
		return fmt.Sprintf("Would follow %d sessions of %d codes; the first run records them and notifies nothing (dry run: nothing recorded).\n", r.Sessions, r.Codes)
	case r.Baseline:
		return fmt.Sprintf("Following %d sessions of %d codes; baseline recorded, nothing notified.\n", r.Sessions, r.Codes)
	case r.DryRun:
		return fmt.Sprintf("%s (dry run: nothing recorded or sent).\n", plural(len(r.Notices), "notice"))
	}
	s := fmt.Sprintf("%s, following %d sessions of %d codes", plural(len(r.Notices), "notice"), r.Sessions, r.Codes)
	if r.Earlier > 0 {
		s += fmt.Sprintf("; %s of earlier runs sent", plural(r.Earlier, "notice"))
	}
	if r.Pending > 0 {
		s += fmt.Sprintf("; %d pending", r.Pending)
	}
	for _, sw := range r.Swaps {
		if sw.Outcome == SwapLost {
			s += fmt.Sprintf("; SEAT LOST: %s, given up for %s, which was not had (%s), and not reserved again",
				strings.Join(sw.Lost, ", "), strings.Join(sw.For, ", "), sw.Why)
		}
	}
	return catalog.CleanLine(s) + ".\n"
}

// plural is n and the noun, with an s unless n is 1.
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
