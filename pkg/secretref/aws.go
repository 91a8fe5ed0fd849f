package secretref

import (
	"context"
	"errors"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	"github.com/aws/smithy-go"
)

// AWS opens the Resolver of the AWS SDK's default configuration: the
// region, the credentials chain (the environment, the shared files, a
// Lambda function's role) and the endpoints AWS_ENDPOINT_URL_SECRETS_MANAGER
// and AWS_ENDPOINT_URL_SSM. It fails with ErrAuth when no credentials can
// be found, before any request.
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
	return &awsResolver{sm: secretsmanager.NewFromConfig(cfg), ssm: ssm.NewFromConfig(cfg)}, nil
}

type awsResolver struct {
	sm  *secretsmanager.Client
	ssm *ssm.Client
}

// SecretString calls GetSecretValue (docs/serverless.md#secrets).
func (a *awsResolver) SecretString(ctx context.Context, id string) (string, error) {
	out, err := a.sm.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: aws.String(id)})
	if err != nil {
		return "", classify("Secrets Manager", "secretsmanager:GetSecretValue", err)
	}
	if out.SecretString == nil {
		return "", errors.New("the secret holds binary, not a string: store it as a string (SecretString)")
	}
	return *out.SecretString, nil
}

// Parameter calls GetParameter WithDecryption (docs/serverless.md#secrets).
func (a *awsResolver) Parameter(ctx context.Context, name string) (string, error) {
	out, err := a.ssm.GetParameter(ctx, &ssm.GetParameterInput{Name: aws.String(name), WithDecryption: aws.Bool(true)})
	if err != nil {
		return "", classify("Parameter Store", "ssm:GetParameter", err)
	}
	if out.Parameter == nil || out.Parameter.Value == nil {
		return "", fmt.Errorf("Parameter Store answered no value: %w", ErrUnavailable)
	}
	return *out.Parameter.Value, nil
}

// classify turns the SDK's error into one line that says what to do,
// wrapping ErrNotFound, ErrAuth or ErrUnavailable. AWS's own message is
// left out: it is not needed, and nothing of a service's words reaches a
// terminal unchecked.
func classify(service, action string, err error) error {
	var api smithy.APIError
	if !errors.As(err, &api) {
		return fmt.Errorf("%s did not answer (%v): %w", service, err, ErrUnavailable)
	}
	switch code := api.ErrorCode(); code {
	case "ResourceNotFoundException", "ParameterNotFound":
		return fmt.Errorf("%s has no such secret in this account and region: create it, or correct the reference: %w", service, ErrNotFound)
	case "AccessDeniedException", "UnrecognizedClientException", "InvalidClientTokenId",
		"ExpiredTokenException", "IncompleteSignature", "InvalidSignatureException", "MissingAuthenticationToken":
		return fmt.Errorf("%s refused the request (%s): the role needs %s on it: %w", service, code, action, ErrAuth)
	case "DecryptionFailure", "KMSAccessDeniedException", "KMSDisabledException", "KMSNotFoundException", "KMSInvalidStateException":
		return fmt.Errorf("%s could not decrypt it (%s): the role needs kms:Decrypt on its key: %w", service, code, ErrAuth)
	case "InternalServiceError", "InternalServerError", "InternalFailure", "ThrottlingException", "ServiceUnavailable":
		return fmt.Errorf("%s failed (%s): %w", service, code, ErrUnavailable)
	default:
		return fmt.Errorf("%s refused the reference (%s): correct it", service, code)
	}
}
