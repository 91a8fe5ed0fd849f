package schedule

import (
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/reinvent-cli/reinvent/pkg/catalog"
)

// MaxTravelMinutes is the largest number of minutes a travel file may give
// for one pair: a day. Sessions on different days never need travel time.
const MaxTravelMinutes = 24 * 60

// maxTravelEntries bounds the pairs one travel file may spell out, aliases
// expanded, so that a small YAML file cannot make parsing quadratic.
const maxTravelEntries = 100_000

// Travel is a symmetric table of planning minutes between venues. Venue
// names compare case-insensitively and without a leading "The ".
//
// A Travel is never changed after it is built, so it may be shared between
// goroutines. The nil *Travel is the built-in table (see Builtin).
type Travel struct {
	minutes map[[2]string]int // keyed by normalized names, smaller first
	names   map[string]string // normalized name → display name
	spell   map[string]string // an exact spelling seen → normalized name (a fast path)
	lines   map[string]int    // normalized name → the line of the travel file that first names it
}

// TravelPair is one entry of a travel table: the planning minutes between
// venues A and B, by their display names (A sorts before B, or A == B for an
// explicit travel time within one venue).
type TravelPair struct {
	A, B    string
	Minutes int
}

// TravelError is a problem in a travel file, with where it is.
type TravelError struct {
	File   string // the name given to ParseTravel
	Line   int    // 1-based; 0 when unknown
	Column int    // 1-based; 0 when unknown
	Msg    string
}

// Error reads "travel file FILE:LINE:COLUMN: what is wrong", without the
// parts that are unknown: every problem with a travel file starts the same
// way.
func (e *TravelError) Error() string {
	switch {
	case e.Line > 0 && e.Column > 0:
		return fmt.Sprintf("travel file %s:%d:%d: %s", e.File, e.Line, e.Column, e.Msg)
	case e.Line > 0:
		return fmt.Sprintf("travel file %s:%d: %s", e.File, e.Line, e.Msg)
	}
	return fmt.Sprintf("travel file %s: %s", e.File, e.Msg)
}

// Minutes returns the planning minutes between venues a and b, and whether
// the table knows the pair. A venue to itself is 0 unless the table says
// otherwise; an empty venue is never known.
func (t *Travel) Minutes(a, b string) (int, bool) {
	if t == nil {
		t = builtinTravel()
	}
	return t.keyMinutes(t.key(a), t.key(b))
}

// keyMinutes is Minutes for normalized names.
func (t *Travel) keyMinutes(ka, kb string) (int, bool) {
	if ka == "" || kb == "" {
		return 0, false
	}
	if m, ok := t.minutes[travelPairKey(ka, kb)]; ok {
		return m, true
	}
	if ka == kb {
		return 0, true
	}
	return 0, false
}

// Venues returns the display names of the venues the table names, sorted.
func (t *Travel) Venues() []string {
	if t == nil {
		t = builtinTravel()
	}
	vs := make([]string, 0, len(t.names))
	for _, d := range t.names {
		vs = append(vs, d)
	}
	slices.Sort(vs)
	return vs
}

// VenueLine returns the line of the travel file that first names venue, for
// a table ParseTravel returned; 0 when it is not known.
func (t *Travel) VenueLine(venue string) int {
	if t == nil {
		return 0
	}
	return t.lines[t.key(venue)]
}

// Pairs returns every entry of the table once, by display names, sorted by
// A then B. Implicit zero travel within a venue is not listed.
func (t *Travel) Pairs() []TravelPair {
	if t == nil {
		t = builtinTravel()
	}
	ps := make([]TravelPair, 0, len(t.minutes))
	for k, m := range t.minutes {
		a, b := t.names[k[0]], t.names[k[1]]
		if b < a {
			a, b = b, a
		}
		ps = append(ps, TravelPair{A: a, B: b, Minutes: m})
	}
	slices.SortFunc(ps, func(x, y TravelPair) int {
		if c := strings.Compare(x.A, y.A); c != 0 {
			return c
		}
		return strings.Compare(x.B, y.B)
	})
	return ps
}

