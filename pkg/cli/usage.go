package cli

import (
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// flagGroup is the flag annotation that puts a setting under its own
// heading in --help, away from the command's own flags.
const flagGroup = "reinvent/group"

// Headings of the flag groups, in the order help shows them.
var flagGroups = []struct{ key, heading string }{
	{"", "Flags"},
	{"source", "Catalog source flags (for --source portal and events-api)"},
	{"x", "X flags"},
}

// setGroup marks the named flags of fs as belonging to group.
func setGroup(fs *pflag.FlagSet, group string, names ...string) {
	for _, n := range names {
		_ = fs.SetAnnotation(n, flagGroup, []string{group})
	}
}

// groupedFlagUsages returns the help text of cmd's local flags, one block
// per group with a heading.
func groupedFlagUsages(cmd *cobra.Command) string {
	var b strings.Builder
	for _, g := range flagGroups {
		fs := pflag.NewFlagSet(g.key, pflag.ContinueOnError)
		cmd.LocalFlags().VisitAll(func(f *pflag.Flag) {
			if group := f.Annotations[flagGroup]; (len(group) > 0 && group[0] == g.key) || (len(group) == 0 && g.key == "") {
				fs.AddFlag(f)
			}
		})
		if fs.HasAvailableFlags() {
			b.WriteString("\n" + g.heading + ":\n" + strings.TrimRight(fs.FlagUsages(), " \n") + "\n")
		}
	}
	return b.String()
}

// usageTemplate is cobra's default with the local flags grouped.
const usageTemplate = `Usage:{{if .Runnable}}
  {{.UseLine}}{{end}}{{if .HasAvailableSubCommands}}
  {{.CommandPath}} [command]{{end}}{{if gt (len .Aliases) 0}}

Aliases:
  {{.NameAndAliases}}{{end}}{{if .HasExample}}

Examples:
{{.Example}}{{end}}{{if .HasAvailableSubCommands}}

Available Commands:{{range .Commands}}{{if (or .IsAvailableCommand (eq .Name "help"))}}
  {{rpad .Name .NamePadding }} {{.Short}}{{end}}{{end}}{{end}}{{if .HasAvailableLocalFlags}}
{{groupedFlagUsages .}}{{end}}{{if .HasAvailableInheritedFlags}}
Global Flags:
{{.InheritedFlags.FlagUsages | trimTrailingWhitespaces}}{{end}}{{if .HasAvailableSubCommands}}

Use "{{.CommandPath}} [command] --help" for more information about a command.{{end}}
`

func init() {
	cobra.AddTemplateFunc("groupedFlagUsages", groupedFlagUsages)
}
