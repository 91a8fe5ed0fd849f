package awsjson_test

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/aws/aws-sdk-go-v2/config"

	"github.com/reinvent-cli/reinvent/internal/awsjson"
)

var dynamodb = awsjson.Service{SDKID: "DynamoDB", Signing: "dynamodb", Version: "1.0"}

// The endpoint follows the SDK's settings, as the service clients would:
// the service's own variable, then AWS_ENDPOINT_URL, then the region's.
func TestEndpoint(t *testing.T) {
	for _, tt := range []struct {
		env  map[string]string
		want string
	}{
		{map[string]string{"AWS_REGION": "us-west-2"}, "https://dynamodb.us-west-2.amazonaws.com"},
		{map[string]string{"AWS_REGION": "cn-north-1"}, "https://dynamodb.cn-north-1.amazonaws.com.cn"},
		{map[string]string{"AWS_REGION": "us-east-1", "AWS_ENDPOINT_URL": "http://127.0.0.1:8000"}, "http://127.0.0.1:8000"},
		{map[string]string{"AWS_REGION": "us-east-1", "AWS_ENDPOINT_URL": "http://127.0.0.1:8000", "AWS_ENDPOINT_URL_DYNAMODB": "http://127.0.0.1:9000"}, "http://127.0.0.1:9000"},
	} {
		t.Run(tt.want, func(t *testing.T) {
			dir := t.TempDir()
			t.Setenv("AWS_CONFIG_FILE", filepath.Join(dir, "config"))
			t.Setenv("AWS_SHARED_CREDENTIALS_FILE", filepath.Join(dir, "credentials"))
			for _, k := range []string{"AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_DYNAMODB", "AWS_PROFILE"} {
				t.Setenv(k, "")
			}
			for k, v := range tt.env {
				t.Setenv(k, v)
			}
			cfg, err := config.LoadDefaultConfig(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if got := awsjson.New(cfg, nil).Endpoint(context.Background(), dynamodb); got != tt.want {
				t.Errorf("endpoint %q, want %q", got, tt.want)
			}
		})
	}
}

// A classed error keeps its own words, which say what to do, and is its
// class to errors.Is, and what it wraps.
func TestClassed(t *testing.T) {
	cause := errors.New("no AWS region: set AWS_REGION")
	err := awsjson.Classed(cause, awsjson.ErrAuth)
	if err.Error() != cause.Error() || !errors.Is(err, awsjson.ErrAuth) || !errors.Is(err, cause) || errors.Is(err, awsjson.ErrUnavailable) {
		t.Errorf("Classed: %q, Is ErrAuth %v", err, errors.Is(err, awsjson.ErrAuth))
	}
	if awsjson.Classed(nil, awsjson.ErrAuth) != nil {
		t.Error("Classed(nil) is not nil")
	}
}

// An error answer's message reaches a terminal printable and short.
func TestErrorMessage(t *testing.T) {
	got := awsjson.ErrorMessage([]byte(`{"__type":"com.amazonaws.dynamodb.v20120810#ValidationException","message":"bad\u001b[31m key\u202e\nnext` + strings.Repeat("x", 300) + `"}`))
	if strings.ContainsAny(got, "\x1b\u202e\n") || len(got) > 210 || !strings.HasPrefix(got, "bad key next") {
		t.Errorf("message %q", got)
	}
	if code := awsjson.ErrorCode([]byte(`{"__type":"com.amazonaws.dynamodb.v20120810#ValidationException"}`)); code != "ValidationException" {
		t.Errorf("code %q", code)
	}
}

// FuzzErrorMessage: whatever AWS (or something in its place) answers, the
// message is valid UTF-8 a terminal does not act on, within 200 bytes and
// its "...".
func FuzzErrorMessage(f *testing.F) {
	f.Add([]byte(`{"__type":"ValidationException","message":"bad\u001b[31m key\u202e` + strings.Repeat("x", 300) + `"}`))
	f.Add([]byte(`{"Message":"\u009b2J\u0007 \u2066hidden\u2069"}`))
	f.Add([]byte(`{"message":"` + strings.Repeat("é", 150) + `"}`))
	f.Add([]byte("\xff\xfe not json"))
	f.Fuzz(func(t *testing.T, answer []byte) {
		m := awsjson.ErrorMessage(answer)
		if !utf8.ValidString(m) || len(m) > 203 {
			t.Fatalf("message %q: %d bytes, valid UTF-8 %v", m, len(m), utf8.ValidString(m))
		}
		for _, r := range m {
			if r < 0x20 || r >= 0x7f && r <= 0x9f || r >= 0x202a && r <= 0x202e || r >= 0x2066 && r <= 0x2069 {
				t.Fatalf("message %q holds %U", m, r)
			}
		}
	})
}
