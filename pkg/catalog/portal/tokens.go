package portal

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"time"

	"github.com/reinvent-cli/reinvent/internal/atomicfile"
)

// Tokens is what a Cognito sign-in leaves behind for the next one.
type Tokens struct {
	AccessToken  string    `json:"access_token"`
	IDToken      string    `json:"id_token,omitempty"`
	RefreshToken string    `json:"refresh_token,omitempty"`
	Expiry       time.Time `json:"expiry"`
	// Login is the name the user signed in with (SignIn.Username).
	Login string `json:"login,omitempty"`
	// Username is Cognito's internal user name (USER_ID_FOR_SRP or the
	// access token's "username" claim), which SECRET_HASH of
	// REFRESH_TOKEN_AUTH is computed with.
	Username string `json:"username,omitempty"`
	// ClientID is the app client the tokens were issued to.
	ClientID string `json:"client_id,omitempty"`
}

// TokenFile stores Tokens as JSON at Path with mode 0600.
type TokenFile struct {
	Path string
}

// Load returns the stored tokens, or nil and no error when the file is
// absent or unreadable as tokens (a corrupted file is treated as absent and
// replaced by the next Save). A file with a mode wider than 0600 is narrowed.
func (f *TokenFile) Load() (*Tokens, error) {
	if f == nil || f.Path == "" {
		return nil, nil
	}
	b, _, err := atomicfile.ReadSecret(f.Path)
	switch {
	case errors.Is(err, fs.ErrNotExist), errors.Is(err, atomicfile.ErrNotRegular):
		return nil, nil
	case err != nil:
		return nil, fmt.Errorf("portal: token file: %w", err)
	}
	var t Tokens
	if err := json.Unmarshal(b, &t); err != nil || t.AccessToken == "" && t.RefreshToken == "" {
		return nil, nil
	}
	return &t, nil
}

// Save writes t atomically (a temporary file in the same directory, then a
// rename) with mode 0600, creating the directory with mode 0700 if needed.
func (f *TokenFile) Save(t *Tokens) error {
	if f == nil || f.Path == "" {
		return nil
	}
	b, err := json.Marshal(t)
	if err != nil {
		return fmt.Errorf("portal: token file: %w", err)
	}
	if err := atomicfile.WriteSecret(f.Path, b); err != nil {
		return fmt.Errorf("portal: token file: %w", err)
	}
	return nil
}

// Delete removes the file; an absent file is not an error.
func (f *TokenFile) Delete() error {
	if f == nil || f.Path == "" {
		return nil
	}
	if err := os.Remove(f.Path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("portal: token file: %w", err)
	}
	return nil
}
