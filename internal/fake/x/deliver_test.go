package fakex

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"
	"time"
)

// subscribeAll subscribes the bot to webhook id for Account Activity and
// for X Activity post.mention.create events tagged "mentions".
func subscribeAll(t *testing.T, s *Server, id string) {
	t.Helper()
	if a := call(t, s, "POST", "/2/account_activity/webhooks/"+id+"/subscriptions/all", `{}`, "oauth"); a.status != 200 {
		t.Fatalf("AAA: %d %s", a.status, a.body)
	}
	if a := call(t, s, "POST", "/2/activity/subscriptions", `{"event_type":"post.mention.create","filter":{"user_id":"`+UserID+`"},"webhook_id":"`+id+`","tag":"mentions"}`, "oauth"); a.status != 200 {
		t.Fatalf("XAA: %d %s", a.status, a.body)
	}
}

// signedBy checks a delivery's signature as the quickstart tells a
// consumer to: HMAC-SHA256 of the raw body with the consumer secret.
func signedBy(secret string, r received) bool {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write(r.body)
	want := "sha256=" + base64.StdEncoding.EncodeToString(mac.Sum(nil))
	return hmac.Equal([]byte(r.header.Get("X-Twitter-Webhooks-Signature")), []byte(want))
}

func TestDeliveries(t *testing.T) {
	s, id, rc := withWebhook(t)
	subscribeAll(t, s, id)
	s.AddMention(Mention{AuthorID: "42", Username: "alice", Text: "@fake before Deliver"})
	if len(rc.received()) != 0 || len(s.Deliveries()) != 0 {
		t.Fatal("delivered while off")
	}
	s.Deliver(true)
	created := time.Date(2026, 7, 24, 21, 23, 23, 0, time.UTC)
	m := s.AddMention(Mention{AuthorID: "42", Username: "alice", Text: "hey @fake", CreatedAt: created})
	got := rc.received() // AddMention has returned: both are in already
	if len(got) != 2 {
		t.Fatalf("%d deliveries received, want 2", len(got))
	}
	for _, r := range got {
		if r.path != "/events" || !signedBy(cred.ConsumerSecret, r) || signedBy("other secret", r) ||
			r.header.Get("Content-Type") != "application/json" {
			t.Errorf("delivery to %s, headers %v", r.path, r.header)
		}
	}
	sameJSON(t, "AAA payload", string(got[0].body), `{"for_user_id":"`+UserID+`","user_has_blocked":"false","tweet_create_events":[{
		"created_at":"Fri Jul 24 21:23:23 +0000 2026","id":`+m+`,"id_str":"`+m+`","text":"hey @fake","truncated":false,
		"display_text_range":[0,9],"in_reply_to_status_id_str":null,
		"user":{"id":42,"id_str":"42","name":"alice","screen_name":"alice"},
		"entities":{"hashtags":[],"urls":[],"symbols":[],"user_mentions":[{"screen_name":"fake","id":`+UserID+`,"id_str":"`+UserID+`","indices":[4,9]}]}}]}`)
	var aaa struct {
		Events []struct {
			CreatedAt string `json:"created_at"`
		} `json:"tweet_create_events"`
	}
	if err := json.Unmarshal(got[0].body, &aaa); err != nil {
		t.Fatal(err)
	}
	if at, err := time.Parse(time.RubyDate, aaa.Events[0].CreatedAt); err != nil || !at.Equal(created) {
		t.Errorf("created_at %q: %v", aaa.Events[0].CreatedAt, err)
	}
	sameJSON(t, "XAA event", string(got[1].body), `{"data":{"event_uuid":"1880000000000000001","filter":{"user_id":"`+UserID+`"},
		"event_type":"post.mention.create","tag":"mentions",
		"payload":{"id":"`+m+`","text":"hey @fake","author_id":"42","created_at":"2026-07-24T21:23:23.000Z","conversation_id":"`+m+`",
			"edit_history_tweet_ids":["`+m+`"],"entities":{"mentions":[{"start":4,"end":9,"username":"fake","id":"`+UserID+`"}]}},
		"includes":{"users":[{"id":"42","name":"alice","username":"alice"},{"id":"`+UserID+`","name":"Fake","username":"fake"}]}}}`)
	ds := s.Deliveries()
	if len(ds) != 2 || ds[0].Kind != "aaa" || ds[1].Kind != "xaa" || ds[0].Status != 200 || ds[1].Err != nil ||
		ds[0].URL != hookURL || ds[1].WebhookID != id || string(ds[1].Body) != string(got[1].body) {
		t.Errorf("Deliveries() = %+v", ds)
	}

	// Which posts go where.
	_, b := send(t, "POST", s.URL()+"/2/tweets", `{"text":"a post of the bot"}`, cred, "own")
	var own struct{ Data struct{ ID string } }
	_ = json.Unmarshal([]byte(b), &own)
	for _, c := range []struct {
		name  string
		m     Mention
		kinds string
	}{
		{"repost of a mention", Mention{Text: "RT @alice: hey @fake", Retweet: true, ReplyTo: m}, "aaa"},
		{"reply without @", Mention{Text: "nice post", ReplyTo: own.Data.ID}, "aaa"},
		{"reply with @", Mention{Text: "@fake nice post", ReplyTo: own.Data.ID}, "aaa,xaa"},
		{"someone else's talk", Mention{Text: "@bob hello"}, ""},
		{"long post", Mention{Text: "a long…", NoteText: "a long post that ends with @fake"}, "aaa,xaa"},
	} {
		before := len(s.Deliveries())
		c.m.AuthorID, c.m.Username = "42", "alice"
		s.AddMention(c.m)
		var kinds []string
		for _, d := range s.Deliveries()[before:] {
			kinds = append(kinds, d.Kind)
		}
		if strings.Join(kinds, ",") != c.kinds {
			t.Errorf("%s: delivered %v, want %s", c.name, kinds, c.kinds)
		}
	}
	last := s.Deliveries()
	var long struct {
		Events []struct {
			Truncated bool `json:"truncated"`
			Extended  struct {
				FullText string `json:"full_text"`
				Entities struct {
					Mentions []struct {
						Indices []int `json:"indices"`
					} `json:"user_mentions"`
				} `json:"entities"`
			} `json:"extended_tweet"`
		} `json:"tweet_create_events"`
	}
	if err := json.Unmarshal(last[len(last)-2].Body, &long); err != nil || !long.Events[0].Truncated ||
		long.Events[0].Extended.FullText != "a long post that ends with @fake" || long.Events[0].Extended.Entities.Mentions[0].Indices[0] != 27 {
		t.Errorf("long post: %v %s", err, last[len(last)-2].Body)
	}

	// Not to an invalid webhook, nor while off.
	n := len(s.Deliveries())
	s.SetWebhookValid(id, false)
	s.AddMention(Mention{AuthorID: "42", Username: "alice", Text: "@fake while invalid"})
	s.SetWebhookValid(id, true)
	s.Deliver(false)
	s.AddMention(Mention{AuthorID: "42", Username: "alice", Text: "@fake while off"})
	if len(s.Deliveries()) != n {
		t.Errorf("delivered to an invalid webhook or while off: %+v", s.Deliveries()[n:])
	}
	// A consumer that is gone: the delivery records why.
	s.Deliver(true)
	rc.srv.Close()
	s.AddMention(Mention{AuthorID: "42", Username: "alice", Text: "@fake nobody listens"})
	ds = s.Deliveries()[n:]
	if len(ds) != 2 || ds[0].Err == nil || ds[0].Status != 0 {
		t.Errorf("to a closed consumer: %+v", ds)
	}
}

