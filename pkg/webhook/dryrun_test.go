package webhook

import (
	"bytes"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/reinvent-cli/reinvent/pkg/x"
)

// lockedBuffer is a log that workers write to while the test reads it.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// deliverMention delivers to the webhook at addr, signed, post id of @zoe
// asking the bot for SVS401 and ARC302, and fails unless it is accepted.
func deliverMention(t *testing.T, addr, id string) {
	t.Helper()
	body := []byte(`{"for_user_id":"1","tweet_create_events":[{"id_str":"` + id + `","text":"@reinventbot SVS401 ARC302","user":{"id_str":"2","screen_name":"zoe"},"entities":{"user_mentions":[{"screen_name":"reinventbot"}]}}]}`)
	req, _ := http.NewRequest(http.MethodPost, "http://"+addr+"/webhook", bytes.NewReader(body))
	req.Header.Set(SignatureHeader, Sign(cred.ConsumerSecret, body))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("delivery answered %d", resp.StatusCode)
	}
}

// TestServeDryRunPostsNothing: with Options.DryRun a mention is answered
// in the log only; Deps.Poster, X, gets no post.
func TestServeDryRunPostsNothing(t *testing.T) {
	r := newServeRig(t)
	r.x.Exists("78")
	var log lockedBuffer
	r.deps.Logger = slog.New(slog.NewTextHandler(&log, nil))
	r.opts.DryRun = true
	addr, stop := r.start(t)
	deliverMention(t, addr, "78")
	if err := stop(); err != nil {
		t.Fatalf("Serve returned %v; want nil after a drain", err)
	}
	if posts := r.x.Posts(); len(posts) != 0 {
		t.Errorf("a dry run posted to X: %+v", posts)
	}
	if !strings.Contains(log.String(), "dry run: would post") || !strings.Contains(log.String(), "@zoe 2 of 2 sessions scheduled") {
		t.Errorf("the log does not show the reply:\n%s", log.String())
	}
}

// TestPollErrorSaysWhatToCheck: a poller stopped by refused credentials
// says to check them; any other stop says only why.
func TestPollErrorSaysWhatToCheck(t *testing.T) {
	refused := &PollError{Err: fmt.Errorf("read the account: %w", x.ErrAuth)}
	if got := refused.Error(); !strings.HasPrefix(got, "poll mentions: read the account: ") || !strings.HasSuffix(got, "; check the four x-* credentials") {
		t.Errorf("refused credentials: %q", got)
	}
	if !errors.Is(refused, x.ErrAuth) {
		t.Error("the PollError no longer wraps x.ErrAuth")
	}
	if got := (&PollError{Err: ErrWrongAccount}).Error(); got != "poll mentions: "+ErrWrongAccount.Error() {
		t.Errorf("wrong account: %q", got)
	}
}
