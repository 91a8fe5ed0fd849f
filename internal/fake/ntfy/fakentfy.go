// Package fakentfy is an ntfy server fake for tests, on loopback. It speaks
// the shapes of ntfy's publish and subscribe documentation that reinvent
// uses; docs/notify.md#the-ntfy-fake names the page and section of each. It
// records the messages of each topic as ntfy's message cache does (append
// only), shows what a subscribed phone would show (one notification per
// sequence id, the latest), and checks Basic and Bearer credentials.
package fakentfy

import (
	"encoding/base64"
	"encoding/json"
	"io"
	"mime"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Message is one message of a topic, in the JSON message format of the
// subscribe API (docs/notify.md#the-ntfy-fake: "JSON message format").
type Message struct {
	ID         string   `json:"id"`
	Time       int64    `json:"time"`
	Event      string   `json:"event"`
	Topic      string   `json:"topic"`
	Message    string   `json:"message"`
	Title      string   `json:"title,omitempty"`
	Tags       []string `json:"tags,omitempty"`
	Priority   int      `json:"priority,omitempty"` // 0 when none was given: ntfy's default, 3
	Click      string   `json:"click,omitempty"`
	SequenceID string   `json:"sequence_id,omitempty"` // only when it differs from ID, as ntfy answers
}

// Sequence is the message's sequence id: its own id unless it was
// published with one.
func (m Message) Sequence() string {
	if m.SequenceID != "" {
		return m.SequenceID
	}
	return m.ID
}

// Server is a running fake.
type Server struct {
	srv *httptest.Server

	mu        sync.Mutex
	topics    map[string][]Message
	users     map[string]string // user → password
	tokens    map[string]bool
	failCode  int
	noSeq     bool
	published int
	now       func() time.Time
}

// names is ntfy's rule for topic names and sequence ids
// (docs/notify.md#the-ntfy-fake: "Picking a topic").
var names = regexp.MustCompile(`^[-_A-Za-z0-9]{1,64}$`)

// New starts a fake on loopback; Close stops it.
func New() *Server {
	s := &Server{topics: map[string][]Message{}, users: map[string]string{}, tokens: map[string]bool{}, now: time.Now}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	return s
}

// URL is the fake's base URL, http://127.0.0.1:PORT.
func (s *Server) URL() string { return s.srv.URL }

// Host is the fake's host and port, as a notify URL names it.
func (s *Server) Host() string { return strings.TrimPrefix(s.srv.URL, "http://") }

// Close stops the fake.
func (s *Server) Close() { s.srv.Close() }

// AddUser makes every topic need credentials, and accepts these (Basic auth).
func (s *Server) AddUser(name, password string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.users[name] = password
}

// AddToken makes every topic need credentials, and accepts this access
// token, as Bearer auth or as the password of Basic auth with an empty user.
func (s *Server) AddToken(token string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.tokens[token] = true
}

// FailWith makes every publish answer this status with ntfy's error body,
// until called with 0.
func (s *Server) FailWith(status int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failCode = status
}

// IgnoreSequenceIDs makes the fake behave as an ntfy server older than
// 2.16: sequence ids are ignored, so every publish is a new notification.
func (s *Server) IgnoreSequenceIDs() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.noSeq = true
}

// Messages returns the messages of a topic in the order they arrived, as
// the message cache keeps them: an update is a message of its own.
func (s *Server) Messages(topic string) []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Message(nil), s.topics[topic]...)
}

// Notifications returns what a phone subscribed to the topic shows: one
// notification per sequence, the latest message of it, in the order the
// sequences began ("Updating notifications": clients replace the previous
// notification with the new one).
func (s *Server) Notifications(topic string) []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Message
	at := map[string]int{}
	for _, m := range s.topics[topic] {
		if i, ok := at[m.Sequence()]; ok {
			out[i] = m
			continue
		}
		at[m.Sequence()] = len(out)
		out = append(out, m)
	}
	return out
}

// Published is how many publish requests the fake accepted.
func (s *Server) Published() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.published
}

// apiError writes ntfy's error body: {"code":..., "http":..., "error":...}.
func apiError(w http.ResponseWriter, status, code int, text string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]any{"code": code, "http": status, "error": text, "link": "https://ntfy.sh/docs/publish/"})
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	parts := strings.Split(strings.Trim(r.URL.Path, "/"), "/")
	switch {
	case r.Method == http.MethodGet && len(parts) == 2 && parts[1] == "json":
		s.poll(w, r, parts[0])
	case (r.Method == http.MethodPost || r.Method == http.MethodPut) && r.URL.Path == "/":
		s.publishJSON(w, r)
	case (r.Method == http.MethodPost || r.Method == http.MethodPut) && len(parts) <= 2:
		seq := ""
		if len(parts) == 2 {
			seq = parts[1]
		}
		s.publish(w, r, parts[0], seq)
	default:
		apiError(w, http.StatusNotFound, 40401, "page not found")
	}
}

// authorized checks the Authorization header ("Authentication"): it
// answers 403 when credentials are needed and none were given, 401 when
// the ones given are wrong.
func (s *Server) authorized(w http.ResponseWriter, r *http.Request) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.users) == 0 && len(s.tokens) == 0 {
		return true
	}
	h := r.Header.Get("Authorization")
	if h == "" {
		apiError(w, http.StatusForbidden, 40301, "forbidden")
		return false
	}
	kind, value, _ := strings.Cut(h, " ")
	switch strings.ToLower(kind) {
	case "bearer":
		if s.tokens[value] {
			return true
		}
	case "basic":
		raw, err := base64.StdEncoding.DecodeString(value)
		if err == nil {
			user, pass, _ := strings.Cut(string(raw), ":")
			if user == "" && s.tokens[pass] {
				return true
			}
			if want, ok := s.users[user]; ok && user != "" && want == pass {
				return true
			}
		}
	}
	apiError(w, http.StatusUnauthorized, 40101, "unauthorized")
	return false
}

