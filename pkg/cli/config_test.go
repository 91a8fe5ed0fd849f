package cli

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/reinvent-cli/reinvent/internal/testenv"
	"github.com/reinvent-cli/reinvent/pkg/iostreams"
	"github.com/reinvent-cli/reinvent/pkg/settings"
)

func writeConfig(t *testing.T, dir, body string) string {
	t.Helper()
	path := filepath.Join(dir, "reinvent", "config.yaml")
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// load parses args as flags and loads the configuration as a run would.
func load(t *testing.T, args ...string) (*Config, error) {
	t.Helper()
	c := &Config{}
	s := newSettings(c)
	if err := s.flags.Parse(args); err != nil {
		t.Fatal(err)
	}
	return c, s.load()
}

func TestConfigDefaults(t *testing.T) {
	testenv.Isolate(t)
	c, err := load(t)
	if err != nil {
		t.Fatal(err)
	}
	if c.Source != "events-api" || c.Timezone != "America/Los_Angeles" || c.MaxAge != 12*time.Hour ||
		c.LogLevel != "info" || c.AuthFlow != "srp" || c.XAPIURL != "https://api.x.com" {
		t.Errorf("defaults = %+v", c)
	}
	if c.Location.String() != "America/Los_Angeles" {
		t.Errorf("Location = %v", c.Location)
	}
	if got := c.EventFor("events-api"); got != "reinvent2026" {
		t.Errorf("EventFor(events-api) = %q", got)
	}
	if got := c.EventFor("portal"); got != settings.DefaultPortalEvent {
		t.Errorf("EventFor(portal) = %q", got)
	}
}

func TestConfigPrecedence(t *testing.T) {
	tests := []struct {
		name string
		file string
		env  map[string]string
		args []string
		want string // the source setting
	}{
		{name: "default", want: "events-api"},
		{name: "file", file: "source: sample\n", want: "sample"},
		{name: "env over file", file: "source: sample\n", env: map[string]string{"REINVENT_SOURCE": "env.json"}, want: "env.json"},
		{name: "flag over env", file: "source: sample\n", env: map[string]string{"REINVENT_SOURCE": "env.json"}, args: []string{"--source", "flag.csv"}, want: "flag.csv"},
		{name: "flag over file", file: "source: sample\n", args: []string{"--source=portal"}, want: "portal"},
		{name: "empty env is unset", file: "source: sample\n", env: map[string]string{"REINVENT_SOURCE": ""}, want: "sample"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := testenv.Isolate(t)
			if tt.file != "" {
				writeConfig(t, dir, tt.file)
			}
			for k, v := range tt.env {
				t.Setenv(k, v)
			}
			c, err := load(t, tt.args...)
			if err != nil {
				t.Fatal(err)
			}
			if c.Source != tt.want {
				t.Errorf("source = %q, want %q", c.Source, tt.want)
			}
		})
	}
}

func TestConfigEveryLayerForEveryType(t *testing.T) {
	dir := testenv.Isolate(t)
	writeConfig(t, dir, "max-age: 2h\ntimezone: Europe/Berlin\nlog-level: debug\npassword: from-file\nx-consumer-secret: 12345\n")
	t.Setenv("REINVENT_LOG_LEVEL", "warn")
	t.Setenv("REINVENT_X_ACCESS_TOKEN_SECRET", "from-env")
	c, err := load(t, "--max-age=90m")
	if err != nil {
		t.Fatal(err)
	}
	if c.MaxAge != 90*time.Minute {
		t.Errorf("max-age = %v, want the flag's 90m", c.MaxAge)
	}
	if c.LogLevel != "warn" {
		t.Errorf("log-level = %q, want the env's warn", c.LogLevel)
	}
	if c.Location.String() != "Europe/Berlin" {
		t.Errorf("timezone = %v, want the file's Europe/Berlin", c.Location)
	}
	if c.Password != "from-file" || c.XConsumerSecret != "12345" || c.XAccessTokenSecret != "from-env" {
		t.Errorf("secrets = %q %q %q", c.Password, c.XConsumerSecret, c.XAccessTokenSecret)
	}
}

