// Package dynamo is reinvent's DynamoDB store: everything the bot and
// watch keep, in one table (docs/serverless.md, "The table"), with the
// promises of the SQLite store (docs/exactly-once.md) built on conditional
// writes and transactions.
package dynamo

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/smithy-go/logging"

	"github.com/reinvent-cli/reinvent/internal/awsjson"
	"github.com/reinvent-cli/reinvent/pkg/retry"
	"github.com/reinvent-cli/reinvent/pkg/store"
	"github.com/reinvent-cli/reinvent/pkg/store/dynamo/internal/ddb"
)

// Scheme begins the db setting of a DynamoDB store: dynamodb://TABLE.
const Scheme = "dynamodb://"

// Template is the template that creates the table in AWS.
const Template = "deploy/aws/template.yaml"

// The attributes of the table's keys and of its one index
// (docs/serverless.md, "The table").
const (
	attrPK     = "PK"
	attrSK     = "SK"
	attrGSI1PK = "GSI1PK"
	attrGSI1SK = "GSI1SK"
	attrTTL    = "ttl"
	gsi1       = "GSI1"
)

// Store is an open DynamoDB store. It is safe for concurrent use, and any
// number of processes may share its table.
type Store struct {
	db    *ddb.Client
	table string
	// Now is the clock of leases and holds; nil means time.Now.
	Now func() time.Time
	// LockLease is how long a run lock outlives its holder's last renewal;
	// 0 means 30 s. The holder renews it every third of that.
	LockLease time.Duration
}

var _ store.Backend = (*Store)(nil)

// Actions are the IAM actions the store's requests need on its table and
// its index, and all the role of deploy/aws/template.yaml grants on them
// (its test checks the template, TestContract that the store sends no
// other request). CreateTable and UpdateTimeToLive, of the create-table
// setting only, are not among them: the template makes the table.
var Actions = []string{"dynamodb:BatchWriteItem", "dynamodb:DeleteItem", "dynamodb:DescribeTable",
	"dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query", "dynamodb:UpdateItem"}

// Table returns the table of a db setting that begins with Scheme, and
// whether it does.
func Table(db string) (string, bool) {
	t, ok := strings.CutPrefix(db, Scheme)
	return t, ok
}

// ErrNoTable is wrapped by the error of Open when the table does not exist.
var ErrNoTable = errors.New("no such table")

// Open opens the store in table with the AWS SDK's usual configuration
// (region, credentials chain, AWS_ENDPOINT_URL_DYNAMODB). With create it
// first creates the table if it is missing (CreateTable: the create-table
// setting, for local use and tests); without, a missing table is an error
// wrapping ErrNoTable that names the template which creates it.
func Open(ctx context.Context, table string, create bool) (*Store, error) {
	// The SDK's own log lines (an EC2 metadata fallback, ...) would
	// reach the terminal unasked; its errors say what failed.
	cfg, err := config.LoadDefaultConfig(ctx, config.WithLogger(logging.Nop{}))
	if err != nil {
		return nil, fmt.Errorf("configure AWS for the DynamoDB table %s: %w", table, err)
	}
	if cfg.Region == "" {
		return nil, awsjson.Classed(fmt.Errorf("no AWS region for the DynamoDB table %s: set AWS_REGION (Lambda sets it)", table), awsjson.ErrAuth)
	}
	if create && table != "" {
		if err := CreateTable(ctx, cfg, table); err != nil {
			return nil, err
		}
	}
	return OpenClient(ctx, cfg, table)
}

// OpenClient opens the store in table with the AWS configuration cfg (its
// region, credentials, HTTP client, endpoint and retry settings), as Open
// does with the SDK's default one.
func OpenClient(ctx context.Context, cfg aws.Config, table string) (*Store, error) {
	if table == "" {
		return nil, errors.New("the db setting dynamodb:// names no table: use dynamodb://TABLE")
	}
	db := ddb.New(ctx, cfg)
	_, err := db.DescribeTable(ctx, table)
	if ddb.IsCode(err, ddb.ResourceNotFound) {
		return nil, fmt.Errorf("DynamoDB table %s does not exist: deploy %s (docs/serverless.md), or, for local use, run reinvent lambda with create-table (REINVENT_CREATE_TABLE=true) once: %w", table, Template, ErrNoTable)
	}
	if err != nil {
		return nil, fmt.Errorf("open the DynamoDB table %s: %w", table, err)
	}
	return &Store{db: db, table: table}, nil
}

