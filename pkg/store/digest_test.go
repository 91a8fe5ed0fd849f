package store

import (
	"context"
	"errors"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/reinvent-cli/reinvent/pkg/catalog"
)

// postedCodes is the codes of event's changes that Changes says are
// posted, and those it says are not.
func postedCodes(t *testing.T, s *Store) (posted, not []string) {
	t.Helper()
	cs, err := s.Changes(context.Background(), event, 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cs {
		if c.Posted {
			posted = append(posted, c.Code)
		} else {
			not = append(not, c.Code)
		}
	}
	return posted, not
}

// TestMigrateTo6KeepsOutboxAndLinksDigests: a store of schema 5 with one
// post made and one pending keeps both through migration 6; a digest then
// recorded is one outbox row carrying its changes, and its one Posted
// posts them all.
func TestMigrateTo6KeepsOutboxAndLinksDigests(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "reinvent.db")
	at := time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)
	old := openAt(t, path, 5)
	_, err := old.Record(ctx, Run{Event: event, Source: "sample", At: at,
		Sessions: []catalog.Session{session("ARC302", "Resilience"), session("SVS401", "Serverless")},
		Changes: []Change{{Code: "ARC302", Kind: KindNew, Post: "NEW #reInvent ARC302: Resilience"},
			{Code: "SVS401", Kind: KindNew, Post: "NEW #reInvent SVS401: Serverless"}}})
	if err != nil {
		t.Fatal(err)
	}
	// The code of schema 5 marked ARC302's post done.
	var first int64
	if err := old.db.QueryRow(`SELECT min(id) FROM outbox`).Scan(&first); err != nil {
		t.Fatal(err)
	}
	if err := old.Posted(ctx, first, "1850000000000000001", at, false); err != nil {
		t.Fatal(err)
	}
	if err := old.Close(); err != nil {
		t.Fatal(err)
	}

	s := openAt(t, path, 6)
	if got := pragma[int](t, s, "user_version"); got != 6 {
		t.Fatalf("user_version %d, want 6", got)
	}
	p, err := s.Pending(ctx, event)
	if err != nil || len(p) != 1 || p[0].Code != "SVS401" || p[0].Text != "NEW #reInvent SVS401: Serverless" || p[0].Codes != nil {
		t.Fatalf("pending after migration = %+v, %v; want SVS401's own post", p, err)
	}
	if posted, not := postedCodes(t, s); !slices.Equal(posted, []string{"ARC302"}) || !slices.Equal(not, []string{"SVS401"}) {
		t.Errorf("after migration, posted %v and not %v; want ARC302 posted, SVS401 not", posted, not)
	}
	if o, err := s.OutboxByID(ctx, first); err != nil || o.State != OutboxPosted || o.PostID != "1850000000000000001" {
		t.Errorf("the post made before migration = %+v, %v", o, err)
	}

	// A digest of three changes and one of a fourth.
	var sessions []catalog.Session
	var changes []Change
	for _, code := range []string{"DAT301", "API304", "NET305", "AIM210"} {
		sessions = append(sessions, session(code, "Title "+code))
		changes = append(changes, Change{Code: code, Kind: KindNew})
	}
	digests := []Digest{
		{Kind: KindNew, Text: "NEW #reInvent 3 sessions: API304 Title API304; DAT301 Title DAT301; NET305 Title NET305", Codes: []string{"API304", "DAT301", "NET305"}},
		{Kind: KindNew, Text: "NEW #reInvent 1 session: AIM210 Title AIM210", Codes: []string{"AIM210"}},
	}
	runID, err := s.Record(ctx, Run{Event: event, Source: "sample", At: at.Add(time.Hour), Sessions: sessions, Changes: changes, Digests: digests})
	if err != nil {
		t.Fatal(err)
	}
	p, err = s.Pending(ctx, event)
	if err != nil || len(p) != 3 {
		t.Fatalf("pending = %+v, %v; want SVS401's post and two digests", p, err)
	}
	for i, d := range digests {
		o := p[i+1]
		if o.Text != d.Text || !slices.Equal(o.Codes, d.Codes) || o.Code != d.Codes[0] || o.Kind != KindNew || o.RunID != runID || !o.CreatedAt.Equal(at.Add(time.Hour)) {
			t.Errorf("digest %d: row %+v, want %+v", i, o, d)
		}
	}
	var posts int
	if err := s.db.QueryRow(`SELECT posts FROM runs WHERE id = ?`, runID).Scan(&posts); err != nil || posts != 2 {
		t.Errorf("the run counts %d posts (%v), want 2", posts, err)
	}
	cs, err := s.Changes(ctx, event, runID)
	if err != nil || len(cs) != 4 {
		t.Fatalf("changes = %+v, %v", cs, err)
	}
	for _, c := range cs {
		want := digests[0].Text
		if c.Code == "AIM210" {
			want = digests[1].Text
		}
		if c.Post != want || c.Posted {
			t.Errorf("change %s: post %q, posted %v; want the digest's text, not posted", c.Code, c.Post, c.Posted)
		}
	}

	// One state change posts the three changes of the first digest.
	if err := s.Attempt(ctx, p[1].ID, at); err != nil {
		t.Fatal(err)
	}
	if err := s.Posted(ctx, p[1].ID, "1850000000000000002", at, false); err != nil {
		t.Fatal(err)
	}
	posted, not := postedCodes(t, s)
	if !slices.Equal(posted, []string{"ARC302", "DAT301", "API304", "NET305"}) || !slices.Equal(not, []string{"SVS401", "AIM210"}) {
		t.Errorf("posted %v, not %v; want ARC302 and the first digest's three posted", posted, not)
	}
	if pending, done, failed, err := s.Counts(ctx, event); pending != 2 || done != 2 || failed != 0 || err != nil {
		t.Errorf("Counts = %d, %d, %d, %v; want 2 pending and 2 posted", pending, done, failed, err)
	}

	// The schema itself refuses a change carried by two outbox rows.
	_, err = s.db.Exec(`INSERT INTO outbox_changes (outbox_id, pos, change_id)
		SELECT ?, 9, change_id FROM outbox WHERE id = ?`, p[2].ID, p[1].ID)
	if err == nil {
		t.Error("a change was linked to a second digest")
	}
}

