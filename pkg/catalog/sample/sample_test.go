package sample

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
	_ "time/tzdata"

	"github.com/reinvent-cli/reinvent/internal/testenv"
	"github.com/reinvent-cli/reinvent/pkg/catalog"
	"github.com/reinvent-cli/reinvent/pkg/catalog/sample/internal/generate"
)

func fetch(t testing.TB) *catalog.Catalog {
	t.Helper()
	c, err := Source{}.Fetch(context.Background(), catalog.FetchOptions{Location: testenv.Vegas})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestUpToDate(t *testing.T) {
	want, err := generate.Generate()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(sampleBin, want) {
		t.Fatal("sample.bin is not what the generator writes: run go generate ./pkg/catalog/sample")
	}
}

func TestFetch(t *testing.T) {
	if got := (Source{}).Name(); got != "sample" {
		t.Errorf("Name() = %q, want sample", got)
	}
	var calls [][2]int
	c, err := Source{}.Fetch(context.Background(), catalog.FetchOptions{
		Event:    "something-else",
		Location: testenv.Vegas,
		Progress: func(done, total int) { calls = append(calls, [2]int{done, total}) },
	})
	if err != nil {
		t.Fatal(err)
	}
	if c.Source != "sample" || c.Event != "reinvent2026" {
		t.Errorf("source, event = %q, %q; want sample, reinvent2026", c.Source, c.Event)
	}
	if !c.FetchedAt.Equal(generate.FetchedAt) {
		t.Errorf("fetched_at = %v, want %v", c.FetchedAt, generate.FetchedAt)
	}
	if n := len(c.Sessions); n < 1900 || n > 2100 {
		t.Errorf("%d sessions, want about 2,000", n)
	}
	if n := len(c.Sessions); !slices.Equal(calls, [][2]int{{n, n}}) {
		t.Errorf("progress calls = %v, want one call (%d, %d)", calls, n, n)
	}

	// Every fetch is a fresh copy: changing one does not change the next.
	title, tracks0 := c.Sessions[0].Title, c.Sessions[0].Tracks
	tracks := slices.Clone(tracks0)
	c.Sessions[0].Title = "changed"
	if len(tracks0) > 0 {
		tracks0[0] = "changed"
	}
	c.Sessions = c.Sessions[:1]
	again := fetch(t)
	if again.Sessions[0].Title != title || !slices.Equal(again.Sessions[0].Tracks, tracks) || len(again.Sessions) < 1900 {
		t.Error("a fetch shares data with an earlier fetch")
	}
}

func TestFetchNormalizesToLocation(t *testing.T) {
	c, err := Source{}.Fetch(context.Background(), catalog.FetchOptions{Location: time.UTC})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range c.Sessions {
		if s.Scheduled() && s.Start.Location() != time.UTC {
			t.Fatalf("%s starts in %v, want UTC", s.Code, s.Start.Location())
		}
	}
}

func TestFetchCanceled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if c, err := (Source{}).Fetch(ctx, catalog.FetchOptions{}); !errors.Is(err, context.Canceled) || c != nil {
		t.Errorf("Fetch with a canceled context = %v, %v; want nil, context.Canceled", c, err)
	}
}

// sample.bin reads back exactly what the generator wrote, offsets
// included.
func TestDecode(t *testing.T) {
	c, err := catalog.DecodeBinary(sampleBin, nil)
	if err != nil {
		t.Fatal(err)
	}
	want, err := generate.Sessions()
	if err != nil {
		t.Fatal(err)
	}
	if Note != generate.Note || !strings.Contains(Note, "not the real re:Invent catalog") {
		t.Errorf("Note = %q, the generator's is %q; want both to say it is not the real catalog", Note, generate.Note)
	}
	if c.Source != "sample" || c.Event != generate.Event || !c.FetchedAt.Equal(generate.FetchedAt) {
		t.Errorf("header = %q, %q, %v", c.Source, c.Event, c.FetchedAt)
	}
	if len(c.Sessions) != len(want) {
		t.Fatalf("%d sessions, the generator makes %d", len(c.Sessions), len(want))
	}
	for i := range want {
		got := c.Sessions[i]
		_, off := got.Start.Zone()
		_, wantOff := want[i].Start.Zone()
		if !got.Equal(&want[i]) || off != wantOff {
			t.Fatalf("session %d:\n got %+v\nwant %+v", i, got, want[i])
		}
	}

	for _, data := range [][]byte{nil, sampleBin[:len(sampleBin)/2], []byte("{}")} {
		if c, err := catalog.DecodeBinary(data, nil); err == nil {
			t.Errorf("decode accepted %d bytes of bad data: %+v", len(data), c.Source)
		}
	}
}

