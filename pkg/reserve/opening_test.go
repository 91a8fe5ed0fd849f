package reserve

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/reinvent-cli/reinvent/pkg/catalog"
	"github.com/reinvent-cli/reinvent/pkg/catalog/eventsapi"
	"github.com/reinvent-cli/reinvent/pkg/store"
)

// tclock is a clock that moves only when a run sleeps.
type tclock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *tclock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }

func (c *tclock) sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
	return nil
}

// opening is an account closed (409) until opensAt on the service's clock,
// which is ours plus skew, and that keeps ReserveSessions' quota of 30
// sessions in any minute, refused requests excepted. It records when each
// reservation came, on the service's clock.
type opening struct {
	*account
	clock   *tclock
	skew    time.Duration
	opensAt time.Time // zero: never
	at      []time.Time
	ids     [][]string // of every request, refused or not
	spent   []sentAt
	over    int // requests that would have been answered 429
}

func (a *opening) ClockOffset() (time.Duration, bool) { return a.skew, true }

func (a *opening) Reserve(ctx context.Context, event string, ids []string) (*eventsapi.Result, error) {
	now := a.clock.now().Add(a.skew)
	a.at = append(a.at, now)
	a.ids = append(a.ids, ids)
	if a.opensAt.IsZero() || now.Before(a.opensAt) {
		return nil, fmt.Errorf("409 Conflict: Reservations are not open for this event: %w", eventsapi.ErrClosed)
	}
	used := 0
	for _, s := range a.spent {
		if now.Sub(s.at) < time.Minute {
			used += s.n
		}
	}
	if used+len(ids) > Quota {
		a.over++
	}
	a.spent = append(a.spent, sentAt{now, len(ids)})
	return a.account.Reserve(ctx, event, ids)
}

// twenty are 20 sessions an hour apart on two days, with seats for all,
// and their codes.
func twenty() ([]catalog.Session, map[string]int, []string) { return sessionsN(20) }

// sessionsN are n sessions, ten a day an hour apart, with seats for all,
// and their codes.
func sessionsN(n int) ([]catalog.Session, map[string]int, []string) {
	var sessions []catalog.Session
	seats := map[string]int{}
	var codes []string
	for i := range n {
		s := session(fmt.Sprintf("OPN%03d", 100+i), 8+i%10)
		s.Start = s.Start.AddDate(0, 0, i/10)
		s.End = s.Start.Add(time.Hour)
		sessions = append(sessions, s)
		seats[s.SessionID] = 5
		codes = append(codes, s.Code)
	}
	return sessions, seats, codes
}

func offsets(times []time.Time, from time.Time) string {
	var out []string
	for _, t := range times {
		out = append(out, t.Sub(from).String())
	}
	return strings.Join(out, " ")
}

// TestAtOpenKnownTime: with the opening 2 minutes ahead, nothing is sent
// until a minute before it; then the probes follow the schedule (every
// 10 s, then 2 s, then at the opening), each the scarcest 10 sessions;
// the probe at the opening holds its seats, and one more request of 10
// holds the rest, all at the opening on the service's clock. The 409s
// spend no quota: no request goes over it.
func TestAtOpenKnownTime(t *testing.T) {
	for _, skew := range []time.Duration{0, 42 * time.Second, -3*time.Minute - 500*time.Millisecond} {
		t.Run(skew.String(), func(t *testing.T) {
			sessions, seats, codes := twenty()
			// The last two codes in the plan are the scarcest.
			sessions[19].SeatAvailability = catalog.SeatVeryLimited
			sessions[18].SeatAvailability = catalog.SeatLimited
			start := time.Date(2026, 10, 8, 16, 58, 0, 0, time.UTC)
			c := &tclock{t: start}
			open := start.Add(skew).Add(2 * time.Minute)
			acct := &opening{account: &account{seats: seats, held: map[string]bool{}}, clock: c, skew: skew, opensAt: open}
			o := options(codes...)
			o.Now, o.Sleep = c.now, c.sleep
			var seen []OpeningProgress
			o.Opening = &Opening{At: open, Progress: func(p OpeningProgress) { seen = append(seen, p) }}
			st := newStore(t)
			rep, err := Run(context.Background(), st, acct, sessions, o)
			if err != nil {
				t.Fatal(err)
			}
			if len(rep.Reserved) != 20 || len(rep.NotHeld) != 0 {
				t.Fatalf("reserved %d, not held %s", len(rep.Reserved), codesOf(rep.NotHeld))
			}
			want := "-1m0s -50s -40s -30s -20s -10s -8s -6s -4s -2s 0s 0s"
			if got := offsets(acct.at, open); got != want {
				t.Errorf("requests at %s from the opening, want %s", got, want)
			}
			if got := acct.ids[0]; len(got) != 1 || got[0] != "id-OPN119" {
				t.Errorf("a probe before the opening = %v, want the veryLimited session alone", got)
			}
			if got := acct.ids[10]; got[0] != "id-OPN119" || got[1] != "id-OPN118" || got[2] != "id-OPN100" || len(got) != 10 {
				t.Errorf("the probe at the opening = %v, want the veryLimited, the limited, then the plan's order", got)
			}
			if acct.over > 0 {
				t.Errorf("%d requests over the quota", acct.over)
			}
			last := seen[len(seen)-1]
			if !last.Open || len(last.Held) != 10 || last.Probes != 11 {
				t.Errorf("last progress = %+v, want open after 11 probes holding 10", last)
			}
			if seen[0].Left != 2*time.Minute || seen[0].Next != time.Minute {
				t.Errorf("first progress = %+v, want 2m left on the service's clock, the first probe in 1m", seen[0])
			}
			// Every probe is journaled, and the refused ones spent nothing.
			ws, err := st.Writes(context.Background(), "reinvent2026", "")
			if err != nil {
				t.Fatal(err)
			}
			used := 0
			for _, w := range ws {
				used += spent(w)
			}
			if len(ws) != 12 || used != 20 {
				t.Errorf("journal: %d writes spending %d sessions, want 12 spending 20", len(ws), used)
			}
		})
	}
}

