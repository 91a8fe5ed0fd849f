package eventsapi

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"golang.org/x/oauth2"
)

// TestSignOut: the stored refresh token is revoked and the file deleted;
// with nothing stored nothing is done; a token the server will not revoke
// is deleted anyway, with a warning.
func TestSignOut(t *testing.T) {
	f := newFakeOAuth(t)
	f.mu.Lock()
	f.refreshTokens["rt-1"] = true
	f.mu.Unlock()
	ctx := context.WithValue(testCtx(t), oauth2.HTTPClient, f.srv.Client())
	tf := &TokenFile{Path: filepath.Join(t.TempDir(), "events-api-tokens.json")}

	var warned []error
	warn := func(err error) { warned = append(warned, err) }
	if signedIn, err := SignOut(ctx, tf, f.srv.URL, testClientID, warn); signedIn || err != nil || len(warned) != 0 {
		t.Fatalf("nothing stored: signed in %v, %v, warned %v", signedIn, err, warned)
	}
	if err := tf.Save(&Tokens{AccessToken: "a", RefreshToken: "rt-1"}); err != nil {
		t.Fatal(err)
	}
	if signedIn, err := SignOut(ctx, tf, f.srv.URL, testClientID, warn); !signedIn || err != nil || len(warned) != 0 {
		t.Fatalf("signed in: %v, %v, warned %v", signedIn, err, warned)
	}
	f.mu.Lock()
	if len(f.revoked) != 1 || f.revoked[0] != "rt-1" {
		t.Errorf("revoked %v, want rt-1", f.revoked)
	}
	f.mu.Unlock()
	if _, err := os.Stat(tf.Path); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("token file left: %v", err)
	}
	// The same token again: the server refuses it, the file goes anyway.
	if err := tf.Save(&Tokens{AccessToken: "a", RefreshToken: "rt-1"}); err != nil {
		t.Fatal(err)
	}
	if signedIn, err := SignOut(ctx, tf, f.srv.URL, testClientID, warn); !signedIn || err != nil || len(warned) != 1 {
		t.Errorf("unrevokable token: signed in %v, %v, warned %v", signedIn, err, warned)
	}
	if _, err := os.Stat(tf.Path); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("token file left after a failed revoke: %v", err)
	}
}
