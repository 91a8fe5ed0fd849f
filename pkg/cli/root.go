// Package cli builds the reinvent command tree: one file per command, the
// configuration binding, and the streams commands write to.
package cli

import (
	"errors"
	"slices"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/reinvent-cli/reinvent/internal/buildinfo"
	"github.com/reinvent-cli/reinvent/pkg/settings"
)

// skipConfig marks commands that must work whatever the configuration says,
// such as version and completion.
const skipConfig = "reinvent/skip-config"

// NewRootCmd returns the reinvent command with every subcommand.
func NewRootCmd(f *Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "reinvent <command> [flags]",
		Short: "Download, watch and schedule the AWS re:Invent session catalog",
		Long: `reinvent downloads the AWS re:Invent session catalog, watches it and posts its
changes to X, plans and reserves the best personal schedule, and follows it.

Every setting is a flag --NAME, a variable REINVENT_NAME and a key NAME in the
YAML config file, in that order; secrets are read only from the last two
(docs/configuration.md). Try it with no account on the embedded sample catalog:

  reinvent download --source sample --starred
  reinvent schedule --source sample SVS401 ARC302`,
		SilenceUsage:  true,
		SilenceErrors: true,
		Args:          cobra.ArbitraryArgs,
		// Version makes --version print what reinvent version prints.
		Version: buildinfo.Line(f.Version),
		PersistentPreRunE: func(cmd *cobra.Command, args []string) error {
			tuneGC(cmd)
			for c := cmd; c != nil; c = c.Parent() {
				if c.Name() == cobra.ShellCompRequestCmd {
					return nil
				}
				if c.Annotations[skipConfig] != "" {
					// The environment and the config file are not read,
					// but what was typed on the command line is checked.
					return f.settings.checkFlags()
				}
			}
			return f.loadConfig(cmd)
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) > 0 {
				return usageErrorf("unknown command %q%s; run 'reinvent --help' for the list of commands",
					args[0], settings.DidYouMean(settings.Closest(args[0], subcommandNames(cmd)), settings.AsIs))
			}
			return cmd.Help()
		},
	}
	f.settings.addTo(cmd.PersistentFlags(), globalSettings...)
	// Only the long form: -v would be taken for verbose.
	cmd.Flags().Bool("version", false, "print the version of reinvent, as reinvent version does")
	cmd.SetVersionTemplate("{{.Version}}\n")
	cmd.SetFlagErrorFunc(flagError)
	cmd.SetUsageTemplate(usageTemplate)
	cmd.SetOut(f.IO.Out)
	cmd.SetErr(f.IO.ErrOut)
	cmd.SetIn(f.IO.In)

	cmd.AddCommand(
		NewCmdDownload(f, nil),
		NewCmdWatch(f, nil),
		NewCmdSchedule(f, nil),
		NewCmdSearch(f, nil),
		NewCmdShow(f, nil),
		NewCmdReserve(f, nil),
		NewCmdFollow(f, nil),
		NewCmdFavorite(f, nil),
		NewCmdCancel(f, nil),
		NewCmdMCP(f, nil),
		NewCmdServeWebhook(f, nil),
		NewCmdLambda(f, nil),
		NewCmdX(f, nil),
		NewCmdLogin(f, nil),
		NewCmdLogout(f, nil),
		NewCmdVersion(f, nil),
	)
	cmd.InitDefaultCompletionCmd()
	f.settings.registerCommands(cmd)
	f.registerCompletions(cmd)
	completionCommand(cmd)
	return cmd
}

// flagError turns a flag parsing error into a usage error (exit 2): a
// secret passed as a flag says where to put it instead, an unknown flag
// names the closest ones, and a bad value reads as it does when it comes
// from the environment or the config file.
func flagError(cmd *cobra.Command, err error) error {
	var unknown *pflag.NotExistError
	var invalid *pflag.InvalidValueError
	switch {
	case errors.As(err, &unknown) && unknown.GetSpecifiedShortnames() == "":
		name := unknown.GetSpecifiedName()
		if slices.Contains(settings.Names(settings.Secret), name) { // never a flag: say where it goes
			return usageErrorf("%s is a secret and is not accepted as a flag (it would show in ps and shell history): set %s or put %q in the config file", name, settings.EnvName(name), name+": ...")
		}
		return usageErrorf("%v%s; run '%s --help' for usage", err,
			settings.DidYouMean(settings.Closest(name, flagNames(cmd)), func(n string) string { return "--" + n }), cmd.CommandPath())
	case errors.As(err, &invalid):
		fl := invalid.GetFlag()
		return usageErrorf("--%s: %v", fl.Name, settings.InvalidValue(fl.Value.Type(), invalid.GetValue()))
	}
	return usageErrorf("%v; run '%s --help' for usage", err, cmd.CommandPath())
}

// noArgs is a cobra argument check that fails with a usage error.
func noArgs(cmd *cobra.Command, args []string) error {
	if len(args) > 0 && cmd.HasAvailableSubCommands() {
		return unknownSubcommand(cmd, args[0])
	}
	if len(args) > 0 {
		return usageErrorf("%s takes no arguments, got %q; run '%s --help' for usage", cmd.CommandPath(), args[0], cmd.CommandPath())
	}
	return nil
}
