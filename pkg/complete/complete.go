// Package complete chooses the values a shell offers for a flag's value or an argument (docs/completion.md).
package complete

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/reinvent-cli/reinvent/pkg/catalog"
	"github.com/reinvent-cli/reinvent/pkg/schedule"
)

// Sources are the named sources, with what each is.
var Sources = []catalog.Choice{
	{Value: "events-api", Description: "the AWS Events API (reinvent login)"},
	{Value: "portal", Description: "the attendee portal"},
	{Value: "sample", Description: "the embedded sample catalog, no account"},
}

// Source offers the values of --source that begin with typed: the named
// sources, each with what it is after a tab, then the .json and .csv files
// and the directories of typed's directory (hidden ones only when typed
// names one), a directory ending in a separator. noSpace is true when a
// directory is offered, so that the shell lets the word go on into it.
func Source(typed string) (values []string, noSpace bool) {
	for _, s := range Sources {
		if strings.HasPrefix(s.Value, typed) {
			values = append(values, s.Value+"\t"+s.Description)
		}
	}
	dir, base := filepath.Split(typed)
	entries, _ := os.ReadDir(orDot(dir))
	for _, e := range entries {
		name := e.Name()
		switch {
		case !strings.HasPrefix(name, base) || strings.HasPrefix(name, ".") && !strings.HasPrefix(base, "."):
		case e.IsDir():
			values = append(values, dir+name+string(filepath.Separator))
			noSpace = true
		case catalog.FileFormat(name) != "":
			values = append(values, dir+name)
		}
	}
	return values, noSpace
}

// orDot is dir, or "." when it is empty.
func orDot(dir string) string {
	if dir == "" {
		return "."
	}
	return dir
}

// Codes offers the codes of sessions that begin with the code being typed
// (after the last comma of a comma list, case folded), each with its
// session's title after a tab, leaving out the codes already given in args
// or earlier in the list. Each value repeats the list typed before it, so
// that the shell replaces the whole word.
func Codes(sessions []catalog.Session, args []string, typed string) []string {
	head, last := cutLast(typed)
	given := map[string]bool{}
	for _, c := range catalog.SplitCodes(append(slices.Clone(args), head)) {
		given[strings.ToUpper(c)] = true
	}
	var out []string
	for _, ch := range catalog.CodeChoices(sessions, last) {
		if !given[ch.Value] {
			out = append(out, head+ch.Value+"\t"+ch.Description)
		}
	}
	return out
}

// Facet offers the choices of a facet (a day, venue, track or level) that
// begin with what is typed after the last comma, case folded, each after
// the list typed before it and with its description after a tab when it
// has one.
func Facet(choices []catalog.Choice, typed string) []string {
	head, last := cutLast(typed)
	var out []string
	for _, ch := range choices {
		if strings.HasPrefix(strings.ToLower(ch.Value), strings.ToLower(last)) {
			out = append(out, strings.TrimSuffix(head+ch.Value+"\t"+ch.Description, "\t"))
		}
	}
	return out
}

// Values are the values that begin with typed, case and all: a command's
// formats.
func Values(values []string, typed string) []string {
	var out []string
	for _, v := range values {
		if strings.HasPrefix(v, typed) {
			out = append(out, v)
		}
	}
	return out
}

// cutLast splits a comma list being typed into what comes before its last
// value, the comma included, and that value.
func cutLast(s string) (head, last string) {
	i := strings.LastIndex(s, ",")
	return s[:i+1], s[i+1:]
}

// Facets are the choices of each flag that filters by a facet (--day,
// --venue, --track, --level), from the sessions of a catalog (none when
// there is none) in the event's zone.
var Facets = map[string]func(sessions []catalog.Session, loc *time.Location) []catalog.Choice{
	"day": catalog.DayChoices,
	"venue": func(s []catalog.Session, _ *time.Location) []catalog.Choice {
		return catalog.VenueChoices(s, schedule.Builtin().Venues())
	},
	"track": func(s []catalog.Session, _ *time.Location) []catalog.Choice { return catalog.TrackChoices(s) },
	"level": func(s []catalog.Session, _ *time.Location) []catalog.Choice { return catalog.LevelChoices(s) },
}
