package main

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	fakex "github.com/reinvent-cli/reinvent/internal/fake/x"
)

// BenchmarkPollMentionToReply runs serve-webhook --poll 1s with an empty --addr (the
// built binary) against the fake X and measures, per mention, the time
// from the mention appearing on the timeline to the first reply post
// (docs/performance.md, "Polling"). Each mention appears at a random
// moment of the poll cycle. limit is the timeline's requests per 15
// minutes: 300 is X's per-user figure, which stretches 1 s to about 3 s;
// 3600 lets a read happen every second. It also reports the timeline reads
// an hour the run made.
func BenchmarkPollMentionToReply(b *testing.B) {
	for _, limit := range []int{300, 3600} {
		b.Run(fmt.Sprintf("limit=%d", limit), func(b *testing.B) {
			fx, accepted := pollingX(b)
			fx.TimelineLimit(limit)
			bot := startBot(b, b.TempDir()+"/reinvent.db", fx.URL(), "--poll", "1s", "--addr", "")
			defer stopBot(b, bot)
			readsPast(b, fx, 1)
			cycle := 15 * time.Minute / time.Duration(limit)
			cycle = max(cycle, time.Second)
			var total time.Duration
			start, reads0 := time.Now(), fx.TimelineReads()
			i := 0
			for b.Loop() {
				time.Sleep(rand.N(cycle)) // a random phase of the poll cycle, not synchronisation
				t0 := time.Now()
				id := fx.AddMention(fakex.Mention{AuthorID: fmt.Sprint(900 + i), Username: fmt.Sprint("user", i), Text: "@reinventbot SVS401"})
				if p := waitPost(b, accepted); p.InReplyTo != id {
					b.Fatalf("reply %+v to another mention than %s", p, id)
				}
				total += time.Since(t0)
				i++
			}
			elapsed := time.Since(start)
			b.ReportMetric(float64(total.Milliseconds())/float64(i), "ms-to-reply")
			b.ReportMetric(float64(fx.TimelineReads()-reads0)/elapsed.Hours(), "reads/h")
			b.ReportMetric(0, "ns/op")
		})
	}
}
