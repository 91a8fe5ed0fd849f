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
