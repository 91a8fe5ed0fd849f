// Package secretref resolves the secret settings that hold a reference to
// AWS Secrets Manager or SSM Parameter Store instead of a value, once at
// start, so the environment holds only the reference (docs/serverless.md#secrets).
package secretref

import (
	"errors"
	"strings"
	"unicode"
)

// The prefixes that make a setting's value a reference.
const (
	SecretsManager = "secretsmanager:"
	SSM            = "ssm:"
)

// Ref is a parsed reference: secretsmanager:ARN_OR_NAME#KEY or
// ssm:/PARAMETER/NAME.
type Ref struct {
	// Service is SecretsManager or SSM.
	Service string
	// ID is the secret's ARN or name, or the parameter's name or ARN.
	ID string
	// Key is the field of a JSON secret string that holds the value; empty
	// for the whole string. Only Secrets Manager references have one.
	Key string
}

// String is the reference as it was written.
func (r Ref) String() string {
	s := r.Service + r.ID
	if r.Key != "" {
		s += "#" + r.Key
	}
	return s
}

// IsRef reports whether value is meant as a reference: it begins with one
// of the prefixes. Such a value is never taken as the secret itself.
func IsRef(value string) bool {
	return strings.HasPrefix(value, SecretsManager) || strings.HasPrefix(value, SSM)
}

// Parse reads a reference. Its errors never quote the value, which may be
// a mistyped secret rather than a reference.
func Parse(value string) (Ref, error) {
	var r Ref
	var rest string
	switch {
	case strings.HasPrefix(value, SecretsManager):
		r.Service, rest = SecretsManager, value[len(SecretsManager):]
		if id, key, ok := strings.Cut(rest, "#"); ok {
			if key == "" {
				return Ref{}, errors.New("nothing after # in a secretsmanager: reference: write secretsmanager:ARN_OR_NAME#KEY, or leave out #KEY for the whole secret")
			}
			rest, r.Key = id, key
		}
	case strings.HasPrefix(value, SSM):
		r.Service, rest = SSM, value[len(SSM):]
		if strings.Contains(rest, "#") {
			return Ref{}, errors.New("an ssm: reference takes no #KEY: write ssm:/PARAMETER/NAME")
		}
	default:
		return Ref{}, errors.New("not a reference: want secretsmanager:ARN_OR_NAME#KEY or ssm:/PARAMETER/NAME")
	}
	r.ID = rest
	if r.ID == "" {
		return Ref{}, errors.New("a reference names no secret or parameter: want secretsmanager:ARN_OR_NAME#KEY or ssm:/PARAMETER/NAME")
	}
	// Names and ARNs of both services are at most 2048 characters and
	// hold no spaces; nothing read here reaches a terminal with control
	// characters.
	if len(value) > 4096 || strings.IndexFunc(value, func(c rune) bool {
		return unicode.IsSpace(c) || unicode.IsControl(c) || c == unicode.ReplacementChar
	}) >= 0 {
		return Ref{}, errors.New("a reference holds a space, a control character or is over 4096 bytes: want secretsmanager:ARN_OR_NAME#KEY or ssm:/PARAMETER/NAME")
	}
	return r, nil
}
