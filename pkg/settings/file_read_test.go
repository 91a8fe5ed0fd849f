package settings

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestReadFile: --config wins over REINVENT_CONFIG, which wins over the
// default file; only the default may be missing, and a file the user
// named that is not there is an error that says where to look.
func TestReadFile(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", filepath.Join(dir, "xdg"))
	t.Setenv("HOME", dir)
	flagFile, envFile := filepath.Join(dir, "flag.yaml"), filepath.Join(dir, "env.yaml")
	for p, body := range map[string]string{flagFile: "source: sample\n", envFile: "db: x.db\n"} {
		if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	env := map[string]string{"REINVENT_CONFIG": envFile}
	getenv := func(k string) string { return env[k] }

	if path, data, err := ReadFile(flagFile, getenv); err != nil || path != flagFile || string(data) != "source: sample\n" {
		t.Errorf("--config: %q, %q, %v", path, data, err)
	}
	if path, data, err := ReadFile("", getenv); err != nil || path != envFile || string(data) != "db: x.db\n" {
		t.Errorf("REINVENT_CONFIG: %q, %q, %v", path, data, err)
	}
	env = map[string]string{}
	if path, data, err := ReadFile("", getenv); err != nil || data != nil || !strings.HasSuffix(path, filepath.Join("reinvent", "config.yaml")) {
		t.Errorf("missing default: %q, %q, %v; want no data and no error", path, data, err)
	}
	for _, named := range []struct{ flag, env string }{{filepath.Join(dir, "nope.yaml"), ""}, {"", filepath.Join(dir, "nope.yaml")}} {
		env = map[string]string{"REINVENT_CONFIG": named.env}
		_, _, err := ReadFile(named.flag, getenv)
		if err == nil || !strings.HasPrefix(err.Error(), "config file: ") || !strings.HasSuffix(err.Error(), "; check --config or REINVENT_CONFIG") {
			t.Errorf("missing named file %+v: %v", named, err)
		}
	}
}

// TestOrigin: a message names where a bad value came from: the flag
// typed, else the environment variable, else the config file's line.
func TestOrigin(t *testing.T) {
	lines := map[string]int{"db": 3, "source": 1}
	getenv := func(k string) string {
		if k == "REINVENT_SOURCE" {
			return "sample"
		}
		return ""
	}
	for _, tt := range []struct {
		name  string
		typed bool
		want  string
	}{
		{"source", true, "--source"},
		{"source", false, "REINVENT_SOURCE"},
		{"db", false, "config file c.yaml:3: db"},
		{"timezone", false, "timezone"},
	} {
		if got := Origin(tt.name, tt.typed, getenv, "c.yaml", lines); got != tt.want {
			t.Errorf("Origin(%s, typed %v) = %q, want %q", tt.name, tt.typed, got, tt.want)
		}
	}
}
