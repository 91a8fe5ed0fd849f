package cli

import (
	"context"
	"errors"
	"fmt"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/reinvent-cli/reinvent/pkg/catalog"
	"github.com/reinvent-cli/reinvent/pkg/x"
)

// XOptions are the inputs of the reinvent x commands.
type XOptions struct {
	IO *IOStreams
	// Client returns an X client; user asks for the bot's own
	// credentials too, not only the app's consumer key and secret.
	Client func(why string, user bool) (*x.Client, error)

	Action    string // list, add, check, remove, subscribe, unsubscribe
	Arg       string // the URL of add, the id of check and remove
	WebhookID string // of subscribe and unsubscribe; "" for the app's only one
	API       string // x.ActivityAPI or x.AccountActivityAPI
	Path      string // the command's path, for messages
}

// NewCmdX returns the x command: the bot's webhooks and subscriptions.
func NewCmdX(f *Factory, runF func(context.Context, *XOptions) error) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "x",
		Short: "Manage the bot's X webhooks and subscriptions",
		Long: `Manage what X delivers to serve-webhook: the app's webhooks (X's /2/webhooks) and
the bot account's subscription to its mentions. docs/webhook.md explains when to
use a webhook and when serve-webhook --poll, which needs neither.

The webhook commands use the app-only bearer token, which reinvent asks X for
with x-consumer-key and x-consumer-secret; subscribe and unsubscribe sign as the
bot with all four x-* credentials.`,
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
	leaf := func(use, short, long string, nargs int, setup func(*XOptions, []string)) *cobra.Command {
		opts := &XOptions{IO: f.IO, Client: f.xAppClient}
		c := &cobra.Command{
			Use: use, Short: short, Long: long,
			Args: func(cmd *cobra.Command, args []string) error {
				if len(args) != nargs {
					return usageErrorf("%s takes %d argument(s), got %d; run '%s --help'", cmd.CommandPath(), nargs, len(args), cmd.CommandPath())
				}
				return nil
			},
			RunE: func(cmd *cobra.Command, args []string) error {
				setup(opts, args)
				opts.Path = cmd.CommandPath()
				if opts.API != x.ActivityAPI && opts.API != x.AccountActivityAPI {
					return usageErrorf("--api %q: use %s (the X Activity API) or %s (the Account Activity API, until 2027-01-01)", opts.API, x.ActivityAPI, x.AccountActivityAPI)
				}
				if runF != nil {
					return runF(cmd.Context(), opts)
				}
				return xRun(cmd.Context(), opts)
			},
		}
		opts.API = x.ActivityAPI
		f.settings.addTo(c.Flags(), xSettings...)
		if opts.Action = c.Name(); opts.Action == "subscribe" || opts.Action == "unsubscribe" {
			c.Flags().StringVar(&opts.WebhookID, "webhook", "", "the webhook `ID`; needed only when the app has more than one")
			c.Flags().StringVar(&opts.API, "api", x.ActivityAPI, "activity (X Activity API) or account-activity (ends 2027-01-01)")
		}
		return c
	}
	hooks.AddCommand(
		leaf("list", "List the app's webhooks and whether each passed X's CRC check", "", 0, func(*XOptions, []string) {}),
		leaf("add URL", "Register a webhook URL (X checks it at once)", `Register URL as the app's webhook. X runs its CRC check against URL before it
answers, so serve-webhook must already be answering there, behind TLS, with this
app's x-consumer-secret. X wants https, no port, at most 200 characters.`, 1,
			func(o *XOptions, a []string) { o.Arg = a[0] }),
		leaf("check ID", "Have X run its CRC check on a webhook again", `Have X run its CRC check on webhook ID now (X's PUT /2/webhooks/ID), which also
re-enables a webhook X marked invalid. Exit 0 when it passed, 1 when not.`, 1,
			func(o *XOptions, a []string) { o.Arg = a[0] }),
		leaf("remove ID", "Delete a webhook", "", 1, func(o *XOptions, a []string) { o.Arg = a[0] }),
	)
	cmd.AddCommand(hooks,
		leaf("subscribe", "Have X deliver the bot's mentions to the webhook", `Subscribe the bot's account (the one the x-* credentials sign in as) to its
mentions on the webhook: a post.mention.create subscription on the X Activity API
(--api activity, the default), or an Account Activity subscription (--api
account-activity, which X ends on 2027-01-01). Subscribing twice is fine.`, 0, func(*XOptions, []string) {}),
		leaf("unsubscribe", "Stop X delivering the bot's mentions to the webhook", "", 0, func(*XOptions, []string) {}),
	)
	return cmd
}

