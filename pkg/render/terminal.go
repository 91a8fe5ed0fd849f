package render

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"golang.org/x/term"
)

// TerminalWidth is the width a table is laid out for on out: the
// terminal's when out is one (tty), else $COLUMNS (read with getenv) when
// it is a positive number, else 0, which means DefaultWidth.
func TerminalWidth(out io.Writer, tty bool, getenv func(string) string) int {
	if tty {
		if f, ok := out.(interface{ Fd() uintptr }); ok {
			if w, _, err := term.GetSize(int(f.Fd())); err == nil && w > 0 {
				return w
			}
		}
	}
	if c, err := strconv.Atoi(strings.TrimSpace(getenv("COLUMNS"))); err == nil && c > 0 {
		return c
	}
	return 0
}

// Progress draws a one-line counter on a terminal and erases it when done.
// A nil *Progress draws nothing, so callers need not check.
type Progress struct {
	w     io.Writer
	label string
	drawn bool
}

// NewProgress returns a counter labelled label on w, or nil when show is
// false (w is not a terminal, or logs are JSON).
func NewProgress(w io.Writer, label string, show bool) *Progress {
	if !show {
		return nil
	}
	return &Progress{w: w, label: label}
}

// Update is a catalog.FetchOptions.Progress function.
func (p *Progress) Update(done, total int) {
	if p == nil {
		return
	}
	p.drawn = true
	if total > 0 {
		fmt.Fprintf(p.w, "\r\033[K%s: %d of %d sessions", p.label, done, total)
	} else {
		fmt.Fprintf(p.w, "\r\033[K%s: %d sessions", p.label, done)
	}
}

// Done erases the counter.
func (p *Progress) Done() {
	if p == nil || !p.drawn {
		return
	}
	fmt.Fprint(p.w, "\r\033[K")
}
