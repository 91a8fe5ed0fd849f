package secretref_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	fakesecrets "github.com/reinvent-cli/reinvent/internal/fake/awssecrets"
	"github.com/reinvent-cli/reinvent/pkg/secretref"
	"github.com/reinvent-cli/reinvent/pkg/settings"
)

// The secret values of these tests: none may appear in an error.
const (
	consumerSecret = "cs-Vb7Qp2"
	accessSecret   = "ats-Lm4Zx9"
	accessToken    = "at-Rt5Kw1"
	password       = "pw-Hy8Nc3"
	notifyURL      = "ntfy://ntfy.example.com/topic-Jd6Fs0"
)

// fakeAWS starts the fake of both services and points the AWS SDK at it
// through the environment, as a deployment would: the endpoints, fake
// credentials and a region, and no shared files or instance metadata.
func fakeAWS(t *testing.T) *fakesecrets.Server {
	t.Helper()
	fs := fakesecrets.New()
	t.Cleanup(fs.Close)
	for k, v := range map[string]string{
		"AWS_ENDPOINT_URL_SECRETS_MANAGER": fs.URL,
		"AWS_ENDPOINT_URL_SSM":             fs.URL,
		"AWS_ACCESS_KEY_ID":                "AKIDFAKE",
		"AWS_SECRET_ACCESS_KEY":            "fake-secret-key",
		"AWS_REGION":                       fakesecrets.Region,
		"AWS_CONFIG_FILE":                  t.TempDir() + "/none",
		"AWS_SHARED_CREDENTIALS_FILE":      t.TempDir() + "/none",
		"AWS_EC2_METADATA_DISABLED":        "true",
		"AWS_PROFILE":                      "",
		"AWS_ENDPOINT_URL":                 "",
		"AWS_SESSION_TOKEN":                "",
	} {
		t.Setenv(k, v)
	}
	fs.PutSecret("reinvent/x", `{"consumer_secret":"`+consumerSecret+`","access_token_secret":"`+accessSecret+`","count":3}`)
	fs.PutSecret("reinvent/password", password+"\n")
	fs.PutSecret("reinvent/not-json", "plain-"+password)
	fs.PutSecret("reinvent/empty-key", `{"password":""}`)
	fs.PutBinarySecret("reinvent/binary", []byte(password))
	fs.PutParameter("/reinvent/access-token", accessToken, true)
	fs.PutParameter("/reinvent/notify", notifyURL, false)
	return fs
}

// TestResolveEachForm resolves every form of reference through the real
// AWS SDK against the fake: a JSON secret's key by name and by ARN, a whole
// secret string (its trailing line break dropped), a SecureString
// parameter (decrypted) and a String parameter. A secret named twice is
// fetched once, and a setting that holds a value is left as it is.
func TestResolveEachForm(t *testing.T) {
	fs := fakeAWS(t)
	cfg := &settings.Config{
		XConsumerSecret:    "secretsmanager:reinvent/x#consumer_secret",
		XAccessTokenSecret: "secretsmanager:" + fakesecrets.SecretARN("reinvent/x") + "#access_token_secret",
		Password:           "secretsmanager:reinvent/password",
		XAccessToken:       "ssm:/reinvent/access-token",
		Notify:             "ssm:/reinvent/notify",
		XClientSecret:      "a-plain-value",
		XConsumerKey:       "ssm:/not/a/secret/setting",
	}
	if err := secretref.Resolve(context.Background(), cfg, secretref.AWS); err != nil {
		t.Fatal(err)
	}
	want := settings.Config{
		XConsumerSecret: consumerSecret, XAccessTokenSecret: accessSecret, Password: password,
		XAccessToken: accessToken, Notify: notifyURL, XClientSecret: "a-plain-value",
		XConsumerKey: "ssm:/not/a/secret/setting",
	}
	if *cfg != want {
		t.Errorf("resolved %+v, want %+v", *cfg, want)
	}
	// reinvent/x by name and by ARN are two ids, so two requests; the
	// password one; no more.
	if n := fs.Requests("secretsmanager.GetSecretValue"); n != 3 {
		t.Errorf("%d GetSecretValue requests, want 3", n)
	}
	if n := fs.Requests("AmazonSSM.GetParameter"); n != 2 {
		t.Errorf("%d GetParameter requests, want 2", n)
	}
}

// TestResolveFetchesASecretOnce: four settings from one JSON secret cost
// one request.
func TestResolveFetchesASecretOnce(t *testing.T) {
	fs := fakeAWS(t)
	cfg := &settings.Config{
		XConsumerSecret:    "secretsmanager:reinvent/x#consumer_secret",
		XAccessTokenSecret: "secretsmanager:reinvent/x#access_token_secret",
	}
	if err := secretref.Resolve(context.Background(), cfg, secretref.AWS); err != nil {
		t.Fatal(err)
	}
	if cfg.XConsumerSecret != consumerSecret || cfg.XAccessTokenSecret != accessSecret {
		t.Errorf("resolved %q, %q", cfg.XConsumerSecret, cfg.XAccessTokenSecret)
	}
	if n := fs.Requests("secretsmanager.GetSecretValue"); n != 1 {
		t.Errorf("%d GetSecretValue requests, want 1", n)
	}
}

