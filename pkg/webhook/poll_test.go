package webhook

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	fakex "github.com/reinvent-cli/reinvent/internal/fake/x"
	"github.com/reinvent-cli/reinvent/pkg/store"
	"github.com/reinvent-cli/reinvent/pkg/x"
)

// The page's shape is GetUsersMentionsResponse (docs/x-api-research.md,
// section 1j): newest first, authors in includes.users.
func TestParseTimeline(t *testing.T) {
	tl, err := ParseTimeline(readFixture(t, "timeline_page.json"), bot, "1849999999999999999")
	if err != nil || len(tl.Skipped) > 0 {
		t.Fatal(err, tl.Skipped)
	}
	ms, ids := tl.Mentions, tl.IDs
	want := []Mention{
		{ID: "1995555000000000101", UserID: "1187000000000000042", User: "alice_builds",
			Text: "@reinventbot SVS215 CON213", CreatedAt: time.Date(2026, 12, 2, 17, 5, 12, 0, time.UTC)},
		{ID: "1995555000000000102", UserID: "1187000000000000088", User: "dee",
			Text: "A long one, see the note. @reinventbot SVS401 ARC302 DAT335", CreatedAt: time.Date(2026, 12, 2, 17, 6, 0, 0, time.UTC)},
	}
	if !reflect.DeepEqual(ms, want) {
		t.Errorf("mentions (oldest first; no retweet, none of the bot's own, not @reinventbotx):\n got %+v\nwant %+v", ms, want)
	}
	if len(ids) != 5 || ids[0] != "1995555000000000101" || ids[4] != "1995555000000000105" {
		t.Errorf("ids = %v; want all five, oldest first", ids)
	}
}

func TestParseTimelineEmptyAndBroken(t *testing.T) {
	for _, body := range []string{`{"meta":{"result_count":0}}`, `{}`, `{"data":[]}`} {
		if tl, err := ParseTimeline([]byte(body), bot, ""); err != nil || len(tl.Mentions)+len(tl.IDs)+len(tl.Skipped) != 0 {
			t.Errorf("%s: %+v %v; want nothing", body, tl, err)
		}
	}
	for _, body := range []string{`<html>busy</html>`, `{"data":{"id":"1"}}`, `{"data":"1"}`} {
		if _, err := ParseTimeline([]byte(body), bot, ""); err == nil {
			t.Errorf("%s: no error", body)
		}
	}
}

// TestParseTimelineReadsNumericIDsAndSkipsBadPosts: ids sent as numbers
// are read like strings, and one post that cannot be read costs only
// itself: the mention beside it is read, and the skip says which post
// it was without control characters.
func TestParseTimelineReadsNumericIDsAndSkipsBadPosts(t *testing.T) {
	body := `{"data":[
		{"id":1995555000000000201,"text":"@reinventbot SVS401","author_id":1187000000000000042,"entities":{"mentions":[{"username":"reinventbot"}]}},
		{"id":"1995555000000000200\u001b[2J","text":["not","text"],"author_id":"1187000000000000043"},
		{"id":"1995555000000000199","text":"@reinventbot ARC302","author_id":"1187000000000000044","entities":{"mentions":[{"username":"reinventbot"}]}},
		{"id":{"nested":1},"text":"@reinventbot DAT335"},
		17
	],"includes":{"users":[{"id":1187000000000000042,"username":"alice_builds"},{"id":"1187000000000000044","username":"bo"}]},
	"meta":{"result_count":5,"newest_id":"1995555000000000201","oldest_id":"1995555000000000199"}}`
	tl, err := ParseTimeline([]byte(body), bot, "")
	if err != nil {
		t.Fatalf("one bad post failed the page: %v", err)
	}
	want := []Mention{
		{ID: "1995555000000000199", UserID: "1187000000000000044", User: "bo", Text: "@reinventbot ARC302"},
		{ID: "1995555000000000201", UserID: "1187000000000000042", User: "alice_builds", Text: "@reinventbot SVS401"},
	}
	if !reflect.DeepEqual(tl.Mentions, want) {
		t.Errorf("mentions:\n got %+v\nwant %+v", tl.Mentions, want)
	}
	if want := []string{"1995555000000000199", "1995555000000000200\x1b[2J", "1995555000000000201"}; !reflect.DeepEqual(tl.IDs, want) {
		t.Errorf("ids %q, want %q (a bad post's readable id included)", tl.IDs, want)
	}
	if len(tl.Skipped) != 3 {
		t.Fatalf("skipped %v; want the three unreadable posts", tl.Skipped)
	}
	for _, e := range tl.Skipped {
		if strings.ContainsAny(e.Error(), "\x1b\n") {
			t.Errorf("skip %q holds a control character", e)
		}
	}
	if last := tl.Skipped[2].Error(); !strings.Contains(last, `post 2 of the page (id "1995555000000000200")`) {
		t.Errorf("skip %q does not say which post", last)
	}
}

