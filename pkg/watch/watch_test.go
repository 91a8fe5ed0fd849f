package watch

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/reinvent-cli/reinvent/internal/catalogtest"
	"github.com/reinvent-cli/reinvent/internal/testenv"
	"github.com/reinvent-cli/reinvent/pkg/catalog"
	"github.com/reinvent-cli/reinvent/pkg/store"
	"github.com/reinvent-cli/reinvent/pkg/x"
)

// memHeads is the store's heads held in memory.
type memHeads map[string]head

type head struct {
	s       catalog.Session
	removed bool
}

func (h memHeads) Len() int { return len(h) }
func (h memHeads) Get(code string) ([32]byte, bool, bool) {
	e, ok := h[code]
	if !ok {
		return [32]byte{}, false, false
	}
	return store.Hash(&e.s), e.removed, true
}
func (h memHeads) Session(code string) (catalog.Session, error) { return h[code].s, nil }
func (h memHeads) Codes() []string {
	codes := make([]string, 0, len(h))
	for c := range h {
		codes = append(codes, c)
	}
	slices.Sort(codes)
	return codes
}

// session is an hour-long session on the day'th day of re:Invent week (0 is
// Monday) at hour.
func session(code, title string, day, hour int, venue, room string) catalog.Session {
	return catalogtest.Session(catalog.Session{Code: code, Title: title, Start: catalogtest.At(day, hour), Venue: venue, Room: room})
}

func headsOf(sessions ...catalog.Session) memHeads {
	h := memHeads{}
	for _, s := range sessions {
		h[s.Code] = head{s: s}
	}
	return h
}

func TestDiffKinds(t *testing.T) {
	arc := session("ARC302", "Resilience", 0, 10, "Venetian", "Titian 2201")
	svs := session("SVS401", "Serverless", 1, 13, "MGM Grand", "Room 1")
	dat := session("DAT301", "Databases", 2, 9, "Wynn", "Lafite 1")
	old := session("OLD101", "Gone", 2, 9, "Wynn", "Lafite 2")
	back := session("BAK201", "Back again", 3, 15, "Mandalay Bay", "Oceanside C")
	heads := headsOf(arc, svs, dat, old, back)
	heads["BAK201"] = head{s: back, removed: true}

	movedArc := arc
	movedArc.Start, movedArc.End = arc.Start.Add(time.Hour), arc.End.Add(time.Hour)
	movedArc.Room = "Titian 2205"
	quietSvs := svs
	quietSvs.Abstract = "now with an abstract"
	newSes := session("NEW201", "Brand new", 4, 11, "Caesars Forum", "Alliance 310")
	embargoedDat := dat
	embargoedDat.Embargoed = true
	dup := newSes
	dup.Title = "a second NEW201"

	res, err := Diff(heads, []catalog.Session{movedArc, quietSvs, newSes, embargoedDat, back, dup}, testenv.Vegas)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]Change{}
	for _, c := range res.Changes {
		got[c.Code] = c
	}
	want := map[string]string{"ARC302": KindUpdated, "SVS401": KindUpdated, "NEW201": KindNew, "OLD101": KindRemoved, "BAK201": KindReappeared}
	if len(got) != len(want) {
		t.Fatalf("changes %v, want the kinds %v", res.Changes, want)
	}
	for code, kind := range want {
		if got[code].Kind != kind {
			t.Errorf("%s: kind %q, want %q", code, got[code].Kind, kind)
		}
	}
	if f := got["ARC302"].Fields; !slices.Equal(f, []string{"start", "end", "room"}) {
		t.Errorf("ARC302 fields %v, want start, end, room", f)
	}
	if got["ARC302"].Old["room"] != "Titian 2201" || got["ARC302"].New["room"] != "Titian 2205" {
		t.Errorf("ARC302 room %v → %v", got["ARC302"].Old["room"], got["ARC302"].New["room"])
	}
	if got["ARC302"].Old["start"] != "2026-11-30T10:00:00-08:00" || got["ARC302"].New["start"] != "2026-11-30T11:00:00-08:00" {
		t.Errorf("ARC302 start %v → %v", got["ARC302"].Old["start"], got["ARC302"].New["start"])
	}
	// A time change alone is news: the old bot missed exactly this.
	if !got["ARC302"].Newsworthy {
		t.Error("a change of start, end and room is not newsworthy")
	}
	if got["SVS401"].Newsworthy || !slices.Equal(got["SVS401"].Fields, []string{"abstract"}) {
		t.Errorf("an abstract change: newsworthy %v, fields %v; want a quiet version of [abstract]", got["SVS401"].Newsworthy, got["SVS401"].Fields)
	}
	for _, code := range []string{"NEW201", "OLD101", "BAK201"} {
		if !got[code].Newsworthy {
			t.Errorf("%s (%s) is not newsworthy", code, got[code].Kind)
		}
	}
	if _, ok := got["DAT301"]; ok {
		t.Error("an embargoed session was reported")
	}
	if !slices.Equal(res.Removed, []string{"OLD101"}) {
		t.Errorf("removed %v, want only OLD101 (an embargoed session is not removed)", res.Removed)
	}
	if !slices.Equal(res.Duplicates, []string{"NEW201"}) || got["NEW201"].Session.Title != "Brand new" {
		t.Errorf("duplicates %v, NEW201 title %q: want NEW201 reported and the first one kept", res.Duplicates, got["NEW201"].Session.Title)
	}
	codes := make([]string, 0, len(res.Sessions))
	for _, s := range res.Sessions {
		codes = append(codes, s.Code)
	}
	slices.Sort(codes)
	if want := []string{"ARC302", "BAK201", "NEW201", "SVS401"}; !slices.Equal(codes, want) {
		t.Errorf("new versions of %v, want %v", codes, want)
	}
	if res.Known != 4 {
		t.Errorf("known %d, want 4 (tombstones are not known sessions)", res.Known)
	}
}

