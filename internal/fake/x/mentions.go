package fakex

import (
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// botName is the display name of the bot's account.
const botName = "Fake"

// Mention is a post by another user that the fake stores, as AddMention
// is given it.
type Mention struct {
	ID       string // assigned (the next id) when empty
	AuthorID string
	Username string // the author's username, also their display name
	Text     string
	// CreatedAt is s.Now() when zero.
	CreatedAt time.Time
	// Retweet makes the post a repost of ReplyTo (or, when ReplyTo is
	// empty, of a post the fake makes up an older id for).
	Retweet bool
	ReplyTo string // the post this one replies to (or reposts)
	// NoteText, when set, is the whole text of a long post, of which Text
	// is the start (note_tweet).
	NoteText string
}

// tweet is a post the fake knows the text of: one the bot made through
// POST /2/tweets, or a Mention.
type tweet struct {
	id           uint64
	author       string // author id
	username     string // author username ("" for the bot: its current one)
	text, note   string
	created      time.Time
	retweet      bool   // a repost of ref
	ref          string // replied-to or reposted post, "" for none
	conversation string
}

// user is the author of a mention, known so that @handles can carry ids.
type user struct{ id, username string }

func (t *tweet) idStr() string { return strconv.FormatUint(t.id, 10) }

// newID returns the next post id. Posts and mentions share the counter,
// so a later post has a larger id, as X's snowflake ids do. It is called
// with s.mu held.
func (s *Server) newID() string {
	id := s.nextID
	s.nextID++
	return strconv.FormatUint(id, 10)
}

// insert adds t to s.tweets, kept in id order. It is called with s.mu
// held and panics on an id the fake has already.
func (s *Server) insert(t *tweet) {
	i, found := slices.BinarySearchFunc(s.tweets, t.id, func(a *tweet, id uint64) int {
		switch {
		case a.id < id:
			return -1
		case a.id > id:
			return 1
		}
		return 0
	})
	if found {
		panic("fakex: a post with id " + t.idStr() + " exists already")
	}
	s.tweets = slices.Insert(s.tweets, i, t)
	if t.id >= s.nextID {
		s.nextID = t.id + 1
	}
}

// find returns the post with id, or nil. It is called with s.mu held.
func (s *Server) find(id string) *tweet {
	n, err := strconv.ParseUint(id, 10, 64)
	if err != nil {
		return nil
	}
	i, found := slices.BinarySearchFunc(s.tweets, n, func(a *tweet, id uint64) int {
		if a.id < id {
			return -1
		} else if a.id > id {
			return 1
		}
		return 0
	})
	if !found {
		return nil
	}
	return s.tweets[i]
}

// conversationOf is the conversation a post replying to ref belongs to:
// ref's own when the fake knows ref, else ref.
func (s *Server) conversationOf(ref string) string {
	if t := s.find(ref); t != nil {
		return t.conversation
	}
	return ref
}

// addBotPost stores a post the bot made, so that it is in the mention
// timeline when it @mentions the bot, as on X. It is called with s.mu held.
func (s *Server) addBotPost(p Post) {
	id, _ := strconv.ParseUint(p.ID, 10, 64)
	t := &tweet{id: id, author: UserID, text: p.Text, created: p.Time, ref: p.InReplyTo, conversation: p.ID}
	if p.InReplyTo != "" {
		t.conversation = s.conversationOf(p.InReplyTo)
	}
	s.insert(t)
}

// AddMention stores a post by another user and returns its id. The post
// is in the bot's mention timeline when its Text or NoteText @mentions
// the bot's username; the bot may reply to it either way. While Deliver
// is on, it is also sent to the webhooks subscribed for the bot before
// AddMention returns (see deliver.go). It panics on an ID that is not a
// decimal number or that the fake has already.
func (s *Server) AddMention(m Mention) string {
	s.mu.Lock()
	if m.ID == "" {
		if m.Retweet && m.ReplyTo == "" {
			m.ReplyTo = s.newID() // the original: older than its repost
		}
		m.ID = s.newID()
	}
	id, err := strconv.ParseUint(m.ID, 10, 64)
	if err != nil {
		s.mu.Unlock()
		panic("fakex: mention id " + strconv.Quote(m.ID) + " is not a decimal number")
	}
	if m.CreatedAt.IsZero() {
		m.CreatedAt = s.now()
	}
	t := &tweet{id: id, author: m.AuthorID, username: m.Username, text: m.Text, note: m.NoteText,
		created: m.CreatedAt, retweet: m.Retweet, ref: m.ReplyTo, conversation: m.ID}
	if m.ReplyTo != "" && !m.Retweet {
		t.conversation = s.conversationOf(m.ReplyTo)
	}
	if s.find(m.ID) != nil {
		s.mu.Unlock()
		panic("fakex: a post with id " + m.ID + " exists already")
	}
	s.insert(t)
	s.byID[m.ID] = true
	if m.Username != "" {
		s.users[strings.ToLower(m.Username)] = user{id: m.AuthorID, username: m.Username}
	}
	jobs := s.deliveriesFor(t)
	s.mu.Unlock()
	s.deliver(jobs)
	return m.ID
}

// SetBot sets the bot's username (default "fake"), which GET /2/users/me
// answers and whose @mentions make the mention timeline. Its id is UserID.
func (s *Server) SetBot(username string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.bot = username
}

// handle is an @mention in a text: start and end (exclusive) count code
// points and cover the "@"; username is spelled as in the text.
type handle struct {
	start, end int
	username   string
}

// handles finds the @mentions in text: "@" (or the full-width "＠") and 1
// to 15 of A-Z, a-z, 0-9 and "_", not preceded by a letter, a digit or
// one of _!#$%&*@＠ and not followed by "@" or another handle character.
// This is a simplification of twitter-text's rule; X's docs do not spell
// the rule out (docs/fake-x.md).
func handles(text string) []handle {
	rs := []rune(text)
	var hs []handle
	for i := 0; i < len(rs); i++ {
		if rs[i] != '@' && rs[i] != '＠' {
			continue
		}
		if i > 0 && (isHandleRune(rs[i-1]) || strings.ContainsRune("!#$%&*@＠", rs[i-1]) || isLetter(rs[i-1])) {
			continue
		}
		j := i + 1
		for j < len(rs) && isHandleRune(rs[j]) {
			j++
		}
		n := j - i - 1
		if n < 1 || n > 15 || j < len(rs) && (rs[j] == '@' || rs[j] == '＠') {
			i = j - 1
			continue
		}
		hs = append(hs, handle{start: i, end: j, username: string(rs[i+1 : j])})
		i = j - 1
	}
	return hs
}

func isHandleRune(r rune) bool {
	return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' || r == '_'
}

// isLetter reports a non-ASCII letter (such as an accented one) that
// would make the "@" part of a word.
func isLetter(r rune) bool { return r >= 0xC0 && r < 0x250 && r != 0xD7 && r != 0xF7 }

// mentionsBot reports whether the post's text or note @mentions the bot.
// It is called with s.mu held.
func (s *Server) mentionsBot(t *tweet) bool {
	for _, h := range append(handles(t.text), handles(t.note)...) {
		if strings.EqualFold(h.username, s.bot) {
			return true
		}
	}
	return false
}

// userOf returns the id of a mentioned username, "" when unknown.
func (s *Server) userOf(username string) string {
	if strings.EqualFold(username, s.bot) {
		return UserID
	}
	return s.users[strings.ToLower(username)].id
}

// authorName is the username of t's author.
func (s *Server) authorName(t *tweet) string {
	if t.author == UserID && t.username == "" {
		return s.bot
	}
	return t.username
}

// v2Mentions renders text's handles as v2 entities.mentions
// ([{start,end,username,id}], id only for a user the fake knows).
// https://docs.x.com/x-api/users/get-mentions (Post.entities.mentions)
func (s *Server) v2Mentions(text string) []map[string]any {
	var ms []map[string]any
	for _, h := range handles(text) {
		m := map[string]any{"start": h.start, "end": h.end, "username": h.username}
		if id := s.userOf(h.username); id != "" {
			m["id"] = id
		}
		ms = append(ms, m)
	}
	return ms
}

// timeV2 is how v2 writes a time: RFC 3339 in UTC with milliseconds.
func timeV2(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }

// v2Post renders t as a v2 Post with the default fields (id, text,
// edit_history_tweet_ids) and those of fields that the fake knows:
// author_id, created_at, conversation_id, entities, referenced_tweets,
// note_tweet. It is called with s.mu held.
// https://docs.x.com/x-api/users/get-mentions (GetUsersMentionsResponse, Post)
// https://docs.x.com/x-api/posts/timelines/integrate ("By default, responses
// include only id, text, and edit_history_tweet_ids")
func (s *Server) v2Post(t *tweet, fields map[string]bool) map[string]any {
	p := map[string]any{"id": t.idStr(), "text": t.text, "edit_history_tweet_ids": []string{t.idStr()}}
	if fields["author_id"] {
		p["author_id"] = t.author
	}
	if fields["created_at"] {
		p["created_at"] = timeV2(t.created)
	}
	if fields["conversation_id"] {
		p["conversation_id"] = t.conversation
	}
	if ms := s.v2Mentions(t.text); fields["entities"] && ms != nil {
		p["entities"] = map[string]any{"mentions": ms}
	}
	if fields["referenced_tweets"] && t.ref != "" {
		typ := "replied_to"
		if t.retweet {
			typ = "retweeted"
		}
		p["referenced_tweets"] = []map[string]string{{"type": typ, "id": t.ref}}
	}
	if fields["note_tweet"] && t.note != "" {
		n := map[string]any{"text": t.note}
		if ms := s.v2Mentions(t.note); ms != nil {
			n["entities"] = map[string]any{"mentions": ms}
		}
		p["note_tweet"] = n
	}
	return p
}

// v2User renders a user with the default fields id, name and username.
// https://docs.x.com/x-api/users/get-my-user (GetUsersMeResponse, User)
func (s *Server) v2User(id string) map[string]string {
	if id == UserID {
		return map[string]string{"id": UserID, "name": botName, "username": s.bot}
	}
	for _, u := range s.users {
		if u.id == id {
			return map[string]string{"id": u.id, "name": u.username, "username": u.username}
		}
	}
	return map[string]string{"id": id, "name": id, "username": id}
}

// v1Tweet renders t as the v1.1 Tweet object of an Account Activity
// tweet_create_events entry. It is called with s.mu held.
// https://docs.x.com/x-api/account-activity/introduction (Payload Examples,
// tweet_create_events; "Support for Longform Posts")
func (s *Server) v1Tweet(t *tweet) map[string]any {
	id, _ := strconv.ParseInt(t.idStr(), 10, 64)
	authorID, _ := strconv.ParseInt(t.author, 10, 64)
	p := map[string]any{
		"created_at":                t.created.UTC().Format(time.RubyDate),
		"id":                        id,
		"id_str":                    t.idStr(),
		"text":                      t.text,
		"truncated":                 false,
		"user":                      map[string]any{"id": authorID, "id_str": t.author, "name": s.authorName(t), "screen_name": s.authorName(t)},
		"entities":                  v1Entities(s, t.text),
		"display_text_range":        []int{0, utf8.RuneCountInString(t.text)},
		"in_reply_to_status_id_str": nil,
	}
	if t.ref != "" && !t.retweet {
		p["in_reply_to_status_id_str"] = t.ref
	}
	if t.note != "" {
		p["truncated"] = true
		p["extended_tweet"] = map[string]any{
			"full_text":          t.note,
			"display_text_range": []int{0, utf8.RuneCountInString(t.note)},
			"entities":           v1Entities(s, t.note),
		}
	}
	return p
}

// v1Entities renders text's handles as v1.1 entities.user_mentions.
func v1Entities(s *Server, text string) map[string]any {
	ms := []map[string]any{}
	for _, h := range handles(text) {
		m := map[string]any{"screen_name": h.username, "indices": []int{h.start, h.end}}
		if id := s.userOf(h.username); id != "" {
			n, _ := strconv.ParseInt(id, 10, 64)
			m["id"], m["id_str"] = n, id
		}
		ms = append(ms, m)
	}
	return map[string]any{"hashtags": []any{}, "urls": []any{}, "user_mentions": ms, "symbols": []any{}}
}
