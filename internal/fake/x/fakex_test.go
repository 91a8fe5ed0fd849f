package fakex

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/reinvent-cli/reinvent/pkg/x"
)

var cred = x.Credentials{ConsumerKey: "ck", ConsumerSecret: "cs", AccessToken: "at", AccessTokenSecret: "ats"}

// send makes one request signed with c (nonce fixed by the caller).
func send(t *testing.T, method, url, body string, c x.Credentials, nonce string) (int, string) {
	t.Helper()
	auth, err := c.Authorization(method, url, nil, nonce, time.Unix(1796112000, 0))
	if err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest(method, url, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", auth)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, strings.TrimSpace(string(b))
}

func TestSignatureChecked(t *testing.T) {
	s := New(cred)
	defer s.Close()
	const unauthorized = `{"detail":"Unauthorized","status":401,"title":"Unauthorized","type":"about:blank"}`
	for name, c := range map[string]x.Credentials{
		"consumer secret": {ConsumerKey: "ck", ConsumerSecret: "no", AccessToken: "at", AccessTokenSecret: "ats"},
		"token secret":    {ConsumerKey: "ck", ConsumerSecret: "cs", AccessToken: "at", AccessTokenSecret: "no"},
		"consumer key":    {ConsumerKey: "no", ConsumerSecret: "cs", AccessToken: "at", AccessTokenSecret: "ats"},
		"token":           {ConsumerKey: "ck", ConsumerSecret: "cs", AccessToken: "no", AccessTokenSecret: "ats"},
	} {
		if st, b := send(t, "POST", s.URL()+"/2/tweets", `{"text":"hi"}`, c, "n-"+name); st != 401 || b != unauthorized {
			t.Errorf("wrong %s: %d %s", name, st, b)
		}
	}
	// A query the signature did not cover.
	auth, _ := cred.Authorization("POST", s.URL()+"/2/tweets", nil, "n-query", time.Now())
	req, _ := http.NewRequest("POST", s.URL()+"/2/tweets?x=1", strings.NewReader(`{"text":"hi"}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", auth)
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != 401 {
		t.Errorf("unsigned query: %v %v", resp.StatusCode, err)
	}
	// A form body is signed: the signature must cover it.
	form := url.Values{"status": {"Hello Ladies + Gentlemen"}}
	for _, signed := range []url.Values{form, nil} {
		auth, _ := cred.Authorization("POST", s.URL()+"/2/tweets", signed, "n-form-"+strconv.Itoa(len(signed)), time.Now())
		req, _ := http.NewRequest("POST", s.URL()+"/2/tweets", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Authorization", auth)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if want := map[bool]int{true: 400, false: 401}[signed != nil]; resp.StatusCode != want {
			t.Errorf("form body signed %v: %d, want %d", signed != nil, resp.StatusCode, want)
		}
	}
	if st, _ := send(t, "POST", s.URL()+"/2/tweets", `{"text":"hi"}`, cred, "n-good"); st != 201 {
		t.Fatalf("good signature: %d", st)
	}
	if st, _ := send(t, "POST", s.URL()+"/2/tweets", `{"text":"hi again"}`, cred, "n-good"); st != 401 {
		t.Errorf("replayed nonce: %d, want 401", st)
	}
	if s.Count() != 1 || s.Requests() != 9 {
		t.Errorf("count %d, requests %d", s.Count(), s.Requests())
	}
}

func TestDuplicateAndReplies(t *testing.T) {
	s := New(cred)
	defer s.Close()
	c := x.NewClient(s.URL(), cred)
	ctx := context.Background()
	first, err := c.Post(ctx, x.Post{Text: "1/2 schedule"})
	if err != nil {
		t.Fatal(err)
	}
	second, err := c.Post(ctx, x.Post{Text: "2/2 schedule", InReplyTo: first})
	if err != nil {
		t.Fatal(err)
	}
	if second <= first || len(second) != len(first) {
		t.Errorf("ids %s then %s do not increase", first, second)
	}
	if _, err := c.Post(ctx, x.Post{Text: "1/2 schedule", InReplyTo: second}); !errors.Is(err, x.ErrDuplicate) {
		t.Errorf("duplicate text: %v", err)
	}
	st, b := send(t, "POST", s.URL()+"/2/tweets", `{"text":"orphan","reply":{"in_reply_to_tweet_id":"999"}}`, cred, "n1")
	if st != 400 || !strings.Contains(b, "Invalid Request") {
		t.Errorf("reply to unknown id: %d %s", st, b)
	}
	st, b = send(t, "POST", s.URL()+"/2/tweets", `{"text":"NEW"}`, cred, "n2")
	if st != 201 || !strings.HasPrefix(b, `{"data":{"id":"`) || !strings.Contains(b, `"text":"NEW"`) {
		t.Errorf("201 body: %d %s", st, b)
	}
	posts := s.Posts()
	if len(posts) != 3 || posts[1].InReplyTo != first || posts[2].InReplyTo != "" || posts[0].Time.IsZero() {
		t.Errorf("posts = %+v", posts)
	}
	for _, bad := range []string{`{"text":""}`, `{}`, `{"text":`, `{"text":"` + strings.Repeat("日", 141) + `"}`} {
		if st, _ := send(t, "POST", s.URL()+"/2/tweets", bad, cred, "n-"+bad); st != 400 {
			t.Errorf("body %.30s: %d, want 400", bad, st)
		}
	}
	if st, _ := send(t, "POST", s.URL()+"/2/other", `{"text":"x"}`, cred, "n3"); st != 404 {
		t.Errorf("other path: %d", st)
	}
	if st, _ := send(t, "GET", s.URL()+"/2/tweets", ``, cred, "n4"); st != 405 {
		t.Errorf("GET: %d", st)
	}
}

func TestOnAcceptRunsBeforeTheAnswer(t *testing.T) {
	s := New(cred)
	defer s.Close()
	accepted, release := make(chan Post), make(chan struct{})
	s.OnAccept = func(p Post) {
		accepted <- p
		<-release
	}
	done := make(chan string)
	go func() {
		id, _ := x.NewClient(s.URL(), cred).Post(context.Background(), x.Post{Text: "hook"})
		done <- id
	}()
	p := <-accepted
	select {
	case id := <-done:
		t.Fatalf("client got %q before the hook returned", id)
	default:
	}
	if s.Count() != 1 {
		t.Errorf("post not stored when the hook ran")
	}
	close(release)
	if id := <-done; id != p.ID {
		t.Errorf("client got %q, hook saw %q", id, p.ID)
	}
}

func TestRateLimitWindowAndFailures(t *testing.T) {
	s := New(cred)
	defer s.Close()
	now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	s.Now = func() time.Time { return now }
	s.RateLimitAfter(2)
	c := x.NewClient(s.URL(), cred)
	ctx := context.Background()
	for i, want := range []bool{true, true, false} {
		_, err := c.Post(ctx, x.Post{Text: "post " + string(rune('a'+i))})
		if (err == nil) != want {
			t.Fatalf("post %d: %v", i, err)
		}
	}
	now = now.Add(15 * time.Minute)
	if _, err := c.Post(ctx, x.Post{Text: "after reset"}); err != nil {
		t.Fatalf("after the reset: %v", err)
	}

	s.RateLimitAfter(-1)
	s.FailNext(Failure{Status: 401, Body: `{"title":"Unauthorized","status":401}`}, Failure{Status: 418, Body: "teapot", Header: http.Header{"X-Test": {"1"}}})
	st, b := send(t, "POST", s.URL()+"/2/tweets", `{"text":"q"}`, cred, "f1")
	if st != 401 || !strings.Contains(b, "Unauthorized") {
		t.Errorf("first failure: %d %s", st, b)
	}
	if st, b := send(t, "POST", s.URL()+"/2/tweets", `{"text":"q"}`, cred, "f2"); st != 418 || b != "teapot" {
		t.Errorf("second failure: %d %s", st, b)
	}
	if st, _ := send(t, "POST", s.URL()+"/2/tweets", `{"text":"q"}`, cred, "f3"); st != 201 {
		t.Errorf("after failures: %d", st)
	}
}

func TestParseAuthorization(t *testing.T) {
	p, err := ParseAuthorization(`OAuth oauth_consumer_key="a%20b", oauth_nonce="n",oauth_signature="x%2By%3D"`)
	if err != nil || p["oauth_consumer_key"] != "a b" || p["oauth_nonce"] != "n" || p["oauth_signature"] != "x+y=" {
		t.Errorf("ParseAuthorization = %v, %v", p, err)
	}
	for _, bad := range []string{``, `Bearer x`, `OAuth a=b`, `OAuth a="b`, `OAuth a="1" a="2"`, `OAuth a="1" b="2"`, `OAuth ="1"`, `OAuth a="%zz"`} {
		if _, err := ParseAuthorization(bad); err == nil {
			t.Errorf("ParseAuthorization(%q) accepted", bad)
		}
	}
}

// FuzzParseAuthorization checks that the parser never panics and that what
// it reads back from a header it could have been sent is what was sent.
func FuzzParseAuthorization(f *testing.F) {
	f.Add(`OAuth oauth_consumer_key="ck", oauth_signature="a%2Bb%3D"`, "k", "v")
	f.Add(`OAuth ,,`, "oauth_nonce", "☃ \"")
	f.Fuzz(func(t *testing.T, h, k, v string) {
		_, _ = ParseAuthorization(h)
		if k == "" || k == "z" {
			return
		}
		p, err := ParseAuthorization(`OAuth ` + x.PercentEncode(k) + `="` + x.PercentEncode(v) + `", z="1"`)
		if err != nil || p[k] != v {
			t.Fatalf("round trip of %q=%q: %v, %v", k, v, p, err)
		}
	})
}
