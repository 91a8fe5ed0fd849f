package cli

import (
	"fmt"
	"io"
)

// progress draws a one-line counter on a terminal and erases it when done.
// A nil *progress draws nothing, so callers need not check.
type progress struct {
	w     io.Writer
	label string
	drawn bool
}

func newProgress(f *Factory, label string) *progress {
	if !f.showProgress() {
		return nil
	}
	return &progress{w: f.IO.ErrOut, label: label}
}

// update is a catalog.FetchOptions.Progress function.
func (p *progress) update(done, total int) {
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

// done erases the counter.
func (p *progress) done() {
	if p == nil || !p.drawn {
		return
	}
	fmt.Fprint(p.w, "\r\033[K")
}
