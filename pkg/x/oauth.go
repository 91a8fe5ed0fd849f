package x

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha1"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Credentials are the OAuth 1.0a app (consumer) and user (access token)
// credentials a post is signed with.
type Credentials struct {
	ConsumerKey       string
	ConsumerSecret    string
	AccessToken       string
	AccessTokenSecret string
}

// Missing returns the names of the settings that are empty, spelled as the
// configuration spells them, so a command can say which ones to set.
func (c Credentials) Missing() []string {
	var m []string
	for _, f := range []struct{ name, v string }{
		{"x-consumer-key", c.ConsumerKey},
		{"x-consumer-secret", c.ConsumerSecret},
		{"x-access-token", c.AccessToken},
		{"x-access-token-secret", c.AccessTokenSecret},
	} {
		if f.v == "" {
			m = append(m, f.name)
		}
	}
	return m
}

// MissingApp is Missing of the app's own credentials alone, the consumer
// key and secret, which the app-only bearer token is asked for with.
func (c Credentials) MissingApp() []string {
	return slices.DeleteFunc(c.Missing(), func(name string) bool { return name == "x-access-token" || name == "x-access-token-secret" })
}

// PercentEncode encodes s as OAuth 1.0a requires (RFC 3986 section 2.1):
// every byte except the unreserved ALPHA, DIGIT, "-", ".", "_" and "~"
// becomes %XX with upper-case hex.
func PercentEncode(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		if unreserved(c) {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte("0123456789ABCDEF"[c>>4])
		b.WriteByte("0123456789ABCDEF"[c&15])
	}
	return b.String()
}

func unreserved(c byte) bool {
	return 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' ||
		c == '-' || c == '.' || c == '_' || c == '~'
}

// baseString is the OAuth 1.0a signature base string: the method, the URL
// without query or fragment, and the sorted, encoded parameters.
func baseString(method string, u *url.URL, params url.Values) string {
	type pair struct{ k, v string }
	var ps []pair
	for k, vs := range params {
		for _, v := range vs {
			ps = append(ps, pair{PercentEncode(k), PercentEncode(v)})
		}
	}
	sort.Slice(ps, func(i, j int) bool {
		if ps[i].k != ps[j].k {
			return ps[i].k < ps[j].k
		}
		return ps[i].v < ps[j].v
	})
	var norm strings.Builder
	for i, p := range ps {
		if i > 0 {
			norm.WriteByte('&')
		}
		norm.WriteString(p.k + "=" + p.v)
	}
	base := strings.ToLower(u.Scheme) + "://" + strings.ToLower(u.Host) + u.EscapedPath()
	if u.EscapedPath() == "" {
		base += "/"
	}
	return strings.ToUpper(method) + "&" + PercentEncode(base) + "&" + PercentEncode(norm.String())
}

// Signature returns the base64 HMAC-SHA1 signature of a request: method,
// rawURL (its query is signed too), and params, which hold the oauth_*
// parameters (without oauth_signature) plus any form-encoded body. A JSON
// body is not signed.
func Signature(method, rawURL string, params url.Values, consumerSecret, tokenSecret string) (string, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return "", fmt.Errorf("sign request: %w", err)
	}
	all := url.Values{}
	for k, vs := range u.Query() {
		all[k] = append(all[k], vs...)
	}
	for k, vs := range params {
		all[k] = append(all[k], vs...)
	}
	mac := hmac.New(sha1.New, []byte(PercentEncode(consumerSecret)+"&"+PercentEncode(tokenSecret)))
	mac.Write([]byte(baseString(method, u, all)))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil)), nil
}

// Authorization returns the value of the Authorization header of a request
// signed with c, nonce and the timestamp ts; form is a form-encoded body,
// nil for a JSON one.
func (c Credentials) Authorization(method, rawURL string, form url.Values, nonce string, ts time.Time) (string, error) {
	oauth := map[string]string{
		"oauth_consumer_key":     c.ConsumerKey,
		"oauth_nonce":            nonce,
		"oauth_signature_method": "HMAC-SHA1",
		"oauth_timestamp":        strconv.FormatInt(ts.Unix(), 10),
		"oauth_token":            c.AccessToken,
		"oauth_version":          "1.0",
	}
	params := url.Values{}
	for k, vs := range form {
		params[k] = append(params[k], vs...)
	}
	for k, v := range oauth {
		params.Set(k, v)
	}
	sig, err := Signature(method, rawURL, params, c.ConsumerSecret, c.AccessTokenSecret)
	if err != nil {
		return "", err
	}
	oauth["oauth_signature"] = sig
	keys := make([]string, 0, len(oauth))
	for k := range oauth {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	b.WriteString("OAuth ")
	for i, k := range keys {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(PercentEncode(k) + `="` + PercentEncode(oauth[k]) + `"`)
	}
	return b.String(), nil
}

// newNonce returns 16 random bytes as 32 hex digits, unique per request.
func newNonce() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails
	return hex.EncodeToString(b[:])
}
