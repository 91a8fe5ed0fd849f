package store

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/reinvent-cli/reinvent/pkg/catalog"
)

// countRows returns the number of rows of table.
func countRows(t *testing.T, s *Store, table string) int {
	t.Helper()
	var n int
	if err := s.db.QueryRow("SELECT count(*) FROM " + table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestHashIsCanonical(t *testing.T) {
	a := session("ARC302", "Title")
	b := a
	b.Start, b.End = a.Start.UTC(), a.End.In(time.FixedZone("X", 3600))
	b.Topics, b.Roles = nil, nil
	if Hash(&a) != Hash(&b) {
		t.Error("the same session in other zones or with nil lists hashes differently")
	}
	c := a
	c.Room = "Lando 4302"
	if Hash(&a) == Hash(&c) {
		t.Error("a room change does not change the hash")
	}
}

func TestRecordStoresVersionsChangesAndOutbox(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	at := time.Date(2026, 10, 1, 12, 0, 0, 0, time.UTC)
	a, b := session("ARC302", "Resilience"), session("svs401", "Serverless")
	b.Start, b.End = time.Time{}, time.Time{} // not scheduled yet
	id, err := s.Record(ctx, Run{Event: event, Source: "sample", At: at,
		Sessions: []catalog.Session{a, b},
		Changes: []Change{
			{Code: "ARC302", Kind: KindNew, New: map[string]any{"title": "Resilience"}, Post: "NEW ARC302"},
			{Code: "SVS401", Kind: KindNew, New: map[string]any{"level": 300}},
		}})
	if err != nil || id <= 0 {
		t.Fatalf("Record = %d, %v", id, err)
	}
	h, err := s.Heads(ctx, event)
	if err != nil {
		t.Fatal(err)
	}
	if h.Len() != 2 || fmt.Sprint(h.Codes()) != "[ARC302 SVS401]" {
		t.Fatalf("heads: %d codes %v", h.Len(), h.Codes())
	}
	for _, want := range []catalog.Session{a, b} {
		hash, removed, ok := h.Get(want.Code)
		if !ok || removed || hash != Hash(&want) {
			t.Errorf("Get(%s) = %x, %v, %v; want the session's hash, live", want.Code, hash, removed, ok)
		}
		got, err := h.Session(want.Code)
		if err != nil || !got.Equal(&want) {
			t.Errorf("Session(%s) = %+v, %v; want %+v", want.Code, got, err, want)
		}
	}
	if _, _, ok := h.Get("XYZ999"); ok {
		t.Error("Get of an unknown code says ok")
	}
	if _, err := h.Session("XYZ999"); !errors.Is(err, ErrNotFound) {
		t.Errorf("Session of an unknown code = %v, want ErrNotFound", err)
	}
	if h2, _ := s.Heads(ctx, "another-event"); h2.Len() != 0 {
		t.Error("heads leak across events")
	}

	cs, err := s.Changes(ctx, event, id)
	if err != nil || len(cs) != 2 {
		t.Fatalf("Changes = %+v, %v", cs, err)
	}
	if cs[0].Code != "ARC302" || cs[0].Post != "NEW ARC302" || cs[0].New["title"] != "Resilience" || cs[0].Fields == nil {
		t.Errorf("change 0 = %+v", cs[0])
	}
	if cs[1].Code != "SVS401" || cs[1].New["level"] != 300.0 || cs[1].Old != nil {
		t.Errorf("change 1 = %+v", cs[1])
	}
	vs, err := s.Versions(ctx, event, "arc302")
	if err != nil || len(vs) != 1 || vs[0].Seq != 1 || !vs[0].SeenAt.Equal(at) || vs[0].Removed {
		t.Errorf("Versions = %+v, %v", vs, err)
	}
	if pending, posted, failed, err := s.Counts(ctx, event); pending != 1 || posted != 0 || failed != 0 || err != nil {
		t.Errorf("Counts = %d, %d, %d, %v; want one pending post", pending, posted, failed, err)
	}
}

func TestHistoryKeepsEveryVersion(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	t0 := time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)
	for i := 1; i <= 20; i++ {
		x := session("ARC302", fmt.Sprintf("Title %d", i))
		if _, err := s.Record(ctx, Run{Event: event, Source: "sample", At: t0.Add(time.Duration(i) * time.Hour),
			Sessions: []catalog.Session{x}}); err != nil {
			t.Fatal(err)
		}
	}
	vs, err := s.Versions(ctx, event, "ARC302")
	if err != nil || len(vs) != 20 {
		t.Fatalf("Versions: %d, %v; want 20", len(vs), err)
	}
	for i, v := range vs {
		if v.Seq != i+1 || v.Session.Title != fmt.Sprintf("Title %d", i+1) || !v.SeenAt.Equal(t0.Add(time.Duration(i+1)*time.Hour)) {
			t.Errorf("version %d = seq %d, %q, %v", i, v.Seq, v.Session.Title, v.SeenAt)
		}
	}
	h, err := s.Heads(ctx, event)
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := h.Session("ARC302"); got.Title != "Title 20" {
		t.Errorf("head is %q, want Title 20", got.Title)
	}
	if hash, _, _ := h.Get("ARC302"); hash != vs[19].Hash {
		t.Error("the head's hash is not the last version's")
	}
	if h.Seq("arc302") != 20 || h.Seq("XYZ999") != 0 {
		t.Errorf("Seq = %d, %d; want 20 for the code, 0 for an unknown one", h.Seq("ARC302"), h.Seq("XYZ999"))
	}
}

func TestHeadsIsASnapshot(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	record := func(title string) {
		t.Helper()
		if _, err := s.Record(ctx, Run{Event: event, Sessions: []catalog.Session{session("ARC302", title)}}); err != nil {
			t.Fatal(err)
		}
	}
	record("Before")
	h, err := s.Heads(ctx, event)
	if err != nil {
		t.Fatal(err)
	}
	record("After")
	if got, err := h.Session("ARC302"); err != nil || got.Title != "Before" {
		t.Errorf("Session from the older Heads = %q, %v; want the version it saw", got.Title, err)
	}
}

func TestTombstoneAndReappearance(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	a, b := session("ARC302", "Kept"), session("SVS401", "Goes away")
	record := func(r Run) {
		t.Helper()
		r.Event, r.Source = event, "sample"
		if _, err := s.Record(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	record(Run{Sessions: []catalog.Session{a, b}})
	record(Run{Removed: []string{"svs401"}, Changes: []Change{{Code: "SVS401", Kind: KindRemoved,
		Old: map[string]any{"title": b.Title}, Post: "REMOVED SVS401"}}})

	h, err := s.Heads(ctx, event)
	if err != nil {
		t.Fatal(err)
	}
	if hash, removed, ok := h.Get("SVS401"); !ok || !removed || hash != Hash(&b) {
		t.Errorf("Get(SVS401) after removal = %x, removed %v, ok %v", hash, removed, ok)
	}
	if got, err := h.Session("SVS401"); err != nil || !got.Equal(&b) {
		t.Errorf("a tombstone lost the last data: %+v, %v", got, err)
	}
	if h.Len() != 2 {
		t.Errorf("Len = %d, want 2 (tombstones count)", h.Len())
	}

	// Removing it again, or a code never seen, is a bug of the caller.
	for _, code := range []string{"SVS401", "XYZ999"} {
		_, err := s.Record(ctx, Run{Event: event, Removed: []string{code}})
		if !errors.Is(err, ErrBadRun) {
			t.Errorf("tombstone of %s = %v, want ErrBadRun", code, err)
		}
	}

	b2 := b
	b2.Room = "Lando 4305"
	record(Run{Sessions: []catalog.Session{b2}, Changes: []Change{{Code: "SVS401", Kind: KindReappeared, Post: "NEW SVS401"}}})
	vs, err := s.Versions(ctx, event, "SVS401")
	if err != nil || len(vs) != 3 {
		t.Fatalf("Versions = %d, %v; want 3", len(vs), err)
	}
	if vs[0].Removed || !vs[1].Removed || vs[2].Removed || vs[2].Session.Room != "Lando 4305" || vs[1].Session.Room != b.Room {
		t.Errorf("history = %+v", vs)
	}
	h, _ = s.Heads(ctx, event)
	if hash, removed, _ := h.Get("SVS401"); removed || hash != Hash(&b2) {
		t.Error("a reappeared session is still a tombstone in Heads")
	}
}

func TestRecordIsAllOrNothing(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	if _, err := s.Record(ctx, Run{Event: event, Sessions: []catalog.Session{session("ARC302", "v1")}}); err != nil {
		t.Fatal(err)
	}
	tables := []string{"runs", "versions", "heads", "changes", "outbox"}
	before := map[string]int{}
	for _, tb := range tables {
		before[tb] = countRows(t, s, tb)
	}
	good := Run{Event: event, Sessions: []catalog.Session{session("ARC302", "v2"), session("SVS401", "new")},
		Changes: []Change{{Code: "ARC302", Kind: KindUpdated, Post: "UPDATED"}, {Code: "SVS401", Kind: KindNew, Post: "NEW"}}}
	canceled, cancel := context.WithCancel(ctx)
	cancel()
	failing := map[string]func() error{
		// The tombstone fails inside the transaction, after the
		// versions, heads and run row were written.
		"tombstone of an unknown code": func() error {
			r := good
			r.Removed = []string{"XYZ999"}
			_, err := s.Record(ctx, r)
			return err
		},
		"two changes of one code": func() error {
			r := good
			r.Changes = append(r.Changes, Change{Code: "arc302", Kind: KindNew})
			_, err := s.Record(ctx, r)
			return err
		},
		"unknown kind": func() error {
			r := good
			r.Changes = []Change{{Code: "ARC302", Kind: "renamed"}}
			_, err := s.Record(ctx, r)
			return err
		},
		"canceled context": func() error {
			_, err := s.Record(canceled, good)
			return err
		},
	}
	for name, f := range failing {
		if err := f(); err == nil {
			t.Errorf("%s: Record succeeded", name)
		}
		for _, tb := range tables {
			if got := countRows(t, s, tb); got != before[tb] {
				t.Errorf("%s: %s has %d rows, want %d: a failed Record left a trace", name, tb, got, before[tb])
			}
		}
	}
	if id, err := s.Record(ctx, Run{Event: event}); id != 0 || err != nil {
		t.Errorf("an empty run = %d, %v; want 0, nil", id, err)
	}
	if got := countRows(t, s, "runs"); got != before["runs"] {
		t.Error("an empty run wrote a run row")
	}
}
