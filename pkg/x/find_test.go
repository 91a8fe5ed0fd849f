package x_test

import (
	"context"
	"errors"
	"testing"

	fakex "github.com/reinvent-cli/reinvent/internal/fake/x"
	"github.com/reinvent-cli/reinvent/pkg/x"
)

func TestFindPostBySuffix(t *testing.T) {
	fx := fakex.New(cred)
	defer fx.Close()
	c, _ := newClient(fx.URL())
	ctx := context.Background()
	var ids []string
	for _, text := range []string{"one\nref aaaaaa · 1/2", "two\nref aaaaaa · 2/2", "three\nref bbbbbb"} {
		id, err := c.Post(ctx, x.Post{Text: text})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	for suffix, want := range map[string]string{"ref aaaaaa · 2/2": ids[1], "ref bbbbbb": ids[2], "ref cccccc": ""} {
		got, err := c.Find(ctx, suffix)
		if err != nil || got != want {
			t.Errorf("Find(%q) = %q, %v; want %q", suffix, got, err, want)
		}
	}

	wrong := x.NewClient(fx.URL(), x.Credentials{ConsumerKey: cred.ConsumerKey, ConsumerSecret: "wrong", AccessToken: cred.AccessToken, AccessTokenSecret: cred.AccessTokenSecret})
	if _, err := wrong.Find(ctx, "ref aaaaaa · 2/2"); !errors.Is(err, x.ErrAuth) {
		t.Errorf("Find with a bad signature: %v, want ErrAuth", err)
	} else {
		checkClean(t, err)
	}
}
