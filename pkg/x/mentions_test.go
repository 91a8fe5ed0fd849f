package x_test

import (
	"strings"
	"testing"

	"github.com/reinvent-cli/reinvent/pkg/x"
)

// TestMentionsWrite: subscribe and unsubscribe each say in a line what
// they did, whether the subscription was there before or not, with X's
// text cleaned of control sequences; a subscription through the Account
// Activity API adds that X ends it.
func TestMentionsWrite(t *testing.T) {
	bot := x.User{ID: "1", Username: "reinvent\x1b[31mbot"}
	tests := []struct {
		subscribe, existed bool
		api, want          string
	}{
		{true, false, x.ActivityAPI, "Webhook 42 now delivers @reinventbot's mentions through the X Activity API.\n"},
		{true, true, x.ActivityAPI, "Webhook 42 already delivered @reinventbot's mentions through the X Activity API.\n"},
		{false, true, x.ActivityAPI, "Webhook 42 no longer gets @reinventbot's mentions through the X Activity API.\n"},
		{false, false, x.AccountActivityAPI, "Webhook 42 had no subscription to @reinventbot's mentions through the Account Activity API; nothing to do.\n"},
		{true, false, x.AccountActivityAPI, "Webhook 42 now delivers @reinventbot's mentions through the Account Activity API.\n" +
			"Note: X ends the Account Activity API on 2027-01-01; 'reinvent x subscribe' (the X Activity API) or serve-webhook --poll keep working after it.\n"},
	}
	for _, tt := range tests {
		var b strings.Builder
		x.Mentions{WebhookID: "42", User: bot, Existed: tt.existed}.Write(&b, tt.subscribe, tt.api)
		if b.String() != tt.want {
			t.Errorf("subscribe %v, existed %v, %s:\n got %q\nwant %q", tt.subscribe, tt.existed, tt.api, b.String(), tt.want)
		}
	}
}
