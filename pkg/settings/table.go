package settings

import (
	"slices"
	"time"
)

// Groups of settings: which commands take a setting as a flag.
const (
	Global = "global" // every command
	Source = "source" // the commands that fetch the catalog
	X      = "x"      // the commands that talk to X
	Secret = "secret" // none: read from the environment or the config file only
)

// Setting is one setting of docs/configuration.md: its name (the flag's,
// with EnvName the variable's, and the config file's key), its group, its
// help, and the field of a Config it fills with its default.
type Setting struct {
	Name, Group, Help string
	// String or Duration is the field, with its default in StringDefault
	// or DurationDefault.
	String          *string
	StringDefault   string
	Duration        *time.Duration
	DurationDefault time.Duration
}

// Table lists every setting, each filling its field of c.
func (c *Config) Table() []Setting {
	str := func(p *string, name, group, def, help string) Setting {
		return Setting{Name: name, Group: group, Help: help, String: p, StringDefault: def}
	}
	secret := func(p *string, name string) Setting { return str(p, name, Secret, "", "") }
	return []Setting{
		str(&c.ConfigFile, "config", Global, "", "config file (default <user config dir>/reinvent/config.yaml)"),
		str(&c.DB, "db", Global, "", "SQLite store, created with its directory when missing (default $XDG_DATA_HOME/reinvent/reinvent.db, else ~/.local/share/reinvent/reinvent.db), or dynamodb://TABLE"),
		str(&c.Source, "source", Global, "events-api", "catalog source: events-api, portal, sample, or a .json or .csv file written by download"),
		str(&c.Event, "event", Global, "", "event id (default "+DefaultEventsAPIEvent+" for events-api, "+DefaultPortalEvent+" for portal)"),
		str(&c.Timezone, "timezone", Global, "America/Los_Angeles", "the event's wall-clock time zone (CSV times, day names)"),
		{Name: "max-age", Group: Global, Help: "how old a cached catalog may be before schedule and serve-webhook fetch again", Duration: &c.MaxAge, DurationDefault: 12 * time.Hour},
		str(&c.LogLevel, "log-level", Global, "info", "log level: debug, info, warn or error (logs go to stderr)"),
		str(&c.LogFormat, "log-format", Global, "text", "log format: text or json"),

		str(&c.PortalURL, "portal-url", Source, "https://api.us-east-1.prod.events.aws.a2z.com/attendee/graphql", "attendee portal GraphQL endpoint (portal source)"),
		str(&c.CognitoRegion, "cognito-region", Source, "us-east-1", "Cognito region (portal source)"),
		str(&c.CognitoUserPoolID, "cognito-user-pool-id", Source, "us-east-1_Xuc1O0biz", "Cognito user pool id (portal source)"),
		str(&c.CognitoClientID, "cognito-client-id", Source, "2h40eam2atft40g0c3mlg0aei1", "Cognito app client id (portal source)"),
		str(&c.CognitoEndpoint, "cognito-endpoint", Source, "", "base endpoint override for the Cognito IdP API (default: AWS's)"),
		str(&c.AuthFlow, "auth-flow", Source, "srp", "portal sign-in: srp (USER_SRP_AUTH) or password (USER_PASSWORD_AUTH)"),
		str(&c.Username, "username", Source, "", "attendee portal user name (portal source)"),
		str(&c.EventsAPIURL, "events-api-url", Source, "https://api.awsevents.com", "AWS Events API base URL (events-api source)"),
		str(&c.OAuthURL, "oauth-url", Source, "https://oauth.awsevents.com", "AWS Events OAuth server (events-api source)"),
		str(&c.OAuthClientID, "oauth-client-id", Source, "7vmom55m1qstvq8i71ph127bfq", "AWS Events OAuth public client id"),

		str(&c.XAPIURL, "x-api-url", X, "https://api.x.com", "X API base URL"),
		str(&c.XConsumerKey, "x-consumer-key", X, "", "X app consumer key (OAuth 1.0a)"),
		str(&c.BotHandle, "bot-handle", X, "", "the bot's X handle without @ (serve-webhook)"),

		secret(&c.Password, "password"),
		secret(&c.CognitoClientSecret, "cognito-client-secret"),
		secret(&c.XConsumerSecret, "x-consumer-secret"),
		secret(&c.XAccessToken, "x-access-token"),
		secret(&c.XAccessTokenSecret, "x-access-token-secret"),
		secret(&c.XClientSecret, "x-client-secret"),
		secret(&c.Notify, "notify"),
	}
}

// AllNames lists the names of every setting, flags and secrets, sorted.
func AllNames() []string {
	var names []string
	for _, s := range (&Config{}).Table() {
		names = append(names, s.Name)
	}
	slices.Sort(names)
	return names
}

// Names lists the names of the settings of a group, in the table's order.
func Names(group string) []string {
	var names []string
	for _, s := range (&Config{}).Table() {
		if s.Group == group {
			names = append(names, s.Name)
		}
	}
	return names
}
