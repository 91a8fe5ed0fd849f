package cli

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"github.com/spf13/viper"
	"go.yaml.in/yaml/v3"

	"github.com/reinvent-cli/reinvent/internal/yamlline"
)

// Default event ids per source (docs/configuration.md).
const (
	defaultEventsAPIEvent = "reinvent2026"
	defaultPortalEvent    = "b84dca69-6995-4e60-bc3f-7bb7a6d170d1"
)

// Config holds every setting of docs/configuration.md as ordinary Go fields. It is filled
// once per run from flags, REINVENT_* env variables, the config file and
// defaults, in that order of precedence.
type Config struct {
	ConfigFile string
	DB         string
	Source     string
	Event      string
	Timezone   string
	MaxAge     time.Duration
	LogLevel   string
	LogFormat  string

	PortalURL           string
	CognitoRegion       string
	CognitoUserPoolID   string
	CognitoClientID     string
	CognitoClientSecret string // secret
	CognitoEndpoint     string
	AuthFlow            string
	Username            string
	Password            string // secret

	EventsAPIURL  string
	OAuthURL      string
	OAuthClientID string

	XAPIURL            string
	XConsumerKey       string
	XConsumerSecret    string // secret
	XAccessToken       string // secret
	XAccessTokenSecret string // secret
	XClientSecret      string // secret; the app's OAuth 2.0 client secret, for webhooks only
	BotHandle          string

	// Location is Timezone loaded; set by load.
	Location *time.Location
}

// settings is the one list of every setting: a flag of the same name (for
// those that are not secret), an env variable and a config file key.
type settings struct {
	cfg      *Config
	flags    *pflag.FlagSet     // every non-secret setting, shared with the commands
	secrets  map[string]*string // settings read from env or the config file only
	commands commandSettings    // the flags of each command, as settings
	// warnings are said once the logger is set up: REINVENT_ variables
	// that name no setting.
	warnings []string
}

func newSettings(c *Config) *settings {
	fs := pflag.NewFlagSet("settings", pflag.ContinueOnError)
	fs.StringVar(&c.ConfigFile, "config", "", "config file (default <user config dir>/reinvent/config.yaml)")
	fs.StringVar(&c.DB, "db", "", "SQLite store, created with its directory when missing (default $XDG_DATA_HOME/reinvent/reinvent.db, else ~/.local/share/reinvent/reinvent.db)")
	fs.StringVar(&c.Source, "source", "events-api", "catalog source: events-api, portal, sample, or a .json or .csv file written by download")
	fs.StringVar(&c.Event, "event", "", "event id (default reinvent2026 for events-api, "+defaultPortalEvent+" for portal)")
	fs.StringVar(&c.Timezone, "timezone", "America/Los_Angeles", "the event's wall-clock time zone (CSV times, day names)")
	fs.DurationVar(&c.MaxAge, "max-age", 12*time.Hour, "how old a cached catalog may be before schedule and serve-webhook fetch again")
	fs.StringVar(&c.LogLevel, "log-level", "info", "log level: debug, info, warn or error (logs go to stderr)")
	fs.StringVar(&c.LogFormat, "log-format", "text", "log format: text or json")

	fs.StringVar(&c.PortalURL, "portal-url", "https://api.us-east-1.prod.events.aws.a2z.com/attendee/graphql", "attendee portal GraphQL endpoint (portal source)")
	fs.StringVar(&c.CognitoRegion, "cognito-region", "us-east-1", "Cognito region (portal source)")
	fs.StringVar(&c.CognitoUserPoolID, "cognito-user-pool-id", "us-east-1_Xuc1O0biz", "Cognito user pool id (portal source)")
	fs.StringVar(&c.CognitoClientID, "cognito-client-id", "2h40eam2atft40g0c3mlg0aei1", "Cognito app client id (portal source)")
	fs.StringVar(&c.CognitoEndpoint, "cognito-endpoint", "", "base endpoint override for the Cognito IdP API (default: AWS's)")
	fs.StringVar(&c.AuthFlow, "auth-flow", "srp", "portal sign-in: srp (USER_SRP_AUTH) or password (USER_PASSWORD_AUTH)")
	fs.StringVar(&c.Username, "username", "", "attendee portal user name (portal source)")

	fs.StringVar(&c.EventsAPIURL, "events-api-url", "https://api.awsevents.com", "AWS Events API base URL (events-api source)")
	fs.StringVar(&c.OAuthURL, "oauth-url", "https://oauth.awsevents.com", "AWS Events OAuth server (events-api source)")
	fs.StringVar(&c.OAuthClientID, "oauth-client-id", "7vmom55m1qstvq8i71ph127bfq", "AWS Events OAuth public client id")

	fs.StringVar(&c.XAPIURL, "x-api-url", "https://api.x.com", "X API base URL")
	fs.StringVar(&c.XConsumerKey, "x-consumer-key", "", "X app consumer key (OAuth 1.0a)")
	fs.StringVar(&c.BotHandle, "bot-handle", "", "the bot's X handle without @ (serve-webhook)")

	setGroup(fs, "source", sourceSettings...)
	setGroup(fs, "x", xSettings...)
	return &settings{
		cfg:   c,
		flags: fs,
		secrets: map[string]*string{
			"password":              &c.Password,
			"cognito-client-secret": &c.CognitoClientSecret,
			"x-consumer-secret":     &c.XConsumerSecret,
			"x-access-token":        &c.XAccessToken,
			"x-access-token-secret": &c.XAccessTokenSecret,
			"x-client-secret":       &c.XClientSecret,
		},
	}
}

