package cli

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"

	fakex "github.com/reinvent-cli/reinvent/internal/fake/x"
	"github.com/reinvent-cli/reinvent/pkg/iostreams"
	"github.com/reinvent-cli/reinvent/pkg/setup"
	"github.com/reinvent-cli/reinvent/pkg/webhook"
	"github.com/reinvent-cli/reinvent/pkg/x"
)

// TestSubscribeChoosesTheWebhook: subscribe refuses a --webhook that is
// no id before it asks X, and an app with two webhooks and none chosen
// is a usage error that says how to choose; naming one subscribes it.
func TestSubscribeChoosesTheWebhook(t *testing.T) {
	fx := fakex.New(testCred)
	defer fx.Close()
	fx.SetBot("reinventbot")
	fx.SetWebhookLimit(2)
	crc := httptest.NewServer(webhook.Mux("/webhook", &webhook.Handler{ConsumerSecret: testCred.ConsumerSecret, BotHandle: "reinventbot",
		Queue: func(context.Context, []webhook.Mention) error { return nil }}))
	defer crc.Close()
	c := x.NewClient(fx.URL(), testCred)
	var ids []string
	for _, public := range []string{"https://bot.example.com/webhook", "https://bot.example.com/other"} {
		fx.Route(public, crc.URL+"/webhook")
		h, err := c.AddWebhook(context.Background(), public)
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, h.ID)
	}
	run := func(webhookID string) (string, error) {
		ios, _, _, errOut := iostreams.Test()
		asked := false
		opts := &XOptions{Deps: setup.Deps{IO: ios, XClient: func(string, bool) (*x.Client, error) { asked = true; return c, nil }},
			API: x.ActivityAPI, WebhookID: webhookID, Path: "reinvent x subscribe"}
		err := xMentionsRun(true)(context.Background(), opts)
		if webhookID == "abc" && asked {
			t.Error("a bad --webhook reached X")
		}
		return errOut.String(), err
	}
	if _, err := run("abc"); ExitCode(err) != ExitUsage || !strings.Contains(err.Error(), `--webhook "abc" is not a webhook id`) {
		t.Errorf("--webhook abc: exit %d, %v", ExitCode(err), err)
	}
	if _, err := run(""); ExitCode(err) != ExitUsage || !strings.Contains(err.Error(), "the app has 2 webhooks; choose one with --webhook ID") {
		t.Errorf("two webhooks, none chosen: exit %d, %v", ExitCode(err), err)
	}
	if said, err := run(ids[1]); err != nil || !strings.Contains(said, "Webhook "+ids[1]+" now delivers @reinventbot's mentions") {
		t.Errorf("--webhook %s: %v, %q", ids[1], err, said)
	}
}
