package x

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"

	"github.com/reinvent-cli/reinvent/pkg/catalog"
)

// The APIs that deliver the bot's mentions to a webhook
// (docs/webhook.md, "Two intakes").
const (
	// ActivityAPI is the X Activity API: a post.mention.create
	// subscription filtered on the bot's user id.
	ActivityAPI = "activity"
	// AccountActivityAPI is the Account Activity API, whose end of life
	// is 2027-01-01.
	AccountActivityAPI = "account-activity"
)

// MentionEvent is the X Activity API event of a post that @mentions the
// filtered user (docs/x-api-research.md section 6).
const MentionEvent = "post.mention.create"

// activitySubscription is one X Activity API subscription
// (CreateActivitySubscriptionResponse and the list's items).
type activitySubscription struct {
	ID        string `json:"subscription_id"`
	EventType string `json:"event_type"`
	Filter    struct {
		UserID string `json:"user_id"`
	} `json:"filter"`
	WebhookID string `json:"webhook_id"`
	Tag       string `json:"tag"`
}

// Subscribe has X deliver the mentions of userID, the account the
// credentials sign in as, to webhook webhookID through api. It reports
// whether the subscription existed already, which is no error.
func (c *Client) Subscribe(ctx context.Context, api, webhookID, userID string) (existed bool, err error) {
	switch api {
	case AccountActivityAPI:
		// POST .../subscriptions/all with the user's own signature; the
		// body is the empty object the schema requires.
		err := c.call(ctx, userAuth, http.MethodPost, aaaPath(webhookID), struct{}{}, nil)
		if IsReason(err, "DuplicateSubscriptionFailed") {
			return true, nil
		}
		if err != nil {
			return false, fmt.Errorf("subscribe through the Account Activity API: %w", err)
		}
		return false, nil
	case ActivityAPI:
		subs, err := c.mentionSubscriptions(ctx, webhookID, userID)
		if err != nil {
			return false, err
		}
		if len(subs) > 0 {
			return true, nil
		}
		body := map[string]any{"event_type": MentionEvent, "filter": map[string]string{"user_id": userID},
			"webhook_id": webhookID, "tag": "reinvent"}
		if err := c.call(ctx, userAuth, http.MethodPost, "/2/activity/subscriptions", body, nil); err != nil {
			return false, fmt.Errorf("subscribe through the X Activity API: %w", err)
		}
		return false, nil
	}
	return false, fmt.Errorf("unknown API %q: use %s or %s", api, ActivityAPI, AccountActivityAPI)
}

// Unsubscribe ends what Subscribe began and reports whether there was a
// subscription to end.
func (c *Client) Unsubscribe(ctx context.Context, api, webhookID, userID string) (existed bool, err error) {
	switch api {
	case AccountActivityAPI:
		// The docs allow only the app-only token here.
		path := "/2/account_activity/webhooks/" + url.PathEscape(webhookID) + "/subscriptions/" + url.PathEscape(userID) + "/all"
		err := c.call(ctx, appAuth, http.MethodDelete, path, nil, nil)
		if IsReason(err, "SubscriptionNotFound") {
			return false, nil
		}
		if err != nil {
			return false, fmt.Errorf("unsubscribe from the Account Activity API: %w", err)
		}
		return true, nil
	case ActivityAPI:
		subs, err := c.mentionSubscriptions(ctx, webhookID, userID)
		if err != nil {
			return false, err
		}
		for _, s := range subs {
			if err := c.call(ctx, userAuth, http.MethodDelete, "/2/activity/subscriptions/"+url.PathEscape(s.ID), nil, nil); err != nil {
				return false, fmt.Errorf("unsubscribe from the X Activity API: %w", err)
			}
		}
		return len(subs) > 0, nil
	}
	return false, fmt.Errorf("unknown API %q: use %s or %s", api, ActivityAPI, AccountActivityAPI)
}

// Subscribed reports whether webhook webhookID gets the mentions of
// userID through api.
func (c *Client) Subscribed(ctx context.Context, api, webhookID, userID string) (bool, error) {
	if api == AccountActivityAPI {
		var out struct {
			Data struct {
				Subscribed bool `json:"subscribed"`
			} `json:"data"`
		}
		if err := c.call(ctx, userAuth, http.MethodGet, aaaPath(webhookID), nil, &out); err != nil {
			return false, fmt.Errorf("read the Account Activity subscription: %w", err)
		}
		return out.Data.Subscribed, nil
	}
	subs, err := c.mentionSubscriptions(ctx, webhookID, userID)
	return len(subs) > 0, err
}

