package notify

import (
	"context"
	"errors"
	"io"
	"log"
	"mime"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/nicholas-fedor/shoutrrr/pkg/router"
	"github.com/nicholas-fedor/shoutrrr/pkg/types"

	"github.com/reinvent-cli/reinvent/pkg/catalog"
)

// shoutrrrSink sends through one of shoutrrr's senders: every scheme but
// ntfy (docs/notify.md#shoutrrr-services).
type shoutrrrSink struct {
	scheme  string
	where   string
	svc     types.Service
	secrets *secrets
	mu      sync.Mutex // one send at a time: a sender keeps state between calls
}

// serverHosts are the services whose URL host is the server's: the others
// put a token, a channel or an id there, so their Where is the service
// alone.
var serverHosts = []string{"bark", "generic", "googlechat", "gotify", "hangouts", "lark", "matrix", "mattermost", "opsgenie", "rocketchat", "signal", "smtp", "zulip"}

// quiet is shoutrrr's logger: its senders log the URLs they were given and
// the bodies servers answer, neither of which may reach a log.
var quiet = log.New(io.Discard, "", 0)

func openShoutrrr(scheme string, u *url.URL, _ Options) (sink Sink, err error) {
	base, _, custom := strings.Cut(scheme, "+") // generic+https://host/path
	s := &shoutrrrSink{scheme: base, where: base, secrets: secretsOf(u.String(), u)}
	if slices.Contains(serverHosts, base) && u.Host != "" {
		s.where = base + " at " + strings.ToLower(u.Host)
	}
	defer func() {
		if recover() != nil { // a sender that cannot read the URL
			sink, err = nil, &Error{where: s.where, msg: "the URL could not be read; see docs/notify.md for this service's URL"}
		}
	}()
	var r router.ServiceRouter
	svc, err := r.NewService(base)
	if err != nil || base == "logger" {
		return nil, &Error{where: base, msg: "not a service reinvent sends to; the services are ntfy and shoutrrr's (smtp, slack, discord, telegram, generic, ...), see docs/notify.md"}
	}
	if custom {
		c, ok := svc.(types.CustomURLService)
		if !ok {
			return nil, &Error{where: s.where, msg: "this service takes no " + base + "+ URL; write " + base + "://"}
		}
		if u, err = c.GetConfigURLFromCustom(u); err != nil {
			return nil, failure(s.where, err, s.secrets)
		}
	}
	if err = svc.Initialize(u, quiet); err != nil {
		return nil, failure(s.where, err, s.secrets)
	}
	s.svc = svc
	return s, nil
}

func (s *shoutrrrSink) Service() string { return s.scheme }
func (s *shoutrrrSink) Where() string   { return s.where }
func (s *shoutrrrSink) Replaces() bool  { return false }

// shoutrrrTimeout bounds a send whose context has no earlier deadline: the
// generic sender's HTTP client has no timeout of its own.
const shoutrrrTimeout = time.Minute

// Send hands the notice to the sender. shoutrrr's senders take no context:
// a cancelled or timed-out ctx returns at once, and the call it leaves
// behind ends when the sender's own timeout, if any, ends it.
func (s *shoutrrrSink) Send(ctx context.Context, n Notice) error {
	if !validID.MatchString(n.ID) {
		return &Error{where: s.where, msg: "a notice ID is 1 to 64 letters, digits, - or _"}
	}
	title := catalog.CleanLine(n.Title)
	if s.scheme == "smtp" {
		// shoutrrr writes the subject into the mail's header as it is:
		// encode it (RFC 2047), which also keeps it on one line.
		title = mime.QEncoding.Encode("utf-8", title)
	}
	params := types.Params{}
	if title != "" {
		params.SetTitle(title)
	}
	message := catalog.CleanText(n.Message)
	ctx, cancel := context.WithTimeout(ctx, shoutrrrTimeout)
	defer cancel()
	if err := ctx.Err(); err != nil {
		return failure(s.where, err, s.secrets)
	}
	done := make(chan error, 1)
	go func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		if ctx.Err() != nil {
			// The caller gave up while an earlier send held the sender: it
			// counts this notice as pending, so it must not go out.
			done <- ctx.Err()
			return
		}
		defer func() {
			if recover() != nil {
				done <- errors.New("the sender failed")
			}
		}()
		done <- s.svc.Send(message, &params)
	}()
	select {
	case <-ctx.Done():
		return failure(s.where, ctx.Err(), s.secrets)
	case err := <-done:
		if err != nil {
			return failure(s.where, err, s.secrets)
		}
		return nil
	}
}
