package cli

import (
	"strings"
	"testing"
)

func TestRootHelpListsEveryCommand(t *testing.T) {
	isolate(t)
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
	isolate(t)
	_, _, err := runCLI(t, "dowload")
	if ExitCode(err) != ExitUsage || !strings.Contains(err.Error(), `unknown command "dowload"`) {
		t.Errorf("err = %v (exit %d)", err, ExitCode(err))
	}
}

func TestWatchHelpWarnsAboutTermsOfUse(t *testing.T) {
	isolate(t)
	out, _, err := runCLI(t, "watch", "--help")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "terms of use") || !strings.Contains(out, "gated") {
		t.Errorf("watch --help does not warn about gated catalogs:\n%s", out)
	}
}

func TestVersionIgnoresBrokenConfig(t *testing.T) {
	dir := isolate(t)
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
