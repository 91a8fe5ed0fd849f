package reserve

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/reinvent-cli/reinvent/pkg/catalog"
	"github.com/reinvent-cli/reinvent/pkg/catalog/eventsapi"
	"github.com/reinvent-cli/reinvent/pkg/store"
)

// writes is an account in memory for favorite and cancel: what it holds,
// and faults to inject. It records every write sent and when.
type writes struct {
	now       func() time.Time
	reserved  map[string]bool
	favorites map[string]bool
	// lose makes the next write happen and its answer get lost; drop
	// makes it get lost before it happens.
	lose, drop bool
	sent       []sentAt
	cancels    []string
}

func (a *writes) Schedule(context.Context, string) (*eventsapi.Schedule, error) {
	return &eventsapi.Schedule{Reserved: clone(a.reserved), Favorites: clone(a.favorites)}, nil
}

func (a *writes) Favorite(_ context.Context, _ string, ids []string) (*eventsapi.Result, error) {
	a.sent = append(a.sent, sentAt{a.now(), len(ids)})
	if a.fault() {
		return nil, fmt.Errorf("503 Service Unavailable: %w", eventsapi.ErrUncertain)
	}
	res := &eventsapi.Result{}
	for _, id := range ids {
		if a.favorites[id] {
			res.Failed = append(res.Failed, eventsapi.Failure{SessionID: id, Code: eventsapi.CodeAlreadyFavorited})
			continue
		}
		a.favorites[id] = true
		res.Successful = append(res.Successful, id)
	}
	return res, a.lost()
}

func (a *writes) Cancel(_ context.Context, _, id string) error {
	a.sent = append(a.sent, sentAt{a.now(), 1})
	a.cancels = append(a.cancels, id)
	if a.fault() {
		return fmt.Errorf("503 Service Unavailable: %w", eventsapi.ErrUncertain)
	}
	if !a.reserved[id] {
		return fmt.Errorf("404: %w", eventsapi.ErrNotHeld)
	}
	delete(a.reserved, id)
	return a.lost()
}

// fault reports whether the write is dropped before it happens.
func (a *writes) fault() bool {
	d := a.drop
	a.drop = false
	return d
}

// lost is the error of a write that happened and whose answer is lost.
func (a *writes) lost() error {
	if !a.lose {
		return nil
	}
	a.lose = false
	return fmt.Errorf("connection reset: %w", eventsapi.ErrUncertain)
}

func clone(m map[string]bool) map[string]bool {
	out := map[string]bool{}
	for k, v := range m {
		out[k] = v
	}
	return out
}

// fakeClock is a clock whose Sleep moves it on.
type fakeClock struct {
	t     time.Time
	slept []time.Duration
}

func (c *fakeClock) now() time.Time { return c.t }

func (c *fakeClock) sleep(_ context.Context, d time.Duration) error {
	c.slept = append(c.slept, d)
	c.t = c.t.Add(d)
	return nil
}

func writeOptions(c *fakeClock) WriteOptions {
	return WriteOptions{Event: "reinvent2026", Now: c.now, Sleep: c.sleep}
}

// journal is every write the store journaled, oldest first.
func journal(t *testing.T, st *store.Store) []store.Write {
	t.Helper()
	ws, err := st.Writes(context.Background(), "reinvent2026", "")
	if err != nil {
		t.Fatal(err)
	}
	return ws
}

// TestFavoritePacedToTheQuotaOnTheClock: 75 sessions go in batches of 10,
// and no minute of the injected clock carries more than 30 of them; the
// waits are the clock's, not the wall's (Favorite paced on time.Now).
func TestFavoritePacedToTheQuotaOnTheClock(t *testing.T) {
	var sessions []catalog.Session
	var codes []string
	for i := range 75 {
		s := session(fmt.Sprintf("FAV%d", 100+i), 8)
		sessions = append(sessions, s)
		codes = append(codes, s.Code)
	}
	c := &fakeClock{t: day}
	a := &writes{now: c.now, reserved: map[string]bool{}, favorites: map[string]bool{"id-FAV100": true}}
	st := newStore(t)
	rep, err := Favorite(context.Background(), st, a, sessions, codes, writeOptions(c))
	if err != nil {
		t.Fatal(err)
	}
	if rep.Added != 75 || len(rep.NotAdded) != 0 || len(a.favorites) != 75 {
		t.Errorf("added %d, not added %v, favorites %d; want all 75 (one was already)", rep.Added, rep.NotAdded, len(a.favorites))
	}
	if len(a.sent) != 8 {
		t.Errorf("%d requests, want 8 of at most 10", len(a.sent))
	}
	for i, s := range a.sent {
		n := 0
		for _, o := range a.sent[:i+1] {
			if s.at.Sub(o.at) < time.Minute {
				n += o.n
			}
		}
		if n > Quota {
			t.Errorf("request %d at %v: %d sessions in the minute before it, over the quota of %d", i, s.at.Sub(day), n, Quota)
		}
	}
	if total := c.t.Sub(day); total != 2*time.Minute {
		t.Errorf("the clock moved %v (sleeps %v), want the two minutes the quota asks", total, c.slept)
	}
	for _, w := range journal(t, st) {
		if w.Kind != "favorite" || w.State != store.WriteDone {
			t.Errorf("journal: %+v, want favorite writes done", w)
		}
	}
}

