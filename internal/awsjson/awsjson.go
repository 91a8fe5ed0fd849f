// Package awsjson sends requests of AWS's JSON protocols (POST / with an
// X-Amz-Target header and a JSON body, signed with Signature Version 4) on
// the AWS SDK's core: its configuration, credentials, signer and endpoint
// settings, without the SDK's service clients, whose start-up cost every
// command would pay (docs/dependencies.md). pkg/secretref and the DynamoDB
// store use it; docs/dynamodb.md describes the protocol.
package awsjson

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
	"github.com/reinvent-cli/reinvent/pkg/catalog"
)

// Service names one AWS service of a JSON protocol.
type Service struct {
	SDKID   string // the SDK's service id, for its endpoint settings (AWS_ENDPOINT_URL_<SDKID>)
	Signing string // the Signature Version 4 signing name, and the host's first label
	Version string // of the protocol: "1.0" (DynamoDB) or "1.1"
	// MaxAnswer bounds the answer read, in bytes; 0 means 1 MiB.
	MaxAnswer int64
}

// ErrNoCredentials is wrapped by Send's error when the credentials chain
// gives no credentials.
var ErrNoCredentials = errors.New("no AWS credentials")

// The classes of a failure that is not the request's fault, for the exit
// codes of docs/configuration.md: no region or credentials, or credentials
// AWS refused (3); AWS out of reach or failing after the retries (4).
var (
	ErrAuth        = errors.New("AWS refused the credentials")
	ErrUnavailable = errors.New("AWS could not be reached")
)

// Classed returns an error with err's text (which says what to do) that
// is also class, ErrAuth or ErrUnavailable, to errors.Is; nil for nil.
func Classed(err, class error) error {
	if err == nil {
		return nil
	}
	return &classed{err, class}
}

type classed struct{ err, class error }

func (c *classed) Error() string   { return c.err.Error() }
func (c *classed) Unwrap() []error { return []error{c.err, c.class} }

// Client signs and sends requests with cfg's region and credentials. It is
// safe for concurrent use.
type Client struct {
	cfg    aws.Config
	http   aws.HTTPClient
	signer *v4.Signer
}

// New returns a Client of cfg that sends through hc, or through
// cfg.HTTPClient when hc is nil, or else through a plain http.Client.
func New(cfg aws.Config, hc aws.HTTPClient) *Client {
	if hc == nil {
		hc = cfg.HTTPClient
	}
	if hc == nil {
		hc = &http.Client{Timeout: 30 * time.Second}
	}
	return &Client{cfg: cfg, http: hc, signer: v4.NewSigner()}
}

// Config returns the configuration the client signs with.
func (c *Client) Config() aws.Config { return c.cfg }

// Send signs and sends one request to endpoint and reads the answer: its
// body and status. The error is a failure to send or to read (a network
// failure, or no credentials: ErrNoCredentials), never an error status.
func (c *Client) Send(ctx context.Context, svc Service, endpoint, target string, body []byte) ([]byte, int, error) {
	sum := sha256.Sum256(body)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, bytes.NewReader(body))
	if err != nil {
		return nil, 0, err
	}
	if req.URL.Path == "" {
		req.URL.Path = "/"
	}
	req.Header.Set("Content-Type", "application/x-amz-json-"+svc.Version)
	req.Header.Set("X-Amz-Target", target)
	if c.cfg.Credentials == nil {
		return nil, 0, Classed(fmt.Errorf("%w: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY or AWS_PROFILE, or run with a role", ErrNoCredentials), ErrAuth)
	}
	creds, err := c.cfg.Credentials.Retrieve(ctx)
	if err != nil {
		return nil, 0, Classed(fmt.Errorf("%w: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY or AWS_PROFILE, or run with a role (%v)", ErrNoCredentials, err), ErrAuth)
	}
	if err := c.signer.SignHTTP(ctx, creds, req, hex.EncodeToString(sum[:]), svc.Signing, c.cfg.Region, time.Now()); err != nil {
		return nil, 0, err
	}
	resp, err := c.http.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return nil, 0, err
		}
		return nil, 0, Classed(err, ErrUnavailable)
	}
	defer resp.Body.Close()
	limit := svc.MaxAnswer
	if limit <= 0 {
		limit = 1 << 20
	}
	answer, err := io.ReadAll(io.LimitReader(resp.Body, limit))
	return answer, resp.StatusCode, err
}

// Endpoint is the URL of svc by the SDK's rules: the service's own
// endpoint setting (AWS_ENDPOINT_URL_<SDKID>, or the shared config's
// services section), then AWS_ENDPOINT_URL (cfg.BaseEndpoint), else the
// region's endpoint.
func (c *Client) Endpoint(ctx context.Context, svc Service) string {
	type serviceEndpoint interface {
		GetServiceBaseEndpoint(ctx context.Context, sdkID string) (string, bool, error)
	}
	for _, src := range c.cfg.ConfigSources {
		if s, ok := src.(serviceEndpoint); ok {
			if u, found, err := s.GetServiceBaseEndpoint(ctx, svc.SDKID); err == nil && found {
				return u
			}
		}
	}
	if c.cfg.BaseEndpoint != nil && *c.cfg.BaseEndpoint != "" {
		return *c.cfg.BaseEndpoint
	}
	suffix := "amazonaws.com"
	if strings.HasPrefix(c.cfg.Region, "cn-") {
		suffix = "amazonaws.com.cn"
	}
	return "https://" + svc.Signing + "." + c.cfg.Region + "." + suffix
}

// ErrorCode is the code of an error answer: its __type, without the
// namespace before a '#' and anything after a ':'; "" when it has none.
func ErrorCode(answer []byte) string {
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

// ErrorMessage is the message of an error answer (its "message" or
// "Message"), printable as catalog.CleanLine makes text from the network
// (escape sequences, controls and bidi overrides removed; docs/security.md),
// and cut to 200 bytes.
func ErrorMessage(answer []byte) string {
	var e struct {
		Lower string `json:"message"`
		Upper string `json:"Message"`
	}
	_ = json.Unmarshal(answer, &e)
	m := e.Lower
	if m == "" {
		m = e.Upper
	}
	m = catalog.CleanLine(m)
	if len(m) > 200 {
		m = strings.ToValidUTF8(m[:200], "") + "..."
	}
	return m
}