func aaaPath(webhookID string) string {
	return "/2/account_activity/webhooks/" + url.PathEscape(webhookID) + "/subscriptions/all"
}

// mentionSubscriptions lists the app's post.mention.create subscriptions
// of userID that deliver to webhookID (GET /2/activity/subscriptions).
func (c *Client) mentionSubscriptions(ctx context.Context, webhookID, userID string) ([]activitySubscription, error) {
	var out struct {
		Data []activitySubscription `json:"data"`
	}
	if err := c.call(ctx, userAuth, http.MethodGet, "/2/activity/subscriptions", nil, &out); err != nil {
		return nil, fmt.Errorf("list X Activity subscriptions: %w", err)
	}
	var mine []activitySubscription
	for _, s := range out.Data {
		if s.EventType == MentionEvent && s.Filter.UserID == userID && s.WebhookID == webhookID {
			mine = append(mine, s)
		}
	}
	return mine, nil
}

// ErrNoWebhook is the error of SubscribeMentions and UnsubscribeMentions
// when they are to find the app's webhook and the app has none.
var ErrNoWebhook = errors.New("the app has no webhook")

// WebhookChoiceError is the error of SubscribeMentions and
// UnsubscribeMentions when they are to find the app's webhook and the app
// has N of them.
type WebhookChoiceError struct{ N int }

func (e *WebhookChoiceError) Error() string {
	return fmt.Sprintf("the app has %d webhooks; name the one to use", e.N)
}

// Mentions is the bot's subscription to its mentions on a webhook.
type Mentions struct {
	// WebhookID is the webhook, as named or as the app's only one.
	WebhookID string
	// User is the account the credentials sign in as: the bot.
	User User
	// Existed reports whether the subscription was there before the call.
	Existed bool
}

// Write says in a line what subscribe, or unsubscribe, did through api,
// X's text cleaned for a terminal, and that X ends the Account Activity
// API after a subscription through it.
func (m Mentions) Write(w io.Writer, subscribe bool, api string) {
	said := map[[2]bool]string{
		{true, false}:  "Webhook %s now delivers @%s's mentions through %s.\n",
		{true, true}:   "Webhook %s already delivered @%s's mentions through %s.\n",
		{false, true}:  "Webhook %s no longer gets @%s's mentions through %s.\n",
		{false, false}: "Webhook %s had no subscription to @%s's mentions through %s; nothing to do.\n",
	}[[2]bool{subscribe, m.Existed}]
	fmt.Fprintf(w, said, catalog.CleanLine(m.WebhookID), catalog.CleanLine(m.User.Username), APIName(api))
	if subscribe && api == AccountActivityAPI {
		fmt.Fprintln(w, "Note: X ends the Account Activity API on 2027-01-01; 'reinvent x subscribe' (the X Activity API) or serve-webhook --poll keep working after it.")
	}
}

// SubscribeMentions has X deliver the mentions of the account the
// credentials sign in as to webhook id through api (Subscribe); id "" is
// the app's only webhook (ErrNoWebhook when it has none,
// *WebhookChoiceError when more). On an error, the result holds what was
// found before it.
func (c *Client) SubscribeMentions(ctx context.Context, api, id string) (Mentions, error) {
	m, err := c.mentionsOn(ctx, id)
	if err != nil {
		return m, err
	}
	m.Existed, err = c.Subscribe(ctx, api, m.WebhookID, m.User.ID)
	return m, err
}

// UnsubscribeMentions ends what SubscribeMentions began; Existed reports
// whether there was a subscription to end.
func (c *Client) UnsubscribeMentions(ctx context.Context, api, id string) (Mentions, error) {
	m, err := c.mentionsOn(ctx, id)
	if err != nil {
		return m, err
	}
	m.Existed, err = c.Unsubscribe(ctx, api, m.WebhookID, m.User.ID)
	return m, err
}

// mentionsOn finds the webhook (the app's only one when id is "") and the
// account the credentials sign in as.
func (c *Client) mentionsOn(ctx context.Context, id string) (Mentions, error) {
	m := Mentions{WebhookID: id}
	if id == "" {
		hooks, err := c.Webhooks(ctx)
		if err != nil {
			return m, err
		}
		switch len(hooks) {
		case 0:
			return m, ErrNoWebhook
		case 1:
			m.WebhookID = hooks[0].ID
		default:
			return m, &WebhookChoiceError{N: len(hooks)}
		}
	}
	var err error
	m.User, err = c.Me(ctx)
	return m, err
}