// TestFavoriteLostAnswerIsReadBack: a batch whose answer is lost counts
// what the favorites read back hold; the run goes on; a batch dropped
// before it arrived is "answer lost".
func TestFavoriteLostAnswerIsReadBack(t *testing.T) {
	sessions := []catalog.Session{session("SVS401", 9), session("SVS401-R", 13), session("ARC302", 11)}
	c := &fakeClock{t: day}
	a := &writes{now: c.now, reserved: map[string]bool{}, favorites: map[string]bool{}, lose: true}
	st := newStore(t)
	rep, err := Favorite(context.Background(), st, a, sessions, []string{"SVS401", "XYZ999", "ARC302-R1", "SVS401-R="}, writeOptions(c))
	if err != nil {
		t.Fatal(err)
	}
	if rep.Added != 2 || len(rep.NotAdded) != 0 || !slices.Equal(rep.NotFound, []string{"XYZ999", "ARC302-R1"}) {
		t.Errorf("added %d, not added %v, not found %v", rep.Added, rep.NotAdded, rep.NotFound)
	}
	ws := journal(t, st)
	if len(ws) != 1 || ws[0].State != store.WriteReconciled || !strings.Contains(ws[0].Outcome, `"held":["id-SVS401","id-SVS401-R"]`) {
		t.Errorf("journal %+v, want one write reconciled from the read-back", ws)
	}

	a.drop = true
	rep, err = Favorite(context.Background(), st, a, sessions, []string{"ARC302"}, writeOptions(c))
	if err != nil || rep.Added != 0 || !slices.Equal(rep.NotAdded, []string{"id-ARC302 (answer lost)"}) {
		t.Errorf("dropped: err %v, added %d, not added %v", err, rep.Added, rep.NotAdded)
	}
	var out bytes.Buffer
	if err := rep.WriteText(&out); err != nil || out.String() != "0 sessions are favorites now\nnot added: id-ARC302 (answer lost)\n" {
		t.Errorf("text %q, %v", out.String(), err)
	}
}

// TestFavoriteDryRunSendsNothing: a dry run lists the sessions, each once,
// and what is not found, on an account that takes no writes.
func TestFavoriteDryRunSendsNothing(t *testing.T) {
	sessions := []catalog.Session{session("SVS401", 9), session("SVS401-R", 13)}
	o := writeOptions(&fakeClock{t: day})
	o.DryRun = true
	st := newStore(t)
	rep, err := Favorite(context.Background(), st, CatalogAccount{Sessions: sessions}, sessions, []string{"SVS401", "SVS401-R", "NOPE"}, o)
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := rep.WriteText(&out); err != nil {
		t.Fatal(err)
	}
	want := "Would add 2 sessions to your favorites (dry run: nothing sent)\n  SVS401       Title of SVS401\n  SVS401-R     Title of SVS401-R\nnot found: NOPE\n"
	if out.String() != want {
		t.Errorf("dry run:\n%s\nwant:\n%s", out.String(), want)
	}
	if ws := journal(t, st); len(ws) != 0 {
		t.Errorf("a dry run journaled %v", ws)
	}
}

