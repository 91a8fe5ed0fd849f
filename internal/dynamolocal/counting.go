package dynamolocal

import (
	"bytes"
	"encoding/json"
	"io"
	"maps"
	"net/http"
	"strings"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
)

// Requests counts what clients asked of DynamoDB: requests by operation,
// and the items of their BatchWriteItem requests, which DynamoDB bills
// as writes one by one. It is safe for concurrent use.
type Requests struct {
	mu      sync.Mutex
	ops     map[string]int64
	batched int64
}

// Ops returns the requests made so far by operation (GetItem, Query, ...).
func (r *Requests) Ops() map[string]int64 {
	r.mu.Lock()
	defer r.mu.Unlock()
	return maps.Clone(r.ops)
}

// Counts returns the reads (GetItem and Query requests) and writes
// (PutItem, UpdateItem and DeleteItem requests, and each item of a
// BatchWriteItem) made so far.
func (r *Requests) Counts() (reads, writes int64) {
	r.mu.Lock()
	defer r.mu.Unlock()
	reads = r.ops["GetItem"] + r.ops["Query"]
	writes = r.ops["PutItem"] + r.ops["UpdateItem"] + r.ops["DeleteItem"] + r.batched
	return reads, writes
}

func (r *Requests) add(op string, batched int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.ops == nil {
		r.ops = map[string]int64{}
	}
	r.ops[op]++
	r.batched += int64(batched)
}

// Counting returns the configuration of a client of the server at url
// that counts each request it sends in r, by the operation its
// X-Amz-Target header names.
func Counting(url string, r *Requests) aws.Config {
	cfg := Client(url)
	cfg.HTTPClient = &http.Client{Transport: roundTrip(func(req *http.Request) (*http.Response, error) {
		target := req.Header.Get("X-Amz-Target")
		op := target[strings.LastIndex(target, ".")+1:]
		n := 0
		if op == "BatchWriteItem" && req.Body != nil {
			body, err := io.ReadAll(req.Body)
			if err != nil {
				return nil, err
			}
			req.Body = io.NopCloser(bytes.NewReader(body))
			var in struct{ RequestItems map[string][]json.RawMessage }
			_ = json.Unmarshal(body, &in)
			for _, w := range in.RequestItems {
				n += len(w)
			}
		}
		r.add(op, n)
		return http.DefaultTransport.RoundTrip(req)
	})}
	return cfg
}
