package tokenfile

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/reinvent-cli/reinvent/internal/atomicfile"
)

// tokens is a token struct as the sign-ins have them.
type tokens struct {
	AccessToken  string    `json:"access_token"`
	RefreshToken string    `json:"refresh_token,omitempty"`
	Expiry       time.Time `json:"expiry"`
	Login        string    `json:"login,omitempty"`
}

func (tokens) Source() string { return "test-source" }

// The file holds the tokens' JSON, mode 0600 in a directory of mode 0700.
// (Replacing, deleting and loading again are tested through each source's
// TokenFile.)
func TestSaveLoad(t *testing.T) {
	f := &File[tokens]{Path: filepath.Join(t.TempDir(), "sub", "tokens.json")}
	if got, widened, err := f.Load(); got != nil || widened != 0 || err != nil {
		t.Fatalf("Load of an absent file = %+v, %v, %v; want nothing", got, widened, err)
	}
	want := &tokens{AccessToken: "a", RefreshToken: "r", Expiry: time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC), Login: "alice"}
	if err := f.Save(want); err != nil {
		t.Fatal(err)
	}
	for path, perm := range map[string]os.FileMode{f.Path: 0o600, filepath.Dir(f.Path): 0o700} {
		if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != perm {
			t.Errorf("%s: mode %v (%v), want %#o", path, fi.Mode().Perm(), err, perm)
		}
	}
	b, err := os.ReadFile(f.Path)
	if err != nil {
		t.Fatal(err)
	}
	if got := string(b); got != `{"access_token":"a","refresh_token":"r","expiry":"2026-12-01T09:00:00Z","login":"alice"}` {
		t.Errorf("the file holds %s", got)
	}
	got, widened, err := f.Load()
	if err != nil || widened != 0 || got == nil || *got != *want {
		t.Fatalf("Load = %+v, %v, %v; want %+v", got, widened, err, want)
	}
	if err := f.Save(nil); err == nil || err.Error() != "test-source: token file: no tokens to save" {
		t.Errorf("Save(nil) = %v, want an error", err)
	}
}

// Errors about a token file begin with the name of the tokens' source.
func TestErrorsNameTheSource(t *testing.T) {
	dir := t.TempDir()
	blocker := filepath.Join(dir, "file")
	if err := os.WriteFile(blocker, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	f := &File[tokens]{Path: filepath.Join(blocker, "tokens.json")}
	if err := f.Save(&tokens{AccessToken: "a"}); err == nil || !strings.HasPrefix(err.Error(), "test-source: token file: ") {
		t.Errorf("Save under a file = %v, want an error that begins test-source: token file:", err)
	}
	corrupt := &File[tokens]{Path: filepath.Join(dir, "tokens.json")}
	if err := os.WriteFile(corrupt.Path, []byte("{"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, _, err := corrupt.Load(); err == nil || err.Error() != "test-source: token file "+corrupt.Path+": not a token file" {
		t.Errorf("Load of a corrupt file = %v", err)
	}
}

func TestWideModeNarrowed(t *testing.T) {
	f := &File[tokens]{Path: filepath.Join(t.TempDir(), "tokens.json")}
	if err := os.WriteFile(f.Path, []byte(`{"refresh_token":"r"}`), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(f.Path, 0o644); err != nil {
		t.Fatal(err)
	}
	got, widened, err := f.Load()
	if err != nil || got == nil || got.RefreshToken != "r" || widened != 0o644 {
		t.Fatalf("Load = %+v, %#o, %v; want the tokens and 0644", got, widened, err)
	}
	if fi, _ := os.Stat(f.Path); fi.Mode().Perm() != 0o600 {
		t.Errorf("mode after Load %v, want 0600", fi.Mode().Perm())
	}
	if _, widened, _ := f.Load(); widened != 0 {
		t.Errorf("second Load says the mode was %#o", widened)
	}
}

// A path that is a directory is not a token file.
func TestNotRegular(t *testing.T) {
	f := &File[tokens]{Path: t.TempDir()}
	if got, _, err := f.Load(); got != nil || !errors.Is(err, atomicfile.ErrNotRegular) {
		t.Errorf("Load of a directory = %+v, %v; want ErrNotRegular", got, err)
	}
}

// A File that is nil or has no Path keeps nothing and touches no file.
func TestNoPath(t *testing.T) {
	for name, f := range map[string]*File[tokens]{"nil": nil, "no path": {}} {
		if got, _, err := f.Load(); got != nil || err != nil {
			t.Errorf("%s: Load = %+v, %v", name, got, err)
		}
		if err := f.Save(&tokens{AccessToken: "a"}); err != nil {
			t.Errorf("%s: Save: %v", name, err)
		}
		if err := f.Delete(); err != nil {
			t.Errorf("%s: Delete: %v", name, err)
		}
	}
}

// FuzzLoad: whatever a token file holds, Load returns tokens with an
// access or a refresh token, or an error wrapping ErrCorrupt; the seeds
// include JSON that is not tokens, truncated, or not JSON at all.
func FuzzLoad(f *testing.F) {
	for _, seed := range []string{
		`{"access_token":"a","refresh_token":"r","expiry":"2026-12-01T09:00:00Z"}`,
		`{"refresh_token":"r"}`, `{"access_token":42}`, `null`, `[]`, ``, `{"expiry":"yesterday","access_token":"a"}`,
		"\x00\x01not json{", `{"access_token":"a`, `{"login":"alice","expiry":"2026-01-01T00:00:00Z"}`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		tf := &File[tokens]{Path: filepath.Join(t.TempDir(), "tokens.json")}
		if err := os.WriteFile(tf.Path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		got, _, err := tf.Load()
		switch {
		case err != nil && !errors.Is(err, ErrCorrupt):
			t.Errorf("Load of %q: %v, want tokens or ErrCorrupt", data, err)
		case err == nil && (got == nil || got.AccessToken == "" && got.RefreshToken == ""):
			t.Errorf("Load of %q = %+v, want tokens or ErrCorrupt", data, got)
		}
	})
}
