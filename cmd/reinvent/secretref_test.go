package main

import (
	"strings"
	"testing"

	fakesecrets "github.com/reinvent-cli/reinvent/internal/fake/awssecrets"
	fakex "github.com/reinvent-cli/reinvent/internal/fake/x"
)

// TestSecretReferences runs reinvent x webhooks list with X's secrets
// given as references to Secrets Manager and Parameter Store, as the SAM
// template sets them: the binary resolves them through the AWS SDK against
// the fake (AWS_ENDPOINT_URL_SECRETS_MANAGER, AWS_ENDPOINT_URL_SSM) and
// the fake X accepts the credentials, so the values were right. No value
// is printed, even at debug level; a reference that cannot work exits 2
// and a refusal 3, each with one line naming the setting and the reference.
func TestSecretReferences(t *testing.T) {
	fx := fakex.New(xCred)
	defer fx.Close()
	fs := fakesecrets.New()
	defer fs.Close()
	fs.PutSecret("reinvent/x", `{"consumer_secret":"`+xCred.ConsumerSecret+`","access_token_secret":"`+xCred.AccessTokenSecret+`"}`)
	fs.PutParameter("/reinvent/x/access-token", xCred.AccessToken, true)

	list := func(consumerSecret string, extra ...string) (string, string, int) {
		cmd := command(t, "x", "webhooks", "list", "--log-level", "debug")
		cmd.Env = append(cmd.Env, "REINVENT_X_API_URL="+fx.URL(), "REINVENT_BOT_HANDLE=reinventbot",
			"REINVENT_X_CONSUMER_KEY="+xCred.ConsumerKey,
			"REINVENT_X_CONSUMER_SECRET="+consumerSecret,
			"REINVENT_X_ACCESS_TOKEN=ssm:/reinvent/x/access-token",
			"REINVENT_X_ACCESS_TOKEN_SECRET=secretsmanager:reinvent/x#access_token_secret",
			"AWS_ENDPOINT_URL_SECRETS_MANAGER="+fs.URL, "AWS_ENDPOINT_URL_SSM="+fs.URL,
			"AWS_ACCESS_KEY_ID=AKIDFAKE", "AWS_SECRET_ACCESS_KEY=fake-secret-key", "AWS_REGION=us-east-1",
			"AWS_EC2_METADATA_DISABLED=true")
		cmd.Env = append(cmd.Env, extra...)
		return runCmd(t, cmd)
	}
	noSecrets := func(what, out, errOut string) {
		t.Helper()
		for _, v := range []string{xCred.ConsumerSecret, xCred.AccessTokenSecret, xCred.AccessToken, "fake-secret-key"} {
			if strings.Contains(out+errOut, v) {
				t.Errorf("%s: the output holds a secret value: stdout %q, stderr %q", what, out, errOut)
			}
		}
	}

	out, errOut, code := list("secretsmanager:" + fakesecrets.SecretARN("reinvent/x") + "#consumer_secret")
	if code != 0 || !strings.Contains(errOut, "The app has no webhook") {
		t.Fatalf("list with references: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	noSecrets("list", out, errOut)
	if n := fs.Requests("AmazonSSM.GetParameter"); n != 1 {
		t.Errorf("%d GetParameter requests, want 1", n)
	}

	out, errOut, code = list("secretsmanager:reinvent/x#consumer-secret")
	oneLine(t, "a missing key", errOut, code, 2, "x-consumer-secret: secretsmanager:reinvent/x#consumer-secret: the secret's JSON has no key consumer-secret")
	noSecrets("a missing key", out, errOut)

	out, errOut, code = list("secretsmanager:reinvent/y#consumer_secret")
	oneLine(t, "a missing secret", errOut, code, 2, "Secrets Manager has no such secret")
	noSecrets("a missing secret", out, errOut)

	fs.Deny()
	out, errOut, code = list("secretsmanager:reinvent/x#consumer_secret")
	oneLine(t, "denied", errOut, code, 3, "the role needs")
	noSecrets("denied", out, errOut)
}
