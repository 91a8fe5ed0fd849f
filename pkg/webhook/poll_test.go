package webhook

import (
	"context"
	"fmt"
	"log/slog"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	fakex "github.com/reinvent-cli/reinvent/internal/fake/x"
	"github.com/reinvent-cli/reinvent/pkg/store"
	"github.com/reinvent-cli/reinvent/pkg/x"
)

// The page's shape is GetUsersMentionsResponse (docs/x-api-research.md,
// section 1j): newest first, authors in includes.users.
func TestParseTimeline(t *testing.T) {
	ms, ids, err := ParseTimeline(readFixture(t, "timeline_page.json"), bot, "1849999999999999999")
	if err != nil {
		t.Fatal(err)
	}
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
		if ms, ids, err := ParseTimeline([]byte(body), bot, ""); err != nil || len(ms)+len(ids) != 0 {
			t.Errorf("%s: %v %v %v; want nothing", body, ms, ids, err)
		}
	}
	for _, body := range []string{`<html>busy</html>`, `{"data":{"id":"1"}}`, `{"data":[{"id":7}]}`} {
		if _, _, err := ParseTimeline([]byte(body), bot, ""); err == nil {
			t.Errorf("%s: no error", body)
		}
	}
}

func FuzzParseTimeline(f *testing.F) {
	f.Add(readFixture(f, "timeline_page.json"))
	f.Add([]byte(`{"data":[{"id":"1","text":"@reinventbot x"}]}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		ms, ids, err := ParseTimeline(body, bot, "1849999999999999999")
		if err != nil {
			return
		}
		if len(ms) > len(ids) {
			t.Fatalf("%d mentions from %d posts", len(ms), len(ids))
		}
		for _, m := range ms {
			if m.ID == "" || m.UserID == "1849999999999999999" {
				t.Fatalf("mention %+v: no id, or the bot's own", m)
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
