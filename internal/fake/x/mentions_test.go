package fakex

import (
	"encoding/json"
	"io"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// answer is what a client of the fake sees of one response.
type answer struct {
	status int
	header http.Header
	body   string
}

var nonces atomic.Int64

// call makes one request to the fake. auth is "oauth" (signed with cred
// and a fresh nonce), "bearer" (the fake's app-only token), "" (none) or
// a whole Authorization header.
func call(t *testing.T, s *Server, method, path, body, auth string) answer {
	t.Helper()
	u := s.URL() + path
	req, err := http.NewRequest(method, u, strings.NewReader(body))
	if err != nil {
		t.Error(err) // not Fatal: call runs in goroutines too
		return answer{}
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	switch auth {
	case "":
	case "oauth":
		h, err := cred.Authorization(method, u, nil, "nonce-"+strconv.FormatInt(nonces.Add(1), 10), time.Unix(1796112000, 0))
		if err != nil {
			t.Error(err)
			return answer{}
		}
		req.Header.Set("Authorization", h)
	case "bearer":
		req.Header.Set("Authorization", "Bearer "+s.BearerToken())
	default:
		req.Header.Set("Authorization", auth)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Error(err)
		return answer{}
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return answer{resp.StatusCode, resp.Header, strings.TrimSpace(string(b))}
}

// sameJSON fails the test unless got and want are the same JSON value.
func sameJSON(t *testing.T, what, got, want string) {
	t.Helper()
	var g, w any
	if err := json.Unmarshal([]byte(got), &g); err != nil {
		t.Errorf("%s: not JSON: %v: %s", what, err, got)
		return
	}
	if err := json.Unmarshal([]byte(want), &w); err != nil {
		t.Fatalf("%s: bad want: %v", what, err)
	}
	if !reflect.DeepEqual(g, w) {
		t.Errorf("%s:\n got %s\nwant %s", what, got, want)
	}
}

// fixed is the time the tests' fakes tell.
var fixed = time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)

func newFixed(t *testing.T) *Server {
	s := New(cred)
	t.Cleanup(s.Close)
	s.Now = func() time.Time { return fixed }
	return s
}

func TestHandles(t *testing.T) {
	for _, c := range []struct {
		text string
		want []handle
	}{
		{"@fake hi", []handle{{0, 5, "fake"}}},
		{"hey @Fake, and @bob_2!", []handle{{4, 9, "Fake"}, {15, 21, "bob_2"}}},
		{"😀 @fake", []handle{{2, 7, "fake"}}}, // code points, not bytes or UTF-16
		{"＠fake", []handle{{0, 5, "fake"}}},
		{"mail a@fake.com", nil},
		{"#@fake $@fake _@fake é@fake", nil},
		{"@fake@other", nil},
		{"@abcdefghijklmnop", nil}, // 16 characters: no such username
		{"@abcdefghijklmno.", []handle{{0, 16, "abcdefghijklmno"}}},
		{"@ alone @", nil},
		{"RT @alice: @fake's", []handle{{3, 9, "alice"}, {11, 16, "fake"}}},
	} {
		if got := handles(c.text); !reflect.DeepEqual(got, c.want) {
			t.Errorf("handles(%q) = %v, want %v", c.text, got, c.want)
		}
	}
}

func TestIDsShareOneCounter(t *testing.T) {
	s := newFixed(t)
	if st, b := send(t, "POST", s.URL()+"/2/tweets", `{"text":"first"}`, cred, "id1"); st != 201 || !strings.Contains(b, `"id":"1850000000000000001"`) {
		t.Fatalf("first post: %d %s", st, b)
	}
	m := s.AddMention(Mention{AuthorID: "42", Username: "alice", Text: "@fake hi"})
	if m != "1850000000000000002" {
		t.Errorf("mention id %s", m)
	}
	_, b := send(t, "POST", s.URL()+"/2/tweets", `{"text":"@alice thanks","reply":{"in_reply_to_tweet_id":"`+m+`"}}`, cred, "id2")
	if !strings.Contains(b, `"id":"1850000000000000003"`) {
		t.Errorf("reply to the mention: %s", b)
	}
	if got := s.AddMention(Mention{ID: "1850000000000000100", AuthorID: "42", Username: "alice", Text: "@fake again"}); got != "1850000000000000100" {
		t.Errorf("given id: %s", got)
	}
	if got := s.AddMention(Mention{AuthorID: "42", Username: "alice", Text: "@fake later"}); got != "1850000000000000101" || len(got) != 19 {
		t.Errorf("id after a given one: %s", got)
	}
	for _, bad := range []string{"12x", "1850000000000000100"} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("AddMention with id %s did not panic", bad)
				}
			}()
			s.AddMention(Mention{ID: bad, Text: "@fake"})
		}()
	}
}

func TestSetBot(t *testing.T) {
	s := newFixed(t)
	sameJSON(t, "default", call(t, s, "GET", "/2/users/me", "", "oauth").body,
		`{"data":{"id":"1849999999999999999","name":"Fake","username":"fake"}}`)
	s.SetBot("Reinvent_Bot")
	sameJSON(t, "renamed", call(t, s, "GET", "/2/users/me", "", "oauth").body,
		`{"data":{"id":"1849999999999999999","name":"Fake","username":"Reinvent_Bot"}}`)
	s.AddMention(Mention{AuthorID: "42", Username: "alice", Text: "@fake old name"})
	id := s.AddMention(Mention{AuthorID: "42", Username: "alice", Text: "@reinvent_bot new name"})
	a := call(t, s, "GET", "/2/users/"+UserID+"/mentions?tweet.fields=entities", "", "oauth")
	sameJSON(t, "timeline of the new name", a.body, `{"data":[{"id":"`+id+`","text":"@reinvent_bot new name",
		"edit_history_tweet_ids":["`+id+`"],"entities":{"mentions":[{"start":0,"end":13,"username":"reinvent_bot","id":"1849999999999999999"}]}}],
		"meta":{"result_count":1,"newest_id":"`+id+`","oldest_id":"`+id+`"}}`)
}
