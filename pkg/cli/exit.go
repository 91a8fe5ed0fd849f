package cli

import (
	"errors"
	"fmt"
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

// usageErrorf returns an error that exits 2: the command line or the
// configuration asked for something that cannot work.
func usageErrorf(format string, args ...any) error {
	return &ExitError{Code: ExitUsage, Err: fmt.Errorf(format, args...)}
}

// ExitCode returns the exit code for err: the code of the outermost
// ExitError in its chain, else 1 for any other error, 0 for nil.
func ExitCode(err error) int {
	if err == nil {
		return ExitOK
	}
	var ee *ExitError
	if errors.As(err, &ee) {
		return ee.Code
	}
	return ExitFailure
}