func TestCodes(t *testing.T) {
	c := fetch(t)
	seen := map[string]bool{}
	bases := map[string][]catalog.Session{}
	for _, s := range c.Sessions {
		code, err := catalog.ParseCode(s.Code)
		if err != nil {
			t.Errorf("%q: %v", s.Code, err)
			continue
		}
		if code.String() != s.Code || code.Base != s.BaseCode {
			t.Errorf("%q: not canonical or base_code %q wrong", s.Code, s.BaseCode)
		}
		if seen[s.Code] {
			t.Errorf("%s appears twice", s.Code)
		}
		seen[s.Code] = true
		bases[code.Base] = append(bases[code.Base], s)

		// The first digit of the number is the level: SVS401 is 400-level.
		digits := strings.TrimLeft(code.Base, "ABCDEFGHIJKLMNOPQRSTUVWXYZ")
		if d := digits[0] - '0'; d >= 1 && d <= 4 && s.Level != 100*int(d) {
			t.Errorf("%s has level %d", s.Code, s.Level)
		}
		if s.SessionID == "" || s.Title == "" || s.Abstract == "" || s.Type == "" || s.Status != "Published" || len(s.Speakers) == 0 {
			t.Errorf("%s is missing data: %+v", s.Code, s)
		}
	}
	if n := len(bases); n < 800 || n > 1200 {
		t.Errorf("%d base codes, want about 1,000", n)
	}
	repeated := 0
	for base, ss := range bases {
		if len(ss) > 1 {
			repeated++
		}
		for _, s := range ss[1:] {
			f := ss[0]
			if s.Title != f.Title || s.Abstract != f.Abstract || s.Type != f.Type || s.Level != f.Level ||
				!slices.Equal(s.Speakers, f.Speakers) || !slices.Equal(s.Services, f.Services) ||
				!slices.Equal(s.Tracks, f.Tracks) || s.SessionID == f.SessionID {
				t.Errorf("%s and %s differ in more than their time and place", f.Code, s.Code)
			}
		}
		_ = base
	}
	if repeated < 300 {
		t.Errorf("only %d base codes have repeats", repeated)
	}

	// The docs' example: reinvent schedule --source sample --ignore-reserved SVS401 ARC302.
	svs, arc := bases["SVS401"], bases["ARC302"]
	if len(svs) < 2 || len(arc) < 2 {
		t.Fatalf("SVS401 has %d instances and ARC302 %d, want at least 2 each", len(svs), len(arc))
	}
	if svs[0].Level != 400 || !strings.Contains(strings.ToLower(svs[0].Title), "serverless") {
		t.Errorf("SVS401 is %q, level %d; want a 400-level serverless session", svs[0].Title, svs[0].Level)
	}
	for _, a := range svs {
		for _, b := range arc {
			if a.Starred || b.Starred {
				t.Errorf("%s or %s is starred", a.Code, b.Code)
			}
		}
	}
}

// The docs' example, reinvent schedule --source sample --ignore-reserved
// SVS401 ARC302 (planned from scratch: the sample attendee's held seats
// block every SVS401), schedules both: SVS401 on Monday at the Venetian and ARC302-R on
// Wednesday, because SVS401 overlaps ARC302 and SVS401-R1 overlaps
// ARC302-R1.
func TestReadmeSchedule(t *testing.T) {
	byCode := map[string]catalog.Session{}
	for _, s := range fetch(t).Sessions {
		byCode[s.Code] = s
	}
	overlap := func(a, b string) bool {
		x, y := byCode[a], byCode[b]
		return x.Scheduled() && y.Scheduled() && x.Start.Before(y.End) && y.Start.Before(x.End)
	}
	if !overlap("SVS401", "ARC302") || !overlap("SVS401-R1", "ARC302-R1") {
		t.Error("SVS401 does not overlap ARC302, or SVS401-R1 ARC302-R1: the scheduler has nothing to solve")
	}
	if s := byCode["SVS401"]; s.Start.Weekday() != time.Monday || s.Start.Hour() != 10 || s.Venue != "Venetian" {
		t.Errorf("SVS401 is on %v at %s, want Monday 10:00 at the Venetian", s.Start, s.Venue)
	}
	if s := byCode["ARC302-R"]; s.Start.Weekday() != time.Wednesday || s.Venue != "Caesars Palace" {
		t.Errorf("ARC302-R is on %v at %s, want Wednesday at Caesars Palace", s.Start, s.Venue)
	}
}

