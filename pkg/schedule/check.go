package schedule

import "github.com/reinvent-cli/reinvent/pkg/catalog"

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
