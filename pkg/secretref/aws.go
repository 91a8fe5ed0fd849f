package secretref

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/smithy-go/logging"

	"github.com/reinvent-cli/reinvent/internal/awsjson"
	"github.com/reinvent-cli/reinvent/pkg/retry"
)

// AWS opens the Resolver of the AWS SDK's default configuration: the
// region, the credentials chain (the environment, the shared files, a
// Lambda function's role) and the endpoints the SDK would use
// (AWS_ENDPOINT_URL_SECRETS_MANAGER, AWS_ENDPOINT_URL_SSM, AWS_ENDPOINT_URL,
// the shared config's services section, else the region's). It fails with
// ErrAuth when there is no region or no credentials, before any request.
//
// The two calls are made here, signed by the SDK's Signature Version 4
// signer, rather than through the SDK's service clients: those would make
// every command start twice as slowly (docs/dependencies.md).
func AWS(ctx context.Context) (Resolver, error) {
	// The SDK's own log lines (an EC2 metadata fallback, ...) would
	// reach the terminal unasked; its errors say what failed.
	cfg, err := config.LoadDefaultConfig(ctx, config.WithLogger(logging.Nop{}))
	if err != nil {
		return nil, awsjson.Classed(fmt.Errorf("the AWS configuration: %v", err), ErrAuth)
	}
	if cfg.Region == "" {
		return nil, awsjson.Classed(errors.New("no AWS region: set AWS_REGION (Lambda sets it)"), ErrAuth)
	}
	if _, err := cfg.Credentials.Retrieve(ctx); err != nil {
		return nil, awsjson.Classed(errors.New("no AWS credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY or AWS_PROFILE, or run with a role"), ErrAuth)
	}
	return &awsResolver{client: awsjson.New(cfg, &http.Client{Timeout: 10 * time.Second})}, nil
}

type awsResolver struct {
	client *awsjson.Client
}

// service is one of the two AWS JSON 1.1 services a reference names.
type service struct {
	awsjson.Service
	name   string // for messages
	target string // X-Amz-Target of the one operation
	action string // the IAM action it needs
}

var (
	secretsManager = service{awsjson.Service{SDKID: "Secrets Manager", Signing: "secretsmanager", Version: "1.1"}, "Secrets Manager", "secretsmanager.GetSecretValue", "secretsmanager:GetSecretValue"}
	parameterStore = service{awsjson.Service{SDKID: "SSM", Signing: "ssm", Version: "1.1"}, "Parameter Store", "AmazonSSM.GetParameter", "ssm:GetParameter"}
)

// SecretString calls GetSecretValue (docs/serverless.md#secrets).
func (a *awsResolver) SecretString(ctx context.Context, id string) (string, error) {
	var out struct {
		SecretString *string
		SecretBinary *string
	}
	if err := a.call(ctx, secretsManager, map[string]any{"SecretId": id}, &out); err != nil {
		return "", err
	}
	if out.SecretString == nil {
		return "", errors.New("the secret holds binary, not a string: store it as a string (SecretString)")
	}
	return *out.SecretString, nil
}

// Parameter calls GetParameter WithDecryption (docs/serverless.md#secrets).
func (a *awsResolver) Parameter(ctx context.Context, name string) (string, error) {
	var out struct {
		Parameter *struct{ Value *string }
	}
	if err := a.call(ctx, parameterStore, map[string]any{"Name": name, "WithDecryption": true}, &out); err != nil {
		return "", err
	}
	if out.Parameter == nil || out.Parameter.Value == nil {
		return "", fmt.Errorf("Parameter Store answered no value: %w", ErrUnavailable)
	}
	return *out.Parameter.Value, nil
}

// call makes one AWS JSON 1.1 request (POST /, X-Amz-Target, Content-Type
// application/x-amz-json-1.1), retried by the one retry policy on a
// network failure, a 5xx or throttling, and decodes its answer into out.
func (a *awsResolver) call(ctx context.Context, svc service, in, out any) error {
	endpoint := a.client.Endpoint(ctx, svc.Service)
	body, err := json.Marshal(in)
	if err != nil {
		return err
	}
	var answer []byte
	var status int
	var last error
	// As many tries as the SDK would make: AWS_MAX_ATTEMPTS, else 3.
	attempts := 3
	if a.client.Config().RetryMaxAttempts > 0 {
		attempts = a.client.Config().RetryMaxAttempts
	}
	_, _, err = retry.Policy{Attempts: attempts, MaxElapsed: 20 * time.Second}.Do(ctx, func() (bool, time.Duration) {
		answer, status, last = a.client.Send(ctx, svc.Service, endpoint, svc.target, body)
		if last != nil {
			return !errors.Is(last, awsjson.ErrNoCredentials), 0
		}
		return status >= 500 || status == http.StatusTooManyRequests || status == http.StatusBadRequest && isThrottle(answer), 0
	})
	if err != nil {
		return fmt.Errorf("%s did not answer: %v: %w", svc.name, err, ErrUnavailable)
	}
	if errors.Is(last, awsjson.ErrNoCredentials) {
		return fmt.Errorf("%s: %w", svc.name, last) // ErrAuth
	}
	if last != nil {
		return fmt.Errorf("%s did not answer: %v: %w", svc.name, last, ErrUnavailable)
	}
	if status != http.StatusOK {
		return classify(svc, status, answer)
	}
	if err := json.Unmarshal(answer, out); err != nil {
		return fmt.Errorf("%s answered something that is not its JSON: %w", svc.name, ErrUnavailable)
	}
	return nil
}

func isThrottle(answer []byte) bool {
	switch awsjson.ErrorCode(answer) {
	case "ThrottlingException", "Throttling", "ThrottledException", "RequestLimitExceeded", "TooManyRequestsException":
		return true
	}
	return false
}

// classify turns an error answer into one line that says what to do,
// wrapping ErrNotFound, ErrAuth or ErrUnavailable. The service's message is
// left out: it is not needed, and a service's words reach no terminal
// unchecked.
func classify(svc service, status int, answer []byte) error {
	code := awsjson.ErrorCode(answer)
	if code == "" || strings.IndexFunc(code, func(c rune) bool { return c < '0' || c > 'z' }) >= 0 {
		code = fmt.Sprintf("HTTP %d", status)
	}
	switch code {
	case "ResourceNotFoundException", "ParameterNotFound":
		return fmt.Errorf("%s has no such secret in this account and region: create it, or correct the reference: %w", svc.name, ErrNotFound)
	case "AccessDeniedException", "UnrecognizedClientException", "InvalidClientTokenId",
		"ExpiredTokenException", "IncompleteSignature", "InvalidSignatureException", "MissingAuthenticationToken":
		return awsjson.Classed(fmt.Errorf("%s refused the request (%s): the role needs %s on it", svc.name, code, svc.action), ErrAuth)
	case "DecryptionFailure", "KMSAccessDeniedException", "KMSDisabledException", "KMSNotFoundException", "KMSInvalidStateException":
		return awsjson.Classed(fmt.Errorf("%s could not decrypt it (%s): the role needs kms:Decrypt on its key", svc.name, code), ErrAuth)
	}
	if status >= 500 || isThrottle(answer) {
		return fmt.Errorf("%s failed (%s): %w", svc.name, code, ErrUnavailable)
	}
	return fmt.Errorf("%s refused the reference (%s): correct it", svc.name, code)
}
