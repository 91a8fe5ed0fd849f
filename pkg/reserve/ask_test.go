package reserve

import (
	"bytes"
	"strings"
	"testing"

	"github.com/reinvent-cli/reinvent/internal/catalogtest"
	"github.com/reinvent-cli/reinvent/internal/testenv"
	"github.com/reinvent-cli/reinvent/pkg/catalog"
)

// TestAsk: the prompt lists what is about to be reserved, its titles
// cleaned of control sequences, and only y or yes says yes.
func TestAsk(t *testing.T) {
	s := catalogtest.Session(catalog.Session{Code: "SVS401", Venue: "Venetian", Title: "Serverless \x1b[31mdeep\x1b[0m dive"})
	for answer, want := range map[string]bool{"y\n": true, "YES\n": true, " yes ": true, "n\n": false, "\n": false, "": false, "yep\n": false} {
		var out bytes.Buffer
		got := Ask(strings.NewReader(answer), &out, testenv.Vegas)([]catalog.Session{s})
		if got != want {
			t.Errorf("answer %q: %v, want %v", answer, got, want)
		}
		text := out.String()
		if !strings.HasPrefix(text, "About to reserve 1 sessions:\n  SVS401       Mon 10:00 Venetian  ") ||
			!strings.HasSuffix(text, "Reserve them? [y/N] ") || strings.Contains(text, "\x1b") {
			t.Errorf("prompt %q", text)
		}
	}
}
