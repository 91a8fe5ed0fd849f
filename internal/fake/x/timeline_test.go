package fakex

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"
)

const mentionsPath = "/2/users/" + UserID + "/mentions"

// page is what a client reads of a timeline answer.
type page struct {
	Data []struct {
		ID string `json:"id"`
	} `json:"data"`
	Meta struct {
		ResultCount int    `json:"result_count"`
		NewestID    string `json:"newest_id"`
		OldestID    string `json:"oldest_id"`
		NextToken   string `json:"next_token"`
	} `json:"meta"`
}

func readPage(t *testing.T, s *Server, query string) page {
	t.Helper()
	a := call(t, s, "GET", mentionsPath+"?"+query, "", "oauth")
	if a.status != 200 {
		t.Fatalf("GET mentions?%s: %d %s", query, a.status, a.body)
	}
	var p page
	if err := json.Unmarshal([]byte(a.body), &p); err != nil {
		t.Fatal(err)
	}
	if p.Meta.ResultCount != len(p.Data) {
		t.Errorf("result_count %d for %d posts", p.Meta.ResultCount, len(p.Data))
	}
	if len(p.Data) > 0 && (p.Meta.NewestID != p.Data[0].ID || p.Meta.OldestID != p.Data[len(p.Data)-1].ID) {
		t.Errorf("newest %s oldest %s of %v", p.Meta.NewestID, p.Meta.OldestID, p.Data)
	}
	for i := 1; i < len(p.Data); i++ {
		if p.Data[i].ID >= p.Data[i-1].ID {
			t.Errorf("not newest first: %v", p.Data)
		}
	}
	return p
}

func ids(p page) []string {
	var s []string
	for _, d := range p.Data {
		s = append(s, d.ID)
	}
	return s
}

func TestMentionFields(t *testing.T) {
	s := newFixed(t)
	root := s.AddMention(Mention{AuthorID: "2222", Username: "bob", Text: "a thread"})
	id := s.AddMention(Mention{AuthorID: "3333", Username: "alice", Text: "hey @fake and @bob", ReplyTo: root,
		NoteText: "hey @fake and @bob, and a long tail that mentions @Fake again", CreatedAt: time.Date(2024, 1, 15, 10, 30, 0, 0, time.UTC)})
	rt := s.AddMention(Mention{AuthorID: "2222", Username: "bob", Text: "RT @alice: hey @fake", Retweet: true, ReplyTo: id})
	q := func(id, text string) string {
		return `{"id":"` + id + `","text":"` + text + `","edit_history_tweet_ids":["` + id + `"]`
	}
	meta := `"meta":{"result_count":2,"newest_id":"` + rt + `","oldest_id":"` + id + `"}`
	for _, c := range []struct{ name, query, want string }{
		{"default fields", "", `{"data":[` + q(rt, "RT @alice: hey @fake") + `},` + q(id, "hey @fake and @bob") + `}],` + meta + `}`},
		{"author and time", "tweet.fields=author_id,created_at", `{"data":[` +
			q(rt, "RT @alice: hey @fake") + `,"author_id":"2222","created_at":"2026-12-01T09:00:00.000Z"},` +
			q(id, "hey @fake and @bob") + `,"author_id":"3333","created_at":"2024-01-15T10:30:00.000Z"}],` + meta + `}`},
		{"references and conversation", "tweet.fields=referenced_tweets,conversation_id", `{"data":[` +
			q(rt, "RT @alice: hey @fake") + `,"conversation_id":"` + rt + `","referenced_tweets":[{"type":"retweeted","id":"` + id + `"}]},` +
			q(id, "hey @fake and @bob") + `,"conversation_id":"` + root + `","referenced_tweets":[{"type":"replied_to","id":"` + root + `"}]}],` + meta + `}`},
		{"entities, note and authors", "tweet.fields=entities,note_tweet&expansions=author_id&user.fields=username", `{"data":[` +
			q(rt, "RT @alice: hey @fake") + `,"entities":{"mentions":[{"start":3,"end":9,"username":"alice","id":"3333"},{"start":15,"end":20,"username":"fake","id":"` + UserID + `"}]}},` +
			q(id, "hey @fake and @bob") + `,"entities":{"mentions":[{"start":4,"end":9,"username":"fake","id":"` + UserID + `"},{"start":14,"end":18,"username":"bob","id":"2222"}]},` +
			`"note_tweet":{"text":"hey @fake and @bob, and a long tail that mentions @Fake again","entities":{"mentions":[` +
			`{"start":4,"end":9,"username":"fake","id":"` + UserID + `"},{"start":14,"end":18,"username":"bob","id":"2222"},{"start":50,"end":55,"username":"Fake","id":"` + UserID + `"}]}}}],` +
			`"includes":{"users":[{"id":"2222","name":"bob","username":"bob"},{"id":"3333","name":"alice","username":"alice"}]},` + meta + `}`},
	} {
		a := call(t, s, "GET", mentionsPath+"?"+c.query, "", "oauth")
		if a.status != 200 || !strings.HasPrefix(a.header.Get("Content-Type"), "application/json") {
			t.Errorf("%s: %d %s", c.name, a.status, a.header)
		}
		sameJSON(t, c.name, a.body, c.want)
	}
	for _, bad := range []string{"tweet.fields=colour", "expansions=author", "user.fields=", "exclude=replies"} {
		if a := call(t, s, "GET", mentionsPath+"?"+bad, "", "oauth"); a.status != 400 || !strings.Contains(a.body, "invalid-request") {
			t.Errorf("%s: %d %s", bad, a.status, a.body)
		}
	}
}

