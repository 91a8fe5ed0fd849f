package fakex

import (
	"bytes"
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// AppID is the application id GET .../subscriptions/all/list answers.
const AppID = "29000001"

// firstSubscriptionID is the id of the first X Activity subscription.
const firstSubscriptionID = 1870000000000000001

type subscriptionState struct {
	aaa    map[string]map[string]bool // webhook id -> subscribed user ids
	xaa    []*xaaSub                  // in the order they were created
	nextID uint64
}

func newSubscriptionState() subscriptionState {
	return subscriptionState{aaa: map[string]map[string]bool{}, nextID: firstSubscriptionID}
}

// xaaSub is an X Activity subscription.
type xaaSub struct {
	id, eventType, webhookID, tag string
	filter                        xaaFilter
	created, updated              time.Time
}

// xaaFilter is a subscription's filter.
// https://docs.x.com/x-api/activity/create-x-activity-subscription (CreateActivitySubscriptionFilter)
type xaaFilter struct {
	Direction  string         `json:"direction,omitempty"`
	Keyword    string         `json:"keyword,omitempty"`
	Qualifiers map[string]any `json:"qualifiers,omitempty"`
	UserID     string         `json:"user_id,omitempty"`
}

// subscribed answers {"data":{"subscribed":v}}.
// https://docs.x.com/x-api/account-activity/introduction
// (CreateAccountActivitySubscriptionResponse, ValidateAccountActivitySubscriptionResponse,
// DeleteAccountActivitySubscriptionResponse)
func subscribed(w http.ResponseWriter, v bool) {
	writeJSON(w, http.StatusOK, map[string]any{"data": map[string]bool{"subscribed": v}})
}

// subscribeAAA answers POST .../webhooks/{webhook_id}/subscriptions/all:
// the signing user, the bot, subscribes; the body must be a JSON object.
// https://docs.x.com/x-api/account-activity/introduction ("Adding a Subscription")
func (s *Server) subscribeAAA(w http.ResponseWriter, r *http.Request) {
	raw, ok := readJSON(w, r)
	if !ok {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.userContext(w, r, raw) {
		return
	}
	var b map[string]any
	if err := json.Unmarshal(raw, &b); err != nil || b == nil {
		invalid(w, "The request body must be a JSON object, such as {}.")
		return
	}
	id := r.PathValue("webhook_id")
	if s.webhook(id) == nil {
		failed(w, "WebhookIdInvalid", "")
		return
	}
	if s.subs.aaa[id][UserID] {
		failed(w, "DuplicateSubscriptionFailed", "")
		return
	}
	if s.subs.aaa[id] == nil {
		s.subs.aaa[id] = map[string]bool{}
	}
	s.subs.aaa[id][UserID] = true
	subscribed(w, true)
}

// checkAAA answers GET .../webhooks/{webhook_id}/subscriptions/all.
// https://docs.x.com/x-api/account-activity/introduction ("Checking a Subscription")
func (s *Server) checkAAA(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.userContext(w, r, nil) {
		return
	}
	id := r.PathValue("webhook_id")
	if s.webhook(id) == nil {
		failed(w, "WebhookIdInvalid", "")
		return
	}
	subscribed(w, s.subs.aaa[id][UserID])
}

// unsubscribeAAA answers DELETE .../subscriptions/{user_id}/all.
// https://docs.x.com/x-api/account-activity/introduction ("Removing Subscriptions")
func (s *Server) unsubscribeAAA(w http.ResponseWriter, r *http.Request) {
	if !s.appOnly(w, r) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	id, uid := r.PathValue("webhook_id"), r.PathValue("user_id")
	switch {
	case s.webhook(id) == nil:
		failed(w, "WebhookIdInvalid", "")
	case !s.subs.aaa[id][uid]:
		failed(w, "SubscriptionNotFound", "")
	default:
		delete(s.subs.aaa[id], uid)
		subscribed(w, false)
	}
}

// listAAA answers GET .../subscriptions/all/list.
// https://docs.x.com/x-api/account-activity/introduction ("Viewing all
// Subscriptions"; GetAccountActivitySubscriptionsResponse)
func (s *Server) listAAA(w http.ResponseWriter, r *http.Request) {
	if !s.appOnly(w, r) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	id := r.PathValue("webhook_id")
	hook := s.webhook(id)
	if hook == nil {
		failed(w, "WebhookIdInvalid", "")
		return
	}
	users := make([]string, 0, len(s.subs.aaa[id]))
	for u := range s.subs.aaa[id] {
		users = append(users, u)
	}
	slices.Sort(users)
	subs := make([]map[string]string, len(users))
	for i, u := range users {
		subs[i] = map[string]string{"user_id": u}
	}
	writeJSON(w, http.StatusOK, map[string]any{"data": map[string]any{
		"application_id": AppID, "webhook_id": id, "webhook_url": hook.URL, "subscriptions": subs}})
}

// eventTypes are the event types of CreateActivitySubscriptionRequest.
// https://docs.x.com/x-api/activity/create-x-activity-subscription
var eventTypes = set("profile.update.bio", "profile.update.profile_picture", "profile.update.banner_picture",
	"profile.update.screenname", "profile.update.geo", "profile.update.url", "profile.update.verified_badge",
	"profile.update.affiliate_badge", "profile.update.handle", "news.new", "follow.follow", "follow.unfollow",
	"subscriptions.subscribe", "subscriptions.unsubscribe", "spaces.start", "spaces.end", "broadcast.start",
	"broadcast.end", "broadcast.chat", "chat.received", "chat.sent", "chat.conversation.join",
	"chat.conversation_join", "chat.conversation.member_added", "chat.conversation.member_removed",
	"chat.conversation.admin_added", "chat.conversation.admin_removed", "chat.update.group_name",
	"chat.update.restrictions", "dm.sent", "dm.received", "dm.indicate_typing", "dm.read", "post.create",
	"post.delete", "post.mention.create", "post.reply.create", "post.quote.create", "post.repost.create",
	"like.create", "mute.mute", "mute.unmute", "block.block", "block.unblock")

// ownOnly reports an event type whose filter.user_id must be the
// authenticated user: post.mention.create (a private event), mute.*,
// block.* and subscriptions.* (the spec's description of createActivitySubscription).
func ownOnly(eventType string) bool {
	return eventType == "post.mention.create" || strings.HasPrefix(eventType, "mute.") ||
		strings.HasPrefix(eventType, "block.") || strings.HasPrefix(eventType, "subscriptions.")
}

// subscriptionJSON renders a subscription.
// https://docs.x.com/x-api/activity/create-x-activity-subscription
// (CreateActivitySubscriptionResponseDataSubscription, GetActivitySubscriptionsResponseData)
func subscriptionJSON(x *xaaSub) map[string]any {
	m := map[string]any{"subscription_id": x.id, "event_type": x.eventType, "filter": x.filter,
		"created_at": timeV2(x.created), "updated_at": timeV2(x.updated)}
	if x.webhookID != "" {
		m["webhook_id"] = x.webhookID
	}
	if x.tag != "" {
		m["tag"] = x.tag
	}
	return m
}

// createXAA answers POST /2/activity/subscriptions.
// https://docs.x.com/x-api/activity/create-x-activity-subscription
// (CreateActivitySubscriptionRequest, CreateActivitySubscriptionResponse)
func (s *Server) createXAA(w http.ResponseWriter, r *http.Request) {
	raw, ok := readJSON(w, r)
	if !ok {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	asUser, ok := s.userOrApp(w, r, raw)
	if !ok {
		return
	}
	var b struct {
		EventType *string `json:"event_type"`
		Filter    *struct {
			Direction  *string        `json:"direction"`
			Keyword    *string        `json:"keyword"`
			Qualifiers map[string]any `json:"qualifiers"`
			UserID     *string        `json:"user_id"`
		} `json:"filter"`
		Tag       *string `json:"tag"`
		WebhookID *string `json:"webhook_id"`
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&b); err != nil || dec.More() {
		invalid(w, "The request body is not a valid CreateActivitySubscriptionRequest: "+errText(err))
		return
	}
	switch {
	case b.EventType == nil:
		invalid(w, "The `event_type` field is required.")
		return
	case !eventTypes[*b.EventType]:
		invalid(w, "The `event_type` field value ["+*b.EventType+"] is not one of the allowed values")
		return
	case b.Filter == nil:
		invalid(w, "The `filter` field is required.")
		return
	case b.Tag != nil && (*b.Tag == "" || utf8.RuneCountInString(*b.Tag) > 200):
		invalid(w, "The `tag` field must be 1 to 200 characters long.")
		return
	case b.WebhookID != nil && !idPattern.MatchString(*b.WebhookID):
		invalid(w, "The `webhook_id` field value ["+*b.WebhookID+"] does not match ^[0-9]{1,19}$")
		return
	}
	f := xaaFilter{Qualifiers: b.Filter.Qualifiers}
	for _, p := range []struct {
		name string
		v    *string
		to   *string
		ok   func(string) bool
	}{
		{"direction", b.Filter.Direction, &f.Direction, func(v string) bool { return v == "inbound" || v == "outbound" }},
		{"keyword", b.Filter.Keyword, &f.Keyword, func(v string) bool { n := utf8.RuneCountInString(v); return n >= 1 && n <= 150 }},
		{"user_id", b.Filter.UserID, &f.UserID, idPattern.MatchString},
	} {
		if p.v != nil {
			if !p.ok(*p.v) {
				invalid(w, "The `filter."+p.name+"` field value ["+*p.v+"] is not valid")
				return
			}
			*p.to = *p.v
		}
	}
	typ := *b.EventType
	if typ == "chat.conversation_join" { // "responses always use the canonical name"
		typ = "chat.conversation.join"
	}
	if f.Direction != "" && (strings.HasPrefix(typ, "mute.") || strings.HasPrefix(typ, "block.")) {
		invalid(w, "The `filter.direction` field is not supported for "+typ+" events.")
		return
	}
	if ownOnly(typ) {
		switch {
		case !asUser:
			writeJSON(w, http.StatusForbidden, map[string]any{"errors": []map[string]any{
				{"message": "Your credentials do not allow access to this resource", "code": 220}}})
			return
		case f.UserID == "":
			invalid(w, "The `filter.user_id` field is required for "+typ+" events.")
			return
		case f.UserID != UserID:
			// Another user has not authorized the app: a not-authorized-for-resource
			// problem (https://docs.x.com/x-api/fundamentals/response-codes-and-errors).
			writeJSON(w, http.StatusForbidden, map[string]any{
				"title": "Forbidden", "status": http.StatusForbidden,
				"detail":        "Sorry, you are not authorized to subscribe to " + typ + " events of the user with id [" + f.UserID + "].",
				"type":          "https://api.x.com/2/problems/not-authorized-for-resource",
				"resource_type": "user", "resource_id": f.UserID, "section": "data"})
			return
		}
	}
	x := &xaaSub{eventType: typ, filter: f}
	if b.WebhookID != nil {
		if s.webhook(*b.WebhookID) == nil {
			failed(w, "WebhookIdInvalid", "")
			return
		}
		x.webhookID = *b.WebhookID
	}
	if b.Tag != nil {
		x.tag = *b.Tag
	}
	for _, o := range s.subs.xaa {
		if o.eventType == x.eventType && o.webhookID == x.webhookID && sameFilter(o.filter, x.filter) {
			failed(w, "DuplicateSubscriptionFailed", "A subscription with this event_type, filter and webhook_id exists already: "+o.id+".")
			return
		}
	}
	x.id = strconv.FormatUint(s.subs.nextID, 10)
	s.subs.nextID++
	x.created = s.now()
	x.updated = x.created
	s.subs.xaa = append(s.subs.xaa, x)
	writeJSON(w, http.StatusOK, map[string]any{"data": map[string]any{"subscription": subscriptionJSON(x)}})
}

func errText(err error) string {
	if err == nil {
		return "data after the object"
	}
	return err.Error()
}

func sameFilter(a, b xaaFilter) bool {
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	return bytes.Equal(ja, jb)
}

// listXAA answers GET /2/activity/subscriptions: every subscription, in
// one page (the fake never needs a pagination_token).
// https://docs.x.com/x-api/activity/introduction (OpenAPI getActivitySubscriptions,
// GetActivitySubscriptionsResponse)
func (s *Server) listXAA(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.userOrApp(w, r, nil); !ok {
		return
	}
	q := r.URL.Query()
	n := 1000
	if v := q.Get("max_results"); v != "" {
		m, err := strconv.Atoi(v)
		if err != nil || m < 1 || m > 1000 {
			invalid(w, "The `max_results` query parameter value ["+v+"] is not between 1 and 1000")
			return
		}
		n = m
	}
	if v, ok := q["pagination_token"]; ok {
		invalid(w, "The `pagination_token` query parameter value ["+v[0]+"] is not valid")
		return
	}
	data := []map[string]any{}
	for _, x := range s.subs.xaa[:min(n, len(s.subs.xaa))] {
		data = append(data, subscriptionJSON(x))
	}
	writeJSON(w, http.StatusOK, map[string]any{"data": data})
}

// deleteXAA answers DELETE /2/activity/subscriptions/{id}; an unknown id
// is a 404 resource-not-found (docs/fake-x.md).
// https://docs.x.com/x-api/activity/deletes-x-activity-subscription
// (DeleteActivitySubscriptionResponse; ResourceNotFoundProblem)
func (s *Server) deleteXAA(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.userOrApp(w, r, nil); !ok {
		return
	}
	id := r.PathValue("id")
	i := slices.IndexFunc(s.subs.xaa, func(x *xaaSub) bool { return x.id == id })
	if i < 0 {
		writeJSON(w, http.StatusNotFound, map[string]any{
			"errors": []map[string]any{{"message": "Could not find subscription with id: [" + id + "].", "reason": "SubscriptionNotFound"}},
			"title":  "Not Found Error", "detail": "Could not find subscription with id: [" + id + "].",
			"type":          "https://api.x.com/2/problems/resource-not-found",
			"resource_type": "subscription", "resource_id": id, "parameter": "subscription_id", "value": id,
			"status": http.StatusNotFound})
		return
	}
	s.subs.xaa = slices.Delete(s.subs.xaa, i, i+1)
	writeJSON(w, http.StatusOK, map[string]any{"data": map[string]bool{"deleted": true}})
}
