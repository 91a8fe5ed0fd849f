package x

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
)

// TestAdminRefusesBeforeAsking: a webhook URL X would refuse, and a
// webhook id that is no id, are ErrInvalid (exit 2) before a client is
// made or a request spent.
func TestAdminRefusesBeforeAsking(t *testing.T) {
	var out, errOut bytes.Buffer
	asked := false
	a := Admin{Client: func(bool) (*Client, error) { asked = true; return nil, errors.New("no client") }, Out: &out, ErrOut: &errOut}
	ctx := context.Background()
	for _, tt := range []struct {
		name string
		run  func() error
		want string
	}{
		{"add http", func() error { return a.Add(ctx, "http://bot.example.com/webhook") }, "webhook URL: https only"},
		{"add a port", func() error { return a.Add(ctx, "https://bot.example.com:8443/webhook") }, "webhook URL: no port allowed"},
		{"check a name", func() error { return a.Check(ctx, "abc") }, `"abc" is not a webhook id`},
		{"remove a negative", func() error { return a.Remove(ctx, "-1") }, `"-1" is not a webhook id`},
		{"subscribe to a name", func() error { return a.Mentions(ctx, true, ActivityAPI, "hook") }, `--webhook "hook" is not a webhook id`},
	} {
		err := tt.run()
		if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), tt.want) || strings.Contains(err.Error(), "\n") {
			t.Errorf("%s: %v; want one line of ErrInvalid saying %q", tt.name, err, tt.want)
		}
	}
	if asked || out.Len() > 0 || errOut.Len() > 0 {
		t.Errorf("asked for a client: %v; printed %q %q", asked, out.String(), errOut.String())
	}
	// With a valid id, the client is asked for, and its error is the run's.
	if err := a.Check(ctx, "123"); err == nil || errors.Is(err, ErrInvalid) || !asked {
		t.Errorf("check 123 with no client: %v (asked %v)", err, asked)
	}
}
