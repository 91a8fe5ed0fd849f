package watch

import (
	"context"
	"fmt"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode"

	"github.com/reinvent-cli/reinvent/internal/testenv"
	"github.com/reinvent-cli/reinvent/pkg/catalog"
	"github.com/reinvent-cli/reinvent/pkg/store"
	"github.com/reinvent-cli/reinvent/pkg/x"
)

// digestHead is the head of a digest post: its word and its count.
var digestHead = regexp.MustCompile(`^(NEW|UPDATED|REMOVED) #reInvent (\d+) (sessions?): `)

// digestItems splits a digest post into its word and items, failing the
// test unless the head is well formed and counts the items.
func digestItems(t *testing.T, text string) (word string, items []string) {
	t.Helper()
	m := digestHead.FindStringSubmatch(text)
	if m == nil {
		t.Fatalf("not a digest post: %q", text)
	}
	items = strings.Split(text[len(m[0]):], "; ")
	if n, _ := strconv.Atoi(m[2]); n != len(items) || (n == 1) != (m[3] == "session") {
		t.Errorf("head %q over %d items: %q", strings.TrimSpace(m[0]), len(items), text)
	}
	return m[1], items
}

// seqOf numbers every change's version 2, and those of codes in v.
func seqOf(v map[string]int) func(string) int {
	return func(code string) int {
		if n, ok := v[code]; ok {
			return n
		}
		return 2
	}
}

func update(t *testing.T, old catalog.Session, change func(s *catalog.Session)) Change {
	t.Helper()
	cur := old
	change(&cur)
	res, err := Diff(headsOf(old), []catalog.Session{cur}, testenv.Vegas)
	if err != nil || len(res.Changes) != 1 {
		t.Fatalf("diff: %+v, %v", res, err)
	}
	return res.Changes[0]
}

// TestDigestsPackEveryChangeOnce: 90 changes of every kind, some with very
// long titles, are packed into posts of at most 280 weighted characters
// whose heads count their items, grouped NEW, UPDATED, REMOVED and in code
// order, each change in exactly one post.
func TestDigestsPackEveryChangeOnce(t *testing.T) {
	var changes []Change
	for i := range 90 {
		code := fmt.Sprintf("ARC%03d", 900-i) // in reverse code order
		title := fmt.Sprintf("Session %d", i)
		if i%7 == 0 {
			title = strings.Repeat("Very long title 🚀 ", 20)
		}
		s := session(code, title, i%5, 8+i%9, "Venetian", "Room "+strconv.Itoa(i))
		switch i % 6 {
		case 0:
			changes = append(changes, Change{Code: code, Kind: KindNew, Session: s, Newsworthy: true})
		case 1:
			changes = append(changes, Change{Code: code, Kind: KindReappeared, Session: s, Newsworthy: true})
		case 2:
			changes = append(changes, Change{Code: code, Kind: KindRemoved, Session: s, Newsworthy: true})
		case 3:
			changes = append(changes, update(t, s, func(s *catalog.Session) { s.Room += " (moved)" }))
		case 4:
			changes = append(changes, update(t, s, func(s *catalog.Session) {
				s.Start, s.End = s.Start.Add(time.Hour), s.End.Add(time.Hour)
				s.Venue = "Wynn"
			}))
		case 5:
			changes = append(changes, update(t, s, func(s *catalog.Session) { s.Title += " (renamed) " + s.Title }))
		}
	}
	ptrs := make([]*Change, len(changes))
	for i := range changes {
		ptrs[i] = &changes[i]
	}
	digests := Digests(ptrs, seqOf(nil), testenv.Vegas)

	seen := map[string]int{}
	word := map[string]string{KindNew: "NEW", KindReappeared: "NEW", KindUpdated: "UPDATED", KindRemoved: "REMOVED"}
	kindOf := map[string]string{}
	for _, c := range changes {
		kindOf[c.Code] = c.Kind
	}
	var order []string // the codes, in the order they are posted
	group := 0
	for _, d := range digests {
		if n := x.WeightedLength(d.Text); n > x.MaxLength {
			t.Errorf("%d weighted characters: %q", n, d.Text)
		}
		w, items := digestItems(t, d.Text)
		if len(items) != len(d.Codes) {
			t.Fatalf("%d items and %d codes: %q", len(items), len(d.Codes), d.Text)
		}
		g := slices.Index([]string{"NEW", "UPDATED", "REMOVED"}, w)
		if g < group {
			t.Errorf("a %s digest after the %d-th group", w, group)
		}
		group = g
		for i, code := range d.Codes {
			seen[code]++
			order = append(order, code)
			if word[kindOf[code]] != w {
				t.Errorf("%s (%s) in a %s digest", code, kindOf[code], w)
			}
			if !strings.HasPrefix(items[i], code+" (v2)") {
				t.Errorf("item %d of %q is not %s's, with its version", i, d.Text, code)
			}
		}
	}
	for _, c := range changes {
		if seen[c.Code] != 1 {
			t.Errorf("%s is in %d digests, want 1", c.Code, seen[c.Code])
		}
	}
	for _, kinds := range [][]string{{KindNew, KindReappeared}, {KindUpdated}, {KindRemoved}} {
		var codes []string
		for _, code := range order {
			if slices.Contains(kinds, kindOf[code]) {
				codes = append(codes, code)
			}
		}
		if !slices.IsSorted(codes) {
			t.Errorf("the %v digests are not in code order: %v", kinds, codes)
		}
	}
	if len(digests) >= len(changes)/2 {
		t.Errorf("%d digests for %d changes: they are hardly packed", len(digests), len(changes))
	}
	// Packed: no post could have taken the next item of its group.
	for i := 0; i+1 < len(digests); i++ {
		a, b := digests[i], digests[i+1]
		if a.Kind != b.Kind {
			continue
		}
		_, items := digestItems(t, a.Text)
		_, next := digestItems(t, b.Text)
		joined := fmt.Sprintf("%s #reInvent %d sessions: %s", digestHead.FindStringSubmatch(a.Text)[1], len(items)+1, strings.Join(append(items, next[0]), "; "))
		if x.WeightedLength(joined) <= x.MaxLength {
			t.Errorf("post %d could have held the next item too:\n%s", i, joined)
		}
	}
}

