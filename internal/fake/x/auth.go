package fakex

import (
	"crypto/hmac"
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/reinvent-cli/reinvent/pkg/x"
)

// errReplay refuses a request whose nonce and timestamp were used before.
var errReplay = errors.New("nonce and timestamp used before")

// ParseAuthorization reads an "OAuth k1="v1", k2="v2"" header into its
// percent-decoded parameters. It rejects a header that is not OAuth, a
// parameter without a quoted value, and a repeated parameter.
func ParseAuthorization(h string) (map[string]string, error) {
	rest, ok := strings.CutPrefix(h, "OAuth ")
	if !ok {
		return nil, errors.New("not an OAuth authorization")
	}
	params := map[string]string{}
	for {
		rest = strings.TrimLeft(rest, " \t")
		if rest == "" {
			return params, nil
		}
		name, after, ok := strings.Cut(rest, "=")
		if !ok || name == "" || strings.ContainsAny(name, " \t,\"") {
			return nil, errors.New("malformed OAuth parameter")
		}
		if !strings.HasPrefix(after, `"`) {
			return nil, errors.New("unquoted OAuth parameter " + name)
		}
		raw, tail, ok := strings.Cut(after[1:], `"`)
		if !ok {
			return nil, errors.New("unterminated OAuth parameter " + name)
		}
		k, err1 := url.PathUnescape(name)
		v, err2 := url.PathUnescape(raw)
		if err1 != nil || err2 != nil {
			return nil, errors.New("bad escape in OAuth parameter " + name)
		}
		if _, dup := params[k]; dup {
			return nil, errors.New("repeated OAuth parameter " + k)
		}
		params[k] = v
		tail = strings.TrimLeft(tail, " \t")
		if tail != "" && tail[0] != ',' {
			return nil, errors.New("missing comma after OAuth parameter " + name)
		}
		rest = strings.TrimPrefix(tail, ",")
	}
}

// verify checks the OAuth 1.0a signature of r, whose body is body, with the
// fake's credentials and returns its nonce and timestamp. A form-encoded
// body is signed; a JSON one is not.
func (s *Server) verify(r *http.Request, body []byte) (string, error) {
	p, err := ParseAuthorization(r.Header.Get("Authorization"))
	if err != nil {
		return "", err
	}
	switch {
	case p["oauth_consumer_key"] != s.cred.ConsumerKey:
		return "", errors.New("unknown consumer key")
	case p["oauth_token"] != s.cred.AccessToken:
		return "", errors.New("unknown access token")
	case p["oauth_signature_method"] != "HMAC-SHA1":
		return "", errors.New("signature method is not HMAC-SHA1")
	case p["oauth_version"] != "" && p["oauth_version"] != "1.0":
		return "", errors.New("OAuth version is not 1.0")
	case p["oauth_nonce"] == "" || p["oauth_timestamp"] == "" || p["oauth_signature"] == "":
		return "", errors.New("nonce, timestamp or signature missing")
	}
	params := url.Values{}
	for k, v := range p {
		if k != "oauth_signature" {
			params.Set(k, v)
		}
	}
	if strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-www-form-urlencoded") {
		form, err := url.ParseQuery(string(body))
		if err != nil {
			return "", err
		}
		for k, vs := range form {
			params[k] = append(params[k], vs...)
		}
	}
	u := "http://" + r.Host + r.URL.RequestURI()
	want, err := x.Signature(r.Method, u, params, s.cred.ConsumerSecret, s.cred.AccessTokenSecret)
	if err != nil {
		return "", err
	}
	if !hmac.Equal([]byte(want), []byte(p["oauth_signature"])) {
		return "", errors.New("signature mismatch")
	}
	return p["oauth_nonce"] + "/" + p["oauth_timestamp"], nil
}
