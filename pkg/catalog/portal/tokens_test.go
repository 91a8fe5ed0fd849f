package portal

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestTokenFileRoundTripMode0600(t *testing.T) {
	tf := &TokenFile{Path: filepath.Join(t.TempDir(), "sub", "dir", "tokens.json")}
	if got, err := tf.Load(); got != nil || err != nil {
		t.Fatalf("Load of an absent file = %+v, %v; want nil, nil", got, err)
	}
	want := &Tokens{AccessToken: "a", IDToken: "i", RefreshToken: "r",
		Expiry: time.Date(2026, 11, 22, 16, 0, 0, 0, time.UTC), Login: "alice@example.com", Username: "uuid", ClientID: "c"}
	if err := tf.Save(want); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(tf.Path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("mode = %v, want 0600", fi.Mode().Perm())
	}
	got, err := tf.Load()
	if err != nil || got == nil || *got != *want {
		t.Fatalf("Load = %+v, %v; want %+v", got, err, want)
	}
	entries, _ := os.ReadDir(filepath.Dir(tf.Path))
	if len(entries) != 1 {
		t.Errorf("directory holds %d entries, want only the token file (no temporary files)", len(entries))
	}
	if err := tf.Delete(); err != nil {
		t.Fatal(err)
	}
	if err := tf.Delete(); err != nil {
		t.Fatalf("Delete of an absent file: %v", err)
	}
	if got, err := tf.Load(); got != nil || err != nil {
		t.Fatalf("Load after Delete = %+v, %v", got, err)
	}
}

func TestTokenFileWiderModeIsFixed(t *testing.T) {
	tf := &TokenFile{Path: filepath.Join(t.TempDir(), "tokens.json")}
	if err := os.WriteFile(tf.Path, []byte(`{"access_token":"a","refresh_token":"r"}`), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(tf.Path, 0o644); err != nil {
		t.Fatal(err)
	}
	got, err := tf.Load()
	if err != nil || got == nil || got.RefreshToken != "r" {
		t.Fatalf("Load = %+v, %v", got, err)
	}
	fi, err := os.Stat(tf.Path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("mode after Load = %v, want 0600", fi.Mode().Perm())
	}

	// Save over a wide file also leaves 0600.
	if err := os.Chmod(tf.Path, 0o666); err != nil {
		t.Fatal(err)
	}
	if err := tf.Save(&Tokens{AccessToken: "b"}); err != nil {
		t.Fatal(err)
	}
	if fi, _ := os.Stat(tf.Path); fi.Mode().Perm() != 0o600 {
		t.Errorf("mode after Save = %v, want 0600", fi.Mode().Perm())
	}
}

func TestTokenFileCorruptedIsAbsent(t *testing.T) {
	for name, body := range map[string]string{
		"garbage":    "\x00\x01not json at all",
		"truncated":  `{"access_token":"a","refr`,
		"empty":      ``,
		"no tokens":  `{"login":"alice"}`,
		"wrong type": `{"access_token":42}`,
	} {
		t.Run(name, func(t *testing.T) {
			tf := &TokenFile{Path: filepath.Join(t.TempDir(), "tokens.json")}
			if err := os.WriteFile(tf.Path, []byte(body), 0o600); err != nil {
				t.Fatal(err)
			}
			got, err := tf.Load()
			if got != nil || err != nil {
				t.Fatalf("Load = %+v, %v; want nil, nil", got, err)
			}
			if err := tf.Save(&Tokens{AccessToken: "new"}); err != nil {
				t.Fatal(err)
			}
			if got, err := tf.Load(); err != nil || got == nil || got.AccessToken != "new" {
				t.Fatalf("Load after Save = %+v, %v", got, err)
			}
		})
	}
}

// TestTokensBeside: the portal's tokens live beside the store, whatever
// the store's name.
func TestTokensBeside(t *testing.T) {
	db := filepath.Join("data", "reinvent", "my.db")
	if got, want := TokensBeside(db).Path, filepath.Join("data", "reinvent", "portal-tokens.json"); got != want {
		t.Errorf("TokensBeside(%q) = %q, want %q", db, got, want)
	}
}