func TestTimesAndPlaces(t *testing.T) {
	loc := testenv.Vegas
	monday := time.Date(2026, time.November, 30, 0, 0, 0, 0, loc)
	saturday := monday.AddDate(0, 0, 5)
	type room struct{ venue, room string }
	booked := map[room][]catalog.Session{}
	days := map[time.Weekday]int{}
	for _, s := range fetch(t).Sessions {
		if !s.Scheduled() {
			continue // TestUnscheduled
		}
		if s.Start.Before(monday) || !s.End.Before(saturday) || !s.End.After(s.Start) {
			t.Errorf("%s: %v - %v is not within re:Invent week", s.Code, s.Start, s.End)
		}
		if s.Start.Location().String() != loc.String() {
			t.Errorf("%s: start not in %v", s.Code, loc)
		}
		days[s.Start.Weekday()]++
		start, end := s.Start.Hour()*60+s.Start.Minute(), s.End.Hour()*60+s.End.Minute()
		if s.AllDay && (start != 8*60 || end != 17*60) {
			t.Errorf("all-day %s is %v - %v", s.Code, s.Start, s.End)
		}
		if start < 8*60 || end > 19*60 || s.End.Day() != s.Start.Day() {
			t.Errorf("%s: %v - %v is outside 08:00-19:00", s.Code, s.Start, s.End)
		}
		if s.Start.Minute()%15 != 0 || s.Start.Minute()%30 != 0 && s.Type != "Lightning talk" {
			t.Errorf("%s starts at %v", s.Code, s.Start)
		}
		r := room{s.Venue, s.Room}
		for _, o := range booked[r] {
			if s.Start.Before(o.End) && o.Start.Before(s.End) {
				t.Errorf("%s and %s are in %s, %s at the same time", o.Code, s.Code, s.Venue, s.Room)
			}
		}
		booked[r] = append(booked[r], s)
	}
	for d := time.Monday; d <= time.Friday; d++ {
		if days[d] == 0 {
			t.Errorf("nothing on %v", d)
		}
	}
	if days[time.Friday] >= days[time.Thursday]/2 {
		t.Errorf("Friday has %d sessions and Thursday %d: Friday is a short day", days[time.Friday], days[time.Thursday])
	}
}

func TestFlags(t *testing.T) {
	c := fetch(t)
	var starred, reserved, embargoed, unscheduled, allDay int
	starredDays := map[time.Weekday]bool{}
	for _, s := range c.Sessions {
		if s.Starred {
			starred++
			starredDays[s.Start.Weekday()] = true
		}
		if s.Reserved {
			reserved++
			if !s.Starred {
				t.Errorf("%s is reserved but not starred", s.Code)
			}
		}
		if s.Embargoed {
			embargoed++
		}
		if !s.Scheduled() {
			unscheduled++
		}
		if s.AllDay {
			allDay++
		}
	}
	n := len(c.Sessions)
	if starred*100 < n || starred*100 > 4*n {
		t.Errorf("%d of %d sessions starred, want about 2%%", starred, n)
	}
	if len(starredDays) < 4 {
		t.Errorf("starred sessions are on %d days only", len(starredDays))
	}
	for name, got := range map[string]int{"reserved": reserved, "embargoed": embargoed, "all-day": allDay} {
		if got == 0 || got > 30 {
			t.Errorf("%d %s sessions, want a handful", got, name)
		}
	}
	t.Logf("%d sessions: %d starred, %d reserved, %d embargoed, %d unscheduled, %d all-day", n, starred, reserved, embargoed, unscheduled, allDay)
}

