package fakex

import (
	"encoding/base32"
	"encoding/binary"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

const (
	// mentionReach is how many of the most recent mentions the timeline
	// reaches: "mentions timeline (user mention timeline) provides access
	// to most recent 800 mentions" (docs/x-api-research.md 1a).
	mentionReach = 800
	// timelineLimit is the default per-window limit of the timeline, the
	// per-user figure of https://docs.x.com/x-api/fundamentals/rate-limits.
	timelineLimit  = 300
	timelineWindow = 15 * time.Minute
)

// timelineState is the mention timeline's rate limit, queued failures,
// record of requests and pagination tokens.
type timelineState struct {
	limit    int           // requests a window allows
	window   time.Duration // how long a window lasts
	used     int           // requests counted in this window
	reset    time.Time     // end of this window; zero before the first request
	fail     []Failure
	reads    int
	queries  []url.Values
	tokens   map[string]uint64 // next_token -> the oldest id of its page
	cond     *sync.Cond        // broadcast on each read, for WaitTimelineReads
	timedOut int               // WaitTimelineReads timers that fired
	noLimits bool              // send no x-rate-limit-* headers
	repeat   bool              // every page with posts carries repeatToken
}

// repeatToken is the one next_token of a timeline that repeats its token:
// the token of position 0, which reads the newest page again.
var repeatToken = pageToken(0)

func newTimelineState() timelineState {
	return timelineState{limit: timelineLimit, window: timelineWindow, tokens: map[string]uint64{}}
}

// TimelineWindow sets how long a rate-limit window lasts (X's is 15
// minutes), so that a test can see a reset within seconds; it starts a
// new window.
func (s *Server) TimelineWindow(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.tl.window, s.tl.used, s.tl.reset = d, 0, time.Time{}
}

// WaitTimelineReads waits until n timeline requests have arrived in all,
// or timeout passes, and reports whether they did.
func (s *Server) WaitTimelineReads(n int, timeout time.Duration) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.tl.cond == nil {
		s.tl.cond = sync.NewCond(&s.mu)
	}
	t := time.AfterFunc(timeout, func() {
		s.mu.Lock()
		s.tl.timedOut++
		s.mu.Unlock()
		s.tl.cond.Broadcast()
	})
	defer t.Stop()
	start := s.tl.timedOut
	for s.tl.reads < n && s.tl.timedOut == start {
		s.tl.cond.Wait()
	}
	return s.tl.reads >= n
}

// TimelineRateHeaders sets whether timeline answers carry the
// x-rate-limit-* headers (they do by default). Off, the limit still
// applies, and its 429 carries no reset either.
func (s *Server) TimelineRateHeaders(on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.tl.noLimits = !on
}

// RepeatTimelineToken, on, makes every timeline page that holds posts
// carry the same next_token, which reads the newest page again: a
// pagination that never ends.
func (s *Server) RepeatTimelineToken(on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.tl.repeat = on
}

// TimelineLimit sets how many timeline requests a 15-minute window allows
// (default 300; n < 0 is 0) and starts a new window.
func (s *Server) TimelineLimit(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.tl.limit, s.tl.used, s.tl.reset = max(n, 0), 0, time.Time{}
}

// ResetTimelineLimit starts a new timeline rate-limit window at once.
func (s *Server) ResetTimelineLimit() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.tl.used, s.tl.reset = 0, s.now().Add(s.tl.window)
}

// FailTimeline queues answers for the next mention timeline requests, in
// order, after their signature is checked; other endpoints are not
// affected.
func (s *Server) FailTimeline(f ...Failure) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.tl.fail = append(s.tl.fail, f...)
}

// TimelineReads is how many mention timeline requests arrived, whatever
// the answer.
func (s *Server) TimelineReads() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.tl.reads
}

// TimelineQueries returns the query of each mention timeline request, in
// order.
func (s *Server) TimelineQueries() []url.Values {
	s.mu.Lock()
	defer s.mu.Unlock()
	qs := make([]url.Values, len(s.tl.queries))
	for i, q := range s.tl.queries {
		qs[i] = cloneValues(q)
	}
	return qs
}

func cloneValues(v url.Values) url.Values {
	c := url.Values{}
	for k, vs := range v {
		c[k] = append([]string(nil), vs...)
	}
	return c
}

// rateLimited is the body of a 429.
// https://docs.x.com/x-api/fundamentals/rate-limits (429 response)
var rateLimited = map[string]any{"errors": []map[string]any{{"code": 88, "message": "Rate limit exceeded"}}}

