package cli

import (
	"bytes"
	"context"
	"os"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"github.com/spf13/viper"

	"github.com/reinvent-cli/reinvent/pkg/secretref"
	"github.com/reinvent-cli/reinvent/pkg/settings"
)

// Config holds every setting as ordinary Go fields; pkg/settings says what
// their values may be, and this package binds them to flags, the environment
// and the config file.
type Config = settings.Config

// binding is the one list of every setting: a flag of the same name (for
// those that are not secret), an env variable and a config file key.
type binding struct {
	cfg      *Config
	flags    *pflag.FlagSet     // every non-secret setting, shared with the commands
	secrets  map[string]*string // settings read from env or the config file only
	commands settings.Commands  // the flags of each command, as settings
	// warnings are said once the logger is set up: REINVENT_ variables
	// that name no setting.
	warnings []string
	// openSecrets opens what resolves secret references; nil is the AWS
	// SDK's (secretref.AWS).
	openSecrets secretref.Open
}

func newSettings(c *Config) *binding {
	fs := pflag.NewFlagSet("settings", pflag.ContinueOnError)
	secrets := map[string]*string{}
	for _, st := range c.Table() {
		switch {
		case st.Group == settings.Secret:
			secrets[st.Name] = st.String
			continue
		case st.Duration != nil:
			fs.DurationVar(st.Duration, st.Name, st.DurationDefault, st.Help)
		default:
			fs.StringVar(st.String, st.Name, st.StringDefault, st.Help)
		}
		if st.Group != settings.Global {
			setGroup(fs, st.Group, st.Name)
		}
	}
	return &binding{cfg: c, flags: fs, secrets: secrets}
}

// Setting groups, added to the commands that use them.
var (
	globalSettings = settings.Names(settings.Global)
	sourceSettings = settings.Names(settings.Source)
	xSettings      = settings.Names(settings.X)
)

// addTo adds the named settings' flags to fs.
func (s *binding) addTo(fs *pflag.FlagSet, names ...string) {
	for _, n := range names {
		fs.AddFlag(s.flags.Lookup(n))
	}
}

// loadFor fills the Config from env, the config file and defaults for
// every setting not given as a flag, sets the flags of cmd (which may be
// nil) that were not given from their settings, then checks the values.
func (s *binding) loadFor(cmd *cobra.Command) error {
	getenv := os.Getenv
	v := viper.New()
	v.SetEnvPrefix("REINVENT")
	v.SetEnvKeyReplacer(strings.NewReplacer("-", "_"))
	v.AutomaticEnv()

	path, data, err := settings.ReadFile(s.cfg.ConfigFile, getenv)
	if err != nil {
		return usageError(err)
	}
	lines := map[string]int{}
	if data != nil {
		if lines, err = s.checkFile(path, data, cmd); err != nil {
			return err
		}
		v.SetConfigType("yaml")
		if err := v.MergeConfig(bytes.NewReader(data)); err != nil {
			return usageErrorf("config file %s: %v", path, err)
		}
	}
	origin := func(name string) string {
		f := s.flags.Lookup(name)
		return settings.Origin(name, f != nil && f.Changed, getenv, path, lines)
	}

	var errs []error
	// set sets fl, when it was not given, from the setting name in the
	// environment or the config file, and reports whether it did.
	set := func(fl *pflag.Flag, name string) bool {
		if fl.Changed || !v.IsSet(name) {
			return false
		}
		val, err := settings.Scalar(v.Get(name))
		if err == nil && fl.Value.Set(val) != nil {
			err = settings.InvalidValue(fl.Value.Type(), val)
		}
		if err != nil {
			errs = append(errs, usageErrorf("%s: %v", origin(name), err))
		}
		return err == nil
	}
	s.flags.VisitAll(func(f *pflag.Flag) {
		if f.Name != "config" {
			set(f, f.Name)
		}
	})
	for name, p := range s.secrets {
		if v.IsSet(name) {
			val, err := settings.SecretValue(name, v.Get(name))
			if err != nil {
				errs = append(errs, usageErrorf("%s: %v", origin(name), err))
			}
			*p = val
		}
	}
	if cmd != nil {
		// cmd's own flags, from the settings named after them
		// (docs/configuration.md, "Command settings"), count as given.
		names := s.commands.ByCommand[cmd.Name()]
		cmd.LocalNonPersistentFlags().VisitAll(func(fl *pflag.Flag) {
			if name, ok := names[fl.Name]; ok && set(fl, name) {
				fl.Changed = true
			}
		})
	}
	if len(errs) > 0 {
		return errs[0]
	}
	s.warnings = s.envWarnings(cmd)
	if err := s.cfg.Validate(origin); err != nil {
		return usageError(err)
	}
	return s.resolveSecrets(cmd)
}

// resolveSecrets replaces the secret settings that hold a reference
// (secretsmanager:... or ssm:...) with what they name: secretref.Resolve,
// which reads no AWS configuration when none does
// (docs/serverless.md#secrets).
func (s *binding) resolveSecrets(cmd *cobra.Command) error {
	ctx := context.Background()
	if cmd != nil && cmd.Context() != nil {
		ctx = cmd.Context()
	}
	return secretref.Resolve(ctx, s.cfg, s.openSecrets)
}

// checkFlags checks the settings typed on the command line, for a command
// that reads neither the environment nor the config file (version).
func (s *binding) checkFlags() error {
	return usageError(s.cfg.Validate(func(name string) string {
		if f := s.flags.Lookup(name); f != nil && f.Changed {
			return "--" + name
		}
		return name
	}))
}

// checkFile is settings.Commands.FileLines: the line of every key of a
// config file, or a usage error naming the closest settings to an unknown
// key, those of cmd (which may be nil) first.
func (s *binding) checkFile(path string, data []byte, cmd *cobra.Command) (map[string]int, error) {
	lines, err := s.commands.FileLines(path, data, settings.AllNames(), func(key string) []string {
		ofCmd, all := s.settingSpellings(cmd)
		return settings.Closest(key, ofCmd, all)
	})
	if err != nil {
		return nil, usageError(err)
	}
	return lines, nil
}
