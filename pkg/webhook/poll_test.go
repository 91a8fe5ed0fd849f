package webhook

import (
	"reflect"
	"testing"
	"time"
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