func TestMentionsOrderAndBounds(t *testing.T) {
	s := newFixed(t)
	var m []string
	for i := range 6 {
		m = append(m, s.AddMention(Mention{AuthorID: "42", Username: "alice", Text: "@fake " + strconv.Itoa(i)}))
	}
	s.AddMention(Mention{AuthorID: "42", Username: "alice", Text: "not for the bot, @fakery"})
	_, b := send(t, "POST", s.URL()+"/2/tweets", `{"text":"note to self @FAKE"}`, cred, "self")
	var own struct{ Data struct{ ID string } }
	_ = json.Unmarshal([]byte(b), &own)
	send(t, "POST", s.URL()+"/2/tweets", `{"text":"a post of the bot"}`, cred, "plain")

	all := []string{own.Data.ID, m[5], m[4], m[3], m[2], m[1], m[0]}
	for _, c := range []struct {
		query string
		want  []string
	}{
		{"", all},
		{"since_id=" + m[2], all[:4]},
		{"until_id=" + m[2], all[5:]},
		{"since_id=" + m[0] + "&until_id=" + m[3], []string{m[2], m[1]}},
		{"since_id=" + own.Data.ID, nil},
		{"since_id=1", all},
	} {
		if got := ids(readPage(t, s, c.query)); strings.Join(got, ",") != strings.Join(c.want, ",") {
			t.Errorf("%q: %v, want %v", c.query, got, c.want)
		}
	}
	for _, bad := range []string{"since_id=abc", "until_id=12345678901234567890", "since_id=", "since_id=" + m[3] + "&until_id=" + m[3],
		"since_id=" + m[4] + "&until_id=" + m[3], "start_time=2009-01-01T00:00:00Z", "start_time=yesterday"} {
		a := call(t, s, "GET", mentionsPath+"?"+bad, "", "oauth")
		if a.status != 400 || !strings.Contains(a.body, `"title":"Invalid Request"`) {
			t.Errorf("%s: %d %s", bad, a.status, a.body)
		}
	}
	sameJSON(t, "another user", call(t, s, "GET", "/2/users/42/mentions", "", "oauth").body, `{"meta":{"result_count":0}}`)
	if a := call(t, s, "GET", "/2/users/bob/mentions", "", "oauth"); a.status != 400 {
		t.Errorf("non-numeric user id: %d", a.status)
	}
}