// header returns the first of the header's aliases that is set
// ("List of all parameters").
func header(r *http.Request, names ...string) string {
	for _, n := range names {
		if v := r.Header.Get(n); v != "" {
			return v
		}
	}
	return ""
}

// priorities are the priority names and numbers ("Message priority").
var priorities = map[string]int{"1": 1, "min": 1, "2": 2, "low": 2, "3": 3, "default": 3, "4": 4, "high": 4, "5": 5, "max": 5, "urgent": 5}

// publish takes a message POSTed or PUT to /TOPIC or /TOPIC/SEQUENCE_ID
// with its fields in headers ("Publishing", "Updating notifications").
func (s *Server) publish(w http.ResponseWriter, r *http.Request, topic, seq string) {
	if !s.authorized(w, r) {
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil {
		apiError(w, http.StatusBadRequest, 40000, "bad request")
		return
	}
	var dec mime.WordDecoder // headers may be RFC 2047 encoded ("Message title")
	title, err := dec.DecodeHeader(header(r, "X-Title", "Title", "ti", "t"))
	if err != nil {
		apiError(w, http.StatusBadRequest, 40000, "invalid title")
		return
	}
	m := Message{Topic: topic, Message: string(body), Title: title, Click: header(r, "X-Click", "Click")}
	if p := header(r, "X-Priority", "Priority", "prio", "p"); p != "" {
		n, ok := priorities[strings.ToLower(p)]
		if !ok {
			apiError(w, http.StatusBadRequest, 40007, "invalid priority")
			return
		}
		m.Priority = n
	}
	tags, err := dec.DecodeHeader(header(r, "X-Tags", "Tags", "Tag", "ta"))
	if err != nil {
		apiError(w, http.StatusBadRequest, 40000, "invalid tags")
		return
	}
	if t := tags; t != "" {
		for _, tag := range strings.Split(t, ",") {
			if tag = strings.TrimSpace(tag); tag != "" {
				m.Tags = append(m.Tags, tag)
			}
		}
	}
	if seq == "" {
		seq = header(r, "X-Sequence-ID", "Sequence-ID", "SID")
	}
	s.record(w, m, seq)
}

// jsonMessage is a message published as JSON to the root URL ("Publish as
// JSON").
type jsonMessage struct {
	Topic      string   `json:"topic"`
	Message    string   `json:"message"`
	Title      string   `json:"title"`
	Tags       []string `json:"tags"`
	Priority   int      `json:"priority"`
	Click      string   `json:"click"`
	SequenceID string   `json:"sequence_id"`
}

func (s *Server) publishJSON(w http.ResponseWriter, r *http.Request) {
	if !s.authorized(w, r) {
		return
	}
	var j jsonMessage
	if err := json.NewDecoder(io.LimitReader(r.Body, 1<<20)).Decode(&j); err != nil {
		apiError(w, http.StatusBadRequest, 40017, "invalid request: request body must be message JSON")
		return
	}
	if j.Priority < 0 || j.Priority > 5 {
		apiError(w, http.StatusBadRequest, 40007, "invalid priority")
		return
	}
	s.record(w, Message{Topic: j.Topic, Message: j.Message, Title: j.Title, Tags: j.Tags, Priority: j.Priority, Click: j.Click}, j.SequenceID)
}

// record checks the topic and sequence id, keeps the message and answers
// it as JSON, with sequence_id when it differs from the id ("Updating
// notifications").
func (s *Server) record(w http.ResponseWriter, m Message, seq string) {
	if !names.MatchString(m.Topic) {
		apiError(w, http.StatusBadRequest, 40009, "invalid topic")
		return
	}
	if seq != "" && !names.MatchString(seq) {
		apiError(w, http.StatusBadRequest, 40049, "invalid sequence ID")
		return
	}
	if m.Message == "" {
		m.Message = "triggered"
	}
	s.mu.Lock()
	if s.failCode != 0 {
		code := s.failCode
		s.mu.Unlock()
		apiError(w, code, code*100, strings.ToLower(http.StatusText(code)))
		return
	}
	s.published++
	m.ID = "msg" + strconv.Itoa(s.published)
	m.Time = s.now().Unix()
	m.Event = "message"
	if seq != "" && seq != m.ID && !s.noSeq {
		m.SequenceID = seq
	}
	s.topics[m.Topic] = append(s.topics[m.Topic], m)
	s.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(m)
}

// poll answers GET /TOPIC/json?poll=1 with the cached messages, one JSON
// object a line ("Subscribe via API", "Poll for messages").
func (s *Server) poll(w http.ResponseWriter, r *http.Request, topic string) {
	if !s.authorized(w, r) {
		return
	}
	if r.URL.Query().Get("poll") != "1" {
		apiError(w, http.StatusBadRequest, 40000, "the fake serves only poll=1, not a stream")
		return
	}
	w.Header().Set("Content-Type", "application/x-ndjson; charset=utf-8")
	enc := json.NewEncoder(w)
	for _, m := range s.Messages(topic) {
		_ = enc.Encode(m)
	}
}
