package cli

import (
	"context"
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/reinvent-cli/reinvent/pkg/catalog"
	"github.com/reinvent-cli/reinvent/pkg/setup"
	"github.com/reinvent-cli/reinvent/pkg/x"
)

// XOptions are the inputs of a reinvent x command.
type XOptions struct {
	setup.Deps

	Arg       string // the URL of add, the id of check and remove
	WebhookID string // of subscribe and unsubscribe; "" for the app's only one
	API       string // x.ActivityAPI or x.AccountActivityAPI
	Path      string // the command's path, for messages
}

// NewCmdX returns the x command: the bot's webhooks and subscriptions.
// runF, when set, runs every leaf command instead of its own run function.
func NewCmdX(f *Factory, runF func(context.Context, *XOptions) error) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "x",
		Short: "Manage the bot's X webhooks and subscriptions",
		Long: `Manage what X delivers to serve-webhook: the app's webhooks and the bot account's
subscription to its mentions (docs/webhook.md). The webhook commands need
x-consumer-key and x-consumer-secret; subscribe and unsubscribe all four x-*.`,
		Example: `  reinvent x webhooks add https://bot.example.com/webhook
  reinvent x subscribe
  reinvent x webhooks list`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error { return cmd.Help() },
	}
	hooks := &cobra.Command{
		Use:   "webhooks",
		Short: "List, add, check and remove the app's webhooks",
		Args:  noArgs,
		RunE:  func(cmd *cobra.Command, args []string) error { return cmd.Help() },
	}
	// leaf is one x command with nargs arguments, run by run; sub adds
	// the flags of subscribe and unsubscribe.
	leaf := func(use, short, long string, nargs int, sub bool, run func(context.Context, *XOptions) error) *cobra.Command {
		opts := &XOptions{Deps: f.Deps(), API: x.ActivityAPI}
		c := &cobra.Command{
			Use: use, Short: short, Long: long,
			Args: func(cmd *cobra.Command, args []string) error {
				if len(args) != nargs {
					return usageErrorf("%s takes %d argument(s), got %d; run '%s --help'", cmd.CommandPath(), nargs, len(args), cmd.CommandPath())
				}
				return nil
			},
			RunE: func(cmd *cobra.Command, args []string) error {
				if nargs == 1 {
					opts.Arg = args[0]
				}
				opts.Path = cmd.CommandPath()
				if opts.API != x.ActivityAPI && opts.API != x.AccountActivityAPI {
					return usageErrorf("--api %q: use %s (the X Activity API) or %s (the Account Activity API, until 2027-01-01)", opts.API, x.ActivityAPI, x.AccountActivityAPI)
				}
				return runCommand(cmd.Context(), opts, runF, run)
			},
		}
		f.settings.addTo(c.Flags(), xSettings...)
		if sub {
			c.Flags().StringVar(&opts.WebhookID, "webhook", "", "the webhook `ID`; needed only when the app has more than one")
			c.Flags().StringVar(&opts.API, "api", x.ActivityAPI, "activity (X Activity API) or account-activity (ends 2027-01-01)")
		}
		return c
	}
	hooks.AddCommand(
		leaf("list", "List the app's webhooks and whether each passed X's CRC check", "", 0, false, xWebhooksListRun),
		leaf("add URL", "Register a webhook URL (X checks it at once)", `Register URL as the app's webhook. X runs its CRC check against URL first, so
serve-webhook (behind TLS: https, no port) or the Lambda webhook function (its
function URL and /webhook) must already answer there.`, 1, false, xWebhooksAddRun),
		leaf("check ID", "Have X run its CRC check on a webhook again", `Have X run its CRC check on webhook ID now (X's PUT /2/webhooks/ID), which also
re-enables a webhook X marked invalid. Exit 0 when it passed, 1 when not.`, 1, false, xWebhooksCheckRun),
		leaf("remove ID", "Delete a webhook", "", 1, false, xWebhooksRemoveRun),
	)
	cmd.AddCommand(hooks,
		leaf("subscribe", "Have X deliver the bot's mentions to the webhook", `Subscribe the bot's account (the x-* credentials') to its mentions on the
webhook, on the X Activity API (the default) or, with --api account-activity,
the Account Activity API, which X ends on 2027-01-01. Subscribing twice is fine.`, 0, true, xMentionsRun(true)),
		leaf("unsubscribe", "Stop X delivering the bot's mentions to the webhook", "", 0, true, xMentionsRun(false)),
	)
	return cmd
}

