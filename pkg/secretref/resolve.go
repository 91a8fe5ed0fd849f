package secretref

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/reinvent-cli/reinvent/internal/awsjson"
	"github.com/reinvent-cli/reinvent/pkg/settings"
)

// Errors of a resolution that are not the reference's fault, for the exit
// codes of docs/configuration.md: AWS refused the credentials, or was not
// reached. Every other error of Resolve is a reference that cannot work.
var (
	ErrAuth        = awsjson.ErrAuth
	ErrUnavailable = awsjson.ErrUnavailable
	// ErrNotFound is what a Resolver returns for a secret or a parameter
	// that does not exist.
	ErrNotFound = errors.New("not found")
)

// Resolver fetches what references name. Its errors wrap ErrNotFound,
// ErrAuth or ErrUnavailable where they are those, and never hold a value.
type Resolver interface {
	// SecretString is the SecretString of the secret's current version;
	// a secret that holds only binary is an error.
	SecretString(ctx context.Context, id string) (string, error)
	// Parameter is the parameter's value, decrypted.
	Parameter(ctx context.Context, name string) (string, error)
}

// Open makes the Resolver, once it is known that a setting holds a
// reference.
type Open func(ctx context.Context) (Resolver, error)

// Resolve replaces each secret setting of cfg that holds a reference with
// the value it names. open is called only when there is a reference, and
// each secret or parameter is fetched once, however many settings name it.
// An error names the setting and the reference, never a value; it is
// ErrAuth when AWS refuses the credentials, ErrUnavailable when AWS is out
// of reach, and settings.ErrUsage when the reference cannot work. A nil
// open is AWS.
func Resolve(ctx context.Context, cfg *settings.Config, open Open) error {
	if open == nil {
		open = AWS
	}
	err := resolve(ctx, cfg, open)
	if err != nil && !errors.Is(err, ErrAuth) && !errors.Is(err, ErrUnavailable) {
		return settings.Usage(err)
	}
	return err
}

// resolve is Resolve with its errors not classed.
func resolve(ctx context.Context, cfg *settings.Config, open Open) error {
	var r Resolver
	fetched := map[string]string{}
	for _, st := range cfg.Table() {
		if st.Group != settings.Secret || st.String == nil || !IsRef(*st.String) {
			continue
		}
		ref, err := Parse(*st.String)
		if err != nil {
			return fmt.Errorf("%s: %w", st.Name, err)
		}
		if r == nil {
			if r, err = open(ctx); err != nil {
				return fmt.Errorf("%s: %s: %w", st.Name, ref, err)
			}
		}
		whole, ok := fetched[ref.Service+ref.ID]
		if !ok {
			if ref.Service == SSM {
				whole, err = r.Parameter(ctx, ref.ID)
			} else {
				whole, err = r.SecretString(ctx, ref.ID)
			}
			if err != nil {
				return fmt.Errorf("%s: %s: %w", st.Name, ref, err)
			}
			fetched[ref.Service+ref.ID] = whole
		}
		val, err := pick(whole, ref)
		if err != nil {
			return fmt.Errorf("%s: %s: %w", st.Name, ref, err)
		}
		*st.String = val
	}
	return nil
}

// pick is the value a reference names in what was fetched: the field Key
// of a JSON object, or the whole string, without a trailing line break.
func pick(whole string, ref Ref) (string, error) {
	val := whole
	if ref.Key != "" {
		var fields map[string]any
		// The decoder's error is not quoted: it may show part of the secret.
		if json.Unmarshal([]byte(whole), &fields) != nil {
			return "", errors.New("the secret is not a JSON object, so it has no key " + ref.Key + ": leave out #" + ref.Key + " to use the whole secret")
		}
		f, ok := fields[ref.Key]
		if !ok {
			return "", errors.New("the secret's JSON has no key " + ref.Key + ": add it, or correct the key after #")
		}
		if val, ok = f.(string); !ok {
			return "", errors.New("the secret's key " + ref.Key + " is not a string: store the value as a JSON string")
		}
	}
	val = strings.TrimRight(val, "\r\n")
	if val == "" {
		return "", errors.New("the value is empty: store the secret's value there")
	}
	return val, nil
}