// Merge returns a copy of t in which o's pairs override t's; the pairs o
// does not name keep t's value. Venues keep t's display name when both name
// them. A nil o adds nothing; a nil t is the built-in table, so the CLI's
// Builtin().Merge(fromFile) may also be written (*Travel)(nil).Merge(fromFile).
//
// When the merged table has the venue Wynn/Encore, it stays the longer of
// Wynn and Encore: a pair of o between Wynn or Encore and a venue x makes
// Wynn/Encore–x the longer of the merged Wynn–x and Encore–x (when both are
// known), unless o gives Wynn/Encore–x itself. A session there may be in
// either building, so a faster Wynn must not make it look closer than Encore.
func (t *Travel) Merge(o *Travel) *Travel {
	if t == nil {
		t = builtinTravel()
	}
	r := t.clone()
	if o == nil {
		return r
	}
	for k, m := range o.minutes {
		r.minutes[k] = m
	}
	for k, d := range o.names {
		if _, ok := r.names[k]; !ok {
			r.names[k] = d
		}
	}
	for s, k := range o.spell {
		r.spell[s] = k
	}
	if _, ok := r.names[wynnEncoreKey]; !ok {
		return r
	}
	for k := range o.minutes {
		for i, kv := range k {
			if kv != wynnKey && kv != encoreKey {
				continue
			}
			kx := k[1-i]
			if _, given := o.minutes[travelPairKey(wynnEncoreKey, kx)]; given || kx == wynnEncoreKey {
				continue
			}
			if m, ok := r.wynnEncoreMinutes(kx); ok {
				r.minutes[travelPairKey(wynnEncoreKey, kx)] = m
			}
		}
	}
	return r
}

// The keys of Wynn, Encore and Wynn/Encore (catalog.WynnEncore).
var (
	wynnKey       = catalog.VenueKey("Wynn")
	encoreKey     = catalog.VenueKey("Encore")
	wynnEncoreKey = catalog.VenueKey(catalog.WynnEncore)
)

// wynnEncoreMinutes returns the minutes between Wynn/Encore and the venue of
// key kx: the longer of Wynn–kx and Encore–kx, when the table knows both.
func (t *Travel) wynnEncoreMinutes(kx string) (int, bool) {
	w, okW := t.keyMinutes(wynnKey, kx)
	e, okE := t.keyMinutes(encoreKey, kx)
	return max(w, e), okW && okE
}

// NewTravel builds a table from nested maps, minutes[a][b] being the
// planning minutes between venues a and b. The table is symmetric: a→b also
// sets b→a. Entries with an empty venue name or negative minutes are left out
// (the pair stays unknown); when a→b and b→a are both given and differ, the
// larger wins. Use ParseTravel for files, which reports such mistakes.
func NewTravel(minutes map[string]map[string]int) *Travel {
	t := newTravel()
	// Sorted, so that the display name chosen for a venue spelled several
	// ways is the same on every run.
	as := make([]string, 0, len(minutes))
	for a := range minutes {
		as = append(as, a)
	}
	slices.Sort(as)
	for _, a := range as {
		bs := make([]string, 0, len(minutes[a]))
		for b := range minutes[a] {
			bs = append(bs, b)
		}
		slices.Sort(bs)
		for _, b := range bs {
			m := minutes[a][b]
			ka, kb := catalog.VenueKey(a), catalog.VenueKey(b)
			if m < 0 || ka == "" || kb == "" {
				continue
			}
			k := travelPairKey(ka, kb)
			if old, ok := t.minutes[k]; ok && old >= m {
				m = old
			}
			t.set(a, ka, b, kb, m)
		}
	}
	return t
}

// --- the built-in table ---

// travelWalk is a walking time between two venues, in minutes.
type travelWalk struct {
	a, b string
	walk int
}

// travelMeasured are the walking minutes between every two of the 2026
// re:Invent venues: street walks between the venues' entrances by
// OpenStreetMap foot routing on 2026-09-29, as recorded in issue 11 (see
// docs/travel.md).
var travelMeasured = []travelWalk{
	{"Venetian", "Wynn", 21},
	{"Venetian", "Encore", 23},
	{"Venetian", "Caesars Forum", 12},
	{"Venetian", "Caesars Palace", 34},
	{"Venetian", "MGM Grand", 32},
	{"Wynn", "Encore", 8},
	{"Wynn", "Caesars Forum", 23},
	{"Wynn", "Caesars Palace", 33},
	{"Wynn", "MGM Grand", 44},
	{"Encore", "Caesars Forum", 25},
	{"Encore", "Caesars Palace", 35},
	{"Encore", "MGM Grand", 45},
	{"Caesars Forum", "Caesars Palace", 22},
	{"Caesars Forum", "MGM Grand", 27},
	{"Caesars Palace", "MGM Grand", 39},
}

// travelAssumed is the one walk not measured. Mandalay Bay is not a 2026
// venue; it stays for older catalogs. It is at the south end of the Strip,
// about 2 km south of MGM Grand. At the pace of the measured walks
// (Venetian–MGM Grand, about 2.5 km, is 32 minutes) that is about 25 minutes
// on the Strip plus a few inside the two venues: 28. The free
// Excalibur–Luxor–Mandalay Bay tram is not assumed to be faster once the walk
// to Excalibur and the wait are counted.
var travelAssumed = []travelWalk{
	{"Mandalay Bay", "MGM Grand", 28},
}