func xWebhooksListRun(ctx context.Context, opts *XOptions) error {
	c, err := opts.XClient(opts.Path, false)
	if err != nil {
		return err
	}
	hooks, err := c.Webhooks(ctx)
	if err != nil {
		return x.CommandError(err, "")
	}
	if len(hooks) == 0 {
		fmt.Fprintln(opts.IO.ErrOut, "The app has no webhook; add one with 'reinvent x webhooks add URL', or poll instead (serve-webhook --poll).")
		return nil
	}
	return x.WriteWebhooks(opts.IO.Out, hooks)
}

func xWebhooksAddRun(ctx context.Context, opts *XOptions) error {
	if err := x.CheckWebhookURL(opts.Arg); err != nil {
		return usageErrorf("webhook URL: %v", err)
	}
	c, err := opts.XClient(opts.Path, false)
	if err != nil {
		return err
	}
	h, err := c.AddWebhook(ctx, opts.Arg)
	if err != nil {
		return x.CommandError(err, opts.Arg)
	}
	fmt.Fprintln(opts.IO.Out, catalog.CleanLine(h.ID))
	fmt.Fprintf(opts.IO.ErrOut, "Added webhook %s for %s; X's CRC check passed. Next: reinvent x subscribe\n", catalog.CleanLine(h.ID), catalog.CleanLine(h.URL))
	return nil
}

func xWebhooksCheckRun(ctx context.Context, opts *XOptions) error {
	c, err := webhookClient(opts)
	if err != nil {
		return err
	}
	valid, err := c.CheckWebhook(ctx, opts.Arg)
	if err != nil {
		return x.CommandError(err, opts.Arg)
	}
	if !valid {
		return &ExitError{Code: ExitFailure, Err: fmt.Errorf("webhook %s failed X's CRC check: serve-webhook must answer at its URL within 10 s, with this app's x-consumer-secret, or its x-client-secret when the app has OAuth 2.0 keys", opts.Arg)}
	}
	fmt.Fprintf(opts.IO.ErrOut, "Webhook %s passed X's CRC check.\n", opts.Arg)
	return nil
}

func xWebhooksRemoveRun(ctx context.Context, opts *XOptions) error {
	c, err := webhookClient(opts)
	if err != nil {
		return err
	}
	if err := c.RemoveWebhook(ctx, opts.Arg); err != nil {
		return x.CommandError(err, opts.Arg)
	}
	fmt.Fprintf(opts.IO.ErrOut, "Removed webhook %s.\n", opts.Arg)
	return nil
}

// webhookClient checks the webhook id of check and remove, then returns
// the app's client.
func webhookClient(opts *XOptions) (*x.Client, error) {
	if !x.ValidID(opts.Arg) {
		return nil, usageErrorf("%q is not a webhook id (1 to 19 digits); 'reinvent x webhooks list' shows them", opts.Arg)
	}
	return opts.XClient(opts.Path, false)
}

// xMentionsRun is the run of subscribe, or of unsubscribe: the bot's
// subscription to its mentions on the webhook.
func xMentionsRun(subscribe bool) func(context.Context, *XOptions) error {
	return func(ctx context.Context, opts *XOptions) error {
		if opts.WebhookID != "" && !x.ValidID(opts.WebhookID) {
			return usageErrorf("--webhook %q is not a webhook id (1 to 19 digits)", opts.WebhookID)
		}
		c, err := opts.XClient(opts.Path, true) // signing as the bot
		if err != nil {
			return err
		}
		change := c.SubscribeMentions
		if !subscribe {
			change = c.UnsubscribeMentions
		}
		m, err := change(ctx, opts.API, opts.WebhookID)
		var many *x.WebhookChoiceError
		if errors.As(err, &many) {
			return usageErrorf("the app has %d webhooks; choose one with --webhook ID ('reinvent x webhooks list' shows them)", many.N)
		}
		if err != nil {
			return x.CommandError(err, m.WebhookID)
		}
		m.Write(opts.IO.ErrOut, subscribe, opts.API)
		return nil
	}
}
