// Package testenv is what the tests share: the event's time zone, an
// isolated home, a runner for a cobra command tree, and the installation of
// the tools some tests need (deps.go).
//
// It is imported only by _test.go files, the test doubles under
// internal/fake and the generators under internal/tools, never by code that
// is built into the binary.
package testenv

import (
	"time"
	_ "time/tzdata" // Vegas loads on a machine without zoneinfo too
)

// Vegas is the event's zone, America/Los_Angeles, in which the sessions of
// the fixtures and fakes are timed.
var Vegas = func() *time.Location {
	loc, err := time.LoadLocation("America/Los_Angeles")
	if err != nil {
		panic(err)
	}
	return loc
}()