func TestConfigFileChoice(t *testing.T) {
	dir := testenv.Isolate(t)
	writeConfig(t, dir, "source: default-file.json\n")
	other := filepath.Join(dir, "other.yaml")
	if err := os.WriteFile(other, []byte("source: other-file.json\n"), 0o600); err != nil {
		t.Fatal(err)
	}

	t.Setenv("REINVENT_CONFIG", other)
	c, err := load(t)
	if err != nil || c.Source != "other-file.json" {
		t.Fatalf("REINVENT_CONFIG: source = %q, err = %v", c.Source, err)
	}

	third := filepath.Join(dir, "third.yaml")
	if err := os.WriteFile(third, []byte("source: third.csv\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	c, err = load(t, "--config", third)
	if err != nil || c.Source != "third.csv" {
		t.Fatalf("--config: source = %q, err = %v", c.Source, err)
	}
}

func TestConfigErrors(t *testing.T) {
	tests := []struct {
		name string
		file string
		env  map[string]string
		args []string
		want []string // substrings of the one-line error
	}{
		{name: "missing explicit file", args: []string{"--config", "/nonexistent/reinvent.yaml"},
			want: []string{"/nonexistent/reinvent.yaml", "no such file"}},
		{name: "missing file from env", env: map[string]string{"REINVENT_CONFIG": "/nonexistent/env.yaml"},
			want: []string{"/nonexistent/env.yaml"}},
		{name: "malformed yaml", file: "source: sample\nmax-age: [1h\n",
			want: []string{"config.yaml:", "did not find expected"}},
		{name: "bad indentation", file: "source: sample\n  timezone: UTC\n",
			want: []string{"config.yaml:2"}},
		{name: "not a mapping", file: "- source\n- sample\n", want: []string{"config.yaml:1", "mapping"}},
		{name: "unknown key", file: "source: sample\nsoruce: portal\n",
			want: []string{"config.yaml:2", `unknown setting "soruce"`}},
		{name: "wrong type in file", file: "source: sample\nmax-age: soon\n",
			want: []string{"config.yaml:2", "max-age", `"soon"`, "12h"}},
		{name: "list in file", file: "source: [a, b]\n",
			want: []string{"config.yaml:1", "source", "single value"}},
		{name: "wrong type in env", env: map[string]string{"REINVENT_MAX_AGE": "forever"},
			want: []string{"REINVENT_MAX_AGE", `"forever"`}},
		{name: "negative max-age", args: []string{"--max-age=-1h"}, want: []string{"--max-age", "negative"}},
		{name: "unknown log level in env", env: map[string]string{"REINVENT_LOG_LEVEL": "loud"},
			want: []string{"REINVENT_LOG_LEVEL", `"loud"`, "debug, info, warn, error"}},
		{name: "unknown log format in file", file: "log-format: xml\n",
			want: []string{"config.yaml:1", "log-format", "text, json"}},
		{name: "unknown auth flow", args: []string{"--auth-flow", "magic"}, want: []string{"--auth-flow", "srp, password"}},
		{name: "unknown time zone", args: []string{"--timezone", "Mars/Olympus"}, want: []string{"--timezone", "Mars/Olympus", "IANA"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := testenv.Isolate(t)
			if tt.file != "" {
				writeConfig(t, dir, tt.file)
			}
			for k, v := range tt.env {
				t.Setenv(k, v)
			}
			_, err := load(t, tt.args...)
			if err == nil {
				t.Fatal("no error")
			}
			if code := ExitCode(err); code != ExitUsage {
				t.Errorf("exit code = %d, want %d", code, ExitUsage)
			}
			msg := err.Error()
			if strings.Contains(msg, "\n") {
				t.Errorf("error is not one line: %q", msg)
			}
			for _, w := range tt.want {
				if !strings.Contains(msg, w) {
					t.Errorf("error %q does not contain %q", msg, w)
				}
			}
		})
	}
}

// TestSecretNotInErrors: a config file that gives a secret setting the
// wrong shape is refused naming the setting, the file and the line, and
// never the value.
func TestSecretNotInErrors(t *testing.T) {
	const value = "S3CR3T-VALUE"
	shapes := map[string]string{
		"mapping":        "{a: " + value + "}",
		"list":           "[" + value + "]",
		"nested list":    "[[" + value + "]]",
		"nested mapping": "{a: {b: " + value + "}}",
		"block list":     "\n  - " + value,
		"block mapping":  "\n  k: " + value,
	}
	for _, name := range settings.Names(settings.Secret) {
		for shape, yamlValue := range shapes {
			t.Run(name+"/"+shape, func(t *testing.T) {
				dir := testenv.Isolate(t)
				path := writeConfig(t, dir, "source: sample\n"+name+": "+yamlValue+"\n")
				_, err := load(t)
				if name == "notify" && (shape == "list" || shape == "block list") {
					// A list of URLs is notify's own shape (docs/configuration.md).
					if err != nil {
						t.Fatalf("notify as a list refused: %v", err)
					}
					return
				}
				if err == nil {
					t.Fatal("accepted")
				}
				msg := err.Error()
				if strings.Contains(msg, value) || strings.Contains(msg, "S3CR3T") {
					t.Errorf("the error shows the secret: %s", msg)
				}
				if !strings.Contains(msg, path+":2: "+name) {
					t.Errorf("the error does not name %s at %s:2: %s", name, path, msg)
				}
			})
		}
	}
}

// TestCommandFlagsAreSettings: every flag of a command is also an
// environment variable and a config key; a flag beats both; a name with a
// different meaning per command is the command's own setting; a REINVENT_
// variable that names no setting is warned about.
func TestCommandFlagsAreSettings(t *testing.T) {
	run := func(t *testing.T, args ...string) (*ScheduleOptions, string, error) {
		t.Helper()
		var got *ScheduleOptions
		ios, _, _, errOut := iostreams.Test()
		f := newFactory(ios, "test")
		root := testenv.ReplaceCommand(NewRootCmd(f), NewCmdSchedule(f, func(_ context.Context, o *ScheduleOptions) error { got = o; return nil }))
		f.settings.registerCommands(root)
		root.SetArgs(append([]string{"schedule", "--source", "sample"}, args...))
		err := root.Execute()
		return got, errOut.String(), err
	}
	dir := testenv.Isolate(t)
	t.Setenv("REINVENT_BUFFER", "5h")
	o, _, err := run(t, "SVS401")
	if err != nil || o.Plan.Plan.Buffer != 5*time.Hour {
		t.Fatalf("REINVENT_BUFFER: %v %+v", err, o)
	}
	if o, _, err = run(t, "--buffer", "1m", "SVS401"); err != nil || o.Plan.Plan.Buffer != time.Minute {
		t.Errorf("the flag must win: %v %v", err, o.Plan.Plan.Buffer)
	}
	t.Setenv("REINVENT_BUFFER", "")
	writeConfig(t, dir, "buffer: 10m\nschedule-format: json\ntravel: ''\n")
	if o, _, err = run(t, "SVS401"); err != nil || o.Plan.Plan.Buffer != 10*time.Minute || o.Format != "json" {
		t.Errorf("config file: %v %+v", err, o)
	}
	path := writeConfig(t, dir, "format: json\n")
	if _, _, err = run(t, "SVS401"); ExitCode(err) != ExitUsage || !strings.Contains(err.Error(), path+`:1: "format" means something different for each command; use download-format, follow-format, reserve-format, schedule-format, search-format, show-format, watch-format`) {
		t.Errorf("bare format: %v", err)
	}
	writeConfig(t, dir, "")
	t.Setenv("REINVENT_BUFER", "1h")
	if _, errOut, err := run(t, "SVS401"); err != nil || !strings.Contains(errOut, "warning: REINVENT_BUFER names no setting and is ignored; did you mean REINVENT_BUFFER?") {
		t.Errorf("misspelled variable: %v, stderr %q", err, errOut)
	}
}

// TestConfigSyntaxErrorLine: a YAML syntax error is reported at the line
// where it is, which the YAML library's own count misses by one or leaves
// out; a tab is said to be one.
func TestConfigSyntaxErrorLine(t *testing.T) {
	for _, c := range []struct {
		name, file, want string
	}{
		{"line 1", "buffer: [10m\n", `:1: invalid YAML: did not find expected ',' or ']'`},
		{"line 2", "source: sample\nbuffer: [10m\n", `:2: invalid YAML: did not find expected ',' or ']'`},
		{"line 5 of 6", "source: sample\nlog-level: warn\ntimezone: UTC\nmax-age: 1h\nbuffer: [10m\nunknown-travel: 5m\n", `:5: invalid YAML: did not find expected ',' or ']'`},
		{"stray list item", "source: sample\nlog-level: warn\n- buffer\n", ":3: invalid YAML: did not find expected key"},
		{"open quote", "source: sample\nlog-level: 'warn\n\ntimezone: UTC\n", ":2: invalid YAML: found unexpected end of stream"},
		{"mapping in a value, line 1", "source: sample: x\n", ":1: invalid YAML: mapping values are not allowed in this context"},
		{"tab on line 1", "\tsource: sample\n", ":1: the line is indented with a tab, which YAML forbids; indent with spaces"},
		{"tab on line 3", "source: sample\nlog-level: warn\n\ttimezone: UTC\n", ":3: the line is indented with a tab, which YAML forbids; indent with spaces"},
		{"tab after spaces", "source: sample\nlog-level:\n  \tx\n", ":3: the line is indented with a tab"},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := testenv.Isolate(t)
			path := writeConfig(t, dir, c.file)
			_, err := load(t)
			if ExitCode(err) != ExitUsage || err == nil || !strings.HasPrefix(err.Error(), "config file "+path+c.want) {
				t.Errorf("exit %d, %v; want %q", ExitCode(err), err, "config file "+path+c.want)
			}
		})
	}
}

