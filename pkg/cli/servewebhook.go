package cli

import (
	"context"
	"time"

	"github.com/spf13/cobra"

	"github.com/reinvent-cli/reinvent/pkg/schedule"
	"github.com/reinvent-cli/reinvent/pkg/setup"
	"github.com/reinvent-cli/reinvent/pkg/store/backend"
	"github.com/reinvent-cli/reinvent/pkg/webhook"
	"github.com/reinvent-cli/reinvent/pkg/x"
)

// ServeWebhookOptions are the inputs of reinvent serve-webhook.
type ServeWebhookOptions struct {
	setup.Deps
	// Run are webhook.Serve's options, which the flags set; the bot's
	// handle and secrets come from the settings.
	Run webhook.Options
}

// NewCmdServeWebhook returns the serve-webhook command.
func NewCmdServeWebhook(f *Factory, runF func(context.Context, *ServeWebhookOptions) error) *cobra.Command {
	opts := &ServeWebhookOptions{Deps: f.Deps()}
	cmd := &cobra.Command{
		Use:   "serve-webhook [--addr ADDR] [--poll DURATION] [--path /webhook] [--dry-run] [--workers N]",
		Short: "Answer X mentions with a schedule (the X webhook)",
		Long: `Serve X's webhook: people post session codes at the bot ("@bot svs215 con213
api304") and get the best schedule over all their repeats as a reply thread.

Deliveries go into a durable queue in the store (--db), and each mention is
answered exactly once. --poll DURATION also reads the bot's mention timeline,
for a bot without a public HTTPS endpoint; with --addr '' it only polls. It needs
bot-handle and the four x-* credentials (--dry-run logs the threads instead of
posting). SIGTERM or SIGINT drains the queue (up to --drain-timeout), exit 0.

--addr is 127.0.0.1:8080 by default, for a TLS reverse proxy on the same machine.
In a container, listen on every interface with --addr :8080 (or 0.0.0.0:8080).
docs/webhook.md has the status codes, polling, rate limits and recipes.`,
		Example: `  # Try it locally on the sample catalog, logging replies instead of posting
  REINVENT_BOT_HANDLE=reinventbot REINVENT_X_CONSUMER_SECRET=dev \
    reinvent serve-webhook --source sample --dry-run

  # In a container: listen on every interface, behind the TLS proxy
  reinvent serve-webhook --addr :8080

  # No public endpoint: read the mentions every 15 s, no listener
  reinvent serve-webhook --poll 15s --addr ''`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Logger = f.Logger
			return runCommand(cmd.Context(), opts, runF, serveWebhookRun)
		},
	}
	cmd.Flags().StringVar(&opts.Run.Addr, "addr", "127.0.0.1:8080", "address to listen on (:8080 for every interface); '' for none (needs --poll)")
	cmd.Flags().DurationVar(&opts.Run.Poll, "poll", 0, "also read the mention timeline this often (e.g. 15s); 0 is off")
	cmd.Flags().StringVar(&opts.Run.Path, "path", "/webhook", "URL path of the webhook")
	cmd.Flags().BoolVar(&opts.Run.DryRun, "dry-run", false, "log the reply threads instead of posting them")
	cmd.Flags().IntVar(&opts.Run.Workers, "workers", 2, "mentions answered at once")
	cmd.Flags().IntVar(&opts.Run.UserLimit, "user-limit", 5, "answers per user an hour; 0 means no limit")
	cmd.Flags().DurationVar(&opts.Run.DrainTimeout, "drain-timeout", 30*time.Second, "how long a stopping server may go on answering queued mentions")
	addSourceFlags(f, cmd)
	f.settings.addTo(cmd.Flags(), xSettings...)
	return cmd
}

func serveWebhookRun(ctx context.Context, opts *ServeWebhookOptions) error {
	cfg, cred := opts.Config, opts.Credentials()
	wo := opts.Run
	wo.BotHandle, wo.ConsumerSecret, wo.ClientSecret = cfg.BotHandle, cfg.XConsumerSecret, cfg.XClientSecret
	wo.Plan = schedule.Options{Location: cfg.Location, UnknownTravel: schedule.DefaultUnknownTravel}
	if err := wo.Check(); err != nil {
		return usageError(err)
	}
	if missing := wo.Missing(cred); len(missing) > 0 && wo.DryRun && wo.Poll > 0 {
		return missingSettings("serve-webhook --dry-run --poll reads X, so it needs", missing)
	} else if len(missing) > 0 {
		return missingSettings("serve-webhook needs", missing)
	}
	client := x.NewClient(cfg.XAPIURL, cred)
	st, err := opts.OpenBackend(ctx, backend.Options{})
	if err != nil {
		return err
	}
	defer st.Close()
	d := webhook.Deps{Store: st, KeepCatalog: opts.KeepCatalog, Poster: client, Timeline: client, Logger: opts.Logger}
	return webhook.Serve(ctx, d, wo) // ExitCode classifies its error
}
