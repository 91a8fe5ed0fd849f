package watch

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/reinvent-cli/reinvent/internal/testenv"
	"github.com/reinvent-cli/reinvent/pkg/catalog"
	"github.com/reinvent-cli/reinvent/pkg/store"
	"github.com/reinvent-cli/reinvent/pkg/x"
)

// refusingPoster fails the test if anything posts through it.
type refusingPoster struct{ t *testing.T }

func (p refusingPoster) Post(context.Context, x.Post) (string, error) {
	p.t.Error("a dry run posted")
	return "", errors.New("a dry run must not post")
}

// storeState is what a dry run must leave as it was: every head, every
// change and the outbox counts.
func storeState(t *testing.T, st *store.Store) string {
	t.Helper()
	ctx := context.Background()
	heads, err := st.Heads(ctx, "reinvent2026")
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, code := range heads.Codes() {
		fmt.Fprintf(&b, "%s v%d; ", code, heads.Seq(code))
	}
	cs, err := st.Changes(ctx, "reinvent2026", 0)
	if err != nil {
		t.Fatal(err)
	}
	pending, posted, failed, err := st.Counts(ctx, "reinvent2026")
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprintf(&b, "%d changes; outbox %d pending, %d posted, %d failed", len(cs), pending, posted, failed)
	return b.String()
}

// TestRunDryRun: a dry run with Tweet plans the posts a run would make,
// the post an earlier run left pending first, its own digested as a run
// would digest them, and changes nothing in the store and takes no lock;
// the run that follows makes exactly those posts, in that order.
func TestRunDryRun(t *testing.T) {
	ctx := context.Background()
	var cur []catalog.Session
	for i := range 8 {
		cur = append(cur, session(fmt.Sprintf("ARC%03d", 100+i), fmt.Sprintf("Session %d", i), i%5, 9, "Wynn", fmt.Sprintf("Room %d", i)))
	}
	db := filepath.Join(t.TempDir(), "reinvent.db")
	st, err := store.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	poster := &fakePoster{}
	fetch := func(context.Context) (*catalog.Catalog, error) {
		return &catalog.Catalog{Sessions: slices.Clone(cur)}, nil
	}
	live := Deps{Store: st, Poster: poster, Fetch: fetch}
	dry := Deps{Store: st, Poster: refusingPoster{t}, Fetch: fetch}
	o := Options{Event: "reinvent2026", Source: "test", Location: testenv.Vegas}

	// A dry run on an empty store is the baseline's: nothing to post.
	r, err := Run(ctx, dry, Options{Event: o.Event, Location: o.Location, DryRun: true, Tweet: true})
	if err != nil || !r.Baseline || len(r.Posts) != 0 || r.Recorded {
		t.Fatalf("dry run on an empty store: %+v, %v; want a baseline with no posts", r, err)
	}
	if _, err := os.Stat(db + ".watch.lock"); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a dry run left a lock file: %v", err)
	}
	if _, err := Run(ctx, live, o); err != nil { // the baseline
		t.Fatal(err)
	}
	// Two changes, one post made: the other stays pending.
	cur[0].Room, cur[1].Room = "Lido 1", "Lido 2"
	oneAtATime := o
	oneAtATime.MaxPosts = 1
	if _, err := Run(ctx, live, oneAtATime); !errors.Is(err, ErrMaxPosts) {
		t.Fatalf("run with MaxPosts 1: %v, want ErrMaxPosts", err)
	}
	// Three more changes, digested over 2.
	cur[2].Room, cur[3].Room = "Lido 3", "Lido 4"
	cur = append(cur, session("NEW101", "Brand new", 1, 14, "Venetian", "Titian 1"))
	digest := o
	digest.DigestOver = 2
	before := storeState(t, st)
	posted := len(poster.texts)

	dryO := digest
	dryO.DryRun, dryO.Tweet = true, true
	r, err = Run(ctx, dry, dryO)
	if err != nil {
		t.Fatal(err)
	}
	if after := storeState(t, st); after != before {
		t.Errorf("a dry run changed the store:\n%s\nwas\n%s", after, before)
	}
	if !r.DryRun || r.Recorded || r.Done != 0 || len(r.Diff.Changes) != 3 {
		t.Errorf("dry run report: dry %v, recorded %v, done %d, %d changes; want a dry run of 3 changes that did nothing",
			r.DryRun, r.Recorded, r.Done, len(r.Diff.Changes))
	}
	if len(r.Posts) != 3 || !r.Posts[0].Earlier || !slices.Equal(r.Posts[0].Codes, []string{"ARC101"}) ||
		!strings.HasPrefix(r.Posts[1].Text, "NEW #reInvent 1 session: NEW101") ||
		!strings.HasPrefix(r.Posts[2].Text, "UPDATED #reInvent 2 sessions: ARC102 (v2) room → Lido 3; ARC103 (v2) room → Lido 4") {
		t.Fatalf("dry run posts %+v; want ARC101's pending post, then a NEW digest and an UPDATED digest", r.Posts)
	}
	if r.Posted["ARC101"] || !r.Posted["NEW101"] || !r.Posted["ARC102"] {
		t.Errorf("dry run Posted %v; want this run's changes only", r.Posted)
	}

	// A cap leaves the rest pending, in a dry run as in a run.
	capped := dryO
	capped.MaxPosts = 2
	if r, err := Run(ctx, dry, capped); err != nil || len(r.Posts) != 2 || r.Pending != 1 || r.Posted["ARC102"] {
		t.Errorf("dry run with MaxPosts 2: %d posts, %d pending, posted %v, %v; want 2 posts and 1 pending", len(r.Posts), r.Pending, r.Posted, err)
	}

	if _, err := Run(ctx, live, digest); err != nil {
		t.Fatal(err)
	}
	var planned []string
	for _, p := range r.Posts {
		planned = append(planned, p.Text)
	}
	if got := poster.texts[posted:]; !slices.Equal(got, planned) {
		t.Errorf("the run after the dry run posted\n%q\nthe dry run planned\n%q", got, planned)
	}
}

// TestRunDryRunWithoutStore: a dry run on a store not created yet is a
// baseline, or with AnnounceInitial a post for every session.
func TestRunDryRunWithoutStore(t *testing.T) {
	cat := &catalog.Catalog{Sessions: []catalog.Session{
		session("ARC100", "One", 0, 9, "Wynn", "Room 1"), session("ARC101", "Two", 1, 9, "Wynn", "Room 2"),
	}}
	d := Deps{Poster: refusingPoster{t}, Fetch: func(context.Context) (*catalog.Catalog, error) { return cat, nil }}
	o := Options{Event: "reinvent2026", Location: testenv.Vegas, DryRun: true, Tweet: true}
	r, err := Run(context.Background(), d, o)
	if err != nil || !r.Baseline || len(r.Diff.Changes) != 2 || len(r.Posts) != 0 {
		t.Fatalf("dry run without a store: %+v, %v; want a baseline of 2 sessions and no posts", r, err)
	}
	o.AnnounceInitial = true
	r, err = Run(context.Background(), d, o)
	if err != nil || len(r.Posts) != 2 || !strings.HasPrefix(r.Posts[0].Text, "NEW #reInvent ARC100: One") {
		t.Fatalf("dry run without a store, announcing: %+v, %v; want a post for each session", r, err)
	}
}
