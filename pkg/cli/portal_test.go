package cli

import (
	"context"
	"encoding/csv"
	"os"
	"path/filepath"
	"strings"
	"testing"

	cognitolocal "github.com/reinvent-cli/reinvent/internal/fake/cognito/local"
	fakeportal "github.com/reinvent-cli/reinvent/internal/fake/portal"
	"github.com/reinvent-cli/reinvent/internal/testenv"
	"github.com/reinvent-cli/reinvent/pkg/catalog/portal"
)

// TestPortalSource runs download --source portal against cognito-local and
// a GraphQL fake of the portal, as a user of the binary would.
func TestPortalSource(t *testing.T) {
	home := testenv.Isolate(t)
	t.Setenv("XDG_DATA_HOME", filepath.Join(home, "data"))
	cognito := cognitolocal.Start(t)
	pool := cognito.NewPool(t, false)
	const user, password = "alice@example.com", "Corr3ct-horse!"
	cognito.CreateUser(t, pool, user, password)
	fake := fakeportal.New(t, "no token yet", fakeportal.Generate(150))

	args := []string{"download", "--source", "portal", "--auth-flow", "password",
		"--cognito-endpoint", cognito.Endpoint, "--cognito-region", cognitolocal.Region,
		"--cognito-user-pool-id", pool.PoolID, "--cognito-client-id", pool.ClientID,
		"--username", user, "--portal-url", fake.URL}

	t.Run("no password anywhere", func(t *testing.T) {
		out, _, err := runCLI(t, args...)
		if ExitCode(err) != ExitAuth || !strings.Contains(err.Error(), "REINVENT_PASSWORD") || out != "" {
			t.Errorf("exit %d, err %v, stdout %q", ExitCode(err), err, out)
		}
	})

	t.Run("wrong password", func(t *testing.T) {
		t.Setenv("REINVENT_PASSWORD", "wrong-Passw0rd!")
		out, _, err := runCLI(t, args...)
		if ExitCode(err) != ExitAuth || !strings.Contains(err.Error(), "Cognito rejected the username or password") || out != "" {
			t.Errorf("exit %d, err %v, stdout %q", ExitCode(err), err, out)
		}
		if strings.Contains(err.Error(), "wrong-Passw0rd!") {
			t.Error("the error shows the password")
		}
	})

	t.Run("signed in once, the cached token is used", func(t *testing.T) {
		// Sign in the way the command does, into the token file it reads.
		tokens := &portal.TokenFile{Path: filepath.Join(home, "data", "reinvent", "portal-tokens.json")}
		si := &portal.SignIn{Region: cognitolocal.Region, PoolID: pool.PoolID, ClientID: pool.ClientID,
			Endpoint: cognito.Endpoint, Flow: portal.FlowPassword, Username: user,
			Password: func() (string, error) { return password, nil }, Tokens: tokens}
		token, err := si.Token(context.Background(), false)
		if err != nil {
			t.Fatal(err)
		}
		fake.SetToken(token)
		info, err := os.Stat(tokens.Path)
		if err != nil || info.Mode().Perm() != 0o600 {
			t.Fatalf("token file: %v, mode %v; want 0600", err, info.Mode().Perm())
		}

		out, _, err := runCLI(t, args...) // no password available: it must not be needed
		if err != nil {
			t.Fatal(err)
		}
		rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != 151 {
			t.Errorf("%d rows, want a header and 150 sessions", len(rows))
		}
	})
}
