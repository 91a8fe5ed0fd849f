package cli

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/spf13/cobra"

	"github.com/reinvent-cli/reinvent/internal/catalogtest"
	"github.com/reinvent-cli/reinvent/internal/testenv"
	"github.com/reinvent-cli/reinvent/pkg/catalog"
	"github.com/reinvent-cli/reinvent/pkg/catalog/cached"
	"github.com/reinvent-cli/reinvent/pkg/schedule"
)

// TestGroupsSuggestTheirSubcommands: a mistyped subcommand of a command
// group exits 2 with one line naming the closest subcommand, as a
// mistyped top-level command does; a word close to nothing gets no guess.
func TestGroupsSuggestTheirSubcommands(t *testing.T) {
	for _, c := range []struct {
		args   []string
		want   string
		noHint bool
	}{
		{args: []string{"x", "webhoks"}, want: `unknown command "webhoks" for "reinvent x" (did you mean webhooks?); run 'reinvent x --help' for the list of commands`},
		{args: []string{"x", "subscrbe"}, want: `unknown command "subscrbe" for "reinvent x" (did you mean subscribe?)`},
		{args: []string{"x", "webhooks", "lsit"}, want: `unknown command "lsit" for "reinvent x webhooks" (did you mean list?)`},
		{args: []string{"x", "webhooks", "zzzzzz"}, want: `unknown command "zzzzzz" for "reinvent x webhooks"; run`, noHint: true},
	} {
		t.Run(strings.Join(c.args, " "), func(t *testing.T) {
			testenv.Isolate(t)
			_, _, err := runCLI(t, c.args...)
			if ExitCode(err) != ExitUsage || !strings.Contains(err.Error(), c.want) || strings.Contains(err.Error(), "\n") {
				t.Errorf("exit %d, %v; want one line with %q", ExitCode(err), err, c.want)
			}
			if c.noHint && err != nil && strings.Contains(err.Error(), "did you mean") {
				t.Errorf("a guess at nothing close: %v", err)
			}
		})
	}
}

// complete runs reinvent __complete with args (the last is the word being
// typed) and returns the values offered, each with its description after
// a tab, and the directive cobra ends with.
func complete(t *testing.T, args ...string) (values []string, directive string) {
	t.Helper()
	out, errOut, err := runCLI(t, append([]string{cobra.ShellCompRequestCmd}, args...)...)
	if err != nil {
		t.Fatalf("__complete %v: %v\n%s", args, err, errOut)
	}
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	return lines[:len(lines)-1], lines[len(lines)-1]
}

// valuesOf are the values of completions, without their descriptions.
func valuesOf(completions []string) []string {
	var out []string
	for _, c := range completions {
		v, _, _ := strings.Cut(c, "\t")
		out = append(out, v)
	}
	return out
}

// TestCompleteFormatOfEveryCommand: every command with --format completes
// exactly the formats it accepts, as its refusal of another value lists
// them.
func TestCompleteFormatOfEveryCommand(t *testing.T) {
	testenv.Isolate(t)
	seen := 0
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		for _, sub := range c.Commands() {
			walk(sub)
		}
		if c.Flags().Lookup("format") == nil {
			return
		}
		seen++
		path := strings.Fields(c.CommandPath())[1:]
		got, directive := complete(t, append(path, "--format", "")...)
		refuse := append(path, "--source", "sample", "--format", "bogus")
		if c.Args == nil || c.Args(c, []string{"SVS401"}) == nil {
			refuse = append(refuse, "SVS401")
		}
		_, _, err := runCLI(t, refuse...)
		want := ""
		if err != nil {
			_, want, _ = strings.Cut(err.Error(), `unknown --format "bogus": use `)
		}
		if ExitCode(err) != ExitUsage || strings.Join(got, ", ") != want || directive != ":4" {
			t.Errorf("%s: completes %q (%s); refuses bogus with %v", c.CommandPath(), got, directive, err)
		}
		if got, _ := complete(t, append(path, "--format", "j")...); !slices.Equal(got, []string{"json"}) {
			t.Errorf("%s --format j: %q", c.CommandPath(), got)
		}
	}
	walk(NewRootCmd(newFactory(&IOStreams{}, "test")))
	if seen < 7 {
		t.Errorf("%d commands with --format; want download, schedule, search, show, reserve, follow, watch", seen)
	}
}

