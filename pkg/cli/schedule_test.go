package cli

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/spf13/cobra"

	"github.com/reinvent-cli/reinvent/internal/testenv"
	"github.com/reinvent-cli/reinvent/pkg/reserve"
	"github.com/reinvent-cli/reinvent/pkg/schedule"
)

func TestScheduleFlags(t *testing.T) {
	testenv.Isolate(t)
	tests := []struct {
		args    []string
		want    ScheduleOptions
		wantErr string
	}{
		{args: []string{"SVS401", "arc302"}, want: ScheduleOptions{Plan: reserve.PlanOptions{Codes: []string{"SVS401", "arc302"}, Plan: schedule.Options{UnknownTravel: 30 * time.Minute, TimeLimit: 2 * time.Second}}, Format: "table"}},
		{args: []string{"--starred", "--format", "ics", "--buffer", "10m", "--unknown-travel", "45m"}, want: ScheduleOptions{Plan: reserve.PlanOptions{Starred: true, Plan: schedule.Options{Buffer: 10 * time.Minute, UnknownTravel: 45 * time.Minute, TimeLimit: 2 * time.Second}}, Format: "ics"}},
		{args: nil, wantErr: "give at least one session code or --starred"},
		{args: []string{"SVS401", "--format", "pdf"}, wantErr: `unknown --format "pdf": use table, json, csv, ics`},
		{args: []string{"SVS401", "--buffer", "-5m"}, wantErr: "--buffer must not be negative"},
		{args: []string{"SVS401", "--buffer", "soon"}, wantErr: `--buffer: invalid duration "soon": want a duration such as 12h, 30m or 90s`},
		{args: []string{"SVS401", "--time-limit", "0s"}, wantErr: "--time-limit must be positive"},
		{args: []string{"SVS-401"}, wantErr: `invalid session code "SVS-401"`},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			var got *ScheduleOptions
			root := rootWith(func(f *Factory) *cobra.Command {
				return NewCmdSchedule(f, func(_ context.Context, o *ScheduleOptions) error { got = o; return nil })
			})
			root.SetArgs(append([]string{"schedule", "--source", "sample"}, tt.args...))
			err := root.Execute()
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				if ExitCode(err) != ExitUsage {
					t.Errorf("exit code = %d, want 2", ExitCode(err))
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got.Plan, tt.want.Plan) || got.Format != tt.want.Format {
				t.Errorf("options = %+v, want %+v", got, tt.want)
			}
		})
	}
}

// scheduleJSON runs schedule --format json and decodes the shape of docs/schedule.md.
type scheduleDoc struct {
	Requested []string `json:"requested"`
	Scheduled []struct {
		Code       string   `json:"code"`
		Session    string   `json:"session"`
		Start      string   `json:"start"`
		Venue      string   `json:"venue"`
		Alternates []string `json:"alternates"`
		Held       bool     `json:"held"`
	} `json:"scheduled"`
	Unscheduled []struct {
		Code      string   `json:"code"`
		Reason    string   `json:"reason"`
		BlockedBy []string `json:"blocked_by"`
	} `json:"unscheduled"`
	NotFound []string `json:"not_found"`
	Optimal  bool     `json:"optimal"`
}

func scheduleJSON(t *testing.T, args ...string) scheduleDoc {
	t.Helper()
	out, _, err := runCLI(t, append([]string{"schedule", "--format", "json"}, args...)...)
	if err != nil {
		t.Fatal(err)
	}
	var doc scheduleDoc
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("%v in %s", err, out)
	}
	return doc
}

func TestScheduleSampleReadmeExample(t *testing.T) {
	testenv.Isolate(t)
	doc := scheduleJSON(t, "--source", "sample", "SVS401", "ARC302", "XYZ999")
	// The sample's attendee holds six seats: they come first, as held codes.
	if got := strings.Join(doc.Requested, " "); !strings.HasSuffix(got, " SVS401 ARC302 XYZ999") || len(doc.Requested) != 9 {
		t.Errorf("requested = %v, want the six held seats, then SVS401 ARC302 XYZ999", doc.Requested)
	}
	if len(doc.Scheduled) != 7 || !doc.Optimal {
		t.Fatalf("scheduled %d sessions, optimal %v; want the six held seats and ARC302, proven", len(doc.Scheduled), doc.Optimal)
	}
	for _, s := range doc.Scheduled {
		if !strings.HasPrefix(s.Session, s.Code) {
			t.Errorf("chose %s for %s", s.Session, s.Code)
		}
	}
	if len(doc.Unscheduled) != 1 || doc.Unscheduled[0].Code != "SVS401" || len(doc.Unscheduled[0].BlockedBy) == 0 {
		t.Errorf("unscheduled = %+v, want SVS401, blocked by held seats", doc.Unscheduled)
	}
	if strings.Join(doc.NotFound, " ") != "XYZ999" {
		t.Errorf("not_found = %v", doc.NotFound)
	}
	free := scheduleJSON(t, "--source", "sample", "--ignore-reserved", "SVS401", "ARC302", "XYZ999")
	if strings.Join(free.Requested, " ") != "SVS401 ARC302 XYZ999" || len(free.Scheduled) != 2 || free.Unscheduled == nil {
		t.Errorf("--ignore-reserved: requested %v, scheduled %d, unscheduled %v; want both codes, from scratch", free.Requested, len(free.Scheduled), free.Unscheduled)
	}
}