// TestAtOpenUnknownTime: with no time known, a probe goes at once and then
// every 20 s; the first accepted holds its seats.
func TestAtOpenUnknownTime(t *testing.T) {
	sessions, seats, codes := twenty()
	start := time.Date(2026, 10, 8, 16, 58, 0, 0, time.UTC)
	c := &tclock{t: start}
	acct := &opening{account: &account{seats: seats, held: map[string]bool{}}, clock: c, opensAt: start.Add(50 * time.Second)}
	o := options(codes...)
	o.Now, o.Sleep = c.now, c.sleep
	o.Opening = &Opening{GiveUpAfter: 10 * time.Minute}
	rep, err := Run(context.Background(), newStore(t), acct, sessions, o)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Reserved) != 20 {
		t.Fatalf("reserved %d", len(rep.Reserved))
	}
	if got, want := offsets(acct.at, start), "0s 20s 40s 1m0s 1m0s"; got != want {
		t.Errorf("requests at %s, want %s", got, want)
	}
}

// TestAtOpenGivesUp: closed all along, the run gives up after
// --give-up-after with ErrNotOpen, having probed every 20 s, and holds
// nothing.
func TestAtOpenGivesUp(t *testing.T) {
	sessions, seats, codes := twenty()
	start := time.Date(2026, 10, 8, 16, 58, 0, 0, time.UTC)
	c := &tclock{t: start}
	acct := &opening{account: &account{seats: seats, held: map[string]bool{}}, clock: c}
	o := options(codes...)
	o.Now, o.Sleep = c.now, c.sleep
	o.Opening = &Opening{GiveUpAfter: 70 * time.Second}
	_, err := Run(context.Background(), newStore(t), acct, sessions, o)
	if !errors.Is(err, ErrNotOpen) {
		t.Fatalf("err = %v, want ErrNotOpen", err)
	}
	if got, want := offsets(acct.at, start), "0s 20s 40s 1m0s"; got != want {
		t.Errorf("probes at %s, want %s", got, want)
	}
	if len(acct.held) != 0 {
		t.Errorf("held %v", acct.held)
	}
}

// TestWithoutAtOpen409Ends: without --at-open a 409 still ends the run at
// once, as before.
func TestWithoutAtOpen409Ends(t *testing.T) {
	sessions, seats, codes := twenty()
	c := &tclock{t: time.Date(2026, 10, 8, 16, 58, 0, 0, time.UTC)}
	acct := &opening{account: &account{seats: seats, held: map[string]bool{}}, clock: c}
	o := options(codes...)
	o.Now, o.Sleep = c.now, c.sleep
	if _, err := Run(context.Background(), newStore(t), acct, sessions, o); !errors.Is(err, eventsapi.ErrClosed) || len(acct.at) != 1 {
		t.Fatalf("err = %v after %d requests, want ErrClosed after 1", err, len(acct.at))
	}
}

