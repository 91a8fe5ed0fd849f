package schedule

import (
	"fmt"

	"github.com/reinvent-cli/reinvent/pkg/catalog"
)

// CheckCodes returns the error of the first of codes that is not a session
// code (catalog.ParseCode), an ExactMark at its end allowed, or nil.
func CheckCodes(codes []string) error {
	for _, c := range codes {
		code, _ := CutExact(c)
		if _, err := catalog.ParseCode(code); err != nil {
			return err
		}
	}
	return nil
}

// Check says what is wrong with o, in the words of schedule's flags
// (docs/cli/reinvent_schedule.md), or returns nil.
func (o Options) Check() error {
	switch {
	case o.Buffer < 0:
		return fmt.Errorf("--buffer must not be negative, got %v", o.Buffer)
	case o.UnknownTravel < 0:
		return fmt.Errorf("--unknown-travel must not be negative, got %v", o.UnknownTravel)
	case o.TimeLimit <= 0:
		return fmt.Errorf("--time-limit must be positive, got %v", o.TimeLimit)
	}
	return nil
}