// Setting groups, added to the commands that use them.
var (
	globalSettings = []string{"config", "db", "source", "event", "timezone", "max-age", "log-level", "log-format"}
	sourceSettings = []string{"portal-url", "cognito-region", "cognito-user-pool-id", "cognito-client-id",
		"cognito-endpoint", "auth-flow", "username", "events-api-url", "oauth-url", "oauth-client-id"}
	xSettings = []string{"x-api-url", "x-consumer-key", "bot-handle"}
)

// addTo adds the named settings' flags to fs.
func (s *settings) addTo(fs *pflag.FlagSet, names ...string) {
	for _, n := range names {
		fs.AddFlag(s.flags.Lookup(n))
	}
}

// envName is the environment variable of a setting.
func envName(name string) string {
	return "REINVENT_" + strings.ToUpper(strings.ReplaceAll(name, "-", "_"))
}

// load fills the Config from env, the config file and defaults for every
// setting not given as a flag, then checks the values.
func (s *settings) load() error { return s.loadFor(nil) }

// loadFor is load, and also sets the flags of cmd that were not given from
// their settings.
func (s *settings) loadFor(cmd *cobra.Command) error {
	getenv := os.Getenv
	v := viper.New()
	v.SetEnvPrefix("REINVENT")
	v.SetEnvKeyReplacer(strings.NewReplacer("-", "_"))
	v.AutomaticEnv()

	path, explicit := s.cfg.ConfigFile, true
	if path == "" {
		path = getenv("REINVENT_CONFIG")
	}
	if path == "" {
		explicit = false
		if dir, err := os.UserConfigDir(); err == nil {
			path = filepath.Join(dir, "reinvent", "config.yaml")
		}
	}
	lines := map[string]int{}
	if path != "" {
		data, err := os.ReadFile(path)
		switch {
		case err == nil:
			lines, err = s.checkFile(path, data, cmd)
			if err != nil {
				return err
			}
			v.SetConfigType("yaml")
			if err := v.MergeConfig(bytes.NewReader(data)); err != nil {
				return usageErrorf("config file %s: %v", path, err)
			}
		case explicit || !errors.Is(err, fs.ErrNotExist):
			return usageErrorf("config file: %v; check --config or REINVENT_CONFIG", err)
		}
	}
	origin := func(name string) string {
		if s.flags.Lookup(name) != nil && s.flags.Lookup(name).Changed {
			return "--" + name
		}
		if getenv(envName(name)) != "" {
			return envName(name)
		}
		if l, ok := lines[name]; ok {
			return fmt.Sprintf("config file %s:%d: %s", path, l, name)
		}
		return name
	}

	var errs []error
	s.flags.VisitAll(func(f *pflag.Flag) {
		if f.Changed || f.Name == "config" || !v.IsSet(f.Name) {
			return
		}
		val, err := scalar(v.Get(f.Name))
		if err == nil && f.Value.Set(val) != nil {
			err = invalidValue(f.Value.Type(), val)
		}
		if err != nil {
			errs = append(errs, usageErrorf("%s: %v", origin(f.Name), err))
		}
	})
	for name, p := range s.secrets {
		if v.IsSet(name) {
			val, err := scalar(v.Get(name))
			if err != nil {
				errs = append(errs, usageErrorf("%s: %v", origin(name), err))
			}
			*p = val
		}
	}
	if len(errs) > 0 {
		return errs[0]
	}
	get := func(name string) (any, bool) {
		if !v.IsSet(name) {
			return nil, false
		}
		return v.Get(name), true
	}
	if err := s.loadCommand(cmd, get, origin); err != nil {
		return err
	}
	s.warnings = s.envWarnings(cmd)
	return s.validate(origin)
}

