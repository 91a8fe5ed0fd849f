package notify

import "net/url"

// openShoutrrr opens the sinks of every scheme but ntfy.
func openShoutrrr(scheme string, _ *url.URL, _ Options) (Sink, error) {
	return nil, &Error{where: scheme, msg: "only ntfy:// URLs are supported so far"}
}
