package x_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/reinvent-cli/reinvent/pkg/x"
)

// TestWebhookErrorAdvice: every refusal X names gets one line of advice
// that ends with X's reason, an unknown webhook is named, and a reason
// with no advice gets none (the command then shows X's own words).
func TestWebhookErrorAdvice(t *testing.T) {
	for _, tt := range []struct{ reason, want string }{
		{"UrlValidationFailed", "must be https, with no port"},
		{"CrcValidationFailed", "serve-webhook must answer at that URL"},
		{"DuplicateUrlFailed", "'reinvent x webhooks list' shows its id"},
		{"WebhookLimitExceeded", "reinvent x webhooks remove ID"},
		{"WebhookIdInvalid", "X knows no webhook 123 of this app"},
		{"SubscriptionLimitExceeded", "unsubscribe another account first"},
		{"DuplicateSubscriptionFailed", "the bot is subscribed already"},
		{"SubscriptionNotFound", "the bot has no subscription on that webhook"},
	} {
		got := (&x.WebhookError{Reason: tt.reason, Err: errors.New("refused")}).Advice("123")
		if !strings.Contains(got, tt.want) || !strings.HasSuffix(got, "(X: "+tt.reason+")") || strings.Contains(got, "\n") {
			t.Errorf("%s: advice %q; want one line with %q, ending with the reason", tt.reason, got, tt.want)
		}
	}
	if got := (&x.WebhookError{Reason: "", Err: errors.New("odd")}).Advice("1"); got != "" {
		t.Errorf("no reason: advice %q, want none", got)
	}
}

// TestAPIName: messages name both APIs by their names at X.
func TestAPIName(t *testing.T) {
	if x.APIName(x.ActivityAPI) != "the X Activity API" || x.APIName(x.AccountActivityAPI) != "the Account Activity API" {
		t.Errorf("APIName: %q, %q", x.APIName(x.ActivityAPI), x.APIName(x.AccountActivityAPI))
	}
}

// TestWriteWebhooks: one row a webhook under a header; an invalid one says
// how to have X check it again, and X's text cannot reach the terminal
// with control sequences.
func TestWriteWebhooks(t *testing.T) {
	var b strings.Builder
	err := x.WriteWebhooks(&b, []x.Webhook{
		{ID: "11", URL: "https://bot.example.com/webhook", Valid: true, CreatedAt: "2026-11-30T10:00:00.000Z"},
		{ID: "22", URL: "https://evil.example.com/\x1b]0;pwned\a", Valid: false, CreatedAt: "2026-12-01T10:00:00.000Z"},
	})
	got := b.String()
	lines := strings.Split(strings.TrimSuffix(got, "\n"), "\n")
	if err != nil || len(lines) != 3 || !strings.HasPrefix(lines[0], "ID  ") || !strings.Contains(lines[1], "https://bot.example.com/webhook  yes") ||
		!strings.Contains(lines[2], "no: X stopped delivering; run 'reinvent x webhooks check 22'") || strings.ContainsAny(got, "\x1b\a") {
		t.Errorf("table (%v):\n%s", err, got)
	}
}

// TestCommandError: X's refusal becomes its advice; an app with no
// webhook says how to add one; refused credentials and an unavailable X
// stay matchable by errors.Is, with a hint; anything else is unchanged.
func TestCommandError(t *testing.T) {
	other := errors.New("something else")
	for _, tt := range []struct {
		err    error
		want   string
		is     error
		isNone bool
	}{
		{err: &x.WebhookError{Reason: "WebhookIdInvalid", Err: x.ErrAuth}, want: "X knows no webhook 42 of this app; 'reinvent x webhooks list' shows the ids (X: WebhookIdInvalid)", isNone: true},
		{err: x.ErrNoWebhook, want: "the app has no webhook to subscribe to; add one first: reinvent x webhooks add URL", isNone: true},
		{err: x.ErrAuth, want: "credentials refused by X; check the x-* credentials (the webhook commands need the app's consumer key and secret)", is: x.ErrAuth},
		{err: x.ErrUnavailable, want: "the X API is unavailable; try again later", is: x.ErrUnavailable},
		{err: &x.RateLimitError{}, want: "rate limited by X; try again later", is: x.ErrRateLimited},
		{err: &x.WebhookError{Reason: "", Err: errors.New("odd")}, want: "odd"},
		{err: other, want: "something else", is: other},
	} {
		got := x.CommandError(tt.err, "42")
		if got.Error() != tt.want {
			t.Errorf("CommandError(%v) = %q, want %q", tt.err, got, tt.want)
		}
		if tt.is != nil && !errors.Is(got, tt.is) {
			t.Errorf("CommandError(%v) no longer matches %v", tt.err, tt.is)
		}
		if tt.isNone && (errors.Is(got, x.ErrAuth) || errors.Is(got, x.ErrNoWebhook)) {
			t.Errorf("CommandError(%v) = %v still matches X's error: it would not exit 1", tt.err, got)
		}
	}
}