// TestCancelOutcomes: each code's line says what became of its seat:
// cancelled, already gone (404), no seat held, and after a lost answer what
// the schedule read back says.
func TestCancelOutcomes(t *testing.T) {
	sessions := []catalog.Session{session("ARC302", 9), session("ARC302-R", 13), session("SVS401", 11), session("DAT301", 15), session("CMP201", 17)}
	c := &fakeClock{t: day}
	a := &writes{now: c.now, reserved: map[string]bool{"id-ARC302-R": true, "id-SVS401": true, "id-DAT301": true}, favorites: map[string]bool{}}
	st := newStore(t)
	rep, err := Cancel(context.Background(), st, a, sessions, []string{"ARC302", "CMP201"}, writeOptions(c))
	if err != nil {
		t.Fatal(err)
	}
	if got := entries(rep); got != "ARC302-R: cancelled, CMP201: no seat held" || a.reserved["id-ARC302-R"] {
		t.Errorf("cancel: %s; holds %v", got, a.reserved)
	}

	// With the exact mark, a base code is that instance alone: a repeat held too stays.
	a.reserved = map[string]bool{"id-ARC302": true, "id-ARC302-R": true}
	rep, err = Cancel(context.Background(), newStore(t), a, sessions, []string{"ARC302="}, writeOptions(c))
	if got := entries(rep); err != nil || got != "ARC302: cancelled" || a.reserved["id-ARC302"] || !a.reserved["id-ARC302-R"] {
		t.Errorf("cancel ARC302=: %s, %v; holds %v", got, err, a.reserved)
	}

	// Gone between the read and the cancel: 404.
	a.reserved = map[string]bool{"id-SVS401": true}
	st2 := newStore(t)
	a2 := &gone{writes: a}
	rep, err = Cancel(context.Background(), st2, a2, sessions, []string{"SVS401"}, writeOptions(c))
	if err != nil || entries(rep) != "SVS401: already gone" {
		t.Errorf("404: %s, %v", entries(rep), err)
	}

	// The answer is lost: before the cancel arrived it is still held, after it is cancelled.
	a.reserved = map[string]bool{"id-SVS401": true, "id-DAT301": true}
	a.drop = true
	rep, err = Cancel(context.Background(), st, a, sessions, []string{"SVS401"}, writeOptions(c))
	if err != nil || entries(rep) != "SVS401: still held" || rep.StillHeld() != 1 {
		t.Errorf("dropped: %s, %v", entries(rep), err)
	}
	a.lose = true
	rep, err = Cancel(context.Background(), st, a, sessions, []string{"DAT301"}, writeOptions(c))
	if err != nil || entries(rep) != "DAT301: cancelled" || rep.StillHeld() != 0 {
		t.Errorf("lost after the cancel: %s, %v", entries(rep), err)
	}
	var states []string
	for _, w := range journal(t, st) {
		states = append(states, w.State+" "+w.Outcome)
	}
	if want := []string{"done cancelled", "reconciled still held", "reconciled cancelled"}; !slices.Equal(states, want) {
		t.Errorf("journal %q, want %q", states, want)
	}
	var out bytes.Buffer
	if err := rep.WriteText(&out); err != nil || out.String() != "DAT301: cancelled\n" {
		t.Errorf("text %q, %v", out.String(), err)
	}
}

// gone is an account whose seats are freed by someone else just before
// each cancel arrives.
type gone struct{ *writes }

func (g *gone) Cancel(ctx context.Context, event, id string) error {
	delete(g.reserved, id)
	return g.writes.Cancel(ctx, event, id)
}

// TestCancelUnsettledStaysOpen: when the answer is lost and the schedule
// cannot be read back either, the error says so and the journal keeps the
// write "sent", for the next run to settle.
func TestCancelUnsettledStaysOpen(t *testing.T) {
	sessions := []catalog.Session{session("ARC302", 9), session("SVS401", 11)}
	c := &fakeClock{t: day}
	a := &writes{now: c.now, reserved: map[string]bool{"id-ARC302": true, "id-SVS401": true}, favorites: map[string]bool{}}
	st := newStore(t)
	a.drop = true
	next := &unreadableAfterWrite{writes: a}
	rep, err := Cancel(context.Background(), st, next, sessions, []string{"ARC302", "SVS401"}, writeOptions(c))
	if !errors.Is(err, catalog.ErrUnavailable) || len(rep.Entries) != 0 || len(a.cancels) != 1 {
		t.Errorf("err %v, entries %v, cancels %v; want ErrUnavailable after the first cancel", err, rep.Entries, a.cancels)
	}
	if ws := journal(t, st); len(ws) != 1 || ws[0].State != store.WriteSent {
		t.Errorf("journal %+v, want the cancel still sent", ws)
	}
}

// unreadableAfterWrite is an account whose schedule cannot be read once a
// write was sent.
type unreadableAfterWrite struct{ *writes }

func (u *unreadableAfterWrite) Schedule(ctx context.Context, event string) (*eventsapi.Schedule, error) {
	if len(u.sent) > 0 {
		return nil, fmt.Errorf("503: %w", catalog.ErrUnavailable)
	}
	return u.writes.Schedule(ctx, event)
}

// TestCancelDryRunOnACatalog: a dry run on a catalog with no account says
// which of its reserved sessions would be cancelled.
func TestCancelDryRunOnACatalog(t *testing.T) {
	sessions := []catalog.Session{session("ARC302", 9), session("SVS401", 11)}
	sessions[0].Reserved = true
	o := writeOptions(&fakeClock{t: day})
	o.DryRun = true
	rep, err := Cancel(context.Background(), newStore(t), CatalogAccount{Sessions: sessions}, sessions, []string{"ARC302", "SVS401"}, o)
	if err != nil || entries(rep) != "ARC302: would be cancelled (dry run: nothing sent), SVS401: no seat held" {
		t.Errorf("%s, %v", entries(rep), err)
	}
	o.DryRun = false
	if _, err := Cancel(context.Background(), newStore(t), CatalogAccount{Sessions: sessions}, sessions, []string{"ARC302"}, o); !errors.Is(err, ErrNoAccount) {
		t.Errorf("a write on a catalog: %v, want ErrNoAccount", err)
	}
}

func entries(rep *CancelReport) string {
	var out []string
	for _, e := range rep.Entries {
		out = append(out, e.Code+": "+e.Outcome)
	}
	return strings.Join(out, ", ")
}
