package main

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	fakeevents "github.com/reinvent-cli/reinvent/internal/fake/events"
)

// swapWorld is the follow world with TOP101 on Tuesday at 14:00, at the
// time of the held HLD303, followed before it: the better plan holds
// TOP101 in HLD303's place. The baseline is recorded.
func swapWorld(t *testing.T) *followWorld {
	t.Helper()
	w := newFollowWorld(t, reInvent2026)
	w.add(w.session("t1", "TOP101", "Top priority", 1, "14:00"))
	if _, errOut, code := w.swapRun(); code != 0 || w.writes() != 0 {
		t.Fatalf("baseline: exit %d, %d writes\n%s", code, w.writes(), errOut)
	}
	return w
}

// swapRun runs follow TOP101 HLD303 --rebook --swap --format json.
func (w *followWorld) swapRun() (stdout, stderr string, code int) {
	w.t.Helper()
	return w.run("TOP101", "HLD303", "--rebook", "--swap", "--format", "json")
}

// keys are the writes as "KEY IDS", after the first n.
func (w *followWorld) keys(n int) []string {
	var keys []string
	for _, wr := range w.writesSince(n) {
		keys = append(keys, wr.Key+" "+strings.Join(wr.SessionIDs, ","))
	}
	return keys
}

// TestFollowSwapRolledBack: the reservation of a swap's new seat loses its
// answer and the schedule read back does not hold it: the seat given up
// is reserved again at once, and a swap-failed notice says so; the next
// run does not try again while the session's band is the same.
func TestFollowSwapRolledBack(t *testing.T) {
	w := swapWorld(t)
	w.events.FailNext("reserve", fakeevents.Failure{Drop: true})
	out, errOut, code := w.swapRun()
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, errOut)
	}
	if got, want := w.keys(0), []string{"cancel h3", "reserve t1", "reserve h3"}; !slices.Equal(got, want) {
		t.Fatalf("writes %q; want %q\n%s", got, want, errOut)
	}
	if held := w.held(); !slices.Contains(held, "h3") || slices.Contains(held, "t1") {
		t.Errorf("held %v; want HLD303 held again", held)
	}
	ns := notices(t, out)
	if len(ns) != 1 || ns[0].Kind != "swap-failed" || ns[0].Session != "TOP101" || ns[0].New != "not made (TOP101: answer lost): HLD303 held again" {
		t.Errorf("notices %+v; want one swap-failed", ns)
	}
	if out, errOut, code := w.swapRun(); code != 0 || out != "" || w.writes() != 3 {
		t.Errorf("a rerun: exit %d, stdout %q, writes %q\n%s", code, out, w.keys(0), errOut)
	}
}

// TestFollowSwapLost: the new seat's reservation is lost, and another
// attendee takes HLD303's seat the moment it is given up: the rollback
// fails too. The run says SEAT LOST on stderr and in an urgent notice.
func TestFollowSwapLost(t *testing.T) {
	w := swapWorld(t)
	w.events.FailNext("reserve", fakeevents.Failure{Drop: true})
	w.events.Lock()
	w.events.AfterWrite = func(wr fakeevents.Write) { // under the fake's lock
		if wr.Key == "cancel" && wr.Done {
			if w.events.Seats == nil {
				w.events.Seats = map[string]int{}
			}
			w.events.Seats["h3"] = 0
		}
	}
	w.events.Unlock()
	out, errOut, code := w.swapRun()
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, errOut)
	}
	if got, want := w.keys(0), []string{"cancel h3", "reserve t1", "reserve h3"}; !slices.Equal(got, want) {
		t.Fatalf("writes %q; want %q\n%s", got, want, errOut)
	}
	if held := w.held(); slices.Contains(held, "h3") || slices.Contains(held, "t1") {
		t.Errorf("held %v", held)
	}
	ns := notices(t, out)
	if len(ns) == 0 || ns[0].Kind != "seat-lost" || ns[0].Session != "HLD303" || !strings.HasPrefix(ns[0].New, "SEAT LOST: given up for TOP101") {
		t.Fatalf("notices %+v; want seat-lost HLD303 first", ns)
	}
	if !strings.Contains(errOut, "SEAT LOST: HLD303, given up for TOP101") {
		t.Errorf("stderr %q; want the lost seat said", errOut)
	}
}

// TestFollowSwapKilled: follow is killed (SIGKILL) while a write of the
// swap is in flight, before or after the service carried it out; the
// rerun reads the schedule first, ends with TOP101 held in HLD303's place,
// and sends no write that was done again.
func TestFollowSwapKilled(t *testing.T) {
	for _, c := range []struct {
		key   string
		done  bool
		rerun []string // the rerun's writes
	}{
		{"cancel", false, []string{"cancel h3", "reserve t1"}}, // nothing happened: the swap is made
		{"cancel", true, []string{"reserve t1"}},               // the one window: HLD303 gone, TOP101 not held; the plan takes it
		{"reserve", false, []string{"reserve t1"}},             // the same window, one step later
		{"reserve", true, nil},                                 // the swap was done: nothing to write
	} {
		t.Run(fmt.Sprintf("%s done=%v", c.key, c.done), func(t *testing.T) {
			w := swapWorld(t)
			inFlight, release := make(chan struct{}), make(chan struct{})
			w.events.FailNext(c.key, fakeevents.Failure{Done: c.done, Drop: true, Hold: func() {
				close(inFlight)
				<-release
			}})
			defer close(release)
			cmd := w.cmd("TOP101", "HLD303", "--rebook", "--swap")
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			exited := make(chan error, 1)
			go func() { exited <- cmd.Wait() }()
			select {
			case <-inFlight:
				if err := cmd.Process.Kill(); err != nil {
					t.Fatal(err)
				}
				<-exited
			case err := <-exited:
				t.Fatalf("follow ended (%v) before the %s it was to be killed in", err, c.key)
			}
			n := w.writes()
			_, errOut, code := w.swapRun()
			if code != 0 {
				t.Fatalf("rerun: exit %d\n%s", code, errOut)
			}
			if got := w.keys(n); !slices.Equal(got, c.rerun) {
				t.Errorf("the rerun's writes %q; want %q\n%s", got, c.rerun, errOut)
			}
			if held := w.held(); !slices.Contains(held, "t1") || slices.Contains(held, "h3") {
				t.Errorf("held %v; want TOP101 in HLD303's place", held)
			}
		})
	}
}
