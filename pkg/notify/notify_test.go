package notify_test

import (
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/reinvent-cli/reinvent/pkg/notify"
)

func TestSplit(t *testing.T) {
	got := notify.Split("  ntfy://ntfy.sh/a \n\tsmtp://h:25/?from=a@b&to=c@d  ")
	want := []string{"ntfy://ntfy.sh/a", "smtp://h:25/?from=a@b&to=c@d"}
	if !slices.Equal(got, want) {
		t.Errorf("Split = %q, want %q", got, want)
	}
	if got := notify.Split("   "); len(got) != 0 {
		t.Errorf("Split of spaces = %q", got)
	}
}

func TestKey(t *testing.T) {
	a := notify.Key("ntfy://u:" + ntfyPassword + "@NTFY.example.com/" + ntfyTopic + "?tags=a&priority=4")
	if !regexp.MustCompile(`^[0-9a-f]{16}$`).MatchString(a) {
		t.Fatalf("Key = %q, want 16 hex digits", a)
	}
	if b := notify.Key(" ntfy://u:" + ntfyPassword + "@ntfy.example.com/" + ntfyTopic + "?priority=4&tags=a "); b != a {
		t.Errorf("the same URL with another host case and query order: %q, want %q", b, a)
	}
	if c := notify.Key("ntfy://u:" + ntfyPassword + "@ntfy.example.com/other"); c == a {
		t.Error("another topic has the same key")
	}
	noSecrets(t, "the key", a, []string{ntfyPassword, ntfyTopic, strings.ToLower(ntfyTopic)})
}
