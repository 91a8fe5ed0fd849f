package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	fakeevents "github.com/reinvent-cli/reinvent/internal/fake/events"
	fakex "github.com/reinvent-cli/reinvent/internal/fake/x"
	"github.com/reinvent-cli/reinvent/internal/testenv"
	"github.com/reinvent-cli/reinvent/pkg/catalog"
	"github.com/reinvent-cli/reinvent/pkg/store"
	"github.com/reinvent-cli/reinvent/pkg/x"
)

var testCred = x.Credentials{ConsumerKey: "ck", ConsumerSecret: "cs", AccessToken: "at", AccessTokenSecret: "ats"}

// watchEnv isolates a watch test: its own store, a catalog file, and the
// X credentials in the environment pointing at a fake X.
type watchEnv struct {
	t       *testing.T
	db      string
	catPath string
	x       *fakex.Server
}

func newWatchEnv(t *testing.T) *watchEnv {
	dir := testenv.Isolate(t)
	fx := fakex.New(testCred)
	t.Cleanup(fx.Close)
	t.Setenv("REINVENT_X_CONSUMER_KEY", testCred.ConsumerKey)
	t.Setenv("REINVENT_X_CONSUMER_SECRET", testCred.ConsumerSecret)
	t.Setenv("REINVENT_X_ACCESS_TOKEN", testCred.AccessToken)
	t.Setenv("REINVENT_X_ACCESS_TOKEN_SECRET", testCred.AccessTokenSecret)
	t.Setenv("REINVENT_X_API_URL", fx.URL())
	e := &watchEnv{t: t, db: filepath.Join(dir, "store", "reinvent.db"), catPath: filepath.Join(dir, "catalog.json"), x: fx}
	t.Setenv("REINVENT_DB", e.db)
	t.Setenv("REINVENT_SOURCE", e.catPath)
	return e
}

func (e *watchEnv) writeCatalog(sessions ...catalog.Session) {
	e.t.Helper()
	var buf bytes.Buffer
	cat := &catalog.Catalog{Source: "test", Event: "reinvent2026", FetchedAt: time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC), Sessions: sessions}
	if err := catalog.WriteJSON(&buf, cat, testenv.Vegas); err != nil {
		e.t.Fatal(err)
	}
	writeFile(e.t, e.catPath, buf.String())
}

func (e *watchEnv) dbBytes() []byte {
	e.t.Helper()
	b, err := os.ReadFile(e.db)
	if err != nil {
		e.t.Fatal(err)
	}
	return b
}

func ses(code, title string, day, hour int, venue, room string) catalog.Session {
	start := time.Date(2026, 11, 30+day, hour, 0, 0, 0, testenv.Vegas)
	return catalog.Session{Code: code, Title: title, Start: start, End: start.Add(time.Hour), Venue: venue, Room: room, Level: 300}
}

func fiveSessions() []catalog.Session {
	return []catalog.Session{
		ses("ARC302", "Resilience", 0, 10, "Venetian", "Titian 2201"),
		ses("SVS401", "Serverless", 1, 13, "MGM Grand", "Room 1"),
		ses("DAT301", "Databases", 2, 9, "Wynn", "Lafite 1"),
		ses("AIM210", "Agents", 3, 11, "Mandalay Bay", "Oceanside C"),
		ses("NET305", "Networking", 4, 9, "Caesars Forum", "Alliance 310"),
	}
}

