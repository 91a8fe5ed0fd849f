package x_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"

	fakex "github.com/reinvent-cli/reinvent/internal/fake/x"
	"github.com/reinvent-cli/reinvent/pkg/x"
)

// addWebhook registers a webhook at public with the fake X, answered by
// a server that passes X's CRC check.
func addWebhook(t *testing.T, fx *fakex.Server, c *x.Client, public string) string {
	t.Helper()
	crc := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mac := hmac.New(sha256.New, []byte(cred.ConsumerSecret))
		mac.Write([]byte(r.URL.Query().Get("crc_token")))
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"response_token":"sha256=` + base64.StdEncoding.EncodeToString(mac.Sum(nil)) + `"}`))
	}))
	t.Cleanup(crc.Close)
	fx.Route(public, crc.URL)
	h, err := c.AddWebhook(context.Background(), public)
	if err != nil {
		t.Fatal(err)
	}
	return h.ID
}

// TestSubscribeMentionsFindsTheWebhook: with no webhook named, the app's
// only one is used; none and two are errors that say so.
func TestSubscribeMentionsFindsTheWebhook(t *testing.T) {
	ctx := context.Background()
	fx := fakex.New(cred)
	defer fx.Close()
	fx.SetBot("reinventbot")
	fx.SetWebhookLimit(2)
	c := x.NewClient(fx.URL(), cred)

	if m, err := c.SubscribeMentions(ctx, x.ActivityAPI, ""); !errors.Is(err, x.ErrNoWebhook) || m.WebhookID != "" {
		t.Fatalf("with no webhook: %+v, %v; want ErrNoWebhook", m, err)
	}
	id := addWebhook(t, fx, c, "https://bot.example.com/webhook")
	for _, existed := range []bool{false, true} {
		m, err := c.SubscribeMentions(ctx, x.ActivityAPI, "")
		if err != nil || m.WebhookID != id || m.User.Username != "reinventbot" || m.Existed != existed {
			t.Fatalf("subscribe: %+v, %v; want webhook %s, @reinventbot, existed %v", m, err, id, existed)
		}
	}
	if ok, err := c.Subscribed(ctx, x.ActivityAPI, id, fakex.UserID); err != nil || !ok {
		t.Fatalf("X has no subscription after SubscribeMentions: %v, %v", ok, err)
	}
	addWebhook(t, fx, c, "https://bot.example.com/other")
	var many *x.WebhookChoiceError
	if _, err := c.UnsubscribeMentions(ctx, x.ActivityAPI, ""); !errors.As(err, &many) || many.N != 2 {
		t.Fatalf("with two webhooks: %v; want a WebhookChoiceError of 2", err)
	}
	m, err := c.UnsubscribeMentions(ctx, x.ActivityAPI, id)
	if err != nil || !m.Existed || m.WebhookID != id {
		t.Fatalf("unsubscribe from %s: %+v, %v", id, m, err)
	}
	if ok, err := c.Subscribed(ctx, x.ActivityAPI, id, fakex.UserID); err != nil || ok {
		t.Fatalf("still subscribed after UnsubscribeMentions: %v, %v", ok, err)
	}
}