// TestConcurrentUse runs mentions, deliveries, posts, timeline reads and
// webhook checks at once, for the race detector.
func TestConcurrentUse(t *testing.T) {
	s, id, _ := withWebhook(t)
	subscribeAll(t, s, id)
	s.Deliver(true)
	done := make(chan bool)
	for g := range 4 {
		go func() {
			defer func() { done <- true }()
			for i := range 10 {
				switch g {
				case 0:
					s.AddMention(Mention{AuthorID: "42", Username: "alice", Text: "@fake " + time.Duration(i).String()})
				case 1:
					call(t, s, "GET", mentionsPath+"?max_results=5&tweet.fields=entities&expansions=author_id", "", "oauth")
				case 2:
					call(t, s, "POST", "/2/tweets", `{"text":"@fake self `+time.Duration(i).String()+`"}`, "oauth")
				case 3:
					call(t, s, "PUT", "/2/webhooks/"+id, "", "bearer")
					_ = s.Webhooks()
					_ = s.Deliveries()
				}
			}
		}()
	}
	for range 4 {
		<-done
	}
	if p := readPage(t, s, "max_results=100"); len(p.Data) != 20 {
		t.Errorf("%d posts in the timeline, want 20", len(p.Data))
	}
	if n := len(s.Deliveries()); n != 20 {
		t.Errorf("%d deliveries, want 20", n)
	}
}
