package cli

import (
	"context"
	"os"

	"github.com/spf13/cobra"

	"github.com/reinvent-cli/reinvent/pkg/lambda"
	"github.com/reinvent-cli/reinvent/pkg/schedule"
	"github.com/reinvent-cli/reinvent/pkg/setup"
	"github.com/reinvent-cli/reinvent/pkg/store/backend"
	"github.com/reinvent-cli/reinvent/pkg/x"
)

// LambdaOptions are the inputs of reinvent lambda.
type LambdaOptions struct {
	setup.Deps
	// Getenv reads _HANDLER when --handler is not given.
	Getenv func(string) string

	// Run are lambda.Run's options, which the flags set; the bot's
	// handle and secrets come from the settings.
	Run         lambda.Options
	CreateTable bool
}

// NewCmdLambda returns the lambda command, which the binary also runs when
// it is started as bootstrap.
func NewCmdLambda(f *Factory, runF func(context.Context, *LambdaOptions) error) *cobra.Command {
	opts := &LambdaOptions{Deps: f.Deps(), Getenv: os.Getenv}
	cmd := &cobra.Command{
		Use:   "lambda [--handler webhook|worker|schedule]",
		Short: "Run as an AWS Lambda function (the binary named bootstrap does this)",
		Long: `Run the AWS Lambda runtime loop: serve the invocations Lambda hands this
process until it stops. The binary started under the name bootstrap (a custom
runtime, provided.al2023) runs this command.

The handler (_HANDLER, or --handler) picks what the function serves:
  webhook   X's webhook from a function URL or an HTTP API: the CRC and the
            signed deliveries, each mention queued in the store before the 200
  worker    the queued mentions, answered with reply threads exactly once;
            woken by the table's stream or a schedule
  schedule  a scheduled event: watch --tweet (--watch) and/or one read of the
            mention timeline (--poll-mentions)

Settings come from the environment as for every command (REINVENT_DB,
REINVENT_BOT_HANDLE, the x-* credentials, ...). Logs are JSON lines on stdout,
one per invocation at least. docs/serverless.md has the events and settings.`,
		Example: `  # As Lambda starts it: the binary is bootstrap, _HANDLER names the handler
  _HANDLER=worker ./bootstrap

  # By hand, against a runtime API emulator on port 9001
  AWS_LAMBDA_RUNTIME_API=127.0.0.1:9001 reinvent lambda --handler webhook`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			logs := *f.Config // JSON lines on stdout at the configured level, as CloudWatch takes them
			logs.LogFormat = "json"
			opts.Logger = logs.Logger(f.IO.Out)
			return runCommand(cmd.Context(), opts, runF, lambdaRun)
		},
	}
	cmd.Flags().StringVar(&opts.Run.Handler, "handler", "", "webhook, worker or schedule; default: the _HANDLER variable Lambda sets")
	cmd.Flags().StringVar(&opts.Run.Path, "path", "/webhook", "URL path of the webhook")
	cmd.Flags().IntVar(&opts.Run.Workers, "workers", 2, "mentions answered at once")
	cmd.Flags().IntVar(&opts.Run.UserLimit, "user-limit", 5, "answers per user an hour; 0 means no limit")
	cmd.Flags().BoolVar(&opts.Run.Watch, "watch", false, "schedule handler: run watch --tweet on each event")
	cmd.Flags().BoolVar(&opts.Run.Poll, "poll-mentions", false, "schedule handler: read the mention timeline once on each event")
	cmd.Flags().BoolVar(&opts.CreateTable, "create-table", false, "create the DynamoDB table of --db dynamodb://TABLE when it is missing (local use and tests)")
	addSourceFlags(f, cmd)
	f.settings.addTo(cmd.Flags(), xSettings...)
	return cmd
}

func lambdaRun(ctx context.Context, opts *LambdaOptions) error {
	cfg, cred := opts.Config, opts.Credentials()
	lo := opts.Run
	lo.BotHandle, lo.ConsumerSecret, lo.ClientSecret = cfg.BotHandle, cfg.XConsumerSecret, cfg.XClientSecret
	lo.Plan = schedule.Options{Location: cfg.Location, UnknownTravel: schedule.DefaultUnknownTravel}
	if lo.Handler == "" {
		lo.Handler = opts.Getenv("_HANDLER")
	}
	if opts.Getenv(lambda.RuntimeAPIEnv) == "" {
		return usageErrorf("%s is not set: reinvent lambda runs inside AWS Lambda, or under a runtime API emulator that sets it", lambda.RuntimeAPIEnv)
	}
	if err := lo.Check(); err != nil {
		return usageError(err)
	}
	if missing := lo.Missing(cred); len(missing) > 0 {
		return missingSettings("reinvent lambda --handler "+lo.Handler+" needs", missing)
	}
	st, err := opts.OpenBackend(ctx, backend.Options{CreateTable: opts.CreateTable})
	if err != nil {
		return err
	}
	defer st.Close()
	client := x.NewClient(cfg.XAPIURL, cred)
	d := lambda.Deps{Store: st, KeepCatalog: opts.KeepCatalog, Poster: client, Timeline: client, Logger: opts.Logger}
	if lo.Watch {
		d.Watch = opts.WatchTweet(st, client)
	}
	return lambda.Run(ctx, d, lo)
}
