package cli

import (
	"errors"

	"github.com/reinvent-cli/reinvent/internal/awsjson"
	"github.com/reinvent-cli/reinvent/pkg/catalog"
	"github.com/reinvent-cli/reinvent/pkg/follow"
	"github.com/reinvent-cli/reinvent/pkg/settings"
	"github.com/reinvent-cli/reinvent/pkg/webhook"
	"github.com/reinvent-cli/reinvent/pkg/x"
)

// Exit codes of docs/configuration.md. main maps errors to them once, with errors.As.
const (
	ExitOK          = 0
	ExitFailure     = 1
	ExitUsage       = 2
	ExitAuth        = 3
	ExitUpstream    = 4
	ExitPending     = 5
	ExitInterrupted = 130
)

// ExitError is an error that asks for a particular process exit code.
type ExitError struct {
	Code int
	Err  error
}

func (e *ExitError) Error() string { return e.Err.Error() }
func (e *ExitError) Unwrap() error { return e.Err }

// usageErrorf and usageError make errors that exit 2: the command line
// or the configuration asked for something that cannot work
// (settings.ErrUsage).
var usageErrorf, usageError = settings.Usagef, settings.Usage

// missingSettings is settings.Missing as a usage error.
func missingSettings(what string, names []string) error {
	return usageError(settings.Missing(what, names))
}

// ExitCode returns the exit code for err, classifying it in this one place
// (docs/configuration.md, "Exit codes"): the code of the outermost
// ExitError in its chain, else that of the packages' errors below, else 1
// (0 for nil). A command returns the packages' errors wrapped, and makes an
// ExitError only for a code that depends on what it was doing.
func ExitCode(err error) int {
	if err == nil {
		return ExitOK
	}
	var ee *ExitError
	switch {
	case errors.As(err, &ee):
		return ee.Code
	case errors.Is(err, follow.ErrPending):
		return ExitPending
	case errors.Is(err, settings.ErrUsage), errors.Is(err, x.ErrInvalid), errors.Is(err, webhook.ErrWrongAccount):
		return ExitUsage
	case errors.Is(err, catalog.ErrAuth), errors.Is(err, x.ErrAuth), errors.Is(err, awsjson.ErrAuth):
		return ExitAuth
	case errors.Is(err, catalog.ErrUnavailable), errors.Is(err, x.ErrUnavailable), errors.Is(err, awsjson.ErrUnavailable),
		errors.Is(err, x.ErrTransient), errors.Is(err, x.ErrRateLimited), errors.As(err, new(*webhook.PollError)):
		return ExitUpstream
	}
	return ExitFailure
}
