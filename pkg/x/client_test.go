package x_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	fakex "github.com/reinvent-cli/reinvent/internal/fake/x"
	"github.com/reinvent-cli/reinvent/pkg/retry"
	"github.com/reinvent-cli/reinvent/pkg/x"
)

var cred = x.Credentials{
	ConsumerKey:       "ck-public",
	ConsumerSecret:    "cs-SECRET-do-not-print",
	AccessToken:       "at-public",
	AccessTokenSecret: "ats-SECRET-do-not-print",
}

// sleeps records the waits of a client's retries without waiting.
type sleeps struct {
	mu sync.Mutex
	d  []time.Duration
}

func (s *sleeps) sleep(ctx context.Context, d time.Duration) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.d = append(s.d, d)
	return ctx.Err()
}

func (s *sleeps) all() []time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]time.Duration(nil), s.d...)
}

func newClient(url string) (*x.Client, *sleeps) {
	sl := &sleeps{}
	c := x.NewClient(url, cred)
	c.Retry = retry.Policy{Attempts: 3, BaseDelay: time.Millisecond, MaxDelay: time.Millisecond, Sleep: sl.sleep}
	return c, sl
}

// checkClean fails when err's message leaks a secret, spans lines, or
// carries markup.
func checkClean(t *testing.T, err error) {
	t.Helper()
	msg := err.Error()
	if strings.Contains(msg, "SECRET") || strings.ContainsAny(msg, "\n<>") {
		t.Errorf("error message not clean: %q", msg)
	}
}

func TestPostAndReply(t *testing.T) {
	fx := fakex.New(cred)
	defer fx.Close()
	c, sl := newClient(fx.URL() + "/")
	ctx := context.Background()
	id, err := c.Post(ctx, x.Post{Text: "NEW #reInvent ARC302 – Serverless patterns 🚀"})
	if err != nil {
		t.Fatal(err)
	}
	reply, err := c.Post(ctx, x.Post{Text: "and more", InReplyTo: id})
	if err != nil {
		t.Fatal(err)
	}
	posts := fx.Posts()
	if len(posts) != 2 || posts[0].ID != id || posts[1].ID != reply || posts[1].InReplyTo != id || posts[0].InReplyTo != "" {
		t.Fatalf("posts = %+v; ids %s, %s", posts, id, reply)
	}
	if len(id) != 19 || posts[0].Text != "NEW #reInvent ARC302 – Serverless patterns 🚀" {
		t.Errorf("post = %+v", posts[0])
	}
	if len(sl.all()) != 0 {
		t.Errorf("slept %v on success", sl.all())
	}
}

func TestPostWireFormat(t *testing.T) {
	var got struct {
		method, path, ctype, auth, body string
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		got.method, got.path, got.ctype, got.auth, got.body = r.Method, r.URL.Path, r.Header.Get("Content-Type"), r.Header.Get("Authorization"), string(b)
		w.WriteHeader(http.StatusCreated)
		_, _ = io.WriteString(w, `{"data":{"id":"1850000000000000099","text":"x"}}`)
	}))
	defer srv.Close()
	c, _ := newClient(srv.URL)
	id, err := c.Post(context.Background(), x.Post{Text: `say "hi" <b>`, InReplyTo: "42"})
	if err != nil || id != "1850000000000000099" {
		t.Fatalf("Post = %q, %v", id, err)
	}
	if got.method != "POST" || got.path != "/2/tweets" || got.ctype != "application/json" {
		t.Errorf("request %s %s %s", got.method, got.path, got.ctype)
	}
	if want := `{"text":"say \"hi\" \u003cb\u003e","reply":{"in_reply_to_tweet_id":"42"}}`; got.body != want {
		t.Errorf("body = %s, want %s", got.body, want)
	}
	if !strings.HasPrefix(got.auth, "OAuth ") || strings.Contains(got.auth, "SECRET") || !strings.Contains(got.auth, `oauth_token="at-public"`) {
		t.Errorf("Authorization = %s", got.auth)
	}
}

func TestPostDuplicate(t *testing.T) {
	fx := fakex.New(cred)
	defer fx.Close()
	c, _ := newClient(fx.URL())
	if _, err := c.Post(context.Background(), x.Post{Text: "same"}); err != nil {
		t.Fatal(err)
	}
	_, err := c.Post(context.Background(), x.Post{Text: "same"})
	if !errors.Is(err, x.ErrDuplicate) {
		t.Fatalf("second post: %v, want ErrDuplicate", err)
	}
	checkClean(t, err)
	if fx.Count() != 1 || fx.Requests() != 2 {
		t.Errorf("count %d, requests %d", fx.Count(), fx.Requests())
	}
}

