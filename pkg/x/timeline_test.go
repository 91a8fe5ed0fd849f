package x_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	fakex "github.com/reinvent-cli/reinvent/internal/fake/x"
	"github.com/reinvent-cli/reinvent/pkg/x"
)

func TestMeAndMentionsPages(t *testing.T) {
	fx := fakex.New(cred)
	defer fx.Close()
	fx.SetBot("reinventbot")
	var ids []string
	for i := range 150 {
		ids = append(ids, fx.AddMention(fakex.Mention{AuthorID: "7", Username: "ann", Text: fmt.Sprintf("@reinventbot SVS%03d", i)}))
	}
	c := x.NewClient(fx.URL(), cred)
	me, err := c.Me(context.Background())
	if err != nil || me.ID != fakex.UserID || me.Username != "reinventbot" {
		t.Fatalf("Me = %+v, %v", me, err)
	}
	p1, err := c.Mentions(context.Background(), me.ID, x.MentionsQuery{SinceID: ids[9]})
	if err != nil {
		t.Fatal(err)
	}
	if p1.ResultCount != 100 || p1.NewestID != ids[149] || p1.OldestID != ids[50] || p1.NextToken == "" {
		t.Errorf("page 1: count %d newest %s oldest %s next %q", p1.ResultCount, p1.NewestID, p1.OldestID, p1.NextToken)
	}
	if !p1.Rate.Known || p1.Rate.Limit != 300 || p1.Rate.Remaining != 299 {
		t.Errorf("rate %+v; want 300, 299 left", p1.Rate)
	}
	if pace := p1.Rate.Pace(time.Now()); pace < 2*time.Second || pace > 4*time.Second {
		t.Errorf("pace %s; want about 15 min / 299 ≈ 3 s", pace)
	}
	p2, err := c.Mentions(context.Background(), me.ID, x.MentionsQuery{SinceID: ids[9], PaginationToken: p1.NextToken})
	if err != nil || p2.ResultCount != 40 || p2.OldestID != ids[10] || p2.NextToken != "" {
		t.Fatalf("page 2: %+v, %v; want the 40 left down to since_id, no next token", p2, err)
	}
	for _, want := range []string{`"author_id"`, `"created_at"`, `"entities"`, `"includes"`, `"username":"ann"`} {
		if !strings.Contains(string(p2.Body), want) {
			t.Errorf("page body lacks %s", want)
		}
	}
	q := fx.TimelineQueries()[0]
	if q.Get("max_results") != "100" || q.Get("since_id") != ids[9] || q.Get("expansions") != "author_id" {
		t.Errorf("query %v", q)
	}
}

func TestMentionsFailures(t *testing.T) {
	fx := fakex.New(cred)
	defer fx.Close()
	c := x.NewClient(fx.URL(), cred)
	ctx := context.Background()

	fx.FailTimeline(fakex.Failure{Status: 200, Body: "<html>Over capacity</html>"})
	if _, err := c.Mentions(ctx, fakex.UserID, x.MentionsQuery{}); !errors.Is(err, x.ErrNotJSON) || !errors.Is(err, x.ErrTransient) {
		t.Errorf("an HTML page: %v; want ErrNotJSON, transient", err)
	}
	fx.FailTimeline(fakex.Failure{Status: 503, Body: `{"title":"Service Unavailable"}`})
	if _, err := c.Mentions(ctx, fakex.UserID, x.MentionsQuery{}); !errors.Is(err, x.ErrTransient) {
		t.Errorf("a 503: %v; want transient", err)
	}
	fx.TimelineLimit(0)
	_, err := c.Mentions(ctx, fakex.UserID, x.MentionsQuery{})
	var rl *x.RateLimitError
	if !errors.As(err, &rl) || rl.Reset.Before(time.Now().Add(14*time.Minute)) {
		t.Errorf("a 429: %v; want a RateLimitError until the window's reset", err)
	}
	fx.TimelineLimit(300)
	_, err = c.Mentions(ctx, fakex.UserID, x.MentionsQuery{PaginationToken: "not-a-token"})
	var api *x.APIError
	if !errors.As(err, &api) || api.Status != 400 {
		t.Errorf("an unknown page token: %v; want a 400 APIError", err)
	}
	bad := x.NewClient(fx.URL(), x.Credentials{ConsumerKey: cred.ConsumerKey, ConsumerSecret: cred.ConsumerSecret, AccessToken: cred.AccessToken, AccessTokenSecret: "wrong"})
	if _, err := bad.Mentions(ctx, fakex.UserID, x.MentionsQuery{}); !errors.Is(err, x.ErrAuth) {
		t.Errorf("wrong credentials: %v; want ErrAuth", err)
	}
	if _, err := bad.Me(ctx); !errors.Is(err, x.ErrAuth) || strings.Contains(err.Error(), "wrong") {
		t.Errorf("Me with wrong credentials: %v; want ErrAuth and no secret", err)
	}
}

func TestWebhookRefusals(t *testing.T) {
	fx := fakex.New(cred)
	defer fx.Close()
	fx.SetWebhookLimit(2)
	crc := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"response_token":%q}`, fakex.CRCResponse(cred.ConsumerSecret, r.URL.Query().Get("crc_token")))
	}))
	defer crc.Close()
	fx.Route("https://bot.example.com/webhook", crc.URL+"/webhook")
	c := x.NewClient(fx.URL(), cred)
	ctx := context.Background()

	if _, err := c.AddWebhook(ctx, "https://nobody.example.com/webhook"); !x.IsReason(err, "CrcValidationFailed") {
		t.Errorf("an URL nobody answers at: %v; want CrcValidationFailed", err)
	}
	h, err := c.AddWebhook(ctx, "https://bot.example.com/webhook")
	if err != nil || !h.Valid || !x.ValidID(h.ID) {
		t.Fatalf("add: %+v, %v", h, err)
	}
	if ok, err := c.CheckWebhook(ctx, h.ID); err != nil || !ok {
		t.Errorf("check: %v %v", ok, err)
	}
	if err := c.RemoveWebhook(ctx, "123"); !x.IsReason(err, "WebhookIdInvalid") {
		t.Errorf("remove an unknown id: %v", err)
	}
	wrong := x.NewClient(fx.URL(), x.Credentials{ConsumerKey: cred.ConsumerKey, ConsumerSecret: "wrong"})
	if _, err := wrong.Webhooks(ctx); !errors.Is(err, x.ErrAuth) {
		t.Errorf("a wrong consumer secret: %v; want ErrAuth", err)
	}
	for _, u := range []string{"http://a.example.com/x", "https://a.example.com:8443/x", "https:///x", "https://a.example.com/" + strings.Repeat("x", 200)} {
		if x.CheckWebhookURL(u) == nil {
			t.Errorf("CheckWebhookURL(%q) passed", u)
		}
	}
	if err := x.CheckWebhookURL("https://bot.example.com/webhook"); err != nil {
		t.Error(err)
	}
}