func TestDiffUnchangedIsEmpty(t *testing.T) {
	arc := session("ARC302", "Resilience", 0, 10, "Venetian", "Titian 2201")
	utc := arc
	utc.Start, utc.End = arc.Start.UTC(), arc.End.UTC() // the same instants from another source
	res, err := Diff(headsOf(arc), []catalog.Session{utc}, testenv.Vegas)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Changes) != 0 || len(res.Sessions) != 0 {
		t.Fatalf("an unchanged catalog gave changes %v and versions %d", res.Changes, len(res.Sessions))
	}
}

func TestMassRemoval(t *testing.T) {
	var known []catalog.Session
	for i := range 10 {
		known = append(known, session("ABC10"+string(rune('0'+i)), "t", 0, 9, "Wynn", ""))
	}
	for removed, want := range map[int]bool{2: false, 3: true} {
		res, err := Diff(headsOf(known...), known[removed:], testenv.Vegas)
		if err != nil {
			t.Fatal(err)
		}
		if res.MassRemoval() != want {
			t.Errorf("%d of 10 removed: mass removal %v, want %v", removed, res.MassRemoval(), want)
		}
	}
}

func TestTextFits(t *testing.T) {
	long := strings.Repeat("Serverless at scale ", 15) // 300 characters
	titles := map[string]string{
		"plain":    "Building resilient architectures",
		"emoji":    "🚀🔥 Shipping faster with 👨‍👩‍👧‍👦 teams and 🇺🇸 flags 1️⃣ " + strings.Repeat("🎉", 150),
		"cjk":      strings.Repeat("サーバーレスの設計", 40),
		"urls":     "See https://example.com/" + strings.Repeat("a", 200) + " and aws.amazon.com/blogs " + strings.Repeat("https://x.io/p ", 20),
		"long":     long,
		"mention":  "Ask @jeffbarr anything",
		"combined": strings.Repeat("e\u0301", 200),
		"empty":    "",
	}
	for name, title := range titles {
		t.Run(name, func(t *testing.T) {
			old := session("GPSBUS210-R1", title, 0, 10, "Venetian", "Titian 2201 "+title)
			cur := old
			cur.Title = title + " (updated) " + title
			cur.Start, cur.End = old.Start.Add(time.Hour), old.End.Add(time.Hour)
			cur.Venue, cur.Room = "Caesars Forum "+title, "Alliance "+title
			res, err := Diff(headsOf(old), []catalog.Session{cur}, testenv.Vegas)
			if err != nil {
				t.Fatal(err)
			}
			removed, err := Diff(headsOf(old), nil, testenv.Vegas)
			if err != nil {
				t.Fatal(err)
			}
			changes := []Change{res.Changes[0], removed.Changes[0], {Code: cur.Code, Kind: KindNew, Session: cur}, {Code: cur.Code, Kind: KindReappeared, Session: cur}}
			for _, c := range changes {
				text := Text(&c, 12, testenv.Vegas)
				if n := x.WeightedLength(text); n > x.MaxLength {
					t.Errorf("%s: %d weighted characters:\n%s", c.Kind, n, text)
				}
				word := map[string]string{KindNew: "NEW ", KindReappeared: "NEW ", KindUpdated: "UPDATED ", KindRemoved: "REMOVED "}[c.Kind]
				if !strings.HasPrefix(text, word) || !strings.Contains(text, "#reInvent") || !strings.Contains(text, "GPSBUS210-R1 (v12)") {
					t.Errorf("%s: text lacks its word, #reInvent, the code or the version:\n%s", c.Kind, text)
				}
				if strings.Contains(text, "@jeffbarr") {
					t.Errorf("%s: the text would mention @jeffbarr:\n%s", c.Kind, text)
				}
			}
		})
	}
}