func TestPostRateLimited(t *testing.T) {
	fx := fakex.New(cred)
	defer fx.Close()
	c, sl := newClient(fx.URL())
	fx.FailNext(fakex.Failure{
		Status: 429,
		Body:   `{"title":"Too Many Requests","detail":"Too Many Requests","type":"about:blank","status":429}`,
		Header: http.Header{"X-Rate-Limit-Reset": {"1796112000"}},
	})
	_, err := c.Post(context.Background(), x.Post{Text: "hello"})
	var rl *x.RateLimitError
	if !errors.Is(err, x.ErrRateLimited) || !errors.As(err, &rl) || !rl.Reset.Equal(time.Unix(1796112000, 0)) {
		t.Fatalf("err = %v, want a RateLimitError resetting at 1796112000", err)
	}
	checkClean(t, err)
	if !strings.Contains(err.Error(), "2026-12-01T08:00:00Z") {
		t.Errorf("message %q does not say when", err)
	}
	if fx.Requests() != 1 || len(sl.all()) != 0 {
		t.Errorf("a 429 was retried: %d requests, sleeps %v", fx.Requests(), sl.all())
	}

	// The fake's own limit: one post, then 429 until its reset.
	now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	fx.Now = func() time.Time { return now }
	fx.RateLimitAfter(1)
	if _, err := c.Post(context.Background(), x.Post{Text: "one"}); err != nil {
		t.Fatal(err)
	}
	_, err = c.Post(context.Background(), x.Post{Text: "two"})
	if !errors.As(err, &rl) || !rl.Reset.Equal(now.Add(15*time.Minute)) {
		t.Fatalf("err = %v, want a reset 15 minutes on", err)
	}
}

func TestPostRetriesUnavailable(t *testing.T) {
	fx := fakex.New(cred)
	defer fx.Close()
	c, sl := newClient(fx.URL())
	c.Retry.MaxElapsed = time.Minute
	fx.FailNext(
		fakex.Failure{Status: 503, Body: "<html><body>Service Unavailable</body></html>", Header: http.Header{"Retry-After": {"7"}}},
		fakex.Failure{Status: 500, Body: `{"title":"Internal Server Error","status":500}`},
	)
	id, err := c.Post(context.Background(), x.Post{Text: "after a hiccup"})
	if err != nil || fx.Count() != 1 || fx.Posts()[0].ID != id {
		t.Fatalf("Post = %q, %v; posts %+v", id, err, fx.Posts())
	}
	if s := sl.all(); len(s) != 2 || s[0] != 7*time.Second || s[1] > time.Millisecond {
		t.Errorf("sleeps = %v, want [7s, ≤1ms]", s)
	}

	fx.FailNext(fakex.Failure{Status: 502, Body: "<html>Bad Gateway</html>"}, fakex.Failure{Status: 502}, fakex.Failure{Status: 502})
	_, err = c.Post(context.Background(), x.Post{Text: "never"})
	if !errors.Is(err, x.ErrUnavailable) || !strings.Contains(err.Error(), "3 attempts") {
		t.Fatalf("err = %v, want ErrUnavailable after 3 attempts", err)
	}
	checkClean(t, err)

	// A Retry-After beyond the time left gives up at once.
	fx.FailNext(fakex.Failure{Status: 503, Header: http.Header{"Retry-After": {"3600"}}})
	before := len(sl.all())
	if _, err := c.Post(context.Background(), x.Post{Text: "later"}); !errors.Is(err, x.ErrUnavailable) || len(sl.all()) != before {
		t.Errorf("err = %v after %d sleeps, want ErrUnavailable without sleeping", err, len(sl.all())-before)
	}
}

