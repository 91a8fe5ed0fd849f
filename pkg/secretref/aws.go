package secretref

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/config"

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
	cfg, err := config.LoadDefaultConfig(ctx)
	if err != nil {
		return nil, fmt.Errorf("the AWS configuration: %v: %w", err, ErrAuth)
	}
	if cfg.Region == "" {
		return nil, fmt.Errorf("no AWS region: set AWS_REGION (Lambda sets it): %w", ErrAuth)
	}
	if _, err := cfg.Credentials.Retrieve(ctx); err != nil {
		return nil, fmt.Errorf("no AWS credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY or AWS_PROFILE, or run with a role: %w", ErrAuth)
	}
	return &awsResolver{cfg: cfg, signer: v4.NewSigner(), client: &http.Client{Timeout: 10 * time.Second}}, nil
}

type awsResolver struct {
	cfg    aws.Config
	signer *v4.Signer
	client *http.Client
}

// service is one of the two AWS JSON 1.1 services a reference names.
type service struct {
	name    string // for messages
	sdkID   string // the SDK's service id, for its endpoint settings
	signing string // the Signature Version 4 signing name and host prefix
	target  string // X-Amz-Target of the one operation
	action  string // the IAM action it needs
}

var (
	secretsManager = service{"Secrets Manager", "Secrets Manager", "secretsmanager", "secretsmanager.GetSecretValue", "secretsmanager:GetSecretValue"}
	parameterStore = service{"Parameter Store", "SSM", "ssm", "AmazonSSM.GetParameter", "ssm:GetParameter"}
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
	endpoint, err := a.endpoint(ctx, svc)
	if err != nil {
		return err
	}
	body, err := json.Marshal(in)
	if err != nil {
		return err
	}
	sum := sha256.Sum256(body)
	var answer []byte
	var status int
	var last error
	// As many tries as the SDK would make: AWS_MAX_ATTEMPTS, else 3.
	attempts := 3
	if a.cfg.RetryMaxAttempts > 0 {
		attempts = a.cfg.RetryMaxAttempts
	}
	_, _, err = retry.Policy{Attempts: attempts, MaxElapsed: 20 * time.Second}.Do(ctx, func() (bool, time.Duration) {
		answer, status, last = a.send(ctx, svc, endpoint, body, hex.EncodeToString(sum[:]))
		if last != nil {
			return !errors.Is(last, ErrAuth), 0
		}
		return status >= 500 || status == http.StatusTooManyRequests || status == http.StatusBadRequest && isThrottle(answer), 0
	})
	if err != nil {
		return fmt.Errorf("%s did not answer: %v: %w", svc.name, err, ErrUnavailable)
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

// send signs and sends one request and reads the answer.
func (a *awsResolver) send(ctx context.Context, svc service, endpoint string, body []byte, hash string) ([]byte, int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, bytes.NewReader(body))
	if err != nil {
		return nil, 0, err
	}
	req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	req.Header.Set("X-Amz-Target", svc.target)
	creds, err := a.cfg.Credentials.Retrieve(ctx)
	if err != nil {
		return nil, 0, fmt.Errorf("no AWS credentials: %w", ErrAuth)
	}
	if err := a.signer.SignHTTP(ctx, creds, req, hash, svc.signing, a.cfg.Region, time.Now()); err != nil {
		return nil, 0, err
	}
	resp, err := a.client.Do(req)
	if err != nil {
		return nil, 0, err
	}
	defer resp.Body.Close()
	answer, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	return answer, resp.StatusCode, err
}

// endpoint is the URL of svc by the SDK's rules: the service's own
// endpoint setting, then AWS_ENDPOINT_URL, else the region's endpoint.
func (a *awsResolver) endpoint(ctx context.Context, svc service) (string, error) {
	type serviceEndpoint interface {
		GetServiceBaseEndpoint(ctx context.Context, sdkID string) (string, bool, error)
	}
	for _, src := range a.cfg.ConfigSources {
		if s, ok := src.(serviceEndpoint); ok {
			if u, found, err := s.GetServiceBaseEndpoint(ctx, svc.sdkID); err == nil && found {
				return u, nil
			}
		}
	}
	if a.cfg.BaseEndpoint != nil && *a.cfg.BaseEndpoint != "" {
		return *a.cfg.BaseEndpoint, nil
	}
	suffix := "amazonaws.com"
	if strings.HasPrefix(a.cfg.Region, "cn-") {
		suffix = "amazonaws.com.cn"
	}
	return "https://" + svc.signing + "." + a.cfg.Region + "." + suffix, nil
}

// errorCode is the code of an AWS JSON 1.1 error answer: its __type,
// without the namespace some services put before a '#'.
func errorCode(answer []byte) string {
	var e struct {
		Type string `json:"__type"`
	}
	_ = json.Unmarshal(answer, &e)
	code := e.Type
	if i := strings.LastIndex(code, "#"); i >= 0 {
		code = code[i+1:]
	}
	if i := strings.Index(code, ":"); i >= 0 {
		code = code[:i]
	}
	return code
}

func isThrottle(answer []byte) bool {
	switch errorCode(answer) {
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
	code := errorCode(answer)
	if code == "" || strings.IndexFunc(code, func(c rune) bool { return c < '0' || c > 'z' }) >= 0 {
		code = fmt.Sprintf("HTTP %d", status)
	}
	switch code {
	case "ResourceNotFoundException", "ParameterNotFound":
		return fmt.Errorf("%s has no such secret in this account and region: create it, or correct the reference: %w", svc.name, ErrNotFound)
	case "AccessDeniedException", "UnrecognizedClientException", "InvalidClientTokenId",
		"ExpiredTokenException", "IncompleteSignature", "InvalidSignatureException", "MissingAuthenticationToken":
		return fmt.Errorf("%s refused the request (%s): the role needs %s on it: %w", svc.name, code, svc.action, ErrAuth)
	case "DecryptionFailure", "KMSAccessDeniedException", "KMSDisabledException", "KMSNotFoundException", "KMSInvalidStateException":
		return fmt.Errorf("%s could not decrypt it (%s): the role needs kms:Decrypt on its key: %w", svc.name, code, ErrAuth)
	}
	if status >= 500 || isThrottle(answer) {
		return fmt.Errorf("%s failed (%s): %w", svc.name, code, ErrUnavailable)
	}
	return fmt.Errorf("%s refused the reference (%s): correct it", svc.name, code)
}
