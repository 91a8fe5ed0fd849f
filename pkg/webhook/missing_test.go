package webhook

import (
	"slices"
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
