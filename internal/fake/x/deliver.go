package fakex

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"
)

// firstEventID is the event_uuid of the first X Activity event.
const firstEventID = 1880000000000000001

// Delivery is one POST of an event to a webhook.
type Delivery struct {
	WebhookID string
	URL       string // the webhook's registered URL
	Kind      string // "aaa" (Account Activity) or "xaa" (X Activity)
	Body      []byte // the signed body
	Status    int    // the webhook's answer, 0 when there was none
	Err       error  // why there was no answer (no route, refused, timeout)
}

type deliveryState struct {
	on     bool
	log    []Delivery
	nextID uint64
}

// Deliver turns deliveries on or off (off at first). While on, AddMention
// POSTs the new post to every valid webhook with a subscription for the
// bot: an Account Activity tweet_create_events payload for each AAA
// subscription, an X Activity post.mention.create event for each such XAA
// subscription. Each is signed in x-twitter-webhooks-signature and sent,
// one after another, before AddMention returns; none is retried.
func (s *Server) Deliver(on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.dl.on = on
}

// Deliveries returns the deliveries made, in order.
func (s *Server) Deliveries() []Delivery {
	s.mu.Lock()
	defer s.mu.Unlock()
	ds := make([]Delivery, len(s.dl.log))
	for i, d := range s.dl.log {
		ds[i] = d
		ds[i].Body = append([]byte(nil), d.Body...)
	}
	return ds
}

// job is a delivery still to make.
type job struct {
	d      Delivery
	target string // "" without a route
}

// deliveriesFor returns the deliveries of a new post t. AAA gets the
// posts that @mention the bot or reply to or repost one of its posts
// ("@mentions (of user)", "Replies (to or from user)", "Reposts (by user
// or of user)"); XAA post.mention.create gets those that @mention it in
// their text and are not reposts ("Does not fire for implicit mentions
// carried by replies or reposts"). It is called with s.mu held.
// https://docs.x.com/x-api/account-activity/introduction (Activity Types)
// https://docs.x.com/x-api/activity/event-payloads (post.mention.create)
func (s *Server) deliveriesFor(t *tweet) []job {
	if !s.dl.on || t.author == UserID {
		return nil
	}
	mentions := s.mentionsBot(t)
	toBot := false
	if ref := s.find(t.ref); ref != nil && ref.author == UserID {
		toBot = true
	}
	var jobs []job
	add := func(h *Webhook, kind string, body any) {
		raw, _ := json.Marshal(body)
		target, _ := s.target(h.URL, nil)
		jobs = append(jobs, job{d: Delivery{WebhookID: h.ID, URL: h.URL, Kind: kind, Body: raw}, target: target})
	}
	for _, h := range s.wh.list {
		if !h.Valid {
			continue
		}
		if s.subs.aaa[h.ID][UserID] && (mentions || toBot) {
			// https://docs.x.com/x-api/account-activity/introduction
			// (tweet_create_events (@mentions))
			add(h, "aaa", map[string]any{"for_user_id": UserID, "user_has_blocked": "false",
				"tweet_create_events": []any{s.v1Tweet(t)}})
		}
		if !mentions || t.retweet {
			continue
		}
		for _, x := range s.subs.xaa {
			if x.webhookID == h.ID && x.eventType == "post.mention.create" && x.filter.UserID == UserID {
				add(h, "xaa", s.xaaEvent(t, x))
			}
		}
	}
	return jobs
}

// xaaEvent is the X Activity envelope of a post.mention.create event.
// It is called with s.mu held.
// https://docs.x.com/x-api/activity/event-payloads (envelope; post.mention.create)
func (s *Server) xaaEvent(t *tweet, x *xaaSub) map[string]any {
	fields := set("author_id", "created_at", "conversation_id", "entities", "referenced_tweets", "note_tweet")
	data := map[string]any{
		"event_uuid": strconv.FormatUint(s.nextEventID(), 10),
		"filter":     map[string]string{"user_id": x.filter.UserID},
		"event_type": x.eventType,
		"payload":    s.v2Post(t, fields),
		"includes":   map[string]any{"users": []map[string]string{s.v2User(t.author), s.v2User(UserID)}},
	}
	if x.tag != "" {
		data["tag"] = x.tag
	}
	return map[string]any{"data": data}
}

func (s *Server) nextEventID() uint64 {
	if s.dl.nextID == 0 {
		s.dl.nextID = firstEventID
	}
	id := s.dl.nextID
	s.dl.nextID++
	return id
}

// WebhookSignature is the x-twitter-webhooks-signature of a body: "sha256=" and
// the base64 HMAC-SHA256 of the raw body keyed with the consumer secret.
// https://docs.x.com/x-api/webhooks/quickstart ("Signature verification")
func WebhookSignature(consumerSecret string, body []byte) string {
	mac := hmac.New(sha256.New, []byte(consumerSecret))
	mac.Write(body)
	return "sha256=" + base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// deliver makes the deliveries, one after another, and records them. It
// must be called without s.mu held.
func (s *Server) deliver(jobs []job) {
	for _, j := range jobs {
		d := j.d
		if j.target == "" {
			d.Err = errors.New("no route to " + d.URL)
		} else {
			d.Status, d.Err = s.post(j.target, d.Body)
		}
		s.mu.Lock()
		s.dl.log = append(s.dl.log, d)
		s.mu.Unlock()
	}
}

func (s *Server) post(target string, body []byte) (int, error) {
	ctx, cancel := context.WithTimeout(context.Background(), crcTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, bytes.NewReader(body))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("x-twitter-webhooks-signature", WebhookSignature(s.cred.ConsumerSecret, body))
	s.mu.Lock()
	client, oauth2 := s.wh.client, s.wh.clientSecret
	s.mu.Unlock()
	if oauth2 != "" {
		req.Header.Set("X-Twitter-Webhooks-Signature-OAuth2", WebhookSignature(oauth2, body))
	}
	resp, err := client.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<16))
	return resp.StatusCode, nil
}
