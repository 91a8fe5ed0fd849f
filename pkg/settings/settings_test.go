package settings

import (
	"bytes"
	"fmt"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestFileKeys(t *testing.T) {
	keys, err := FileKeys("c.yaml", []byte("# settings\nsource: sample\n\nlog-level: warn\n"))
	if err != nil {
		t.Fatal(err)
	}
	if want := []Key{{"source", 2}, {"log-level", 4}}; !slices.Equal(keys, want) {
		t.Errorf("keys = %v, want %v", keys, want)
	}
	for _, empty := range []string{"", "---\n", "~\n", "# only a comment\n"} {
		if keys, err := FileKeys("c.yaml", []byte(empty)); err != nil || len(keys) != 0 {
			t.Errorf("FileKeys(%q) = %v, %v; want no keys", empty, keys, err)
		}
	}
}

// TestFileKeysErrors: a file that is not a mapping of settings is refused
// in one line naming the file and the line where it goes wrong.
func TestFileKeysErrors(t *testing.T) {
	for _, c := range []struct{ file, want string }{
		{"- a\n- b\n", `config file c.yaml:1: want a mapping of setting: value, like "source: sample"`},
		{"source: sample: x\n", "config file c.yaml:1: invalid YAML: mapping values are not allowed in this context"},
		{"source: sample\nlog-level: 'warn\n\ntimezone: UTC\n", "config file c.yaml:2: invalid YAML: found unexpected end of stream"},
		{"source: sample\nlog-level: warn\n\ttimezone: UTC\n", "config file c.yaml:3: the line is indented with a tab, which YAML forbids; indent with spaces"},
	} {
		if _, err := FileKeys("c.yaml", []byte(c.file)); err == nil || err.Error() != c.want {
			t.Errorf("FileKeys(%q) = %v, want %q", c.file, err, c.want)
		}
	}
}

// FuzzFileKeys: whatever a config file holds, reading its keys never
// panics, and a refusal is one line that names the file and a line of it.
func FuzzFileKeys(f *testing.F) {
	for _, s := range []string{
		"", "source: sample\n", "buffer: [10m\n", "\tsource: sample\n", "a: 1\n  \tb: 2\n",
		"source: 'x\n\ny: 1\n", "- a\n- b\n", "a: *nope\n", "source: sample\xff\n", "{source: sample", "---\n...\n---\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		_, err := FileKeys("c.yaml", data)
		if err == nil {
			return
		}
		msg := err.Error()
		breaks := 1 // YAML breaks lines at CR, LF, NEL, LS and PS
		for _, b := range []string{"\n", "\r", "\u0085", "\u2028", "\u2029"} {
			breaks += bytes.Count(data, []byte(b))
		}
		var line int
		if _, scanErr := fmt.Sscanf(msg, "config file c.yaml:%d: ", &line); scanErr != nil || line < 1 || line > breaks {
			t.Fatalf("the error does not name a line of the file: %q", msg)
		}
		if strings.Contains(msg, "\n") {
			t.Fatalf("not one line: %q", msg)
		}
	})
}

func TestClosest(t *testing.T) {
	all := Spellings("source", "schedule-format", "download-format", "log-level", "log-format", "db")
	ofCmd := []Spelling{{Typed: "format", Name: "schedule-format"}, {Typed: "schedule-format", Name: "schedule-format"}}
	for _, c := range []struct {
		typed  string
		groups [][]Spelling
		want   []string
	}{
		{"soruce", [][]Spelling{all}, []string{"source"}},
		{"log", [][]Spelling{all}, []string{"log-format", "log-level"}}, // a prefix counts as one edit
		{"dbb", [][]Spelling{all}, []string{"db"}},
		{"xyz", [][]Spelling{all}, nil},                                   // three letters: one edit at most
		{"fromat", [][]Spelling{ofCmd, all}, []string{"schedule-format"}}, // the command's own first
		{"fromat", [][]Spelling{all}, nil},
	} {
		if got := Closest(c.typed, c.groups...); !slices.Equal(got, c.want) {
			t.Errorf("Closest(%q) = %q, want %q", c.typed, got, c.want)
		}
	}
}

func TestDidYouMean(t *testing.T) {
	dash := func(n string) string { return "--" + n }
	for _, c := range []struct {
		names []string
		want  string
	}{
		{nil, ""},
		{[]string{"a"}, " (did you mean --a?)"},
		{[]string{"a", "b"}, " (did you mean --a or --b?)"},
		{[]string{"a", "b", "c"}, " (did you mean --a, --b or --c?)"},
	} {
		if got := DidYouMean(c.names, dash); got != c.want {
			t.Errorf("DidYouMean(%q) = %q, want %q", c.names, got, c.want)
		}
	}
}