// TestDigestsText: the words of each kind of item.
func TestDigestsText(t *testing.T) {
	arc := session("ARC302", "Resilience", 0, 10, "Venetian", "Titian 2201")
	svs := session("SVS401", "Serverless", 0, 13, "MGM Grand", "Room 1")
	dat := session("DAT301", "Databases", 2, 9, "Wynn", "Lafite 1")
	api := session("API304", "APIs", 3, 9, "Wynn", "Lafite 2")
	changes := []Change{
		update(t, arc, func(s *catalog.Session) { s.Room = "Lido 3001" }),
		update(t, svs, func(s *catalog.Session) {
			s.Start, s.End = s.Start.Add(21*time.Hour), s.End.Add(21*time.Hour) // Tue 10:00
		}),
		update(t, dat, func(s *catalog.Session) {
			s.Room = "Lido 3001"
			s.End = s.End.Add(30 * time.Minute)
			s.Abstract = "not posted"
		}),
		{Code: "NEW201", Kind: KindNew, Session: session("NEW201", "Brand new", 1, 15, "Wynn", "Cristal 7"), Newsworthy: true},
		{Code: "TBA101", Kind: KindNew, Session: catalog.Session{Code: "TBA101", Title: "Later"}, Newsworthy: true},
		{Code: "BAK201", Kind: KindReappeared, Session: session("BAK201", "Back again", 3, 15, "Wynn", "Cristal 7"), Newsworthy: true},
		{Code: "API304", Kind: KindRemoved, Session: api, Newsworthy: true},
	}
	var ptrs []*Change
	for i := range changes {
		ptrs = append(ptrs, &changes[i])
	}
	got := Digests(ptrs, seqOf(map[string]int{"SVS401": 3, "NEW201": 1, "TBA101": 1, "BAK201": 3}), testenv.Vegas)
	want := []store.Digest{
		{Kind: KindNew, Codes: []string{"BAK201", "NEW201", "TBA101"},
			Text: "NEW #reInvent 3 sessions: BAK201 (v3) Back again, Thu 15:00, back in the catalog; NEW201 Brand new, Tue 15:00; TBA101 Later, time to be announced"},
		{Kind: KindUpdated, Codes: []string{"ARC302", "DAT301", "SVS401"},
			Text: "UPDATED #reInvent 3 sessions: ARC302 (v2) room → Lido 3001; DAT301 (v2) time → Wed 09:00–10:30, room → Lido 3001; SVS401 (v3) time → Tue 10:00"},
		{Kind: KindRemoved, Codes: []string{"API304"}, Text: "REMOVED #reInvent 1 session: API304 (v2)"},
	}
	if len(got) != len(want) {
		t.Fatalf("got %d digests, want %d: %+v", len(got), len(want), got)
	}
	for i := range want {
		if got[i].Kind != want[i].Kind || got[i].Text != want[i].Text || !slices.Equal(got[i].Codes, want[i].Codes) {
			t.Errorf("digest %d:\n got %+v\nwant %+v", i, got[i], want[i])
		}
	}
}

// TestDigestsCutAndQuiet: an item too long for a post of its own is cut
// with "…" and still names its code and version; a domain in a title is
// not a link; @ does not mention; no control character gets through.
func TestDigestsCutAndQuiet(t *testing.T) {
	long := strings.Repeat("サーバーレスの設計 ", 40)
	huge := session("GPSBUS210-R1", long, 0, 10, "Venetian "+long, "Titian "+long)
	moved := update(t, huge, func(s *catalog.Session) {
		s.Title, s.Venue, s.Room = "Renamed "+long, "Wynn "+long, "Lafite "+long
	})
	shop := session("SHP101", "Selling on Amazon.com with https://aws.amazon.com/agents and @jeffbarr \x1b[2J\u202eevil", 1, 10, "Wynn", "Lafite 1")
	changes := []Change{
		{Code: huge.Code, Kind: KindNew, Session: huge, Newsworthy: true},
		moved,
		{Code: shop.Code, Kind: KindNew, Session: shop, Newsworthy: true},
	}
	var ptrs []*Change
	for i := range changes {
		ptrs = append(ptrs, &changes[i])
	}
	digests := Digests(ptrs, seqOf(map[string]int{"SHP101": 1}), testenv.Vegas)
	if len(digests) != 3 {
		t.Fatalf("%d digests, want one for each item: %+v", len(digests), digests)
	}
	for _, d := range digests {
		if n := x.WeightedLength(d.Text); n > x.MaxLength {
			t.Errorf("%d weighted characters: %q", n, d.Text)
		}
		if strings.ContainsFunc(d.Text, func(r rune) bool { return unicode.IsControl(r) || r >= 0x202a && r <= 0x202e }) {
			t.Errorf("a control character in %q", d.Text)
		}
		if x.Defuse(d.Text) != d.Text {
			t.Errorf("X would link part of %q", d.Text)
		}
	}
	// In code order: GPSBUS210-R1 and SHP101 new, then the update.
	for _, d := range []store.Digest{digests[0], digests[2]} {
		_, items := digestItems(t, d.Text)
		if len(items) != 1 || !strings.HasPrefix(items[0], "GPSBUS210-R1 (v2) ") || !strings.Contains(items[0], "…") {
			t.Errorf("the over-long item is not cut to fit: %q", d.Text)
		}
	}
	if u := digests[2].Text; !strings.Contains(u, "title → Renamed") || !strings.Contains(u, "venue → Wynn") || !strings.Contains(u, "room → Lafite") {
		t.Errorf("the cut update lost one of its fields: %q", u)
	}
	q := digests[1].Text
	if strings.Contains(q, "Amazon.com") || strings.Contains(q, "@jeffbarr") ||
		!strings.Contains(strings.NewReplacer("\u200b", "", "\u2060", "").Replace(q), "Selling on Amazon.com with https://aws.amazon.com/agents and @jeffbarr") {
		t.Errorf("the title of SHP101 links, mentions or reads differently: %q", q)
	}
}

// fakePoster is an X that accepts every post.
type fakePoster struct {
	mu    sync.Mutex
	texts []string
}

func (p *fakePoster) Post(_ context.Context, post x.Post) (string, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.texts = append(p.texts, post.Text)
	return strconv.Itoa(len(p.texts)), nil
}

// TestRunDigestOver: with --digest-over 5, a run of 5 changes to post
// makes 5 posts of their own; a run of 6 makes digests that carry them
// all, and every one of them is reported posted.
func TestRunDigestOver(t *testing.T) {
	ctx := context.Background()
	var sessions []catalog.Session
	for i := range 12 {
		sessions = append(sessions, session(fmt.Sprintf("ARC%03d", 100+i), fmt.Sprintf("Session %d", i), i%5, 9, "Wynn", "Room "+strconv.Itoa(i)))
	}
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "reinvent.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	poster := &fakePoster{}
	cur := slices.Clone(sessions)
	d := Deps{Store: st, Poster: poster,
		Fetch: func(context.Context) (*catalog.Catalog, error) {
			return &catalog.Catalog{Sessions: slices.Clone(cur)}, nil
		}}
	o := Options{Event: "reinvent2026", Source: "test", Location: testenv.Vegas, DigestOver: 5}
	if _, err := Run(ctx, d, o); err != nil { // the baseline
		t.Fatal(err)
	}
	for round, n := range []int{5, 6} {
		for i := range n {
			cur[i].Room = fmt.Sprintf("Room %d-%d", round, i)
		}
		before := len(poster.texts)
		r, err := Run(ctx, d, o)
		if err != nil {
			t.Fatal(err)
		}
		texts := poster.texts[before:]
		if len(r.Posted) != n {
			t.Errorf("%d changes: %d reported posted, want all", n, len(r.Posted))
		}
		switch n {
		case 5:
			for _, text := range texts {
				if !strings.HasPrefix(text, "UPDATED #reInvent ARC") {
					t.Errorf("5 changes: a post that is not one change's own: %q", text)
				}
			}
			if len(texts) != 5 {
				t.Errorf("5 changes: %d posts, want 5", len(texts))
			}
		case 6:
			if len(texts) != 1 {
				t.Fatalf("6 changes: %d posts, want one digest: %q", len(texts), texts)
			}
			if _, items := digestItems(t, texts[0]); len(items) != 6 || !strings.HasPrefix(texts[0], "UPDATED #reInvent 6 sessions: ARC100 (v3) room → Room 1-0; ARC101 (v3) room → Room 1-1;") {
				t.Errorf("6 changes: digest %q", texts[0])
			}
		}
	}
	cs, err := st.Changes(ctx, "reinvent2026", 0)
	if err != nil {
		t.Fatal(err)
	}
	posts := 0
	for _, c := range cs {
		if c.Post == "" {
			continue // the baseline's
		}
		posts++
		if !c.Posted {
			t.Errorf("the store does not know %s's change as posted", c.Code)
		}
	}
	if posts != 11 {
		t.Errorf("the store holds %d changes with a post, want 11", posts)
	}
}
