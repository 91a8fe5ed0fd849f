package cli

import (
	"github.com/spf13/cobra"

	"github.com/reinvent-cli/reinvent/pkg/settings"
)

// unknownSubcommand is the usage error of a command group (x, x webhooks,
// completion) given a word that names none of its subcommands: it names
// the closest ones, as the root does for a mistyped command.
func unknownSubcommand(cmd *cobra.Command, typed string) error {
	return usageErrorf("unknown command %q for %q%s; run '%s --help' for the list of commands",
		typed, cmd.CommandPath(), settings.DidYouMean(settings.Closest(typed, subcommandNames(cmd)), settings.AsIs), cmd.CommandPath())
}
