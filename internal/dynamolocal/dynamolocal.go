// Package dynamolocal serves a real implementation of DynamoDB's API on
// loopback for tests: github.com/truora/minidyn's HTTP server, in process,
// driven by the store's client (whose writes the tests of
// pkg/store/dynamo/internal/ddb read back with the real aws-sdk-go-v2
// client, and the other way round). Imported only by tests.
package dynamolocal

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/truora/minidyn/server"
)

// Region is the region the clients of Start sign for.
const Region = "us-east-1"

// Start serves an empty DynamoDB on loopback until the test ends and
// returns its URL, for AWS_ENDPOINT_URL_DYNAMODB or Client.
//
// minidyn lacks two things the store's CreateTable uses, which the
// server in front of it fills in from the DynamoDB API reference
// (docs/serverless.md, "The table"): UpdateTimeToLive is answered with
// its TimeToLiveSpecification (TTL only deletes expired items some time
// later; no promise of the store depends on it), and a table's
// description says TableStatus ACTIVE, as a minidyn table is usable as
// soon as it is created.
//
// minidyn serves the item operations under its own lock but reads and
// changes a table's description under none, so the operations on tables
// run here alone, never beside an item operation (a DescribeTable while
// another process writes was a data race).
func Start(t testing.TB) string {
	t.Helper()
	mini := server.NewServer()
	var tables sync.RWMutex
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		op := r.Header.Get("X-Amz-Target")
		op = op[strings.LastIndex(op, ".")+1:]
		switch op {
		case "CreateTable", "UpdateTable", "DeleteTable", "DescribeTable":
			tables.Lock()
			defer tables.Unlock()
		default:
			tables.RLock()
			defer tables.RUnlock()
		}
		switch op {
		case "UpdateTimeToLive":
			var in struct {
				TimeToLiveSpecification json.RawMessage
			}
			_ = json.NewDecoder(r.Body).Decode(&in)
			w.Header().Set("Content-Type", "application/x-amz-json-1.0")
			_ = json.NewEncoder(w).Encode(map[string]json.RawMessage{"TimeToLiveSpecification": in.TimeToLiveSpecification})
		case "DescribeTable", "CreateTable":
			rec := httptest.NewRecorder()
			mini.ServeHTTP(rec, r)
			body := rec.Body.Bytes()
			if rec.Code == http.StatusOK {
				body = active(body)
			}
			for k, v := range rec.Header() {
				w.Header()[k] = v
			}
			w.WriteHeader(rec.Code)
			_, _ = w.Write(body)
		default:
			mini.ServeHTTP(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

// active sets TableStatus ACTIVE in a DescribeTable or CreateTable answer.
func active(body []byte) []byte {
	var out map[string]map[string]any
	if json.Unmarshal(body, &out) != nil {
		return body
	}
	for _, k := range []string{"Table", "TableDescription"} {
		if d, ok := out[k]; ok && d != nil {
			if s, _ := d["TableStatus"].(string); s == "" {
				d["TableStatus"] = "ACTIVE"
			}
		}
	}
	b, err := json.Marshal(out)
	if err != nil {
		return body
	}
	return b
}

// Client returns the AWS configuration of a client of the server at url,
// with made-up static credentials: for the store (dynamo.OpenClient and
// dynamo.CreateTable) and for the SDK's own client
// (dynamodb.NewFromConfig).
func Client(url string) aws.Config {
	return aws.Config{
		Region:       Region,
		BaseEndpoint: aws.String(url),
		Credentials:  credentials.NewStaticCredentialsProvider("AKIDLOCAL", "local-secret", ""),
		HTTPClient:   &http.Client{},
	}
}

// CutAfter returns the configuration of a client of the server at url
// whose requests fail without reaching it from the nth on (DescribeTable
// excepted), as those of a process killed in the middle of its work:
// nothing after the cut is written. It makes one attempt per request.
func CutAfter(url string, n int) aws.Config {
	cfg := Client(url)
	var sent atomic.Int64
	cfg.RetryMaxAttempts = 1
	cfg.HTTPClient = &http.Client{Transport: roundTrip(func(r *http.Request) (*http.Response, error) {
		if !strings.HasSuffix(r.Header.Get("X-Amz-Target"), ".DescribeTable") && sent.Add(1) >= int64(n) {
			return nil, errors.New("killed")
		}
		return http.DefaultTransport.RoundTrip(r)
	})}
	return cfg
}

type roundTrip func(*http.Request) (*http.Response, error)

func (f roundTrip) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }
