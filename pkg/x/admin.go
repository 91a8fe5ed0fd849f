package x

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/reinvent-cli/reinvent/pkg/catalog"
)

// ErrInvalid marks what would be refused before a request is spent on
// it: a webhook URL X does not take, a webhook id that is no id, or a
// webhook to choose among several. reinvent exits 2 for it.
var ErrInvalid = errors.New("invalid webhook request")

// invalidError is an error of class ErrInvalid, with its own text.
type invalidError string

func (e invalidError) Error() string        { return string(e) }
func (e invalidError) Is(target error) bool { return target == ErrInvalid }

func invalidf(format string, args ...any) error { return invalidError(fmt.Sprintf(format, args...)) }

// Admin runs the commands of the app's webhooks and of the bot's
// subscription to its mentions (reinvent x, docs/webhook.md): it checks
// what was typed, asks X, and says what X did, data on Out and messages
// on ErrOut, X's text cleaned.
type Admin struct {
	// Client returns the X client; user asks for the bot's own
	// credentials too, not only the app's consumer key and secret.
	Client      func(user bool) (*Client, error)
	Out, ErrOut io.Writer
}

// List writes the app's webhooks, or says there is none.
func (a Admin) List(ctx context.Context) error {
	c, err := a.Client(false)
	if err != nil {
		return err
	}
	hooks, err := c.Webhooks(ctx)
	if err != nil {
		return CommandError(err, "")
	}
	if len(hooks) == 0 {
		fmt.Fprintln(a.ErrOut, "The app has no webhook; add one with 'reinvent x webhooks add URL', or poll instead (serve-webhook --poll).")
		return nil
	}
	return WriteWebhooks(a.Out, hooks)
}

// Add registers webhookURL (X runs its CRC check first) and writes its id.
func (a Admin) Add(ctx context.Context, webhookURL string) error {
	if err := CheckWebhookURL(webhookURL); err != nil {
		return invalidf("webhook URL: %v", err)
	}
	c, err := a.Client(false)
	if err != nil {
		return err
	}
	h, err := c.AddWebhook(ctx, webhookURL)
	if err != nil {
		return CommandError(err, webhookURL)
	}
	fmt.Fprintln(a.Out, catalog.CleanLine(h.ID))
	fmt.Fprintf(a.ErrOut, "Added webhook %s for %s; X's CRC check passed. Next: reinvent x subscribe\n", catalog.CleanLine(h.ID), catalog.CleanLine(h.URL))
	return nil
}

// Check has X run its CRC check on webhook id again; a webhook that fails
// it is an error.
func (a Admin) Check(ctx context.Context, id string) error {
	c, err := a.webhookClient(id)
	if err != nil {
		return err
	}
	valid, err := c.CheckWebhook(ctx, id)
	if err != nil {
		return CommandError(err, id)
	}
	if !valid {
		return fmt.Errorf("webhook %s failed X's CRC check: serve-webhook must answer at its URL within 10 s, with this app's x-consumer-secret, or its x-client-secret when the app has OAuth 2.0 keys", id)
	}
	fmt.Fprintf(a.ErrOut, "Webhook %s passed X's CRC check.\n", id)
	return nil
}

// Remove deletes webhook id.
func (a Admin) Remove(ctx context.Context, id string) error {
	c, err := a.webhookClient(id)
	if err != nil {
		return err
	}
	if err := c.RemoveWebhook(ctx, id); err != nil {
		return CommandError(err, id)
	}
	fmt.Fprintf(a.ErrOut, "Removed webhook %s.\n", id)
	return nil
}

// webhookClient checks the webhook id of Check and Remove, then returns
// the app's client.
func (a Admin) webhookClient(id string) (*Client, error) {
	if !ValidID(id) {
		return nil, invalidf("%q is not a webhook id (1 to 19 digits); 'reinvent x webhooks list' shows them", id)
	}
	return a.Client(false)
}

// Mentions subscribes the bot's account to its mentions on webhook
// webhookID ("" for the app's only one) through api, or with subscribe
// false unsubscribes it, signing as the bot.
func (a Admin) Mentions(ctx context.Context, subscribe bool, api, webhookID string) error {
	if webhookID != "" && !ValidID(webhookID) {
		return invalidf("--webhook %q is not a webhook id (1 to 19 digits)", webhookID)
	}
	c, err := a.Client(true)
	if err != nil {
		return err
	}
	change := c.SubscribeMentions
	if !subscribe {
		change = c.UnsubscribeMentions
	}
	m, err := change(ctx, api, webhookID)
	var many *WebhookChoiceError
	if errors.As(err, &many) {
		return invalidf("the app has %d webhooks; choose one with --webhook ID ('reinvent x webhooks list' shows them)", many.N)
	}
	if err != nil {
		return CommandError(err, m.WebhookID)
	}
	m.Write(a.ErrOut, subscribe, api)
	return nil
}
