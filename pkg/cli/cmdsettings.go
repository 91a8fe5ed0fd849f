package cli

import (
	"os"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/reinvent-cli/reinvent/pkg/settings"
)

// registerCommands makes a setting of every local flag of root's commands,
// named as settings.CommandSettings says (docs/configuration.md, "Command
// settings").
func (s *binding) registerCommands(root *cobra.Command) {
	var uses []settings.FlagUse
	for _, c := range root.Commands() {
		// Before the command runs, Flags holds only the command's own flags:
		// LocalNonPersistentFlags would merge the parents' in first, which
		// costs every run a third of its start-up.
		c.Flags().VisitAll(func(fl *pflag.Flag) {
			if s.flags.Lookup(fl.Name) != nil || c.PersistentFlags().Lookup(fl.Name) != nil || fl.Name == "help" { // help is no setting
				return
			}
			uses = append(uses, settings.FlagUse{Command: c.Name(), Flag: fl.Name, Usage: fl.Usage})
		})
	}
	s.commands = settings.CommandSettings(uses)
}

// envWarnings names the REINVENT_ variables that are set but name no
// setting, with the closest settings' variables: those of cmd (which may be
// nil) first, so that REINVENT_FROMAT for schedule is
// REINVENT_SCHEDULE_FORMAT.
func (s *binding) envWarnings(cmd *cobra.Command) []string {
	ofCmd, all := s.settingSpellings(cmd)
	return settings.EnvWarnings(os.Environ(), append(settings.AllNames(), s.commands.Names()...), ofCmd, all)
}