// checkFlags checks the settings typed on the command line, for a command
// that reads neither the environment nor the config file (version).
func (s *settings) checkFlags() error {
	return s.validate(func(name string) string {
		if f := s.flags.Lookup(name); f != nil && f.Changed {
			return "--" + name
		}
		return name
	})
}

// names lists every setting, flags and secrets.
func (s *settings) names() []string {
	var names []string
	s.flags.VisitAll(func(f *pflag.Flag) { names = append(names, f.Name) })
	for n := range s.secrets {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// checkFile parses a config file to report syntax errors and unknown keys
// with their line, and returns the line of every key. An unknown key names
// the closest settings, those of cmd (which may be nil) first.
func (s *settings) checkFile(path string, data []byte, cmd *cobra.Command) (map[string]int, error) {
	doc, err := parseYAML(data)
	if err != nil {
		return nil, yamlError(path, data, err)
	}
	lines := map[string]int{}
	if len(doc.Content) == 0 {
		return lines, nil // empty file
	}
	root := doc.Content[0]
	if root.Kind == yaml.ScalarNode && root.ShortTag() == "!!null" {
		return lines, nil // an empty document: "---", "~"
	}
	if root.Kind != yaml.MappingNode {
		return nil, usageErrorf("config file %s:%d: want a mapping of setting: value, like \"source: sample\"", path, root.Line)
	}
	ofCmd, all := s.settingSpellings(cmd)
	known := append(s.names(), s.commandNames()...)
	slices.Sort(known)
	for i := 0; i+1 < len(root.Content); i += 2 {
		k := root.Content[i]
		if names := s.commands.shared[k.Value]; len(names) > 0 {
			return nil, usageErrorf("config file %s:%d: %q means something different for each command; use %s", path, k.Line, k.Value, strings.Join(names, ", "))
		}
		if _, ok := slices.BinarySearch(known, k.Value); !ok || k.Value == "config" {
			return nil, usageErrorf("config file %s:%d: unknown setting %q%s; the settings are listed in reinvent --help and docs/configuration.md",
				path, k.Line, k.Value, didYouMean(closest(k.Value, ofCmd, all), asIs))
		}
		lines[k.Value] = k.Line
	}
	return lines, nil
}

// scalar turns a value from env or YAML into the string a flag parses.
func scalar(v any) (string, error) {
	switch v := v.(type) {
	case string:
		return v, nil
	case int, int64, float64, bool:
		return fmt.Sprint(v), nil
	case nil:
		return "", nil
	case []any:
		return "", errors.New("want a single value, got a list")
	case map[string]any, map[any]any:
		return "", errors.New("want a single value, got a mapping")
	default:
		// Never the value itself: it may be a secret.
		return "", fmt.Errorf("want a single value, got a %T", v)
	}
}

// invalidValue is the error for a value a setting of type typ (a pflag
// type) cannot take: the same words whether it came from a flag, the
// environment or the config file.
func invalidValue(typ, val string) error {
	want := "want a " + typ
	switch typ {
	case "duration":
		want = "want a duration such as 12h, 30m or 90s"
	case "bool":
		want = "want true or false"
	case "int", "int64", "uint", "uint64":
		want = "want a whole number"
	}
	return fmt.Errorf("invalid %s %q: %s", typ, val, want)
}

// parseYAML parses a YAML document, turning a panic of the library into an
// error.
func parseYAML(data []byte) (doc yaml.Node, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("yaml: %v", r)
		}
	}()
	err = yaml.Unmarshal(data, &doc)
	return doc, err
}

