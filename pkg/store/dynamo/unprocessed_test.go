package dynamo_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/reinvent-cli/reinvent/internal/dynamolocal"
	"github.com/reinvent-cli/reinvent/pkg/catalog"
	"github.com/reinvent-cli/reinvent/pkg/store"
	"github.com/reinvent-cli/reinvent/pkg/store/dynamo"
)

type roundTrip func(*http.Request) (*http.Response, error)

func (f roundTrip) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// TestUnprocessedItemsWrittenAgain: when DynamoDB leaves writes of a
// BatchWriteItem unprocessed (its answer's UnprocessedItems, which it
// gives when a partition is busy), the store sends them again, and a
// Record is whole.
func TestUnprocessedItemsWrittenAgain(t *testing.T) {
	url := dynamolocal.Start(t)
	ctx := context.Background()
	if err := dynamo.CreateTable(ctx, dynamolocal.Client(url), "reinvent"); err != nil {
		t.Fatal(err)
	}
	// Every BatchWriteItem of more than one write reaches DynamoDB without
	// its last write, which the answer names unprocessed.
	left := 0
	cfg := dynamolocal.Client(url)
	cfg.HTTPClient = &http.Client{Transport: roundTrip(func(r *http.Request) (*http.Response, error) {
		if !strings.HasSuffix(r.Header.Get("X-Amz-Target"), ".BatchWriteItem") {
			return http.DefaultTransport.RoundTrip(r)
		}
		body, err := io.ReadAll(r.Body)
		if err != nil {
			return nil, err
		}
		var in struct{ RequestItems map[string][]json.RawMessage }
		if err := json.Unmarshal(body, &in); err != nil {
			return nil, err
		}
		reqs := in.RequestItems["reinvent"]
		var unprocessed []json.RawMessage
		if len(reqs) > 1 {
			unprocessed = reqs[len(reqs)-1:]
			in.RequestItems["reinvent"] = reqs[:len(reqs)-1]
			left++
		}
		body, _ = json.Marshal(in)
		// The signature covered the whole body: minidyn does not check it.
		fwd, _ := http.NewRequestWithContext(r.Context(), r.Method, r.URL.String(), bytes.NewReader(body))
		fwd.Header = r.Header.Clone()
		resp, err := http.DefaultTransport.RoundTrip(fwd)
		if err != nil || unprocessed == nil {
			return resp, err
		}
		resp.Body.Close()
		answer, _ := json.Marshal(map[string]any{"UnprocessedItems": map[string]any{"reinvent": unprocessed}})
		resp.Body = io.NopCloser(bytes.NewReader(answer))
		resp.ContentLength = int64(len(answer))
		resp.Header.Del("Content-Length")
		return resp, nil
	})}
	s, err := dynamo.OpenClient(ctx, cfg, "reinvent")
	if err != nil {
		t.Fatal(err)
	}
	r := store.Run{Event: "e", At: time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)}
	for i := range 30 {
		code := fmt.Sprintf("S%02d", i)
		r.Sessions = append(r.Sessions, catalog.Session{Code: code, Title: "t"})
		r.Changes = append(r.Changes, store.Change{Code: code, Kind: store.KindNew, Post: "NEW " + code})
	}
	if _, err := s.Record(ctx, r); err != nil {
		t.Fatal(err)
	}
	if left == 0 {
		t.Fatal("no write was left unprocessed: the test tests nothing")
	}
	h, err := s.Heads(ctx, "e")
	if err != nil {
		t.Fatal(err)
	}
	p, _ := s.Pending(ctx, "e")
	cs, _ := s.Changes(ctx, "e", 0)
	if h.Len() != 30 || len(p) != 30 || len(cs) != 30 {
		t.Errorf("with writes left unprocessed %d times: %d heads, %d pending, %d changes; want 30 of each", left, h.Len(), len(p), len(cs))
	}
}
