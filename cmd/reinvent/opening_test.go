package main

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"net/http"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	fakeevents "github.com/reinvent-cli/reinvent/internal/fake/events"
)

// openingWorld is the Events API fake with 20 codes that do not clash, the
// first two veryLimited and limited, answering every request in 30 ms,
// its clock skewed by skew, and closed until opens on that clock.
func openingWorld(t *testing.T, skew time.Duration, opens time.Time) (*fakeevents.Server, []string, []string) {
	t.Helper()
	items, codes := spread("OPN", "o", 20)
	s0, s1 := items[17].(fakeevents.Session), items[18].(fakeevents.Session)
	s0.SeatAvailability, s1.SeatAvailability = "veryLimited", "limited"
	items[17], items[18] = s0, s1
	fake := fakeevents.New("reinvent2026", items)
	t.Cleanup(fake.Close)
	fake.Lock()
	fake.Event.TimeZone = "America/Los_Angeles"
	fake.Now = func() time.Time { return time.Now().Add(skew) }
	fake.OpensAt = opens
	fake.Delay = 30 * time.Millisecond
	fake.Unlock()
	return fake, codes, signedIn(t, fake)
}

// reserveWrites are the fake's reservation requests.
func reserveWrites(fake *fakeevents.Server) []fakeevents.Write {
	fake.Lock()
	defer fake.Unlock()
	var out []fakeevents.Write
	for _, w := range fake.Writes {
		if w.Key == "reserve" {
			out = append(out, w)
		}
	}
	return out
}

func timeline(ws []fakeevents.Write, from time.Time) string {
	var out []string
	for _, w := range ws {
		out = append(out, fmt.Sprintf("%+.3fs:%d×%d", w.At.Sub(from).Seconds(), len(w.SessionIDs), w.Status))
	}
	return strings.Join(out, " ")
}

// TestReserveAtOpen: reservations open at T, a few seconds ahead on the
// service's clock, which is ours, an hour ahead of ours, or 40 minutes
// behind. The run waits on the service's clock: the first probe reaches
// the fake no earlier than T minus the probe interval of the last seconds
// (2 s), every probe before T is refused with 409, the first probe is the
// scarcest sessions first, and all 20 are held within 1 s of T, in two
// requests of 10 (the lower bound). The offset is logged.
func TestReserveAtOpen(t *testing.T) {
	for _, skew := range []time.Duration{0, time.Hour, -40 * time.Minute} {
		t.Run(skew.String(), func(t *testing.T) {
			t.Parallel()
			opens := time.Now().Add(skew).Add(3500 * time.Millisecond).Truncate(time.Second)
			fake, codes, args := openingWorld(t, skew, opens)
			rep, errOut, code := reserveJSON(t, append(append([]string{"--at-open", "--open-at", opens.Format(time.RFC3339), "--log-level", "info"}, codes...), args...)...)
			ws := reserveWrites(fake)
			if code != 0 || len(rep.Reserved) != 20 {
				t.Fatalf("exit %d, reserved %d; writes %s\n%s", code, len(rep.Reserved), timeline(ws, opens), errOut)
			}
			if first := ws[0].At.Sub(opens); first < -2600*time.Millisecond {
				t.Errorf("the first probe came %v before the opening, want at most 2 s (and the clock's error): %s", -first, timeline(ws, opens))
			}
			var accepted []fakeevents.Write
			for _, w := range ws {
				switch {
				case w.At.Before(opens) && w.Status != http.StatusConflict:
					t.Errorf("a request before the opening answered %d", w.Status)
				case w.Status == http.StatusOK:
					accepted = append(accepted, w)
				}
			}
			if len(accepted) != 2 || len(accepted[0].SessionIDs) != 10 || len(accepted[1].SessionIDs) != 10 {
				t.Errorf("accepted requests %s, want two of 10", timeline(accepted, opens))
			}
			if last := accepted[len(accepted)-1].At.Sub(opens); last >= time.Second {
				t.Errorf("the plan was held %v after the opening, want within 1 s: %s", last, timeline(ws, opens))
			}
			if p := ws[0].SessionIDs; len(p) != 1 || p[0] != "o17" {
				t.Errorf("a probe before the opening %v, want the veryLimited o17 alone", p)
			}
			if p := accepted[0].SessionIDs; p[0] != "o17" || p[1] != "o18" || p[2] != "o00" {
				t.Errorf("the accepted probe %v, want veryLimited o17, limited o18, then the plan's order", p)
			}
			var logged float64
			_, after, _ := strings.Cut(errOut, `msg="the service's clock" offset=`)
			if _, err := fmt.Sscanf(after, "%gs", &logged); err != nil || logged < skew.Seconds()-1 || logged > skew.Seconds()+1 {
				t.Errorf("the offset is not logged within a second of %+.0fs (%v):\n%s", skew.Seconds(), err, errOut)
			}
			t.Logf("skew %v: %s", skew, timeline(ws, opens))
		})
	}
}

