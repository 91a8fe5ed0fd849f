package main

import (
	"bytes"
	"context"
	"io"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/reinvent-cli/reinvent/pkg/webhook"
)

const secret = "test-consumer-secret"

// target is a webhook handler on loopback that records the mentions it
// is given.
type target struct {
	*httptest.Server
	mu       sync.Mutex
	mentions []webhook.Mention
}

func newTarget(t *testing.T) *target {
	tg := &target{}
	h := &webhook.Handler{ConsumerSecret: secret, BotHandle: "reinventbot",
		Queue: func(_ context.Context, ms []webhook.Mention) error {
			tg.mu.Lock()
			defer tg.mu.Unlock()
			tg.mentions = append(tg.mentions, ms...)
			return nil
		}}
	tg.Server = httptest.NewServer(webhook.Mux("/webhook", h))
	t.Cleanup(tg.Close)
	return tg
}

func load(t *testing.T, args ...string) (*config, *result) {
	t.Helper()
	cfg, err := parseFlags(args, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	res, err := run(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return cfg, res
}

func TestUniqueDeliveriesAreSignedMentions(t *testing.T) {
	tg := newTarget(t)
	cfg, res := load(t, "-url", tg.URL+"/webhook", "-secret", secret, "-n", "203", "-c", "4", "-unique", "-users", "10")
	if len(res.latencies) != 203 || res.status[200] != 203 || res.errors != 0 {
		t.Fatalf("answered %d, statuses %v, errors %d (%v); want 203 × 200", len(res.latencies), res.status, res.errors, res.lastErr)
	}
	ids, users := map[string]bool{}, map[string]bool{}
	for _, m := range tg.mentions {
		ids[m.ID] = true
		users[m.UserID] = true
		if !strings.HasPrefix(m.User, "load") || !strings.Contains(m.Text, "@reinventbot can you fit them all in?") || len(m.ID) != idWidth {
			t.Errorf("mention %+v", m)
		}
	}
	if len(tg.mentions) != 203 || len(ids) != 203 || len(users) != 10 {
		t.Errorf("%d mentions, %d ids, %d users; want 203, 203, 10", len(tg.mentions), len(ids), len(users))
	}
	var out bytes.Buffer
	res.print(&out, cfg)
	for _, want := range []string{"requests  203 answered", "p99 ", "non-200   0", "errors    0"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("summary lacks %q:\n%s", want, out.String())
		}
	}
}

func TestRedeliveriesAndCRC(t *testing.T) {
	tg := newTarget(t)
	_, res := load(t, "-url", tg.URL+"/webhook", "-secret", secret, "-n", "50", "-c", "3")
	ids := map[string]bool{}
	for _, m := range tg.mentions {
		ids[m.ID] = true
	}
	if res.status[200] != 50 || len(tg.mentions) != 50 || len(ids) != 3 {
		t.Errorf("statuses %v, %d mentions with %d ids; want 50 of one id per connection", res.status, len(tg.mentions), len(ids))
	}

	_, res = load(t, "-url", tg.URL+"/webhook", "-mode", "crc", "-n", "40", "-c", "2", "-secret", secret, "-rate", "4000")
	if res.status[200] != 40 {
		t.Errorf("CRC statuses %v (%v)", res.status, res.lastErr)
	}

	// A wrong secret is refused by the handler, and counted.
	_, res = load(t, "-url", tg.URL+"/webhook", "-secret", "wrong", "-n", "5", "-c", "1", "-unique")
	if res.status[401] != 5 || res.non200() != 5 {
		t.Errorf("with a wrong secret: statuses %v", res.status)
	}
}

func TestCRCRequestCarriesToken(t *testing.T) {
	u, _ := url.Parse("http://127.0.0.1:1/hook?x=1")
	r, err := newRequest("crc", u, secret, "bot")
	if err != nil {
		t.Fatal(err)
	}
	r.set(42, 7)
	head := string(r.buf)
	if !strings.HasPrefix(head, "GET /hook?crc_token=1000000000000000042&x=1 HTTP/1.1\r\nHost: 127.0.0.1:1\r\n") {
		t.Errorf("request %q", head)
	}
}

func TestFlagErrors(t *testing.T) {
	t.Setenv("REINVENT_X_CONSUMER_SECRET", "")
	for _, args := range [][]string{
		{"-url", "https://example.com/webhook", "-secret", "s"},
		{"-secret", ""},
		{"-secret", "s", "-c", "0"},
		{"-secret", "s", "-mode", "put"},
		{"-secret", "s", "-n", "0", "-duration", "0"},
		{"-secret", "s", "extra"},
	} {
		if _, err := parseFlags(args, io.Discard); err == nil {
			t.Errorf("parseFlags(%q) accepted", args)
		}
	}
}
