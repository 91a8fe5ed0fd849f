package reserve

import (
	"strings"
	"testing"
)

// TestIncomplete: favorite and cancel exit 1, with a line that says what
// is left, only when something they sent was not done: codes not found or
// sessions not added (never on a dry run), seats that may still be held.
func TestIncomplete(t *testing.T) {
	for _, tt := range []struct {
		name string
		rep  interface{ Incomplete() error }
		want string // "" is no error
	}{
		{"favorite, all added", &FavoriteReport{Added: 2}, ""},
		{"favorite, some missed", &FavoriteReport{Added: 1, NotFound: []string{"XYZ999"}, NotAdded: []string{"id1: full", "id2: gone"}}, "1 codes not found, 2 sessions not added"},
		{"favorite dry run", &FavoriteReport{DryRun: true, NotFound: []string{"XYZ999"}}, ""},
		{"cancel, all done", &CancelReport{Entries: []CancelEntry{{"SVS401", Cancelled}, {"ARC302", NoSeatHeld}}}, ""},
		{"cancel, one unsettled", &CancelReport{Entries: []CancelEntry{{"SVS401", StillHeld}, {"ARC302", Cancelled}}}, "1 seats are still held; run reinvent cancel again"},
	} {
		err := tt.rep.Incomplete()
		if tt.want == "" && err != nil || tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)) {
			t.Errorf("%s: %v, want %q", tt.name, err, tt.want)
		}
	}
}