// FuzzConfigFile: whatever a config file holds, checking it never panics,
// and a refusal is one line that names the file and a line of it.
func FuzzConfigFile(f *testing.F) {
	for _, s := range []string{
		"", "source: sample\n", "buffer: [10m\n", "source: sample\nlog-level: warn\nbuffer: [10m\nx: 1\n",
		"\tsource: sample\n", "a: 1\n  \tb: 2\n", "source: 'x\n\ny: 1\n", "- a\n- b\n", "a: *nope\n",
		"source: sample\xff\n", "soruce: sample\n", "format: json\n", "{source: sample", "---\n...\n---\n",
	} {
		f.Add([]byte(s))
	}
	s := newSettings(&Config{})
	f.Fuzz(func(t *testing.T, data []byte) {
		_, err := s.checkFile("c.yaml", data, nil)
		if err == nil {
			return
		}
		msg := err.Error()
		// YAML breaks lines at CR, LF, NEL, LS and PS too: the bound is
		// generous.
		breaks := 1
		for _, b := range []string{"\n", "\r", "\u0085", "\u2028", "\u2029"} {
			breaks += bytes.Count(data, []byte(b))
		}
		var line int
		if _, scanErr := fmt.Sscanf(msg, "config file c.yaml:%d: ", &line); scanErr != nil || line < 1 || line > breaks {
			t.Fatalf("the error does not name a line of the file: %q", msg)
		}
		if strings.Contains(msg, "\n") || ExitCode(err) != ExitUsage {
			t.Fatalf("not a one-line usage error: %q", msg)
		}
	})
}
