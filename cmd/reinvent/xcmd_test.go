package main

import (
	"bytes"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	fakex "github.com/reinvent-cli/reinvent/internal/fake/x"
)

// xRun runs reinvent x ARGS against the fake X at url.
func xRun(t *testing.T, url string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	cmd := command(t, append([]string{"x"}, args...)...)
	cmd.Env = append(cmd.Env, "REINVENT_X_API_URL="+url, "REINVENT_BOT_HANDLE=reinventbot",
		"REINVENT_X_CONSUMER_KEY="+xCred.ConsumerKey, "REINVENT_X_CONSUMER_SECRET="+xCred.ConsumerSecret,
		"REINVENT_X_ACCESS_TOKEN="+xCred.AccessToken, "REINVENT_X_ACCESS_TOKEN_SECRET="+xCred.AccessTokenSecret)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	_ = cmd.Run()
	return out.String(), errOut.String(), cmd.ProcessState.ExitCode()
}

// oneLine checks that a failed command said one line that holds want.
func oneLine(t *testing.T, what, stderr string, code, wantCode int, want string) {
	t.Helper()
	if code != wantCode || strings.Count(strings.TrimSpace(stderr), "\n") != 0 || !strings.Contains(stderr, want) {
		t.Errorf("%s: exit %d (want %d), stderr %q; want one line with %q", what, code, wantCode, stderr, want)
	}
}

// TestXWebhooksAndSubscriptions registers the bot's webhook with the
// fake X from the binary, subscribes through both APIs, sees X's
// deliveries answered once, and takes it all down again.
func TestXWebhooksAndSubscriptions(t *testing.T) {
	db := t.TempDir() + "/reinvent.db"
	fx, accepted := pollingX(t)
	bot := startBot(t, db, fx.URL())
	const public = "https://bot.example.com/webhook"
	fx.Route(public, "http://"+bot.addr+"/webhook")
	u := fx.URL()

	if out, errOut, code := xRun(t, u, "webhooks", "list"); code != 0 || out != "" || !strings.Contains(errOut, "The app has no webhook") {
		t.Errorf("list with none: %d %q %q", code, out, errOut)
	}
	_, errOut, code := xRun(t, u, "webhooks", "add", "https://bot.example.com:8443/webhook")
	oneLine(t, "a URL with a port", errOut, code, 2, "X allows no port in a webhook URL")
	_, errOut, code = xRun(t, u, "webhooks", "add", "http://bot.example.com/webhook")
	oneLine(t, "an http URL", errOut, code, 2, "X delivers only to https:// URLs")
	if n := len(fx.Webhooks()); n != 0 {
		t.Fatalf("%d webhooks after refused URLs", n)
	}

	out, errOut, code := xRun(t, u, "webhooks", "add", public)
	id := strings.TrimSpace(out)
	if code != 0 || len(fx.Webhooks()) != 1 || fx.Webhooks()[0].ID != id || !strings.Contains(errOut, "X's CRC check passed") {
		t.Fatalf("add: exit %d, stdout %q, stderr %q, webhooks %+v", code, out, errOut, fx.Webhooks())
	}
	_, errOut, code = xRun(t, u, "webhooks", "add", public)
	oneLine(t, "the same URL again", errOut, code, 1, "DuplicateUrlFailed")
	_, errOut, code = xRun(t, u, "webhooks", "add", "https://unrouted.example.com/webhook")
	oneLine(t, "a second webhook", errOut, code, 1, "WebhookLimitExceeded")

	out, _, code = xRun(t, u, "webhooks", "list")
	if code != 0 || !strings.Contains(out, id) || !strings.Contains(out, public) || !strings.Contains(out, "yes") {
		t.Errorf("list: %d %q", code, out)
	}

	_, errOut, code = xRun(t, u, "subscribe")
	if code != 0 || !strings.Contains(errOut, "now delivers @reinventbot's mentions through the X Activity API") {
		t.Errorf("subscribe: %d %q", code, errOut)
	}
	if _, errOut, code = xRun(t, u, "subscribe"); code != 0 || !strings.Contains(errOut, "already delivered") {
		t.Errorf("subscribe again: %d %q", code, errOut)
	}

	// X delivers a mention: the bot answers it.
	fx.Deliver(true)
	m1 := fx.AddMention(fakex.Mention{AuthorID: "801", Username: "hana", Text: "@reinventbot SVS401 ARC302"})
	if p := waitPost(t, accepted); p.InReplyTo != m1 || !strings.HasPrefix(p.Text, "@hana 2 of 2 sessions scheduled:") {
		t.Fatalf("reply %+v", p)
	}

	// Subscribed through both APIs, X delivers each mention twice; it is
	// answered once.
	_, errOut, code = xRun(t, u, "subscribe", "--api", "account-activity")
	if code != 0 || !strings.Contains(errOut, "through the Account Activity API") || !strings.Contains(errOut, "2027-01-01") {
		t.Errorf("subscribe --api account-activity: %d %q", code, errOut)
	}
	m2 := fx.AddMention(fakex.Mention{AuthorID: "802", Username: "ivan", Text: "@reinventbot DAT301"})
	if p := waitPost(t, accepted); p.InReplyTo != m2 {
		t.Fatalf("reply %+v", p)
	}
	kinds := map[string]int{}
	for _, d := range fx.Deliveries() {
		if d.Status == 200 {
			kinds[d.Kind]++
		}
	}
	if kinds["aaa"] != 1 || kinds["xaa"] != 2 {
		t.Errorf("deliveries answered 200 by kind: %v; want 1 aaa, 2 xaa", kinds)
	}

	if _, errOut, code = xRun(t, u, "webhooks", "check", id); code != 0 || !strings.Contains(errOut, "passed X's CRC check") {
		t.Errorf("check: %d %q", code, errOut)
	}
	_, errOut, code = xRun(t, u, "webhooks", "check", "999")
	oneLine(t, "check of an unknown id", errOut, code, 1, "X knows no webhook 999 of this app")
	_, errOut, code = xRun(t, u, "webhooks", "remove", "not-an-id")
	oneLine(t, "remove of a malformed id", errOut, code, 2, "is not a webhook id")

	for _, api := range []string{"activity", "account-activity"} {
		if _, errOut, code = xRun(t, u, "unsubscribe", "--api", api); code != 0 || !strings.Contains(errOut, "no longer gets") {
			t.Errorf("unsubscribe --api %s: %d %q", api, code, errOut)
		}
		if _, errOut, code = xRun(t, u, "unsubscribe", "--api", api); code != 0 || !strings.Contains(errOut, "nothing to do") {
			t.Errorf("unsubscribe --api %s again: %d %q", api, code, errOut)
		}
	}

	// With the server down, X's CRC check fails.
	stopBot(t, bot)
	_, errOut, code = xRun(t, u, "webhooks", "check", id)
	oneLine(t, "check with the server down", errOut, code, 1, "failed X's CRC check")
	if _, errOut, code = xRun(t, u, "webhooks", "remove", id); code != 0 || len(fx.Webhooks()) != 0 {
		t.Errorf("remove: %d %q, webhooks %+v", code, errOut, fx.Webhooks())
	}
	_, errOut, code = xRun(t, u, "webhooks", "remove", id)
	oneLine(t, "remove again", errOut, code, 1, "WebhookIdInvalid")
	_, errOut, code = xRun(t, u, "subscribe")
	oneLine(t, "subscribe with no webhook", errOut, code, 1, "reinvent x webhooks add URL")
	if fx.Count() != 2 {
		t.Errorf("%d posts, want 2", fx.Count())
	}
}