// The venues of 2026 in about their real shares, and rooms named as the AWS
// Events API names them after the venue: the level first where the venue
// has levels, Wynn's rooms after wines and Encore's after composers (or the
// Encore Ballroom), so that the events-api reader would put each in the
// same building.
func TestVenues(t *testing.T) {
	venues := []string{"Venetian", "Wynn", "Encore", "Caesars Forum", "Caesars Palace", "MGM Grand"}
	wines := []string{"Latour", "Lafite", "Margaux", "La Tache", "Montrachet", "Mouton", "Castillon", "Fleurie", "Meursault", "Cristal", "Bollinger"}
	composers := []string{"Encore Ballroom", "Brahms", "Chopin", "Debussy", "Mozart", "Ravel", "Beethoven"}
	level := regexp.MustCompile(`^Level [1-5] \| [^|]+( \| [^|]+)*$`)
	named := func(room string, words []string) bool {
		return slices.ContainsFunc(words, func(w string) bool { return strings.Contains(room, w) })
	}
	c := fetch(t)
	count := map[string]int{}
	for _, s := range c.Sessions {
		count[s.Venue]++
		if !s.Scheduled() {
			continue
		}
		if !slices.Contains(venues, s.Venue) {
			t.Errorf("%s is at %q, not one of the 2026 venues", s.Code, s.Venue)
		}
		if first, _, _ := strings.Cut(s.Room, " | "); s.Room == "" || first == s.Venue {
			t.Errorf("%s: room %q is empty or repeats the venue %q", s.Code, s.Room, s.Venue)
		}
		switch s.Venue {
		case "Wynn":
			if !named(s.Room, wines) || named(s.Room, composers) {
				t.Errorf("%s: Wynn room %q is not named after a wine", s.Code, s.Room)
			}
		case "Encore":
			if !named(s.Room, composers) || named(s.Room, wines) {
				t.Errorf("%s: Encore room %q is not the Encore Ballroom or named after a composer", s.Code, s.Room)
			}
		default:
			if !level.MatchString(s.Room) {
				t.Errorf("%s: %s room %q does not start with its level", s.Code, s.Venue, s.Room)
			}
		}
		if v, r := catalog.PlaceVenue(s.Venue, s.Room); v != s.Venue || r != s.Room {
			t.Errorf("%s: the events-api reader would place %q, %q at %q, %q", s.Code, s.Venue, s.Room, v, r)
		}
		if s.Venue == "Wynn" || s.Venue == "Encore" {
			if v, _ := catalog.PlaceVenue(catalog.WynnEncore, s.Room); v != s.Venue {
				t.Errorf("%s: the events-api reader would place Wynn/Encore room %q at %q, not %s", s.Code, s.Room, v, s.Venue)
			}
		}
	}

	// The real 2026 catalog: of 2,043 sessions, 1,146 at the Venetian, MGM
	// Grand or Caesars Forum, 522 at Wynn or Encore, 328 at Caesars Palace.
	n := len(c.Sessions)
	for _, share := range []struct {
		venues   []string
		min, max int // percent
	}{
		{[]string{"Venetian", "MGM Grand", "Caesars Forum"}, 52, 60},
		{[]string{"Wynn", "Encore"}, 22, 29},
		{[]string{"Caesars Palace"}, 13, 19},
	} {
		got := 0
		for _, v := range share.venues {
			if count[v] == 0 {
				t.Errorf("no session at %s", v)
			}
			got += count[v]
		}
		if got*100 < share.min*n || got*100 > share.max*n {
			t.Errorf("%d of %d sessions at %s, want %d%%-%d%%", got, n, strings.Join(share.venues, ", "), share.min, share.max)
		}
	}
	t.Logf("%d sessions by venue: %v", n, count)
}

// About 2% of the sessions are not placed yet: no time and no room, each a
// different session with its title and abstract, and none reservable.
func TestUnscheduled(t *testing.T) {
	c := fetch(t)
	bases := map[string]bool{}
	for _, s := range c.Sessions {
		if s.Scheduled() {
			continue
		}
		if bases[s.BaseCode] {
			t.Errorf("%s: a second unscheduled instance of %s", s.Code, s.BaseCode)
		}
		bases[s.BaseCode] = true
		if !s.End.IsZero() || s.Venue != "" || s.Room != "" || s.AllDay {
			t.Errorf("%s has no start but an end, a place or all_day", s.Code)
		}
		if s.Title == "" || s.Abstract == "" {
			t.Errorf("%s has no title or abstract", s.Code)
		}
		if s.Reservable || s.SeatAvailability != "" || s.Reserved || s.Starred {
			t.Errorf("%s is not scheduled but reservable %v, band %q, reserved %v, starred %v",
				s.Code, s.Reservable, s.SeatAvailability, s.Reserved, s.Starred)
		}
	}
	if n := len(c.Sessions); len(bases)*100 < n || len(bases)*100 > 3*n {
		t.Errorf("%d of %d sessions unscheduled, want about 2%%", len(bases), n)
	}
}