// catalogInCache puts a small catalog in the catalog cache of a store in
// a new directory as the Events API's copy of reinvent2026, and returns the
// store's path: SVS401 and its repeat, ARC302 at Wynn, a title with an
// escape sequence, and an embargoed session.
func catalogInCache(t *testing.T) string {
	t.Helper()
	db := filepath.Join(t.TempDir(), "reinvent.db")
	s := func(id, code, title, venue string, day, level int, tracks ...string) catalog.Session {
		return catalogtest.Session(catalog.Session{SessionID: id, Code: code, Title: title, Venue: venue,
			Start: catalogtest.At(day, 10), Level: level, Tracks: tracks})
	}
	sessions := []catalog.Session{
		s("1", "SVS401", "Serverless at scale", "Venetian", 1, 400, "Serverless"),
		s("2", "SVS401-R1", "Serverless at scale", "MGM Grand", 2, 400, "Serverless"),
		s("3", "ARC302", "Static stability", "Wynn", 1, 300, "Architecture"),
		s("4", "SVS310", "Evil \x1b[31mRED\x1b[0m title\x1b]0;pwned\x07", "Venetian", 3, 300, "Serverless"),
		s("5", "SVS999", "Not yet announced", "Venetian", 3, 200, "Secret"),
	}
	sessions[4].Embargoed = true
	if err := cached.Beside(db).Put("events-api", "reinvent2026", "", &catalog.Catalog{Source: "events-api", Event: "reinvent2026", FetchedAt: time.Now(), Sessions: sessions}); err != nil {
		t.Fatal(err)
	}
	return db
}

// refuseRequests is the URL of a server that fails the test on any
// request: completion must never touch the network.
func refuseRequests(t *testing.T) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		t.Errorf("completion sent a request: %s %s", r.Method, r.URL)
		http.Error(w, "no", http.StatusTeapot)
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

// TestCompleteCodesFromTheCache: the commands that take codes complete
// them from the store's catalog cache, with their titles cleaned, leaving
// out embargoed sessions and codes already given, after the last comma of
// a comma list; the store, the source and the event come from flags, the
// environment or the config file; nothing is fetched; with no cache there
// is nothing to offer.
func TestCompleteCodesFromTheCache(t *testing.T) {
	dir := testenv.Isolate(t)
	db := catalogInCache(t)
	api := refuseRequests(t)
	for _, cmd := range []string{"schedule", "reserve", "favorite", "cancel", "show", "follow"} {
		got, directive := complete(t, cmd, "--source", "events-api", "--events-api-url", api, "--db", db, "SV")
		want := []string{"SVS310\tEvil RED title", "SVS401\tServerless at scale", "SVS401-R1\tServerless at scale"}
		if !slices.Equal(got, want) || directive != ":4" {
			t.Errorf("%s SV: %q %s; want %q", cmd, got, directive, want)
		}
	}
	if got, _ := complete(t, "schedule", "--source", "events-api", "--events-api-url", api, "--db", db, "SVS401", "arc302,svs4"); !slices.Equal(valuesOf(got), []string{"arc302,SVS401-R1"}) {
		t.Errorf("after SVS401 and in a comma list: %q", got)
	}
	if got, _ := complete(t, "search", "--source", "events-api", "--events-api-url", api, "--db", db, "--fits", "A"); !slices.Equal(valuesOf(got), []string{"ARC302"}) {
		t.Errorf("search --fits A: %q", got)
	}

	// The same store and source from the environment, then the config file.
	t.Setenv("REINVENT_DB", db)
	t.Setenv("REINVENT_SOURCE", "events-api")
	t.Setenv("REINVENT_EVENTS_API_URL", api)
	if got, _ := complete(t, "show", "A"); !slices.Equal(valuesOf(got), []string{"ARC302"}) {
		t.Errorf("from the environment: %q", got)
	}
	t.Setenv("REINVENT_DB", "")
	t.Setenv("REINVENT_SOURCE", "")
	writeConfig(t, dir, "db: "+db+"\nsource: events-api\n")
	if got, _ := complete(t, "show", "A"); !slices.Equal(valuesOf(got), []string{"ARC302"}) {
		t.Errorf("from the config file: %q", got)
	}
	// Another event has no copy; neither has another store.
	if got, _ := complete(t, "show", "--event", "reinvent2025", "A"); len(got) != 0 {
		t.Errorf("another event: %q", got)
	}
	if got, directive := complete(t, "show", "--db", filepath.Join(t.TempDir(), "none.db"), ""); len(got) != 0 || directive != ":4" {
		t.Errorf("no cache: %q %s", got, directive)
	}
	// The embedded sample needs no cache.
	if got, _ := complete(t, "schedule", "--source", "sample", "SVS40"); !slices.Equal(valuesOf(got), []string{"SVS401", "SVS401-R", "SVS401-R1"}) {
		t.Errorf("the sample: %q", got)
	}
}

