package cli

import (
	"github.com/spf13/cobra"
)

// The commands below are part of the contract (SPEC §5) and have their
// flags already; their work arrives in later releases.

// NewCmdWatch returns the watch command.
func NewCmdWatch(f *Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "watch [--tweet] [--announce-initial] [--allow-mass-removal] [--format text|json]",
		Short: "Record catalog changes and post new or changed sessions to X",
		Long: `Fetch the whole catalog, compare it with the store, record a new version of every
session whose data changed and a tombstone for every session that disappeared, and
print one line per change. With --tweet, new, removed and rescheduled or renamed
sessions are posted to X exactly once, across crashes and reruns.

The catalog of an event that requires registration is gated: posting it publicly
may break the event's terms of use. Check them before you use --tweet.`,
		Args: noArgs,
		RunE: notYet("reinvent watch is"),
	}
	cmd.Flags().Bool("tweet", false, "post each change to X")
	cmd.Flags().Bool("announce-initial", false, "on the first run, post every session instead of recording a silent baseline")
	cmd.Flags().Bool("allow-mass-removal", false, "record a fetch that removes more than 20% of known sessions")
	cmd.Flags().String("format", "text", "output format: text or json")
	f.settings.addTo(cmd.Flags(), sourceSettings...)
	f.settings.addTo(cmd.Flags(), xSettings...)
	return cmd
}

// NewCmdServeWebhook returns the serve-webhook command.
func NewCmdServeWebhook(f *Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "serve-webhook [--addr ADDR] [--path /webhook] [--dry-run] [--workers N]",
		Short: "Answer X mentions with a schedule (the X webhook)",
		Args:  noArgs,
		RunE:  notYet("reinvent serve-webhook is"),
	}
	cmd.Flags().String("addr", ":8080", "address to listen on")
	cmd.Flags().String("path", "/webhook", "URL path of the webhook")
	cmd.Flags().Bool("dry-run", false, "log the reply threads instead of posting them")
	cmd.Flags().Int("workers", 2, "mentions answered at once")
	f.settings.addTo(cmd.Flags(), sourceSettings...)
	f.settings.addTo(cmd.Flags(), xSettings...)
	return cmd
}

func notYet(what string) func(*cobra.Command, []string) error {
	return func(*cobra.Command, []string) error {
		return &ExitError{Code: ExitFailure, Err: errNotYet(what)}
	}
}