// TestNextProbe: the schedule, on a grid aligned to the opening.
func TestNextProbe(t *testing.T) {
	at := time.Date(2026, 10, 8, 17, 0, 0, 0, time.UTC)
	for _, c := range []struct{ now, next time.Duration }{
		{-time.Hour, -time.Minute},
		{-61 * time.Second, -time.Minute},
		{-time.Minute, -50 * time.Second},
		{-59 * time.Second, -50 * time.Second},
		{-10500 * time.Millisecond, -10 * time.Second},
		{-9970 * time.Millisecond, -8 * time.Second},
		{-1970 * time.Millisecond, 0},
		{-time.Second, -500 * time.Millisecond},
		{-200 * time.Millisecond, 0},
		{0, 500 * time.Millisecond},
		{4800 * time.Millisecond, 5 * time.Second},
		{5100 * time.Millisecond, 10 * time.Second},
		{59 * time.Second, time.Minute},
		{61 * time.Second, 80 * time.Second},
	} {
		if got := nextProbe(at, at.Add(c.now)).Sub(at); got != c.next {
			t.Errorf("at %v from the opening: next probe at %v, want %v", c.now, got, c.next)
		}
	}
}

// TestTwoRunsShareTheQuota: a second run on the same store starts while the
// first has a request in flight (as follow --rebook beside a manual
// reserve would); both pace to the one quota from the journal, and no
// minute carries more than 30 sessions (paced from memory, each run would
// send its 20 at once: 40). The second run, beside the first, does not
// settle the first's write in flight.
func TestTwoRunsShareTheQuota(t *testing.T) {
	sessions, seats, codes := sessionsN(40)
	start := time.Date(2026, 12, 1, 6, 0, 0, 0, time.UTC)
	c := &tclock{t: start}
	acct := &opening{account: &account{seats: seats, held: map[string]bool{}}, clock: c, opensAt: start}
	path := newStore(t).Path()
	open := func() *store.Store {
		st, err := store.Open(context.Background(), path)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		return st
	}
	var second *Report
	var secondErr error
	acct.before = func(a *account, n int) {
		if n != 1 {
			return
		}
		o := options(codes[20:]...)
		o.Now, o.Sleep = c.now, c.sleep
		second, secondErr = Run(context.Background(), open(), acct, sessions, o)
	}
	o := options(codes[:20]...)
	o.Now, o.Sleep = c.now, c.sleep
	first, err := Run(context.Background(), open(), acct, sessions, o)
	if err != nil || secondErr != nil {
		t.Fatal(err, secondErr)
	}
	if len(first.Reserved) != 20 || len(second.Reserved) != 20 {
		t.Errorf("reserved %d and %d, want 20 each", len(first.Reserved), len(second.Reserved))
	}
	if got, want := offsets(acct.at, start), "0s 0s 0s 1m0s"; got != want {
		t.Errorf("requests at %s, want %s", got, want)
	}
	if acct.over > 0 {
		t.Errorf("%d requests over the quota: %s", acct.over, offsets(acct.at, start))
	}
	ws, _ := open().Writes(context.Background(), "reinvent2026", store.WriteReconciled)
	if len(ws) != 0 {
		t.Errorf("the second run settled %d writes of the first in flight", len(ws))
	}
}

// TestMaxWrites: a run stops after --max-writes requests; what it did not
// send is "not sent".
func TestMaxWrites(t *testing.T) {
	sessions, seats, codes := twenty()
	c := &tclock{t: time.Date(2026, 12, 1, 6, 0, 0, 0, time.UTC)}
	acct := &opening{account: &account{seats: seats, held: map[string]bool{}}, clock: c, opensAt: c.t}
	o := options(codes...)
	o.Now, o.Sleep, o.MaxWrites = c.now, c.sleep, 1
	rep, err := Run(context.Background(), newStore(t), acct, sessions, o)
	if err != nil {
		t.Fatal(err)
	}
	if len(acct.writes) != 1 || len(rep.Reserved) != 10 || len(rep.NotHeld) != 10 || rep.NotHeld[0].Why != "not sent" {
		t.Errorf("%d writes; reserved %d; not held %s", len(acct.writes), len(rep.Reserved), codesOf(rep.NotHeld))
	}
}

