package settings

import (
	"errors"
	"fmt"
)

// ErrUsage is the class of the errors of a command line or configuration
// that cannot work as it is set: exit 2 (docs/configuration.md, "Exit
// codes"). Usage and Usagef mark an error as one.
var ErrUsage = errors.New("the command line or the configuration cannot work as set")

// usageError is an error marked as ErrUsage, with its own text.
type usageError struct{ err error }

func (e usageError) Error() string   { return e.err.Error() }
func (e usageError) Unwrap() []error { return []error{e.err, ErrUsage} }

// Usage marks err as ErrUsage, keeping its text; nil stays nil.
func Usage(err error) error {
	if err == nil {
		return nil
	}
	return usageError{err}
}

// Usagef is Usage of fmt.Errorf(format, args...).
func Usagef(format string, args ...any) error { return Usage(fmt.Errorf(format, args...)) }