func xRun(ctx context.Context, opts *XOptions) error {
	if (opts.Action == "check" || opts.Action == "remove") && !x.ValidID(opts.Arg) {
		return usageErrorf("%q is not a webhook id (1 to 19 digits); 'reinvent x webhooks list' shows them", opts.Arg)
	}
	if opts.WebhookID != "" && !x.ValidID(opts.WebhookID) {
		return usageErrorf("--webhook %q is not a webhook id (1 to 19 digits)", opts.WebhookID)
	}
	if opts.Action == "add" {
		if err := x.CheckWebhookURL(opts.Arg); err != nil {
			return usageErrorf("webhook URL: %v", err)
		}
	}
	user := opts.Action == "subscribe" || opts.Action == "unsubscribe"
	c, err := opts.Client(opts.Path, user)
	if err != nil {
		return err
	}
	out, errOut := opts.IO.Out, opts.IO.ErrOut
	switch opts.Action {
	case "list":
		hooks, err := c.Webhooks(ctx)
		if err != nil {
			return xError(err, "")
		}
		if len(hooks) == 0 {
			fmt.Fprintln(errOut, "The app has no webhook; add one with 'reinvent x webhooks add URL', or poll instead (serve-webhook --poll).")
			return nil
		}
		tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tURL\tVALID\tCREATED")
		for _, h := range hooks {
			valid := "no: X stopped delivering; run 'reinvent x webhooks check " + catalog.CleanLine(h.ID) + "'"
			if h.Valid {
				valid = "yes"
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", catalog.CleanLine(h.ID), catalog.CleanLine(h.URL), valid, catalog.CleanLine(h.CreatedAt))
		}
		return tw.Flush()
	case "add":
		h, err := c.AddWebhook(ctx, opts.Arg)
		if err != nil {
			return xError(err, opts.Arg)
		}
		fmt.Fprintln(out, catalog.CleanLine(h.ID))
		fmt.Fprintf(errOut, "Added webhook %s for %s; X's CRC check passed. Next: reinvent x subscribe\n", catalog.CleanLine(h.ID), catalog.CleanLine(h.URL))
		return nil
	case "check":
		valid, err := c.CheckWebhook(ctx, opts.Arg)
		if err != nil {
			return xError(err, opts.Arg)
		}
		if !valid {
			return &ExitError{Code: ExitFailure, Err: fmt.Errorf("webhook %s failed X's CRC check: serve-webhook must answer at its URL within 10 s, with this app's x-consumer-secret, or its x-client-secret when the app has OAuth 2.0 keys", opts.Arg)}
		}
		fmt.Fprintf(errOut, "Webhook %s passed X's CRC check.\n", opts.Arg)
		return nil
	case "remove":
		if err := c.RemoveWebhook(ctx, opts.Arg); err != nil {
			return xError(err, opts.Arg)
		}
		fmt.Fprintf(errOut, "Removed webhook %s.\n", opts.Arg)
		return nil
	}
	// subscribe, unsubscribe
	id := opts.WebhookID
	if id == "" {
		hooks, err := c.Webhooks(ctx)
		if err != nil {
			return xError(err, "")
		}
		switch len(hooks) {
		case 0:
			return &ExitError{Code: ExitFailure, Err: errors.New("the app has no webhook to subscribe to; add one first: reinvent x webhooks add URL")}
		case 1:
			id = hooks[0].ID
		default:
			return usageErrorf("the app has %d webhooks; choose one with --webhook ID ('reinvent x webhooks list' shows them)", len(hooks))
		}
	}
	me, err := c.Me(ctx)
	if err != nil {
		return xError(err, id)
	}
	name := map[string]string{x.ActivityAPI: "the X Activity API", x.AccountActivityAPI: "the Account Activity API"}[opts.API]
	if opts.Action == "subscribe" {
		existed, err := c.Subscribe(ctx, opts.API, id, me.ID)
		if err != nil {
			return xError(err, id)
		}
		how := "now delivers"
		if existed {
			how = "already delivered"
		}
		fmt.Fprintf(errOut, "Webhook %s %s @%s's mentions through %s.\n", id, how, catalog.CleanLine(me.Username), name)
		if opts.API == x.AccountActivityAPI {
			fmt.Fprintln(errOut, "Note: X ends the Account Activity API on 2027-01-01; 'reinvent x subscribe' (the X Activity API) or serve-webhook --poll keep working after it.")
		}
		return nil
	}
	existed, err := c.Unsubscribe(ctx, opts.API, id, me.ID)
	if err != nil {
		return xError(err, id)
	}
	if !existed {
		fmt.Fprintf(errOut, "Webhook %s had no subscription to @%s's mentions through %s; nothing to do.\n", id, catalog.CleanLine(me.Username), name)
		return nil
	}
	fmt.Fprintf(errOut, "Webhook %s no longer gets @%s's mentions through %s.\n", id, catalog.CleanLine(me.Username), name)
	return nil
}

// xAppClient is xClient for a command that, unless user, needs only the
// app's consumer key and secret.
func (f *Factory) xAppClient(why string, user bool) (*x.Client, error) {
	if user {
		return f.xClient(why)
	}
	cred := f.xCredentials()
	if missing := cred.MissingApp(); len(missing) > 0 {
		return nil, missingSettings(why+" needs the X app's credentials", missing)
	}
	return x.NewClient(f.Config.XAPIURL, cred), nil
}

// xError turns X's refusal into one line that says what to do, with its
// exit code: 3 for refused credentials, 4 when X is unavailable, else 1.
func xError(err error, arg string) error {
	advice := map[string]string{
		"UrlValidationFailed":         "X refused the URL: it must be https, with no port, at most 200 characters",
		"CrcValidationFailed":         "X's CRC check failed: serve-webhook must answer at that URL, behind TLS, within 10 s, with this app's x-consumer-secret, or its x-client-secret when the app has OAuth 2.0 keys",
		"DuplicateUrlFailed":          "the app has a webhook for that URL already; 'reinvent x webhooks list' shows its id",
		"WebhookLimitExceeded":        "the app has as many webhooks as X allows; remove one with 'reinvent x webhooks remove ID'",
		"WebhookIdInvalid":            fmt.Sprintf("X knows no webhook %s of this app; 'reinvent x webhooks list' shows the ids", arg),
		"SubscriptionLimitExceeded":   "the app has as many subscriptions as X allows; unsubscribe another account first",
		"DuplicateSubscriptionFailed": "the bot is subscribed already",
		"SubscriptionNotFound":        "the bot has no subscription on that webhook",
	}
	var we *x.WebhookError
	switch {
	case errors.As(err, &we) && advice[we.Reason] != "":
		return &ExitError{Code: ExitFailure, Err: fmt.Errorf("%s (X: %s)", advice[we.Reason], we.Reason)}
	case errors.Is(err, x.ErrAuth):
		return &ExitError{Code: ExitAuth, Err: fmt.Errorf("%w; check the x-* credentials (the webhook commands need the app's consumer key and secret)", err)}
	case errors.Is(err, x.ErrTransient), errors.Is(err, x.ErrUnavailable), errors.Is(err, x.ErrRateLimited):
		return &ExitError{Code: ExitUpstream, Err: fmt.Errorf("%w; try again later", err)}
	}
	return &ExitError{Code: ExitFailure, Err: err}
}
