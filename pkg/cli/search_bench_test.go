package cli

import "testing"

// BenchmarkSearchCache2400 is reinvent search on the Events API with a
// fresh cached catalog of 2,400 sessions and its kept index: nothing is
// fetched or built.
func BenchmarkSearchCache2400(b *testing.B) {
	db := cached2400(b)
	for _, args := range [][]string{{"kubernetes"}, {"--day", "tue", "--after", "13:00"}, {"--fits", "SVS401,ARC302", "--day", "wed"}} {
		b.Run(args[0], func(b *testing.B) {
			for b.Loop() {
				benchCommand(b, append(append([]string{"search"}, offline(db)...), args...)...)
			}
		})
	}
}
