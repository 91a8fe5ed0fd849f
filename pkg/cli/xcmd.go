package cli

import (
	"context"

	"github.com/spf13/cobra"

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

// admin is what the x commands run.
func (opts *XOptions) admin() x.Admin {
	return x.Admin{Client: func(user bool) (*x.Client, error) { return opts.XClient(opts.Path, user) }, Out: opts.IO.Out, ErrOut: opts.IO.ErrOut}
}

func xWebhooksListRun(ctx context.Context, opts *XOptions) error { return opts.admin().List(ctx) }

func xWebhooksAddRun(ctx context.Context, opts *XOptions) error {
	return opts.admin().Add(ctx, opts.Arg)
}

func xWebhooksCheckRun(ctx context.Context, opts *XOptions) error {
	return opts.admin().Check(ctx, opts.Arg)
}

func xWebhooksRemoveRun(ctx context.Context, opts *XOptions) error {
	return opts.admin().Remove(ctx, opts.Arg)
}

// xMentionsRun is the run of subscribe, or of unsubscribe: the bot's
// subscription to its mentions on the webhook.
func xMentionsRun(subscribe bool) func(context.Context, *XOptions) error {
	return func(ctx context.Context, opts *XOptions) error {
		return opts.admin().Mentions(ctx, subscribe, opts.API, opts.WebhookID)
	}
}
