package main

import (
	"bytes"
	"fmt"
	"net/url"
	"strconv"

	"github.com/reinvent-cli/reinvent/pkg/webhook"
)

// idWidth is the width of the post, user and token numbers patched into a
// request: a 19-digit post id, as X's are.
const idWidth = 19

// A delivery of one mention as X's Account Activity API sends it, about
// 1.9 KB. %[1]s is the post id, %[2]s the author's id (the screen name is
// one valid handle for all: the per-user limit counts ids), %[3]s the bot's
// handle; ids are patched in place per request.
const deliveryTemplate = `{"for_user_id":"1460000000000000001","tweet_create_events":[{"created_at":"Mon Dec 01 17:05:12 +0000 2026","id":%[1]s,"id_str":"%[1]s","text":"Planning my week at re:Invent! Keynotes first, then the deep dives: SVS215, CON213, API304, ARC302-R1 and DAT335.\u2026 https://t.co/xYz1AbC2dE","source":"<a href=\"https://mobile.x.com\" rel=\"nofollow\">X Web App</a>","truncated":true,"in_reply_to_status_id":null,"in_reply_to_status_id_str":null,"in_reply_to_user_id":null,"in_reply_to_user_id_str":null,"in_reply_to_screen_name":null,"user":{"id":%[2]s,"id_str":"%[2]s","name":"Load %[2]s","screen_name":"load_user","location":"Las Vegas, NV","protected":false,"verified":false,"followers_count":312,"friends_count":280,"created_at":"Tue Mar 21 20:50:14 +0000 2017","profile_image_url_https":"https://pbs.twimg.com/profile_images/1/a_normal.jpg"},"geo":null,"coordinates":null,"place":null,"contributors":null,"is_quote_status":false,"quote_count":0,"reply_count":0,"retweet_count":0,"favorite_count":0,"entities":{"hashtags":[],"urls":[{"url":"https://t.co/xYz1AbC2dE","expanded_url":"https://x.com/i/web/status/%[1]s","display_url":"x.com/i/web/status/1\u2026","indices":[116,139]}],"user_mentions":[],"symbols":[]},"favorited":false,"retweeted":false,"filter_level":"low","lang":"en","timestamp_ms":"1764608712000","display_text_range":[0,140],"extended_tweet":{"full_text":"Planning my week at re:Invent! Keynotes first, then the deep dives: SVS215, CON213, API304, ARC302-R1 and DAT335. Coffee at the Venetian in between. @%[3]s can you fit them all in?","display_text_range":[0,186],"entities":{"hashtags":[],"urls":[],"user_mentions":[{"screen_name":"%[3]s","name":"%[3]s","id":1460000000000000001,"id_str":"1460000000000000001","indices":[149,161]}],"symbols":[]}}}]}`

// Placeholders that mark where numbers go; they cannot occur otherwise.
var (
	postMark  = bytes.Repeat([]byte{'P'}, idWidth)
	userMark  = bytes.Repeat([]byte{'U'}, idWidth)
	tokenMark = bytes.Repeat([]byte{'T'}, idWidth)
	sigMark   = bytes.Repeat([]byte{'S'}, len(webhook.Sign("", nil)))
)

// request is one worker's HTTP/1.1 request, patched in place before each
// send: the numbers in the body, and the signature that covers them.
type request struct {
	buf    []byte // the whole request: head and body
	body   []byte // buf's body
	secret string
	post   []int // offsets in buf of the post id
	user   []int // of the author's id
	token  []int // of the CRC token
	sig    int   // of the signature, -1 for GET
}

// newRequest builds the request of mode ("post" or "crc") to u.
func newRequest(mode string, u *url.URL, secret, handle string) (*request, error) {
	var head, body []byte
	switch mode {
	case "post":
		body = fmt.Appendf(nil, deliveryTemplate, postMark, userMark, handle)
		head = fmt.Appendf(nil, "POST %s HTTP/1.1\r\nHost: %s\r\nUser-Agent: reinvent-loadgen\r\nContent-Type: application/json\r\nContent-Length: %d\r\n%s: %s\r\n\r\n",
			u.RequestURI(), u.Host, len(body), webhook.SignatureHeader, sigMark)
	case "crc":
		q := u.Query()
		q.Set("crc_token", string(tokenMark))
		path := *u
		path.RawQuery = q.Encode()
		head = fmt.Appendf(nil, "GET %s HTTP/1.1\r\nHost: %s\r\nUser-Agent: reinvent-loadgen\r\n\r\n", path.RequestURI(), u.Host)
	default:
		return nil, fmt.Errorf("unknown -mode %q: use post or crc", mode)
	}
	r := &request{buf: append(head, body...), secret: secret, sig: -1}
	r.body = r.buf[len(head):]
	r.post = offsets(r.buf, postMark)
	r.user = offsets(r.buf, userMark)
	r.token = offsets(r.buf, tokenMark)
	if s := offsets(r.buf, sigMark); len(s) == 1 {
		r.sig = s[0]
	}
	return r, nil
}

// offsets returns where mark occurs in b.
func offsets(b, mark []byte) []int {
	var at []int
	for i := 0; ; {
		k := bytes.Index(b[i:], mark)
		if k < 0 {
			return at
		}
		at = append(at, i+k)
		i += k + len(mark)
	}
}

// set writes post as the post id and CRC token and user as the author's
// id, and signs the body.
func (r *request) set(post, user uint64) {
	for _, at := range r.post {
		putNumber(r.buf[at:at+idWidth], post)
	}
	for _, at := range r.token {
		putNumber(r.buf[at:at+idWidth], post)
	}
	for _, at := range r.user {
		putNumber(r.buf[at:at+idWidth], user)
	}
	if r.sig >= 0 {
		copy(r.buf[r.sig:], webhook.Sign(r.secret, r.body))
	}
}

// putNumber writes n into b as decimal digits, zero-padded on the left;
// a leading 1 keeps the number free of leading zeros.
func putNumber(b []byte, n uint64) {
	var tmp [20]byte
	s := strconv.AppendUint(tmp[:0], n, 10)
	for i := range b {
		b[i] = '0'
	}
	b[0] = '1'
	copy(b[len(b)-len(s):], s)
}