func TestWatchBaselineChangesAndQuietRuns(t *testing.T) {
	e := newWatchEnv(t)
	sessions := fiveSessions()
	e.writeCatalog(sessions...)

	out, errOut, err := runCLI(t, "watch", "--tweet")
	if err != nil {
		t.Fatal(err)
	}
	if out != "" || !strings.Contains(errOut, "baseline of 5 sessions") || e.x.Count() != 0 {
		t.Fatalf("first run: stdout %q, stderr %q, %d posts; want a silent baseline", out, errOut, e.x.Count())
	}

	sessions[0].Start, sessions[0].End = sessions[0].Start.Add(time.Hour), sessions[0].End.Add(time.Hour) // time only
	sessions[1].Abstract = "an abstract arrives"                                                          // quiet
	sessions[2].Title = "Databases, renamed"
	sessions = slices.Delete(sessions, 3, 4) // AIM210 removed
	sessions = append(sessions, ses("GPSBUS210-R1", "Partners", 1, 15, "Wynn", "Cristal 7"))
	e.writeCatalog(sessions...)

	out, errOut, err = runCLI(t, "watch", "--tweet")
	if err != nil {
		t.Fatalf("%v\n%s", err, errOut)
	}
	want := []string{
		"updated ARC302: start Mon 30 Nov 10:00 → Mon 30 Nov 11:00; end Mon 30 Nov 11:00 → Mon 30 Nov 12:00 [posted]",
		"updated SVS401: abstract changed",
		`updated DAT301: title "Databases" → "Databases, renamed" [posted]`,
		"new GPSBUS210-R1: Partners (Tue 1 Dec 15:00, Wynn) [posted]",
		"removed AIM210: Agents (Thu 3 Dec 11:00, Mandalay Bay) [posted]",
	}
	if got := strings.Split(strings.TrimSpace(out), "\n"); !slices.Equal(got, want) {
		t.Errorf("second run printed\n%s\nwant\n%s", out, strings.Join(want, "\n"))
	}
	var texts []string
	for _, p := range e.x.Posts() {
		texts = append(texts, strings.SplitN(p.Text, "\n", 2)[0])
	}
	wantPosts := []string{
		"UPDATED #reInvent ARC302 (v2): Resilience",
		"UPDATED #reInvent DAT301 (v2): Databases, renamed",
		"NEW #reInvent GPSBUS210-R1: Partners",
		"REMOVED #reInvent AIM210 (v2): Agents",
	}
	if !slices.Equal(texts, wantPosts) {
		t.Errorf("posts\n%s\nwant\n%s", strings.Join(texts, "\n"), strings.Join(wantPosts, "\n"))
	}
	if !strings.Contains(errOut, "1 new, 3 updated, 1 removed") || !strings.Contains(errOut, "Posted 4 to X; 0 pending") {
		t.Errorf("summary: %s", errOut)
	}

	before := e.dbBytes()
	out, _, err = runCLI(t, "watch", "--tweet")
	if err != nil || out != "" {
		t.Fatalf("an unchanged catalog: err %v, stdout %q", err, out)
	}
	if !bytes.Equal(before, e.dbBytes()) {
		t.Error("a run with no change modified the database file")
	}
	if e.x.Count() != 4 {
		t.Errorf("%d posts after a quiet run, want 4", e.x.Count())
	}
}

func TestWatchJSONLines(t *testing.T) {
	e := newWatchEnv(t)
	sessions := fiveSessions()
	e.writeCatalog(sessions...)
	if _, _, err := runCLI(t, "watch"); err != nil {
		t.Fatal(err)
	}
	sessions[4].Room = "Alliance 311"
	e.writeCatalog(sessions...)
	out, _, err := runCLI(t, "watch", "--format", "json")
	if err != nil {
		t.Fatal(err)
	}
	var line map[string]any
	if err := json.Unmarshal([]byte(out), &line); err != nil {
		t.Fatalf("%v: %q", err, out)
	}
	want := map[string]any{"code": "NET305", "kind": "updated", "fields": []any{"room"},
		"old": map[string]any{"room": "Alliance 310"}, "new": map[string]any{"room": "Alliance 311"}, "posted": false}
	if got, _ := json.Marshal(line); string(got) != mustJSON(t, want) {
		t.Errorf("got %s\nwant %s", got, mustJSON(t, want))
	}
	if e.x.Count() != 0 {
		t.Error("watch without --tweet posted")
	}
}