// TestCompleteSearchFilters: --day, --venue, --track and --level complete
// from the cached catalog (weekdays it has sessions on, its dates, venues,
// tracks and levels), after the last comma; with no catalog, the weekdays,
// the travel table's venues and levels 100 to 400.
func TestCompleteSearchFilters(t *testing.T) {
	testenv.Isolate(t)
	db := catalogInCache(t)
	api := refuseRequests(t)
	flags := []string{"search", "--source", "events-api", "--events-api-url", api, "--db", db}
	for _, c := range []struct {
		flag, typed string
		want        []string
	}{
		{"--day", "", []string{"tue\tTuesday, December 1", "wed\tWednesday, December 2", "thu\tThursday, December 3", "2026-12-01\tTuesday", "2026-12-02\tWednesday", "2026-12-03\tThursday"}},
		{"--day", "tue,W", []string{"tue,wed\tWednesday, December 2"}},
		{"--venue", "", []string{"MGM Grand", "Venetian", "Wynn"}},
		{"--venue", "v", []string{"Venetian"}},
		{"--track", "", []string{"Architecture", "Serverless"}},
		{"--level", "", []string{"300", "400"}},
	} {
		if got, directive := complete(t, append(flags, c.flag, c.typed)...); !slices.Equal(got, c.want) || directive != ":4" {
			t.Errorf("%s %q: %q %s; want %q", c.flag, c.typed, got, directive, c.want)
		}
	}
	none := []string{"search", "--db", filepath.Join(t.TempDir(), "none.db")}
	if got, _ := complete(t, append(none, "--day", "")...); !slices.Equal(valuesOf(got), []string{"mon", "tue", "wed", "thu", "fri"}) {
		t.Errorf("--day with no catalog: %q", got)
	}
	if got, _ := complete(t, append(none, "--venue", "")...); !slices.Equal(got, schedule.Builtin().Venues()) {
		t.Errorf("--venue with no catalog: %q", got)
	}
	if got, _ := complete(t, append(none, "--level", "")...); !slices.Equal(got, []string{"100", "200", "300", "400"}) {
		t.Errorf("--level with no catalog: %q", got)
	}
	if got, _ := complete(t, append(none, "--track", "")...); len(got) != 0 {
		t.Errorf("--track with no catalog: %q", got)
	}
}

// TestCompleteSource: --source completes the named sources and the .json
// and .csv files and directories that begin with what is typed.
func TestCompleteSource(t *testing.T) {
	testenv.Isolate(t)
	dir := t.TempDir()
	for _, name := range []string{"sessions.json", "starred.csv", "notes.txt", ".hidden.json"} {
		if err := os.WriteFile(filepath.Join(dir, name), nil, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Mkdir(filepath.Join(dir, "sub"), 0o700); err != nil {
		t.Fatal(err)
	}
	if got, directive := complete(t, "schedule", "--source", "s"); !slices.Equal(valuesOf(got), []string{"sample"}) || directive != ":4" {
		t.Errorf("--source s: %q %s", got, directive)
	}
	got, directive := complete(t, "download", "--source", dir+"/")
	want := []string{dir + "/sessions.json", dir + "/starred.csv", dir + "/sub/"}
	if !slices.Equal(got, want) || directive != ":6" {
		t.Errorf("--source %s/: %q %s; want %q", dir, got, directive, want)
	}
}