// TestReserveAtOpenUnknownTime: with no --open-at, a probe goes at once and
// then every 20 s; the first after the opening holds the seats. With
// --give-up-after shorter than the next probe, the run gives up after one
// probe, exit 1, with one line that says what to do.
func TestReserveAtOpenUnknownTime(t *testing.T) {
	t.Run("opens", func(t *testing.T) {
		t.Parallel()
		start := time.Now()
		fake, codes, args := openingWorld(t, 0, start.Add(3*time.Second))
		rep, errOut, code := reserveJSON(t, append(append([]string{"--at-open"}, codes...), args...)...)
		ws := reserveWrites(fake)
		if code != 0 || len(rep.Reserved) != 20 || len(ws) != 3 {
			t.Fatalf("exit %d, reserved %d, writes %s\n%s", code, len(rep.Reserved), timeline(ws, start), errOut)
		}
		if gap := ws[1].At.Sub(ws[0].At); ws[0].Status != http.StatusConflict || gap < 19*time.Second || gap > 21*time.Second {
			t.Errorf("probes %s, want a 409 then one 20 s later", timeline(ws, start))
		}
	})
	t.Run("gives up", func(t *testing.T) {
		t.Parallel()
		fake, codes, args := openingWorld(t, 0, time.Now().Add(time.Hour))
		_, errOut, code := run(t, append(append([]string{"reserve", "--yes", "--at-open", "--give-up-after", "5s"}, codes...), args...)...)
		lines := strings.Split(strings.TrimSpace(errOut), "\n")
		msg := lines[len(lines)-1]
		if code != 1 || !strings.HasPrefix(msg, "reinvent: reservations did not open after 5s of probing: 1 probe, all answered 409; ") || !strings.Contains(msg, "--give-up-after") {
			t.Errorf("exit %d, stderr:\n%s", code, errOut)
		}
		if ws := reserveWrites(fake); len(ws) != 1 {
			t.Errorf("writes %s, want one probe", timeline(ws, time.Now()))
		}
	})
	t.Run("usage", func(t *testing.T) {
		for _, bad := range [][]string{{"--open-at", "10:00"}, {"--at-open", "--open-at", "10am"}, {"--at-open", "--give-up-after", "-1s"}, {"--max-writes", "-1"}} {
			_, errOut, code := run(t, append([]string{"reserve", "--yes", "ARC302", "--source", "sample"}, bad...)...)
			if code != 2 || strings.Count(strings.TrimSpace(errOut), "\n") > 0 {
				t.Errorf("%v: exit %d, stderr:\n%s", bad, code, errOut)
			}
		}
	})
}

// TestReserveAtOpenKilled: the run is killed with SIGKILL at a random
// moment around the opening (during the probes, a write in flight, or
// after), then run again: every seat of the plan is held, and no session
// is sent again after a write took its seat.
func TestReserveAtOpenKilled(t *testing.T) {
	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 25))
	for i := range 3 {
		jitter := time.Duration(rng.Int64N(int64(500 * time.Millisecond)))
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			t.Parallel()
			opens := time.Now().Add(3500 * time.Millisecond).Truncate(time.Second)
			fake, codes, args := openingWorld(t, 0, opens)
			argv := append(append([]string{"reserve", "--yes", "--at-open", "--open-at", opens.Format(time.RFC3339)}, codes...), args...)
			cmd := command(t, argv...)
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			// From the probes just before the opening to the writes
			// after it (the plan is held about 0.15 s after it).
			kill := time.Until(opens) - 300*time.Millisecond + jitter
			killedAt := make(chan time.Time, 1)
			timer := time.AfterFunc(kill, func() { killedAt <- time.Now(); _ = cmd.Process.Kill() })
			_ = cmd.Wait()
			timer.Stop()
			var killed time.Time // zero: the run ended before the kill
			select {
			case killed = <-killedAt:
			default:
			}
			rep, errOut, code := reserveJSON(t, append(append([]string{"--at-open", "--open-at", opens.Format(time.RFC3339)}, codes...), args...)...)
			if code != 0 || len(held(fake)) == 0 || strings.Count(held(fake), " ") != 19 {
				t.Errorf("killed at %v from the opening, rerun: exit %d, holds %q, report %d reserved %d already held\n%s", killed.Sub(opens), code, held(fake), len(rep.Reserved), len(rep.AlreadyHeld), errOut)
			}
			noRepeats(t, fake)
			when := "not killed: the run ended first"
			if !killed.IsZero() {
				when = fmt.Sprintf("killed at %+.3fs", killed.Sub(opens).Seconds())
			}
			t.Logf("%s: %s", when, timeline(reserveWrites(fake), opens))
		})
	}
}

// TestReserveTwoProcessesShareTheQuota: two reserve processes on one store
// start together, 18 sessions each, against the fake's quota of 30
// sessions a minute: they pace to it together from the journal, and the
// fake answers no 429. The last request waits for the minute.
func TestReserveTwoProcessesShareTheQuota(t *testing.T) {
	t.Parallel()
	items, codes := spread("QTB", "q", 36)
	fake := fakeevents.New("reinvent2026", items)
	t.Cleanup(fake.Close)
	args := signedIn(t, fake)
	// The store exists before the two start: two processes that create
	// one store at once can fail (left to pkg/store's owners).
	if _, errOut, code := run(t, append([]string{"reserve", "--dry-run", codes[0]}, args...)...); code != 0 {
		t.Fatalf("dry run: exit %d\n%s", code, errOut)
	}
	var wg sync.WaitGroup
	outs := make([]bytes.Buffer, 2)
	codesOut := make([]int, 2)
	for i := range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			cmd := command(t, append(append([]string{"reserve", "--yes"}, codes[18*i:18*i+18]...), args...)...)
			cmd.Stderr = &outs[i]
			err := cmd.Run()
			if ee, ok := err.(*exec.ExitError); ok {
				codesOut[i] = ee.ExitCode()
			}
		}()
	}
	wg.Wait()
	ws := reserveWrites(fake)
	start := ws[0].At
	for _, w := range ws {
		if w.Status == http.StatusTooManyRequests {
			t.Errorf("a 429: %s", timeline(ws, start))
			break
		}
	}
	if codesOut[0] != 0 || codesOut[1] != 0 || strings.Count(held(fake), " ") != 35 {
		t.Errorf("exits %v, held %q\n%s\n%s", codesOut, held(fake), &outs[0], &outs[1])
	}
	t.Logf("%s", timeline(ws, start))
}
