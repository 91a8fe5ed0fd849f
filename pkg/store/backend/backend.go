// Package backend opens the store the db setting names: the DynamoDB
// table of dynamodb://TABLE (docs/serverless.md, "The table"), else the
// SQLite store at that path (docs/configuration.md, db). The commands that
// run on either store (watch, serve-webhook, lambda) and the catalog cache
// of cached sources open it here.
package backend

import (
	"context"

	"github.com/reinvent-cli/reinvent/pkg/catalog/cached"
	"github.com/reinvent-cli/reinvent/pkg/store"
	"github.com/reinvent-cli/reinvent/pkg/store/dynamo"
)

// Options say how Open opens a store.
type Options struct {
	// CreateTable creates a missing DynamoDB table (the create-table
	// setting, for local use and tests); without it a missing table is an
	// error naming the template that creates it.
	CreateTable bool
	// Existing opens an SQLite store only if its file is there, creating
	// nothing (watch --dry-run): Open returns nil and no error when it is
	// not.
	Existing bool
}

// Open opens the store db names, an SQLite store created with its
// directory when missing unless o.Existing.
func Open(ctx context.Context, db string, o Options) (store.Backend, error) {
	if table, ok := dynamo.Table(db); ok {
		return dynamo.Open(ctx, table, o.CreateTable)
	}
	if o.Existing {
		st, err := store.OpenExisting(ctx, db)
		if st == nil || err != nil {
			return nil, err // not a nil *store.Store in an interface
		}
		return st, nil
	}
	return store.Open(ctx, db)
}

// Catalogs returns the catalog cache of the store db names: items of the
// DynamoDB table, or files beside the SQLite store.
func Catalogs(ctx context.Context, db string) (cached.Store, error) {
	if table, ok := dynamo.Table(db); ok {
		st, err := dynamo.Open(ctx, table, false)
		if err != nil {
			return nil, err
		}
		return st.Catalogs(), nil
	}
	return cached.Beside(db), nil
}
