package webhook

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

const bot = "reinventbot"

func readFixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestParseFixtures(t *testing.T) {
	longText := "Long post: " + strings.Repeat("I am looking forward to the builders' sessions this year. ", 6) +
		"@reinventbot svs215 con213 api304 arc302 dat335"
	tests := []struct {
		file string
		want []Mention
	}{
		{"aa_mention.json", []Mention{{
			ID: "1995555000000000001", UserID: "1187000000000000042", User: "alice_builds",
			Text:      "@reinventbot make a schedule that includes svs215 con213 api304",
			CreatedAt: time.Date(2026, 12, 1, 17, 5, 12, 0, time.UTC),
		}}},
		{"aa_truncated.json", []Mention{{
			ID: "1995555000000000002", UserID: "1187000000000000042", User: "alice_builds",
			Text: "Planning my week at re:Invent! Keynotes first, then the deep dives: SVS215, CON213, API304, " +
				"ARC302-R1 and DAT335. Coffee at the Venetian in between. @reinventbot can you fit them all in?",
			CreatedAt: time.Date(2026, 12, 1, 17, 5, 12, 0, time.UTC),
		}}},
		{"aa_own.json", nil},
		{"aa_retweet.json", nil},
		{"aa_quote.json", []Mention{{
			ID: "1995555000000000006", UserID: "998877665544332211", User: "bobcloud",
			Text:      "@reinventbot same for me please: SVS215 ARC302 https://t.co/q1W2e3R4t5",
			CreatedAt: time.Date(2026, 12, 1, 17, 5, 12, 0, time.UTC),
		}}},
		{"aa_other_handle.json", nil},
		{"aa_favorite.json", nil},
		{"v2_mention.json", []Mention{{
			ID: "1995555000000000010", UserID: "1187000000000000042", User: "alice_builds",
			Text:      "@reinventbot make a schedule that includes svs215 con213 api304",
			CreatedAt: time.Date(2026, 12, 1, 17, 5, 12, 0, time.UTC),
		}}},
		{"v2_note_includes_top.json", []Mention{{
			ID: "1995555000000000011", UserID: "1187000000000000042", User: "alice_builds",
			Text: longText, CreatedAt: time.Date(2026, 12, 1, 17, 5, 12, 0, time.UTC),
		}}},
		{"v2_batch.json", []Mention{{
			ID: "1995555000000000013", UserID: "998877665544332211",
			Text: "@reinventbot me too: ARC302", CreatedAt: time.Date(2026, 12, 1, 17, 5, 12, 0, time.UTC),
		}}},
		{"v2_no_entities.json", []Mention{{
			ID: "1995555000000000014", UserID: "1187000000000000042", User: "alice_builds",
			Text: "hey @ReinventBot, svs215 and con213?", CreatedAt: time.Date(2026, 12, 1, 18, 0, 0, 0, time.UTC),
		}}},
		{"v2_follow.json", nil},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			got, err := Parse(readFixture(t, tt.file), bot)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Parse(%s)\n got %+v\nwant %+v", tt.file, got, tt.want)
			}
		})
	}
}

func TestParseBatchKeepsOrderAndSkipsOthers(t *testing.T) {
	got, err := Parse(readFixture(t, "aa_batch.json"), bot)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, m := range got {
		ids = append(ids, m.ID)
	}
	// The plain post without a mention and the bot's own reply are skipped.
	want := []string{"1995555000000000001", "1995555000000000009"}
	if !reflect.DeepEqual(ids, want) {
		t.Errorf("mention ids = %v, want %v", ids, want)
	}
}

func TestParseHandleCaseAndAt(t *testing.T) {
	body := readFixture(t, "aa_mention.json")
	for _, handle := range []string{"ReInventBot", "@reinventbot", "REINVENTBOT"} {
		got, err := Parse(body, handle)
		if err != nil || len(got) != 1 {
			t.Errorf("Parse(handle %q) = %d mentions, %v; want 1", handle, len(got), err)
		}
	}
	if got, _ := Parse(body, "reinvent"); len(got) != 0 {
		t.Errorf("a mention of @reinventbot counted for handle reinvent: %+v", got)
	}
}

