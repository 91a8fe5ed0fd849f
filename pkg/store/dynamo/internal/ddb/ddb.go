// Package ddb is the DynamoDB client of the store: the operations it
// uses, with only the request fields it uses, as signed AWS JSON 1.0
// requests (internal/awsjson) on the AWS SDK's configuration, retried as
// the SDK's DynamoDB client retries them. It replaces the SDK's client,
// whose package initialisation every command would pay
// (docs/dependencies.md). docs/dynamodb.md names the API Reference page
// of each shape.
package ddb

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsretry "github.com/aws/aws-sdk-go-v2/aws/retry"

	"github.com/reinvent-cli/reinvent/internal/awsjson"
	"github.com/reinvent-cli/reinvent/pkg/retry"
)

// service is DynamoDB's AWS JSON 1.0 protocol (docs/dynamodb.md). An
// answer may hold a Query page of 1 MB of items, more in JSON.
var service = awsjson.Service{SDKID: "DynamoDB", Signing: "dynamodb", Version: "1.0", MaxAnswer: 64 << 20}

// Client calls DynamoDB. It is safe for concurrent use.
type Client struct {
	aws      *awsjson.Client
	retryer  aws.Retryer
	endpoint string
}

// New returns a client of cfg: its region, credentials, HTTP client,
// endpoint settings (AWS_ENDPOINT_URL_DYNAMODB, AWS_ENDPOINT_URL) and
// retry settings (AWS_MAX_ATTEMPTS, AWS_RETRY_MODE, or cfg.Retryer).
func New(ctx context.Context, cfg aws.Config) *Client {
	c := &Client{aws: awsjson.New(cfg, nil)}
	c.endpoint = c.aws.Endpoint(ctx, service)
	c.retryer = retryer(cfg)
	return c
}

// retryer is the retryer the SDK's DynamoDB client would use with cfg:
// cfg.Retryer if set, else the standard one (the adaptive one with
// AWS_RETRY_MODE=adaptive) with DynamoDB's defaults of 4 attempts and a
// base delay of 25 ms, and cfg.RetryMaxAttempts when set.
func retryer(cfg aws.Config) aws.Retryer {
	if cfg.Retryer != nil {
		r := cfg.Retryer()
		if cfg.RetryMaxAttempts > 0 {
			r = awsretry.AddWithMaxAttempts(r, cfg.RetryMaxAttempts)
		}
		return r
	}
	opts := func(o *awsretry.StandardOptions) {
		o.MaxAttempts = 4
		if cfg.RetryMaxAttempts > 0 {
			o.MaxAttempts = cfg.RetryMaxAttempts
		}
		o.BaseDelay = 25 * time.Millisecond
	}
	if cfg.RetryMode == aws.RetryModeAdaptive {
		return awsretry.NewAdaptiveMode(func(o *awsretry.AdaptiveModeOptions) {
			o.StandardOptions = append(o.StandardOptions, opts)
		})
	}
	return awsretry.NewStandard(opts)
}

// Error is an error answer of DynamoDB (docs/dynamodb.md, "Errors"). Its
// ErrorCode and HTTPStatusCode are what the SDK's retryer classifies.
type Error struct {
	Op      string // the operation
	Status  int    // the HTTP status
	Code    string // the exception's name: __type after its '#'
	Message string // printable, cut short
}

func (e *Error) Error() string {
	code := e.Code
	if code == "" {
		code = fmt.Sprintf("HTTP %d", e.Status)
	}
	if e.Message == "" {
		return fmt.Sprintf("DynamoDB %s: %s", e.Op, code)
	}
	return fmt.Sprintf("DynamoDB %s: %s: %s", e.Op, code, e.Message)
}

// ErrorCode is the exception's name.
func (e *Error) ErrorCode() string { return e.Code }

// Unwrap is the class of the error for the exit codes
// (docs/dynamodb.md, "Errors"): awsjson.ErrAuth for credentials or a
// signature DynamoDB refused, awsjson.ErrUnavailable for a throttle or a
// 5xx the retries did not outlast; nil for the others, the request's
// fault.
func (e *Error) Unwrap() error {
	switch {
	case e.Status == http.StatusForbidden || authCodes[e.Code]:
		return awsjson.ErrAuth
	case e.Status >= 500 || throttleCodes[e.Code]:
		return awsjson.ErrUnavailable
	}
	return nil
}

var (
	authCodes = map[string]bool{"AccessDeniedException": true, "UnrecognizedClientException": true, "InvalidSignatureException": true,
		"MissingAuthenticationTokenException": true, "ExpiredTokenException": true, "IncompleteSignatureException": true}
	throttleCodes = map[string]bool{"ProvisionedThroughputExceededException": true, "ThrottlingException": true,
		"RequestLimitExceeded": true, "LimitExceededException": true}
)

// HTTPStatusCode is the answer's status.
func (e *Error) HTTPStatusCode() int { return e.Status }

// The exceptions the store acts on.
const (
	ConditionalCheckFailed = "ConditionalCheckFailedException"
	ResourceNotFound       = "ResourceNotFoundException"
	ResourceInUse          = "ResourceInUseException"
)

// IsCode says whether err is an error answer with code.
func IsCode(err error, code string) bool {
	var e *Error
	return errors.As(err, &e) && e.Code == code
}

// call makes one operation: it sends in, retried as the SDK's retryer
// says (throttling, 5xx and connection errors, with its backoff and its
// retry quota), and decodes the answer into out.
func (c *Client) call(ctx context.Context, op string, in, out any) error {
	body, err := json.Marshal(in)
	if err != nil {
		return fmt.Errorf("DynamoDB %s: %w", op, err)
	}
	release := func(error) error { return nil }
	if r, ok := c.retryer.(aws.RetryerV2); ok {
		if release, err = r.GetAttemptToken(ctx); err != nil {
			return fmt.Errorf("DynamoDB %s: %w", op, err)
		}
	}
	for attempt := 1; ; attempt++ {
		err = c.attempt(ctx, op, body, out)
		_ = release(err)
		if err == nil || attempt >= c.retryer.MaxAttempts() || ctx.Err() != nil || !c.retryer.IsErrorRetryable(err) {
			return err
		}
		rel, terr := c.retryer.GetRetryToken(ctx, err)
		if terr != nil {
			return err // the retry quota is spent
		}
		release = rel
		delay, derr := c.retryer.RetryDelay(attempt, err)
		if derr != nil {
			return err
		}
		if err := retry.Sleep(ctx, delay); err != nil {
			return err
		}
	}
}

func (c *Client) attempt(ctx context.Context, op string, body []byte, out any) error {
	answer, status, err := c.aws.Send(ctx, service, c.endpoint, "DynamoDB_20120810."+op, body)
	if err != nil {
		return fmt.Errorf("DynamoDB %s: %w", op, err)
	}
	if status != http.StatusOK {
		return &Error{Op: op, Status: status, Code: awsjson.ErrorCode(answer), Message: awsjson.ErrorMessage(answer)}
	}
	if err := json.Unmarshal(answer, out); err != nil {
		return fmt.Errorf("DynamoDB %s answered something that is not its JSON: %w", op, err)
	}
	return nil
}