// TestRecordRefusesBadDigests: a digest that carries no change of the run,
// a change with a post of its own, or a change another digest carries is
// refused, and nothing at all is recorded.
func TestRecordRefusesBadDigests(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	sessions := []catalog.Session{session("ARC302", "Resilience"), session("SVS401", "Serverless")}
	for name, run := range map[string]Run{
		"unknown code": {Changes: []Change{{Code: "ARC302", Kind: KindNew}, {Code: "SVS401", Kind: KindNew}},
			Digests: []Digest{{Kind: KindNew, Text: "d", Codes: []string{"ARC302", "XYZ999"}}}},
		"own post": {Changes: []Change{{Code: "ARC302", Kind: KindNew, Post: "p"}, {Code: "SVS401", Kind: KindNew}},
			Digests: []Digest{{Kind: KindNew, Text: "d", Codes: []string{"ARC302", "SVS401"}}}},
		"two digests": {Changes: []Change{{Code: "ARC302", Kind: KindNew}, {Code: "SVS401", Kind: KindNew}},
			Digests: []Digest{{Kind: KindNew, Text: "d1", Codes: []string{"ARC302", "SVS401"}}, {Kind: KindNew, Text: "d2", Codes: []string{"svs401"}}}},
		"no text": {Changes: []Change{{Code: "ARC302", Kind: KindNew}, {Code: "SVS401", Kind: KindNew}},
			Digests: []Digest{{Kind: KindNew, Codes: []string{"ARC302"}}}},
	} {
		run.Event, run.Source, run.Sessions = event, "sample", sessions
		if _, err := s.Record(ctx, run); !errors.Is(err, ErrBadRun) {
			t.Errorf("%s: Record = %v, want ErrBadRun", name, err)
		}
	}
	if h, err := s.Heads(ctx, event); err != nil || h.Len() != 0 {
		t.Errorf("a refused run recorded sessions: %v, %v", h, err)
	}
	if p, _, _, err := s.Counts(ctx, event); p != 0 || err != nil {
		t.Errorf("a refused run left %d posts pending (%v)", p, err)
	}
}
