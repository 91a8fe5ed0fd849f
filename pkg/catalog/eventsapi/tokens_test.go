package eventsapi

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestTokenFileSaveLoad(t *testing.T) {
	dir := t.TempDir()
	f := &TokenFile{Path: filepath.Join(dir, "sub", "tokens.json")}
	if tok, warn, err := f.Load(); tok != nil || warn != "" || err != nil {
		t.Fatalf("absent file: %v %q %v", tok, warn, err)
	}
	want := &Tokens{AccessToken: "a", RefreshToken: "r", Expiry: time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)}
	if err := f.Save(want); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(f.Path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("mode %#o, want 0600", fi.Mode().Perm())
	}
	got, warn, err := f.Load()
	if err != nil || warn != "" {
		t.Fatalf("Load: %q %v", warn, err)
	}
	if got.AccessToken != want.AccessToken || got.RefreshToken != want.RefreshToken || !got.Expiry.Equal(want.Expiry) {
		t.Errorf("got %+v, want %+v", got, want)
	}
	// No temporary files are left behind.
	entries, _ := os.ReadDir(filepath.Dir(f.Path))
	if len(entries) != 1 {
		t.Errorf("directory holds %d entries", len(entries))
	}
	// Save replaces.
	want.AccessToken = "b"
	if err := f.Save(want); err != nil {
		t.Fatal(err)
	}
	if got, _, _ := f.Load(); got.AccessToken != "b" {
		t.Errorf("after second save: %+v", got)
	}
	if err := f.Delete(); err != nil {
		t.Fatal(err)
	}
	if err := f.Delete(); err != nil {
		t.Errorf("deleting an absent file: %v", err)
	}
	if tok, _, err := f.Load(); tok != nil || err != nil {
		t.Errorf("after delete: %v %v", tok, err)
	}
}

func TestTokenFileWideModeFixed(t *testing.T) {
	f := &TokenFile{Path: filepath.Join(t.TempDir(), "tokens.json")}
	if err := os.WriteFile(f.Path, []byte(`{"access_token":"a","refresh_token":"r"}`), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(f.Path, 0o644); err != nil {
		t.Fatal(err)
	}
	tok, warn, err := f.Load()
	if err != nil || tok == nil || tok.RefreshToken != "r" {
		t.Fatalf("Load: %+v %v", tok, err)
	}
	if !strings.Contains(warn, "0600") || !strings.Contains(warn, f.Path) {
		t.Errorf("warning %q", warn)
	}
	fi, _ := os.Stat(f.Path)
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("mode %#o, want 0600", fi.Mode().Perm())
	}
	if _, warn, _ := f.Load(); warn != "" {
		t.Errorf("second load warns: %q", warn)
	}
}

func TestTokenFileCorrupted(t *testing.T) {
	for name, body := range map[string]string{
		"garbage":   "not json{",
		"truncated": `{"access_token":"a`,
		"empty":     ``,
		"no tokens": `{"expiry":"2026-01-01T00:00:00Z"}`,
	} {
		t.Run(name, func(t *testing.T) {
			f := &TokenFile{Path: filepath.Join(t.TempDir(), "tokens.json")}
			if err := os.WriteFile(f.Path, []byte(body), 0o600); err != nil {
				t.Fatal(err)
			}
			tok, _, err := f.Load()
			if tok != nil || !errors.Is(err, ErrCorruptTokenFile) {
				t.Fatalf("Load = %v, %v; want ErrCorruptTokenFile", tok, err)
			}
			if !strings.Contains(err.Error(), "reinvent login") {
				t.Errorf("error %q does not ask to log in", err)
			}
			// Logging in again replaces the corrupted file.
			if err := f.Save(&Tokens{AccessToken: "x"}); err != nil {
				t.Fatal(err)
			}
			if tok, _, err := f.Load(); err != nil || tok.AccessToken != "x" {
				t.Errorf("after save: %v %v", tok, err)
			}
		})
	}
}

func TestNeedsRefresh(t *testing.T) {
	now := time.Now()
	cases := []struct {
		tok  *Tokens
		want bool
	}{
		{nil, true},
		{&Tokens{}, true},
		{&Tokens{AccessToken: "a"}, false},
		{&Tokens{AccessToken: "a", Expiry: now.Add(time.Hour)}, false},
		{&Tokens{AccessToken: "a", Expiry: now.Add(4 * time.Minute)}, true},
		{&Tokens{AccessToken: "a", Expiry: now.Add(-time.Minute)}, true},
	}
	for i, c := range cases {
		if got := c.tok.NeedsRefresh(now); got != c.want {
			t.Errorf("case %d: NeedsRefresh = %v", i, got)
		}
	}
}

// TestTokensBeside: the tokens of reinvent login live beside the store, in
// events-api-tokens.json, whatever the store's name.
func TestTokensBeside(t *testing.T) {
	db := filepath.Join("data", "reinvent", "my.db")
	if got, want := TokensBeside(db).Path, filepath.Join("data", "reinvent", "events-api-tokens.json"); got != want {
		t.Errorf("TokensBeside(%q) = %q, want %q", db, got, want)
	}
}