// CreateTable creates table with the AWS configuration cfg, as
// docs/serverless.md describes it (on-demand, the index GSI1, the stream
// of new images, and TTL on "ttl"), and waits until it is active. A table
// that exists already is left as it is.
func CreateTable(ctx context.Context, cfg aws.Config, table string) error {
	db := ddb.New(ctx, cfg)
	str := func(name string) ddb.AttributeDefinition {
		return ddb.AttributeDefinition{AttributeName: name, AttributeType: "S"}
	}
	key := func(hash, rng string) []ddb.KeySchemaElement {
		return []ddb.KeySchemaElement{{AttributeName: hash, KeyType: "HASH"}, {AttributeName: rng, KeyType: "RANGE"}}
	}
	err := db.CreateTable(ctx, &ddb.CreateTableInput{
		TableName:            table,
		BillingMode:          "PAY_PER_REQUEST",
		AttributeDefinitions: []ddb.AttributeDefinition{str(attrPK), str(attrSK), str(attrGSI1PK), str(attrGSI1SK)},
		KeySchema:            key(attrPK, attrSK),
		GlobalSecondaryIndexes: []ddb.GlobalSecondaryIndex{{
			IndexName:  gsi1,
			KeySchema:  key(attrGSI1PK, attrGSI1SK),
			Projection: ddb.Projection{ProjectionType: "ALL"},
		}},
		StreamSpecification: &ddb.StreamSpecification{StreamEnabled: true, StreamViewType: "NEW_IMAGE"},
	})
	if ddb.IsCode(err, ddb.ResourceInUse) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("create the DynamoDB table %s: %w", table, err)
	}
	if err := db.WaitActive(ctx, table, 100*time.Millisecond, 5*time.Minute); err != nil {
		return fmt.Errorf("wait for the DynamoDB table %s: %w", table, err)
	}
	if err := db.UpdateTimeToLive(ctx, table, attrTTL); err != nil {
		return fmt.Errorf("turn on TTL of the DynamoDB table %s: %w", table, err)
	}
	return nil
}

// Close releases nothing: the client holds no connection of its own.
func (s *Store) Close() error { return nil }

func (s *Store) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

// item is one item of the table.
type item = ddb.Item

func sv(s string) ddb.Value { return ddb.S(s) }
func nv(n int64) ddb.Value  { return ddb.N(strconv.FormatInt(n, 10)) }
func bv(b []byte) ddb.Value {
	if b == nil {
		b = []byte{}
	}
	return ddb.B(b)
}
func boolv(b bool) ddb.Value { return ddb.BOOL(b) }

func keyOf(pk, sk string) item { return item{attrPK: sv(pk), attrSK: sv(sk)} }

// getS, getN, getB and getBool read an attribute, zero when missing or of
// another type.
func getS(it item, name string) string {
	if v, ok := it[name].(ddb.S); ok {
		return string(v)
	}
	return ""
}

func getN(it item, name string) int64 {
	if v, ok := it[name].(ddb.N); ok {
		n, _ := strconv.ParseInt(string(v), 10, 64)
		return n
	}
	return 0
}

func getB(it item, name string) []byte {
	if v, ok := it[name].(ddb.B); ok {
		return v
	}
	return nil
}

func getBool(it item, name string) bool {
	v, ok := it[name].(ddb.BOOL)
	return ok && bool(v)
}

// pad writes n so that strings sort as numbers do (n >= 0).
func pad(n int64) string { return fmt.Sprintf("%019d", n) }

// nanos is t in Unix nanoseconds, 0 for the zero time.
func nanos(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixNano()
}

