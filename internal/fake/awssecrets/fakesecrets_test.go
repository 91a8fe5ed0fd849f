package fakesecrets_test

import (
	"context"
	"errors"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	smtypes "github.com/aws/aws-sdk-go-v2/service/secretsmanager/types"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	ssmtypes "github.com/aws/aws-sdk-go-v2/service/ssm/types"

	fakesecrets "github.com/reinvent-cli/reinvent/internal/fake/awssecrets"
)

// TestTheSDKReadsTheFake drives the fake with AWS's own service clients
// (aws-sdk-go-v2's secretsmanager and ssm, used only here): their requests
// are what the fake takes, and its answers and errors are what they
// decode, typed as the API references name them. So the fake that
// pkg/secretref is tested against speaks the services' wire format.
func TestTheSDKReadsTheFake(t *testing.T) {
	fs := fakesecrets.New()
	defer fs.Close()
	fs.PutSecret("reinvent/x", `{"k":"v"}`)
	fs.PutBinarySecret("reinvent/bin", []byte{0, 1, 2})
	fs.PutParameter("/reinvent/token", "tok", true)

	cfg := aws.Config{
		Region:       fakesecrets.Region,
		Credentials:  credentials.NewStaticCredentialsProvider("AKIDFAKE", "fake-secret-key", "session"),
		BaseEndpoint: aws.String(fs.URL),
	}
	ctx := context.Background()
	sm := secretsmanager.NewFromConfig(cfg)
	ps := ssm.NewFromConfig(cfg)

	for _, id := range []string{"reinvent/x", fakesecrets.SecretARN("reinvent/x")} {
		out, err := sm.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: aws.String(id)})
		if err != nil || aws.ToString(out.SecretString) != `{"k":"v"}` || aws.ToString(out.ARN) != fakesecrets.SecretARN("reinvent/x") ||
			aws.ToString(out.Name) != "reinvent/x" || out.CreatedDate == nil || len(out.VersionStages) != 1 {
			t.Errorf("GetSecretValue(%s) = %+v, %v", id, out, err)
		}
	}
	bin, err := sm.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: aws.String("reinvent/bin")})
	if err != nil || bin.SecretString != nil || string(bin.SecretBinary) != "\x00\x01\x02" {
		t.Errorf("binary secret: %+v, %v", bin, err)
	}
	_, err = sm.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: aws.String("nope")})
	if !errors.As(err, new(*smtypes.ResourceNotFoundException)) {
		t.Errorf("a missing secret: %v, want ResourceNotFoundException", err)
	}

	p, err := ps.GetParameter(ctx, &ssm.GetParameterInput{Name: aws.String("/reinvent/token"), WithDecryption: aws.Bool(true)})
	if err != nil || aws.ToString(p.Parameter.Value) != "tok" || p.Parameter.Type != ssmtypes.ParameterTypeSecureString || p.Parameter.Version != 1 {
		t.Errorf("GetParameter WithDecryption = %+v, %v", p, err)
	}
	p, err = ps.GetParameter(ctx, &ssm.GetParameterInput{Name: aws.String("/reinvent/token")})
	if err != nil || aws.ToString(p.Parameter.Value) == "tok" {
		t.Errorf("GetParameter without decryption answered the plain value: %v", err)
	}
	_, err = ps.GetParameter(ctx, &ssm.GetParameterInput{Name: aws.String("/nope")})
	if !errors.As(err, new(*ssmtypes.ParameterNotFound)) {
		t.Errorf("a missing parameter: %v, want ParameterNotFound", err)
	}

	fs.Deny()
	_, err = sm.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: aws.String("reinvent/x")})
	if err == nil || fs.Requests("secretsmanager.GetSecretValue") != 5 || fs.Requests("AmazonSSM.GetParameter") != 3 {
		t.Errorf("denied: %v; requests %d and %d", err, fs.Requests("secretsmanager.GetSecretValue"), fs.Requests("AmazonSSM.GetParameter"))
	}
}
