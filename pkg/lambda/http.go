package lambda

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"

	"github.com/aws/aws-lambda-go/events"

	"github.com/reinvent-cli/reinvent/pkg/webhook"
)

// httpHandler serves X's webhook from HTTP events: serve-webhook's own
// handler and routes (webhook.Mux, webhook.Handler), so the CRC, the
// signature check, the payload parsing and the status codes are one code.
type httpHandler struct {
	mux http.Handler
}

func newHTTPHandler(o Options, queue func(context.Context, []webhook.Mention) error, log *slog.Logger) *httpHandler {
	h := &webhook.Handler{
		ConsumerSecret: o.ConsumerSecret, ClientSecret: o.ClientSecret, BotHandle: o.BotHandle,
		Logger: log, Queue: queue,
	}
	return &httpHandler{mux: webhook.Mux(o.Path, h)}
}

// errNotHTTP is the error for an event that is no HTTP request.
var errNotHTTP = errors.New("the webhook handler takes function URL or HTTP API requests (payload format 2.0)")

// Request turns a function URL or HTTP API event (payload format 2.0,
// docs/serverless.md#events) into the request it stands for. The body is
// decoded when isBase64Encoded says so.
func Request(ctx context.Context, ev events.APIGatewayV2HTTPRequest) (*http.Request, error) {
	method := ev.RequestContext.HTTP.Method
	if method == "" {
		return nil, errNotHTTP
	}
	body := []byte(ev.Body)
	if ev.IsBase64Encoded {
		b, err := base64.StdEncoding.DecodeString(ev.Body)
		if err != nil {
			return nil, fmt.Errorf("the body says it is base64 but is not: %w", err)
		}
		body = b
	}
	path := ev.RawPath
	if path == "" {
		path = ev.RequestContext.HTTP.Path
	}
	// An HTTP API stage other than $default comes first in rawPath.
	if st := ev.RequestContext.Stage; st != "" && st != "$default" {
		if rest, ok := strings.CutPrefix(path, "/"+st); ok && (rest == "" || rest[0] == '/') {
			path = rest
		}
	}
	if path == "" {
		path = "/"
	}
	u := &url.URL{Path: path, RawQuery: ev.RawQueryString}
	r, err := http.NewRequestWithContext(ctx, method, u.String(), bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("the request cannot be read: %w", err)
	}
	for k, v := range ev.Headers {
		// Lambda joins repeated headers with commas; X sends each once.
		r.Header.Set(k, v)
	}
	if len(ev.Cookies) > 0 {
		r.Header.Set("Cookie", strings.Join(ev.Cookies, "; "))
	}
	r.ContentLength = int64(len(body))
	r.RemoteAddr = ev.RequestContext.HTTP.SourceIP
	r.Host = ev.RequestContext.DomainName
	return r, nil
}

// serveHTTP answers one HTTP event as serve-webhook answers the request.
// The answer is a function URL response (payload format 2.0): the status,
// the headers and the body.
func (f *Function) serveHTTP(ctx context.Context, payload []byte) (outcome, error) {
	out := outcome{Handler: Webhook}
	var ev events.APIGatewayV2HTTPRequest
	var r *http.Request
	err := json.Unmarshal(payload, &ev)
	if err == nil {
		r, err = Request(ctx, ev)
	}
	rec := httptest.NewRecorder()
	if err != nil {
		// Not an HTTP request (a test event from the console, say): a
		// 400 that says why, not an error Lambda would retry.
		f.d.Logger.Warn("webhook event refused", "err", err)
		rec.Header().Set("Content-Type", "application/json")
		rec.WriteHeader(http.StatusBadRequest)
		b, _ := json.Marshal(map[string]string{"error": err.Error()})
		rec.Write(b)
	} else {
		f.webhook.mux.ServeHTTP(rec, r)
	}
	res := rec.Result()
	resp := events.APIGatewayV2HTTPResponse{StatusCode: res.StatusCode, Headers: map[string]string{}, Body: rec.Body.String()}
	for k, v := range res.Header {
		resp.Headers[k] = strings.Join(v, ", ")
	}
	out.Response, _ = json.Marshal(resp) // strings and ints always marshal
	out.Outcome = fmt.Sprintf("%d", res.StatusCode)
	if r != nil {
		out.attrs = []any{"method", r.Method, "path", r.URL.Path}
	}
	return out, nil
}
