package cli

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/spf13/cobra"

	"github.com/reinvent-cli/reinvent/internal/testenv"
)

// TestSearchFlags: words are the arguments; every value flag is repeatable
// and takes comma lists; --fits takes codes as schedule does; the
// settings of --buffer and the others are schedule's.
func TestSearchFlags(t *testing.T) {
	testenv.Isolate(t)
	var got *SearchOptions
	root := rootWith(func(f *Factory) *cobra.Command {
		return NewCmdSearch(f, func(_ context.Context, o *SearchOptions) error { got = o; return nil })
	})
	root.SetArgs([]string{"search", "--source", "sample", "bedrock", "agent", "--day", "tue,wed", "--day", "2026-12-04",
		"--level", "300,400", "--venue", "Wynn", "--seats", "available", "--fits", "SVS401,ARC302", "--fits", "DEV312",
		"--buffer", "10m", "--limit", "0", "--format", "csv"})
	if err := root.ExecuteContext(context.Background()); err != nil {
		t.Fatal(err)
	}
	q := got.Query
	if q.Words != "bedrock agent" || !slices.Equal(q.Days, []string{"tue,wed", "2026-12-04"}) || !slices.Equal(q.Levels, []int{300, 400}) ||
		!slices.Equal(q.Venues, []string{"Wynn"}) || !slices.Equal(q.Seats, []string{"available"}) || q.Limit != 0 {
		t.Errorf("query %+v", q)
	}
	if !slices.Equal(got.Fits.Codes, []string{"SVS401", "ARC302", "DEV312"}) || got.Fits.Plan.Buffer != 10*time.Minute || got.Format != "csv" || got.Fits.Plan.UnknownTravel != 30*time.Minute {
		t.Errorf("options %+v", got)
	}

	t.Setenv("REINVENT_BUFFER", "5m")
	root = rootWith(func(f *Factory) *cobra.Command {
		return NewCmdSearch(f, func(_ context.Context, o *SearchOptions) error { got = o; return nil })
	})
	root.SetArgs([]string{"search", "--source", "sample", "--fits-starred"})
	if err := root.ExecuteContext(context.Background()); err != nil || got.Fits.Plan.Buffer != 5*time.Minute || got.Query.Limit != 20 {
		t.Errorf("REINVENT_BUFFER: %v, %+v", err, got)
	}
}
