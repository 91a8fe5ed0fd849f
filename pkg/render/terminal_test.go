package render

import (
	"bytes"
	"testing"
)

// TestTerminalWidth: off a terminal the table follows $COLUMNS when it is
// a positive number, else the default width (0).
func TestTerminalWidth(t *testing.T) {
	for _, tt := range []struct {
		columns string
		want    int
	}{{"132", 132}, {" 90 ", 90}, {"", 0}, {"wide", 0}, {"-5", 0}, {"0", 0}} {
		env := func(k string) string {
			if k == "COLUMNS" {
				return tt.columns
			}
			return ""
		}
		if got := TerminalWidth(&bytes.Buffer{}, false, env); got != tt.want {
			t.Errorf("COLUMNS=%q: width %d, want %d", tt.columns, got, tt.want)
		}
	}
	// A "terminal" that is not a file falls back to $COLUMNS too.
	if got := TerminalWidth(&bytes.Buffer{}, true, func(string) string { return "100" }); got != 100 {
		t.Errorf("tty without a file descriptor: width %d, want 100", got)
	}
}

// TestProgress: the counter redraws one line and erases it when done;
// a hidden one (nil) draws nothing, and one never updated erases nothing.
func TestProgress(t *testing.T) {
	var b bytes.Buffer
	p := NewProgress(&b, "fetching sample", true)
	p.Update(5, 0)
	p.Update(10, 20)
	p.Done()
	if want := "\r\033[Kfetching sample: 5 sessions\r\033[Kfetching sample: 10 of 20 sessions\r\033[K"; b.String() != want {
		t.Errorf("drawn %q, want %q", b.String(), want)
	}
	b.Reset()
	hidden := NewProgress(&b, "x", false)
	hidden.Update(1, 2)
	hidden.Done()
	NewProgress(&b, "x", true).Done()
	if b.Len() != 0 {
		t.Errorf("hidden or unused progress drew %q", b.String())
	}
}
