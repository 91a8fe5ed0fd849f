package eventsapi

import (
	"context"
	"testing"
	"time"

	fakeevents "github.com/reinvent-cli/reinvent/internal/fake/events"
	"github.com/reinvent-cli/reinvent/internal/testenv"
	"github.com/reinvent-cli/reinvent/pkg/catalog"
	"github.com/reinvent-cli/reinvent/pkg/catalog/sample"
)

// sampleServer serves the sample catalog from the fake in the 2026 shape.
func sampleServer(tb testing.TB, loc *time.Location) (*catalog.Catalog, *fakeevents.Server) {
	tb.Helper()
	cat, err := sample.Source{}.Fetch(context.Background(), catalog.FetchOptions{Location: loc})
	if err != nil {
		tb.Fatal(err)
	}
	srv := fakeevents.New(event, fakeevents.FromCatalog(cat.Sessions, loc))
	tb.Cleanup(srv.Close)
	srv.Event.TimeZone = "America/Los_Angeles"
	return cat, srv
}

// BenchmarkFetchSample fetches the whole sample catalog (2,000 sessions)
// from the fake on loopback, in pages of 250 as the service sent the 2026
// catalog: the HTTP round trips, the decoding and the mapping.
func BenchmarkFetchSample(b *testing.B) {
	loc := testenv.Vegas
	cat, srv := sampleServer(b, loc)
	c := newCatalog(srv, &sleeper{})
	b.ReportAllocs()
	for b.Loop() {
		got, err := c.Fetch(context.Background(), catalog.FetchOptions{Event: event, Location: loc})
		if err != nil || len(got.Sessions) != len(cat.Sessions) {
			b.Fatalf("%v, %d sessions", err, len(got.Sessions))
		}
	}
}

// TestSampleThroughTheFake serves the whole sample in the 2026 shape (no
// venue for Wynn, Encore and Caesars Palace, the room naming it; lengths
// and levels as strings) and reads it back: every session comes back with
// its venue, room, times, level and seat band.
func TestSampleThroughTheFake(t *testing.T) {
	loc := testenv.Vegas
	cat, srv := sampleServer(t, loc)
	got, err := newCatalog(srv, &sleeper{}).Fetch(context.Background(), catalog.FetchOptions{Event: event, Location: loc})
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Sessions) != len(cat.Sessions) || len(got.Warnings) != 0 {
		t.Fatalf("%d sessions, want %d; warnings %q", len(got.Sessions), len(cat.Sessions), got.Warnings)
	}
	if srv.Count("sessions") != (len(cat.Sessions)+fakeevents.DefaultPageSize-1)/fakeevents.DefaultPageSize {
		t.Errorf("%d pages", srv.Count("sessions"))
	}
	for i := range cat.Sessions {
		w, g := cat.Sessions[i], got.Sessions[i]
		// What the Events API does not carry in a session: the schedule
		// (starred, reserved) comes from GetSchedule; status and embargo
		// are not in the guide's shape.
		w.Starred, w.Reserved, w.Status, w.Embargoed = false, false, "", false
		if !g.Equal(&w) {
			t.Fatalf("session %d:\n got %+v\nwant %+v", i, g, w)
		}
	}
}
