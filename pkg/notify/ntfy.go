package notify

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/reinvent-cli/reinvent/pkg/catalog"
)

// ntfy is sent with reinvent's own client rather than shoutrrr's, because
// shoutrrr's ntfy sender cannot set a sequence id: publishing each notice
// with its ID as the sequence id is what lets a resend replace the first
// copy (docs/notify.md#ntfy). The URL is read as shoutrrr reads it, so that
// a URL that works with shoutrrr or Watchtower works here.
type ntfySink struct {
	where    string
	endpoint string // scheme://host/topic
	auth     string // the Authorization header, or ""
	secrets  *secrets
	client   *http.Client
	log      *slog.Logger

	// What the URL's query sets for every notice.
	title, click, icon, email, delay, attach, filename, actions string
	tags                                                        []string
	priority                                                    int // for Default notices; 0: 3
	noCache, noFirebase                                         bool

	replaces atomic.Bool
	warnOnce sync.Once
}

// ntfyDefaultHost is where ntfy://TOPIC-less URLs without a host go, as in
// shoutrrr.
const ntfyDefaultHost = "ntfy.sh"

// maxNtfyMessage is the most of a message that is sent: ntfy turns a longer
// body into an attachment (docs/notify.md#ntfy).
const maxNtfyMessage = 4000

// ntfyPriorities are the names and numbers of ntfy's priorities, as
// shoutrrr's priority= option takes them.
var ntfyPriorities = map[string]int{"1": 1, "min": 1, "2": 2, "low": 2, "3": 3, "default": 3, "4": 4, "high": 4, "5": 5, "max": 5, "urgent": 5}

func openNtfy(u *url.URL, o Options) (Sink, error) {
	host := strings.ToLower(u.Host)
	if host == "" {
		host = ntfyDefaultHost
	}
	s := &ntfySink{where: "ntfy at " + host, secrets: secretsOf(u.String(), u), client: o.HTTPClient, log: o.logger()}
	if s.client == nil {
		s.client = &http.Client{Timeout: 30 * time.Second}
	}
	s.replaces.Store(true)
	bad := func(msg string) (Sink, error) { return nil, &Error{where: s.where, msg: msg} }

	topic := strings.Trim(u.Path, "/")
	switch {
	case u.Opaque != "":
		return bad("write the URL as ntfy://HOST/TOPIC")
	case topic == "":
		return bad("the URL names no topic: write ntfy://HOST/TOPIC")
	case !validID.MatchString(topic):
		return bad("a topic is 1 to 64 letters, digits, - or _")
	}

	scheme := "https"
	for key, vals := range u.Query() {
		v := vals[len(vals)-1]
		switch strings.ToLower(key) {
		case "scheme":
			scheme = strings.ToLower(v)
			if scheme != "http" && scheme != "https" {
				return bad("scheme= is http or https")
			}
		case "disabletls":
			b, ok := parseBool(v)
			if !ok {
				return bad("disabletls= is yes or no")
			}
			if b {
				scheme = "http"
			}
		case "disabletlsverification":
			if b, ok := parseBool(v); !ok || b {
				return bad("disabletlsverification is not supported: give the server a certificate the system trusts, or use scheme=http on a network you trust")
			}
		case "title":
			s.title = v
		case "tags":
			s.tags = splitTags(v)
		case "priority":
			p, ok := ntfyPriorities[strings.ToLower(v)]
			if !ok {
				return bad("priority= is 1 to 5, or min, low, default, high, max or urgent")
			}
			s.priority = p
		case "actions":
			s.actions = v
		case "click":
			s.click = v
		case "attach":
			s.attach = v
		case "filename":
			s.filename = v
		case "delay", "at", "in":
			s.delay = v
		case "email":
			s.email = v
		case "icon":
			s.icon = v
		case "cache", "firebase":
			b, ok := parseBool(v)
			if !ok {
				return bad(strings.ToLower(key) + "= is yes or no")
			}
			if strings.EqualFold(key, "cache") {
				s.noCache = !b
			} else {
				s.noFirebase = !b
			}
		default:
			return bad("the URL has an option ntfy does not take; the options are title, tags, priority, actions, click, attach, filename, delay, email, icon, cache, firebase, scheme and disabletls (docs/notify.md#ntfy)")
		}
	}
	s.endpoint = scheme + "://" + host + "/" + topic

	// Credentials as shoutrrr and ntfy take them: user:password is Basic
	// auth; an access token is :TOKEN (an empty user), or a user name that
	// starts with tk_ and has no password, sent as a Bearer token
	// (docs/notify.md#ntfy).
	if u.User != nil {
		user := u.User.Username()
		pass, hasPass := u.User.Password()
		switch {
		case user == "" && pass != "":
			s.auth = "Bearer " + pass
		case !hasPass && strings.HasPrefix(user, "tk_"):
			s.auth = "Bearer " + user
		case user != "" || pass != "":
			s.auth = "Basic " + base64.StdEncoding.EncodeToString([]byte(user+":"+pass))
		}
	}
	return s, nil
}