func TestMaxResults(t *testing.T) {
	s := newFixed(t)
	for i := range 120 {
		s.AddMention(Mention{AuthorID: "42", Username: "alice", Text: "@fake " + strconv.Itoa(i)})
	}
	for _, c := range []struct {
		v    string
		want int // posts, or -1 for a 400
	}{{"", 10}, {"5", 5}, {"100", 100}, {"4", -1}, {"101", -1}, {"ten", -1}, {"0", -1}} {
		q := "max_results=" + c.v
		if c.v == "" {
			q = ""
		}
		if c.want < 0 {
			a := call(t, s, "GET", mentionsPath+"?"+q, "", "oauth")
			if a.status != 400 || !strings.Contains(a.body, "is not between 5 and 100") {
				t.Errorf("%s: %d %s", q, a.status, a.body)
			}
			continue
		}
		if p := readPage(t, s, q); len(p.Data) != c.want || p.Meta.NextToken == "" {
			t.Errorf("%s: %d posts, next_token %q", q, len(p.Data), p.Meta.NextToken)
		}
	}
}

func TestPaginationAcrossNewMentions(t *testing.T) {
	s := newFixed(t)
	var m []string
	for i := range 25 {
		m = append(m, s.AddMention(Mention{AuthorID: "42", Username: "alice", Text: "@fake " + strconv.Itoa(i)}))
	}
	since := m[2] // the client saw m[0..2] already
	seen := map[string]bool{}
	var got []string
	token := ""
	for n := 1; ; n++ {
		q := "max_results=10&since_id=" + since
		if token != "" {
			q += "&pagination_token=" + url.QueryEscape(token)
		}
		p := readPage(t, s, q)
		for _, id := range ids(p) {
			if seen[id] {
				t.Errorf("page %d repeats %s", n, id)
			}
			seen[id] = true
			got = append(got, id)
		}
		if n == 1 || n == 2 { // new mentions arrive between pages
			s.AddMention(Mention{AuthorID: "43", Username: "carol", Text: "@fake new " + strconv.Itoa(n)})
		}
		token = p.Meta.NextToken
		if token == "" {
			if n != 3 {
				t.Errorf("%d pages, want 3", n)
			}
			break
		}
		if n > 5 {
			t.Fatal("pages never end")
		}
	}
	var want []string
	for i := 24; i > 2; i-- {
		want = append(want, m[i])
	}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("paged\n %v\nwant\n %v", got, want)
	}
	// The next poll, from the first page's newest id, gets the two new ones.
	if p := readPage(t, s, "since_id="+m[24]); len(p.Data) != 2 {
		t.Errorf("after paging: %v", ids(p))
	}
	for _, bad := range []string{"pagination_token=bogus", "pagination_token="} {
		if a := call(t, s, "GET", mentionsPath+"?"+bad, "", "oauth"); a.status != 400 || !strings.Contains(a.body, "pagination_token") {
			t.Errorf("%s: %d %s", bad, a.status, a.body)
		}
	}
}

func TestMentionReachIs800(t *testing.T) {
	s := newFixed(t)
	var m []string
	for i := range 805 {
		m = append(m, s.AddMention(Mention{AuthorID: "42", Username: "alice", Text: "@fake " + strconv.Itoa(i)}))
	}
	total, pages, token := 0, 0, ""
	for {
		q := "max_results=100"
		if token != "" {
			q += "&pagination_token=" + token
		}
		p := readPage(t, s, q)
		total += len(p.Data)
		pages++
		if token = p.Meta.NextToken; token == "" {
			if p.Meta.OldestID != m[5] {
				t.Errorf("oldest reached %s, want %s", p.Meta.OldestID, m[5])
			}
			break
		}
	}
	if total != 800 || pages != 8 {
		t.Errorf("%d posts in %d pages", total, pages)
	}
	a := call(t, s, "GET", mentionsPath+"?until_id="+m[5], "", "oauth")
	sameJSON(t, "beyond the reach", a.body, `{"meta":{"result_count":0}}`)
	if p := readPage(t, s, "since_id="+m[0]); len(p.Data) != 10 || p.Meta.NextToken == "" {
		t.Errorf("since an unreachable id: %v", p.Meta)
	}
}

