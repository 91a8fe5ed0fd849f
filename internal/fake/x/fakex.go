// Package fakex is an X API fake for tests: it checks OAuth 1.0a signatures and records posts.
// It also serves the mention timeline, the app-only Bearer Token, webhooks, Account Activity and
// X Activity subscriptions, and delivers mentions to webhooks; docs/fake-x.md lists what it serves,
// with the docs pages, and what it assumes where the docs are silent.
package fakex

import (
	"encoding/json"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/reinvent-cli/reinvent/pkg/x"
)

// firstID is the id of the first post; ids are 19-digit numbers, as X's
// are, so that a client that reads them as floats gets them wrong.
const firstID = 1850000000000000001

// Post is a post the fake accepted.
type Post struct {
	ID        string
	Text      string
	InReplyTo string // empty when not a reply
	Time      time.Time
}

// Failure is an answer the fake gives to a request instead of the real one.
type Failure struct {
	Status int
	Body   string      // sent as is; Content-Type is JSON when it starts with "{"
	Header http.Header // extra headers, such as x-rate-limit-reset or Retry-After
	// Hang, when true, answers nothing: the request is held until the
	// client gives up (its context ends), as on a stalled connection.
	Hang bool
}

// Server is a fake X API on loopback. Set OnAccept and Now before the
// first request; everything else is safe for concurrent use.
type Server struct {
	srv  *httptest.Server
	cred x.Credentials

	// OnAccept, when not nil, is called with each post after it is stored
	// and before the 201 is written, so a test can stop a client between
	// X's acceptance and the client's own bookkeeping.
	OnAccept func(Post)
	// Now tells the time of posts and rate-limit windows; nil is time.Now.
	Now func() time.Time

	mu       sync.Mutex
	posts    []Post
	byText   map[string]bool
	byID     map[string]bool
	nonces   map[string]bool
	fail     []Failure
	requests int
	limit    int       // posts a rate-limit window allows; -1 for no limit
	window   int       // posts accepted in this window
	reset    time.Time // end of a spent window; zero while posts are allowed

	// The rest serves the endpoints of docs/fake-x.md: the mention
	// timeline, the bearer token, webhooks, subscriptions, deliveries.
	nextID uint64          // id of the next post, the bot's or another user's
	bot    string          // the bot's username
	tweets []*tweet        // every post the fake knows the text of, by id
	users  map[string]user // authors of mentions, by lower-case username
	tl     timelineState
	wh     webhookState
	subs   subscriptionState
	dl     deliveryState
}

// New starts a fake that accepts requests signed with cred.
func New(cred x.Credentials) *Server {
	s := &Server{cred: cred, byText: map[string]bool{}, byID: map[string]bool{}, nonces: map[string]bool{}, limit: -1,
		nextID: firstID, bot: "fake", users: map[string]user{}}
	s.tl = newTimelineState()
	s.wh = newWebhookState()
	s.subs = newSubscriptionState()
	mux := http.NewServeMux()
	s.routes(mux)
	mux.HandleFunc("/", s.serve)
	s.srv = httptest.NewServer(mux)
	return s
}

// URL is the fake's base URL, the client's x-api-url.
func (s *Server) URL() string { return s.srv.URL }

// Close stops the fake, after releasing any hanging request.
func (s *Server) Close() {
	s.srv.CloseClientConnections()
	s.srv.Close()
	s.wh.client.CloseIdleConnections()
}

// FailNext queues answers for the next requests, in order, after their
// signature is checked.
func (s *Server) FailNext(f ...Failure) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.fail = append(s.fail, f...)
}

// RateLimitAfter lets n more posts through, then answers 429 with
// x-rate-limit-reset 15 minutes on until that time passes (by Now) or
// ResetRateLimit is called; n < 0 lifts the limit.
func (s *Server) RateLimitAfter(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.limit, s.window, s.reset = n, 0, time.Time{}
}

// ResetRateLimit starts a fresh rate-limit window at once.
func (s *Server) ResetRateLimit() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.window, s.reset = 0, time.Time{}
}

// Exists makes the fake know posts by other users, such as the mentions
// a bot replies to; they are not among Posts.
func (s *Server) Exists(ids ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, id := range ids {
		s.byID[id] = true
	}
}

// Posts returns the accepted posts in order.
func (s *Server) Posts() []Post {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Post(nil), s.posts...)
}

// Count is how many posts were accepted.
func (s *Server) Count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.posts)
}

