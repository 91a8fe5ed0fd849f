package fakelambda

import (
	"context"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"
)

func get(t *testing.T, c *http.Client, url string) (*http.Response, string) {
	t.Helper()
	resp, err := c.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	return resp, string(b)
}

func post(t *testing.T, c *http.Client, url, body string, h map[string]string) int {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, url, strings.NewReader(body))
	for k, v := range h {
		req.Header.Set(k, v)
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode
}

// TestInvocationLifecycle: an event queued is handed out with the documented
// headers and ends with the response or error the runtime posts; an answer
// for an unknown id, or a second answer, is a 400.
func TestInvocationLifecycle(t *testing.T) {
	s := New()
	defer s.Close()
	base := "http://" + s.Addr() + "/2018-06-01/runtime/"
	c := &http.Client{}
	id := s.Invoke([]byte(`{"a":1}`))
	id2 := s.Invoke([]byte(`{"b":2}`))

	resp, body := get(t, c, base+"invocation/next")
	if resp.StatusCode != 200 || body != `{"a":1}` || resp.Header.Get(HeaderRequestID) != id {
		t.Fatalf("next: %d %q id %q", resp.StatusCode, body, resp.Header.Get(HeaderRequestID))
	}
	ms, err := strconv.ParseInt(resp.Header.Get(HeaderDeadlineMs), 10, 64)
	if err != nil || time.Until(time.UnixMilli(ms)) < 25*time.Second {
		t.Errorf("deadline %q is not about 30 s ahead", resp.Header.Get(HeaderDeadlineMs))
	}
	if resp.Header.Get(HeaderFunctionArn) != FunctionArn || resp.Header.Get(HeaderTraceID) == "" {
		t.Errorf("function ARN %q, trace id %q", resp.Header.Get(HeaderFunctionArn), resp.Header.Get(HeaderTraceID))
	}
	if st := post(t, c, base+"invocation/"+id+"/response", `{"ok":true}`, nil); st != 202 {
		t.Fatalf("response: %d", st)
	}
	if st := post(t, c, base+"invocation/"+id+"/response", `{}`, nil); st != 400 {
		t.Errorf("a second response: %d, want 400", st)
	}
	if st := post(t, c, base+"invocation/nope/response", `{}`, nil); st != 400 {
		t.Errorf("an unknown id: %d, want 400", st)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	r, err := s.Wait(ctx, id)
	if err != nil || string(r.Response) != `{"ok":true}` || r.Err != nil || r.Handed != 1 {
		t.Fatalf("result %+v, %v", r, err)
	}

	resp, _ = get(t, c, base+"invocation/next")
	if resp.Header.Get(HeaderRequestID) != id2 {
		t.Fatalf("second next: %q", resp.Header.Get(HeaderRequestID))
	}
	st := post(t, c, base+"invocation/"+id2+"/error", `{"errorMessage":"boom","errorType":"Oops","stackTrace":[]}`,
		map[string]string{HeaderErrorType: "Unhandled"})
	if st != 202 {
		t.Fatalf("error: %d", st)
	}
	r, err = s.Wait(ctx, id2)
	if err != nil || r.Err == nil || r.Err.ErrorMessage != "boom" || r.Err.ErrorType != "Oops" || r.ErrorType != "Unhandled" {
		t.Fatalf("error result %+v, %v", r, err)
	}

	if st := post(t, c, base+"init/error", `{"errorMessage":"no table","errorType":"Init"}`, map[string]string{HeaderErrorType: "Runtime.Init"}); st != 202 {
		t.Fatalf("init error: %d", st)
	}
	if ie := s.InitErrors(); len(ie) != 1 || ie[0].ErrorMessage != "no table" {
		t.Errorf("init errors %+v", ie)
	}
}

// TestNextBlocksUntilAnEvent: a runtime that asks before anything is
// queued gets the event as soon as it is.
func TestNextBlocksUntilAnEvent(t *testing.T) {
	s := New()
	defer s.Close()
	got := make(chan string, 1)
	go func() {
		resp, err := http.Get("http://" + s.Addr() + "/2018-06-01/runtime/invocation/next")
		if err != nil {
			got <- err.Error()
			return
		}
		resp.Body.Close()
		got <- resp.Header.Get(HeaderRequestID)
	}()
	<-s.asked // the runtime waits
	id := s.Invoke([]byte(`{}`))
	if g := <-got; g != id {
		t.Fatalf("next handed %q, want %q", g, id)
	}
}

// TestDeadRuntimeHandsTheEventOn: when the connection of a runtime with
// an invocation in hand closes (the process died), the event goes to the
// next runtime that asks, and its result counts two hand-outs.
func TestDeadRuntimeHandsTheEventOn(t *testing.T) {
	s := New()
	defer s.Close()
	id := s.Invoke([]byte(`{"x":1}`))
	dying := &http.Client{Transport: &http.Transport{}}
	resp, _ := get(t, dying, "http://"+s.Addr()+"/2018-06-01/runtime/invocation/next")
	if resp.Header.Get(HeaderRequestID) != id {
		t.Fatal("first runtime did not get the event")
	}
	dying.CloseIdleConnections() // as the kernel does for a killed process

	c := &http.Client{Transport: &http.Transport{}}
	resp, body := get(t, c, "http://"+s.Addr()+"/2018-06-01/runtime/invocation/next")
	if resp.Header.Get(HeaderRequestID) != id || body != `{"x":1}` {
		t.Fatalf("second runtime got %q %q", resp.Header.Get(HeaderRequestID), body)
	}
	if st := post(t, c, "http://"+s.Addr()+"/2018-06-01/runtime/invocation/"+id+"/response", `"done"`, nil); st != 202 {
		t.Fatalf("response %d", st)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	r, err := s.Wait(ctx, id)
	if err != nil || r.Handed != 2 || string(r.Response) != `"done"` {
		t.Fatalf("result %+v, %v", r, err)
	}
}
