package complete

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/reinvent-cli/reinvent/internal/catalogtest"
	"github.com/reinvent-cli/reinvent/pkg/catalog"
)

// TestCompleteSource: --source offers the named sources with what each is, then
// the .json and .csv files (any case of the extension) and directories of
// the directory typed that begin with what is typed after it; other files
// never, hidden ones only once a dot is typed; and asks the shell to add no
// space only when a directory is offered.
func TestCompleteSource(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"sessions.json", "starred.csv", "OLD.JSON", "notes.txt", ".hidden.json"} {
		if err := os.WriteFile(filepath.Join(dir, name), nil, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	for _, name := range []string{"sub", "sub.json", ".git"} {
		if err := os.Mkdir(filepath.Join(dir, name), 0o700); err != nil {
			t.Fatal(err)
		}
	}
	sep := string(filepath.Separator)
	in := dir + sep
	for _, c := range []struct {
		name, typed string
		want        []string
		noSpace     bool
	}{
		{"a directory", in, []string{in + "OLD.JSON", in + "sessions.json", in + "starred.csv", in + "sub" + sep, in + "sub.json" + sep}, true},
		{"files and a directory by prefix", in + "s", []string{in + "sessions.json", in + "starred.csv", in + "sub" + sep, in + "sub.json" + sep}, true},
		{"files only", in + "st", []string{in + "starred.csv"}, false},
		{"hidden once a dot is typed", in + ".", []string{in + ".git" + sep, in + ".hidden.json"}, true},
		{"not a catalog file", in + "n", nil, false},
		{"a directory that is not there", filepath.Join(dir, "none") + sep, nil, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, noSpace := Source(c.typed)
			if !slices.Equal(got, c.want) || noSpace != c.noSpace {
				t.Errorf("Source(%q) = %q, %v; want %q, %v", c.typed, got, noSpace, c.want, c.noSpace)
			}
		})
	}
}

