package catalog

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestClean(t *testing.T) {
	for _, c := range []struct{ in, text, line string }{
		{"plain ASCII", "plain ASCII", "plain ASCII"},
		{"Déjà vu – café ’24", "Déjà vu – café ’24", "Déjà vu – café ’24"},
		{"a\tb\nc", "a\tb\nc", "a b c"},
		{"\x1b]8;;https://evil.example/\x1b\\click\x1b]8;;\x1b\\", "]8;;https://evil.example/\\click]8;;\\", "]8;;https://evil.example/\\click]8;;\\"},
		{"\x1b[2Jcleared", "[2Jcleared", "[2Jcleared"},
		{"abc\u202edcba", "abcdcba", "abcdcba"},
		{"\u2066iso\u2069 \u202aemb\u202c", "iso emb", "iso emb"},
		{"zero\u200bwidth\ufeff", "zerowidth", "zerowidth"},
		{"para\u2028graph\u2029", "paragraph", "paragraph"},
		{"del\x7f c1\u0085\u009b", "del c1", "del c1"},
		{"cr\r\nlf", "cr\nlf", "cr lf"},
		{"bad \x9b byte", "bad \ufffd byte", "bad \ufffd byte"},
		{"👩\u200d💻 and क्\u200dष", "👩\u200d💻 and क्\u200dष", "👩\u200d💻 and क्\u200dष"},
		{"ZWNJ می\u200cخواهم", "ZWNJ می\u200cخواهم", "ZWNJ می\u200cخواهم"},
		{"", "", ""},
	} {
		if got := CleanText(c.in); got != c.text {
			t.Errorf("CleanText(%q) = %q, want %q", c.in, got, c.text)
		}
		if got := CleanLine(c.in); got != c.line {
			t.Errorf("CleanLine(%q) = %q, want %q", c.in, got, c.line)
		}
	}
}

// TestNormalizeCleans checks that every text field of a session is cleaned,
// and that the caller's lists are not changed.
func TestNormalizeCleans(t *testing.T) {
	tracks := []string{"ok", "\x1b[31mred", "\x07"}
	s := Session{
		Code: "ARC302", Title: "Title\nwith \x1b[2Jbreak", Abstract: "Line 1\nLine 2\x1b]0;pwned\x07",
		Venue: "Venetian\u202e", Room: "Level 1\r\n| Latour", Type: "\x1bBreakout", Status: "\x00ok",
		SessionID: "id\x1b", SeatAvailability: "limited\x1b", Tracks: tracks,
	}
	s.Normalize(nil)
	for name, v := range map[string]string{"title": s.Title, "abstract": s.Abstract, "venue": s.Venue, "room": s.Room,
		"type": s.Type, "status": s.Status, "session_id": s.SessionID, "seat_availability": s.SeatAvailability,
		"tracks": strings.Join(s.Tracks, ";")} {
		if strings.ContainsAny(v, "\x1b\x07\x00\r\u202e") {
			t.Errorf("%s keeps a control character: %q", name, v)
		}
	}
	if s.Title != "Title with [2Jbreak" || s.Abstract != "Line 1\nLine 2]0;pwned" || s.Room != "Level 1 | Latour" {
		t.Errorf("title %q abstract %q room %q", s.Title, s.Abstract, s.Room)
	}
	if len(s.Tracks) != 2 || s.Tracks[1] != "[31mred" {
		t.Errorf("tracks %q", s.Tracks)
	}
	if tracks[1] != "\x1b[31mred" {
		t.Errorf("Normalize changed the caller's list: %q", tracks)
	}
}

func FuzzCleanLine(f *testing.F) {
	for _, s := range []string{"plain", "a\x1b[2Jb", "\u202e", "\xff\xfe", "👩\u200d💻", "a\nb\tc"} {
		f.Add(s)
	}
	f.Add("0123456789abcdef\x1fxyz")
	f.Add("printable ascii then ~\x7f")
	f.Fuzz(func(t *testing.T, s string) {
		for _, line := range []bool{false, true} {
			if got, want := isPlain(s, line), slowPlain(s, line); got != want {
				t.Fatalf("isPlain(%q, %v) = %v, want %v", s, line, got, want)
			}
		}
		for _, got := range []string{CleanLine(s), CleanText(s)} {
			if !utf8.ValidString(got) {
				t.Fatalf("%q is not UTF-8", got)
			}
			for _, r := range got {
				if unsafeRune(r) {
					t.Fatalf("%q keeps %U", got, r)
				}
			}
			if CleanText(got) != got {
				t.Fatalf("not idempotent on %q", got)
			}
		}
		if strings.ContainsAny(CleanLine(s), "\n\t") {
			t.Fatalf("line %q keeps a break", CleanLine(s))
		}
	})
}

// slowPlain is isPlain rune by rune, as the rule reads.
func slowPlain(s string, line bool) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if unsafeRune(r) || line && (r == '\t' || r == '\n') {
			return false
		}
	}
	return true
}
