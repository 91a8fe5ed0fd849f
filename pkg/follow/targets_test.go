package follow

import (
	"strings"
	"testing"

	"github.com/reinvent-cli/reinvent/pkg/notify"
)

// TestTargets: each notify URL becomes a target under notify.Key, in
// order; a URL that cannot be used fails the whole list without saying
// its secret topic.
func TestTargets(t *testing.T) {
	urls := []string{"ntfy://ntfy.example.com/first-secret-topic", "ntfy://ntfy.example.com/second-secret-topic"}
	got, err := Targets(urls, notify.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].Key != notify.Key(urls[0]) || got[1].Key != notify.Key(urls[1]) || got[0].Key == got[1].Key {
		t.Fatalf("targets %+v, want one per URL keyed by notify.Key", got)
	}
	if got[0].Sink.Service() != "ntfy" {
		t.Errorf("sink service %q, want ntfy", got[0].Sink.Service())
	}
	if got, err := Targets(nil, notify.Options{}); err != nil || len(got) != 0 {
		t.Errorf("no URL: %v, %v; want none and no error", got, err)
	}
	_, err = Targets([]string{urls[0], "nosuchservice://host/third-secret-topic"}, notify.Options{})
	if err == nil {
		t.Fatal("an unknown service was accepted")
	}
	if strings.Contains(err.Error(), "third-secret-topic") {
		t.Errorf("the error shows the secret topic: %v", err)
	}
}
