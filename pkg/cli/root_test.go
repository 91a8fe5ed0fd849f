package cli

import (
	"strings"
	"testing"

	"github.com/reinvent-cli/reinvent/internal/testenv"
)

func TestRootHelpListsEveryCommand(t *testing.T) {
	testenv.Isolate(t)
	out, _, err := runCLI(t, "--help")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []string{"download", "watch", "schedule", "serve-webhook", "login", "logout", "version", "completion"} {
		if !strings.Contains(out, "\n  "+c+" ") {
			t.Errorf("--help does not list %s:\n%s", c, out)
		}
	}
}

func TestUnknownCommand(t *testing.T) {
	testenv.Isolate(t)
	_, _, err := runCLI(t, "dowload")
	if ExitCode(err) != ExitUsage || !strings.Contains(err.Error(), `unknown command "dowload"`) {
		t.Errorf("err = %v (exit %d)", err, ExitCode(err))
	}
}

func TestWatchHelpWarnsAboutTermsOfUse(t *testing.T) {
	testenv.Isolate(t)
	out, _, err := runCLI(t, "watch", "--help")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "terms of use") || !strings.Contains(out, "gated") {
		t.Errorf("watch --help does not warn about gated catalogs:\n%s", out)
	}
}

func TestVersionIgnoresBrokenConfig(t *testing.T) {
	dir := testenv.Isolate(t)
	writeConfig(t, dir, "source: [\n")
	out, _, err := runCLI(t, "version")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(out, "reinvent v0.0.0-test (go") {
		t.Errorf("version = %q", out)
	}
	if _, _, err := runCLI(t, "completion", "bash"); err != nil {
		t.Errorf("completion with a broken config: %v", err)
	}
}

// TestSecretFlagNamedExactly names the secret that was passed as a flag,
// and only a secret: a flag whose name starts like one is not taken for it.
func TestSecretFlagNamedExactly(t *testing.T) {
	testenv.Isolate(t)
	for _, c := range []struct {
		args []string
		want string
		not  string
	}{
		{[]string{"download", "--x-access-token-secret=V"}, "x-access-token-secret is a secret", "x-access-token is a secret"},
		{[]string{"download", "--x-access-token", "V"}, "set REINVENT_X_ACCESS_TOKEN ", "x-access-token-secret"},
		{[]string{"download", "--password=V"}, "password is a secret", ""},
		{[]string{"download", "--password-stdin=maybe"}, "--password-stdin", "is a secret"},
	} {
		_, _, err := runCLI(t, c.args...)
		if ExitCode(err) != ExitUsage || !strings.Contains(err.Error(), c.want) || (c.not != "" && strings.Contains(err.Error(), c.not)) {
			t.Errorf("%v: exit %d, %v; want %q", c.args, ExitCode(err), err, c.want)
		}
		if err != nil && strings.Contains(err.Error(), "=V") {
			t.Errorf("%v: the error shows the value: %v", c.args, err)
		}
	}
}

func TestCompletionUnknownShell(t *testing.T) {
	testenv.Isolate(t)
	_, _, err := runCLI(t, "completion", "tcsh")
	if ExitCode(err) != ExitUsage || !strings.Contains(err.Error(), `unknown shell "tcsh": use bash`) {
		t.Errorf("exit %d: %v", ExitCode(err), err)
	}
	if out, _, err := runCLI(t, "completion", "zsh"); err != nil || !strings.Contains(out, "reinvent") {
		t.Errorf("completion zsh: %v", err)
	}
}

// TestUnknownSourceSaysWhere names where a bad source came from, as every
// other setting's error does.
func TestUnknownSourceSaysWhere(t *testing.T) {
	dir := testenv.Isolate(t)
	t.Setenv("REINVENT_SOURCE", "bogus")
	_, _, err := runCLI(t, "download")
	if ExitCode(err) != ExitUsage || !strings.HasPrefix(err.Error(), `REINVENT_SOURCE: unknown source "bogus"`) {
		t.Errorf("env: exit %d: %v", ExitCode(err), err)
	}
	t.Setenv("REINVENT_SOURCE", "")
	path := writeConfig(t, dir, "log-level: warn\nsource: bogus\n")
	_, _, err = runCLI(t, "download")
	if ExitCode(err) != ExitUsage || !strings.HasPrefix(err.Error(), "config file "+path+":2: source: unknown source") {
		t.Errorf("config file: exit %d: %v", ExitCode(err), err)
	}
}