// TestScheduleKeepsHeldSeats is issue 22's defect 2: on the sample,
// --starred left out the reserved CNS309, ARC342 and CNS312, because two
// starred sessions outweighed one held seat. A held seat is fixed on every
// source, and stays so whatever is asked after it.
func TestScheduleKeepsHeldSeats(t *testing.T) {
	testenv.Isolate(t)
	out, _, err := runCLI(t, "download", "--source", "sample", "--format", "json")
	if err != nil {
		t.Fatal(err)
	}
	var cat struct {
		Sessions []struct {
			Code     string `json:"code"`
			Reserved bool   `json:"reserved"`
		} `json:"sessions"`
	}
	if err := json.Unmarshal([]byte(out), &cat); err != nil {
		t.Fatal(err)
	}
	var held []string
	for _, s := range cat.Sessions {
		if s.Reserved {
			held = append(held, s.Code)
		}
	}
	if len(held) < 3 {
		t.Fatalf("the sample holds %v; the test needs a few held seats", held)
	}
	for _, args := range [][]string{{"--starred"}, {"SVS401", "--starred"}, {"DAT318", "SVS401", "API308"}} {
		doc := scheduleJSON(t, append([]string{"--source", "sample"}, args...)...)
		chosen := map[string]bool{}
		for _, s := range doc.Scheduled {
			chosen[s.Session] = true
			if s.Held != slices.Contains(held, s.Session) {
				t.Errorf("schedule %v: %s held %v in JSON", args, s.Session, s.Held)
			}
		}
		for _, h := range held {
			if !chosen[h] {
				t.Errorf("schedule %v left out the held seat %s", args, h)
			}
		}
	}
}

// TestScheduleHeldSeatsThatClash: only a clash between two held seats
// leaves one out, and stderr says so.
func TestScheduleHeldSeatsThatClash(t *testing.T) {
	testenv.Isolate(t)
	path := filepath.Join(t.TempDir(), "held.csv")
	csv := "code,title,starred,reserved,start,end,venue,room,type,level,tracks,services,topics,speakers,abstract,session_id\n" +
		"ARC301,Held one,true,true,2026-11-30 10:00,2026-11-30 11:00,Venetian,Level 1,Breakout session,300,,,,,,a1\n" +
		"ARC302,Held two,true,true,2026-11-30 10:30,2026-11-30 11:30,Wynn,Latour,Breakout session,300,,,,,,a2\n" +
		"DEV201,Wish,true,false,2026-11-30 12:00,2026-11-30 13:00,Venetian,Level 1,Breakout session,200,,,,,,a3\n"
	if err := os.WriteFile(path, []byte(csv), 0o644); err != nil {
		t.Fatal(err)
	}
	out, errOut, err := runCLI(t, "schedule", "--source", path, "--starred", "--format", "json")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(errOut, "you hold a seat for ARC302, but it clashes with ARC301") {
		t.Errorf("stderr = %q, want it to say the two held seats clash", errOut)
	}
	if !strings.Contains(out, `"session": "ARC301"`) || !strings.Contains(out, `"session": "DEV201"`) {
		t.Errorf("want ARC301 kept and DEV201 planned:\n%s", out)
	}
}

// TestScheduleMergesOneSession is defect 4: SVS401-R1 and SVS401 are one
// talk, asked for once, and stderr says which was merged into which.
func TestScheduleMergesOneSession(t *testing.T) {
	testenv.Isolate(t)
	for _, tt := range []struct{ args, want []string }{
		{[]string{"SVS401-R1", "SVS401"}, []string{"SVS401 merged into SVS401-R1"}},
		{[]string{"SVS401", "SVS401-R1"}, []string{"SVS401-R1 merged into SVS401"}},
		{[]string{"SVS401", "svs401"}, nil},
	} {
		out, errOut, err := runCLI(t, append([]string{"schedule", "--source", "sample", "--ignore-reserved", "--format", "json"}, tt.args...)...)
		if err != nil {
			t.Fatal(err)
		}
		var doc scheduleDoc
		if err := json.Unmarshal([]byte(out), &doc); err != nil {
			t.Fatal(err)
		}
		if len(doc.Requested) != 1 || len(doc.Scheduled) != 1 {
			t.Errorf("%v: requested %v, scheduled %d; want one request, one session", tt.args, doc.Requested, len(doc.Scheduled))
		}
		if got := strings.Count(errOut, "merged into"); got != len(tt.want) {
			t.Errorf("%v: stderr %q, want %q", tt.args, errOut, tt.want)
		}
		for _, w := range tt.want {
			if !strings.Contains(errOut, w) {
				t.Errorf("%v: stderr %q, want %q", tt.args, errOut, w)
			}
		}
	}
}