func TestTimelineRateLimit(t *testing.T) {
	s := New(cred)
	defer s.Close()
	now := fixed
	s.Now = func() time.Time { return now }
	reset := strconv.FormatInt(fixed.Add(15*time.Minute).Unix(), 10)
	a := call(t, s, "GET", mentionsPath, "", "oauth")
	if h := a.header; h.Get("x-rate-limit-limit") != "300" || h.Get("x-rate-limit-remaining") != "299" || h.Get("x-rate-limit-reset") != reset {
		t.Errorf("default limit: %v", h)
	}
	s.TimelineLimit(2)
	for i, want := range []struct {
		status           int
		remaining, reset string
	}{{200, "1", reset}, {200, "0", reset}, {429, "0", reset}, {429, "0", reset}} {
		a := call(t, s, "GET", mentionsPath, "", "oauth")
		h := a.header
		if a.status != want.status || h.Get("x-rate-limit-limit") != "2" || h.Get("x-rate-limit-remaining") != want.remaining || h.Get("x-rate-limit-reset") != want.reset {
			t.Errorf("request %d: %d %v", i, a.status, h)
		}
		if a.status == 429 {
			sameJSON(t, "429", a.body, `{"errors":[{"code":88,"message":"Rate limit exceeded"}]}`)
		}
	}
	now = now.Add(15 * time.Minute) // the window ends
	if a := call(t, s, "GET", mentionsPath, "", "oauth"); a.status != 200 || a.header.Get("x-rate-limit-remaining") != "1" ||
		a.header.Get("x-rate-limit-reset") != strconv.FormatInt(now.Add(15*time.Minute).Unix(), 10) {
		t.Errorf("next window: %d %v", a.status, a.header)
	}
	call(t, s, "GET", mentionsPath, "", "oauth")
	if a := call(t, s, "GET", mentionsPath, "", "oauth"); a.status != 429 {
		t.Errorf("spent again: %d", a.status)
	}
	s.ResetTimelineLimit()
	if a := call(t, s, "GET", mentionsPath, "", "oauth"); a.status != 200 || a.header.Get("x-rate-limit-remaining") != "1" {
		t.Errorf("after ResetTimelineLimit: %d %v", a.status, a.header)
	}
	if st, _ := send(t, "POST", s.URL()+"/2/tweets", `{"text":"posts have their own limit"}`, cred, "rl"); st != 201 {
		t.Errorf("post while the timeline is limited: %d", st)
	}
}