// A week before the event reservations are open: the talks that take them
// are reservable and carry one of the four bands, mostly available; the
// keynotes and the all-day sessions are walk-in, and so are many expo-hall
// sessions.
func TestSeats(t *testing.T) {
	reservableBands := []string{catalog.SeatAvailable, catalog.SeatLimited, catalog.SeatVeryLimited, catalog.SeatUnavailable}
	talks := []string{"Breakout session", "Chalk talk", "Workshop", "Builders' session", "Code talk"}
	bands := map[string]int{}
	var scheduledTalks, reservableTalks, walkIn int
	for _, s := range fetch(t).Sessions {
		bands[s.SeatAvailability]++
		if s.Reservable && !slices.Contains(reservableBands, s.SeatAvailability) ||
			!s.Reservable && s.SeatAvailability != "" && s.SeatAvailability != catalog.SeatWalkUp {
			t.Errorf("%s: reservable %v with band %q", s.Code, s.Reservable, s.SeatAvailability)
		}
		if (s.Reserved || s.Embargoed) && s.Reservable != s.Reserved {
			t.Errorf("%s: reserved %v, embargoed %v but reservable %v", s.Code, s.Reserved, s.Embargoed, s.Reservable)
		}
		if s.Type == "Keynote" || s.AllDay {
			if s.Reservable {
				t.Errorf("%s (%s) is reservable", s.Code, s.Title)
			}
			if s.Type == "Keynote" && s.SeatAvailability != catalog.SeatWalkUp {
				t.Errorf("keynote %s has band %q, want walk-up", s.Code, s.SeatAvailability)
			}
		}
		if slices.Contains(talks, s.Type) && s.Scheduled() && !s.AllDay {
			scheduledTalks++
			if s.Reservable {
				reservableTalks++
			}
		}
		if (s.Type == "Lightning talk" || s.Type == "Dev chat") && !s.Reservable && s.Scheduled() {
			walkIn++
		}
	}
	if reservableTalks*100 < 95*scheduledTalks {
		t.Errorf("%d of %d scheduled talks are reservable, want nearly all", reservableTalks, scheduledTalks)
	}
	if walkIn == 0 || bands[catalog.SeatWalkUp] < 10 {
		t.Errorf("%d walk-in expo sessions, %d walk-up bands; want some", walkIn, bands[catalog.SeatWalkUp])
	}
	avail, limited, very, full := bands[catalog.SeatAvailable], bands[catalog.SeatLimited], bands[catalog.SeatVeryLimited], bands[catalog.SeatUnavailable]
	if !(avail > limited && limited > very && very > 0 && full > very && full < avail) {
		t.Errorf("bands available %d, limited %d, veryLimited %d, unavailable %d: want many available, some limited or unavailable, fewer very limited",
			avail, limited, very, full)
	}
	t.Logf("bands: %v", bands)
}

// The file holds Pacific times and says it is sample data; what Fetch
// returns has lists that are [] and never null in JSON.
func TestShape(t *testing.T) {
	f, err := catalog.DecodeBinary(sampleBin, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range f.Sessions {
		if _, off := s.Start.Zone(); s.Scheduled() && off != -8*60*60 {
			t.Errorf("%s: start %v not in Pacific time", s.Code, s.Start)
		}
	}
	if len(sampleBin) > 2_500_000 {
		t.Errorf("sample.bin is %d bytes, want under 2.5 MB", len(sampleBin))
	}

	c := fetch(t)
	for _, s := range c.Sessions {
		for _, l := range [][]string{s.Tracks, s.Topics, s.Services, s.Roles, s.Industries, s.Speakers} {
			if l == nil {
				t.Errorf("%s has a nil list", s.Code)
			}
		}
	}
	b, err := json.Marshal(c.Sessions)
	if err != nil {
		t.Fatal(err)
	}
	var doc []map[string]any
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	for _, s := range doc {
		for _, k := range []string{"tracks", "topics", "services", "roles", "industries", "speakers"} {
			if l, ok := s[k].([]any); !ok || l == nil || len(l) > 3 {
				t.Errorf("%v: %s = %#v, want a list of 0-3 items", s["code"], k, s[k])
			}
		}
		if start, ok := s["start"].(string); ok && !strings.HasSuffix(start, "-08:00") {
			t.Errorf("%v: start %q not in Pacific time", s["code"], start)
		}
	}
}

func BenchmarkFetch(b *testing.B) {
	opts := catalog.FetchOptions{Location: testenv.Vegas}
	b.SetBytes(int64(len(sampleBin)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := (Source{}).Fetch(context.Background(), opts); err != nil {
			b.Fatal(err)
		}
	}
}