func TestParseOwnPostByUserID(t *testing.T) {
	// The bot renamed: its posts carry the new screen name, but its id is for_user_id.
	body := `{"for_user_id":"42","tweet_create_events":[{"id_str":"7","text":"@reinventbot svs215",
		"user":{"id_str":"42","screen_name":"newname"},
		"entities":{"user_mentions":[{"screen_name":"reinventbot","id_str":"42"}]}}]}`
	if got, err := Parse([]byte(body), bot); err != nil || len(got) != 0 {
		t.Errorf("Parse(bot's own post) = %+v, %v; want nothing", got, err)
	}
}

func TestParseRetweetByText(t *testing.T) {
	// An old-style retweet without retweeted_status is still a retweet.
	body := `{"for_user_id":"42","tweet_create_events":[{"id_str":"7","text":"RT @alice: @reinventbot svs215",
		"user":{"id_str":"9","screen_name":"bob"},
		"entities":{"user_mentions":[{"screen_name":"alice"},{"screen_name":"reinventbot"}]}}]}`
	if got, err := Parse([]byte(body), bot); err != nil || len(got) != 0 {
		t.Errorf("Parse(RT text) = %+v, %v; want nothing", got, err)
	}
}

func TestParseTextFallbackNeedsWholeHandle(t *testing.T) {
	for text, want := range map[string]int{
		"@reinventbotx svs215":         0,
		"mail me@reinventbot.com":      0,
		"@reinventbot_ svs215":         0,
		"(@reinventbot) svs215":        1,
		"svs215 cc @ReInventBot":       1,
		"@alice @reinventbot: svs215?": 1,
	} {
		body, _ := json.Marshal(map[string]any{"data": map[string]any{
			"event_type": MentionEventType, "filter": map[string]string{"user_id": "42"},
			"payload": map[string]string{"id": "1", "text": text, "author_id": "9"},
		}})
		got, err := Parse(body, bot)
		if err != nil || len(got) != want {
			t.Errorf("Parse(text %q) = %d mentions, %v; want %d", text, len(got), err, want)
		}
	}
}

func TestParseMalformed(t *testing.T) {
	for _, body := range []string{
		``, `{`, `{"tweet_create_events":[{"id_str":"1"}]`, `not json`,
		`{"tweet_create_events":{"id_str":"1"}}`, `[1,2]`,
		`{"data":{"event_type":"post.mention.create","payload":{"id":{"n":7}}}}`,
		`{"data":{"event_type":"post.mention.create","payload":{"id":"7","author_id":-1}}}`,
	} {
		if _, err := Parse([]byte(body), bot); err == nil {
			t.Errorf("Parse(%q) succeeded, want an error", body)
		}
	}
	for _, body := range []string{`{}`, `null`, `{"data":"x"}`, `{"direct_message_events":[]}`} {
		if got, err := Parse([]byte(body), bot); err != nil || len(got) != 0 {
			t.Errorf("Parse(%q) = %v, %v; want no mentions and no error", body, got, err)
		}
	}
}

