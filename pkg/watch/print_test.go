package watch

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/reinvent-cli/reinvent/pkg/catalog"
)

// failingWriter refuses every write, as a closed pipe does.
type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("broken pipe") }

// TestReportPrint: what watch prints of a run. The catalog's warnings come
// always; the changes and the summary only once the run recorded (or a dry
// run compared without error); a silent baseline lists no change unless
// AnnounceInitial; the summary comes only when asked for; a write to out
// that fails is the error and the summary is not written after it.
func TestReportPrint(t *testing.T) {
	cat := &catalog.Catalog{Sessions: []catalog.Session{
		session("ARC301", "Serverless", 0, 9, "Wynn", "Room 1"),
		session("SVS401", "Lambda", 1, 10, "Venetian", "Room 2"),
	}}
	diff := func(t *testing.T) *Result {
		t.Helper()
		res, err := DiffCatalog(headsOf(), cat, time.UTC)
		if err != nil {
			t.Fatal(err)
		}
		res.Duplicates = []string{"ARC301"}
		return res
	}
	const warning = "warning: the catalog lists ARC301 more than once; the first was used\n"
	tests := []struct {
		name            string
		r               Report
		o               Options
		summary         bool
		runErr          error
		wantOut, wantEr []string // lines that must be there
		noOut, noSum    bool
	}{
		{name: "not recorded", r: Report{Fetched: 2}, summary: true, runErr: errors.New("locked"), noOut: true, noSum: true},
		{name: "silent baseline", r: Report{Fetched: 2, Baseline: true, Recorded: true}, summary: true,
			noOut: true, wantEr: []string{"Recorded a baseline of 2 sessions"}},
		{name: "announced baseline", r: Report{Fetched: 2, Baseline: true, Recorded: true}, o: Options{AnnounceInitial: true}, summary: true,
			wantOut: []string{"new ARC301: ", "new SVS401: "}, wantEr: []string{"2 sessions: 2 new, 0 updated"}},
		{name: "no summary asked", r: Report{Fetched: 2, Recorded: true},
			wantOut: []string{"new ARC301: "}, noSum: true},
		{name: "dry run that failed", r: Report{Fetched: 2, DryRun: true}, summary: true, runErr: errors.New("outbox"), noOut: true, noSum: true},
		{name: "dry run", r: Report{Fetched: 2, DryRun: true}, summary: true,
			wantOut: []string{"new SVS401: "}, wantEr: []string{"Dry run: 2 sessions: 2 new"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.o.Location = time.UTC
			r := tt.r
			r.Diff = diff(t)
			var out, errOut strings.Builder
			if err := r.Print(&out, &errOut, tt.o, false, tt.summary, tt.runErr); err != nil {
				t.Fatal(err)
			}
			if !strings.HasPrefix(errOut.String(), warning) {
				t.Errorf("stderr does not start with the warning:\n%s", errOut.String())
			}
			if tt.noOut && out.Len() > 0 {
				t.Errorf("stdout should be empty:\n%s", out.String())
			}
			if tt.noSum && errOut.String() != warning {
				t.Errorf("stderr should hold only the warning:\n%s", errOut.String())
			}
			for _, w := range tt.wantOut {
				if !strings.Contains(out.String(), w) {
					t.Errorf("stdout lacks %q:\n%s", w, out.String())
				}
			}
			for _, w := range tt.wantEr {
				if !strings.Contains(errOut.String(), w) {
					t.Errorf("stderr lacks %q:\n%s", w, errOut.String())
				}
			}
		})
	}
	t.Run("failed write", func(t *testing.T) {
		r := Report{Fetched: 2, Recorded: true, Diff: diff(t)}
		var errOut strings.Builder
		if err := r.Print(failingWriter{}, &errOut, Options{Location: time.UTC}, false, true, nil); err == nil || !strings.Contains(err.Error(), "broken pipe") {
			t.Errorf("err = %v, want the write's error", err)
		}
		if errOut.String() != warning {
			t.Errorf("a summary was written after the failed write:\n%s", errOut.String())
		}
	})
}
