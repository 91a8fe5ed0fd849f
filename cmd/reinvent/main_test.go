package main

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/reinvent-cli/reinvent/internal/testenv"
)

// binary is the reinvent binary built once for these tests, so that they
// see exactly what a user sees: exit codes, stdout and stderr.
var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "reinvent-e2e")
	if err != nil {
		panic(err)
	}
	binary = filepath.Join(dir, "reinvent")
	build := exec.Command("go", "build", "-ldflags", "-X main.version=v9.8.7", "-o", binary, ".")
	build.Stderr = os.Stderr
	if err := build.Run(); err != nil {
		panic("build reinvent: " + err.Error())
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// command returns the binary run with args in an empty home, with no
// REINVENT_ settings from the developer's environment.
func command(t *testing.T, args ...string) *exec.Cmd {
	t.Helper()
	home := t.TempDir()
	cmd := exec.Command(binary, args...)
	cmd.Env = testenv.HomeEnv(home)
	cmd.Dir = t.TempDir()
	return cmd
}

func run(t *testing.T, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	return runCmd(t, command(t, args...))
}

// runCmd runs cmd and returns its output and exit code.
func runCmd(t *testing.T, cmd *exec.Cmd) (stdout, stderr string, code int) {
	t.Helper()
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return out.String(), errOut.String(), code
}

func TestReadmeFirstCommand(t *testing.T) {
	out, errOut, code := run(t, "download", "--source", "sample", "--starred")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if !strings.HasPrefix(lines[0], "code,title,starred,start,end,venue,room,") || len(lines) < 10 {
		t.Errorf("output is not the starred sessions as CSV:\n%.300s", out)
	}
}

// TestReadmeScheduleCommand runs the README's first command: two codes
// planned around the six seats the sample attendee holds.
func TestReadmeScheduleCommand(t *testing.T) {
	out, errOut, code := run(t, "schedule", "--source", "sample", "SVS313", "ARC302")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if !strings.HasPrefix(out, "8 of 8 sessions scheduled") || !strings.Contains(out, "SVS313") || !strings.Contains(out, "ARC302") ||
		strings.Count(out, "your seat is held") != 6 {
		t.Errorf("output:\n%s", out)
	}
}

func TestVersion(t *testing.T) {
	out, _, code := run(t, "version")
	if code != 0 || !strings.HasPrefix(out, "reinvent v9.8.7 (go") {
		t.Errorf("version printed %q, exit %d", out, code)
	}
	// --version, as gh and restic take it, prints the same.
	flag, errOut, code := run(t, "--version")
	if code != 0 || flag != out || errOut != "" {
		t.Errorf("--version printed %q and %q, exit %d; want %q", flag, errOut, code, out)
	}
}

func TestBadInputExitCodes(t *testing.T) {
	dir := t.TempDir()
	malformed := filepath.Join(dir, "broken.csv")
	if err := os.WriteFile(malformed, []byte("code,title,level\nSVS401,\"Unclosed,200\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	config := filepath.Join(dir, "config.yaml")
	if err := os.WriteFile(config, []byte("source: sample\nmax-age: [\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	secretShape := write("secret.yaml", "x-consumer-secret: {a: s3cr3t}\n")
	typoTravel := write("travel.yaml", "minutes:\n  Venetain: {Wynn: 300}\n")
	bareFormat := write("format.yaml", "format: json\n")
	typoKey := write("typo.yaml", "log-level: warn\nsoruce: sample\n")
	bracket := write("bracket.yaml", "source: sample\nlog-level: warn\ntimezone: UTC\nmax-age: 1h\nbuffer: [10m\nunknown-travel: 5m\n")
	tab := write("tab.yaml", "source: sample\n\tlog-level: warn\n")
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"unknown source", []string{"download", "--source", "ftp"}, 2, `unknown source "ftp"`},
		{"unknown format", []string{"download", "--source", "sample", "--format", "xml"}, 2, "use csv, json"},
		{"unknown flag", []string{"download", "--frmat", "json"}, 2, "unknown flag: --frmat (did you mean --format?)"},
		{"unknown command", []string{"dowload"}, 2, `unknown command "dowload" (did you mean download?)`},
		{"unknown command, a letter short", []string{"schedul"}, 2, `unknown command "schedul" (did you mean schedule?)`},
		{"misspelled source", []string{"schedule", "--source", "sampel", "SVS401"}, 2, `unknown source "sampel" (did you mean sample?)`},
		{"misspelled key in the config file", []string{"download", "--config", typoKey}, 2, typoKey + `:2: unknown setting "soruce" (did you mean source?)`},
		{"config error on line 5", []string{"schedule", "--config", bracket, "SVS401"}, 2, bracket + ":5: invalid YAML: did not find expected ',' or ']'"},
		{"tab in the config file", []string{"download", "--config", tab}, 2, tab + ":2: the line is indented with a tab, which YAML forbids; indent with spaces"},
		{"duration without a unit", []string{"schedule", "--source", "sample", "--buffer", "10", "SVS401"}, 2, `--buffer: invalid duration "10": want a duration such as 12h, 30m or 90s`},
		{"unknown log format, for version too", []string{"--log-format", "yaml", "version"}, 2, `--log-format: unknown value "yaml": use text, json`},
		{"negative max-age, for version too", []string{"version", "--max-age=-1h"}, 2, "--max-age: must not be negative"},
		{"unknown time zone, for completion too", []string{"completion", "bash", "--timezone", "Moon/Base"}, 2, `--timezone: unknown time zone "Moon/Base"`},
		{"secret as flag", []string{"download", "--x-consumer-secret", "s3cr3t"}, 2, "REINVENT_X_CONSUMER_SECRET"},
		{"missing file", []string{"download", "--source", filepath.Join(dir, "nope.json")}, 1, "nope.json"},
		{"malformed csv", []string{"download", "--source", malformed}, 1, "broken.csv:"},
		{"malformed config", []string{"download", "--config", config}, 2, "config.yaml:"},
		{"missing config", []string{"download", "--config", filepath.Join(dir, "none.yaml")}, 2, "none.yaml"},
		{"unknown time zone", []string{"download", "--source", "sample", "--timezone", "Moon/Base"}, 2, "Moon/Base"},
		{"watch --tweet without X credentials", []string{"watch", "--source", "sample", "--tweet"}, 2, "REINVENT_X_CONSUMER_KEY"},
		{"watch, unknown format", []string{"watch", "--source", "sample", "--format", "xml"}, 2, "use text, json"},
		{"watch, corrupt store", []string{"watch", "--source", "sample", "--db", config}, 1, "not a reinvent store"},
		{"serve-webhook without bot-handle", []string{"serve-webhook", "--source", "sample"}, 2, "bot-handle"},
		{"schedule without codes", []string{"schedule", "--source", "sample"}, 2, "give at least one session code"},
		{"schedule, every code unknown", []string{"schedule", "--source", "sample", "SVS402", "ZZZ100"}, 1, "did you mean SVS401"},
		{"schedule, negative buffer", []string{"schedule", "--source", "sample", "--buffer", "-1m", "SVS401"}, 2, "--buffer must not be negative"},
		{"secret of the wrong shape in the config file", []string{"download", "--config", secretShape}, 2, secretShape + ":1: x-consumer-secret: want a single value, got a mapping"},
		{"secret flag named exactly", []string{"download", "--x-access-token-secret=s3cr3t"}, 2, "x-access-token-secret is a secret"},
		{"not a secret, though named like one", []string{"download", "--password-stdin=maybe"}, 2, "--password-stdin"},
		{"completion, unknown shell", []string{"completion", "tcsh"}, 2, `unknown shell "tcsh"`},
		{"travel file, unknown venue", []string{"schedule", "--source", "sample", "--travel", typoTravel, "SVS401"}, 2, `unknown venue "Venetain"; the closest known venues are Venetian`},
		{"bare format in the config file", []string{"schedule", "--config", bareFormat, "SVS401"}, 2, `"format" means something different for each command`},
		{"-o into a directory", []string{"download", "--source", "sample", "-o", dir}, 1, "write " + dir + ": it is a directory"},
		{"-o into /proc", []string{"download", "--source", "sample", "-o", "/proc/x.csv"}, 1, "write /proc/x.csv: the file system of /proc takes no new files"},
		{"-o below a file", []string{"download", "--source", "sample", "-o", filepath.Join(config, "x.csv")}, 1, "a part of the path is a file, not a directory"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, errOut, code := run(t, tt.args...)
			if code != tt.code {
				t.Errorf("exit code %d, want %d; stderr: %s", code, tt.code, errOut)
			}
			if out != "" {
				t.Errorf("stdout = %q, want nothing", out)
			}
			if strings.Count(errOut, "\n") != 1 || !strings.HasPrefix(errOut, "reinvent: ") {
				t.Errorf("stderr is not one line starting with 'reinvent: ': %q", errOut)
			}
			if !strings.Contains(errOut, tt.want) {
				t.Errorf("stderr %q does not contain %q", errOut, tt.want)
			}
			if strings.Contains(errOut, "s3cr3t") {
				t.Errorf("stderr leaks a secret: %q", errOut)
			}
		})
	}
}

// TestInterrupt stops a download that is blocked reading a FIFO, and
// expects exit code 130 with nothing on stdout.
func TestInterrupt(t *testing.T) {
	fifo := filepath.Join(t.TempDir(), "slow.json")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := command(t, "download", "--source", fifo, "--format", "json")
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Opening the write end returns once reinvent has opened the read end,
	// so by then its signal handler is installed.
	w, err := os.OpenFile(fifo, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	if _, err := w.WriteString(`{"sessions": [`); err != nil {
		t.Fatal(err)
	}
	if err := cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	err = cmd.Wait()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != 130 {
		t.Fatalf("exit: %v, want code 130; stderr: %s", err, errOut.String())
	}
	if out.Len() != 0 {
		t.Errorf("stdout = %q, want nothing", out.String())
	}
	if got := errOut.String(); got != "reinvent: interrupted\n" {
		t.Errorf("stderr = %q", got)
	}
}

// TestSettingsFromTheEnvironment: a command's flag is a setting too, a bad
// source says where it came from, a misspelled variable gets a warning.
func TestSettingsFromTheEnvironment(t *testing.T) {
	runEnv := func(env []string, args ...string) (string, string, int) {
		cmd := command(t, args...)
		cmd.Env = append(cmd.Env, env...)
		var out, errOut bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errOut
		err := cmd.Run()
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			return out.String(), errOut.String(), ee.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		return out.String(), errOut.String(), 0
	}
	// SVS401 Monday 10:00-11:00 at the Venetian and DAT318 14:30 there fit
	// on one day, unless five hours must be kept free between them.
	// --ignore-reserved: the sample attendee's held seats block both.
	out, _, code := runEnv(nil, "schedule", "--source", "sample", "--ignore-reserved", "SVS401", "DAT318")
	if code != 0 || !strings.Contains(out, "14:30–15:30  DAT318") {
		t.Fatalf("without a buffer: exit %d\n%s", code, out)
	}
	out, _, code = runEnv([]string{"REINVENT_BUFFER=5h", "REINVENT_SCHEDULE_FORMAT=json"}, "schedule", "--source", "sample", "--ignore-reserved", "SVS401", "DAT318")
	if code != 0 || !strings.HasPrefix(out, "{") ||
		strings.Contains(out, `"start": "2026-11-30T14:30`) && strings.Contains(out, `"start": "2026-11-30T10:00`) {
		t.Errorf("REINVENT_BUFFER=5h and REINVENT_SCHEDULE_FORMAT=json: exit %d\n%s", code, out)
	}
	_, errOut, code := runEnv([]string{"REINVENT_SOURCE=bogus"}, "download")
	if code != 2 || !strings.HasPrefix(errOut, `reinvent: REINVENT_SOURCE: unknown source "bogus"`) {
		t.Errorf("REINVENT_SOURCE=bogus: exit %d, %q", code, errOut)
	}
	_, errOut, code = runEnv([]string{"REINVENT_BUFER=1h"}, "schedule", "--source", "sample", "SVS401")
	if code != 0 || !strings.Contains(errOut, "warning: REINVENT_BUFER names no setting and is ignored; did you mean REINVENT_BUFFER?") {
		t.Errorf("misspelled variable: exit %d, %q", code, errOut)
	}
}

// TestMisspelledAndBadVariables: a misspelled variable is warned about
// with the setting of the command being run (schedule's format, not
// favorite's --from), and a bad duration reads the same from a variable as
// from a flag.
func TestMisspelledAndBadVariables(t *testing.T) {
	runEnv := func(env []string, args ...string) (string, int) {
		cmd := command(t, args...)
		cmd.Env = append(cmd.Env, env...)
		var errOut bytes.Buffer
		cmd.Stderr = &errOut
		err := cmd.Run()
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			return errOut.String(), ee.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		return errOut.String(), 0
	}
	errOut, code := runEnv([]string{"REINVENT_FROMAT=json"}, "schedule", "--source", "sample", "SVS401")
	if code != 0 || !strings.Contains(errOut, "warning: REINVENT_FROMAT names no setting and is ignored; did you mean REINVENT_SCHEDULE_FORMAT?\n") {
		t.Errorf("misspelled format: exit %d, %q", code, errOut)
	}
	errOut, code = runEnv([]string{"REINVENT_BUFFER=10"}, "schedule", "--source", "sample", "SVS401")
	if code != 2 || errOut != "reinvent: REINVENT_BUFFER: invalid duration \"10\": want a duration such as 12h, 30m or 90s\n" {
		t.Errorf("REINVENT_BUFFER=10: exit %d, %q", code, errOut)
	}
}

// TestScheduleAsAPersonUsesIt: commas between codes, a lounge that does not
// block the keynote, a table that fits 60 columns, and csv that names on
// stderr what it left out.
func TestScheduleAsAPersonUsesIt(t *testing.T) {
	out, errOut, code := run(t, "schedule", "--source", "sample", "SVS313,ARC302")
	if code != 0 || !strings.HasPrefix(out, "8 of 8 sessions scheduled; times in Las Vegas time, PST") {
		t.Errorf("commas: exit %d\n%s%s", code, out, errOut)
	}
	if out, _, code = run(t, "schedule", "--source", "sample", "--ignore-reserved", "KEY001", "GHJ101"); code != 0 || !strings.HasPrefix(out, "2 of 2") {
		t.Errorf("the Jam Lounge must not block the keynote: exit %d\n%s", code, out)
	}
	cmd := command(t, "schedule", "--source", "sample", "SVS401", "ARC302", "KEY001")
	cmd.Env = append(cmd.Env, "COLUMNS=60")
	narrow, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(narrow), "\n") {
		if n := len([]rune(line)); n >= 60 {
			t.Errorf("COLUMNS=60: a line of %d columns: %q", n, line)
		}
	}
	out, errOut, code = run(t, "schedule", "--source", "sample", "--format", "csv", "SVS401", "XYZ999")
	if code != 0 || !strings.HasPrefix(out, "code,session,") || !strings.Contains(errOut, "not found: XYZ999") {
		t.Errorf("csv: exit %d, stderr %q", code, errOut)
	}
}
