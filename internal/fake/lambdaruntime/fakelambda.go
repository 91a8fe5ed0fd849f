// Package fakelambda is a fake of the AWS Lambda Runtime API for tests, on
// loopback: the HTTP API a custom runtime's bootstrap loops on. It speaks
// the shapes of the Lambda Developer Guide's page "Using the Lambda runtime
// API for custom runtimes" (runtimes-api); docs/serverless.md#the-runtime-api-fake
// names the section of each. The test queues events (Invoke) and reads each
// invocation's response or error (Wait); a runtime process that dies with
// an invocation in hand has it handed to the next process that asks, as
// Lambda retries an asynchronous invocation whose environment failed.
package fakelambda

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"time"
)

// The headers of a next-invocation answer (runtimes-api, "Next
// invocation", response headers).
const (
	HeaderRequestID   = "Lambda-Runtime-Aws-Request-Id"
	HeaderDeadlineMs  = "Lambda-Runtime-Deadline-Ms"
	HeaderFunctionArn = "Lambda-Runtime-Invoked-Function-Arn"
	HeaderTraceID     = "Lambda-Runtime-Trace-Id"
	// HeaderErrorType is the error type a runtime names when it reports
	// an invocation error or an initialization error (runtimes-api,
	// "Invocation error", request headers).
	HeaderErrorType = "Lambda-Runtime-Function-Error-Type"
)

// FunctionArn is the ARN every invocation names.
const FunctionArn = "arn:aws:lambda:us-east-1:123456789012:function:reinvent"

// ErrorBody is the JSON body of an invocation error or an initialization
// error (runtimes-api, "Invocation error" and "Initialization error",
// request body): every field optional.
type ErrorBody struct {
	ErrorMessage string   `json:"errorMessage,omitempty"`
	ErrorType    string   `json:"errorType,omitempty"`
	StackTrace   []string `json:"stackTrace,omitempty"`
}

// Result is how an invocation ended: the body the runtime posted to
// /response, or the error it posted to /error.
type Result struct {
	RequestID string
	Response  []byte
	// Err is the error body posted to /error, nil after a response.
	Err *ErrorBody
	// ErrorType is the Lambda-Runtime-Function-Error-Type header of an
	// error.
	ErrorType string
	// Handed is how often the event was handed to a runtime: more than
	// once when a runtime died with it in hand.
	Handed int
}

type invocation struct {
	id      string
	payload []byte
	handed  int
	conn    string // the connection that holds it, while in hand
	done    chan struct{}
	result  *Result
}

// Server is a running fake.
type Server struct {
	srv *httptest.Server
	// Timeout is each invocation's time limit: its deadline is when it
	// was handed out plus Timeout. Set it before the first Invoke.
	Timeout time.Duration

	mu         sync.Mutex
	queue      []*invocation
	all        map[string]*invocation
	ready      chan struct{} // closed and replaced when the queue grows
	n          int
	nexts      int
	initErrors []ErrorBody
	closed     chan struct{}
	asked      chan struct{} // a token for each next request, for this package's tests
}

// New starts a fake on loopback with a 30-second timeout; Close stops it.
func New() *Server {
	s := &Server{Timeout: 30 * time.Second, all: map[string]*invocation{},
		ready: make(chan struct{}), closed: make(chan struct{}), asked: make(chan struct{}, 64)}
	s.srv = httptest.NewUnstartedServer(http.HandlerFunc(s.serve))
	// A runtime that dies drops its connection: what it had in hand goes
	// back to the queue.
	s.srv.Config.ConnState = func(c net.Conn, st http.ConnState) {
		if st == http.StateClosed || st == http.StateHijacked {
			s.dropped(c.RemoteAddr().String())
		}
	}
	s.srv.Start()
	return s
}

// Addr is the host and port a runtime finds in AWS_LAMBDA_RUNTIME_API.
func (s *Server) Addr() string { return strings.TrimPrefix(s.srv.URL, "http://") }

// Close stops the fake; a runtime waiting for its next event gets an error.
func (s *Server) Close() {
	close(s.closed)
	s.srv.CloseClientConnections()
	s.srv.Close()
}

// Invoke queues an event and returns its request id.
func (s *Server) Invoke(payload []byte) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.n++
	inv := &invocation{id: fmt.Sprintf("8476a536-e9f4-11e8-9739-%012d", s.n), payload: payload, done: make(chan struct{})}
	s.all[inv.id] = inv
	s.push(inv)
	return inv.id
}

// push queues inv and wakes the runtimes waiting; s.mu is held.
func (s *Server) push(inv *invocation) {
	s.queue = append(s.queue, inv)
	close(s.ready)
	s.ready = make(chan struct{})
}

// Wait returns how invocation id ended, once a runtime answered it, or
// ctx's error.
func (s *Server) Wait(ctx context.Context, id string) (Result, error) {
	s.mu.Lock()
	inv := s.all[id]
	s.mu.Unlock()
	if inv == nil {
		return Result{}, fmt.Errorf("no invocation %s", id)
	}
	select {
	case <-inv.done:
		s.mu.Lock()
		defer s.mu.Unlock()
		return *inv.result, nil
	case <-ctx.Done():
		return Result{}, ctx.Err()
	}
}