func TestFailTimeline(t *testing.T) {
	s := newFixed(t)
	s.AddMention(Mention{AuthorID: "42", Username: "alice", Text: "@fake hi"})
	const html = "<html><body><h1>502 Bad Gateway</h1></body></html>"
	s.FailTimeline(Failure{Status: 502, Body: html, Header: http.Header{"Content-Type": {"text/html"}}},
		Failure{Status: 503, Body: `{"title":"Service Unavailable","status":503}`})
	if st, _ := send(t, "POST", s.URL()+"/2/tweets", `{"text":"unaffected"}`, cred, "ft"); st != 201 {
		t.Errorf("post: %d", st)
	}
	a := call(t, s, "GET", mentionsPath+"?max_results=5", "", "oauth")
	if a.status != 502 || a.body != html || a.header.Get("Content-Type") != "text/html" || a.header.Get("x-rate-limit-remaining") != "299" {
		t.Errorf("first failure: %d %v %s", a.status, a.header, a.body)
	}
	if a := call(t, s, "GET", mentionsPath, "", "oauth"); a.status != 503 || !strings.Contains(a.body, "Service Unavailable") {
		t.Errorf("second failure: %d %s", a.status, a.body)
	}
	if p := readPage(t, s, "since_id=1"); len(p.Data) != 1 {
		t.Errorf("after the failures: %v", p)
	}
	// Unsigned, app-only, replayed: refused, and counted.
	if a := call(t, s, "GET", mentionsPath, "", ""); a.status != 401 {
		t.Errorf("unsigned: %d", a.status)
	}
	if a := call(t, s, "GET", mentionsPath, "", "bearer"); a.status != 403 || !strings.Contains(a.body, `"code":220`) {
		t.Errorf("bearer: %d %s", a.status, a.body)
	}
	if st, _ := send(t, "GET", s.URL()+mentionsPath, "", cred, "again"); st != 200 {
		t.Errorf("first use of a nonce: %d", st)
	}
	if st, _ := send(t, "GET", s.URL()+mentionsPath, "", cred, "again"); st != 401 {
		t.Errorf("replayed nonce: %d", st)
	}
	if n := s.TimelineReads(); n != 7 {
		t.Errorf("TimelineReads %d", n)
	}
	qs := s.TimelineQueries()
	if len(qs) != 7 || qs[0].Get("max_results") != "5" || qs[2].Get("since_id") != "1" {
		t.Errorf("TimelineQueries %v", qs)
	}
	qs[0].Set("max_results", "changed")
	if s.TimelineQueries()[0].Get("max_results") != "5" {
		t.Error("TimelineQueries shares its maps")
	}
}

// TestTimelineKnobs: with RepeatTimelineToken every page that has posts
// names the same next_token, which reads the newest page again; with
// TimelineRateHeaders(false) no answer, not even a 429, carries a rate
// limit.
func TestTimelineKnobs(t *testing.T) {
	s := newFixed(t)
	id := s.AddMention(Mention{AuthorID: "2222", Username: "bob", Text: "hey @fake"})
	s.RepeatTimelineToken(true)
	p1 := readPage(t, s, "")
	if p1.Meta.NextToken == "" {
		t.Fatal("no next_token with RepeatTimelineToken")
	}
	p2 := readPage(t, s, "pagination_token="+url.QueryEscape(p1.Meta.NextToken))
	if p2.Meta.NextToken != p1.Meta.NextToken || len(p2.Data) != 1 || p2.Data[0].ID != id {
		t.Errorf("the repeated token read %v with next_token %q; want the same page and token %q", ids(p2), p2.Meta.NextToken, p1.Meta.NextToken)
	}
	if p := readPage(t, s, "since_id="+id); p.Meta.NextToken != "" {
		t.Errorf("an empty page has next_token %q", p.Meta.NextToken)
	}
	s.RepeatTimelineToken(false)
	if p := readPage(t, s, ""); p.Meta.NextToken != "" {
		t.Errorf("RepeatTimelineToken(false): next_token %q", p.Meta.NextToken)
	}

	s.TimelineRateHeaders(false)
	s.TimelineLimit(1)
	for _, want := range []int{200, 429} {
		a := call(t, s, "GET", mentionsPath, "", "oauth")
		if a.status != want {
			t.Errorf("status %d, want %d", a.status, want)
		}
		for _, h := range []string{"x-rate-limit-limit", "x-rate-limit-remaining", "x-rate-limit-reset"} {
			if a.header.Get(h) != "" {
				t.Errorf("%d answer carries %s with TimelineRateHeaders(false)", a.status, h)
			}
		}
	}
	s.TimelineRateHeaders(true)
	if a := call(t, s, "GET", mentionsPath, "", "oauth"); a.header.Get("x-rate-limit-reset") == "" {
		t.Errorf("TimelineRateHeaders(true): no reset header")
	}
}