// TestTyposGetSuggestions: an unknown command, flag, value or config key
// names the closest valid ones, those of the command being run first; a
// name close to nothing gets no guess.
func TestTyposGetSuggestions(t *testing.T) {
	for _, c := range []struct {
		name   string
		file   string // the config file, if any
		args   []string
		want   string
		noHint bool
	}{
		{name: "command", args: []string{"schedul"}, want: `unknown command "schedul" (did you mean schedule?)`},
		{name: "command prefix", args: []string{"serve"}, want: `unknown command "serve" (did you mean serve-webhook or reserve?)`},
		{name: "command, nothing close", args: []string{"xyzzy"}, want: `unknown command "xyzzy"; run`, noHint: true},
		{name: "flag", args: []string{"schedule", "--fromat", "json", "SVS401"}, want: "unknown flag: --fromat (did you mean --format?); run 'reinvent schedule --help' for usage"},
		{name: "global flag", args: []string{"download", "--sorce", "sample"}, want: "unknown flag: --sorce (did you mean --source?)"},
		{name: "flag, nothing close", args: []string{"download", "--nope"}, want: "unknown flag: --nope; run", noHint: true},
		{name: "source", args: []string{"schedule", "--source", "sampel", "SVS401"}, want: `--source: unknown source "sampel" (did you mean sample?): use events-api`},
		{name: "log level", args: []string{"download", "--log-level", "wran"}, want: `--log-level: unknown value "wran" (did you mean warn?): use debug, info, warn, error`},
		{name: "config key", file: "log-level: warn\nsoruce: sample\n", args: []string{"download"}, want: `:2: unknown setting "soruce" (did you mean source?); the settings are listed`},
		{name: "config key of the command", file: "fromat: json\n", args: []string{"schedule", "SVS401"}, want: `:1: unknown setting "fromat" (did you mean schedule-format?)`},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := testenv.Isolate(t)
			if c.file != "" {
				writeConfig(t, dir, c.file)
			}
			_, _, err := runCLI(t, c.args...)
			if ExitCode(err) != ExitUsage || !strings.Contains(err.Error(), c.want) {
				t.Errorf("%v: exit %d, %v; want %q", c.args, ExitCode(err), err, c.want)
			}
			if c.noHint && err != nil && strings.Contains(err.Error(), "did you mean") {
				t.Errorf("%v: a guess at nothing close: %v", c.args, err)
			}
		})
	}
}

// TestMisspelledVariableNamesTheCommandsSetting: a REINVENT_ variable that
// names no setting is warned about with the closest setting of the command
// being run, by its flag's name, before any other command's.
func TestMisspelledVariableNamesTheCommandsSetting(t *testing.T) {
	testenv.Isolate(t)
	t.Setenv("REINVENT_FROMAT", "json")
	_, errOut, err := runCLI(t, "schedule", "--source", "sample", "SVS401")
	if err != nil || !strings.Contains(errOut, "warning: REINVENT_FROMAT names no setting and is ignored; did you mean REINVENT_SCHEDULE_FORMAT?\n") {
		t.Errorf("schedule: %v, stderr %q", err, errOut)
	}
	_, errOut, err = runCLI(t, "download", "--source", "sample", "-o", t.TempDir()+"/s.csv")
	if err != nil || !strings.Contains(errOut, "did you mean REINVENT_DOWNLOAD_FORMAT?\n") {
		t.Errorf("download: %v, stderr %q", err, errOut)
	}
	t.Setenv("REINVENT_FROMAT", "")
	t.Setenv("REINVENT_QQQQQQQQ", "1")
	_, errOut, err = runCLI(t, "schedule", "--source", "sample", "SVS401")
	if err != nil || !strings.Contains(errOut, "warning: REINVENT_QQQQQQQQ names no setting and is ignored; the settings are listed in reinvent --help and docs/configuration.md\n") {
		t.Errorf("nothing close: %v, stderr %q", err, errOut)
	}
}

// TestVersionFlag: --version prints what version prints, whatever the
// config file says.
func TestVersionFlag(t *testing.T) {
	dir := testenv.Isolate(t)
	want, _, err := runCLI(t, "version")
	if err != nil {
		t.Fatal(err)
	}
	writeConfig(t, dir, "source: [\n")
	if out, errOut, err := runCLI(t, "--version"); err != nil || out != want || errOut != "" {
		t.Errorf("--version: %v, stdout %q, stderr %q; want %q", err, out, errOut, want)
	}
}