// TestInvalidValue: a bad value reads the same from a flag, the
// environment or the config file, and says what to write instead.
func TestInvalidValue(t *testing.T) {
	for _, c := range []struct{ typ, val, want string }{
		{"duration", "12", `invalid duration "12": want a duration such as 12h, 30m or 90s`},
		{"bool", "yes", `invalid bool "yes": want true or false`},
		{"int", "x", `invalid int "x": want a whole number`},
	} {
		if got := InvalidValue(c.typ, c.val).Error(); got != c.want {
			t.Errorf("InvalidValue(%s, %q) = %q, want %q", c.typ, c.val, got, c.want)
		}
	}
}

func TestScalar(t *testing.T) {
	for _, c := range []struct {
		in      any
		want    string
		wantErr string
	}{
		{"sample", "sample", ""}, {12, "12", ""}, {true, "true", ""}, {nil, "", ""},
		{[]any{"a"}, "", "want a single value, got a list"},
		{map[string]any{"a": 1}, "", "want a single value, got a mapping"},
	} {
		got, err := Scalar(c.in)
		if got != c.want || (err == nil) != (c.wantErr == "") || (err != nil && err.Error() != c.wantErr) {
			t.Errorf("Scalar(%v) = %q, %v; want %q, %q", c.in, got, err, c.want, c.wantErr)
		}
	}
}

func TestEnvWarnings(t *testing.T) {
	environ := []string{"PATH=/bin", "REINVENT_SOURCE=sample", "REINVENT_CONFIG=c.yaml", "REINVENT_EMPTY=",
		"REINVENT_FROMAT=json", "REINVENT_QQQQQQQQ=1"}
	names := []string{"source", "schedule-format", "download-format"}
	ofCmd := []Spelling{{Typed: "format", Name: "schedule-format"}}
	got := EnvWarnings(environ, names, ofCmd, Spellings(names...))
	want := []string{
		"REINVENT_FROMAT names no setting and is ignored; did you mean REINVENT_SCHEDULE_FORMAT?",
		"REINVENT_QQQQQQQQ names no setting and is ignored; the settings are listed in reinvent --help and docs/configuration.md",
	}
	if !slices.Equal(got, want) {
		t.Errorf("EnvWarnings = %q, want %q", got, want)
	}
}

func TestValidate(t *testing.T) {
	valid := func() *Config {
		return &Config{Source: "sample", Timezone: "America/Los_Angeles", LogLevel: "info", LogFormat: "text", AuthFlow: "srp"}
	}
	origin := func(name string) string { return "--" + name }
	c := valid()
	if err := c.Validate(origin); err != nil || c.Location.String() != "America/Los_Angeles" {
		t.Fatalf("Validate = %v, Location %v", err, c.Location)
	}
	for _, tt := range []struct {
		edit func(*Config)
		want string
	}{
		{func(c *Config) { c.LogLevel = "wran" }, `--log-level: unknown value "wran" (did you mean warn?): use debug, info, warn, error`},
		{func(c *Config) { c.Source = "smaple" }, `--source: unknown source "smaple" (did you mean sample?): use events-api`},
		{func(c *Config) { c.Source = "out.CSV" }, ""},
		{func(c *Config) { c.MaxAge = -time.Hour }, "--max-age: must not be negative"},
		{func(c *Config) { c.DB = "dynamodb://" }, "--db: dynamodb:// names no table: use dynamodb://TABLE"},
		{func(c *Config) { c.DB = "dynamodb://reinvent" }, ""},
		{func(c *Config) { c.Timezone = "Mars/Olympus" }, `--timezone: unknown time zone "Mars/Olympus": use an IANA name`},
	} {
		c := valid()
		tt.edit(c)
		err := c.Validate(origin)
		if tt.want == "" && err != nil || tt.want != "" && (err == nil || !strings.HasPrefix(err.Error(), tt.want)) {
			t.Errorf("Validate = %v, want %q", err, tt.want)
		}
	}
}

func TestEventForAndDBPath(t *testing.T) {
	c := &Config{}
	if c.EventFor("events-api") != DefaultEventsAPIEvent || c.EventFor("portal") != DefaultPortalEvent {
		t.Errorf("EventFor defaults = %q, %q", c.EventFor("events-api"), c.EventFor("portal"))
	}
	c.Event = "other"
	if c.EventFor("portal") != "other" {
		t.Errorf("EventFor(portal) with event set = %q", c.EventFor("portal"))
	}
	env := func(k string) string { return map[string]string{"XDG_DATA_HOME": "/data"}[k] }
	if got, err := c.DBPath(env); err != nil || got != filepath.Join("/data", "reinvent", "reinvent.db") {
		t.Errorf("DBPath = %q, %v", got, err)
	}
	c.DB = "my.db"
	if got, _ := c.DBPath(env); got != "my.db" {
		t.Errorf("DBPath with db set = %q", got)
	}
}

