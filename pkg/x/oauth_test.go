package x

import (
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"
)

// vector is the example of X's "Creating a signature" documentation.
var vector = struct {
	cred      Credentials
	nonce     string
	ts        time.Time
	url       string
	form      url.Values
	base      string
	signature string
}{
	cred: Credentials{
		ConsumerKey:       "xvz1evFS4wEEPTGEFPHBog",
		ConsumerSecret:    "kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw",
		AccessToken:       "370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb",
		AccessTokenSecret: "LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE",
	},
	nonce: "kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg",
	ts:    time.Unix(1318622958, 0),
	url:   "https://api.twitter.com/1.1/statuses/update.json?include_entities=true",
	form:  url.Values{"status": {"Hello Ladies + Gentlemen, a signed OAuth request!"}},
	base: "POST&https%3A%2F%2Fapi.twitter.com%2F1.1%2Fstatuses%2Fupdate.json&include_entities%3Dtrue%26" +
		"oauth_consumer_key%3Dxvz1evFS4wEEPTGEFPHBog%26oauth_nonce%3DkYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg%26" +
		"oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1318622958%26" +
		"oauth_token%3D370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb%26oauth_version%3D1.0%26" +
		"status%3DHello%2520Ladies%2520%252B%2520Gentlemen%252C%2520a%2520signed%2520OAuth%2520request%2521",
	signature: "hCtSmYh+iHYCEqBWrE7C7hYmtUk=",
}

func TestAuthorizationMatchesXDocumentation(t *testing.T) {
	v := vector
	h, err := v.cred.Authorization("POST", v.url, v.form, v.nonce, v.ts)
	if err != nil {
		t.Fatal(err)
	}
	want := `OAuth oauth_consumer_key="xvz1evFS4wEEPTGEFPHBog", ` +
		`oauth_nonce="kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg", ` +
		`oauth_signature="hCtSmYh%2BiHYCEqBWrE7C7hYmtUk%3D", oauth_signature_method="HMAC-SHA1", ` +
		`oauth_timestamp="1318622958", oauth_token="370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb", ` +
		`oauth_version="1.0"`
	if h != want {
		t.Errorf("Authorization =\n%s\nwant\n%s", h, want)
	}

	params := url.Values{
		"status":                 v.form["status"],
		"oauth_consumer_key":     {v.cred.ConsumerKey},
		"oauth_nonce":            {v.nonce},
		"oauth_signature_method": {"HMAC-SHA1"},
		"oauth_timestamp":        {"1318622958"},
		"oauth_token":            {v.cred.AccessToken},
		"oauth_version":          {"1.0"},
	}
	u, _ := url.Parse(v.url)
	all := url.Values{"include_entities": {"true"}}
	for k, vs := range params {
		all[k] = vs
	}
	if got := baseString("post", u, all); got != v.base {
		t.Errorf("base string =\n%s\nwant\n%s", got, v.base)
	}
	sig, err := Signature("POST", v.url, params, v.cred.ConsumerSecret, v.cred.AccessTokenSecret)
	if err != nil || sig != v.signature {
		t.Errorf("Signature = %q, %v; want %q", sig, err, v.signature)
	}
}

