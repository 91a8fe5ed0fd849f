package dynamo_test

import (
	"context"
	"testing"

	"github.com/reinvent-cli/reinvent/internal/dynamolocal"
	"github.com/reinvent-cli/reinvent/pkg/store/dynamo"
	"github.com/reinvent-cli/reinvent/pkg/store/storetest"
)

// table makes a table on a fresh local DynamoDB and returns how to open
// another copy of the store in it, each with its own client.
func table(t *testing.T) (url string, open func() *dynamo.Store) {
	t.Helper()
	url = dynamolocal.Start(t)
	ctx := context.Background()
	if err := dynamo.CreateTable(ctx, dynamolocal.Client(url), "reinvent"); err != nil {
		t.Fatal(err)
	}
	return url, func() *dynamo.Store {
		s, err := dynamo.OpenClient(ctx, dynamolocal.Client(url), "reinvent")
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
}

// TestContract runs the store's behaviour suite on DynamoDB (minidyn's
// server through the real aws-sdk-go-v2 client): each copy is another
// client of one table, as another process would be.
func TestContract(t *testing.T) {
	storetest.Run(t, func(t *testing.T) func() storetest.Copy {
		_, open := table(t)
		return func() storetest.Copy {
			s := open()
			return storetest.Copy{Store: s, Cache: s.Catalogs()}
		}
	})
}
