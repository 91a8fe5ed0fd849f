package schedule

import (
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"

	"github.com/reinvent-cli/reinvent/pkg/catalog"
)

// LoadTravel returns the built-in travel table with the pairs of the travel
// file at path overriding it; with no path, the built-in table. It refuses
// a file that names a venue neither the built-in table nor sessions know,
// with the closest known names: a typo ("Venetain") would otherwise change
// nothing, in silence. Names compare as the table compares them
// (docs/travel.md). Every error is a *TravelError.
func LoadTravel(path string, sessions []catalog.Session) (*Travel, error) {
	builtin := Builtin()
	if path == "" {
		return builtin, nil
	}
	data, err := os.ReadFile(path)
	if err != nil {
		if e := errors.Unwrap(err); e != nil {
			err = e // "no such file or directory", without "open PATH"
		}
		return nil, &TravelError{File: path, Msg: err.Error() + "; check --travel"}
	}
	t, err := ParseTravel(data, path)
	if err != nil {
		return nil, err
	}
	if err := checkVenues(path, t, sessions); err != nil {
		return nil, err
	}
	return builtin.Merge(t), nil
}

// checkVenues refuses the first venue of the travel file t that neither
// the built-in table nor sessions know.
func checkVenues(path string, t *Travel, sessions []catalog.Session) error {
	key := catalog.VenueKey
	known := map[string]string{}
	for _, v := range Builtin().Venues() {
		known[key(v)] = v
	}
	for i := range sessions {
		if v := sessions[i].Venue; v != "" {
			known[key(v)] = v
		}
	}
	for _, v := range t.Venues() {
		if _, ok := known[key(v)]; ok {
			continue
		}
		var names []string
		for _, n := range known {
			names = append(names, n)
		}
		slices.Sort(names)
		slices.SortStableFunc(names, func(a, b string) int {
			return catalog.EditDistance(key(v), key(a)) - catalog.EditDistance(key(v), key(b))
		})
		return &TravelError{File: path, Line: t.VenueLine(v), Msg: fmt.Sprintf(
			"unknown venue %q; the closest known venues are %s (names compare without case and a leading \"The \")",
			v, strings.Join(names[:min(3, len(names))], ", "))}
	}
	return nil
}
