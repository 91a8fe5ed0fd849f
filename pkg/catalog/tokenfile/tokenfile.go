// Package tokenfile keeps a sign-in's tokens between runs: JSON in a secret
// file, mode 0600 in a directory of mode 0700.
package tokenfile

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"

	"github.com/reinvent-cli/reinvent/internal/atomicfile"
)

// ErrCorrupt is wrapped by File.Load when the file is there but does not
// hold tokens: not JSON of the token type, or neither an access_token nor
// a refresh_token in it.
var ErrCorrupt = errors.New("not a token file")

// Tokens is what a File keeps: a struct with the JSON fields access_token
// and refresh_token, whose Source names the catalog source they sign in
// to ("events-api", "portal"); the errors about its file begin with it.
type Tokens interface {
	Source() string
}

// File stores tokens of type T as JSON at Path with mode 0600. A nil File,
// or one with no Path, keeps nothing: Load finds nothing, Save and Delete
// do nothing.
type File[T Tokens] struct {
	Path string
}

// errorf is fmt.Errorf, after the name of the source of the tokens.
func errorf[T Tokens](format string, args ...any) error {
	var tok T
	return fmt.Errorf("%s: %w", tok.Source(), fmt.Errorf(format, args...))
}

// Load returns the stored tokens, or nil and no error when the file is
// absent. A file whose mode is wider than 0600 is narrowed to 0600 first,
// and the mode it had is returned as widened (0 when it was not). A path
// that is not a regular file is an error wrapping
// atomicfile.ErrNotRegular; a file that does not hold tokens, one wrapping
// ErrCorrupt.
func (f *File[T]) Load() (t *T, widened os.FileMode, err error) {
	if f == nil || f.Path == "" {
		return nil, 0, nil
	}
	b, widened, err := atomicfile.ReadSecret(f.Path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil, 0, nil
	case err != nil:
		return nil, widened, errorf[T]("token file: %w", err)
	}
	var tok T
	var present struct {
		AccessToken  string `json:"access_token"`
		RefreshToken string `json:"refresh_token"`
	}
	if json.Unmarshal(b, &tok) != nil || json.Unmarshal(b, &present) != nil ||
		present.AccessToken == "" && present.RefreshToken == "" {
		return nil, widened, errorf[T]("token file %s: %w", f.Path, ErrCorrupt)
	}
	return &tok, widened, nil
}

// Save writes t atomically (a temporary file in the same directory, then a
// rename) with mode 0600, creating the directory with mode 0700 if needed.
func (f *File[T]) Save(t *T) error {
	if f == nil || f.Path == "" {
		return nil
	}
	if t == nil {
		return errorf[T]("token file: no tokens to save")
	}
	b, err := json.Marshal(t)
	if err != nil {
		return errorf[T]("token file: %w", err)
	}
	if err := atomicfile.WriteSecret(f.Path, b); err != nil {
		return errorf[T]("token file: %w", err)
	}
	return nil
}

// Delete removes the file; an absent file is not an error.
func (f *File[T]) Delete() error {
	if f == nil || f.Path == "" {
		return nil
	}
	if err := os.Remove(f.Path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return errorf[T]("token file: %w", err)
	}
	return nil
}