// TestTable: every field of Config but Location is a setting, once, under
// a name of its own, and the groups hold the settings docs/configuration.md
// lists for them.
func TestTable(t *testing.T) {
	c := &Config{}
	fields := map[any]string{}
	names := map[string]bool{}
	for _, s := range c.Table() {
		var p any = s.String
		if s.Duration != nil {
			p = s.Duration
		}
		if old, ok := fields[p]; ok || names[s.Name] {
			t.Errorf("%s: its field or name is also %s's", s.Name, old)
		}
		fields[p], names[s.Name] = s.Name, true
		if (s.Group == Secret) != (s.Help == "") {
			t.Errorf("%s: a flag needs help and a secret has none (group %s, help %q)", s.Name, s.Group, s.Help)
		}
	}
	if n := reflect.TypeOf(*c).NumField() - 1; len(fields) != n {
		t.Errorf("%d settings, want one per field of Config but Location (%d)", len(fields), n)
	}
	if got, want := Names(Secret), []string{"password", "cognito-client-secret", "x-consumer-secret", "x-access-token", "x-access-token-secret", "x-client-secret", "notify"}; !slices.Equal(got, want) {
		t.Errorf("Names(Secret) = %q, want %q", got, want)
	}
	if got := Names(Global); !slices.Equal(got, []string{"config", "db", "source", "event", "timezone", "max-age", "log-level", "log-format"}) {
		t.Errorf("Names(Global) = %q", got)
	}
}

// TestAllNames: every setting's name, flags and secrets, once each and
// sorted, as a config file key and the "did you mean" lists need them.
func TestAllNames(t *testing.T) {
	all := AllNames()
	if !slices.IsSorted(all) || len(slices.Compact(slices.Clone(all))) != len(all) {
		t.Errorf("AllNames() = %q: not sorted, or a name twice", all)
	}
	var want []string
	for _, g := range []string{Global, Source, X, Secret} {
		want = append(want, Names(g)...)
	}
	slices.Sort(want)
	if !slices.Equal(all, want) {
		t.Errorf("AllNames() = %q, want the names of every group %q", all, want)
	}
}

// TestCommandSettings: a flag is a setting of its own name, unless
// commands give it different meanings, when each command's is
// COMMAND-FLAG and the bare name is refused with the list.
func TestCommandSettings(t *testing.T) {
	cs := CommandSettings([]FlagUse{
		{"download", "format", "csv or json"},
		{"watch", "format", "text or json"},
		{"download", "password-stdin", "read the password from stdin"},
		{"watch", "password-stdin", "read the password from stdin"},
		{"watch", "buffer", "how long to wait"},
	})
	for _, c := range []struct{ cmd, flag, want string }{
		{"download", "format", "download-format"}, {"watch", "format", "watch-format"},
		{"download", "password-stdin", "password-stdin"}, {"watch", "password-stdin", "password-stdin"},
		{"watch", "buffer", "buffer"},
	} {
		if got := cs.ByCommand[c.cmd][c.flag]; got != c.want {
			t.Errorf("%s --%s is the setting %q, want %q", c.cmd, c.flag, got, c.want)
		}
	}
	if got := cs.Shared["format"]; !slices.Equal(got, []string{"download-format", "watch-format"}) {
		t.Errorf("Shared[format] = %q", got)
	}
	if len(cs.Shared) != 1 {
		t.Errorf("Shared = %v, want only format", cs.Shared)
	}
	names := cs.Names()
	slices.Sort(names)
	if want := []string{"buffer", "download-format", "password-stdin", "password-stdin", "watch-format"}; !slices.Equal(names, want) {
		t.Errorf("Names = %q, want %q", names, want)
	}
}

func TestMissing(t *testing.T) {
	err := Missing("serve-webhook needs", []string{"bot-handle", "x-access-token"})
	want := `serve-webhook needs bot-handle, x-access-token: set REINVENT_BOT_HANDLE, REINVENT_X_ACCESS_TOKEN in the environment, or put "bot-handle: ...", "x-access-token: ..." in the config file`
	if err == nil || err.Error() != want {
		t.Errorf("Missing = %v, want %q", err, want)
	}
}

func TestList(t *testing.T) {
	for _, tt := range []struct {
		in      any
		want    string
		wantErr string
	}{
		{"ntfy://a/b smtp://c", "ntfy://a/b smtp://c", ""},
		{[]any{"ntfy://a/b", "smtp://u:p@c/"}, "ntfy://a/b smtp://u:p@c/", ""},
		{[]any{"ntfy://a/b", 12}, "", "item 2 of the list: want a URL"},
		{[]any{"ntfy://a/b c"}, "", "item 1 of the list: want a URL, with no spaces"},
		{map[string]any{"a": "secret"}, "", "want a URL, or a list of URLs"},
	} {
		got, err := List(tt.in)
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) || strings.Contains(err.Error(), "secret") {
				t.Errorf("List(%v) = %v, want an error %q that holds no value", tt.in, err, tt.wantErr)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("List(%v) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
}
