package portal

import (
	"errors"
	"path/filepath"
	"time"

	"github.com/reinvent-cli/reinvent/internal/atomicfile"
	"github.com/reinvent-cli/reinvent/pkg/catalog/tokenfile"
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

// Source is "portal", the catalog source these tokens sign in to.
func (Tokens) Source() string { return "portal" }

// TokenFile stores Tokens as JSON at Path with mode 0600
// (tokenfile.File).
type TokenFile tokenfile.File[Tokens]

// TokensBeside is the TokenFile the portal source keeps beside the store
// at db: portal-tokens.json in its directory.
func TokensBeside(db string) *TokenFile {
	return &TokenFile{Path: filepath.Join(filepath.Dir(db), "portal-tokens.json")}
}

// file is f as the tokenfile.File it is.
func (f *TokenFile) file() *tokenfile.File[Tokens] { return (*tokenfile.File[Tokens])(f) }

// Load returns the stored tokens, or nil and no error when the file is
// absent or unreadable as tokens (a corrupted file is treated as absent and
// replaced by the next Save). A file with a mode wider than 0600 is narrowed.
func (f *TokenFile) Load() (*Tokens, error) {
	t, _, err := f.file().Load()
	switch {
	case errors.Is(err, tokenfile.ErrCorrupt), errors.Is(err, atomicfile.ErrNotRegular):
		return nil, nil
	case err != nil:
		return nil, err
	}
	return t, nil
}

// Save writes t atomically with mode 0600, creating the directory with
// mode 0700 if needed.
func (f *TokenFile) Save(t *Tokens) error { return f.file().Save(t) }

// Delete removes the file; an absent file is not an error.
func (f *TokenFile) Delete() error { return f.file().Delete() }
