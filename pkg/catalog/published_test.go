package catalog

import "testing"

// TestPublished: a download leaves out embargoed sessions, and with
// --starred every session not starred; the order is kept.
func TestPublished(t *testing.T) {
	all := func() []Session {
		return []Session{
			{Code: "A1", Starred: true}, {Code: "B1"}, {Code: "C1", Starred: true, Embargoed: true}, {Code: "D1", Starred: true},
		}
	}
	codes := func(ss []Session) (out string) {
		for _, s := range ss {
			out += s.Code + " "
		}
		return out
	}
	if got := codes(Published(all(), false)); got != "A1 B1 D1 " {
		t.Errorf("all: %q, want A1 B1 D1", got)
	}
	if got := codes(Published(all(), true)); got != "A1 D1 " {
		t.Errorf("starred: %q, want A1 D1", got)
	}
}

// TestFileFormat: the extension names the format, in any case.
func TestFileFormat(t *testing.T) {
	for path, want := range map[string]string{"s.json": "json", "dir/S.CSV": "csv", "s.txt": "", "json": "", "": ""} {
		if got := FileFormat(path); got != want {
			t.Errorf("FileFormat(%q) = %q, want %q", path, got, want)
		}
	}
}
