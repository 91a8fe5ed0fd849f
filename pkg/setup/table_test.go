package setup

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/reinvent-cli/reinvent/internal/dynamolocal"
	"github.com/reinvent-cli/reinvent/pkg/catalog/cached"
	"github.com/reinvent-cli/reinvent/pkg/settings"
	"github.com/reinvent-cli/reinvent/pkg/store/backend"
)

// TestTableOpenedOnce: a Lambda function opens its DynamoDB table for the
// store and reads the catalog cache from it; the cache goes through the
// table the store opened, so a cold start describes the table for the
// store only, not again for the cache (a request to DynamoDB each).
func TestTableOpenedOnce(t *testing.T) {
	target, err := url.Parse(dynamolocal.Start(t))
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	ops := map[string]int{}
	proxy := httputil.NewSingleHostReverseProxy(target)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		op := r.Header.Get("X-Amz-Target")
		mu.Lock()
		ops[op[strings.LastIndex(op, ".")+1:]]++
		mu.Unlock()
		proxy.ServeHTTP(w, r)
	}))
	defer srv.Close()
	t.Setenv("AWS_ENDPOINT_URL_DYNAMODB", srv.URL)
	t.Setenv("AWS_REGION", dynamolocal.Region)
	t.Setenv("AWS_ACCESS_KEY_ID", "AKIDLOCAL")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "local-secret")
	t.Setenv("AWS_CONFIG_FILE", filepath.Join(t.TempDir(), "none"))
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", filepath.Join(t.TempDir(), "none"))

	file := filepath.Join(t.TempDir(), "sessions.json")
	if err := os.WriteFile(file, []byte(`{"sessions":[]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	e := env(t, settings.Config{Source: file})
	e.Config.DB = "dynamodb://reinvent"
	st, err := e.OpenBackend(context.Background(), backend.Options{CreateTable: true})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	mu.Lock()
	opened := ops["DescribeTable"]
	mu.Unlock()
	src, err := e.Source()
	if err != nil {
		t.Fatal(err)
	}
	cs, ok := src.(*cached.Source)
	if !ok {
		t.Fatalf("the file source is a %T, not behind the cache", src)
	}
	if _, err := cs.Cache(); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if ops["DescribeTable"] != opened || opened == 0 {
		t.Errorf("requests %v, %d DescribeTable when the store was open; want no more for the catalog cache", ops, opened)
	}
}