// travelVenues are the built-in venues that have walks, by their display
// names in the catalog. Wynn/Encore is built from Wynn and Encore.
var travelVenues = []string{
	"Venetian", "Wynn", "Encore", "Caesars Forum", "Caesars Palace", "MGM Grand", "Mandalay Bay",
}

// planningMinutes turns a walk into planning minutes: the walk plus 10
// (leaving one room, finding the next), rounded up to a multiple of 5.
func planningMinutes(walk int) int {
	return (walk + 10 + 4) / 5 * 5
}

// builtinWalks returns the walking minutes between every two built-in
// venues, indexed like travelVenues: a measured pair is its measured walk;
// every other pair is the shortest chain of walks (Floyd–Warshall), which
// only Mandalay Bay's pairs need.
func builtinWalks() [][]int {
	n := len(travelVenues)
	idx := make(map[string]int, n)
	for i, v := range travelVenues {
		idx[v] = i
	}
	const inf = 1 << 30
	d := make([][]int, n)
	for i := range d {
		d[i] = make([]int, n)
		for j := range d[i] {
			if i != j {
				d[i][j] = inf
			}
		}
	}
	walks := append(slices.Clone(travelMeasured), travelAssumed...)
	for _, w := range walks {
		i, j := idx[w.a], idx[w.b]
		d[i][j], d[j][i] = w.walk, w.walk
	}
	for k := range n {
		for i := range n {
			for j := range n {
				if d[i][k]+d[k][j] < d[i][j] {
					d[i][j] = d[i][k] + d[k][j]
				}
			}
		}
	}
	// A walk someone measured is kept even where a chain of other walks
	// adds up to less.
	for _, w := range walks {
		i, j := idx[w.a], idx[w.b]
		d[i][j], d[j][i] = w.walk, w.walk
	}
	return d
}

var builtinTravel = sync.OnceValue(func() *Travel {
	t := newTravel()
	d := builtinWalks()
	for i, a := range travelVenues {
		for j := i + 1; j < len(travelVenues); j++ {
			b := travelVenues[j]
			t.set(a, catalog.VenueKey(a), b, catalog.VenueKey(b), planningMinutes(d[i][j]))
		}
	}
	for _, v := range travelVenues {
		m, _ := t.wynnEncoreMinutes(catalog.VenueKey(v))
		t.set(catalog.WynnEncore, wynnEncoreKey, v, catalog.VenueKey(v), m)
	}
	return t
})

// Builtin returns the built-in table of planning minutes between the
// re:Invent venues: the 2026 venues Venetian, Wynn, Encore, Caesars Forum,
// Caesars Palace and MGM Grand, every pair of them measured; Mandalay Bay,
// for older catalogs; and Wynn/Encore (catalog.WynnEncore), the longer of
// Wynn and Encore to every other venue. docs/travel.md gives each figure and
// where it comes from.
func Builtin() *Travel {
	return builtinTravel().clone()
}

// --- names ---

// travelDisplay is the name as written, trimmed and with inner space runs
// made one.
func travelDisplay(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

func travelPairKey(a, b string) [2]string {
	if b < a {
		a, b = b, a
	}
	return [2]string{a, b}
}

func newTravel() *Travel {
	return &Travel{
		minutes: map[[2]string]int{},
		names:   map[string]string{},
		spell:   map[string]string{},
	}
}

func (t *Travel) clone() *Travel {
	r := &Travel{
		minutes: make(map[[2]string]int, len(t.minutes)),
		names:   make(map[string]string, len(t.names)),
		spell:   make(map[string]string, len(t.spell)),
	}
	for k, m := range t.minutes {
		r.minutes[k] = m
	}
	for k, d := range t.names {
		r.names[k] = d
	}
	for s, k := range t.spell {
		r.spell[s] = k
	}
	return r
}

// set records the minutes between a and b (spelled as given, ka and kb their
// keys); the first spelling seen of a venue becomes its display name.
func (t *Travel) set(a, ka, b, kb string, m int) {
	t.minutes[travelPairKey(ka, kb)] = m
	for _, v := range [][2]string{{a, ka}, {b, kb}} {
		if _, ok := t.names[v[1]]; !ok {
			d := travelDisplay(v[0])
			t.names[v[1]] = d
			t.spell[d] = v[1]
		}
		t.spell[v[0]] = v[1]
	}
}

// key normalizes a venue name, without work for a spelling already seen.
func (t *Travel) key(s string) string {
	if k, ok := t.spell[s]; ok {
		return k
	}
	return catalog.VenueKey(s)
}

// --- travel files ---
