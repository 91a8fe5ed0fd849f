// Package notify delivers private notices to the URLs of the notify setting:
// ntfy with its own client, and email, Slack, Discord, Telegram, generic
// webhooks and the rest of shoutrrr's services through shoutrrr
// (docs/notify.md).
package notify

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"strings"
)

// Priority is how loudly a notice is delivered.
type Priority int

const (
	// Default is an ordinary notice.
	Default Priority = iota
	// High is a notice worth a louder alert (ntfy 4, "high").
	High
	// Urgent is a held seat that now clashes: the service's highest
	// priority (ntfy 5, "urgent").
	Urgent
)

// Notice is one private notice.
type Notice struct {
	// ID is stable and unique per notice: 1 to 64 of A-Z, a-z, 0-9, - and
	// _. ntfy publishes it as the message's sequence id, so that a resend
	// replaces the first copy.
	ID       string
	Title    string
	Message  string
	Priority Priority
	Tags     []string // ntfy tags, or emoji short codes such as "warning"
}

// Sink is one notify URL.
type Sink interface {
	// Service is the URL's scheme: "ntfy", "smtp", "slack", "generic", ...
	Service() string
	// Where is the service and the server's host ("ntfy at ntfy.sh"), or
	// the service alone where the URL's host is not a server. It never
	// holds a topic, token, password or path.
	Where() string
	// Send delivers n. An error leaves the notice pending, for the caller
	// to send again later; its text names the service and host only.
	Send(ctx context.Context, n Notice) error
	// Replaces reports whether sending a notice again with the same ID
	// replaces the first copy instead of adding a second (ntfy with
	// sequence ids), so that a send whose answer was lost may be resent.
	Replaces() bool
}

// Options are what Open needs from its caller. The zero value will do.
type Options struct {
	// HTTPClient is the client of the ntfy sink; nil means one with a
	// 30-second timeout. shoutrrr's senders use their own clients.
	HTTPClient *http.Client
	// Logger gets the sinks' warnings and debug lines, which never hold
	// a URL's secrets; nil discards them.
	Logger *slog.Logger
}

func (o Options) logger() *slog.Logger {
	if o.Logger == nil {
		return slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	return o.Logger
}

// Open parses one notify URL in shoutrrr's syntax and returns its sink.
// ntfy URLs get reinvent's own ntfy client; every other scheme goes
// through shoutrrr. Its errors name the service and host only.
func Open(rawURL string, o Options) (Sink, error) {
	rawURL = strings.TrimSpace(rawURL)
	scheme := schemeOf(rawURL)
	if scheme == "" {
		return nil, &Error{where: "notify URL", msg: "it does not start with a service, such as ntfy:// or smtp://; see docs/notify.md"}
	}
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, &Error{where: scheme + " URL", msg: parseProblem(err)}
	}
	if scheme == "ntfy" {
		return openNtfy(u, o)
	}
	return openShoutrrr(scheme, u, o)
}

// schemeOf returns the lower-cased scheme of a URL, or "" when the text
// before "://" is not one.
func schemeOf(raw string) string {
	scheme, _, ok := strings.Cut(raw, "://")
	if !ok || !schemeName.MatchString(scheme) {
		return ""
	}
	return strings.ToLower(scheme)
}

var schemeName = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9+.-]{0,31}$`)

// Split splits the value of REINVENT_NOTIFY, URLs separated by spaces, into
// URLs. (The config file's notify: is a YAML list, already split.)
func Split(s string) []string { return strings.Fields(s) }

// Key returns a stable identifier of a URL that holds none of its secrets:
// the first 16 hex digits of the SHA-256 of the URL with its scheme and host
// lower-cased and its query sorted. The outbox keeps a notice's state per
// URL under this key.
func Key(rawURL string) string {
	canon := strings.TrimSpace(rawURL)
	if u, err := url.Parse(canon); err == nil {
		u.Scheme = strings.ToLower(u.Scheme)
		u.Host = strings.ToLower(u.Host)
		u.RawQuery = u.Query().Encode()
		canon = u.String()
	}
	sum := sha256.Sum256([]byte(canon))
	return hex.EncodeToString(sum[:])[:16]
}

// validID is the rule for Notice.ID: ntfy's rule for sequence ids.
var validID = regexp.MustCompile(`^[-_A-Za-z0-9]{1,64}$`)