// InitErrors returns the initialization errors runtimes reported.
func (s *Server) InitErrors() []ErrorBody {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]ErrorBody(nil), s.initErrors...)
}

// Nexts is how many next-invocation requests runtimes made, answered or
// waiting.
func (s *Server) Nexts() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.nexts
}

const prefix = "/2018-06-01/runtime/"

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	path, ok := strings.CutPrefix(r.URL.Path, prefix)
	switch {
	case !ok:
		writeError(w, http.StatusNotFound, "UnknownPath", "no such path")
	case path == "invocation/next" && r.Method == http.MethodGet:
		s.next(w, r)
	case path == "init/error" && r.Method == http.MethodPost:
		body, err := readError(r)
		if err != nil {
			writeError(w, http.StatusBadRequest, "InvalidRequestFormat", err.Error())
			return
		}
		s.mu.Lock()
		s.initErrors = append(s.initErrors, body)
		s.mu.Unlock()
		writeJSON(w, http.StatusAccepted, map[string]string{"status": "OK"})
	case strings.HasPrefix(path, "invocation/") && r.Method == http.MethodPost:
		id, what, _ := strings.Cut(strings.TrimPrefix(path, "invocation/"), "/")
		s.answer(w, r, id, what)
	default:
		writeError(w, http.StatusNotFound, "UnknownPath", "no such path")
	}
}

// next blocks until an event is queued, then hands it out with its
// headers (runtimes-api, "Next invocation"). The request has no timeout:
// "Don't set a timeout on the GET request".
func (s *Server) next(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.nexts++
	s.mu.Unlock()
	select {
	case s.asked <- struct{}{}:
	default:
	}
	for {
		s.mu.Lock()
		if len(s.queue) > 0 {
			inv := s.queue[0]
			s.queue = s.queue[1:]
			inv.handed++
			inv.conn = r.RemoteAddr
			deadline := time.Now().Add(s.Timeout)
			s.mu.Unlock()
			h := w.Header()
			h.Set(HeaderRequestID, inv.id)
			h.Set(HeaderDeadlineMs, strconv.FormatInt(deadline.UnixMilli(), 10))
			h.Set(HeaderFunctionArn, FunctionArn)
			h.Set(HeaderTraceID, "Root=1-5bef4de7-ad49b0e87f6ef6c87fc2e700;Parent=9a9197af755a6419;Sampled=1")
			h.Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusOK)
			_, _ = w.Write(inv.payload)
			return
		}
		ready := s.ready
		s.mu.Unlock()
		select {
		case <-ready:
		case <-r.Context().Done():
			return
		case <-s.closed:
			return
		}
	}
}

// answer records an invocation's response or error (runtimes-api,
// "Invocation response" and "Invocation error"): 202 once, 400 for an
// unknown request id or one already answered.
func (s *Server) answer(w http.ResponseWriter, r *http.Request, id, what string) {
	if what != "response" && what != "error" {
		writeError(w, http.StatusNotFound, "UnknownPath", "no such path")
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, 6<<20+1))
	if err != nil {
		writeError(w, http.StatusBadRequest, "InvalidRequestFormat", err.Error())
		return
	}
	if len(body) > 6<<20 {
		// "Lambda returns an error if the response exceeds the maximum
		// payload size" (6 MB for synchronous invocations).
		writeError(w, http.StatusRequestEntityTooLarge, "RequestEntityTooLarge", "response over 6 MB")
		return
	}
	res := &Result{RequestID: id}
	if what == "error" {
		var eb ErrorBody
		if len(body) > 0 {
			if err := json.Unmarshal(body, &eb); err != nil {
				writeError(w, http.StatusBadRequest, "InvalidRequestFormat", "error body is not JSON: "+err.Error())
				return
			}
		}
		res.Err, res.ErrorType = &eb, r.Header.Get(HeaderErrorType)
	} else {
		res.Response = body
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	inv := s.all[id]
	if inv == nil || inv.result != nil || inv.conn == "" {
		writeError(w, http.StatusBadRequest, "InvalidRequestID", "no invocation "+id+" in hand")
		return
	}
	res.Handed = inv.handed
	inv.result, inv.conn = res, ""
	close(inv.done)
	writeJSON(w, http.StatusAccepted, map[string]string{"status": "OK"})
}

// dropped queues again every unanswered invocation the closed connection
// conn held.
func (s *Server) dropped(conn string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, inv := range s.all {
		if inv.conn == conn && inv.result == nil {
			inv.conn = ""
			s.push(inv)
		}
	}
}

func readError(r *http.Request) (ErrorBody, error) {
	var eb ErrorBody
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil || len(body) == 0 {
		return eb, err
	}
	return eb, json.Unmarshal(body, &eb)
}

// writeError answers in the runtime API's error shape, {"errorMessage",
// "errorType"} (runtimes-api, the 400 and 500 answers).
func writeError(w http.ResponseWriter, status int, typ, msg string) {
	writeJSON(w, status, ErrorBody{ErrorMessage: msg, ErrorType: typ})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, _ := json.Marshal(v)
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}