// TestCompleteSourceNamed: with nothing or a little typed, the named sources come
// first, each with what it is, then what the working directory holds.
func TestCompleteSourceNamed(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	for _, name := range []string{"sessions.json", "plan.csv", "README"} {
		if err := os.WriteFile(filepath.Join(dir, name), nil, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range []struct {
		typed string
		want  []string
	}{
		{"", []string{"events-api\tthe AWS Events API (reinvent login)", "portal\tthe attendee portal", "sample\tthe embedded sample catalog, no account", "plan.csv", "sessions.json"}},
		{"s", []string{"sample\tthe embedded sample catalog, no account", "sessions.json"}},
		{"p", []string{"portal\tthe attendee portal", "plan.csv"}},
		{"events", []string{"events-api\tthe AWS Events API (reinvent login)"}},
		{"Sample", nil},
	} {
		if got, noSpace := Source(c.typed); !slices.Equal(got, c.want) || noSpace {
			t.Errorf("Source(%q) = %q, %v; want %q, false", c.typed, got, noSpace, c.want)
		}
	}
}

// TestCompleteCodes: the codes of the sessions that begin with the code being
// typed, case folded, after the last comma of a comma list, with their
// titles; codes already given as arguments or earlier in the list are left
// out, in any case; embargoed sessions are never offered; no sessions, no
// codes.
func TestCompleteCodes(t *testing.T) {
	s := func(code, title string) catalog.Session {
		return catalogtest.Session(catalog.Session{SessionID: code, Code: code, Title: title})
	}
	sessions := []catalog.Session{
		s("SVS401", "Serverless at scale"),
		s("SVS401-R1", "Serverless at scale"),
		s("ARC302", "Static stability"),
		s("SVS999", "Not yet announced"),
	}
	sessions[3].Embargoed = true
	for _, c := range []struct {
		name  string
		args  []string
		typed string
		want  []string
	}{
		{"nothing typed", nil, "", []string{"ARC302\tStatic stability", "SVS401\tServerless at scale", "SVS401-R1\tServerless at scale"}},
		{"case folded", nil, "svs4", []string{"SVS401\tServerless at scale", "SVS401-R1\tServerless at scale"}},
		{"given as an argument", []string{"svs401"}, "SV", []string{"SVS401-R1\tServerless at scale"}},
		{"given in an argument's list", []string{"ARC302,SVS401-R1"}, "", []string{"SVS401\tServerless at scale"}},
		{"after the last comma", nil, "arc302,S", []string{"arc302,SVS401\tServerless at scale", "arc302,SVS401-R1\tServerless at scale"}},
		{"given earlier in the list", []string{"SVS401"}, "arc302,svs4", []string{"arc302,SVS401-R1\tServerless at scale"}},
		{"a list ending in a comma", nil, "ARC302,", []string{"ARC302,SVS401\tServerless at scale", "ARC302,SVS401-R1\tServerless at scale"}},
		{"embargoed", nil, "SVS9", nil},
		{"no match", nil, "XYZ", nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := Codes(sessions, c.args, c.typed); !slices.Equal(got, c.want) {
				t.Errorf("Codes(%q, %q) = %q; want %q", c.args, c.typed, got, c.want)
			}
		})
	}
	if got := Codes(nil, nil, ""); got != nil {
		t.Errorf("no sessions: %q", got)
	}
}

// TestCompleteFacet: the choices that begin with what is typed after the last
// comma, case folded either way, after the list typed before; a choice
// with a description has it after a tab, one without ends at its value.
func TestCompleteFacet(t *testing.T) {
	days := []catalog.Choice{{Value: "tue", Description: "Tuesday, December 1"}, {Value: "wed", Description: "Wednesday, December 2"}, {Value: "2026-12-01", Description: "Tuesday"}}
	venues := catalog.Choices([]string{"MGM Grand", "Venetian", "Wynn"})
	for _, c := range []struct {
		name    string
		choices []catalog.Choice
		typed   string
		want    []string
	}{
		{"nothing typed", days, "", []string{"tue\tTuesday, December 1", "wed\tWednesday, December 2", "2026-12-01\tTuesday"}},
		{"a prefix", days, "t", []string{"tue\tTuesday, December 1"}},
		{"case folded", days, "W", []string{"wed\tWednesday, December 2"}},
		{"after the last comma", days, "tue,W", []string{"tue,wed\tWednesday, December 2"}},
		{"a date", days, "mon,2026", []string{"mon,2026-12-01\tTuesday"}},
		{"no description", venues, "", []string{"MGM Grand", "Venetian", "Wynn"}},
		{"no description, case folded", venues, "v", []string{"Venetian"}},
		{"no description, in a list", venues, "wynn,mgm", []string{"wynn,MGM Grand"}},
		{"no match", venues, "x", nil},
		{"no choices", nil, "", nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := Facet(c.choices, c.typed); !slices.Equal(got, c.want) {
				t.Errorf("Facet(%q) = %q; want %q", c.typed, got, c.want)
			}
		})
	}
}

// TestCompleteValues: the values that begin with what is typed, in their order;
// the case must match, as a command's --format compares it.
func TestCompleteValues(t *testing.T) {
	formats := []string{"table", "json", "csv", "ics", "jsonl"}
	for _, c := range []struct {
		typed string
		want  []string
	}{
		{"", formats},
		{"j", []string{"json", "jsonl"}},
		{"json", []string{"json", "jsonl"}},
		{"jsonl", []string{"jsonl"}},
		{"J", nil},
		{"x", nil},
	} {
		if got := Values(formats, c.typed); !slices.Equal(got, c.want) {
			t.Errorf("Values(%q) = %q; want %q", c.typed, got, c.want)
		}
	}
}

// TestBashCommas: every place cobra's bash script quotes a value is
// changed to leave commas alone, and a script with none of those places
// is left as it is and said so.
func TestBashCommas(t *testing.T) {
	script := `IFS=$'\n' read -ra c -d '' < <(printf "%q\n" "${completions[@]}")
            COMPREPLY[0]=$(printf "%q" "${COMPREPLY[0]}")
        printf -v comp "%q" "${compline%%$tab*}" &>/dev/null || comp=$(printf "%q" "${compline%%$tab*}")
`
	got, ok := BashCommas(script, "reinvent")
	if !ok || strings.Contains(got, `printf "%q`) || !strings.Contains(got, "__reinvent_quote() {") ||
		!strings.Contains(got, `comp=${comp//\\,/,}`) || !strings.Contains(got, `$(__reinvent_quote "%q" "${COMPREPLY[0]}")`) {
		t.Errorf("changed script:\n%s", got)
	}
	if got, ok := BashCommas("echo hi\n", "reinvent"); ok || got != "echo hi\n" {
		t.Errorf("a script with nothing to change: %v %q", ok, got)
	}
}
