package cli

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/reinvent-cli/reinvent/internal/awsjson"
	"github.com/reinvent-cli/reinvent/pkg/catalog"
	"github.com/reinvent-cli/reinvent/pkg/follow"
	"github.com/reinvent-cli/reinvent/pkg/settings"
	"github.com/reinvent-cli/reinvent/pkg/webhook"
	"github.com/reinvent-cli/reinvent/pkg/x"
)

// TestExitCode: errors are classified once, whatever command returns them
// and however deeply they are wrapped (docs/configuration.md).
func TestExitCode(t *testing.T) {
	wrap := func(err error) error { return fmt.Errorf("fetch catalog page 3: %w", err) }
	for _, tt := range []struct {
		err  error
		want int
	}{
		{nil, ExitOK},
		{errors.New("disk full"), ExitFailure},
		{wrap(catalog.ErrAuth), ExitAuth},
		{wrap(x.ErrAuth), ExitAuth},
		{wrap(catalog.ErrUnavailable), ExitUpstream},
		{wrap(x.ErrUnavailable), ExitUpstream},
		{wrap(awsjson.Classed(errors.New("no AWS region: set AWS_REGION"), awsjson.ErrAuth)), ExitAuth},
		{wrap(awsjson.Classed(errors.New("dial tcp: connection refused"), awsjson.ErrUnavailable)), ExitUpstream},
		{wrap(x.ErrTransient), ExitUpstream},
		{wrap(x.ErrRateLimited), ExitUpstream},
		{usageErrorf("bad --format"), ExitUsage},
		{wrap(settings.Usagef("the portal source needs your portal user name")), ExitUsage},
		{wrap(fmt.Errorf("webhook URL: %w", x.ErrInvalid)), ExitUsage},
		// follow left notices pending, even when the sink's error was X's.
		{errors.Join(follow.ErrPending, wrap(x.ErrUnavailable)), ExitPending},
		// serve-webhook's poller gave up: not the bot's credentials (2),
		// refused ones (3), or X failed (4).
		{&webhook.PollError{Err: fmt.Errorf("@someone: %w", webhook.ErrWrongAccount)}, ExitUsage},
		{&webhook.PollError{Err: wrap(x.ErrAuth)}, ExitAuth},
		{&webhook.PollError{Err: errors.New("read the bot's account: bad JSON")}, ExitUpstream},
		// A command's own code wins over the classification.
		{&ExitError{Code: ExitPending, Err: wrap(x.ErrRateLimited)}, ExitPending},
		{wrap(&ExitError{Code: ExitAuth, Err: errors.New("sign in")}), ExitAuth},
		{context.Canceled, ExitFailure}, // main makes it 130 when the context ended
	} {
		if got := ExitCode(tt.err); got != tt.want {
			t.Errorf("ExitCode(%v) = %d, want %d", tt.err, got, tt.want)
		}
	}
}
