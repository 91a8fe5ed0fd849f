package schedule

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/reinvent-cli/reinvent/internal/catalogtest"
	"github.com/reinvent-cli/reinvent/internal/testenv"
	"github.com/reinvent-cli/reinvent/pkg/catalog"
)

// TestFitsIsThePlansRule: a session fits a schedule exactly when Plan,
// asked for the schedule's sessions and that session, each exactly,
// schedules them all: on sessions in several venues, some a few minutes
// apart, all-day sessions (one a drop-in), one that ends before it starts,
// one with no time, with and without a buffer.
func TestFitsIsThePlansRule(t *testing.T) {
	var sessions []catalog.Session
	add := func(s catalog.Session) {
		s.Code = fmt.Sprintf("FIT%03d", len(sessions)+1)
		sessions = append(sessions, catalogtest.Session(s))
	}
	venues := []string{"Venetian", "Wynn", "MGM Grand", "Caesars Forum", "", "Somewhere Else"}
	for i, v := range venues {
		for _, m := range []int{0, 45, 75, 100, 130, 200} {
			start := catalogtest.At(i%2, 9).Add(time.Duration(m+i) * time.Minute)
			add(catalog.Session{Venue: v, Start: start, End: start.Add(time.Hour)})
		}
	}
	add(catalog.Session{Venue: "Venetian", Start: catalogtest.At(0, 8), AllDay: true, End: catalogtest.At(0, 18)})
	add(catalog.Session{Title: "Expo", Venue: "Venetian", Start: catalogtest.At(1, 8), AllDay: true, End: catalogtest.At(1, 18)})
	add(catalog.Session{Venue: "Wynn", Start: catalogtest.At(1, 12), End: catalogtest.At(1, 11)})
	add(catalog.Session{Venue: "Wynn"})
	sessions[len(sessions)-1].Start, sessions[len(sessions)-1].End = time.Time{}, time.Time{}

	r := rand.New(rand.NewPCG(26, 2))
	seen := map[bool]int{}
	for _, o := range []Options{
		{UnknownTravel: 30 * time.Minute, Location: testenv.Vegas},
		{UnknownTravel: 20 * time.Minute, Buffer: 15 * time.Minute, Location: testenv.Vegas},
	} {
		for range 300 {
			// A schedule of up to four sessions that Plan makes, and every
			// other session tried against it.
			var codes []string
			for range 1 + r.IntN(4) {
				codes = append(codes, sessions[r.IntN(len(sessions))].Code+ExactMark)
			}
			plan, err := Plan(codes, sessions, o)
			if err != nil {
				t.Fatal(err)
			}
			var around []catalog.Session
			var exact []string
			for _, c := range plan.Scheduled {
				around = append(around, c.Session)
				exact = append(exact, c.Session.Code+ExactMark)
			}
			for i := range sessions {
				s := &sessions[i]
				res, err := Plan(append(exact[:len(exact):len(exact)], s.Code+ExactMark), sessions, o)
				if err != nil {
					t.Fatal(err)
				}
				all := len(res.Scheduled) == len(exact)+1
				seen[all]++
				if got := o.Fits(s, around); got != all {
					t.Errorf("buffer %v: Fits(%s %v %s, %v) = %v, but Plan schedules all: %v", o.Buffer, s.Code, s.Start, s.Venue, exact, got, all)
				}
			}
		}
	}
	if seen[true] < 1000 || seen[false] < 1000 {
		t.Errorf("fits %d times, does not %d times: the cases are too few to tell", seen[true], seen[false])
	}
}
