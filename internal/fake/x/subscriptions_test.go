package fakex

import (
	"encoding/json"
	"strings"
	"testing"
)

// withWebhook returns a fake with one registered webhook, its id and the
// consumer app behind it.
func withWebhook(t *testing.T) (*Server, string, *receiver) {
	t.Helper()
	s := newFixed(t)
	rc := newReceiver(t, cred.ConsumerSecret)
	s.Route(hookURL, rc.srv.URL+"/events")
	a := call(t, s, "POST", "/2/webhooks", `{"url":"`+hookURL+`"}`, "bearer")
	var created struct{ Data struct{ ID string } }
	if err := json.Unmarshal([]byte(a.body), &created); err != nil || a.status != 200 {
		t.Fatalf("create webhook: %d %s", a.status, a.body)
	}
	return s, created.Data.ID, rc
}

func TestAccountActivitySubscriptions(t *testing.T) {
	s, id, _ := withWebhook(t)
	all := "/2/account_activity/webhooks/" + id + "/subscriptions/all"
	unknown := "/2/account_activity/webhooks/1860000000000000099/subscriptions/all"
	for _, c := range []struct {
		name, method, path, body, auth string
		status                         int
		want, reason                   string
	}{
		{"check before", "GET", all, "", "oauth", 200, `{"data":{"subscribed":false}}`, ""},
		{"list before", "GET", all + "/list", "", "bearer", 200,
			`{"data":{"application_id":"` + AppID + `","webhook_id":"` + id + `","webhook_url":"` + hookURL + `","subscriptions":[]}}`, ""},
		{"subscribe without body", "POST", all, "", "oauth", 400, "", ""},
		{"subscribe with an array", "POST", all, "[]", "oauth", 400, "", ""},
		{"subscribe app-only", "POST", all, "{}", "bearer", 403, `{"errors":[{"message":"Your credentials do not allow access to this resource","code":220}]}`, ""},
		{"subscribe unsigned", "POST", all, "{}", "", 401, "", ""},
		{"subscribe unknown webhook", "POST", unknown, "{}", "oauth", 400, "", "WebhookIdInvalid"},
		{"subscribe", "POST", all, "{}", "oauth", 200, `{"data":{"subscribed":true}}`, ""},
		{"subscribe again", "POST", all, "{}", "oauth", 400, "", "DuplicateSubscriptionFailed"},
		{"check", "GET", all, "", "oauth", 200, `{"data":{"subscribed":true}}`, ""},
		{"check app-only", "GET", all, "", "bearer", 403, "", ""},
		{"check unknown webhook", "GET", unknown, "", "oauth", 400, "", "WebhookIdInvalid"},
		{"list", "GET", all + "/list", "", "bearer", 200,
			`{"data":{"application_id":"` + AppID + `","webhook_id":"` + id + `","webhook_url":"` + hookURL + `","subscriptions":[{"user_id":"` + UserID + `"}]}}`, ""},
		{"list signed", "GET", all + "/list", "", "oauth", 401, "", ""},
		{"list unknown webhook", "GET", unknown + "/list", "", "bearer", 400, "", "WebhookIdInvalid"},
		{"delete another user", "DELETE", "/2/account_activity/webhooks/" + id + "/subscriptions/42/all", "", "bearer", 400, "", "SubscriptionNotFound"},
		{"delete unknown webhook", "DELETE", "/2/account_activity/webhooks/1860000000000000099/subscriptions/" + UserID + "/all", "", "bearer", 400, "", "WebhookIdInvalid"},
		{"delete signed", "DELETE", "/2/account_activity/webhooks/" + id + "/subscriptions/" + UserID + "/all", "", "oauth", 401, "", ""},
		{"delete", "DELETE", "/2/account_activity/webhooks/" + id + "/subscriptions/" + UserID + "/all", "", "bearer", 200, `{"data":{"subscribed":false}}`, ""},
		{"delete again", "DELETE", "/2/account_activity/webhooks/" + id + "/subscriptions/" + UserID + "/all", "", "bearer", 400, "", "SubscriptionNotFound"},
		{"check after", "GET", all, "", "oauth", 200, `{"data":{"subscribed":false}}`, ""},
	} {
		a := call(t, s, c.method, c.path, c.body, c.auth)
		switch {
		case c.reason != "":
			refusedFor(t, c.name, a, c.reason)
		case a.status != c.status:
			t.Errorf("%s: %d %s, want %d", c.name, a.status, a.body, c.status)
		case c.want != "":
			sameJSON(t, c.name, a.body, c.want)
		}
	}
}