// Requests is how many requests to POST /2/tweets arrived, accepted or not.
func (s *Server) Requests() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.requests
}

func (s *Server) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

// problem writes an RFC 7807 error as X does.
// https://docs.x.com/x-api/fundamentals/response-codes-and-errors (Error response format)
func problem(w http.ResponseWriter, status int, title, detail, typ string) {
	writeJSON(w, status, map[string]any{"title": title, "detail": detail, "type": typ, "status": status})
}

// invalid writes X's 400 for a bad parameter.
func invalid(w http.ResponseWriter, message string) {
	writeJSON(w, http.StatusBadRequest, invalidBody(message))
}

// invalidBody is the problem of a bad parameter, with an errors array as
// the spec's Problem lists carry (docs/x-api-research.md 1k).
// https://docs.x.com/x-api/fundamentals/response-codes-and-errors (Error response
// format: "type": "https://api.x.com/2/problems/invalid-request")
func invalidBody(message string) map[string]any {
	return map[string]any{
		"errors": []map[string]any{{"message": message}},
		"title":  "Invalid Request",
		"detail": "One or more parameters to your request was invalid.",
		"type":   "https://api.x.com/2/problems/invalid-request",
	}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// body is what POST /2/tweets reads.
type body struct {
	Text  *string `json:"text"`
	Reply *struct {
		InReplyToTweetID string `json:"in_reply_to_tweet_id"`
	} `json:"reply"`
}

// UserID is the id of the account the fake's credentials sign in as.
const UserID = "1849999999999999999"

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodGet && (r.URL.Path == "/2/users/me" || r.URL.Path == "/2/users/"+UserID+"/tweets") {
		s.read(w, r)
		return
	}
	if r.URL.Path != "/2/tweets" {
		problem(w, http.StatusNotFound, "Not Found Error", "Could not find "+r.URL.Path, "https://api.x.com/2/problems/resource-not-found")
		return
	}
	if r.Method != http.MethodPost {
		problem(w, http.StatusMethodNotAllowed, "Method Not Allowed", r.Method+" is not allowed", "about:blank")
		return
	}
	raw, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 1<<20))
	if err != nil {
		problem(w, http.StatusRequestEntityTooLarge, "Payload Too Large", "The request body is too large.", "about:blank")
		return
	}

	s.mu.Lock()
	s.requests++
	nonce, err := s.verify(r, raw)
	if err == nil && s.nonces[nonce] {
		err = errReplay
	}
	if err != nil {
		s.mu.Unlock()
		problem(w, http.StatusUnauthorized, "Unauthorized", "Unauthorized", "about:blank")
		return
	}
	s.nonces[nonce] = true
	if len(s.fail) > 0 {
		f := s.fail[0]
		s.fail = s.fail[1:]
		s.mu.Unlock()
		writeFailure(w, r, f)
		return
	}
	p, status := s.accept(w, r, raw)
	s.mu.Unlock()
	if status != http.StatusCreated {
		return
	}
	if s.OnAccept != nil {
		s.OnAccept(p)
	}
	// https://docs.x.com/x-api/posts/manage-tweets/quickstart ("A successful
	// response includes the new Post's id and text"); 201 Created is the
	// POST answer of https://docs.x.com/x-api/fundamentals/response-codes-and-errors.
	writeJSON(w, http.StatusCreated, map[string]any{"data": map[string]string{"id": p.ID, "text": p.Text}})
}

// read answers GET /2/users/me and GET /2/users/:id/tweets (the
// account's posts, newest first, at most max_results, default 10).
func (s *Server) read(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, err := s.verify(r, nil); err != nil {
		problem(w, http.StatusUnauthorized, "Unauthorized", "Unauthorized", "about:blank")
		return
	}
	if r.URL.Path == "/2/users/me" {
		// https://docs.x.com/x-api/users/get-my-user (GetUsersMeResponse:
		// data is a User, id, name and username by default)
		writeJSON(w, http.StatusOK, map[string]any{"data": map[string]string{"id": UserID, "name": botName, "username": s.bot}})
		return
	}
	n := 10
	if v := r.URL.Query().Get("max_results"); v != "" {
		m, err := strconv.Atoi(v)
		if err != nil || m < 5 || m > 100 {
			invalid(w, "The `max_results` query parameter value ["+v+"] is not between 5 and 100")
			return
		}
		n = m
	}
	// https://docs.x.com/x-api/posts/timelines/introduction (the user Post
	// timeline: newest first, id and text by default, meta with
	// result_count; as for the mention timeline, no data when empty)
	var data []map[string]string
	for i := len(s.posts) - 1; i >= 0 && len(data) < n; i-- {
		data = append(data, map[string]string{"id": s.posts[i].ID, "text": s.posts[i].Text})
	}
	body := map[string]any{"meta": map[string]any{"result_count": len(data)}}
	if len(data) > 0 {
		body["data"] = data
		body["meta"] = map[string]any{"result_count": len(data), "newest_id": data[0]["id"], "oldest_id": data[len(data)-1]["id"]}
	}
	writeJSON(w, http.StatusOK, body)
}