func FuzzParse(f *testing.F) {
	entries, err := os.ReadDir("testdata")
	if err != nil {
		f.Fatal(err)
	}
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".json") {
			f.Add(readFixture(f, e.Name()), bot)
		}
	}
	f.Add([]byte(`{"data":{"event_type":"post.mention.create","payload":{"id":"1","text":"@\u0072einventbot svs215"}}}`), bot)
	f.Add([]byte(`{"data":[{"event_type":"post.mention.create","payload":{"data":{"id":"1","text":"@x"}}}]}`), "x")
	f.Add([]byte(`{"data":{"event_type":"post.mention.create","filter":{"user_id":42},"payload":{"id":1995555000000000201,"text":"@reinventbot SVS401","author_id":9},"includes":{"users":[{"id":9,"username":"ann"}]}}}`), bot)
	f.Fuzz(func(t *testing.T, body []byte, handle string) {
		ms, err := Parse(body, handle)
		if err != nil {
			if len(ms) != 0 {
				t.Fatalf("Parse returned mentions with an error: %v", err)
			}
			return
		}
		if len(ms) == 0 {
			return
		}
		if !json.Valid(body) {
			t.Fatalf("Parse accepted invalid JSON %q", body)
		}
		var doc any
		if err := json.Unmarshal(body, &doc); err != nil {
			t.Fatal(err)
		}
		h := strings.TrimPrefix(handle, "@")
		for _, m := range ms {
			if m.ID == "" {
				t.Errorf("mention without an id: %+v", m)
			}
			if m.User != "" && isASCII(m.User) && isASCII(h) && strings.EqualFold(m.User, h) {
				t.Errorf("the bot's own post returned: %+v", m)
			}
			if strings.HasPrefix(m.Text, "RT @") {
				t.Errorf("a retweet returned: %+v", m)
			}
			if !anyStringHas(doc, h) {
				t.Errorf("mention %+v returned though no string in the payload names %q", m, h)
			}
		}
	})
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// anyStringHas reports whether a decoded JSON value holds, in some string or
// key, handle compared without case.
func anyStringHas(v any, handle string) bool {
	lower := strings.ToLower(handle)
	switch v := v.(type) {
	case string:
		return strings.Contains(strings.ToLower(v), lower)
	case []any:
		for _, e := range v {
			if anyStringHas(e, handle) {
				return true
			}
		}
	case map[string]any:
		for k, e := range v {
			if strings.Contains(strings.ToLower(k), lower) || anyStringHas(e, handle) {
				return true
			}
		}
	}
	return false
}

func TestParseTimestampNumberOrString(t *testing.T) {
	for _, ts := range []string{`"1796112000000"`, `1796112000000`, `"soon"`, `""`, `null`} {
		body := `{"for_user_id":"99","tweet_create_events":[{"id_str":"1","text":"@reinventbot SVS401","timestamp_ms":` + ts +
			`,"user":{"id_str":"7","screen_name":"ann"},"entities":{"user_mentions":[{"screen_name":"reinventbot"}]}}]}`
		ms, err := Parse([]byte(body), bot)
		want := time.UnixMilli(1796112000000)
		if !strings.Contains(ts, "1796") {
			want = time.Time{} // unreadable: no time, but the mention is kept
		}
		if err != nil || len(ms) != 1 || !ms[0].CreatedAt.Equal(want) {
			t.Errorf("timestamp_ms %s: %+v, %v", ts, ms, err)
		}
	}
}

// TestParseV2IDsNumberOrString: X documents ids as strings; a delivery
// that sends them as numbers is read the same, and the bot's own post is
// still told by a numeric filter.user_id.
func TestParseV2IDsNumberOrString(t *testing.T) {
	for _, q := range []string{`"`, ``} {
		body := `{"data":[` +
			`{"event_type":"post.mention.create","filter":{"user_id":` + q + `42` + q + `},"payload":{"id":` + q + `1995555000000000201` + q +
			`,"text":"@reinventbot SVS401","author_id":` + q + `9` + q + `},"includes":{"users":[{"id":` + q + `9` + q + `,"username":"ann"}]}},` +
			`{"event_type":"post.mention.create","filter":{"user_id":` + q + `42` + q + `},"payload":{"id":` + q + `1995555000000000202` + q +
			`,"text":"@reinventbot SVS401","author_id":` + q + `42` + q + `}}]}`
		ms, err := Parse([]byte(body), bot)
		want := []Mention{{ID: "1995555000000000201", UserID: "9", User: "ann", Text: "@reinventbot SVS401"}}
		if err != nil || !reflect.DeepEqual(ms, want) {
			t.Errorf("ids quoted with %q: %+v, %v; want %+v (the bot's own post left out)", q, ms, err, want)
		}
	}
}
