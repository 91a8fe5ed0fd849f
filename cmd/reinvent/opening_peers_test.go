package main

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	fakeevents "github.com/reinvent-cli/reinvent/internal/fake/events"
)

// scarceScript is other attendees at the opening at T: the veryLimited
// session o17 is gone 0.25 s after it, the limited o18 after 1 s.
func scarceScript(opens time.Time) []fakeevents.SeatChange {
	return []fakeevents.SeatChange{
		{At: opens.Add(250 * time.Millisecond), SessionID: "o17", Seats: 0, Band: "unavailable"},
		{At: opens.Add(time.Second), SessionID: "o18", Seats: 0, Band: "unavailable"},
	}
}

// greedy books ids in plan order against fake, size sessions a request,
// starting at start: a peer's first poll after the opening.
func greedy(t *testing.T, fake *fakeevents.Server, ids []string, size int, start time.Time) {
	t.Helper()
	time.Sleep(time.Until(start)) // the peer's own schedule, not a synchronisation
	for len(ids) > 0 {
		n := min(size, len(ids))
		body, _ := json.Marshal(map[string][]string{"sessionIds": ids[:n]})
		ids = ids[n:]
		req, _ := http.NewRequest(http.MethodPost, fake.URL+"/v1/events/reinvent2026/reservations", bytes.NewReader(body))
		req.Header.Set("Authorization", "Bearer peer")
		resp, err := fake.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("peer's request: %d", resp.StatusCode)
		}
	}
}

// TestOpeningAgainstGreedyPeers replays one opening for three bookers, each
// against its own fake with the same seat script (the veryLimited session
// gone 0.25 s after the opening, the limited one after 1 s), 30 ms a
// request: reinvent --at-open holds all 20; a greedy peer in the manner of
// Harivelu0/reinvent-sniper (the plan in order, 10 a request, polls every
// 3 s, so its first poll after the opening comes 1.5 s after it on
// average) and a one-at-a-time booker starting at the same moment both
// lose the two scarce seats (docs/performance.md, "The opening minute").
func TestOpeningAgainstGreedyPeers(t *testing.T) {
	var ids []string
	for i := range 20 {
		ids = append(ids, "o"+string(rune('0'+i/10))+string(rune('0'+i%10)))
	}
	for _, c := range []struct {
		name string
		size int // 0: reinvent
		want string
	}{
		{"reinvent", 0, ""},
		{"sniper", 10, "o17 o18"},
		{"one-at-a-time", 1, "o17 o18"},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			opens := time.Now().Add(3500 * time.Millisecond).Truncate(time.Second)
			fake, codes, args := openingWorld(t, 0, opens)
			fake.Lock()
			fake.SeatScript = scarceScript(opens)
			fake.Unlock()
			if c.size == 0 {
				if _, errOut, code := reserveJSON(t, append(append([]string{"--at-open", "--open-at", opens.Format(time.RFC3339)}, codes...), args...)...); code != 0 {
					t.Fatalf("exit %d\n%s", code, errOut)
				}
			} else {
				greedy(t, fake, ids, c.size, opens.Add(1500*time.Millisecond))
			}
			var lost []string
			h := " " + held(fake) + " "
			for _, id := range ids {
				if !strings.Contains(h, " "+id+" ") {
					lost = append(lost, id)
				}
			}
			ws := reserveWrites(fake)
			var ok []fakeevents.Write
			for _, w := range ws {
				if w.Status == http.StatusOK {
					ok = append(ok, w)
				}
			}
			if got := strings.Join(lost, " "); got != c.want {
				t.Errorf("lost %q, want %q: %s", got, c.want, timeline(ws, opens))
			}
			t.Logf("%s: holds %d of 20, the last write at %+.3fs after the opening (%d requests accepted)", c.name, 20-len(lost), ok[len(ok)-1].At.Sub(opens).Seconds(), len(ok))
		})
	}
}