// TestXCommandsNeedCredentials: the webhook commands need the app's key
// and secret, subscribe all four; each missing one is named.
func TestXCommandsNeedCredentials(t *testing.T) {
	_, errOut, code := run(t, "x", "webhooks", "list")
	oneLine(t, "list without credentials", errOut, code, 2, "x-consumer-key, x-consumer-secret")
	_, errOut, code = run(t, "x", "subscribe")
	oneLine(t, "subscribe without credentials", errOut, code, 2, "x-consumer-key, x-consumer-secret, x-access-token, x-access-token-secret")
	_, errOut, code = run(t, "x", "webhooks", "check")
	oneLine(t, "check without an id", errOut, code, 2, "takes 1 argument")
}

// TestXWebhookWithOAuth2ClientSecret: an app with OAuth 2.0 keys has X
// run the CRC with its client secret. Without x-client-secret the server
// fails the check and add says what to set; with it, the webhook is added
// and X's deliveries, signed both ways, are answered.
func TestXWebhookWithOAuth2ClientSecret(t *testing.T) {
	fx, accepted := pollingX(t)
	fx.SetClientSecret("oauth2-client-secret")
	const public = "https://bot.example.com/webhook"
	u := fx.URL()

	bot := startBot(t, t.TempDir()+"/reinvent.db", u)
	fx.Route(public, "http://"+bot.addr+"/webhook")
	_, errOut, code := xRun(t, u, "webhooks", "add", public)
	oneLine(t, "add with the consumer secret only", errOut, code, 1, "x-client-secret")
	stopBot(t, bot)

	bot = startBotEnv(t, t.TempDir()+"/reinvent.db", u, []string{"REINVENT_X_CLIENT_SECRET=oauth2-client-secret"})
	fx.Route(public, "http://"+bot.addr+"/webhook")
	if _, errOut, code := xRun(t, u, "webhooks", "add", public); code != 0 {
		t.Fatalf("add with x-client-secret: %d %s", code, errOut)
	}
	if _, errOut, code := xRun(t, u, "subscribe"); code != 0 {
		t.Fatalf("subscribe: %d %s", code, errOut)
	}
	fx.Deliver(true)
	id := fx.AddMention(fakex.Mention{AuthorID: "811", Username: "lee", Text: "@reinventbot SVS401"})
	if p := waitPost(t, accepted); p.InReplyTo != id {
		t.Fatalf("reply %+v", p)
	}
	if strings.Contains(bot.stderr.String(), "oauth2-client-secret") {
		t.Error("the log holds the client secret")
	}
}

// TestXHostileAnswerReachesNoTerminal: an X that answers with escape
// sequences and bidi overrides in its error text gets its words quoted on
// one line, without them.
func TestXHostileAnswerReachesNoTerminal(t *testing.T) {
	hostile := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusBadRequest)
		fmt.Fprint(w, `{"title":"Bad \u001b]0;pwned\u0007Request","detail":"see \u001b[2J\u202eevil\u009b31m here\nnext line","type":"about:blank"}`)
	}))
	defer hostile.Close()
	_, errOut, code := xRun(t, hostile.URL, "webhooks", "list")
	if code == 0 || strings.ContainsAny(errOut, "\x1b\x07\u202e\u009b") || strings.Count(strings.TrimSpace(errOut), "\n") != 0 {
		t.Errorf("exit %d, stderr %q; want one line with no control characters", code, errOut)
	}
	if !strings.Contains(errOut, "evil") {
		t.Errorf("stderr %q does not quote X's words", errOut)
	}
}
