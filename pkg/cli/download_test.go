package cli

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spf13/cobra"

	"github.com/reinvent-cli/reinvent/internal/testenv"
	"github.com/reinvent-cli/reinvent/pkg/iostreams"
)

func TestDownloadFlags(t *testing.T) {
	testenv.Isolate(t)
	tests := []struct {
		args    []string
		want    DownloadOptions
		wantErr string
	}{
		{args: nil, want: DownloadOptions{Format: "csv"}},
		{args: []string{"--starred", "--format", "json", "-o", "out.json"}, want: DownloadOptions{Starred: true, Format: "json", Output: "out.json"}},
		{args: []string{"--format", "xml"}, wantErr: `unknown --format "xml": use csv, json`},
		// The extension picks the format when --format is not given.
		{args: []string{"-o", "out.json"}, want: DownloadOptions{Format: "json", Output: "out.json"}},
		{args: []string{"-o", "OUT.JSON"}, want: DownloadOptions{Format: "json", Output: "OUT.JSON"}},
		{args: []string{"-o", "out.csv"}, want: DownloadOptions{Format: "csv", Output: "out.csv"}},
		{args: []string{"-o", "out.txt"}, want: DownloadOptions{Format: "csv", Output: "out.txt"}},
		{args: []string{"--format", "json", "-o", "out.txt"}, want: DownloadOptions{Format: "json", Output: "out.txt"}},
		{args: []string{"--format", "csv", "-o", "out.json"}, wantErr: "--format csv contradicts -o out.json, which names a JSON file"},
		{args: []string{"--format", "json", "-o", "out.csv"}, wantErr: "--format json contradicts -o out.csv, which names a CSV file"},
		{args: []string{"extra"}, wantErr: "takes no arguments"},
		{args: []string{"--nope"}, wantErr: "unknown flag: --nope"},
		{args: []string{"--password", "hunter2"}, wantErr: "REINVENT_PASSWORD"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			var got *DownloadOptions
			root := rootWith(func(f *Factory) *cobra.Command {
				return NewCmdDownload(f, func(_ context.Context, o *DownloadOptions) error { got = o; return nil })
			})
			root.SetArgs(append([]string{"download", "--source", "sample"}, tt.args...))
			err := root.Execute()
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				if ExitCode(err) != ExitUsage {
					t.Errorf("exit code = %d, want 2", ExitCode(err))
				}
				if strings.Contains(err.Error(), "hunter2") {
					t.Errorf("error leaks the secret: %v", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got.Starred != tt.want.Starred || got.Format != tt.want.Format || got.Output != tt.want.Output {
				t.Errorf("options = %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestDownloadSampleStarredJSON(t *testing.T) {
	testenv.Isolate(t)
	out, _, err := runCLI(t, "download", "--source", "sample", "--starred", "--format", "json")
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Source   string           `json:"source"`
		Event    string           `json:"event"`
		Sessions []map[string]any `json:"sessions"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Source != "sample" || doc.Event == "" {
		t.Errorf("source, event = %q, %q", doc.Source, doc.Event)
	}
	if len(doc.Sessions) < 10 {
		t.Fatalf("only %d starred sessions in the sample", len(doc.Sessions))
	}
	for _, s := range doc.Sessions {
		if s["starred"] != true || s["embargoed"] == true {
			t.Errorf("session %v: starred=%v embargoed=%v", s["code"], s["starred"], s["embargoed"])
		}
		if s["tracks"] == nil {
			t.Errorf("session %v: tracks is null, want []", s["code"])
		}
	}
}

func TestDownloadSampleCSV(t *testing.T) {
	testenv.Isolate(t)
	out, _, err := runCLI(t, "download", "--source", "sample")
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := strings.Split("code,title,starred,start,end,venue,room,type,level,tracks,services,topics,speakers,abstract,session_id", ",")
	for i, col := range want {
		if rows[0][i] != col {
			t.Fatalf("header = %v, want it to start with %v", rows[0], want)
		}
	}
	if n := len(rows) - 1; n < 1900 || n > 2100 {
		t.Errorf("%d sessions, want about 2,000", n)
	}
	for _, r := range rows[1:] {
		if r[2] != "true" && r[2] != "false" {
			t.Fatalf("starred = %q in row %v", r[2], r)
		}
	}
}

func TestDownloadLeavesOutEmbargoed(t *testing.T) {
	testenv.Isolate(t)
	src := filepath.Join(t.TempDir(), "in.json")
	writeFile(t, src, `{"source":"x","event":"e","sessions":[
	 {"code":"SVS401","title":"Open"},
	 {"code":"SEC999","title":"Secret","embargoed":true}]}`)
	out, _, err := runCLI(t, "download", "--source", src)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "SVS401") || strings.Contains(out, "SEC999") {
		t.Errorf("output:\n%s", out)
	}
}

func TestDownloadOutputFile(t *testing.T) {
	testenv.Isolate(t)
	dir := t.TempDir()
	path := filepath.Join(dir, "sessions.json")
	out, errOut, err := runCLI(t, "download", "--source", "sample", "--format", "json", "-o", path)
	if err != nil {
		t.Fatal(err)
	}
	if out != "" {
		t.Errorf("stdout = %q, want nothing with -o", out)
	}
	if !strings.Contains(errOut, "Wrote ") {
		t.Errorf("stderr = %q, want a summary", errOut)
	}
	data, err := os.ReadFile(path)
	if err != nil || !json.Valid(data) {
		t.Fatalf("output file: %v", err)
	}

	// A failing download leaves the existing file alone and no temp files.
	_, _, err = runCLI(t, "download", "--source", filepath.Join(dir, "missing.json"), "-o", path)
	if err == nil {
		t.Fatal("download from a missing file succeeded")
	}
	again, _ := os.ReadFile(path)
	if string(again) != string(data) {
		t.Error("a failed download changed the output file")
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("directory holds %d entries, want only sessions.json", len(entries))
	}
}

// TestDownloadFormatFromExtension is the newcomer's path: -o sessions.json
// with no --format writes JSON, and that file reads back as a --source.
func TestDownloadFormatFromExtension(t *testing.T) {
	testenv.Isolate(t)
	path := filepath.Join(t.TempDir(), "sessions.json")
	if _, _, err := runCLI(t, "download", "--source", "sample", "-o", path); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(path)
	if !json.Valid(data) {
		t.Fatalf("download -o sessions.json did not write JSON: %.60q", data)
	}
	out, _, err := runCLI(t, "schedule", "--source", path, "--format", "json", "SVS401")
	if err != nil || !strings.Contains(out, `"SVS401`) {
		t.Fatalf("schedule --source sessions.json: %v\n%s", err, out)
	}
	// REINVENT_DOWNLOAD_FORMAT counts as given, as the flag does.
	t.Setenv("REINVENT_DOWNLOAD_FORMAT", "csv")
	_, _, err = runCLI(t, "download", "--source", "sample", "-o", path)
	if err == nil || ExitCode(err) != ExitUsage || !strings.Contains(err.Error(), "contradicts") {
		t.Fatalf("REINVENT_DOWNLOAD_FORMAT=csv -o sessions.json: err = %v, want a usage error", err)
	}
}

func TestDownloadRoundTripJSON(t *testing.T) {
	testenv.Isolate(t)
	dir := t.TempDir()
	first := filepath.Join(dir, "first.json")
	if _, _, err := runCLI(t, "download", "--source", "sample", "--format", "json", "-o", first); err != nil {
		t.Fatal(err)
	}
	out, _, err := runCLI(t, "download", "--source", first, "--format", "json")
	if err != nil {
		t.Fatal(err)
	}
	var a, b struct {
		Sessions json.RawMessage `json:"sessions"`
	}
	data, _ := os.ReadFile(first)
	if err := json.Unmarshal(data, &a); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(out), &b); err != nil {
		t.Fatal(err)
	}
	if string(a.Sessions) != string(b.Sessions) {
		t.Error("download --source X.json --format json does not reproduce the sessions of X.json")
	}

	// And through CSV: the same sessions, as CSV, both ways.
	csvPath := filepath.Join(dir, "s.csv")
	if _, _, err := runCLI(t, "download", "--source", first, "-o", csvPath); err != nil {
		t.Fatal(err)
	}
	csv1, _ := os.ReadFile(csvPath)
	csv2, _, err := runCLI(t, "download", "--source", csvPath)
	if err != nil {
		t.Fatal(err)
	}
	if string(csv1) != csv2 {
		t.Error("download --source X.csv does not reproduce X.csv")
	}
}

func TestSourceErrors(t *testing.T) {
	testenv.Isolate(t)
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.json")
	writeFile(t, bad, "{\"sessions\": [\n  {\"code\": \"SVS401\",}\n]}\n")
	tests := []struct {
		source string
		code   int
		want   string
	}{
		{"portal", ExitUsage, "needs your portal user name"},
		{"nonsense", ExitUsage, `unknown source "nonsense"`},
		{filepath.Join(dir, "missing.csv"), ExitFailure, "missing.csv"},
		{bad, ExitFailure, "bad.json:2:"},
	}
	for _, tt := range tests {
		t.Run(tt.source, func(t *testing.T) {
			out, _, err := runCLI(t, "download", "--source", tt.source)
			if err == nil {
				t.Fatal("no error")
			}
			if out != "" {
				t.Errorf("stdout = %q, want nothing", out)
			}
			if ExitCode(err) != tt.code {
				t.Errorf("exit code = %d, want %d (%v)", ExitCode(err), tt.code, err)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not contain %q", err, tt.want)
			}
		})
	}
}

func TestSourceFromConfigFile(t *testing.T) {
	dir := testenv.Isolate(t)
	writeConfig(t, dir, "source: sample\n")
	out, _, err := runCLI(t, "download", "--starred")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(out, "code,title,") {
		t.Errorf("output does not start with the CSV header: %.60q", out)
	}
}

func writeFile(t *testing.T, path, body string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestDownloadProgressOnlyOnTerminal(t *testing.T) {
	testenv.Isolate(t)
	for _, tty := range []bool{false, true} {
		ios, _, out, errOut := iostreams.Test()
		ios.StderrTTY = tty
		cmd := NewRootCmd(newFactory(ios, "test"))
		cmd.SetArgs([]string{"download", "--source", "sample", "--starred"})
		if err := cmd.ExecuteContext(context.Background()); err != nil {
			t.Fatal(err)
		}
		drew := strings.Contains(errOut.String(), "sessions")
		if drew != tty {
			t.Errorf("stderr a terminal: %v; progress drawn: %v (%q)", tty, drew, errOut.String())
		}
		if strings.Contains(out.String(), "\r") {
			t.Error("progress leaked into stdout")
		}
	}
}

// TestDownloadOutputPaths: -o creates missing directories as --db does,
// keeps an existing file's mode, writes to devices directly, and refuses
// a directory, /proc and a path below a file in one line that names the
// target, never the temporary file.
func TestDownloadOutputPaths(t *testing.T) {
	dir := testenv.Isolate(t)
	deep := filepath.Join(dir, "no", "such", "dir", "s.csv")
	if _, _, err := runCLI(t, "download", "--source", "sample", "-o", deep); err != nil {
		t.Fatalf("missing directories: %v", err)
	}
	kept := filepath.Join(dir, "starred.csv")
	if err := os.WriteFile(kept, []byte("old"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, _, err := runCLI(t, "download", "--source", "sample", "--starred", "-o", kept); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(kept); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("mode after download: %v %v; want 0600 kept", fi.Mode(), err)
	}
	if _, _, err := runCLI(t, "download", "--source", "sample", "-o", os.DevNull); err != nil {
		t.Errorf("-o %s: %v", os.DevNull, err)
	}
	if fi, err := os.Stat(os.DevNull); err != nil || fi.Mode().IsRegular() {
		t.Fatalf("%s was replaced by a file", os.DevNull)
	}
	for target, want := range map[string]string{
		dir:                                   "it is a directory",
		"/proc/x.csv":                         "the file system of /proc takes no new files",
		filepath.Join(kept, "below", "x.csv"): "a part of the path is a file",
	} {
		_, _, err := runCLI(t, "download", "--source", "sample", "-o", target)
		if ExitCode(err) != ExitFailure || !strings.HasPrefix(err.Error(), "write "+target+": "+want) ||
			strings.Contains(err.Error(), ".tmp") || strings.Contains(err.Error(), "\n") {
			t.Errorf("-o %s: exit %d, %v; want %q", target, ExitCode(err), err, want)
		}
	}
}

// TestDownloadFromCSVKeepsWhatIsKnown: a CSV file has no event or fetch
// time; the JSON written from it carries the configured event and the
// file's time, never an empty event or a zero time.
func TestDownloadFromCSVKeepsWhatIsKnown(t *testing.T) {
	testenv.Isolate(t)
	out, _, err := runCLI(t, "download", "--source", "../../testdata/catalog-small.csv", "--format", "json")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(out, "0001-01-01") || !strings.Contains(out, `"event": "reinvent2026"`) || !strings.Contains(out, `"fetched_at": "20`) {
		t.Errorf("download from CSV:\n%.300s", out)
	}
}
