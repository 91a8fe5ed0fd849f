package cli

import (
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/reinvent-cli/reinvent/pkg/settings"
)

// subcommandNames lists the names and aliases of cmd's subcommands a user
// may type.
func subcommandNames(cmd *cobra.Command) []settings.Spelling {
	var out []settings.Spelling
	for _, c := range cmd.Commands() {
		if !c.IsAvailableCommand() && c.Name() != "help" {
			continue
		}
		out = append(out, settings.Spelling{Typed: c.Name(), Name: c.Name()})
		for _, a := range c.Aliases {
			out = append(out, settings.Spelling{Typed: a, Name: c.Name()})
		}
	}
	return out
}

// flagNames lists the flags cmd accepts, by their long names.
func flagNames(cmd *cobra.Command) []settings.Spelling {
	var out []settings.Spelling
	cmd.Flags().VisitAll(func(fl *pflag.Flag) {
		if !fl.Hidden {
			out = append(out, settings.Spelling{Typed: fl.Name, Name: fl.Name})
		}
	})
	return out
}

// settingSpellings returns the settings, in two groups for settings.Closest: those
// of cmd, spelled by their names and by their flags' names, then every
// setting. cmd may be nil.
func (s *binding) settingSpellings(cmd *cobra.Command) (ofCmd, all []settings.Spelling) {
	if cmd != nil {
		names := s.commands.ByCommand[cmd.Name()]
		cmd.Flags().VisitAll(func(fl *pflag.Flag) {
			name := names[fl.Name]
			if s.flags.Lookup(fl.Name) != nil {
				name = fl.Name
			}
			if name == "" || name == "config" {
				return
			}
			ofCmd = append(ofCmd, settings.Spelling{Typed: fl.Name, Name: name}, settings.Spelling{Typed: name, Name: name})
		})
	}
	for _, n := range append(settings.AllNames(), s.commands.Names()...) {
		if n != "config" {
			all = append(all, settings.Spelling{Typed: n, Name: n})
		}
	}
	return ofCmd, all
}
