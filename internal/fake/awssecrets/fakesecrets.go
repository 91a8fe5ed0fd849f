// Package fakesecrets is a fake of AWS Secrets Manager's GetSecretValue and
// Systems Manager Parameter Store's GetParameter for tests, on loopback. It
// speaks the AWS JSON 1.1 protocol the two API references describe
// (docs/serverless.md#the-secrets-fake names the pages): POST / with
// X-Amz-Target "secretsmanager.GetSecretValue" or "AmazonSSM.GetParameter"
// and Content-Type application/x-amz-json-1.1, answers in JSON, and errors
// as {"__type": CODE, "message": TEXT} with HTTP 400. It checks that each
// request is signed with Signature Version 4 for its service, and counts the
// requests so a test can tell that a value was fetched once.
package fakesecrets

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"time"
)

// Account and Region are those of the ARNs the fake makes.
const (
	Account = "123456789012"
	Region  = "us-east-1"
)

// Server is a running fake of both services at one URL: point
// AWS_ENDPOINT_URL_SECRETS_MANAGER and AWS_ENDPOINT_URL_SSM at URL.
type Server struct {
	URL string

	srv *httptest.Server

	mu       sync.Mutex
	secrets  map[string]secret // by name
	params   map[string]param  // by name
	requests map[string]int    // by X-Amz-Target
	denied   bool
}

type secret struct {
	name, arn string
	str       *string
	binary    []byte
}

type param struct {
	name, typ, value string
}

// New starts a fake with no secrets and no parameters.
func New() *Server {
	s := &Server{secrets: map[string]secret{}, params: map[string]param{}, requests: map[string]int{}}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	s.URL = s.srv.URL
	return s
}

// Close stops the server.
func (s *Server) Close() { s.srv.Close() }

// SecretARN is the ARN the fake gives the secret name: Secrets Manager's
// form, the name followed by a dash and six random characters.
func SecretARN(name string) string {
	return "arn:aws:secretsmanager:" + Region + ":" + Account + ":secret:" + name + "-AbCdEf"
}

// PutSecret stores a secret whose value is a string (SecretString).
func (s *Server) PutSecret(name, value string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.secrets[name] = secret{name: name, arn: SecretARN(name), str: &value}
}

// PutBinarySecret stores a secret whose value is binary (SecretBinary).
func (s *Server) PutBinarySecret(name string, value []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.secrets[name] = secret{name: name, arn: SecretARN(name), binary: value}
}

// PutParameter stores a parameter; secure makes it a SecureString, whose
// value is answered only with WithDecryption.
func (s *Server) PutParameter(name, value string, secure bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	typ := "String"
	if secure {
		typ = "SecureString"
	}
	s.params[name] = param{name: name, typ: typ, value: value}
}

// Deny makes every later request fail as a caller without the IAM
// permission would: AccessDeniedException.
func (s *Server) Deny() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.denied = true
}

