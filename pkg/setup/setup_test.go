package setup

import (
	"context"
	"errors"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"

	"github.com/reinvent-cli/reinvent/internal/testenv"
	"github.com/reinvent-cli/reinvent/pkg/catalog/sample"
	"github.com/reinvent-cli/reinvent/pkg/iostreams"
	"github.com/reinvent-cli/reinvent/pkg/reserve"
	"github.com/reinvent-cli/reinvent/pkg/settings"
)

// env is an Env of cfg whose store is in a fresh folder.
func env(t *testing.T, cfg settings.Config) *Env {
	t.Helper()
	cfg.DB = filepath.Join(t.TempDir(), "reinvent.db")
	cfg.Location = testenv.Vegas
	ios, _, _, _ := iostreams.Test()
	return &Env{IO: ios, Config: &cfg, Logger: slog.New(slog.DiscardHandler)}
}

// TestSourceOfTheSettings: the sample needs no cache; a catalog file
// comes behind the store's cache; a source that cannot work as set is a
// usage error (exit 2) that says what to set.
func TestSourceOfTheSettings(t *testing.T) {
	if src, err := env(t, settings.Config{Source: "sample"}).Source(); err != nil || src != (sample.Source{}) {
		t.Errorf("sample: %v, %T", err, src)
	}
	file := filepath.Join(t.TempDir(), "sessions.json")
	src, err := env(t, settings.Config{Source: file}).Source()
	if err != nil || !strings.Contains(src.Name(), "sessions.json") {
		t.Errorf("a file: %v, %v", err, src)
	}
	for _, tt := range []struct{ source, want string }{
		{"nosuch", `unknown source "nosuch": use events-api, portal, sample, or the path of a .json or .csv file`},
		{"portal", "the portal source needs your portal user name: set --username, REINVENT_USERNAME"},
	} {
		_, err := env(t, settings.Config{Source: tt.source}).Source()
		if !errors.Is(err, settings.ErrUsage) || err == nil || !strings.HasPrefix(err.Error(), tt.want) {
			t.Errorf("%s: %v; want a usage error starting %q", tt.source, err, tt.want)
		}
	}
}

// TestXClientNamesWhatIsMissing: the X client needs the app's key and
// secret, and for the bot's own requests its access token and secret
// too; what is missing is a usage error naming every setting.
func TestXClientNamesWhatIsMissing(t *testing.T) {
	e := env(t, settings.Config{XConsumerKey: "ck", XConsumerSecret: "cs"})
	if c, err := e.XClient("x webhooks list", false); err != nil || c == nil {
		t.Errorf("the app's credentials: %v", err)
	}
	_, err := e.XClient("--tweet", true)
	if !errors.Is(err, settings.ErrUsage) || !strings.HasPrefix(err.Error(), "--tweet needs the X credentials x-access-token, x-access-token-secret") {
		t.Errorf("the bot's: %v", err)
	}
	if cred := e.Credentials(); cred.ConsumerKey != "ck" || cred.ConsumerSecret != "cs" || cred.AccessToken != "" {
		t.Errorf("credentials %+v", cred)
	}
}

// TestDepsOffTheEventsAPI: on another source there is no account to
// write to; favorite's and cancel's dry runs write to the catalog as if
// it were one, and reserve plans around its reserved sessions.
func TestDepsOffTheEventsAPI(t *testing.T) {
	d := env(t, settings.Config{Source: "sample"}).Deps()
	if acct, err := d.ReserveAccount(); err != nil || acct != nil {
		t.Errorf("ReserveAccount() = %v, %v; want none", acct, err)
	}
	w, st, cat, err := d.AccountWrites(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, ok := w.(reserve.CatalogAccount); !ok || len(cat.Sessions) == 0 {
		t.Errorf("AccountWrites: %T and %d sessions; want the sample catalog standing in", w, len(cat.Sessions))
	}
	po := d.PlanOptions(reserve.PlanOptions{Codes: []string{"SVS401"}})
	if po.Event == "" || po.Plan.Location != testenv.Vegas || po.Codes[0] != "SVS401" {
		t.Errorf("PlanOptions: %+v; want the settings' event and zone", po)
	}
}

// TestCachedNeverFetches: completion reads the sample as it is, and
// for a live source only what the cache kept: nothing when it kept none.
func TestCachedNeverFetches(t *testing.T) {
	if cat := env(t, settings.Config{Source: "sample"}).Cached(testenv.Vegas); cat == nil || len(cat.Sessions) == 0 {
		t.Error("the sample: no catalog")
	}
	if cat := env(t, settings.Config{Source: "events-api", EventsAPIURL: "http://127.0.0.1:1"}).Cached(testenv.Vegas); cat != nil {
		t.Errorf("events-api with nothing cached: %d sessions", len(cat.Sessions))
	}
}
