package eventsapi

import (
	"errors"
	"fmt"
	"path/filepath"
	"time"

	"github.com/reinvent-cli/reinvent/internal/atomicfile"
	"github.com/reinvent-cli/reinvent/pkg/catalog/tokenfile"
)

// Tokens is what `reinvent login` leaves behind for the events-api source.
type Tokens struct {
	AccessToken  string    `json:"access_token"`
	RefreshToken string    `json:"refresh_token,omitempty"`
	Expiry       time.Time `json:"expiry"`
}

// Source is "events-api", the catalog source these tokens sign in to.
func (Tokens) Source() string { return "events-api" }

// RefreshMargin is how long before its expiry an access token is refreshed.
const RefreshMargin = 5 * time.Minute

// NeedsRefresh reports whether the access token is missing or expires
// within RefreshMargin of now. A zero Expiry means "unknown": not expiring.
func (t *Tokens) NeedsRefresh(now time.Time) bool {
	if t == nil || t.AccessToken == "" {
		return true
	}
	if t.Expiry.IsZero() {
		return false
	}
	return !now.Add(RefreshMargin).Before(t.Expiry)
}

// ErrCorruptTokenFile is wrapped by TokenFile.Load when the file exists but
// does not hold tokens; the user has to sign in again.
var ErrCorruptTokenFile = errors.New("the saved sign-in is unreadable; run `reinvent login` again")

// TokenFile stores Tokens as JSON at Path with mode 0600
// (tokenfile.File).
type TokenFile tokenfile.File[Tokens]

// TokensBeside is the TokenFile `reinvent login` keeps beside the store at
// db: events-api-tokens.json in its directory.
func TokensBeside(db string) *TokenFile {
	return &TokenFile{Path: filepath.Join(filepath.Dir(db), "events-api-tokens.json")}
}

// file is f as the tokenfile.File it is.
func (f *TokenFile) file() *tokenfile.File[Tokens] { return (*tokenfile.File[Tokens])(f) }

// Load returns the stored tokens, or nil (and no error) when the file is
// absent. A file whose mode is wider than 0600 is narrowed to 0600 and a
// warning for the user is returned. A file that is not valid tokens gives an
// error wrapping ErrCorruptTokenFile, which asks to run `reinvent login`.
func (f *TokenFile) Load() (t *Tokens, warning string, err error) {
	t, widened, err := f.file().Load()
	if widened != 0 {
		warning = fmt.Sprintf("token file %s was readable by others (mode %#o); its mode is now 0600", f.Path, widened)
	}
	switch {
	case errors.Is(err, atomicfile.ErrNotRegular):
		return nil, "", fmt.Errorf("events-api: token file %s: not a regular file: %w", f.Path, ErrCorruptTokenFile)
	case errors.Is(err, tokenfile.ErrCorrupt):
		return nil, warning, fmt.Errorf("events-api: token file %s: %w", f.Path, ErrCorruptTokenFile)
	case err != nil:
		return nil, warning, err
	}
	return t, warning, nil
}

// Save writes t atomically with mode 0600, creating the directory with
// mode 0700 if needed.
func (f *TokenFile) Save(t *Tokens) error { return f.file().Save(t) }

// Delete removes the file; an absent file is not an error.
func (f *TokenFile) Delete() error { return f.file().Delete() }
