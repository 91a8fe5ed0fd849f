package webhook

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/reinvent-cli/reinvent/pkg/x"
)

// Mention is one post that mentions the bot.
type Mention struct {
	ID        string    // the post id (id_str / id)
	UserID    string    // author id
	User      string    // author screen name (may be "" in a v2 payload without includes.users)
	Text      string    // full text: extended_tweet.full_text when truncated, note_tweet.text in v2 when present
	CreatedAt time.Time // zero if absent
}

// MentionEventType is the X Activity API event that carries a mention.
const MentionEventType = "post.mention.create"

// Parse reads an Account Activity payload or an X Activity API v2 envelope and returns the
// mentions of botHandle in it, in order; non-mentions, the bot's own posts and retweets are ignored.
// A payload of another kind (favorites, follows, DMs...) returns no mentions and no error.
// Malformed JSON is an error (the handler answers 400).
//
// A post mentions the bot when its mention entities (entities.user_mentions
// and extended_tweet.entities.user_mentions; in v2 entities.mentions and
// note_tweet.entities.mentions) name botHandle, compared without ASCII case.
// Only a post that carries no entities at all is searched for "@botHandle" as
// a whole word instead. The X Activity API's includes.users, which names the
// author, is read from data, from the top level, or from the payload when it
// is shaped like a v2 lookup response ({"data": post, "includes": ...}); data
// may be one event or an array of them. A value of the wrong JSON type in a
// field Parse reads is malformed too.
func Parse(body []byte, botHandle string) ([]Mention, error) {
	var env envelope
	if err := json.Unmarshal(body, &env); err != nil {
		return nil, fmt.Errorf("parse webhook payload: %w", err)
	}
	botHandle = strings.TrimPrefix(botHandle, "@")
	if botHandle == "" {
		return nil, nil
	}
	var ms []Mention
	for i := range env.TweetCreateEvents {
		if m, ok := env.TweetCreateEvents[i].mention(botHandle, string(env.ForUserID)); ok {
			ms = append(ms, m)
		}
	}
	events, err := env.activityEvents()
	if err != nil {
		return nil, err
	}
	for _, ev := range events {
		m, ok, err := ev.mention(botHandle, env.Includes)
		if err != nil {
			return nil, err
		}
		if ok {
			ms = append(ms, m)
		}
	}
	return ms, nil
}

// envelope holds the top level of both payload kinds: Account Activity's
// for_user_id and tweet_create_events, and the X Activity API's data.
type envelope struct {
	ForUserID         x.ID            `json:"for_user_id"`
	TweetCreateEvents []v1Tweet       `json:"tweet_create_events"`
	Data              json.RawMessage `json:"data"`
	Includes          *v2Includes     `json:"includes"`
}

// activityEvents decodes data as one X Activity API event or an array of
// them. Anything else under data (a string, a number) belongs to some other
// kind of payload and yields nothing.
func (e *envelope) activityEvents() ([]activityEvent, error) {
	raw := bytes.TrimSpace(e.Data)
	if len(raw) == 0 {
		return nil, nil
	}
	switch raw[0] {
	case '{':
		var ev activityEvent
		if err := json.Unmarshal(raw, &ev); err != nil {
			return nil, fmt.Errorf("parse webhook payload data: %w", err)
		}
		return []activityEvent{ev}, nil
	case '[':
		var evs []activityEvent
		if err := json.Unmarshal(raw, &evs); err != nil {
			return nil, fmt.Errorf("parse webhook payload data: %w", err)
		}
		return evs, nil
	}
	return nil, nil
}

// v1Tweet is a post as the Account Activity API delivers it.
type v1Tweet struct {
	IDStr         string      `json:"id_str"`
	ID            json.Number `json:"id"`
	Text          string      `json:"text"`
	FullText      string      `json:"full_text"`
	Truncated     bool        `json:"truncated"`
	ExtendedTweet *struct {
		FullText string    `json:"full_text"`
		Entities *entities `json:"entities"`
	} `json:"extended_tweet"`
	User struct {
		IDStr      string `json:"id_str"`
		ScreenName string `json:"screen_name"`
	} `json:"user"`
	Entities        *entities       `json:"entities"`
	RetweetedStatus json.RawMessage `json:"retweeted_status"`
	CreatedAt       string          `json:"created_at"`
	TimestampMS     json.RawMessage `json:"timestamp_ms"` // a string in the docs' examples; a number is read too
}

