package webhook

import (
	"slices"
	"strings"
	"testing"

	"github.com/reinvent-cli/reinvent/pkg/x"
)

// TestOptionsMissing: a server needs the bot's handle and the four X
// credentials; a dry run that only listens needs the consumer secret
// alone, while one that polls reads X and needs all four.
func TestOptionsMissing(t *testing.T) {
	all := x.Credentials{ConsumerKey: "k", ConsumerSecret: "s", AccessToken: "t", AccessTokenSecret: "ts"}
	four := []string{"x-consumer-key", "x-consumer-secret", "x-access-token", "x-access-token-secret"}
	for _, tt := range []struct {
		name string
		o    Options
		cred x.Credentials
		want []string
	}{
		{"everything", Options{BotHandle: "bot"}, all, nil},
		{"nothing", Options{}, x.Credentials{}, append([]string{"bot-handle"}, four...)},
		{"dry run", Options{DryRun: true}, x.Credentials{}, []string{"bot-handle", "x-consumer-secret"}},
		{"dry run with the secret", Options{BotHandle: "bot", DryRun: true}, x.Credentials{ConsumerSecret: "s"}, nil},
		{"dry run polling", Options{BotHandle: "bot", DryRun: true, Poll: 15e9}, x.Credentials{ConsumerSecret: "s"}, []string{"x-consumer-key", "x-access-token", "x-access-token-secret"}},
	} {
		got := tt.o.Missing(tt.cred)
		if !slices.Equal(got, tt.want) {
			t.Errorf("%s: missing %q, want %q", tt.name, got, tt.want)
		}
	}
}

// TestOptionsCheck: options that cannot serve are refused in the words of
// serve-webhook's flags; the defaults, and polling alone, are fine.
func TestOptionsCheck(t *testing.T) {
	ok := Options{Addr: "127.0.0.1:8080", Path: "/webhook", Workers: 2, UserLimit: 5}
	for _, tt := range []struct {
		name string
		edit func(*Options)
		want string
	}{
		{"defaults", func(*Options) {}, ""},
		{"polling alone", func(o *Options) { o.Addr, o.Poll = "", 15e9 }, ""},
		{"no workers", func(o *Options) { o.Workers = 0 }, "--workers must be at least 1"},
		{"negative limit", func(o *Options) { o.UserLimit = -1 }, "--user-limit must not be negative"},
		{"relative path", func(o *Options) { o.Path = "webhook" }, `--path "webhook" must start with /`},
		{"health path", func(o *Options) { o.Path = HealthPath }, "--path must not be /healthz, which answers health checks"},
		{"negative poll", func(o *Options) { o.Poll = -1 }, "--poll must not be negative; 0 turns polling off"},
		{"fast poll", func(o *Options) { o.Poll = 5e8 }, "--poll 500ms is shorter than a second"},
		{"nothing to answer", func(o *Options) { o.Addr = "" }, "--addr '' serves no webhook"},
		{"handle with @", func(o *Options) { o.BotHandle = "@bot" }, `bot-handle "@bot": give the handle without the @`},
	} {
		o := ok
		tt.edit(&o)
		err := o.Check()
		if (tt.want == "") != (err == nil) || err != nil && !strings.HasPrefix(err.Error(), tt.want) {
			t.Errorf("%s: %v, want %q", tt.name, err, tt.want)
		}
	}
}
