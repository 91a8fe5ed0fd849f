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
		{"\x1b]8;;https://evil.example/\x1b\\click\x1b]8;;\x1b\\", "click", "click"},
		{"\x1b[2Jcleared", "cleared", "cleared"},
		{"Evil \x1b[31mRED\x1b[0m title\x1b]0;pwned\x07", "Evil RED title", "Evil RED title"},
		// 8-bit introducers, as UTF-8 runes: CSI, OSC to ST, DCS, APC.
		{"a\u009b1;31mb\u009d0;t\u009cc", "abc", "abc"},
		{"a\u0090qpayload\x1b\\b\u009fapc\x07c", "abc", "abc"},
		// SOS and PM strings, a DCS (sixel) to BEL, a string over lines.
		{"a\x1bXsos text\x1b\\b\x1b^pm\x07c\x1bPq#0;2;0;0;0\x07d", "abcd", "abcd"},
		{"one\x1b]0;x\ny\x07\ntwo", "one\ntwo", "one two"},
		// Other ESC sequences: charset (ESC ( B), DECALN (ESC # 8),
		// save cursor (ESC 7), reset (ESC c), a stray ST.
		{"a\x1b(Bb\x1b#8c\x1b7d\x1bce\x1b\\f", "abcdef", "abcdef"},
		// CSI with private parameters and intermediate bytes.
		{"x\x1b[?25ly\x1b[1 qz\x1b[38;2;255;0;0mw", "xyzw", "xyzw"},
		// Unfinished: only the introducer goes, the rest is text.
		{"cut \x1b[31", "cut 31", "cut 31"},
		{"title\x1b]0;no end, and the abstract goes on", "title0;no end, and the abstract goes on", "title0;no end, and the abstract goes on"},
		{"broken \x1b[3é", "broken 3é", "broken 3é"},
		{"esc at end\x1b", "esc at end", "esc at end"},
		{"esc then tab\x1b\tx", "esc then tab\tx", "esc then tab x"},
		{"lone\u009b", "lone", "lone"},
		{"\x1b]0;" + strings.Repeat("x", maxSequence) + "\x07tail", "0;" + strings.Repeat("x", maxSequence) + "tail", "0;" + strings.Repeat("x", maxSequence) + "tail"},
		{"\x1b]0;" + strings.Repeat("x", maxSequence-6) + "\x07tail", "tail", "tail"},
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
	if s.Title != "Title with break" || s.Abstract != "Line 1\nLine 2" || s.Room != "Level 1 | Latour" {
		t.Errorf("title %q abstract %q room %q", s.Title, s.Abstract, s.Room)
	}
	if len(s.Tracks) != 2 || s.Tracks[1] != "red" {
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
	for _, s := range []string{
		"Evil \x1b[31mRED\x1b[0m title\x1b]0;pwned\x07", "\x1b]8;;https://e.example/\x1b\\link\x1b]8;;\x1b\\",
		"\u009b31m\u009d0;t\u009c\u0090q\x1b\\\u0098s\u009c\u009ep\x07\u009fa\x07", "\x1bPq#0\x1b\\\x1bXs\x07\x1b^p\x07\x1b_a\x1b\\",
		"\x1b(B\x1b#8\x1b7\x1bc\x1b[?25l\x1b[1 q", "\x1b[31", "\x1b]0;unterminated", "\x1b", "\x1b\x1b[", "\xc2", "\x1b[3\xff",
	} {
		f.Add(s)
	}
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
		// A sequence begun in s takes at most one character of the
		// text after it (a final byte), however s ends.
		tail := strings.Repeat("x", maxSequence+10)
		if got := CleanText(s + tail); !strings.HasSuffix(got, tail[1:]) {
			t.Fatalf("%q swallows the text after it: %q", s, got)
		}
		// Text without ESC or a C1 control loses only what unsafeRune says.
		if !strings.ContainsRune(s, 0x1b) && !strings.ContainsFunc(s, func(r rune) bool { return r >= 0x80 && r <= 0x9f }) {
			if got, want := CleanText(s), runeClean(s); got != want {
				t.Fatalf("CleanText(%q) = %q, want %q", s, got, want)
			}
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

// runeClean is CleanText for text with no escape sequence, rune by rune.
// Each byte that is not UTF-8 becomes U+FFFD.
func runeClean(s string) string {
	var b strings.Builder
	for _, r := range s {
		if !unsafeRune(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}
