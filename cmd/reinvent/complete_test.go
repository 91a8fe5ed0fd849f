package main

import (
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/reinvent-cli/reinvent/internal/catalogtest"
	"github.com/reinvent-cli/reinvent/pkg/catalog"
	"github.com/reinvent-cli/reinvent/pkg/catalog/cached"
)

// TestCompletionFromTheBinary: the built binary completes session codes
// from the store's catalog cache, with their titles and no escape
// sequences, and never touches the network, even with a stale copy; the
// completion scripts of bash, zsh and fish are written.
func TestCompletionFromTheBinary(t *testing.T) {
	var hits atomic.Int32
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		t.Errorf("completion sent a request: %s %s", r.Method, r.URL)
		http.Error(w, `{"message":"no"}`, http.StatusInternalServerError)
	}))
	t.Cleanup(api.Close)
	db := filepath.Join(t.TempDir(), "reinvent.db")
	sessions := []catalog.Session{
		catalogtest.Session(catalog.Session{SessionID: "1", Code: "SVS401", Title: "Serverless at scale", Venue: "Venetian"}),
		catalogtest.Session(catalog.Session{SessionID: "2", Code: "SVS401-R1", Title: "Serverless at scale", Venue: "Wynn"}),
		catalogtest.Session(catalog.Session{SessionID: "3", Code: "SVS310", Title: evilTitle, Venue: "Venetian"}),
		catalogtest.Session(catalog.Session{SessionID: "4", Code: "ARC302", Title: "Static stability", Venue: "Wynn"}),
	}
	// Fetched a month ago: far older than max-age, and still all completion reads.
	stale := &catalog.Catalog{Source: "events-api", Event: "reinvent2026", FetchedAt: time.Now().AddDate(0, -1, 0), Sessions: sessions}
	if err := cached.Beside(db).Put("events-api", "reinvent2026", "", stale); err != nil {
		t.Fatal(err)
	}
	out, errOut, code := run(t, "__complete", "schedule", "--source", "events-api", "--events-api-url", api.URL, "--db", db, "SV")
	want := "SVS310\tEvil RED title\nSVS401\tServerless at scale\nSVS401-R1\tServerless at scale\n:4\n"
	if code != 0 || out != want {
		t.Errorf("exit %d, got %q, want %q\n%s", code, out, want, errOut)
	}
	noEscapes(t, "completion", out)
	if out, _, _ := run(t, "__complete", "show", "--source", "events-api", "--events-api-url", api.URL, "--db", db, "--format", ""); out != "text\njson\n:4\n" {
		t.Errorf("show --format: %q", out)
	}
	if hits.Load() != 0 {
		t.Errorf("%d requests", hits.Load())
	}
	for _, shell := range []string{"bash", "zsh", "fish"} {
		if out, errOut, code := run(t, "completion", shell); code != 0 || !strings.Contains(out, "__complete") {
			t.Errorf("completion %s: exit %d: %s", shell, code, errOut)
		}
	}
}

// TestMistypedSubcommand: a mistyped subcommand of a group exits 2 with
// one line naming the closest subcommand.
func TestMistypedSubcommand(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"x", "webhoks"}, `reinvent: unknown command "webhoks" for "reinvent x" (did you mean webhooks?); run 'reinvent x --help' for the list of commands` + "\n"},
		{[]string{"x", "webhooks", "ad"}, `reinvent: unknown command "ad" for "reinvent x webhooks" (did you mean add?); run 'reinvent x webhooks --help' for the list of commands` + "\n"},
	} {
		if out, errOut, code := run(t, c.args...); code != 2 || errOut != c.want || out != "" {
			t.Errorf("%v: exit %d, stderr %q, stdout %q; want %q", c.args, code, errOut, out, c.want)
		}
	}
}
