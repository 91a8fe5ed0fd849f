package cli

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/spf13/cobra"

	fakeevents "github.com/reinvent-cli/reinvent/internal/fake/events"
	"github.com/reinvent-cli/reinvent/internal/testenv"
	"github.com/reinvent-cli/reinvent/pkg/catalog/eventsapi"
)

// fakeEventSessions are sessions in the shape the 2026 catalog was served
// in (docs/events-api.md): lengths and levels as strings, and the Wynn
// session without a venue, its room starting with "Wynn/Encore".
func fakeEventSessions() []any {
	return []any{
		fakeevents.Session{SessionID: "a1", Abbreviation: "SVS401", Title: "Best practices for serverless developers",
			Level: "400 - Expert", Venue: "Venetian", Room: "Level 5 | Palazzo D",
			SessionTime: &fakeevents.SessionTime{Date: "2026-11-30", Time: "10:00", Length: "60"}},
		fakeevents.Session{SessionID: "a2", Abbreviation: "SVS401-R", Title: "Best practices for serverless developers",
			Level: "400 - Expert", Room: "Wynn/Encore | Level 1 | Latour 2",
			SessionTime: &fakeevents.SessionTime{Date: "2026-12-01", Time: "15:30", Length: "60"}},
		fakeevents.Session{SessionID: "b1", Abbreviation: "ARC302", Title: "Designing resilient multi-Region architectures",
			Level: "300 - Advanced", Venue: "Caesars Forum", Room: "Level 1 | Academy 411",
			SessionTime: &fakeevents.SessionTime{Date: "2026-11-30", Time: "10:30", Length: "60"}},
	}
}

// TestEventsAPISource reads the default source from a fake of the AWS
// Events API: anonymously for an open event, and exit 3 asking to sign in
// for one that needs it.
func TestEventsAPISource(t *testing.T) {
	home := testenv.Isolate(t)
	t.Setenv("XDG_DATA_HOME", home)
	fake := fakeevents.New("reinvent2026", fakeEventSessions())
	fake.Event.TimeZone = "America/Los_Angeles"
	fake.PageSizes = []int{2, 1}
	t.Cleanup(fake.Close)

	out, _, err := runCLI(t, "schedule", "--events-api-url", fake.URL, "--format", "json", "SVS401", "ARC302")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, `"session": "SVS401-R"`) || !strings.Contains(out, `"session": "ARC302"`) {
		t.Errorf("schedule from the events API:\n%s", out)
	}

	out, _, err = runCLI(t, "download", "--events-api-url", fake.URL)
	if err != nil || !strings.Contains(out, ",Wynn,Level 1 | Latour 2,") {
		t.Errorf("the Wynn/Encore room is not placed at Wynn: err %v\n%s", err, out)
	}

	fake.Lock()
	fake.Token = "needs-a-login"
	fake.Event.AuthenticationRequired = true
	fake.Unlock()
	out, _, err = runCLI(t, "download", "--events-api-url", fake.URL)
	if ExitCode(err) != ExitAuth || !strings.Contains(err.Error(), "reinvent login") || out != "" {
		t.Errorf("exit %d, err %v, stdout %q; want exit 3 asking to run reinvent login", ExitCode(err), err, out)
	}
}

