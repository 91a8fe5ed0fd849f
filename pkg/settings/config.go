// Package settings holds reinvent's settings as ordinary Go fields and the
// rules about their values and names that need no command-line library:
// defaults, validation, environment names, the config file's keys and the
// "did you mean" ranking (docs/configuration.md).
package settings

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// Default event ids per source (docs/configuration.md).
const (
	DefaultEventsAPIEvent = "reinvent2026"
	DefaultPortalEvent    = "b84dca69-6995-4e60-bc3f-7bb7a6d170d1"
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
	// Notify are follow's notify URLs, separated by spaces (docs/notify.md);
	// secret: they hold topics, tokens and passwords.
	Notify    string
	BotHandle string

	// Location is Timezone loaded; set by Validate.
	Location *time.Location
}

// EnvName is the environment variable of a setting.
func EnvName(name string) string {
	return "REINVENT_" + strings.ToUpper(strings.ReplaceAll(name, "-", "_"))
}

// Scalar turns a value from env or YAML into the string a flag parses.
func Scalar(v any) (string, error) {
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

// List turns a value from env or YAML into the string of a setting that
// holds several values separated by spaces (notify): a YAML list of
// strings, or one string.
func List(v any) (string, error) {
	items, ok := v.([]any)
	if !ok {
		s, err := Scalar(v)
		if err != nil {
			return "", errors.New("want a URL, or a list of URLs")
		}
		return s, nil
	}
	words := make([]string, 0, len(items))
	for i, it := range items {
		s, ok := it.(string)
		if !ok || s == "" || strings.ContainsAny(s, " \t\n") {
			// Never the value itself: it may be a secret.
			return "", fmt.Errorf("item %d of the list: want a URL, with no spaces", i+1)
		}
		words = append(words, s)
	}
	return strings.Join(words, " "), nil
}

// InvalidValue is the error for a value a setting of type typ (a pflag
// type name) cannot take: the same words whether it came from a flag, the
// environment or the config file.
func InvalidValue(typ, val string) error {
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

// Logger logs to w at the log-level, in the log-format (text or JSON),
// of settings Validate accepted.
func (c *Config) Logger(w io.Writer) *slog.Logger {
	var level slog.Level
	_ = level.UnmarshalText([]byte(c.LogLevel)) // validated
	opts := &slog.HandlerOptions{Level: level}
	if c.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// Validate checks the settings that take one of a few values, and loads the
// time zone into Location. origin names where a setting's value came from
// (a flag, a variable, a line of the config file), for the error.
func (c *Config) Validate(origin func(name string) string) error {
	oneOf := func(name, val string, allowed ...string) error {
		if slices.Contains(allowed, val) {
			return nil
		}
		return fmt.Errorf("%s: unknown value %q%s: use %s", origin(name), val,
			DidYouMean(Closest(val, Spellings(allowed...)), AsIs), strings.Join(allowed, ", "))
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
		return fmt.Errorf("%s: unknown source %q%s: use events-api, portal, sample, or the path of a .json or .csv file written by reinvent download",
			origin("source"), c.Source, DidYouMean(Closest(c.Source, Spellings("events-api", "portal", "sample")), AsIs))
	}
	if strings.TrimSpace(strings.TrimPrefix(c.DB, "dynamodb://")) == "" && c.DB != "" {
		return fmt.Errorf("%s: dynamodb:// names no table: use dynamodb://TABLE (docs/serverless.md)", origin("db"))
	}
	if c.MaxAge < 0 {
		return fmt.Errorf("%s: must not be negative", origin("max-age"))
	}
	loc, err := time.LoadLocation(c.Timezone)
	if err != nil || c.Timezone == "" {
		return fmt.Errorf("%s: unknown time zone %q: use an IANA name such as America/Los_Angeles", origin("timezone"), c.Timezone)
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
		return DefaultPortalEvent
	default:
		return DefaultEventsAPIEvent
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

// Zone is the event's zone as the settings say (Location once they are
// checked, else the timezone setting), or UTC when they name none that
// loads.
func (c *Config) Zone() *time.Location {
	if c.Location != nil {
		return c.Location
	}
	if loc, err := time.LoadLocation(c.Timezone); err == nil && c.Timezone != "" {
		return loc
	}
	return time.UTC
}

// Summary reports whether a run's summary goes to stderr: unless the
// log level is warn or error.
func (c *Config) Summary() bool { return c.LogLevel == "debug" || c.LogLevel == "info" }

// SecretValue is the value of the secret setting name as the environment
// or the config file holds it: one value, or for notify a list of URLs.
func SecretValue(name string, v any) (string, error) {
	if name == "notify" {
		return List(v)
	}
	return Scalar(v)
}
