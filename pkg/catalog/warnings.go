package catalog

import (
	"fmt"
	"io"
)

// MaxWarnings is how many of a fetch's warnings WriteWarnings writes one by
// one.
const MaxWarnings = 10

// WriteWarnings says which sessions the source named name could read only
// in part, or not at all: one line with the count, then one line each, at
// most MaxWarnings of them. It returns the warnings it did not write, for
// a debug log. It writes nothing when the fetch had no warnings.
func (c *Catalog) WriteWarnings(w io.Writer, name string) (rest []string) {
	if len(c.Warnings) == 0 {
		return nil
	}
	partly, out := 0, c.LeftOut
	for i := range c.Sessions {
		if len(c.Sessions[i].Unreadable) > 0 {
			partly++
		}
	}
	head := "warning: " + name + ":"
	if partly+out > 0 {
		head += fmt.Sprintf(" %d of %d sessions could not be read in full", partly+out, len(c.Sessions)+out)
		if out > 0 {
			head += fmt.Sprintf(" (%d without a code or not a session were left out)", out)
		}
		head += "; a field that could not be read is left empty, a time that could not be read means not scheduled:"
	}
	fmt.Fprintln(w, head)
	for _, line := range c.Warnings[:min(len(c.Warnings), MaxWarnings)] {
		fmt.Fprintf(w, "  %s\n", line)
	}
	if rest = c.Warnings[min(len(c.Warnings), MaxWarnings):]; len(rest) > 0 {
		fmt.Fprintf(w, "  … and %d more (--log-level debug lists them all)\n", len(rest))
	}
	return rest
}
