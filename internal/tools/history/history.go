// Package history generates catalogs of realistic sessions and stores
// holding many versions of them, for the benchmarks and tests of watch.
// The sessions are timed in testenv.Vegas, the event's zone.
package history

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"

	"github.com/reinvent-cli/reinvent/internal/testenv"
	"github.com/reinvent-cli/reinvent/pkg/catalog"
	"github.com/reinvent-cli/reinvent/pkg/store"
)

// Build records versions rounds of n sessions of event in a new store at
// path, one store.Record per round, and returns the last round's sessions.
func Build(path, event string, n, versions int) ([]catalog.Session, error) {
	ctx := context.Background()
	st, err := store.Open(ctx, path)
	if err != nil {
		return nil, err
	}
	defer st.Close()
	var round []catalog.Session
	for r := range versions {
		round = make([]catalog.Session, n)
		for i := range round {
			round[i] = Session(i, r)
		}
		if _, err := st.Record(ctx, store.Run{Event: event, Source: "bench", Sessions: round}); err != nil {
			return nil, fmt.Errorf("record round %d: %w", r, err)
		}
	}
	return round, st.Close()
}

var (
	prefixes = strings.Fields("AIM ANT ARC BIZ CMP CNS COP DAT DEV DOP END GBL HYB IOT NET OPN SEC STG SVS SUP")
	types    = []string{"Breakout session", "Chalk talk", "Workshop", "Builders' session", "Lightning talk"}
	tracks   = []string{"Artificial Intelligence", "Compute", "Databases", "Developer Tools", "Networking", "Security", "Serverless", "Storage"}
	venues   = map[string][]string{
		"Venetian": {"Titian 2201", "Palazzo Ballroom B", "Murano 3301"}, "Wynn": {"Lafite 1", "Latour 4"},
		"MGM Grand": {"Room 116", "Premier 307"}, "Mandalay Bay": {"South Seas F", "Oceanside C"}, "Caesars Forum": {"Alliance 310"},
	}
	venueNames = []string{"Venetian", "Wynn", "MGM Grand", "Mandalay Bay", "Caesars Forum"}
	words      = strings.Fields(`learn how customers build resilient applications with managed services
		that scale automatically while keeping costs low in this session we dive deep into architecture
		patterns observability security controls data pipelines generative models and the operational
		practices that let teams ship faster with confidence across regions and accounts`)
)

// Session is version round of session i: the same code, title,
// abstract and speakers in every round, with the room, the time or the
// title's wording moved in each round, as a catalog that is still being
// planned changes.
func Session(i, round int) catalog.Session {
	rng := rand.New(rand.NewPCG(uint64(i), 7))
	code := prefixes[i%len(prefixes)] + strconv.Itoa(100+i/len(prefixes))
	if i%4 == 1 {
		code += "-R" + strconv.Itoa(1+i%3)
	}
	var abstract strings.Builder
	for abstract.Len() < 480+rng.IntN(60) {
		if abstract.Len() > 0 {
			abstract.WriteByte(' ')
		}
		abstract.WriteString(words[rng.IntN(len(words))])
	}
	speakers := make([]string, 1+rng.IntN(3))
	for k := range speakers {
		speakers[k] = fmt.Sprintf("Speaker %d, Principal Engineer, Company %d", rng.IntN(3000), rng.IntN(500))
	}
	venue := venueNames[rng.IntN(len(venueNames))]
	rooms := venues[venue]
	s := catalog.Session{
		Code:      code,
		SessionID: fmt.Sprintf("%016x", rng.Uint64()),
		Title:     fmt.Sprintf("Building %s at scale with %s", words[rng.IntN(len(words))], tracks[i%len(tracks)]),
		Abstract:  abstract.String(),
		Type:      types[rng.IntN(len(types))],
		Level:     100 * (1 + rng.IntN(4)),
		Tracks:    []string{tracks[i%len(tracks)], tracks[rng.IntN(len(tracks))]},
		Topics:    []string{"Architecture", "Best practices"},
		Services:  []string{"Amazon EC2", "AWS Lambda", "Amazon S3"}[:1+rng.IntN(3)],
		Roles:     []string{"Developer", "Solutions Architect"},
		Speakers:  speakers,
		Venue:     venue,
		Room:      fmt.Sprintf("%s (%d)", rooms[(i+round)%len(rooms)], round),
		Status:    "Active",
	}
	if i%50 != 0 { // one in 50 has no time yet
		s.Start = time.Date(2026, 11, 30+rng.IntN(5), 8+rng.IntN(10), 30*rng.IntN(2), 0, 0, testenv.Vegas).
			Add(time.Duration(round%3) * 30 * time.Minute)
		s.End = s.Start.Add(time.Duration(1+rng.IntN(2)) * time.Hour)
	}
	if round%5 == 4 {
		s.Title += " (updated)"
	}
	s.Normalize(testenv.Vegas)
	return s
}
