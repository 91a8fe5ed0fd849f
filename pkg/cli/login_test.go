package cli

import (
	"context"
	"testing"

	"github.com/reinvent-cli/reinvent/internal/testenv"
	"github.com/reinvent-cli/reinvent/pkg/iostreams"
)

// TestLogoutReadsItsSettings: logout hands its run function the
// configured OAuth server and a logger, not the Factory.
func TestLogoutReadsItsSettings(t *testing.T) {
	testenv.Isolate(t)
	ios, _, _, _ := iostreams.Test()
	f := newFactory(ios, "test")
	var got *LogoutOptions
	cmd := testenv.ReplaceCommand(NewRootCmd(f), NewCmdLogout(f, func(_ context.Context, o *LogoutOptions) error {
		got = o
		return nil
	}))
	cmd.SetArgs([]string{"logout", "--oauth-url", "http://127.0.0.1:1/oauth"})
	if err := cmd.Execute(); err != nil {
		t.Fatal(err)
	}
	if got == nil || got.Config.OAuthURL != "http://127.0.0.1:1/oauth" || got.Logger == nil || got.TokenFile == nil {
		t.Fatalf("logout options %+v; want the --oauth-url, a logger and the token file", got)
	}
}