// timeline answers GET /2/users/{id}/mentions, signed with OAuth 1.0a.
// https://docs.x.com/x-api/users/get-mentions (GetUsersMentionsResponse)
func (s *Server) timeline(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.tl.reads++
	if s.tl.cond != nil {
		s.tl.cond.Broadcast()
	}
	s.tl.queries = append(s.tl.queries, cloneValues(r.URL.Query()))
	if !s.userContext(w, r, nil) {
		s.mu.Unlock()
		return
	}
	now := s.now()
	if s.tl.reset.IsZero() || !now.Before(s.tl.reset) {
		s.tl.used, s.tl.reset = 0, now.Add(s.tl.window)
	}
	spent := s.tl.used >= s.tl.limit
	if !spent {
		s.tl.used++
	}
	if !s.tl.noLimits {
		h := w.Header()
		h.Set("x-rate-limit-limit", strconv.Itoa(s.tl.limit))
		h.Set("x-rate-limit-remaining", strconv.Itoa(s.tl.limit-s.tl.used))
		h.Set("x-rate-limit-reset", strconv.FormatInt(s.tl.reset.Unix(), 10))
	}
	if len(s.tl.fail) > 0 {
		f := s.tl.fail[0]
		s.tl.fail = s.tl.fail[1:]
		s.mu.Unlock()
		writeFailure(w, r, f)
		return
	}
	if spent {
		s.mu.Unlock()
		writeJSON(w, http.StatusTooManyRequests, rateLimited)
		return
	}
	status, body := s.mentionPage(r.PathValue("id"), r.URL.Query())
	s.mu.Unlock()
	writeJSON(w, status, body)
}

var idPattern = regexp.MustCompile(`^[0-9]{1,19}$`)

// timelineParams are the query parameters the mention timeline takes.
// https://docs.x.com/x-api/users/get-mentions (parameters)
var timelineParams = []string{"since_id", "until_id", "max_results", "pagination_token", "start_time", "end_time",
	"tweet.fields", "post.fields", "expansions", "user.fields", "media.fields", "poll.fields", "place.fields"}

// The values the field parameters take: those of the v2.168 spec plus the
// names the docs' prose and examples use (tweet.fields, referenced_tweets,
// note_tweet, author_id ...); docs/fake-x.md.
var (
	postFields = set("article", "article_title", "attachments", "author_id", "card_uri", "community_id",
		"context_annotations", "conversation_id", "created_at", "display_text_range", "edit_controls",
		"edit_history_tweet_ids", "edit_history_post_ids", "entities", "geo", "id", "in_reply_to_user_id", "lang",
		"matched_media_notes", "media_metadata", "non_public_metrics", "note_tweet", "note_post",
		"note_request_suggestions", "organic_metrics", "paid_partnership", "possibly_sensitive", "promoted_metrics",
		"public_metrics", "referenced_tweets", "referenced_posts", "reply_settings", "scopes", "source",
		"suggested_source_links", "suggested_source_links_with_counts", "text", "withheld")
	postExpansions = set("article.cover_media", "article.media_entities", "attachments.media_keys",
		"attachments.media_source_tweet", "attachments.poll_ids", "author_id", "edit_history_tweet_ids",
		"edit_history_post_ids", "entities.mentions.username", "geo.place_id", "in_reply_to_user_id",
		"referenced_tweets.id", "referenced_tweets.id.author_id", "referenced_posts", "username")
	userFields = set("confirmed_email", "connection_status", "created_at", "description", "entities", "id",
		"is_identity_verified", "location", "most_recent_tweet_id", "name", "parody", "pinned_tweet_id",
		"profile_banner_url", "profile_image_url", "protected", "public_metrics", "receives_your_dm",
		"subscriber_count", "subscribes_to_you", "subscription", "subscription_type", "url", "username",
		"verified", "verified_followers_count", "verified_type", "withheld")
)

func set(vs ...string) map[string]bool {
	m := map[string]bool{}
	for _, v := range vs {
		m[v] = true
	}
	return m
}

// list reads a comma-separated field parameter, each value of which must
// be in allowed; it returns the values or what is wrong.
func list(q url.Values, name string, allowed map[string]bool) (map[string]bool, string) {
	got := map[string]bool{}
	for _, v := range q[name] {
		for _, f := range strings.Split(v, ",") {
			if !allowed[f] {
				return nil, "The `" + name + "` query parameter value [" + f + "] is not one of the allowed values"
			}
			got[f] = true
		}
	}
	return got, ""
}

// earliest is the first time start_time and end_time may name.
var earliest = time.Date(2010, 11, 6, 0, 0, 0, 0, time.UTC)