func TestEventsAPIStoredTokensAndLogout(t *testing.T) {
	home := testenv.Isolate(t)
	t.Setenv("XDG_DATA_HOME", home)
	fake := fakeevents.New("reinvent2026", fakeEventSessions())
	fake.Token = "access-1"
	fake.Favorites = []string{"b1"}
	t.Cleanup(fake.Close)

	var revoked []string
	oauth := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost && r.URL.Path == "/oauth2/token" {
			_ = r.ParseForm()
			if r.PostForm.Get("grant_type") != "refresh_token" || r.PostForm.Get("refresh_token") != "refresh-0" {
				http.Error(w, `{"error":"invalid_grant"}`, http.StatusBadRequest)
				return
			}
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write([]byte(`{"access_token":"access-1","refresh_token":"refresh-1","token_type":"Bearer","expires_in":3600}`))
			return
		}
		if r.Method == http.MethodPost && r.URL.Path == "/oauth2/revoke" {
			_ = r.ParseForm()
			revoked = append(revoked, r.PostForm.Get("token"))
			return
		}
		http.NotFound(w, r)
	}))
	t.Cleanup(oauth.Close)

	tf := &eventsapi.TokenFile{Path: filepath.Join(home, "reinvent", "events-api-tokens.json")}
	// An expired token is refreshed before use, and the new one is kept.
	if err := tf.Save(&eventsapi.Tokens{AccessToken: "access-0", RefreshToken: "refresh-0", Expiry: time.Now().Add(-time.Minute)}); err != nil {
		t.Fatal(err)
	}
	out, _, err := runCLI(t, "download", "--events-api-url", fake.URL, "--oauth-url", oauth.URL, "--starred")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "ARC302,") || strings.Contains(out, "SVS401") {
		t.Errorf("starred sessions with the stored token:\n%s", out)
	}

	if saved, _, _ := tf.Load(); saved == nil || saved.AccessToken != "access-1" || saved.RefreshToken != "refresh-1" {
		t.Errorf("tokens after the refresh: %+v", saved)
	}

	_, errOut, err := runCLI(t, "logout", "--oauth-url", oauth.URL)
	if err != nil || !strings.Contains(errOut, "Signed out") {
		t.Fatalf("logout: %v, %q", err, errOut)
	}
	if strings.Join(revoked, ",") != "refresh-1" {
		t.Errorf("revoked %v, want the refresh token", revoked)
	}
	if _, err := os.Stat(tf.Path); !os.IsNotExist(err) {
		t.Errorf("token file still there after logout: %v", err)
	}
	_, errOut, err = runCLI(t, "logout", "--oauth-url", oauth.URL)
	if err != nil || !strings.Contains(errOut, "Not signed in") {
		t.Errorf("second logout: %v, %q", err, errOut)
	}
}

func TestLoginFlags(t *testing.T) {
	testenv.Isolate(t)
	var got *LoginOptions
	root := rootWith(func(f *Factory) *cobra.Command {
		return NewCmdLogin(f, func(_ context.Context, o *LoginOptions) error { got = o; return nil })
	})
	root.SetArgs([]string{"login", "--no-browser", "--port", "8486"})
	if err := root.Execute(); err != nil || !got.NoBrowser || got.Port != 8486 {
		t.Fatalf("err %v, options %+v", err, got)
	}
	root.SetArgs([]string{"login", "--port", "70000"})
	if err := root.Execute(); ExitCode(err) != ExitUsage {
		t.Errorf("--port 70000: exit %d (%v), want 2", ExitCode(err), err)
	}
}

// TestCatalogCache: download refreshes the store's catalog cache, and
// schedule reads it while it is younger than max-age instead of fetching.
func TestCatalogCache(t *testing.T) {
	testenv.Isolate(t)
	fake := fakeevents.New("reinvent2026", fakeEventSessions())
	fake.Event.TimeZone = "America/Los_Angeles"
	t.Cleanup(fake.Close)
	t.Setenv("REINVENT_EVENTS_API_URL", fake.URL)

	if _, _, err := runCLI(t, "download"); err != nil {
		t.Fatal(err)
	}
	fetched := fake.Count("sessions")
	out, _, err := runCLI(t, "schedule", "SVS401")
	if err != nil || !strings.Contains(out, "SVS401") {
		t.Fatalf("schedule: %v\n%s", err, out)
	}
	if fake.Count("sessions") != fetched {
		t.Errorf("schedule fetched the catalog although download had just cached it")
	}
	if _, _, err := runCLI(t, "schedule", "--max-age", "0s", "SVS401"); err != nil {
		t.Fatal(err)
	}
	if fake.Count("sessions") == fetched {
		t.Errorf("schedule --max-age 0s used the cache")
	}
}
