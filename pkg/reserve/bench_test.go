package reserve

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/reinvent-cli/reinvent/pkg/catalog"
	"github.com/reinvent-cli/reinvent/pkg/catalog/eventsapi"
)

// slow is an account whose every request takes latency, as the service's
// do over the network.
type slow struct {
	*account
	latency time.Duration
}

func (s slow) Schedule(ctx context.Context, e string) (*eventsapi.Schedule, error) {
	time.Sleep(s.latency)
	return s.account.Schedule(ctx, e)
}

func (s slow) Reserve(ctx context.Context, e string, ids []string) (*eventsapi.Result, error) {
	time.Sleep(s.latency)
	return s.account.Reserve(ctx, e, ids)
}

// BenchmarkReserve20 reserves 20 codes at 30 ms a request, pacing to the
// real quota with the real clock: reads, writes and the pacing all count.
func BenchmarkReserve20(b *testing.B) {
	var sessions []catalog.Session
	var codes []string
	for i := range 20 {
		s := session(fmt.Sprintf("BEN%d", 300+i), 0)
		s.Start = day.Add(time.Duration(i) * 5 * time.Hour)
		s.End = s.Start.Add(time.Hour)
		sessions = append(sessions, s)
		codes = append(codes, s.Code)
	}
	st := newStoreB(b)
	requests, n := 0, 0
	for b.Loop() {
		seats := map[string]int{}
		for _, s := range sessions {
			seats[s.SessionID] = 1
		}
		a := slow{&account{seats: seats, held: map[string]bool{}}, 30 * time.Millisecond}
		o := options(codes...)
		o.Sleep = nil // the real clock
		// A fresh account each time: the journal paces the writes of
		// one event across runs, so the same one would wait the minute.
		n++
		o.Event = fmt.Sprintf("bench%d", n)
		rep, err := Run(context.Background(), st, a, sessions, o)
		if err != nil || len(rep.Reserved) != 20 {
			b.Fatalf("%v, %d reserved", err, len(rep.Reserved))
		}
		requests = len(a.writes)
	}
	b.ReportMetric(float64(requests), "writes/op")
}
