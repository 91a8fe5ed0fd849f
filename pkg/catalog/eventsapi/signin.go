package eventsapi

import (
	"context"
	"sync"
	"time"

	"github.com/reinvent-cli/reinvent/pkg/catalog"
)

// SignIn hands out the access token that reinvent login stored in File,
// refreshing it shortly before it expires, or when the API refused it
// (fresh). Without stored tokens it hands out "", and the catalog is read
// anonymously (docs/events-api.md). Its Token is a Catalog's Token.
type SignIn struct {
	File     *TokenFile
	OAuthURL string
	ClientID string
	// Warn is told what Load says of the token file (a mode too wide);
	// nil ignores it.
	Warn func(string)

	mu sync.Mutex
}

// Token returns the access token, "" when not signed in. Its errors wrap
// catalog.ErrAuth: a token file that cannot be read, or a refresh the
// OAuth server refused, means signing in again.
func (s *SignIn) Token(ctx context.Context, fresh bool) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	t, warning, err := s.File.Load()
	if warning != "" && s.Warn != nil {
		s.Warn(warning)
	}
	if err != nil {
		return "", signInError{err}
	}
	if t == nil {
		return "", nil // not signed in: read anonymously
	}
	if fresh || t.NeedsRefresh(time.Now()) {
		nt, err := Refresh(ctx, s.OAuthURL, s.ClientID, t)
		if err != nil {
			return "", signInError{&refreshError{err}}
		}
		if err := s.File.Save(nt); err != nil {
			return "", err
		}
		t = nt
	}
	return t.AccessToken, nil
}

// signInError reads as its error and is also catalog.ErrAuth (exit 3),
// keeping what it wraps (a context.Canceled, say) visible to errors.Is.
type signInError struct{ err error }

func (e signInError) Error() string   { return e.err.Error() }
func (e signInError) Unwrap() []error { return []error{e.err, catalog.ErrAuth} }

type refreshError struct{ err error }

func (e *refreshError) Error() string { return "refresh the AWS Events API sign-in: " + e.err.Error() }
func (e *refreshError) Unwrap() error { return e.err }

// SignOut revokes the refresh token kept in f at oauthURL and deletes f.
// signedIn is false when f held no tokens, and then nothing is done. A
// token that cannot be revoked, or a file that cannot be read, is deleted
// anyway; warn is told why the token was not revoked.
func SignOut(ctx context.Context, f *TokenFile, oauthURL, clientID string, warn func(error)) (signedIn bool, err error) {
	t, _, err := f.Load()
	if err == nil && t == nil {
		return false, nil
	}
	if err == nil && t.RefreshToken != "" {
		if rerr := Revoke(ctx, oauthURL, clientID, t.RefreshToken); rerr != nil {
			warn(rerr)
		}
	}
	return true, f.Delete()
}