func fromNanos(n int64) time.Time {
	if n == 0 {
		return time.Time{}
	}
	return time.Unix(0, n)
}

// exprNames is the ExpressionAttributeNames of the #name tokens of
// exprs: every attribute but the keys is written #name in an expression,
// so that no name clashes with DynamoDB's reserved words.
func exprNames(exprs ...string) map[string]string {
	names := map[string]string{}
	for _, e := range exprs {
		for _, m := range nameToken.FindAllString(e, -1) {
			names[m] = m[1:]
		}
	}
	if len(names) == 0 {
		return nil
	}
	return names
}

var nameToken = regexp.MustCompile(`#[A-Za-z_][A-Za-z0-9_]*`)

// conditionFailed says whether err is a failed ConditionExpression.
func conditionFailed(err error) bool {
	return ddb.IsCode(err, ddb.ConditionalCheckFailed)
}

// get reads one item with a strongly consistent read; nil when missing.
func (s *Store) get(ctx context.Context, pk, sk string) (item, error) {
	out, err := s.db.GetItem(ctx, &ddb.GetItemInput{TableName: s.table, Key: keyOf(pk, sk), ConsistentRead: true})
	if err != nil {
		return nil, err
	}
	return out.Item, nil
}

// query reads every item of a Query, page after page.
func (s *Store) query(ctx context.Context, in *ddb.QueryInput) ([]item, error) {
	in.TableName = s.table
	return s.db.QueryAll(ctx, *in)
}

// queryPrefix reads the items of partition pk whose sort key begins with
// prefix, in order, strongly consistent.
func (s *Store) queryPrefix(ctx context.Context, pk, prefix string) ([]item, error) {
	return s.query(ctx, &ddb.QueryInput{
		KeyConditionExpression:    "PK = :pk AND begins_with(SK, :p)",
		ExpressionAttributeValues: item{":pk": sv(pk), ":p": sv(prefix)},
		ConsistentRead:            true,
	})
}

// batchWrite writes reqs in batches of 25 (BatchWriteItem's limit), again
// for what DynamoDB left unprocessed.
func (s *Store) batchWrite(ctx context.Context, reqs []ddb.WriteRequest) error {
	for len(reqs) > 0 {
		n := min(len(reqs), 25)
		batch := reqs[:n]
		reqs = reqs[n:]
		for wait := 10 * time.Millisecond; len(batch) > 0; wait = min(2*wait, time.Second) {
			out, err := s.db.BatchWriteItem(ctx, &ddb.BatchWriteItemInput{RequestItems: map[string][]ddb.WriteRequest{s.table: batch}})
			if err != nil {
				return err
			}
			batch = out.UnprocessedItems[s.table]
			if len(batch) > 0 {
				if err := retry.Sleep(ctx, wait); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

func put(it item) ddb.WriteRequest {
	return ddb.WriteRequest{PutRequest: &ddb.PutRequest{Item: it}}
}
func del(pk, sk string) ddb.WriteRequest {
	return ddb.WriteRequest{DeleteRequest: &ddb.DeleteRequest{Key: keyOf(pk, sk)}}
}

// update runs one UpdateItem of the item pk/sk that must exist; a missing
// item is an error wrapping store.ErrNotFound, named what.
func (s *Store) update(ctx context.Context, what, pk, sk, expr string, values item) error {
	if values == nil {
		values = item{}
	}
	in := &ddb.UpdateItemInput{
		TableName: s.table, Key: keyOf(pk, sk),
		UpdateExpression:          expr,
		ConditionExpression:       "attribute_exists(PK)",
		ExpressionAttributeNames:  exprNames(expr),
		ExpressionAttributeValues: values,
	}
	if len(values) == 0 {
		in.ExpressionAttributeValues = nil
	}
	_, err := s.db.UpdateItem(ctx, in)
	if conditionFailed(err) {
		err = store.ErrNotFound
	}
	if err != nil {
		return fmt.Errorf("update %s: %w", what, err)
	}
	return nil
}