// entities holds the mention entities of a post: user_mentions in v1.1,
// mentions in v2. One type serves both, for the other's key never appears.
type entities struct {
	UserMentions []struct {
		ScreenName string `json:"screen_name"`
	} `json:"user_mentions"`
	Mentions []struct {
		Username string `json:"username"`
	} `json:"mentions"`
}

// mentioned gathers the handles named by a post's entities.
type mentioned struct {
	names []string
	any   bool // some entities object was sent
}

func (m *mentioned) add(e *entities) {
	if e == nil {
		return
	}
	m.any = true
	for _, u := range e.UserMentions {
		m.names = append(m.names, u.ScreenName)
	}
	for _, u := range e.Mentions {
		m.names = append(m.names, u.Username)
	}
}

// of reports whether the entities name handle or, for a post sent without
// entities, whether text mentions it.
func (m *mentioned) of(text, handle string) bool {
	for _, n := range m.names {
		if sameHandle(strings.TrimPrefix(n, "@"), handle) {
			return true
		}
	}
	return !m.any && textMentions(text, handle)
}

func (t *v1Tweet) mention(handle, forUserID string) (Mention, bool) {
	m := Mention{ID: t.IDStr, UserID: t.User.IDStr, User: t.User.ScreenName, Text: t.Text}
	if m.ID == "" {
		m.ID = t.ID.String()
	}
	if t.FullText != "" {
		m.Text = t.FullText
	}
	var who mentioned
	who.add(t.Entities)
	if ext := t.ExtendedTweet; ext != nil {
		if ext.FullText != "" && (t.Truncated || m.Text == "") {
			m.Text = ext.FullText
		}
		who.add(ext.Entities)
	}
	own := sameHandle(m.User, handle) || (forUserID != "" && m.UserID == forUserID)
	retweet := isPresent(t.RetweetedStatus) || strings.HasPrefix(m.Text, "RT @")
	if m.ID == "" || own || retweet || !who.of(m.Text, handle) {
		return Mention{}, false
	}
	m.CreatedAt = v1Time(t.CreatedAt, strings.Trim(string(t.TimestampMS), `"`))
	return m, true
}

// v1Time reads created_at ("Wed Oct 10 20:19:24 +0000 2018"), else
// timestamp_ms; zero when neither is usable.
func v1Time(createdAt, timestampMS string) time.Time {
	if t, err := time.Parse(time.RubyDate, createdAt); err == nil {
		return t.UTC()
	}
	if ms, err := strconv.ParseInt(timestampMS, 10, 64); err == nil && ms > 0 {
		return time.UnixMilli(ms).UTC()
	}
	return time.Time{}
}

// activityEvent is one X Activity API delivery: data in the envelope.
type activityEvent struct {
	EventType string `json:"event_type"`
	Filter    struct {
		UserID x.ID `json:"user_id"`
	} `json:"filter"`
	Payload  json.RawMessage `json:"payload"`
	Includes *v2Includes     `json:"includes"`
}

// v2Post is a post in the X API v2 shape.
// Its ids are strings in X's docs; numbers are read too (x.ID).
type v2Post struct {
	ID        x.ID      `json:"id"`
	Text      string    `json:"text"`
	AuthorID  x.ID      `json:"author_id"`
	CreatedAt string    `json:"created_at"`
	Entities  *entities `json:"entities"`
	NoteTweet *struct {
		Text     string    `json:"text"`
		Entities *entities `json:"entities"`
	} `json:"note_tweet"`
	ReferencedTweets []struct {
		Type string `json:"type"`
	} `json:"referenced_tweets"`
}

type v2Includes struct {
	Users []struct {
		ID       x.ID   `json:"id"`
		Username string `json:"username"`
	} `json:"users"`
}

// wrappedPost is a payload in the shape of a v2 lookup response, a post under
// data with its own includes, which Parse accepts as well as a bare post.
type wrappedPost struct {
	Data     *v2Post     `json:"data"`
	Includes *v2Includes `json:"includes"`
}