// Requests is how many requests of the operation target (such as
// "secretsmanager.GetSecretValue") the fake was sent.
func (s *Server) Requests(target string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.requests[target]
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	target := r.Header.Get("X-Amz-Target")
	s.mu.Lock()
	s.requests[target]++
	denied := s.denied
	s.mu.Unlock()

	if r.Method != http.MethodPost || r.URL.Path != "/" {
		fail(w, http.StatusNotFound, "UnknownOperationException", "POST / only")
		return
	}
	if ct := r.Header.Get("Content-Type"); ct != "application/x-amz-json-1.1" {
		fail(w, http.StatusBadRequest, "SerializationException", "Content-Type must be application/x-amz-json-1.1, not "+ct)
		return
	}
	service, op, _ := strings.Cut(target, ".")
	signing := map[string]string{"secretsmanager": "secretsmanager", "AmazonSSM": "ssm"}[service]
	if signing == "" {
		fail(w, http.StatusBadRequest, "UnknownOperationException", "unknown X-Amz-Target "+target)
		return
	}
	if err := checkSigned(r, signing); err != nil {
		fail(w, http.StatusBadRequest, "IncompleteSignature", err.Error())
		return
	}
	if denied {
		fail(w, http.StatusBadRequest, "AccessDeniedException", "User is not authorized to perform: "+signing+":"+op)
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil {
		fail(w, http.StatusBadRequest, "SerializationException", err.Error())
		return
	}
	switch target {
	case "secretsmanager.GetSecretValue":
		s.getSecretValue(w, body)
	case "AmazonSSM.GetParameter":
		s.getParameter(w, body)
	default:
		fail(w, http.StatusBadRequest, "UnknownOperationException", "the fake serves GetSecretValue and GetParameter only")
	}
}

// getSecretValue answers GetSecretValue (Secrets Manager API Reference,
// "GetSecretValue"): SecretId is the ARN or the name; only the AWSCURRENT
// version exists here.
func (s *Server) getSecretValue(w http.ResponseWriter, body []byte) {
	var in struct {
		SecretID     string `json:"SecretId"`
		VersionID    string `json:"VersionId"`
		VersionStage string `json:"VersionStage"`
	}
	if err := json.Unmarshal(body, &in); err != nil || in.SecretID == "" {
		fail(w, http.StatusBadRequest, "InvalidParameterException", "SecretId is required")
		return
	}
	if in.VersionStage != "" && in.VersionStage != "AWSCURRENT" || in.VersionID != "" {
		fail(w, http.StatusBadRequest, "ResourceNotFoundException", "Secrets Manager can't find the specified secret value for staging label: "+in.VersionStage)
		return
	}
	s.mu.Lock()
	sec, ok := s.secrets[in.SecretID]
	if !ok {
		for _, c := range s.secrets {
			if c.arn == in.SecretID {
				sec, ok = c, true
			}
		}
	}
	s.mu.Unlock()
	if !ok {
		fail(w, http.StatusBadRequest, "ResourceNotFoundException", "Secrets Manager can't find the specified secret.")
		return
	}
	out := map[string]any{
		"ARN":           sec.arn,
		"Name":          sec.name,
		"VersionId":     "01234567-89ab-cdef-0123-456789abcdef",
		"VersionStages": []string{"AWSCURRENT"},
		"CreatedDate":   float64(time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC).Unix()),
	}
	if sec.str != nil {
		out["SecretString"] = *sec.str
	} else {
		out["SecretBinary"] = sec.binary // base64, as the reference says
	}
	answer(w, out)
}

// getParameter answers GetParameter (Systems Manager API Reference,
// "GetParameter"): a SecureString's value is its ciphertext unless
// WithDecryption is true.
func (s *Server) getParameter(w http.ResponseWriter, body []byte) {
	var in struct {
		Name           string `json:"Name"`
		WithDecryption bool   `json:"WithDecryption"`
	}
	if err := json.Unmarshal(body, &in); err != nil || in.Name == "" {
		fail(w, http.StatusBadRequest, "ValidationException", "1 validation error detected: Value null at 'name' failed to satisfy constraint: Member must not be null")
		return
	}
	s.mu.Lock()
	p, ok := s.params[in.Name]
	s.mu.Unlock()
	if !ok {
		fail(w, http.StatusBadRequest, "ParameterNotFound", "")
		return
	}
	value := p.value
	if p.typ == "SecureString" && !in.WithDecryption {
		value = "AQICAHhzZmFrZS1jaXBoZXJ0ZXh0LW5vdC10aGUtdmFsdWU="
	}
	answer(w, map[string]any{"Parameter": map[string]any{
		"ARN":              "arn:aws:ssm:" + Region + ":" + Account + ":parameter/" + strings.TrimPrefix(p.name, "/"),
		"DataType":         "text",
		"LastModifiedDate": float64(time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC).Unix()),
		"Name":             p.name,
		"Type":             p.typ,
		"Value":            value,
		"Version":          1,
	}})
}

// checkSigned checks the shape of a Signature Version 4 Authorization
// header for the service (the fake does not know the secret key, so it
// cannot check the signature itself).
func checkSigned(r *http.Request, service string) error {
	auth := r.Header.Get("Authorization")
	rest, ok := strings.CutPrefix(auth, "AWS4-HMAC-SHA256 Credential=")
	if !ok {
		return fmt.Errorf("the request is not signed with AWS4-HMAC-SHA256")
	}
	scope, _, _ := strings.Cut(rest, ",")
	parts := strings.Split(scope, "/")
	if len(parts) != 5 || parts[3] != service || parts[4] != "aws4_request" {
		return fmt.Errorf("credential scope %q is not for %s", scope, service)
	}
	if r.Header.Get("X-Amz-Date") == "" {
		return fmt.Errorf("X-Amz-Date is missing")
	}
	return nil
}

func answer(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	w.Header().Set("X-Amzn-RequestId", "11111111-2222-3333-4444-555555555555")
	_ = json.NewEncoder(w).Encode(v)
}

func fail(w http.ResponseWriter, status int, code, msg string) {
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	w.Header().Set("X-Amzn-RequestId", "11111111-2222-3333-4444-555555555555")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]string{"__type": code, "message": msg})
}