// TestResolveErrors: each reference that cannot work fails with one line
// that names the setting and the reference, says what to do, is classed
// for its exit code, and holds no secret value.
func TestResolveErrors(t *testing.T) {
	for _, tc := range []struct {
		name, setting, ref string
		env                map[string]string
		deny               bool
		is                 error // nil: the reference's fault (exit 2)
		want               string
	}{
		{name: "missing key", setting: "x-consumer-secret", ref: "secretsmanager:reinvent/x#consumer_key",
			want: "has no key consumer_key"},
		{name: "key not a string", setting: "x-consumer-secret", ref: "secretsmanager:reinvent/x#count",
			want: "is not a string"},
		{name: "missing secret", setting: "x-consumer-secret", ref: "secretsmanager:reinvent/nope#consumer_secret",
			is: secretref.ErrNotFound, want: "Secrets Manager has no such secret"},
		{name: "missing parameter", setting: "x-access-token", ref: "ssm:/reinvent/nope",
			is: secretref.ErrNotFound, want: "Parameter Store has no such secret"},
		{name: "not JSON with a key", setting: "password", ref: "secretsmanager:reinvent/not-json#password",
			want: "is not a JSON object"},
		{name: "empty value", setting: "password", ref: "secretsmanager:reinvent/empty-key#password",
			want: "the value is empty"},
		{name: "binary secret", setting: "password", ref: "secretsmanager:reinvent/binary",
			want: "holds binary"},
		{name: "bad syntax", setting: "password", ref: "secretsmanager:reinvent/x#",
			want: "nothing after #"},
		{name: "denied", setting: "x-consumer-secret", ref: "secretsmanager:reinvent/x#consumer_secret", deny: true,
			is: secretref.ErrAuth, want: "needs secretsmanager:GetSecretValue"},
		{name: "denied parameter", setting: "x-access-token", ref: "ssm:/reinvent/access-token", deny: true,
			is: secretref.ErrAuth, want: "needs ssm:GetParameter"},
		{name: "no credentials", setting: "x-consumer-secret", ref: "secretsmanager:reinvent/x#consumer_secret",
			env: map[string]string{"AWS_ACCESS_KEY_ID": "", "AWS_SECRET_ACCESS_KEY": ""},
			is:  secretref.ErrAuth, want: "no AWS credentials"},
		{name: "no region", setting: "x-consumer-secret", ref: "secretsmanager:reinvent/x#consumer_secret",
			env: map[string]string{"AWS_REGION": "", "AWS_DEFAULT_REGION": ""},
			is:  secretref.ErrAuth, want: "set AWS_REGION"},
		{name: "unreachable", setting: "x-consumer-secret", ref: "secretsmanager:reinvent/x#consumer_secret",
			env: map[string]string{"AWS_ENDPOINT_URL_SECRETS_MANAGER": "http://127.0.0.1:1", "AWS_MAX_ATTEMPTS": "1"},
			is:  secretref.ErrUnavailable, want: "Secrets Manager did not answer"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fs := fakeAWS(t)
			for k, v := range tc.env {
				t.Setenv(k, v)
			}
			if tc.deny {
				fs.Deny()
			}
			cfg := &settings.Config{}
			for _, st := range cfg.Table() {
				if st.Name == tc.setting {
					*st.String = tc.ref
				}
			}
			err := secretref.Resolve(context.Background(), cfg, secretref.AWS)
			if err == nil {
				t.Fatal("no error")
			}
			msg := err.Error()
			if !strings.HasPrefix(msg, tc.setting+": ") || !strings.Contains(msg, tc.want) || strings.Contains(msg, "\n") {
				t.Errorf("error %q: want one line beginning %q and holding %q", msg, tc.setting+": ", tc.want)
			}
			if tc.name != "bad syntax" && !strings.Contains(msg, tc.ref) {
				t.Errorf("error %q does not name the reference %s", msg, tc.ref)
			}
			for _, secret := range []string{consumerSecret, accessSecret, accessToken, password, notifyURL, "AKIDFAKE", "fake-secret-key"} {
				if strings.Contains(msg, secret) {
					t.Errorf("error %q holds a secret value", msg)
				}
			}
			for _, e := range []error{secretref.ErrNotFound, secretref.ErrAuth, secretref.ErrUnavailable} {
				if errors.Is(err, e) != (e == tc.is) {
					t.Errorf("errors.Is(%q, %v) = %v", msg, e, !(e == tc.is))
				}
			}
		})
	}
}

// TestNoReferenceNeedsNoAWS: with no reference among the settings, the
// AWS configuration is never loaded, so a command that needs no AWS
// starts as fast as before and anywhere.
func TestNoReferenceNeedsNoAWS(t *testing.T) {
	cfg := &settings.Config{XConsumerSecret: "plain", Password: "ssm-is-not-a-prefix-here", Notify: "ntfy://h/t", XConsumerKey: "ssm:/a-flag-setting"}
	before := *cfg
	err := secretref.Resolve(context.Background(), cfg, func(context.Context) (secretref.Resolver, error) {
		t.Fatal("the AWS resolver was opened")
		return nil, nil
	})
	if err != nil || *cfg != before {
		t.Errorf("Resolve: %v, settings %+v", err, *cfg)
	}
}