func TestActivitySubscriptions(t *testing.T) {
	s, id, _ := withWebhook(t)
	mention := `{"event_type":"post.mention.create","filter":{"user_id":"` + UserID + `"},"webhook_id":"` + id + `","tag":"mentions"}`
	sub := `{"subscription_id":"1870000000000000001","event_type":"post.mention.create","filter":{"user_id":"` + UserID + `"},` +
		`"webhook_id":"` + id + `","tag":"mentions","created_at":"2026-12-01T09:00:00.000Z","updated_at":"2026-12-01T09:00:00.000Z"}`
	bio := `{"subscription_id":"1870000000000000002","event_type":"profile.update.bio","filter":{"user_id":"42"},` +
		`"created_at":"2026-12-01T09:00:00.000Z","updated_at":"2026-12-01T09:00:00.000Z"}`
	for _, c := range []struct {
		name, body, auth string
		status           int
		want             string // the whole answer, or a part of it
	}{
		{"mentions", mention, "oauth", 200, `{"data":{"subscription":` + sub + `}}`},
		{"the same again", mention, "oauth", 400, "DuplicateSubscriptionFailed"},
		{"the same, other tag", strings.Replace(mention, `"mentions"`, `"other"`, 1), "oauth", 400, "DuplicateSubscriptionFailed"},
		{"public event, app-only", `{"event_type":"profile.update.bio","filter":{"user_id":"42"}}`, "bearer", 200, `{"data":{"subscription":` + bio + `}}`},
		{"mentions app-only", `{"event_type":"post.mention.create","filter":{"user_id":"` + UserID + `"}}`, "bearer", 403, `"code":220`},
		{"mentions of another user", `{"event_type":"post.mention.create","filter":{"user_id":"42"}}`, "oauth", 403, "not-authorized-for-resource"},
		{"mentions of nobody", `{"event_type":"post.mention.create","filter":{}}`, "oauth", 400, "filter.user_id"},
		{"unknown event", `{"event_type":"post.mention","filter":{"user_id":"` + UserID + `"}}`, "oauth", 400, "event_type"},
		{"no event", `{"filter":{"user_id":"` + UserID + `"}}`, "oauth", 400, "event_type"},
		{"no filter", `{"event_type":"post.mention.create"}`, "oauth", 400, "filter"},
		{"unknown field", `{"event_type":"post.mention.create","filter":{"user_id":"` + UserID + `"},"callback":"x"}`, "oauth", 400, "callback"},
		{"unknown filter field", `{"event_type":"post.mention.create","filter":{"user_id":"` + UserID + `","post_id":"1"}}`, "oauth", 400, "post_id"},
		{"bad direction", `{"event_type":"follow.follow","filter":{"user_id":"42","direction":"sideways"}}`, "oauth", 400, "filter.direction"},
		{"direction on mute", `{"event_type":"mute.mute","filter":{"user_id":"` + UserID + `","direction":"inbound"}}`, "oauth", 400, "not supported"},
		{"empty tag", `{"event_type":"post.mention.create","filter":{"user_id":"` + UserID + `"},"tag":""}`, "oauth", 400, "tag"},
		{"long tag", `{"event_type":"post.mention.create","filter":{"user_id":"` + UserID + `"},"tag":"` + strings.Repeat("t", 201) + `"}`, "oauth", 400, "tag"},
		{"bad webhook id", `{"event_type":"post.mention.create","filter":{"user_id":"` + UserID + `"},"webhook_id":"x"}`, "oauth", 400, "webhook_id"},
		{"unknown webhook", `{"event_type":"post.mention.create","filter":{"user_id":"` + UserID + `"},"webhook_id":"1860000000000000099"}`, "oauth", 400, `"title":"WebhookIdInvalid"`},
		{"not JSON", `event_type=post.mention.create`, "oauth", 400, "invalid-request"},
		{"two objects", mention + mention, "oauth", 400, "invalid-request"},
		{"unsigned", mention, "", 401, "Unauthorized"},
		{"bad token", mention, "Bearer nope", 401, `"code":89`},
	} {
		a := call(t, s, "POST", "/2/activity/subscriptions", c.body, c.auth)
		if a.status != c.status {
			t.Errorf("%s: %d %s, want %d", c.name, a.status, a.body, c.status)
		} else if strings.HasPrefix(c.want, "{") {
			sameJSON(t, c.name, a.body, c.want)
		} else if !strings.Contains(a.body, c.want) {
			t.Errorf("%s: %s does not say %s", c.name, a.body, c.want)
		}
	}
	for _, auth := range []string{"oauth", "bearer"} {
		sameJSON(t, "list "+auth, call(t, s, "GET", "/2/activity/subscriptions", "", auth).body, `{"data":[`+sub+`,`+bio+`]}`)
	}
	sameJSON(t, "list max_results=1", call(t, s, "GET", "/2/activity/subscriptions?max_results=1", "", "bearer").body, `{"data":[`+sub+`]}`)
	for _, bad := range []string{"max_results=0", "max_results=1001", "pagination_token=0123456789abcdef"} {
		if a := call(t, s, "GET", "/2/activity/subscriptions?"+bad, "", "bearer"); a.status != 400 {
			t.Errorf("list %s: %d", bad, a.status)
		}
	}
	if a := call(t, s, "GET", "/2/activity/subscriptions", "", ""); a.status != 401 {
		t.Errorf("list unsigned: %d", a.status)
	}
	sameJSON(t, "delete", call(t, s, "DELETE", "/2/activity/subscriptions/1870000000000000001", "", "oauth").body, `{"data":{"deleted":true}}`)
	sameJSON(t, "delete app-only", call(t, s, "DELETE", "/2/activity/subscriptions/1870000000000000002", "", "bearer").body, `{"data":{"deleted":true}}`)
	a := call(t, s, "DELETE", "/2/activity/subscriptions/1870000000000000001", "", "bearer")
	if a.status != 404 || !strings.Contains(a.body, "resource-not-found") || !strings.Contains(a.body, "SubscriptionNotFound") {
		t.Errorf("delete again: %d %s", a.status, a.body)
	}
	sameJSON(t, "list after", call(t, s, "GET", "/2/activity/subscriptions", "", "oauth").body, `{"data":[]}`)
	if a := call(t, s, "POST", "/2/activity/subscriptions", mention, "oauth"); a.status != 200 {
		t.Errorf("subscribe again after the delete: %d %s", a.status, a.body)
	}
}