// mentionPage is the answer to a valid, signed timeline request for id
// with query q. It is called with s.mu held.
func (s *Server) mentionPage(id string, q url.Values) (int, any) {
	for k := range q {
		if !slices.Contains(timelineParams, k) {
			return badRequest("The query parameter [" + k + "] is not one of [" + strings.Join(timelineParams, ",") + "]")
		}
	}
	if !idPattern.MatchString(id) {
		return badRequest("The `id` query parameter value [" + id + "] does not match ^[0-9]{1,19}$")
	}
	n := 10
	if v := q.Get("max_results"); v != "" {
		m, err := strconv.Atoi(v)
		if err != nil || m < 5 || m > 100 {
			return badRequest("The `max_results` query parameter value [" + v + "] is not between 5 and 100")
		}
		n = m
	}
	var since, until uint64
	for _, p := range []struct {
		name string
		to   *uint64
	}{{"since_id", &since}, {"until_id", &until}} {
		if v, ok := q[p.name]; ok {
			if !idPattern.MatchString(v[0]) {
				return badRequest("The `" + p.name + "` query parameter value [" + v[0] + "] does not match ^[0-9]{1,19}$")
			}
			*p.to, _ = strconv.ParseUint(v[0], 10, 64)
		}
	}
	if q.Has("since_id") && q.Has("until_id") && since >= until {
		return badRequest("The `since_id` query parameter value [" + q.Get("since_id") + "] must be less than the `until_id` query parameter value [" + q.Get("until_id") + "]")
	}
	var start, end time.Time
	for _, p := range []struct {
		name string
		to   *time.Time
	}{{"start_time", &start}, {"end_time", &end}} {
		if v, ok := q[p.name]; ok {
			t, err := time.Parse(time.RFC3339, v[0])
			if err != nil || t.Before(earliest) {
				return badRequest("The `" + p.name + "` query parameter value [" + v[0] + "] is not a date-time on or after 2010-11-06")
			}
			*p.to = t
		}
	}
	if !start.IsZero() && !end.IsZero() && !start.Before(end) {
		return badRequest("The `start_time` query parameter value must be earlier than the `end_time` query parameter value")
	}
	fields, msg := list(q, "tweet.fields", postFields)
	if msg == "" {
		var more map[string]bool
		more, msg = list(q, "post.fields", postFields)
		for f := range more {
			fields[f] = true
		}
	}
	expansions, msg2 := list(q, "expansions", postExpansions)
	_, msg3 := list(q, "user.fields", userFields)
	for _, m := range []string{msg, msg2, msg3} {
		if m != "" {
			return badRequest(m)
		}
	}
	// The spec's names for what the docs call note_tweet and referenced_tweets.
	fields["note_tweet"] = fields["note_tweet"] || fields["note_post"]
	fields["referenced_tweets"] = fields["referenced_tweets"] || fields["referenced_posts"]
	before := uint64(0) // exclusive upper bound of a page; 0 for none
	if v, ok := q["pagination_token"]; ok {
		pos, known := s.tl.tokens[v[0]]
		if !known {
			return badRequest("The `pagination_token` query parameter value [" + v[0] + "] is not valid")
		}
		before = pos
	}
	if id != UserID {
		return http.StatusOK, map[string]any{"meta": map[string]any{"result_count": 0}}
	}

	var page []*tweet
	more, reached := false, 0
	for i := len(s.tweets) - 1; i >= 0 && reached < mentionReach; i-- {
		t := s.tweets[i]
		if !s.mentionsBot(t) {
			continue
		}
		reached++
		switch {
		case q.Has("since_id") && t.id <= since,
			q.Has("until_id") && t.id >= until,
			before != 0 && t.id >= before,
			!q.Has("since_id") && !start.IsZero() && t.created.Before(start),
			!q.Has("until_id") && !end.IsZero() && t.created.After(end):
			continue
		}
		if len(page) == n {
			more = true
			break
		}
		page = append(page, t)
	}
	meta := map[string]any{"result_count": len(page)}
	if len(page) == 0 {
		return http.StatusOK, map[string]any{"meta": meta}
	}
	data := make([]map[string]any, len(page))
	var authors []string
	seen := map[string]bool{}
	for i, t := range page {
		data[i] = s.v2Post(t, fields)
		if expansions["author_id"] && !seen[t.author] {
			seen[t.author] = true
			authors = append(authors, t.author)
		}
		if expansions["entities.mentions.username"] {
			for _, h := range handles(t.text) {
				if uid := s.userOf(h.username); uid != "" && !seen[uid] {
					seen[uid] = true
					authors = append(authors, uid)
				}
			}
		}
	}
	body := map[string]any{"data": data, "meta": meta}
	if len(authors) > 0 {
		users := make([]map[string]string, len(authors))
		for i, a := range authors {
			users[i] = s.v2User(a)
		}
		body["includes"] = map[string]any{"users": users}
	}
	meta["newest_id"], meta["oldest_id"] = page[0].idStr(), page[len(page)-1].idStr()
	if more {
		tok := pageToken(page[len(page)-1].id)
		s.tl.tokens[tok] = page[len(page)-1].id
		meta["next_token"] = tok
	}
	if s.tl.repeat {
		s.tl.tokens[repeatToken] = 0 // no upper bound: the newest page
		meta["next_token"] = repeatToken
	}
	return http.StatusOK, body
}

// pageToken is the next_token of a page whose oldest post is id: lower
// case base32hex, as the spec describes pagination tokens, of the id. It
// marks a position by id, so new posts do not shift the pages after it.
func pageToken(id uint64) string {
	b := []byte{'f', 'x', 0, 0, 0, 0, 0, 0, 0, 0}
	binary.BigEndian.PutUint64(b[2:], id)
	return strings.ToLower(base32.HexEncoding.WithPadding(base32.NoPadding).EncodeToString(b))
}

// badRequest is the fake's 400 for a bad parameter, in invalid's shape.
func badRequest(message string) (int, any) {
	return http.StatusBadRequest, invalidBody(message)
}
