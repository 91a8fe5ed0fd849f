package schedule

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/reinvent-cli/reinvent/pkg/catalog"
)

func TestLoadTravel(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	sessions := []catalog.Session{{Code: "SVS401", Venue: "Fontainebleau"}}

	if tr, err := LoadTravel("", sessions); err != nil || tr == nil {
		t.Fatalf("no file: %v, want the built-in table", err)
	}
	good := write("good.yaml", "minutes:\n  the  VENETIAN: {wynn: 31}\n  Fontainebleau: {Wynn: 20}\n")
	tr, err := LoadTravel(good, sessions)
	if err != nil {
		t.Fatal(err)
	}
	if m, ok := tr.Minutes("Venetian", "Wynn"); !ok || m != 31 {
		t.Errorf("Venetian-Wynn = %d, %v; want the file's 31", m, ok)
	}
	if m, ok := tr.Minutes("Venetian", "MGM Grand"); !ok || m == 0 {
		t.Errorf("Venetian-MGM Grand = %d, %v; want the built-in pair kept", m, ok)
	}

	for _, tt := range []struct{ path, want string }{
		{filepath.Join(dir, "none.yaml"), "travel file " + filepath.Join(dir, "none.yaml") + ": no such file or directory; check --travel"},
		{write("bad.yaml", "minutes:\n  Venetian:\n    Wynn: soon\n"), "travel file " + filepath.Join(dir, "bad.yaml") + ":3:"},
		{write("typo.yaml", "minutes:\n  Venetain: {Wynn: 30}\n"), "travel file " + filepath.Join(dir, "typo.yaml") + `:2: unknown venue "Venetain"; the closest known venues are Venetian, `},
	} {
		_, err := LoadTravel(tt.path, sessions)
		var te *TravelError
		if !errors.As(err, &te) || !strings.HasPrefix(err.Error(), tt.want) {
			t.Errorf("LoadTravel(%s) = %v, want a *TravelError starting %q", filepath.Base(tt.path), err, tt.want)
		}
	}
	// A venue only the catalog knows is known only with that catalog.
	if _, err := LoadTravel(good, nil); err == nil || !strings.Contains(err.Error(), `unknown venue "Fontainebleau"`) {
		t.Errorf("without the catalog: %v, want Fontainebleau unknown", err)
	}
}