// TestOpeningFlags: --open-at as RFC 3339 or HH:MM today in the event's
// zone; the flags without --at-open, a bad time and a negative
// --give-up-after are refused with one line saying what to do.
func TestOpeningFlags(t *testing.T) {
	vegas, _ := time.LoadLocation("America/Los_Angeles")
	now := time.Date(2026, 10, 8, 15, 0, 0, 0, time.UTC) // 08:00 in Las Vegas
	for _, c := range []struct {
		f    OpeningFlags
		at   string
		fail string
	}{
		{f: OpeningFlags{}},
		{f: OpeningFlags{AtOpen: true}, at: "0001-01-01T00:00:00Z"},
		{f: OpeningFlags{AtOpen: true, OpenAt: "10:00"}, at: "2026-10-08T17:00:00Z"},
		{f: OpeningFlags{AtOpen: true, OpenAt: "2026-10-08T10:00:30-07:00"}, at: "2026-10-08T17:00:30Z"},
		{f: OpeningFlags{OpenAt: "10:00"}, fail: "go with --at-open"},
		{f: OpeningFlags{GiveUpAfter: time.Hour}, fail: "go with --at-open"},
		{f: OpeningFlags{AtOpen: true, GiveUpAfter: -time.Second}, fail: "is negative"},
		{f: OpeningFlags{AtOpen: true, OpenAt: "25:00"}, fail: "is not a time"},
		{f: OpeningFlags{AtOpen: true, OpenAt: "10am"}, fail: "is not a time"},
		{f: OpeningFlags{AtOpen: true, OpenAt: "2026-10-08 10:00"}, fail: "is not a time"},
	} {
		o, err := c.f.Opening(now, vegas)
		switch {
		case c.fail != "":
			if err == nil || !strings.Contains(err.Error(), c.fail) || strings.Contains(err.Error(), "\n") {
				t.Errorf("%+v: err = %v, want one line with %q", c.f, err, c.fail)
			}
		case err != nil:
			t.Errorf("%+v: %v", c.f, err)
		case !c.f.AtOpen && o != nil:
			t.Errorf("%+v: an opening without --at-open", c.f)
		case c.f.AtOpen && o.At.UTC().Format(time.RFC3339) != c.at:
			t.Errorf("%+v: at %v, want %s", c.f, o.At.UTC(), c.at)
		}
	}
}

// FuzzOpenAt: any --open-at is a time or one line of error.
func FuzzOpenAt(f *testing.F) {
	for _, s := range []string{"10:00", "23:59", "2026-10-08T10:00:00-07:00", "-1:-1", "9:5", "", "24:00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		o, err := OpeningFlags{AtOpen: true, OpenAt: s}.Opening(time.Date(2026, 10, 8, 15, 0, 0, 0, time.UTC), time.UTC)
		if err != nil {
			if strings.Contains(err.Error(), "\n") {
				t.Fatalf("a message of several lines: %q", err)
			}
			return
		}
		if s != "" && o.At.IsZero() {
			t.Fatalf("%q: no time and no error", s)
		}
	})
}

// uncertain is an opening whose clock estimate is off by up to within,
// and that counts the schedule reads.
type uncertain struct {
	*opening
	within time.Duration
	reads  int
}

func (a *uncertain) ClockUncertainty() time.Duration { return a.within }

func (a *uncertain) Schedule(ctx context.Context, e string) (*eventsapi.Schedule, error) {
	a.reads++
	return a.opening.Schedule(ctx, e)
}

// TestAtOpenWaitsForTheClock: when the estimate of the service's clock may
// be off by 300 ms, the probe at the opening goes 300 ms after it, so it
// is never refused for being a moment early; while there is time before a
// probe, the schedule is read as the estimate turns a second, at most 5
// times a run.
func TestAtOpenWaitsForTheClock(t *testing.T) {
	sessions, seats, codes := twenty()
	start := time.Date(2026, 10, 8, 16, 59, 0, 0, time.UTC)
	c := &tclock{t: start}
	open := start.Add(61 * time.Second)
	acct := &uncertain{opening: &opening{account: &account{seats: seats, held: map[string]bool{}}, clock: c, opensAt: open}, within: 300 * time.Millisecond}
	o := options(codes...)
	o.Now, o.Sleep = c.now, c.sleep
	o.Opening = &Opening{At: open}
	rep, err := Run(context.Background(), newStore(t), acct, sessions, o)
	if err != nil || len(rep.Reserved) != 20 {
		t.Fatalf("%v, %d reserved", err, len(rep.Reserved))
	}
	if got, want := offsets(acct.at, open), "-1m0s -50s -40s -30s -20s -10s -8s -6s -4s -2s 300ms 300ms"; got != want {
		t.Errorf("requests at %s, want %s", got, want)
	}
	// The read before the plan, 5 to set the clock by, the read back.
	if acct.reads != 7 {
		t.Errorf("%d schedule reads, want 7", acct.reads)
	}
}
