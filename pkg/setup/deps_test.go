package setup

import (
	"context"
	"errors"
	"testing"

	"github.com/reinvent-cli/reinvent/pkg/catalog"
	"github.com/reinvent-cli/reinvent/pkg/catalog/eventsapi"
	"github.com/reinvent-cli/reinvent/pkg/catalog/sample"
	"github.com/reinvent-cli/reinvent/pkg/settings"
)

// TestDepsPlanDeps: a plan fetches with the freshness asked for, and
// works around an account only when the AWS Events API is the source; a
// sign-in that fails is the error, never a nil account that looks set.
func TestDepsPlanDeps(t *testing.T) {
	var fresh []bool
	signIn := errors.New("sign in first")
	d := Deps{
		Config: &settings.Config{Source: "sample"},
		Fetch: func(_ context.Context, _ catalog.Source, f bool) (*catalog.Catalog, error) {
			fresh = append(fresh, f)
			return &catalog.Catalog{}, nil
		},
		Account: func() (*eventsapi.Catalog, error) { return nil, signIn },
	}
	if pd := d.PlanDeps(sample.Source{}, true); pd.Account != nil {
		t.Error("a plan on the sample source works around an account")
	} else if _, err := pd.Fetch(context.Background()); err != nil {
		t.Fatal(err)
	}
	d.Config.Source = "events-api"
	pd := d.PlanDeps(sample.Source{}, false)
	if _, err := pd.Fetch(context.Background()); err != nil {
		t.Fatal(err)
	}
	if len(fresh) != 2 || !fresh[0] || fresh[1] {
		t.Errorf("fetches fresh %v, want [true false]", fresh)
	}
	if pd.Account == nil {
		t.Fatal("a plan on the AWS Events API ignores the account")
	}
	if h, err := pd.Account(); !errors.Is(err, signIn) || h != nil {
		t.Errorf("Account() = %v, %v; want no account and the sign-in error", h, err)
	}
}
