package x

import (
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

func TestWeightedLength(t *testing.T) {
	for _, c := range []struct {
		name string
		in   string
		want int
	}{
		{"empty", "", 0},
		{"ascii", "Hello, re:Invent!", 17},
		{"latin accents", "Café Ünïcödé", 12},
		{"cyrillic up to U+10FF", "Привет", 6},
		{"CJK weighs 2", "日本語のテキスト", 16},
		{"hangul", "안녕하세요", 10},
		{"general punctuation weighs 1", "‘quoted’ — dash", 15},
		{"ellipsis weighs 2", "…", 2},
		{"bullet weighs 2", "•", 2},
		{"single emoji", "🚀", 2},
		{"emoji with presentation selector", "❤️", 2},
		{"text-style symbol is two code points", "☺︎", 4},
		{"skin tone", "👍🏽", 2},
		{"ZWJ family", "👨‍👩‍👧‍👦", 2},
		{"ZWJ with skin tones", "👩🏽‍💻", 2},
		{"rainbow flag", "🏳️‍🌈", 2},
		{"country flag", "🇺🇸", 2},
		{"two flags", "🇩🇪🇫🇷", 4},
		{"lone regional indicator", "🇺", 2},
		{"subdivision flag with tags", "🏴󠁧󠁢󠁳󠁣󠁴󠁿", 2},
		{"keycap", "1️⃣", 2},
		{"keycap without selector", "#⃣", 2},
		{"plain digits", "2026", 4},
		{"copyright with selector", "©️", 2},
		{"copyright alone", "©", 1},
		{"emoji between words", "go 🚀 now", 9},
		{"combining mark NFC", "e\u0301", 1},
		{"combining marks without precomposed form", "q\u0307\u0323", 3},
		{"https URL", "https://example.com/a/very/long/path/that/goes/on/and/on?x=1", 23},
		{"http URL in text", "see http://example.com now", 4 + 23 + 4},
		{"short URL still 23", "https://t.co/a", 23},
		{"upper-case scheme", "HTTPS://EXAMPLE.COM", 23},
		{"bare domain", "example.com", 23},
		{"bare domain with path", "go to aws.amazon.com/reinvent/ today", 6 + 23 + 6},
		{"bare ccTLD with path", "bit.ly/3abc", 23},
		{"bare ccTLD without path is text", "file.py", 7},
		{"three-label ccTLD", "bbc.co.uk", 23},
		{"unknown TLD is text", "config.yaml", 11},
		{"email is not a URL", "me@example.com", 14},
		{"trailing period not in URL", "https://example.com/x.", 24},
		{"unbalanced paren not in URL", "(https://example.com/x)", 25},
		{"balanced paren in URL", "https://en.wikipedia.org/wiki/Go_(language)", 23},
		{"two URLs", "https://a.com https://b.org", 47},
		{"URL then CJK", "https://example.com/日本", 27},
		{"hashtag is not a URL", "#reInvent.com", 13},
		{"no host after scheme", "https://", 8},
		{"invalid UTF-8", "a\xffb", 4},
		{"IDN host in Cyrillic", "https://пример.рф", 23},
		{"IDN host with a path", "see https://bücher.de/katalog?x=1 now", 4 + 23 + 4},
		{"IDN host in CJK, path stops at CJK", "https://例え.jp/テスト", 23 + 6},
		{"IDN label of 63 punycode characters", "https://" + strings.Repeat("ü", 56) + ".de", 23},
		{"IDN label over 63 punycode characters", "https://" + strings.Repeat("ü", 60) + ".de", 8 + 60 + 3},
		{"bare IDN host is text", "bücher.de", 9},
	} {
		if got := WeightedLength(c.in); got != c.want {
			t.Errorf("%s: WeightedLength(%q) = %d, want %d", c.name, c.in, got, c.want)
		}
	}
}

// TestWeightedLengthConformance holds cases of twitter-text's conformance
// suite (validate.yml, WeightedTweetsWithDiscountedEmojiCounterTest and
// urls_without_protocol), with the lengths it expects.
func TestWeightedLengthConformance(t *testing.T) {
	for _, c := range []struct {
		in   string
		want int
	}{
		{"Hi http://test.co", 26},
		{"http://test.co", 23},
		{"285 chars-" + strings.Repeat("xxxxxxxxxx-", 25), 285},
		{strings.Repeat("https://www.twitter.com/aloha ", 10), 240},
		{"H🐱☺👨‍👩‍👧‍👦", 7},
		{"😷👾😡🔥💩", 10},
		{"🙋🏽👨‍🎤", 4},
		{"1⃣", 2},
		{"Unicode 10.0 emoji: 🤪; 🧕; 🧕🏾; 🏴\U000e0067\U000e0062\U000e0065\U000e006e\U000e0067\U000e007f", 34},
		{"Unicode 9.0 emoji: 🤠; 💃; 💃🏾", 29},
		{strings.Repeat("randomurl", 7) + "s.com", 68},
		{"www.example.com", 23},
		{"t.co", 23},
		{"foo.co.jp", 23},
		{"example.com/path/to/resource?search=foo&lang=en", 23},
		{"A\u0301B", 2},
	} {
		if got := WeightedLength(c.in); got != c.want {
			t.Errorf("WeightedLength(%q) = %d, want %d", c.in, got, c.want)
		}
	}
}

func TestWeightedLengthNFCAndNFDAgree(t *testing.T) {
	for _, s := range []string{"Café crème brûlée", "Ångström", "한국어", "Ελληνικά ῷ", "ệ ẫ ở"} {
		nfc, nfd := norm.NFC.String(s), norm.NFD.String(s)
		if nfc == nfd {
			t.Errorf("%q: NFC and NFD are the same, the case proves nothing", s)
		}
		if a, b := WeightedLength(nfc), WeightedLength(nfd); a != b {
			t.Errorf("%q: NFC weighs %d, NFD %d", s, a, b)
		}
	}
}

func TestShorten(t *testing.T) {
	title := strings.Repeat("Building resilient serverless applications ", 7) // 301 characters
	for _, c := range []struct {
		name string
		in   string
		max  int
		want string
	}{
		{"fits", "short", 280, "short"},
		{"exactly fits", strings.Repeat("a", 280), 280, strings.Repeat("a", 280)},
		{"empty", "", 10, ""},
		{"cut with ellipsis", "abcdefghij", 5, "abc…"},
		{"trailing space dropped", "abc defgh", 6, "abc…"},
		{"CJK", "日本語のテキスト", 7, "日本…"},
		{"emoji kept whole", "ab👨‍👩‍👧‍👦cdef", 6, "ab👨‍👩‍👧‍👦…"},
		{"emoji dropped whole", "abc👨‍👩‍👧‍👦def", 6, "abc…"},
		{"flag kept whole", "a🇺🇸🇩🇪b", 5, "a🇺🇸…"},
		{"combining mark stays with letter", "abq\u0307\u0323x", 5, "ab…"},
		{"URL dropped whole", "read https://example.com/x and more text", 20, "read…"},
		{"URL kept whole", "https://example.com/x and more text here", 25, "https://example.com/x…"},
		{"too small for anything", "abcdef", 1, ""},
		{"only the ellipsis", "abcdef", 2, "…"},
		{"no room", "abc", 0, ""},
	} {
		got := Shorten(c.in, c.max)
		if got != c.want {
			t.Errorf("%s: Shorten(%q, %d) = %q, want %q", c.name, c.in, c.max, got, c.want)
		}
		if got != c.in && WeightedLength(got) > c.max {
			t.Errorf("%s: result weighs %d > %d", c.name, WeightedLength(got), c.max)
		}
	}
	got := Shorten(title, 100)
	if WeightedLength(got) > 100 || WeightedLength(got) < 98 || !strings.HasSuffix(got, "…") || !strings.HasPrefix(title, strings.TrimSuffix(got, "…")) {
		t.Errorf("Shorten(300-char title, 100) = %q (%d)", got, WeightedLength(got))
	}
}

// FuzzWeightedLength checks that WeightedLength never panics and is never
// negative, and that Shorten keeps its promises for every budget.
func FuzzWeightedLength(f *testing.F) {
	for _, s := range []string{
		"", "hello", "👨‍👩‍👧‍👦 family", "🇺🇸🇩🇪", "1️⃣2️⃣", "e\u0301\u0301", "https://example.com/a_(b)",
		"example.com/日本", "\u200d\u200d🚀", "🏴󠁧󠁢", "a\xff\xfe", strings.Repeat("日本 https://x.io/ab ", 20),
		"@a.com $b.com #c.com", "http://a-.com", "x.co.", "🏳️‍🌈️‍", "\ufe0f\u20e3",
	} {
		f.Add(s, 12)
	}
	f.Fuzz(func(t *testing.T, s string, n int) {
		w := WeightedLength(s)
		if w < 0 || (w == 0) != (s == "") {
			t.Fatalf("WeightedLength(%q) = %d", s, w)
		}
		// A code point weighs at most 2 and NFC at most triples it; a URL
		// of 23 has at least 4 code points ("t.co").
		if w > 6*utf8.RuneCountInString(s) {
			t.Fatalf("WeightedLength(%q) = %d is too much", s, w)
		}
		n = n%400 + 1
		if n < 1 {
			n += 400
		}
		got := Shorten(s, n)
		if WeightedLength(got) > n {
			t.Fatalf("Shorten(%q, %d) = %q weighs %d", s, n, got, WeightedLength(got))
		}
		if !strings.HasPrefix(s, strings.TrimSuffix(got, ellipsis)) {
			t.Fatalf("Shorten(%q, %d) = %q is not a prefix", s, n, got)
		}
		if w <= n && got != s {
			t.Fatalf("Shorten(%q, %d) = %q changed a text that fits", s, n, got)
		}
	})
}

// mixed is a 280-character post of ASCII, accents, CJK, emoji and a URL.
var mixed = func() string {
	s := "NEW #reInvent ARC302 – Café talk: “Serverless” at Venetian 🚀👩🏽‍💻🇺🇸 日本語 https://example.com/session/ARC302 "
	for utf8.RuneCountInString(s) < 280 {
		s += "Ünïcödé ok "
	}
	return string([]rune(s)[:280])
}()

func BenchmarkWeightedLength(b *testing.B) {
	b.SetBytes(int64(len(mixed)))
	for b.Loop() {
		WeightedLength(mixed)
	}
}

func BenchmarkShorten(b *testing.B) {
	title := strings.Repeat("Building resilient serverless applications 🚀 ", 7)
	for b.Loop() {
		Shorten(title, 200)
	}
}
