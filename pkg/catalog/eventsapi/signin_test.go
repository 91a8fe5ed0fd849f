package eventsapi

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/reinvent-cli/reinvent/pkg/catalog"
)

func TestSignInToken(t *testing.T) {
	dir := t.TempDir()
	tf := &TokenFile{Path: filepath.Join(dir, "events-api-tokens.json")}
	s := &SignIn{File: tf}
	if tok, err := s.Token(context.Background(), false); tok != "" || err != nil {
		t.Fatalf("not signed in: %q, %v; want an anonymous read", tok, err)
	}
	if err := tf.Save(&Tokens{AccessToken: "at-1", RefreshToken: "rt", Expiry: time.Now().Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	if tok, err := s.Token(context.Background(), false); tok != "at-1" || err != nil {
		t.Fatalf("signed in: %q, %v", tok, err)
	}
	if err := os.WriteFile(tf.Path, []byte("{not json"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Token(context.Background(), false); !errors.Is(err, catalog.ErrAuth) {
		t.Errorf("a broken token file: %v, want an error that is catalog.ErrAuth", err)
	}
}
