package schedule

import (
	"fmt"
	"testing"
	"time"

	"github.com/reinvent-cli/reinvent/internal/catalogtest"
	"github.com/reinvent-cli/reinvent/internal/testenv"
	"github.com/reinvent-cli/reinvent/pkg/catalog"
)

// TestClashIsThePlansRule: for every pair of a set of sessions (venues
// near and far, unknown and empty, back to back and with gaps, all day,
// a drop-in, another day, no time), Clash says they clash exactly when Plan, asked
// for both, cannot schedule both; with and without a buffer.
func TestClashIsThePlansRule(t *testing.T) {
	var sessions []catalog.Session
	venues := []string{"Venetian", "Wynn", "MGM Grand", "Caesars Forum", "", "Somewhere Else"}
	n := 0
	add := func(s catalog.Session) {
		n++
		s.Code = fmt.Sprintf("TST%03d", n)
		sessions = append(sessions, catalogtest.Session(s))
	}
	for i, v := range venues {
		for _, m := range []int{0, 60, 75, 90, 105, 120, 150, 200} {
			start := catalogtest.At(0, 9).Add(time.Duration(m+i) * time.Minute)
			add(catalog.Session{Venue: v, Start: start, End: start.Add(time.Hour)})
		}
	}
	add(catalog.Session{Venue: "Venetian", Start: catalogtest.At(0, 8), AllDay: true, End: catalogtest.At(0, 18)})
	add(catalog.Session{Title: "Expo", Venue: "Venetian", Start: catalogtest.At(0, 8), AllDay: true, End: catalogtest.At(0, 18)}) // a drop-in
	add(catalog.Session{Venue: "Venetian", Start: catalogtest.At(1, 9)})
	add(catalog.Session{Venue: "Wynn", Start: catalogtest.At(0, 12), End: catalogtest.At(0, 11)}) // ends before it starts
	add(catalog.Session{Venue: "Wynn"})
	sessions[len(sessions)-1].Start, sessions[len(sessions)-1].End = time.Time{}, time.Time{}

	for _, o := range []Options{
		{UnknownTravel: 30 * time.Minute, Location: testenv.Vegas},
		{UnknownTravel: 20 * time.Minute, Buffer: 10 * time.Minute, Location: testenv.Vegas},
	} {
		for i := range sessions {
			for j := range sessions {
				a, b := &sessions[i], &sessions[j]
				if i == j {
					if a.Scheduled() && !o.Clash(a, b) {
						t.Errorf("%s does not clash with itself", a.Code)
					}
					continue
				}
				res, err := Plan([]string{a.Code, b.Code}, sessions, o)
				if err != nil {
					t.Fatal(err)
				}
				both := len(res.Scheduled) == 2
				if !a.Scheduled() || !b.Scheduled() {
					both = true // a session with no time is never planned, and blocks nothing
				}
				if got := o.Clash(a, b); got == both {
					t.Errorf("buffer %v: Clash(%s %s %s, %s %s %s) = %v, but Plan schedules both: %v",
						o.Buffer, a.Code, a.Start.Format("15:04"), a.Venue, b.Code, b.Start.Format("15:04"), b.Venue, got, both)
				}
			}
		}
	}
}