func writeFailure(w http.ResponseWriter, r *http.Request, f Failure) {
	if f.Hang {
		<-r.Context().Done()
		return
	}
	maps.Copy(w.Header(), f.Header)
	if strings.HasPrefix(f.Body, "{") && w.Header().Get("Content-Type") == "" {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
	}
	w.WriteHeader(f.Status)
	_, _ = io.WriteString(w, f.Body)
}

// accept checks and stores a post, or writes why not. It is called with
// s.mu held and returns 201 when the post was stored (and not yet
// answered).
func (s *Server) accept(w http.ResponseWriter, r *http.Request, raw []byte) (Post, int) {
	now := s.now()
	if !s.reset.IsZero() && !now.Before(s.reset) {
		s.window, s.reset = 0, time.Time{}
	}
	if s.limit >= 0 && s.window >= s.limit {
		if s.reset.IsZero() {
			s.reset = now.Add(15 * time.Minute)
		}
		w.Header().Set("x-rate-limit-limit", strconv.Itoa(s.limit))
		w.Header().Set("x-rate-limit-remaining", "0")
		w.Header().Set("x-rate-limit-reset", strconv.FormatInt(s.reset.Unix(), 10))
		problem(w, http.StatusTooManyRequests, "Too Many Requests", "Too Many Requests", "about:blank")
		return Post{}, http.StatusTooManyRequests
	}
	if !strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
		invalid(w, "The request body must be JSON (Content-Type: application/json).")
		return Post{}, http.StatusBadRequest
	}
	var b body
	if err := json.Unmarshal(raw, &b); err != nil {
		invalid(w, "The request body is not valid JSON.")
		return Post{}, http.StatusBadRequest
	}
	switch {
	case b.Text == nil || *b.Text == "":
		invalid(w, "The `text` field must not be empty.")
		return Post{}, http.StatusBadRequest
	case x.WeightedLength(*b.Text) > x.MaxLength:
		invalid(w, "The `text` field is longer than "+strconv.Itoa(x.MaxLength)+" characters.")
		return Post{}, http.StatusBadRequest
	case b.Reply != nil && !s.byID[b.Reply.InReplyToTweetID]:
		invalid(w, "The post to reply to, "+strconv.Quote(b.Reply.InReplyToTweetID)+", does not exist.")
		return Post{}, http.StatusBadRequest
	case s.byText[*b.Text]:
		// Not in X's docs: the answer X is seen to give (docs/x-api-research.md 8).
		problem(w, http.StatusForbidden, "Forbidden", "You are not allowed to create a Tweet with duplicate content.", "about:blank")
		return Post{}, http.StatusForbidden
	}
	p := Post{ID: s.newID(), Text: *b.Text, Time: now}
	if b.Reply != nil {
		p.InReplyTo = b.Reply.InReplyToTweetID
	}
	s.posts = append(s.posts, p)
	s.addBotPost(p)
	s.byText[p.Text] = true
	s.byID[p.ID] = true
	s.window++
	if s.limit >= 0 {
		// https://docs.x.com/x-api/fundamentals/rate-limits: every answer
		// carries the window's limit, what is left and its reset. The
		// window ends 15 minutes after the post that spends it.
		if s.window >= s.limit && s.reset.IsZero() {
			s.reset = now.Add(15 * time.Minute)
		}
		reset := s.reset
		if reset.IsZero() {
			reset = now.Add(15 * time.Minute)
		}
		w.Header().Set("x-rate-limit-limit", strconv.Itoa(s.limit))
		w.Header().Set("x-rate-limit-remaining", strconv.Itoa(max(s.limit-s.window, 0)))
		w.Header().Set("x-rate-limit-reset", strconv.FormatInt(reset.Unix(), 10))
	}
	return p, http.StatusCreated
}