func TestSignatureChangesWithEverySignedPart(t *testing.T) {
	v := vector
	sign := func(method, u string, p url.Values, cs, ts string) string {
		s, err := Signature(method, u, p, cs, ts)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	ref := sign("POST", "https://api.x.com/2/tweets", url.Values{"oauth_nonce": {"n"}}, "cs", "ts")
	for name, other := range map[string]string{
		"method":          sign("GET", "https://api.x.com/2/tweets", url.Values{"oauth_nonce": {"n"}}, "cs", "ts"),
		"path":            sign("POST", "https://api.x.com/2/tweet", url.Values{"oauth_nonce": {"n"}}, "cs", "ts"),
		"query":           sign("POST", "https://api.x.com/2/tweets?a=1", url.Values{"oauth_nonce": {"n"}}, "cs", "ts"),
		"param":           sign("POST", "https://api.x.com/2/tweets", url.Values{"oauth_nonce": {"m"}}, "cs", "ts"),
		"consumer secret": sign("POST", "https://api.x.com/2/tweets", url.Values{"oauth_nonce": {"n"}}, "cx", "ts"),
		"token secret":    sign("POST", "https://api.x.com/2/tweets", url.Values{"oauth_nonce": {"n"}}, "cs", "tx"),
	} {
		if other == ref {
			t.Errorf("changing the %s kept the signature", name)
		}
	}
	// The scheme and host are case-insensitive, so they sign the same.
	if got := sign("POST", "HTTPS://API.X.COM/2/tweets", url.Values{"oauth_nonce": {"n"}}, "cs", "ts"); got != ref {
		t.Errorf("upper-case host changed the signature")
	}
	if _, err := Signature("POST", "://bad", nil, v.cred.ConsumerSecret, ""); err == nil {
		t.Error("a malformed URL was signed")
	}
}

func TestMissing(t *testing.T) {
	if m := (Credentials{}).Missing(); !slices.Equal(m, []string{"x-consumer-key", "x-consumer-secret", "x-access-token", "x-access-token-secret"}) {
		t.Errorf("Missing() of empty = %v", m)
	}
	if m := vector.cred.Missing(); m != nil {
		t.Errorf("Missing() of full = %v", m)
	}
	if m := (Credentials{ConsumerKey: "k", AccessToken: "t"}).Missing(); !slices.Equal(m, []string{"x-consumer-secret", "x-access-token-secret"}) {
		t.Errorf("Missing() of half = %v", m)
	}
}

func TestPercentEncode(t *testing.T) {
	for in, want := range map[string]string{
		"":                   "",
		"Ladies + Gentlemen": "Ladies%20%2B%20Gentlemen",
		"An encoded string!": "An%20encoded%20string%21",
		"Dogs, Cats & Mice":  "Dogs%2C%20Cats%20%26%20Mice",
		"☃":                  "%E2%98%83",
		"-._~azAZ09":         "-._~azAZ09",
		"a/b?c=d*e'f(g)":     "a%2Fb%3Fc%3Dd%2Ae%27f%28g%29",
	} {
		if got := PercentEncode(in); got != want {
			t.Errorf("PercentEncode(%q) = %q, want %q", in, got, want)
		}
	}
}

// FuzzPercentEncode checks the RFC 3986 properties: only unreserved bytes
// and upper-case %XX come out, unreserved bytes pass as they are, and
// decoding gives the input back.
func FuzzPercentEncode(f *testing.F) {
	for _, s := range []string{"", "Hello Ladies + Gentlemen, a signed OAuth request!", "☃ 👍🏽", "%41", "\x00\xff", "~-._"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		enc := PercentEncode(s)
		for i := 0; i < len(enc); i++ {
			c := enc[i]
			if c == '%' {
				if i+2 >= len(enc) || !strings.ContainsRune("0123456789ABCDEF", rune(enc[i+1])) || !strings.ContainsRune("0123456789ABCDEF", rune(enc[i+2])) {
					t.Fatalf("bad escape in %q", enc)
				}
				i += 2
				continue
			}
			if !unreserved(c) {
				t.Fatalf("reserved byte %q left in %q", c, enc)
			}
		}
		dec, err := url.PathUnescape(enc)
		if err != nil || dec != s {
			t.Fatalf("decode(%q) = %q, %v; want %q", enc, dec, err, s)
		}
		n := 0
		for i := 0; i < len(s); i++ {
			if unreserved(s[i]) {
				n++
			} else {
				n += 3
			}
		}
		if len(enc) != n {
			t.Fatalf("len(PercentEncode(%q)) = %d, want %d", s, len(enc), n)
		}
	})
}
