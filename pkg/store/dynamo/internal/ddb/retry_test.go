package ddb_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"

	"github.com/reinvent-cli/reinvent/internal/awsjson"
	"github.com/reinvent-cli/reinvent/internal/dynamolocal"
	"github.com/reinvent-cli/reinvent/pkg/store/dynamo/internal/ddb"
)

// failing serves DynamoDB's error answers (docs/dynamodb.md, "Errors":
// an HTTP status and a JSON body of __type and message) for the first
// fails requests, then an empty item, and counts the requests.
func failing(t *testing.T, fails int, status int, body string) (aws.Config, *atomic.Int64) {
	t.Helper()
	var n atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/x-amz-json-1.0")
		w.Header().Set("X-Amzn-RequestId", "LDM6CJP8RMQ1FHKSC1RBVJFPNVV4KQNSO5AEMF66Q9ASUAAJG")
		if n.Add(1) <= int64(fails) {
			w.WriteHeader(status)
			_, _ = io.WriteString(w, body)
			return
		}
		_, _ = io.WriteString(w, `{"Item":{"PK":{"S":"p"}}}`)
	}))
	t.Cleanup(srv.Close)
	return dynamolocal.Client(srv.URL), &n
}

// instant is the SDK's standard retryer with no wait between tries: the
// same errors retried, the same attempts, without the seconds of backoff
// a throttled request waits.
func instant(cfg aws.Config) aws.Config {
	cfg.Retryer = func() aws.Retryer {
		return retry.NewStandard(func(o *retry.StandardOptions) {
			o.MaxAttempts = 4
			o.Backoff = retry.BackoffDelayerFunc(func(int, error) (time.Duration, error) { return 0, nil })
		})
	}
	return cfg
}

func errBody(code, msg string) string {
	return `{"__type":"com.amazonaws.dynamodb.v20120810#` + code + `","message":"` + msg + `"}`
}

// TestRetries: throttling and server errors are tried again, as the SDK's
// DynamoDB client does (4 tries in all by default, AWS_MAX_ATTEMPTS
// otherwise); errors of the request are not; the error names the
// exception and carries no control character of the answer.
func TestRetries(t *testing.T) {
	ctx := context.Background()
	get := func(cfg aws.Config) error {
		out, err := ddb.New(ctx, cfg).GetItem(ctx, &ddb.GetItemInput{TableName: "t", Key: ddb.Item{"PK": ddb.S("p")}})
		if err == nil && out.Item["PK"] != ddb.S("p") {
			t.Errorf("GetItem after retries read %v", out.Item)
		}
		return err
	}
	for _, code := range []string{"ProvisionedThroughputExceededException", "ThrottlingException", "RequestLimitExceeded"} {
		cfg, n := failing(t, 2, 400, errBody(code, "slow down"))
		if err := get(instant(cfg)); err != nil || n.Load() != 3 {
			t.Errorf("%s twice: %v after %d requests, want success after 3", code, err, n.Load())
		}
	}
	// The client's own retryer: DynamoDB's 25 ms base delay for errors
	// that are not throttling.
	cfg, n := failing(t, 1, 500, errBody("InternalServerError", "oops"))
	if err := get(cfg); err != nil || n.Load() != 2 {
		t.Errorf("a 500 once: %v after %d requests, want success after 2", err, n.Load())
	}
	cfg, n = failing(t, 100, 503, `{"__type":"ServiceUnavailable"}`)
	err := get(cfg)
	var e *ddb.Error
	if !errors.As(err, &e) || e.Status != 503 || e.Code != "ServiceUnavailable" || n.Load() != 4 {
		t.Errorf("503 always: %v after %d requests, want the 503 after 4", err, n.Load())
	}
	cfg, n = failing(t, 100, 500, `{}`)
	cfg.RetryMaxAttempts = 2
	if err := get(cfg); err == nil || !strings.Contains(err.Error(), "HTTP 500") || n.Load() != 2 {
		t.Errorf("AWS_MAX_ATTEMPTS=2, 500 always: %v after %d requests, want HTTP 500 after 2", err, n.Load())
	}
	for _, code := range []string{ddb.ConditionalCheckFailed, ddb.ResourceNotFound, "ValidationException", "AccessDeniedException"} {
		cfg, n := failing(t, 100, 400, errBody(code, `bad \u001b[31mred\u001b[0m`+"\\n"+strings.Repeat("x", 300)))
		err := get(instant(cfg))
		if !ddb.IsCode(err, code) || n.Load() != 1 {
			t.Errorf("%s: %v after %d requests, want it after 1", code, err, n.Load())
		}
		if msg := err.Error(); strings.ContainsAny(msg, "\x1b\n") || strings.Contains(msg, "[31m") || len(msg) > 300 || !strings.Contains(msg, "DynamoDB GetItem: "+code+": bad red ") {
			t.Errorf("%s: error %q", code, msg)
		}
	}
}

// TestNoCredentials: with no credentials, nothing is sent and the error
// says so.
func TestNoCredentials(t *testing.T) {
	cfg, n := failing(t, 0, 200, "")
	cfg.Credentials = aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
		return aws.Credentials{}, errors.New("no provider")
	})
	_, err := ddb.New(context.Background(), cfg).DescribeTable(context.Background(), "t")
	if err == nil || !strings.Contains(err.Error(), "no AWS credentials") || n.Load() != 0 {
		t.Errorf("no credentials: %v after %d requests", err, n.Load())
	}
}

// TestErrorClasses: what is not the request's fault is classed for the
// exit codes (docs/configuration.md): credentials or a signature DynamoDB
// refused is awsjson.ErrAuth (3); a throttle or a 5xx that outlasted the
// retries, or DynamoDB out of reach, awsjson.ErrUnavailable (4); an
// exception of the request itself neither.
func TestErrorClasses(t *testing.T) {
	ctx := context.Background()
	get := func(cfg aws.Config) error {
		_, err := ddb.New(ctx, instant(cfg)).GetItem(ctx, &ddb.GetItemInput{TableName: "t", Key: ddb.Item{"PK": ddb.S("p")}})
		return err
	}
	for _, tt := range []struct {
		status int
		code   string
		class  error
	}{
		{400, "UnrecognizedClientException", awsjson.ErrAuth},
		{400, "ExpiredTokenException", awsjson.ErrAuth},
		{403, "AccessDeniedException", awsjson.ErrAuth},
		{400, "ThrottlingException", awsjson.ErrUnavailable},
		{500, "InternalServerError", awsjson.ErrUnavailable},
		{400, "ConditionalCheckFailedException", nil},
		{400, "ValidationException", nil},
	} {
		cfg, _ := failing(t, 10, tt.status, errBody(tt.code, "no"))
		err := get(cfg)
		if err == nil || !strings.Contains(err.Error(), tt.code) {
			t.Fatalf("%s: %v", tt.code, err)
		}
		for _, class := range []error{awsjson.ErrAuth, awsjson.ErrUnavailable} {
			if errors.Is(err, class) != (class == tt.class) {
				t.Errorf("%s: errors.Is(%v) = %v", tt.code, class, !(class == tt.class))
			}
		}
	}
	srv := httptest.NewServer(http.NotFoundHandler())
	srv.Close() // nothing listens there now
	if err := get(dynamolocal.Client(srv.URL)); !errors.Is(err, awsjson.ErrUnavailable) {
		t.Errorf("DynamoDB out of reach: %v, want ErrUnavailable", err)
	}
}