// TestGlobalFlagsCheckedForEveryCommand: a bad global setting typed on the
// command line is a usage error for every command, version and completion
// too, which otherwise ignore the configuration.
func TestGlobalFlagsCheckedForEveryCommand(t *testing.T) {
	testenv.Isolate(t)
	bad := []struct {
		flags []string
		want  string
	}{
		{[]string{"--log-format", "yaml"}, `--log-format: unknown value "yaml": use text, json`},
		{[]string{"--log-level", "loud"}, `--log-level: unknown value "loud": use debug, info, warn, error`},
		{[]string{"--timezone", "Moon/Base"}, `--timezone: unknown time zone "Moon/Base"`},
		{[]string{"--max-age=-1h"}, "--max-age: must not be negative"},
		{[]string{"--max-age", "soon"}, `--max-age: invalid duration "soon": want a duration such as 12h, 30m or 90s`},
		{[]string{"--source", "ftp"}, `--source: unknown source "ftp"`},
	}
	for _, cmd := range [][]string{{"version"}, {"completion", "bash"}, {"download"}, {"schedule", "SVS401"}, {"logout"}} {
		for _, b := range bad {
			args := append(append([]string{}, cmd...), b.flags...)
			out, _, err := runCLI(t, args...)
			if ExitCode(err) != ExitUsage || !strings.HasPrefix(err.Error(), b.want) || strings.Contains(err.Error(), "\n") {
				t.Errorf("%v: exit %d, %v; want %q", args, ExitCode(err), err, b.want)
			}
			if out != "" {
				t.Errorf("%v printed %q", args, out)
			}
		}
	}
	// What is typed on the command line, not the configuration: version
	// still runs whatever the environment says.
	t.Setenv("REINVENT_LOG_FORMAT", "yaml")
	if _, _, err := runCLI(t, "version"); err != nil {
		t.Errorf("version with REINVENT_LOG_FORMAT=yaml: %v", err)
	}
}

// TestDurationErrorsReadTheSame: a duration without a unit gets the same
// words from a flag, a variable and the config file.
func TestDurationErrorsReadTheSame(t *testing.T) {
	const want = `invalid duration "10": want a duration such as 12h, 30m or 90s`
	dir := testenv.Isolate(t)
	_, _, err := runCLI(t, "schedule", "--source", "sample", "--buffer", "10", "SVS401")
	if ExitCode(err) != ExitUsage || err.Error() != "--buffer: "+want {
		t.Errorf("flag: exit %d, %v", ExitCode(err), err)
	}
	if _, _, err := runCLI(t, "download", "--source", "sample", "--max-age", "10"); ExitCode(err) != ExitUsage || err.Error() != "--max-age: "+want {
		t.Errorf("global flag: exit %d, %v", ExitCode(err), err)
	}
	t.Setenv("REINVENT_BUFFER", "10")
	_, _, err = runCLI(t, "schedule", "--source", "sample", "SVS401")
	if ExitCode(err) != ExitUsage || err.Error() != "REINVENT_BUFFER: "+want {
		t.Errorf("env: exit %d, %v", ExitCode(err), err)
	}
	t.Setenv("REINVENT_BUFFER", "")
	path := writeConfig(t, dir, "buffer: 10\n")
	_, _, err = runCLI(t, "schedule", "--source", "sample", "SVS401")
	if ExitCode(err) != ExitUsage || err.Error() != "config file "+path+":1: buffer: "+want {
		t.Errorf("config file: exit %d, %v", ExitCode(err), err)
	}
}

// TestMissingCredentialsNameBothPlaces: the hint for a missing credential
// names its variable and its config file key.
func TestMissingCredentialsNameBothPlaces(t *testing.T) {
	testenv.Isolate(t)
	_, _, err := runCLI(t, "serve-webhook", "--source", "sample", "--dry-run")
	want := `serve-webhook needs bot-handle, x-consumer-secret: set REINVENT_BOT_HANDLE, REINVENT_X_CONSUMER_SECRET in the environment, or put "bot-handle: ...", "x-consumer-secret: ..." in the config file`
	if ExitCode(err) != ExitUsage || err.Error() != want {
		t.Errorf("exit %d, %v\nwant %s", ExitCode(err), err, want)
	}
}