func (s *ntfySink) Service() string { return "ntfy" }
func (s *ntfySink) Where() string   { return s.where }
func (s *ntfySink) Replaces() bool  { return s.replaces.Load() }

// Send publishes n to the topic with its ID as the sequence id
// (docs/notify.md#ntfy): POST /TOPIC with the message as the body and its
// fields in headers.
func (s *ntfySink) Send(ctx context.Context, n Notice) error {
	if !validID.MatchString(n.ID) {
		return &Error{where: s.where, msg: "a notice ID is 1 to 64 letters, digits, - or _"}
	}
	body := cutBytes(strings.ToValidUTF8(catalog.CleanText(n.Message), "\uFFFD"), maxNtfyMessage)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.endpoint, strings.NewReader(body))
	if err != nil {
		return failure(s.where, err, s.secrets)
	}
	h := req.Header
	h.Set("Content-Type", "text/plain; charset=utf-8")
	h.Set("X-Sequence-ID", n.ID)
	title := n.Title
	if title == "" {
		title = s.title
	}
	if title = catalog.CleanLine(title); title != "" {
		// ntfy reads RFC 2047 encoded headers; Q encoding leaves ASCII
		// titles as they are.
		h.Set("Title", mime.QEncoding.Encode("utf-8", title))
	}
	h.Set("Priority", strconv.Itoa(s.priorityOf(n.Priority)))
	if tags := append(splitTags(strings.Join(n.Tags, ",")), s.tags...); len(tags) > 0 {
		h.Set("Tags", mime.QEncoding.Encode("utf-8", strings.Join(tags, ",")))
	}
	for name, v := range map[string]string{"Click": s.click, "Icon": s.icon, "Email": s.email, "Delay": s.delay, "Attach": s.attach, "Filename": s.filename, "Actions": s.actions} {
		if v != "" {
			h.Set(name, v)
		}
	}
	if s.noCache {
		h.Set("Cache", "no")
	}
	if s.noFirebase {
		h.Set("Firebase", "no")
	}
	if s.auth != "" {
		h.Set("Authorization", s.auth)
	}

	resp, err := s.client.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err // without the request's URL
		}
		return failure(s.where, err, s.secrets)
	}
	defer resp.Body.Close()
	answer, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return &Error{where: s.where, msg: s.secrets.scrub(resp.Status + ntfyProblem(answer))}
	}
	s.checkSequence(answer, n.ID)
	return nil
}

// priorityOf is ntfy's priority for p: 3, 4 and 5, with the URL's
// priority= for Default notices.
func (s *ntfySink) priorityOf(p Priority) int {
	switch p {
	case Urgent:
		return 5
	case High:
		return 4
	}
	if s.priority != 0 {
		return s.priority
	}
	return 3
}

// checkSequence reads the published message back: a server older than
// ntfy 2.16 ignores the sequence id, and then a resend would be a second
// notification, so Replaces turns false and a warning is logged once.
func (s *ntfySink) checkSequence(answer []byte, id string) {
	var m struct {
		ID         string `json:"id"`
		SequenceID string `json:"sequence_id"`
	}
	if json.Unmarshal(answer, &m) != nil || m.ID == "" || m.ID == id || m.SequenceID == id {
		return
	}
	s.replaces.Store(false)
	s.warnOnce.Do(func() {
		s.log.Warn("the ntfy server ignores sequence ids (ntfy 2.16 and later keep them): a notice sent again after a lost answer shows twice", "sink", s.where)
	})
}

// ntfyProblem returns ": " and the error text of ntfy's error body
// ({"code":40301,"http":403,"error":"forbidden",...}), or of the first line
// of a body that is not one, or "".
func ntfyProblem(body []byte) string {
	var e struct {
		Error string `json:"error"`
	}
	text := ""
	if json.Unmarshal(body, &e) == nil && e.Error != "" {
		text = e.Error
	} else {
		text, _, _ = strings.Cut(string(body), "\n")
	}
	text = cut(catalog.CleanLine(strings.ToValidUTF8(text, "\uFFFD")), 120)
	if text == "" {
		return ""
	}
	return ": " + text
}

// splitTags splits comma-separated tags, dropping empty ones.
func splitTags(s string) []string {
	var out []string
	for _, t := range strings.Split(s, ",") {
		if t = strings.TrimSpace(catalog.CleanLine(t)); t != "" {
			out = append(out, t)
		}
	}
	return out
}

// parseBool reads yes/no values as shoutrrr's options take them.
func parseBool(s string) (value, ok bool) {
	switch strings.ToLower(s) {
	case "yes", "y", "true", "1", "on":
		return true, true
	case "no", "n", "false", "0", "off":
		return false, true
	}
	return false, false
}

// cutBytes cuts s to at most n bytes at a character boundary.
func cutBytes(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}