func mustJSON(t *testing.T, v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestWatchAnnounceInitial(t *testing.T) {
	e := newWatchEnv(t)
	e.writeCatalog(fiveSessions()...)
	out, _, err := runCLI(t, "watch", "--tweet", "--announce-initial")
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(out, "\n"); n != 5 || e.x.Count() != 5 {
		t.Errorf("%d lines and %d posts, want 5 of each:\n%s", n, e.x.Count(), out)
	}
}

func TestWatchTweetNeedsCredentials(t *testing.T) {
	e := newWatchEnv(t)
	t.Setenv("REINVENT_X_ACCESS_TOKEN", "")
	t.Setenv("REINVENT_X_ACCESS_TOKEN_SECRET", "")
	t.Setenv("REINVENT_SOURCE", filepath.Join(t.TempDir(), "missing.json")) // never read
	_, _, err := runCLI(t, "watch", "--tweet")
	if ExitCode(err) != ExitUsage || !strings.Contains(err.Error(), "x-access-token, x-access-token-secret") ||
		!strings.Contains(err.Error(), "REINVENT_X_ACCESS_TOKEN_SECRET") || strings.Contains(err.Error(), "missing.json") {
		t.Errorf("exit %d, err %v; want exit 2 naming the two missing settings before any fetch", ExitCode(err), err)
	}
	if _, statErr := os.Stat(e.db); statErr == nil {
		t.Error("the store was created although the run could not start")
	}
}

func TestWatchMassRemovalGuard(t *testing.T) {
	e := newWatchEnv(t)
	sessions := fiveSessions()
	e.writeCatalog(sessions...)
	if _, _, err := runCLI(t, "watch"); err != nil {
		t.Fatal(err)
	}
	before := e.dbBytes()
	e.writeCatalog(sessions[:3]...) // 2 of 5 gone: 40%
	out, _, err := runCLI(t, "watch", "--tweet")
	if ExitCode(err) != ExitFailure || !strings.Contains(err.Error(), "remove 2 of 5 known sessions") || !strings.Contains(err.Error(), "--allow-mass-removal") {
		t.Fatalf("exit %d, err %v", ExitCode(err), err)
	}
	if out != "" || !bytes.Equal(before, e.dbBytes()) || e.x.Count() != 0 {
		t.Error("a refused mass removal printed, recorded or posted something")
	}
	out, _, err = runCLI(t, "watch", "--tweet", "--allow-mass-removal")
	if err != nil || strings.Count(out, "removed ") != 2 || e.x.Count() != 2 {
		t.Errorf("with --allow-mass-removal: err %v, %d posts, stdout\n%s", err, e.x.Count(), out)
	}
}

func TestWatchRateLimitKeepsPostsPending(t *testing.T) {
	e := newWatchEnv(t)
	sessions := fiveSessions()
	e.writeCatalog(sessions...)
	if _, _, err := runCLI(t, "watch", "--tweet"); err != nil {
		t.Fatal(err)
	}
	for i := range sessions {
		sessions[i].Room += " (moved)"
	}
	e.writeCatalog(sessions...)
	e.x.RateLimitAfter(2)
	out, errOut, err := runCLI(t, "watch", "--tweet")
	if ExitCode(err) != ExitPending || !strings.Contains(err.Error(), "3 posts left pending") {
		t.Fatalf("exit %d, err %v; want exit 5 with 3 posts pending", ExitCode(err), err)
	}
	if strings.Count(out, "[posted]") != 2 || strings.Count(out, "[pending]") != 3 || !strings.Contains(errOut, "Posted 2 to X; 3 pending") {
		t.Errorf("stdout\n%s\nstderr\n%s", out, errOut)
	}

	e.x.RateLimitAfter(-1)
	out, errOut, err = runCLI(t, "watch", "--tweet")
	if err != nil || out != "" || !strings.Contains(errOut, "Posted 3 to X; 0 pending") {
		t.Errorf("the next run: err %v, stdout %q, stderr %q", err, out, errOut)
	}
	if e.x.Count() != 5 {
		t.Errorf("%d posts in all, want 5", e.x.Count())
	}
}

// TestWatchMaxPosts: --max-posts caps a run's posts; the rest stay
// pending (exit 5) and the next run posts them, each once.
func TestWatchMaxPosts(t *testing.T) {
	e := newWatchEnv(t)
	sessions := fiveSessions()
	e.writeCatalog(sessions...)
	if _, _, err := runCLI(t, "watch", "--tweet"); err != nil {
		t.Fatal(err)
	}
	for i := range sessions {
		sessions[i].Room += " (moved)"
	}
	e.writeCatalog(sessions...)
	out, errOut, err := runCLI(t, "watch", "--tweet", "--max-posts", "2")
	if ExitCode(err) != ExitPending || !strings.Contains(err.Error(), "--max-posts allows; 3 posts left pending") || e.x.Count() != 2 {
		t.Fatalf("exit %d, err %v, %d posts; want exit 5, 2 posts and 3 pending", ExitCode(err), err, e.x.Count())
	}
	if strings.Count(out, "[posted]") != 2 || !strings.Contains(errOut, "Posted 2 to X; 3 pending") {
		t.Errorf("stdout\n%s\nstderr\n%s", out, errOut)
	}
	if _, _, err = runCLI(t, "watch", "--tweet", "--max-posts", "2"); ExitCode(err) != ExitPending || e.x.Count() != 4 {
		t.Errorf("second run: exit %d, %d posts in all; want 5 and 4", ExitCode(err), e.x.Count())
	}
	if _, errOut, err = runCLI(t, "watch", "--tweet", "--max-posts", "2"); err != nil || e.x.Count() != 5 || !strings.Contains(errOut, "Posted 1 to X; 0 pending") {
		t.Errorf("third run: err %v, %d posts in all; want 5\n%s", err, e.x.Count(), errOut)
	}
	if _, _, err = runCLI(t, "watch", "--max-posts", "-1"); ExitCode(err) != ExitUsage {
		t.Errorf("--max-posts -1: exit %d, want 2", ExitCode(err))
	}
}

func TestWatchFailedFetchRecordsNothing(t *testing.T) {
	e := newWatchEnv(t)
	var items []any
	for i, s := range fiveSessions() {
		items = append(items, fakeevents.Session{SessionID: s.Code, Abbreviation: s.Code, Title: s.Title, Venue: s.Venue, Room: s.Room,
			SessionTime: &fakeevents.SessionTime{Date: s.Start.Format("2006-01-02"), Time: s.Start.Format("15:04"), Length: strconv.Itoa(60 + i)}})
	}
	fake := fakeevents.New("reinvent2026", items)
	fake.Event.TimeZone = "America/Los_Angeles"
	fake.PageSizes = []int{1}
	t.Cleanup(fake.Close)
	t.Setenv("REINVENT_SOURCE", "events-api")
	t.Setenv("REINVENT_EVENTS_API_URL", fake.URL)

	fake.Lock()
	fake.FailPage = map[int]fakeevents.Failure{3: {Status: 403, Body: `{"message":"Forbidden"}`}}
	fake.Unlock()
	out, _, err := runCLI(t, "watch", "--tweet")
	if err == nil || out != "" {
		t.Fatalf("a fetch failing on page 3: err %v, stdout %q", err, out)
	}
	if _, statErr := os.Stat(e.db); statErr == nil {
		if heads := readHeads(t, e.db, "reinvent2026"); heads != 0 {
			t.Errorf("a failed fetch recorded %d sessions", heads)
		}
	}

	fake.Lock()
	fake.FailPage = nil
	fake.Unlock()
	if _, errOut, err := runCLI(t, "watch", "--tweet"); err != nil || !strings.Contains(errOut, "baseline of 5 sessions") {
		t.Errorf("after the failure: err %v, stderr %s", err, errOut)
	}
}

func TestWatchBadStore(t *testing.T) {
	e := newWatchEnv(t)
	e.writeCatalog(fiveSessions()...)
	garbage := []byte("this is not a database, it is a shopping list\n")
	if err := os.MkdirAll(filepath.Dir(e.db), 0o700); err != nil {
		t.Fatal(err)
	}
	writeFile(t, e.db, string(garbage))
	_, _, err := runCLI(t, "watch")
	if ExitCode(err) != ExitFailure || !strings.Contains(err.Error(), e.db) || !strings.Contains(err.Error(), "not a reinvent store") {
		t.Errorf("exit %d, err %v", ExitCode(err), err)
	}
	if !bytes.Equal(garbage, e.dbBytes()) {
		t.Error("a file that is not a store was overwritten")
	}
}

func TestWatchDuplicateCodesReported(t *testing.T) {
	e := newWatchEnv(t)
	sessions := fiveSessions()
	twin := sessions[0]
	twin.Title = "An impostor"
	e.writeCatalog(append(sessions, twin)...)
	_, errOut, err := runCLI(t, "watch")
	if err != nil || !strings.Contains(errOut, "lists ARC302 more than once") || !strings.Contains(errOut, "baseline of 5 sessions") {
		t.Errorf("err %v, stderr %s", err, errOut)
	}
}

// readHeads is the number of sessions the store at path knows for event.
func readHeads(t *testing.T, path, event string) int {
	t.Helper()
	st, err := store.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	h, err := st.Heads(context.Background(), event)
	if err != nil {
		t.Fatal(err)
	}
	return h.Len()
}

func TestWatchQuietForCron(t *testing.T) {
	e := newWatchEnv(t)
	e.writeCatalog(fiveSessions()...)
	if _, _, err := runCLI(t, "watch"); err != nil {
		t.Fatal(err)
	}
	out, errOut, err := runCLI(t, "watch", "--tweet", "--log-level", "warn")
	if err != nil || out != "" || errOut != "" {
		t.Errorf("a quiet run: err %v, stdout %q, stderr %q; want no output at all", err, out, errOut)
	}
}

// TestWatchDigestOver: a run with more changes to post than --digest-over
// posts them in digests, and says [posted] of each; without --tweet the
// option changes nothing; a negative number is a usage error.
func TestWatchDigestOver(t *testing.T) {
	e := newWatchEnv(t)
	sessions := fiveSessions()
	e.writeCatalog(sessions...)
	if _, _, err := runCLI(t, "watch", "--tweet", "--digest-over", "2"); err != nil {
		t.Fatal(err)
	}
	for i := range sessions {
		sessions[i].Room += " (moved)"
	}
	e.writeCatalog(sessions...)
	out, errOut, err := runCLI(t, "watch", "--tweet", "--digest-over", "2")
	if err != nil {
		t.Fatalf("%v\n%s", err, errOut)
	}
	want := "UPDATED #reInvent 5 sessions: AIM210 (v2) room → Oceanside C (moved); ARC302 (v2) room → Titian 2201 (moved); " +
		"DAT301 (v2) room → Lafite 1 (moved); NET305 (v2) room → Alliance 310 (moved); SVS401 (v2) room → Room 1 (moved)"
	if posts := e.x.Posts(); len(posts) != 1 || posts[0].Text != want {
		t.Errorf("posts %+v, want the one digest %q", posts, want)
	}
	if strings.Count(out, "[posted]") != 5 || !strings.Contains(errOut, "Posted 1 to X; 0 pending") {
		t.Errorf("stdout\n%s\nstderr\n%s", out, errOut)
	}

	for i := range sessions {
		sessions[i].Room += " again"
	}
	e.writeCatalog(sessions...)
	out, _, err = runCLI(t, "watch", "--digest-over", "2", "--format", "json")
	if err != nil || strings.Count(out, `"posted":false`) != 5 || e.x.Count() != 1 {
		t.Errorf("without --tweet: err %v, %d posts, stdout\n%s", err, e.x.Count(), out)
	}

	_, _, err = runCLI(t, "watch", "--tweet", "--digest-over", "-1")
	if ExitCode(err) != ExitUsage || !strings.Contains(err.Error(), "--digest-over -1") || strings.Contains(err.Error(), "\n") {
		t.Errorf("--digest-over -1: exit %d, err %v; want exit 2 and one line", ExitCode(err), err)
	}
}

// TestWatchLink: only with --link does a post hold a URL, the template
// filled in for the session; a removal gets none.
func TestWatchLink(t *testing.T) {
	e := newWatchEnv(t)
	sessions := fiveSessions()
	e.writeCatalog(sessions...)
	if _, _, err := runCLI(t, "watch", "--tweet"); err != nil {
		t.Fatal(err)
	}
	sessions[0].Room += " (moved)"
	e.writeCatalog(sessions...)
	if _, errOut, err := runCLI(t, "watch", "--tweet"); err != nil {
		t.Fatalf("%v\n%s", err, errOut)
	}
	if posts := e.x.Posts(); len(posts) != 1 || strings.Contains(posts[0].Text, "https://") {
		t.Fatalf("without --link: %+v; want one post and no URL", posts)
	}
	sessions[0].Room += " again"
	e.writeCatalog(append([]catalog.Session(nil), sessions[:4]...)...)
	const link = "https://example.com/{event}/session/{code}"
	if _, errOut, err := runCLI(t, "watch", "--tweet", "--link", link); err != nil {
		t.Fatalf("%v\n%s", err, errOut)
	}
	posts := e.x.Posts()[1:]
	if len(posts) != 2 {
		t.Fatalf("posts %+v; want an update and a removal", posts)
	}
	code := sessions[0].Code
	if !strings.HasSuffix(posts[0].Text, "\nhttps://example.com/reinvent2026/session/"+code) || x.WeightedLength(posts[0].Text) > x.MaxLength {
		t.Errorf("the update's post %q; want the link as its last line", posts[0].Text)
	}
	if strings.Contains(posts[1].Text, "https://") || !strings.HasPrefix(posts[1].Text, "REMOVED") {
		t.Errorf("the removal's post %q; want no link", posts[1].Text)
	}
	for _, bad := range []string{"example.com/{code}", "ftp://example.com/{code}", "https:///{code}"} {
		_, _, err := runCLI(t, "watch", "--tweet", "--link", bad)
		if ExitCode(err) != ExitUsage || !strings.Contains(err.Error(), "--link") {
			t.Errorf("--link %q: exit %d, %v; want a usage error", bad, ExitCode(err), err)
		}
	}
}