func TestTextSaysWhatChanged(t *testing.T) {
	old := session("ARC302", "Resilience", 0, 10, "Venetian", "Titian 2201")
	cur := old
	cur.Start, cur.End = old.Start.Add(24*time.Hour+time.Hour), old.End.Add(24*time.Hour+time.Hour)
	cur.Room = "Titian 2205"
	res, err := Diff(headsOf(old), []catalog.Session{cur}, testenv.Vegas)
	if err != nil {
		t.Fatal(err)
	}
	got := Text(&res.Changes[0], 2, testenv.Vegas)
	want := "UPDATED #reInvent ARC302 (v2): Resilience\ntime: Mon 30 Nov 10:00–11:00 → Tue 1 Dec 11:00–12:00\nroom: Titian 2201 → Titian 2205"
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	first := Text(&Change{Code: "ARC302", Kind: KindNew, Session: old}, 1, testenv.Vegas)
	if want := "NEW #reInvent ARC302: Resilience\nMon 30 Nov 10:00–11:00, Venetian, Titian 2201"; first != want {
		t.Errorf("got\n%s\nwant\n%s", first, want)
	}
}

// TestTextHasNoLink: a domain in catalog text reads the same in the post
// but is not a link, which would cost about 13 times more.
func TestTextHasNoLink(t *testing.T) {
	s := session("ARC302", "Selling on Amazon.com with https://aws.amazon.com/agents", 0, 10, "Venetian", "Lido 3001")
	got := Text(&Change{Code: "ARC302", Kind: KindNew, Session: s}, 1, testenv.Vegas)
	if strings.Contains(got, "Amazon.com") || strings.Contains(got, "aws.amazon.com") ||
		strings.ReplaceAll(got, "\u200b", "") != "NEW #reInvent ARC302: Selling on Amazon.com with https://aws.amazon.com/agents\nMon 30 Nov 10:00–11:00, Venetian, Lido 3001" {
		t.Errorf("post %q links a domain or reads differently", got)
	}
	if n := x.WeightedLength(got); n > x.MaxLength || strings.Count(got, "\u200b") != 3 {
		t.Errorf("post weighs %d with %d zero-width spaces", n, strings.Count(got, "\u200b"))
	}
}