// yamlError is the one-line error for a config file YAML cannot parse, at
// the line where it goes wrong. The library's own "line N" is one too few
// for most errors and missing on line 1, so the line is found as the fewest
// leading lines of the file that fail the same way. A line indented with a
// tab is said to be: YAML forbids tabs there.
func yamlError(path string, data []byte, err error) error {
	n := yamlline.Find(data, func(prefix []byte) bool {
		_, e := parseYAML(prefix)
		return e != nil && e.Error() == err.Error()
	})
	line := data
	for range n - 1 {
		line = line[bytes.IndexByte(line, '\n')+1:]
	}
	if i := bytes.IndexByte(line, '\n'); i >= 0 {
		line = line[:i+1]
	}
	if indent := line[:len(line)-len(bytes.TrimLeft(line, " \t"))]; bytes.IndexByte(indent, '\t') >= 0 {
		return usageErrorf("config file %s:%d: the line is indented with a tab, which YAML forbids; indent with spaces", path, n)
	}
	msg := yamlLineRE.ReplaceAllString(strings.TrimPrefix(err.Error(), "yaml: "), "")
	return usageErrorf("config file %s:%d: invalid YAML: %s", path, n, msg)
}

// yamlLineRE matches the YAML library's own, unreliable, line number.
var yamlLineRE = regexp.MustCompile(`^line \d+: `)

// validate checks the settings that take one of a few values, and loads the
// time zone.
func (s *settings) validate(origin func(string) string) error {
	c := s.cfg
	oneOf := func(name, val string, allowed ...string) error {
		if slices.Contains(allowed, val) {
			return nil
		}
		return usageErrorf("%s: unknown value %q%s: use %s", origin(name), val,
			didYouMean(closest(val, spellings(allowed...)), asIs), strings.Join(allowed, ", "))
	}
	if err := oneOf("log-level", c.LogLevel, "debug", "info", "warn", "error"); err != nil {
		return err
	}
	if err := oneOf("log-format", c.LogFormat, "text", "json"); err != nil {
		return err
	}
	if err := oneOf("auth-flow", c.AuthFlow, "srp", "password"); err != nil {
		return err
	}
	switch ext := strings.ToLower(filepath.Ext(c.Source)); {
	case c.Source == "sample", c.Source == "portal", c.Source == "events-api", ext == ".json", ext == ".csv":
	default:
		return usageErrorf("%s: unknown source %q%s: use events-api, portal, sample, or the path of a .json or .csv file written by reinvent download",
			origin("source"), c.Source, didYouMean(closest(c.Source, spellings("events-api", "portal", "sample")), asIs))
	}
	if c.MaxAge < 0 {
		return usageErrorf("%s: must not be negative", origin("max-age"))
	}
	loc, err := time.LoadLocation(c.Timezone)
	if err != nil || c.Timezone == "" {
		return usageErrorf("%s: unknown time zone %q: use an IANA name such as America/Los_Angeles", origin("timezone"), c.Timezone)
	}
	c.Location = loc
	return nil
}

// EventFor returns the event id to fetch from the named source: the event
// setting, else the source's default.
func (c *Config) EventFor(source string) string {
	switch {
	case c.Event != "":
		return c.Event
	case source == "portal":
		return defaultPortalEvent
	default:
		return defaultEventsAPIEvent
	}
}

// DBPath returns the store's path: the db setting, else
// $XDG_DATA_HOME/reinvent/reinvent.db, else ~/.local/share/reinvent/reinvent.db.
func (c *Config) DBPath(getenv func(string) string) (string, error) {
	if c.DB != "" {
		return c.DB, nil
	}
	if d := getenv("XDG_DATA_HOME"); d != "" {
		return filepath.Join(d, "reinvent", "reinvent.db"), nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", fmt.Errorf("find the store: %w; set --db or REINVENT_DB", err)
	}
	return filepath.Join(home, ".local", "share", "reinvent", "reinvent.db"), nil
}
