package watch

import (
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/reinvent-cli/reinvent/pkg/catalog"
)

// The placeholders of a --link template (docs/watch.md, "Links").
var linkFields = []string{"{code}", "{id}", "{event}"}

// CheckLink says what is wrong with a --link template: it must be an
// http or https URL with a host once its placeholders are filled in.
func CheckLink(template string) error {
	probe := template
	for _, f := range linkFields {
		probe = strings.ReplaceAll(probe, f, "X")
	}
	u, err := url.Parse(probe)
	switch {
	case err != nil:
		return fmt.Errorf("%q is not a URL", template)
	case u.Scheme != "https" && u.Scheme != "http":
		return errors.New("give an https:// URL, such as https://example.com/session/{code}")
	case u.Host == "":
		return fmt.Errorf("%q names no host", template)
	case strings.ContainsAny(probe, " \t\n\r"):
		return errors.New("a URL holds no spaces")
	}
	return nil
}

// Link fills in template for session s of event: {code}, {id} (the
// source's session id) and {event}, each escaped for a URL path. An empty
// template is no link.
func Link(template string, s *catalog.Session, event string) string {
	if template == "" {
		return ""
	}
	return strings.NewReplacer(
		"{code}", url.PathEscape(s.Code),
		"{id}", url.PathEscape(s.SessionID),
		"{event}", url.PathEscape(event),
	).Replace(template)
}
