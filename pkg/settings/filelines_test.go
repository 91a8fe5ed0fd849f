package settings

import (
	"maps"
	"testing"
)

// TestFileLines: every key of a config file gets its line; a key that is
// no setting names the closest, a flag name that means something different
// for each command names each command's setting, and config is no key.
func TestFileLines(t *testing.T) {
	cs := CommandSettings([]FlagUse{
		{"download", "format", "csv or json"},
		{"watch", "format", "text or json"},
		{"schedule", "buffer", "time between sessions"},
	})
	globals := []string{"source", "db", "config"}
	// Like pkg/cli, suggest any setting but config.
	closest := func(key string) []string {
		return Closest(key, Spellings(append([]string{"source", "db"}, cs.Names()...)...))
	}
	lines, err := cs.FileLines("c.yaml", []byte("source: sample\n\nbuffer: 5m\nwatch-format: json\n"), globals, closest)
	if err != nil {
		t.Fatal(err)
	}
	if want := map[string]int{"source": 1, "buffer": 3, "watch-format": 4}; !maps.Equal(lines, want) {
		t.Errorf("lines %v, want %v", lines, want)
	}
	if lines, err := cs.FileLines("c.yaml", nil, globals, closest); err != nil || len(lines) != 0 {
		t.Errorf("empty file: %v, %v", lines, err)
	}
	for data, want := range map[string]string{
		"db: x\nsorce: sample\n": `config file c.yaml:2: unknown setting "sorce" (did you mean source?); the settings are listed in reinvent --help and docs/configuration.md`,
		"format: json\n":         `config file c.yaml:1: "format" means something different for each command; use download-format, watch-format`,
		"config: other.yaml\n":   `config file c.yaml:1: unknown setting "config"; the settings are listed in reinvent --help and docs/configuration.md`,
		"source: [\n":            "",
	} {
		_, err := cs.FileLines("c.yaml", []byte(data), globals, closest)
		if err == nil || (want != "" && err.Error() != want) {
			t.Errorf("%q: error %v, want %q", data, err, want)
		}
	}
}