func (ev *activityEvent) mention(handle string, top *v2Includes) (Mention, bool, error) {
	raw := bytes.TrimSpace(ev.Payload)
	if ev.EventType != MentionEventType || len(raw) == 0 || raw[0] != '{' {
		return Mention{}, false, nil
	}
	var w wrappedPost
	if err := json.Unmarshal(raw, &w); err != nil {
		return Mention{}, false, fmt.Errorf("parse %s payload: %w", MentionEventType, err)
	}
	post := w.Data
	if post == nil {
		post = new(v2Post)
		if err := json.Unmarshal(raw, post); err != nil {
			return Mention{}, false, fmt.Errorf("parse %s payload: %w", MentionEventType, err)
		}
	}
	m, ok := post.mention(handle, string(ev.Filter.UserID), w.Includes, ev.Includes, top)
	return m, ok, nil
}

// mention reads a v2 post as a mention of handle, the account whose id is
// ownID (when known), finding the author's username in the first of
// includes that lists them. ok is false for a post that is not a mention:
// the bot's own, a retweet, or one that does not name handle.
func (post *v2Post) mention(handle, ownID string, includes ...*v2Includes) (Mention, bool) {
	m := Mention{ID: string(post.ID), UserID: string(post.AuthorID), Text: post.Text}
	m.User = username(m.UserID, includes...)
	var who mentioned
	who.add(post.Entities)
	if n := post.NoteTweet; n != nil {
		if n.Text != "" {
			m.Text = n.Text
		}
		who.add(n.Entities)
	}
	own := sameHandle(m.User, handle) || (ownID != "" && m.UserID == ownID)
	retweet := strings.HasPrefix(m.Text, "RT @")
	for _, r := range post.ReferencedTweets {
		retweet = retweet || r.Type == "retweeted"
	}
	if m.ID == "" || own || retweet || !who.of(m.Text, handle) {
		return Mention{}, false
	}
	if t, err := time.Parse(time.RFC3339, post.CreatedAt); err == nil {
		m.CreatedAt = t.UTC()
	}
	return m, true
}

// username finds the author's username in the first includes that lists them.
func username(id string, includes ...*v2Includes) string {
	for _, inc := range includes {
		if inc == nil || id == "" {
			continue
		}
		for _, u := range inc.Users {
			if string(u.ID) == id {
				return u.Username
			}
		}
	}
	return ""
}

// textMentions reports whether text holds "@handle" not followed by another
// handle character, so "@reinventbotx" does not mention "reinventbot".
func textMentions(text, handle string) bool {
	for i := 0; i < len(text); i++ {
		if text[i] != '@' || (i > 0 && isHandleByte(text[i-1])) {
			continue
		}
		end := i + 1 + len(handle)
		if end <= len(text) && sameHandle(text[i+1:end], handle) && (end == len(text) || !isHandleByte(text[end])) {
			return true
		}
	}
	return false
}

// sameHandle reports whether two handles are equal, ignoring ASCII case;
// handles are ASCII, so no other folding applies.
func sameHandle(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		if lowerASCII(a[i]) != lowerASCII(b[i]) {
			return false
		}
	}
	return true
}

func lowerASCII(b byte) byte {
	if 'A' <= b && b <= 'Z' {
		return b + 'a' - 'A'
	}
	return b
}

// ValidHandle reports whether s is an X handle by X's rule: 1 to 15
// letters, digits and underscores. Only such a name is ever written after
// an @ in a post.
func ValidHandle(s string) bool {
	if len(s) < 1 || len(s) > 15 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isHandleByte(s[i]) {
			return false
		}
	}
	return true
}

// isHandleByte reports whether b may appear in an X handle.
func isHandleByte(b byte) bool {
	return b == '_' || ('0' <= b && b <= '9') || ('a' <= b && b <= 'z') || ('A' <= b && b <= 'Z')
}

// isPresent reports whether a raw JSON field was sent with a value other than null.
func isPresent(raw json.RawMessage) bool {
	raw = bytes.TrimSpace(raw)
	return len(raw) > 0 && !bytes.Equal(raw, []byte("null"))
}