func TestPostAuth(t *testing.T) {
	fx := fakex.New(cred)
	defer fx.Close()
	c, sl := newClient(fx.URL())
	fx.FailNext(fakex.Failure{Status: 403, Body: `{"title":"Forbidden","type":"about:blank","status":403,"detail":"You are not permitted to perform this action."}`})
	_, err := c.Post(context.Background(), x.Post{Text: "hello"})
	if !errors.Is(err, x.ErrAuth) || errors.Is(err, x.ErrDuplicate) || !strings.Contains(err.Error(), "not permitted") {
		t.Fatalf("403: %v, want ErrAuth with X's detail", err)
	}
	checkClean(t, err)

	wrong := cred
	wrong.AccessTokenSecret = "ats-SECRET-wrong"
	c.Credentials = wrong
	_, err = c.Post(context.Background(), x.Post{Text: "hello"})
	if !errors.Is(err, x.ErrAuth) || !strings.Contains(err.Error(), "401 Unauthorized") {
		t.Fatalf("bad signature: %v, want ErrAuth 401", err)
	}
	checkClean(t, err)
	if fx.Count() != 0 || fx.Requests() != 2 || len(sl.all()) != 0 {
		t.Errorf("count %d, requests %d, sleeps %v", fx.Count(), fx.Requests(), sl.all())
	}
}

func TestPostInvalid(t *testing.T) {
	fx := fakex.New(cred)
	defer fx.Close()
	c, _ := newClient(fx.URL())
	for _, p := range []x.Post{
		{Text: strings.Repeat("é", 281)},
		{Text: ""},
		{Text: "reply to nothing", InReplyTo: "1"},
	} {
		_, err := c.Post(context.Background(), p)
		var ae *x.APIError
		if !errors.As(err, &ae) || ae.Status != 400 || ae.Title != "Invalid Request" || ae.Detail == "" {
			t.Errorf("Post(%.20q) = %v, want a 400 APIError", p.Text, err)
			continue
		}
		checkClean(t, err)
	}
	if fx.Requests() != 3 || fx.Count() != 0 {
		t.Errorf("requests %d, count %d: a 400 was retried or stored", fx.Requests(), fx.Count())
	}
}

func TestPostTimeout(t *testing.T) {
	fx := fakex.New(cred)
	defer fx.Close()
	c, _ := newClient(fx.URL())
	c.Timeout = 20 * time.Millisecond
	fx.FailNext(fakex.Failure{Hang: true})
	if _, err := c.Post(context.Background(), x.Post{Text: "slow"}); err != nil || fx.Count() != 1 || fx.Requests() != 2 {
		t.Fatalf("err %v, count %d, requests %d; want a retried success", err, fx.Count(), fx.Requests())
	}
	fx.FailNext(fakex.Failure{Hang: true}, fakex.Failure{Hang: true}, fakex.Failure{Hang: true})
	_, err := c.Post(context.Background(), x.Post{Text: "stalled"})
	if !errors.Is(err, x.ErrUnavailable) || !strings.Contains(err.Error(), "no answer within") {
		t.Fatalf("err = %v, want ErrUnavailable for timeouts", err)
	}

	// The caller's own cancellation is not an outage and is not retried.
	ctx, cancel := context.WithCancel(context.Background())
	fx.FailNext(fakex.Failure{Hang: true})
	c.Timeout = time.Hour
	c.HTTPClient = &http.Client{Transport: cancelOnSend{cancel}}
	_, err = c.Post(ctx, x.Post{Text: "cancelled"})
	if !errors.Is(err, context.Canceled) || errors.Is(err, x.ErrUnavailable) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
}

// cancelOnSend cancels the caller's context as a request goes out.
type cancelOnSend struct{ cancel context.CancelFunc }

func (c cancelOnSend) RoundTrip(r *http.Request) (*http.Response, error) {
	c.cancel()
	return http.DefaultTransport.RoundTrip(r)
}

func TestPostConnectionReset(t *testing.T) {
	var mu sync.Mutex
	n := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		n++
		mu.Unlock()
		conn, _, err := http.NewResponseController(w).Hijack()
		if err == nil {
			_ = conn.Close()
		}
	}))
	defer srv.Close()
	c, sl := newClient(srv.URL)
	_, err := c.Post(context.Background(), x.Post{Text: "into the void"})
	if !errors.Is(err, x.ErrUnavailable) {
		t.Fatalf("err = %v, want ErrUnavailable", err)
	}
	checkClean(t, err)
	mu.Lock()
	defer mu.Unlock()
	if n != 3 || len(sl.all()) != 2 {
		t.Errorf("%d requests, sleeps %v; want 3 and 2", n, sl.all())
	}
}

func TestPostNoID(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusCreated)
		_, _ = io.WriteString(w, `{"data":{}}`)
	}))
	defer srv.Close()
	c, sl := newClient(srv.URL)
	if _, err := c.Post(context.Background(), x.Post{Text: "t"}); err == nil || len(sl.all()) != 0 {
		t.Errorf("201 without id: err %v, sleeps %v; want an error and no retry", err, sl.all())
	}
}
