package cli

import (
	"strings"
	"testing"

	"github.com/reinvent-cli/reinvent/internal/testenv"
)

// TestAccountWritesDryRunOnEverySource is issue 22's defect 6: reserve,
// favorite and cancel could not be tried without an account. A dry run
// works on every source, planning around the catalog's reserved sessions;
// a write still needs the AWS Events API, and the error says so.
func TestAccountWritesDryRunOnEverySource(t *testing.T) {
	testenv.Isolate(t)
	tests := []struct {
		args []string
		want []string
	}{
		{[]string{"reserve", "--dry-run", "--source", "sample", "SVS401", "ARC302"}, []string{
			"Dry run: would reserve 1 session; 6 already held",
			"to reserve    ARC302-R",
			"already held  CNS309",
			"not held      SVS401       (conflict: blocked by",
		}},
		{[]string{"favorite", "--dry-run", "--source", "sample", "SVS401", "XYZ999"}, []string{
			"Would add 3 sessions to your favorites (dry run: nothing sent)",
			"  SVS401-R1    Best practices for serverless developers",
			"not found: XYZ999",
		}},
		{[]string{"cancel", "--dry-run", "--source", "sample", "CNS309", "SVS401"}, []string{
			"CNS309: would be cancelled (dry run: nothing sent)",
			"SVS401: no seat held",
		}},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			out, _, err := runCLI(t, tt.args...)
			if err != nil {
				t.Fatalf("%v\n%s", err, out)
			}
			for _, w := range tt.want {
				if !strings.Contains(out, w) {
					t.Errorf("output lacks %q:\n%s", w, out)
				}
			}
		})
	}
	for _, args := range [][]string{
		{"reserve", "--source", "sample", "SVS401"},
		{"reserve", "--yes", "--source", "sample", "SVS401"},
		{"favorite", "--source", "sample", "SVS401"},
		{"cancel", "--source", "sample", "CNS309"},
	} {
		out, _, err := runCLI(t, args...)
		if ExitCode(err) != ExitUsage || out != "" {
			t.Errorf("%v: exit %d, stdout %q; want 2 and nothing", args, ExitCode(err), out)
		}
		if err == nil || !strings.Contains(err.Error(), "writes to the AWS Events API") || !strings.Contains(err.Error(), "--dry-run") {
			t.Errorf("%v: err = %v, want it to say writes need the Events API, and --dry-run", args, err)
		}
	}
}

// TestReserveRefusesUnknownTravelVenue: reserve plans as schedule does, so
// a travel file naming a venue nobody knows is refused there too, instead
// of changing nothing in silence.
func TestReserveRefusesUnknownTravelVenue(t *testing.T) {
	dir := testenv.Isolate(t)
	bad := dir + "/typo.yaml"
	writeFile(t, bad, "minutes:\n  Venetain: {Wynn: 300}\n")
	out, _, err := runCLI(t, "reserve", "--dry-run", "--source", "sample", "--travel", bad, "SVS401")
	if ExitCode(err) != ExitUsage || out != "" || err == nil || !strings.HasPrefix(err.Error(), "travel file "+bad+`:2: unknown venue "Venetain"; the closest known venues are Venetian`) {
		t.Errorf("exit %d, stdout %q: %v", ExitCode(err), out, err)
	}
}
