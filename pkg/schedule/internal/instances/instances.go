// Package instances generates the planning problems the solver is measured
// and cross-checked on, so that benchmarks and the LP exporter use the same
// ones.
//
// Every problem is a catalog in Location with the built-in travel table in
// mind (its venues), no buffer and 30 minutes of unknown travel; the same
// seed always gives the same problem.
package instances

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"sync"
	"time"

	"github.com/reinvent-cli/reinvent/pkg/catalog"
)

// Location is the zone of the generated catalogs: Las Vegas in December.
var Location = time.FixedZone("PST", -8*60*60)

// UnknownTravel is the travel time the problems are meant to be solved with
// for a venue pair the table does not know (the CLI's default).
const UnknownTravel = 30 * time.Minute

// Typical is a typical request: 15 codes in priority order, each with 1
// to 5 instances over the five days of re:Invent week, drawn from Catalog.
// The sessions returned are a copy of Catalog, the same for every seed.
func Typical(seed uint64) (codes []string, sessions []catalog.Session) {
	all := weekCatalog()
	r := rand.New(rand.NewPCG(seed, 0x7e9))
	bases := weekBases()
	for _, i := range r.Perm(len(bases))[:15] {
		codes = append(codes, bases[i])
	}
	return codes, slices.Clone(all)
}

// Catalog is the catalog Typical draws from: about 2,000 sessions over
// Monday to Friday, like the sample's, each code with 1 to 5 instances.
func Catalog() []catalog.Session { return slices.Clone(weekCatalog()) }

var weekCatalog = sync.OnceValue(func() []catalog.Session {
	g := newGen(2025)
	var sessions []catalog.Session
	for len(sessions) < 2000 {
		base := g.code()
		for i := range 1 + g.r.IntN(5) {
			sessions = append(sessions, g.session(instanceCode(base, i), g.r.IntN(5)))
		}
	}
	g.r.Shuffle(len(sessions), func(i, j int) { sessions[i], sessions[j] = sessions[j], sessions[i] })
	return sessions
})

// weekBases are the base codes of the week's catalog, sorted.
var weekBases = sync.OnceValue(func() []string {
	var bases []string
	for _, s := range weekCatalog() {
		if !slices.Contains(bases, s.BaseCode) {
			bases = append(bases, s.BaseCode)
		}
	}
	slices.Sort(bases)
	return bases
})

// Stress is a stress request: 60 codes with 6 instances each, all crowded
// into two days (Tuesday and Wednesday).
func Stress(seed uint64) (codes []string, sessions []catalog.Session) {
	g := newGen(seed)
	for range 60 {
		base := g.code()
		codes = append(codes, base)
		for i := range 6 {
			sessions = append(sessions, g.session(instanceCode(base, i), 1+g.r.IntN(2)))
		}
	}
	return codes, sessions
}

// Random is a request for n codes with 1 to maxInstances instances each over
// the first days days of the week, drawn from r.
func Random(r *rand.Rand, n, maxInstances, days int) (codes []string, sessions []catalog.Session) {
	g := &gen{r: r, used: map[string]bool{}}
	for range n {
		base := g.code()
		codes = append(codes, base)
		for i := range 1 + r.IntN(maxInstances) {
			sessions = append(sessions, g.session(instanceCode(base, i), r.IntN(days)))
		}
	}
	return codes, sessions
}

type gen struct {
	r    *rand.Rand
	used map[string]bool
}

func newGen(seed uint64) *gen {
	return &gen{r: rand.New(rand.NewPCG(seed, 0x5eed)), used: map[string]bool{}}
}

var prefixes = []string{"AIM", "ARC", "API", "BIZ", "CMP", "CNS", "COP", "DAT", "DEV", "DOP", "NET", "SEC", "STG", "SVS"}

// code returns a base code not used before, such as ARC302.
func (g *gen) code() string {
	for {
		c := fmt.Sprintf("%s%d%02d", prefixes[g.r.IntN(len(prefixes))], 2+g.r.IntN(3), 1+g.r.IntN(99))
		if !g.used[c] {
			g.used[c] = true
			return c
		}
	}
}

// instanceCode is the full code of the i-th instance of base: the base
// itself, then -R, -R1, -R2, ...
func instanceCode(base string, i int) string {
	switch i {
	case 0:
		return base
	case 1:
		return base + "-R"
	}
	return fmt.Sprintf("%s-R%d", base, i-1)
}

// venues and their weights: most sessions are at the Venetian.
var venues = []struct {
	name   string
	weight int
}{
	{"Venetian", 35}, {"MGM Grand", 20}, {"Caesars Forum", 15}, {"Wynn", 10},
	{"Mandalay Bay", 10}, {"Encore", 8}, {"Caesars Palace", 2},
}

// lengths of sessions in minutes and their weights: breakouts and chalk
// talks of an hour, workshops of two, lightning talks of half an hour.
var lengths = []struct {
	minutes, weight int
}{{60, 60}, {120, 15}, {30, 15}, {90, 10}}

func (g *gen) venue() string {
	x := g.r.IntN(100)
	for _, v := range venues {
		if x < v.weight {
			return v.name
		}
		x -= v.weight
	}
	return venues[0].name
}

func (g *gen) length() int {
	x := g.r.IntN(100)
	for _, l := range lengths {
		if x < l.weight {
			return l.minutes
		}
		x -= l.weight
	}
	return 60
}

// session is an instance on day d (0 is Monday, December 1, 2025), starting
// on the half hour between 8:00 and 18:00 (12:00 on Friday).
func (g *gen) session(code string, day int) catalog.Session {
	c, err := catalog.ParseCode(code)
	if err != nil {
		panic(err)
	}
	last := 20
	if day == 4 {
		last = 8
	}
	start := time.Date(2025, time.December, 1+day, 8, 30*g.r.IntN(last+1), 0, 0, Location)
	return catalog.Session{
		Code:       c.String(),
		BaseCode:   c.Base,
		SessionID:  fmt.Sprintf("%x", g.r.Uint64()),
		Title:      "Session " + c.Base,
		Type:       "Breakout session",
		Level:      100 * int(c.Base[3]-'0'),
		Tracks:     []string{},
		Topics:     []string{},
		Services:   []string{},
		Roles:      []string{},
		Industries: []string{},
		Speakers:   []string{},
		Start:      start,
		End:        start.Add(time.Duration(g.length()) * time.Minute),
		Venue:      g.venue(),
		Room:       fmt.Sprintf("Room %d", 100+g.r.IntN(400)),
		Status:     "Available",
	}
}