// TestDiffKeepsWhatCouldNotBeRead: a session whose time the source could
// not read this time is neither moved nor unscheduled, a session left out
// for having no code is not removed, and a real change beside an
// unreadable time is still seen.
func TestDiffKeepsWhatCouldNotBeRead(t *testing.T) {
	arc := session("ARC302", "Resilience", 0, 10, "Venetian", "Lido 3001")
	svs := session("SVS401", "Serverless", 1, 11, "Wynn", "Latour 1")
	dat := session("DAT201", "Data", 2, 9, "Encore", "Chopin 1")
	dat.SessionID = "id-dat"
	heads := headsOf(arc, svs, dat)

	arcTBA := arc
	arcTBA.Start, arcTBA.End, arcTBA.Unreadable = time.Time{}, time.Time{}, []string{"start", "end"}
	svsRenamed := svs
	svsRenamed.Title = "Serverless, renamed"
	svsRenamed.Start, svsRenamed.End, svsRenamed.Unreadable = time.Time{}, time.Time{}, []string{"start", "end"}
	cat := &catalog.Catalog{Sessions: []catalog.Session{arcTBA, svsRenamed}, Unkeyed: []string{"id-dat"}}

	res, err := DiffCatalog(heads, cat, testenv.Vegas)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Removed) != 0 {
		t.Errorf("removed %v", res.Removed)
	}
	if len(res.Changes) != 1 || res.Changes[0].Code != "SVS401" || !slices.Equal(res.Changes[0].Fields, []string{"title"}) {
		t.Fatalf("changes %+v, want only SVS401's title", res.Changes)
	}
	if len(res.Sessions) != 1 || !res.Sessions[0].Start.Equal(svs.Start) || !res.Sessions[0].End.Equal(svs.End) {
		t.Errorf("the version stored for SVS401 lost its time: %+v", res.Sessions)
	}

	// Without the ids, the session without a code counts as removed, as
	// Diff of a plain list always did.
	res, err = Diff(heads, cat.Sessions, testenv.Vegas)
	if err != nil || !slices.Equal(res.Removed, []string{"DAT201"}) {
		t.Errorf("Diff: removed %v, %v", res.Removed, err)
	}
}

// TestDiffSeatBand stores a band change as a version and posts nothing.
func TestDiffSeatBand(t *testing.T) {
	arc := session("ARC302", "Resilience", 0, 10, "Venetian", "Lido 3001")
	arc.Reservable, arc.SeatAvailability = true, catalog.SeatAvailable
	full := arc
	full.SeatAvailability = catalog.SeatUnavailable
	res, err := Diff(headsOf(arc), []catalog.Session{full}, testenv.Vegas)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Changes) != 1 || res.Changes[0].Newsworthy || !slices.Equal(res.Changes[0].Fields, []string{"seat_availability"}) || len(res.Sessions) != 1 {
		t.Fatalf("changes %+v", res.Changes)
	}
}

func TestTextLinkFitsAndStaysALink(t *testing.T) {
	s := catalog.Session{Code: "ARC302", SessionID: "a b/c", Title: strings.Repeat("Building on Amazon.com at scale ", 12),
		Venue: "Venetian", Room: "Lido 3001", Start: time.Date(2026, 12, 1, 10, 0, 0, 0, testenv.Vegas), End: time.Date(2026, 12, 1, 11, 0, 0, 0, testenv.Vegas)}
	link := Link("https://example.com/{event}/{id}?c={code}", &s, "reinvent2026")
	if link != "https://example.com/reinvent2026/a%20b%2Fc?c=ARC302" {
		t.Errorf("Link = %q", link)
	}
	text := TextLink(&Change{Code: "ARC302", Kind: KindNew, Session: s}, 1, testenv.Vegas, link)
	if !strings.HasSuffix(text, "\n"+link) || x.WeightedLength(text) > x.MaxLength || !strings.Contains(text, "…") {
		t.Errorf("post %q (%d weighted); want the title cut and the whole link last", text, x.WeightedLength(text))
	}
	if strings.Contains(strings.TrimSuffix(text, link), "Amazon.com") {
		t.Errorf("the title's domain is still a link in %q", text)
	}
	for _, bad := range []string{"", "example.com", "mailto:a@example.com", "https://exa mple.com/{code}"} {
		if CheckLink(bad) == nil {
			t.Errorf("CheckLink(%q) passed", bad)
		}
	}
	if err := CheckLink("https://example.com/session/{code}"); err != nil {
		t.Error(err)
	}
}
