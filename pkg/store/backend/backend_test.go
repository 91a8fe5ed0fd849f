package backend_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/reinvent-cli/reinvent/internal/dynamolocal"
	"github.com/reinvent-cli/reinvent/pkg/store/backend"
	"github.com/reinvent-cli/reinvent/pkg/store/dynamo"
)

// A dynamodb:// db opens the table through the SDK's configuration
// (AWS_ENDPOINT_URL_DYNAMODB here, minidyn's server): a missing table is
// one line naming it and the template, unless create-table creates it;
// then the store and its catalog cache work on it.
func TestOpenDynamoDB(t *testing.T) {
	url := dynamolocal.Start(t)
	t.Setenv("AWS_ENDPOINT_URL_DYNAMODB", url)
	t.Setenv("AWS_REGION", dynamolocal.Region)
	t.Setenv("AWS_ACCESS_KEY_ID", "AKIDLOCAL")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "local-secret")
	t.Setenv("AWS_CONFIG_FILE", filepath.Join(t.TempDir(), "none"))
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", filepath.Join(t.TempDir(), "none"))
	ctx := context.Background()

	_, err := backend.Open(ctx, "dynamodb://reinvent", backend.Options{})
	if !errors.Is(err, dynamo.ErrNoTable) || strings.Contains(err.Error(), "\n") ||
		!strings.Contains(err.Error(), "reinvent") || !strings.Contains(err.Error(), dynamo.Template) {
		t.Fatalf("a missing table: %v; want one line naming the table and %s", err, dynamo.Template)
	}
	st, err := backend.Open(ctx, "dynamodb://reinvent", backend.Options{CreateTable: true})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, ok := st.(*dynamo.Store); !ok {
		t.Errorf("dynamodb://reinvent opened a %T", st)
	}
	again, err := backend.Open(ctx, "dynamodb://reinvent", backend.Options{}) // now it is there
	if err != nil {
		t.Fatal(err)
	}
	again.Close()
	if _, err := backend.Catalogs(ctx, "dynamodb://reinvent"); err != nil {
		t.Errorf("the catalog cache of the table: %v", err)
	}
}

// An SQLite path is opened, created with its directory, except that
// Existing creates nothing and opens nothing when there is no file yet.
func TestOpenSQLite(t *testing.T) {
	ctx := context.Background()
	db := filepath.Join(t.TempDir(), "data", "reinvent.db")
	st, err := backend.Open(ctx, db, backend.Options{Existing: true})
	if st != nil || err != nil {
		t.Fatalf("Existing with no file = %v, %v; want nil, nil", st, err)
	}
	if _, err := os.Stat(filepath.Dir(db)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("Existing created %s", filepath.Dir(db))
	}
	st, err = backend.Open(ctx, db, backend.Options{})
	if err != nil {
		t.Fatal(err)
	}
	st.Close()
	st, err = backend.Open(ctx, db, backend.Options{Existing: true})
	if st == nil || err != nil {
		t.Fatalf("Existing with the file = %v, %v", st, err)
	}
	st.Close()
}
