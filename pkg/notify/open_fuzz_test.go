package notify_test

import (
	"strings"
	"testing"

	"github.com/reinvent-cli/reinvent/pkg/notify"
)

// FuzzOpen reads notify URLs as a config file or REINVENT_NOTIFY may hold
// them: Open never panics, and what it says (an error, or the sink's Where)
// never holds the URL's password or topic. The fuzzer writes the scheme,
// the host part and the end of the URL around a password and a topic that
// it does not choose, so that a leak is never a coincidence.
func FuzzOpen(f *testing.F) {
	const password, topic = "Pw9xQz7Kv", "Tp4mWn8Rj"
	for _, seed := range [][3]string{
		{"ntfy", "ntfy.sh", ""},
		{"ntfy", "127.0.0.1:8080", "?scheme=http&priority=urgent&tags=a,b"},
		{"ntfy", "ntfy.example.com", "/x?priority=9"},
		{"ntfy", "h", "%zz"},
		{"ntfy", "[::1]:80", "?foo=bar"},
		{"NTFY", "", ""},
		{"smtp", "smtp.example.com:587", "?from=a@b.c&to=d@e.f&encryption=None"},
		{"smtp", "h:xx", ""},
		{"smtp", "h", "?to=x"},
		{"generic", "hooks.example.com", "?template=json&disabletls=yes"},
		{"generic+https", "hooks.example.com", "?@Authorization=Bearer+x"},
		{"slack", "webhook", ""},
		{"slack", "channel", "?color=red"},
		{"discord", "123456789", ""},
		{"telegram", "telegram", "?chats=@x"},
		{"gotify", "gotify.example.com", ""},
		{"pushover", "shoutrrr", "?devices=a"},
		{"matrix", "matrix.example.com", "?rooms=!x"},
		{"teams", "group@tenant", "?host=x.webhook.office.com"},
		{"zulip", "zulip.example.com", "?stream=s"},
		{"logger", "x", ""},
		{"foo", "bar", ""},
		{"", "ntfy.sh", ""},
		{"ntfy:/", "", ""},
	} {
		f.Add(seed[0], seed[1], seed[2])
	}
	f.Fuzz(func(t *testing.T, scheme, host, rest string) {
		given := strings.ToLower(scheme + host + rest)
		if strings.Contains(given, strings.ToLower(password)) || strings.Contains(given, strings.ToLower(topic)) {
			return // the fuzzer wrote a secret itself
		}
		raw := scheme + "://user:" + password + "@" + host + "/" + topic + rest
		sink, err := notify.Open(raw, notify.Options{})
		var said string
		switch {
		case err != nil:
			said = err.Error()
		case sink != nil:
			said = sink.Where()
		default:
			t.Fatalf("Open(%q) returned neither a sink nor an error", raw)
		}
		for _, secret := range []string{password, topic} {
			if strings.Contains(said, secret) {
				t.Errorf("Open(%q) said %q, which holds %q", raw, said, secret)
			}
		}
		if strings.ContainsAny(said, "\n\r\x1b") {
			t.Errorf("Open(%q) said %q, not one clean line", raw, said)
		}
	})
}