func TestScheduleStarredAddsAfterCodes(t *testing.T) {
	testenv.Isolate(t)
	doc := scheduleJSON(t, "--source", "sample", "SVS401", "--starred")
	// The six held seats are fixed first, then SVS401, then the starred.
	if len(doc.Requested) < 10 || doc.Requested[6] != "SVS401" {
		t.Fatalf("requested = %v, want the held seats, SVS401, then the starred sessions", doc.Requested)
	}
	if len(doc.Scheduled)+len(doc.Unscheduled)+len(doc.NotFound) != len(doc.Requested) {
		t.Errorf("%d requested but %d scheduled, %d unscheduled, %d not found",
			len(doc.Requested), len(doc.Scheduled), len(doc.Unscheduled), len(doc.NotFound))
	}
	for _, u := range doc.Unscheduled {
		if u.Reason == "conflict" && len(u.BlockedBy) == 0 {
			t.Errorf("%s: conflict without blocked_by", u.Code)
		}
	}
}

func TestScheduleEveryCodeUnknown(t *testing.T) {
	testenv.Isolate(t)
	out, _, err := runCLI(t, "schedule", "--source", "sample", "SVS402", "QQQ999")
	if ExitCode(err) != ExitFailure {
		t.Fatalf("exit code = %d (%v), want 1", ExitCode(err), err)
	}
	if out != "" {
		t.Errorf("stdout = %q, want nothing", out)
	}
	if msg := err.Error(); !strings.Contains(msg, "SVS402 (did you mean SVS401") || !strings.Contains(msg, "QQQ999") {
		t.Errorf("error = %q, want both codes and a close match", msg)
	}
}

func TestScheduleTravelFileErrors(t *testing.T) {
	testenv.Isolate(t)
	dir := t.TempDir()
	bad := filepath.Join(dir, "travel.yaml")
	writeFile(t, bad, "minutes:\n  Venetian:\n    Wynn: soon\n")
	_, _, err := runCLI(t, "schedule", "--source", "sample", "--travel", bad, "SVS401")
	if ExitCode(err) != ExitUsage || !strings.HasPrefix(err.Error(), "travel file "+bad+":3:") {
		t.Errorf("err = %v (exit %d), want the file and line 3", err, ExitCode(err))
	}
	none := filepath.Join(dir, "none.yaml")
	_, _, err = runCLI(t, "schedule", "--source", "sample", "--travel", none, "SVS401")
	if ExitCode(err) != ExitUsage || err.Error() != "travel file "+none+": no such file or directory; check --travel" {
		t.Errorf("err = %v (exit %d)", err, ExitCode(err))
	}
}

func TestScheduleFormats(t *testing.T) {
	testenv.Isolate(t)
	for format, want := range map[string]string{
		"table": "2 of 2 sessions scheduled",
		"csv":   "code,session,title,",
		"ics":   "BEGIN:VCALENDAR",
	} {
		out, _, err := runCLI(t, "schedule", "--source", "sample", "--ignore-reserved", "--format", format, "SVS401", "ARC302")
		if err != nil {
			t.Fatalf("%s: %v", format, err)
		}
		if !strings.Contains(out, want) {
			t.Errorf("%s output does not contain %q:\n%.400s", format, want, out)
		}
	}
}

// TestTravelFileUnknownVenue refuses a travel file that names no known
// venue, with the closest ones; case, space and "The " still match.
func TestTravelFileUnknownVenue(t *testing.T) {
	dir := testenv.Isolate(t)
	bad := filepath.Join(dir, "bad.yaml")
	good := filepath.Join(dir, "good.yaml")
	if err := os.WriteFile(bad, []byte("minutes:\n  Venetain: {Wynn: 300}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(good, []byte("minutes:\n  the  VENETIAN: {wynn: 30}\n  Mandalay Bay: {MGM Grand: 30}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, _, err := runCLI(t, "schedule", "--source", "sample", "--travel", bad, "SVS401")
	if ExitCode(err) != ExitUsage || !strings.HasPrefix(err.Error(), "travel file "+bad+`:2: unknown venue "Venetain"`) || !strings.Contains(err.Error(), "closest known venues are Venetian") {
		t.Errorf("exit %d: %v", ExitCode(err), err)
	}
	if out, _, err := runCLI(t, "schedule", "--source", "sample", "--ignore-reserved", "--travel", good, "SVS401"); err != nil || !strings.HasPrefix(out, "1 of 1") {
		t.Errorf("a good travel file: %v\n%s", err, out)
	}
}

// TestScheduleFileFormatsSayWhatIsMissing: csv and ics have no room for the
// codes left out, so stderr names them, one line each.
func TestScheduleFileFormatsSayWhatIsMissing(t *testing.T) {
	testenv.Isolate(t)
	for _, format := range []string{"csv", "ics"} {
		out, errOut, err := runCLI(t, "schedule", "--source", "sample", "--ignore-reserved", "--format", format, "SVS401,ARC302", "SVS402")
		if err != nil || out == "" {
			t.Fatalf("%s: %v", format, err)
		}
		if !strings.Contains(errOut, "not found: SVS402 (did you mean SVS401") || strings.Count(errOut, "\n") != 1 {
			t.Errorf("%s: stderr %q", format, errOut)
		}
	}
}