func FuzzParseTimeline(f *testing.F) {
	f.Add(readFixture(f, "timeline_page.json"))
	f.Add([]byte(`{"data":[{"id":"1","text":"@reinventbot x"}]}`))
	f.Add([]byte(`{"data":[{"id":1995555000000000201,"text":"@reinventbot SVS401","author_id":7},{"id":"2","text":"@reinventbot ARC302"}]}`))
	f.Add([]byte(`{"data":[{"id":"3","text":7},{"id":"4","text":"@reinventbot DAT335"}],"includes":{"users":[{"id":5,"username":"a"}]}}`))
	f.Add([]byte(`{"data":[{"id":{"n":1}},null,17,"x",{"id":-1},{"id":1e3},{"id":"5\u001b[2J","text":"@reinventbot"}]}`))
	f.Add([]byte(`{"data":[{"id":"6","text":"@reinventbot SVS401","author_id":"1849999999999999999"}],"meta":{"newest_id":6}}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		tl, err := ParseTimeline(body, bot, "1849999999999999999")
		if err != nil {
			return
		}
		if len(tl.Mentions) > len(tl.IDs) {
			t.Fatalf("%d mentions from %d posts", len(tl.Mentions), len(tl.IDs))
		}
		for _, m := range tl.Mentions {
			if m.ID == "" || m.UserID == "1849999999999999999" {
				t.Fatalf("mention %+v: no id, or the bot's own", m)
			}
		}
		for _, e := range tl.Skipped {
			if strings.ContainsAny(e.Error(), "\x1b\n\r\x00\u009b") {
				t.Fatalf("skip %q holds a control character", e)
			}
		}
	})
}

func TestCmpID(t *testing.T) {
	for _, c := range []struct {
		a, b string
		want int
	}{{"9", "10", -1}, {"1995555000000000101", "1995555000000000099", 1}, {"", "1", -1}, {"5", "5", 0}} {
		if got := cmpID(c.a, c.b); (got > 0) != (c.want > 0) || (got < 0) != (c.want < 0) {
			t.Errorf("cmpID(%q, %q) = %d, want sign %d", c.a, c.b, got, c.want)
		}
	}
}

// pollRig runs a Poller on a real store against the fake X, queueing
// into the store's job queue.
type pollRig struct {
	t      *testing.T
	st     *store.Store
	fx     *fakex.Server
	w      *Worker
	cancel context.CancelFunc
	done   chan error
}

func newPollRig(t *testing.T) *pollRig {
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "reinvent.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	fx := fakex.New(cred)
	t.Cleanup(fx.Close)
	fx.SetBot(bot)
	fx.TimelineLimit(1 << 20)
	return &pollRig{t: t, st: st, fx: fx, w: &Worker{Store: st, UserLimit: 0}}
}

// start runs the poller, reading every 10 ms; after each read is
// handled, stopAfter (when set) says whether to stop there.
func (r *pollRig) start(stopAfter ...func(read int) bool) {
	ctx, cancel := context.WithCancel(context.Background())
	r.cancel, r.done = cancel, make(chan error, 1)
	n := 0
	p := &Poller{Timeline: x.NewClient(r.fx.URL(), cred), Store: r.st, Queue: r.w.Enqueue,
		BotHandle: bot, Interval: 10 * time.Millisecond, Logger: slog.New(slog.DiscardHandler),
		Read: func(error) {
			n++
			if len(stopAfter) > 0 && stopAfter[0](n) {
				cancel()
			}
		}}
	go func() { r.done <- p.Run(ctx) }()
	r.t.Cleanup(r.stop)
}

func (r *pollRig) stop() {
	if r.cancel != nil {
		r.cancel()
		if err := <-r.done; err != nil {
			r.t.Errorf("poller: %v", err)
		}
		r.cancel = nil
	}
}

// reads waits for n more timeline reads.
func (r *pollRig) reads(n int) {
	r.t.Helper()
	if want := r.fx.TimelineReads() + n; !r.fx.WaitTimelineReads(want, 10*time.Second) {
		r.t.Fatalf("%d timeline reads, waited for %d", r.fx.TimelineReads(), want)
	}
}

func (r *pollRig) queued(id string) bool {
	j, err := r.st.JobByID(context.Background(), id)
	return err == nil && j != nil
}

// TestPollerSweepsPagesAndResumes: 250 new mentions take three pages;
// since_id moves only after the last, and a poller stopped after the
// first page goes on with the saved page token.
func TestPollerSweepsPagesAndResumes(t *testing.T) {
	r := newPollRig(t)
	r.start(func(n int) bool { return n == 1 })
	<-r.done // the cold first poll found nothing
	r.cancel = nil
	var ids []string
	for i := range 250 {
		ids = append(ids, r.fx.AddMention(fakex.Mention{AuthorID: fmt.Sprint(7000 + i), Username: fmt.Sprint("u", i), Text: "@reinventbot SVS401"}))
	}
	r.start(func(n int) bool { return n == 1 }) // stop after the sweep's first page
	<-r.done
	r.cancel = nil
	if r.queued(ids[0]) || !r.queued(ids[249]) || !r.queued(ids[150]) {
		t.Fatalf("after page 1: the newest 100 should be queued, the oldest not")
	}
	r.start()
	r.reads(3)
	r.stop()
	for _, id := range ids {
		if !r.queued(id) {
			t.Fatalf("mention %s was not queued", id)
		}
	}
	qs := r.fx.TimelineQueries()
	// Read 1 found nothing; reads 2-4 are one sweep from no since_id,
	// read 3 after the restart with page 1's token; read 5 asks since the
	// newest.
	if qs[1].Get("pagination_token") != "" || qs[2].Get("pagination_token") == "" || qs[3].Get("pagination_token") == "" {
		t.Errorf("page tokens of the sweep: %q %q %q", qs[1].Get("pagination_token"), qs[2].Get("pagination_token"), qs[3].Get("pagination_token"))
	}
	for i := 1; i <= 3; i++ {
		if qs[i].Get("since_id") != "" {
			t.Errorf("read %d of the sweep has since_id %q; want none until the sweep ends", i+1, qs[i].Get("since_id"))
		}
	}
	if got := qs[4].Get("since_id"); got != ids[249] {
		t.Errorf("after the sweep since_id = %q, want the newest %s", got, ids[249])
	}
}

// TestPollerSurvivesHostilePages: a page whose meta names an id that is
// not X's shape, and X refusing the saved since_id, neither stop the
// poller nor lose a mention.
func TestPollerSurvivesHostilePages(t *testing.T) {
	r := newPollRig(t)
	m1 := r.fx.AddMention(fakex.Mention{AuthorID: "81", Username: "ann", Text: "@reinventbot SVS401"})
	r.fx.FailTimeline(fakex.Failure{Status: 200, Body: `{"data":[{"id":"` + m1 + `","text":"@reinventbot SVS401","author_id":"81",` +
		`"entities":{"mentions":[{"username":"reinventbot"}]}}],"meta":{"newest_id":"1 OR 1=1\u001b[2J","result_count":"1"}}`})
	r.start()
	r.reads(2)
	if q := r.fx.TimelineQueries()[1]; q.Get("since_id") != m1 {
		t.Errorf("since_id after a bad newest_id = %q, want %s (the page's real newest)", q.Get("since_id"), m1)
	}
	r.fx.FailTimeline(fakex.Failure{Status: 400, Body: `{"title":"Invalid Request","detail":"since_id is too old","type":"https://api.x.com/2/problems/invalid-request"}`})
	m2 := r.fx.AddMention(fakex.Mention{AuthorID: "82", Username: "bob", Text: "@reinventbot ARC302"})
	r.reads(3)
	r.stop()
	if !r.queued(m1) || !r.queued(m2) {
		t.Errorf("queued m1 %v, m2 %v; want both", r.queued(m1), r.queued(m2))
	}
}

// run polls until n reads are handled, with a Sleep that records each
// wait and returns at once, so the spacing of reads is seen without
// waiting for it; it returns the waits asked for.
func (r *pollRig) run(interval time.Duration, n int, log *slog.Logger) []time.Duration {
	r.t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var waits []time.Duration
	reads := 0
	p := &Poller{Timeline: x.NewClient(r.fx.URL(), cred), Store: r.st, Queue: r.w.Enqueue,
		BotHandle: bot, Interval: interval, Logger: log,
		Read: func(error) {
			if reads++; reads == n {
				cancel()
			}
		},
		Sleep: func(ctx context.Context, d time.Duration) error {
			waits = append(waits, d)
			return ctx.Err()
		}}
	if err := p.Run(ctx); err != nil {
		r.t.Fatalf("poller: %v", err)
	}
	return waits
}

// TestPollerEndsASweepWhoseTokenRepeats: X answering every page with the
// same next_token, and no rate-limit headers, neither keeps the poller
// reading the same page nor makes it read faster than the interval.
func TestPollerEndsASweepWhoseTokenRepeats(t *testing.T) {
	r := newPollRig(t)
	m := r.fx.AddMention(fakex.Mention{AuthorID: "81", Username: "ann", Text: "@reinventbot SVS401"})
	r.fx.RepeatTimelineToken(true)
	r.fx.TimelineRateHeaders(false)
	waits := r.run(30*time.Second, 4, slog.New(slog.DiscardHandler))
	for i, w := range waits {
		if w < 30*time.Second {
			t.Errorf("wait %d was %s; want at least the 30s interval", i+1, w)
		}
	}
	qs := r.fx.TimelineQueries()
	if len(qs) != 4 || qs[1].Get("pagination_token") == "" {
		t.Fatalf("reads %v; want 4, the second following the token", qs)
	}
	for i := 2; i < 4; i++ {
		if qs[i].Get("pagination_token") != "" || qs[i].Get("since_id") != m {
			t.Errorf("read %d: token %q since_id %q; want the sweep ended, since %s", i+1, qs[i].Get("pagination_token"), qs[i].Get("since_id"), m)
		}
	}
	if !r.queued(m) {
		t.Error("the mention was not queued")
	}
}

// TestPollerWaitsAtMostOneWindowAfterA429: a 429 whose reset is far in the
// future waits one 15-minute window, not a second; one whose reset has
// passed, or that names none, waits no less than the interval.
func TestPollerWaitsAtMostOneWindowAfterA429(t *testing.T) {
	r := newPollRig(t)
	r.fx.TimelineRateHeaders(false)
	limited := `{"errors":[{"code":88,"message":"Rate limit exceeded"}]}`
	reset := func(v string) http.Header {
		return http.Header{"X-Rate-Limit-Limit": {"300"}, "X-Rate-Limit-Remaining": {"0"}, "X-Rate-Limit-Reset": {v}}
	}
	r.fx.FailTimeline(
		fakex.Failure{Status: 429, Body: limited, Header: reset("99999999999")},
		fakex.Failure{Status: 429, Body: limited, Header: reset("1")},
		fakex.Failure{Status: 429, Body: limited},
		fakex.Failure{Status: 429, Body: limited, Header: reset(fmt.Sprint(time.Now().Add(5 * time.Minute).Unix()))},
	)
	waits := r.run(10*time.Second, 5, slog.New(slog.DiscardHandler))
	want := []time.Duration{15 * time.Minute, 10 * time.Second, 15 * time.Minute, 5 * time.Minute, 10 * time.Second}
	if len(waits) != len(want) {
		t.Fatalf("waits %v; want %v", waits, want)
	}
	for i, w := range waits {
		// The reset 5 minutes on is in whole seconds, read a moment later,
		// and waited for with a second to spare.
		if lo, hi := want[i]-2*time.Second, want[i]+time.Second; i == 3 && (w < lo || w > hi) || i != 3 && w != want[i] {
			t.Errorf("wait %d was %s; want %s", i+1, w, want[i])
		}
	}
}

// TestPollerAnswersAMentionBesideAnUnreadablePost: a page with a post X
// sent with a numeric id and one that cannot be read answers the mentions
// in it, and logs the unreadable post once, without control characters,
// however often the page is read.
func TestPollerAnswersAMentionBesideAnUnreadablePost(t *testing.T) {
	r := newPollRig(t)
	page := `{"data":[` +
		`{"id":1850000000000000902,"text":"@reinventbot SVS401","author_id":81,"entities":{"mentions":[{"username":"reinventbot"}]}},` +
		`{"id":"1850000000000000901\u001b]0;owned\u0007","text":{"evil":"\u001b[2J"},"author_id":"82"},` +
		`{"id":"1850000000000000900","text":"@reinventbot ARC302","author_id":"83","entities":{"mentions":[{"username":"reinventbot"}]}}],` +
		`"includes":{"users":[{"id":81,"username":"ann"},{"id":"83","username":"cy"}]},` +
		`"meta":{"result_count":3,"newest_id":"1850000000000000902","oldest_id":"1850000000000000900"}}`
	r.fx.FailTimeline(fakex.Failure{Status: 200, Body: page}, fakex.Failure{Status: 200, Body: page})
	var buf bytes.Buffer
	r.run(10*time.Millisecond, 3, slog.New(slog.NewTextHandler(&buf, nil)))
	for _, id := range []string{"1850000000000000902", "1850000000000000900"} {
		if !r.queued(id) {
			t.Errorf("mention %s was not queued", id)
		}
	}
	log := buf.String()
	if n := strings.Count(log, "cannot be read"); n != 1 {
		t.Errorf("the unreadable post was logged %d times; want once:\n%s", n, log)
	}
	if strings.ContainsAny(log, "\x1b\x07") {
		t.Errorf("the log holds control characters: %q", log)
	}
	if !strings.Contains(log, "1850000000000000901") {
		t.Errorf("the log does not name the post:\n%s", log)
	}
	if q := r.fx.TimelineQueries(); q[len(q)-1].Get("since_id") != "1850000000000000902" {
		t.Errorf("since_id after the page %q; want its newest post", q[len(q)-1].Get("since_id"))
	}
}
