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
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/reinvent-cli/reinvent/pkg/store"
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
	db    *dynamodb.Client
	table string
	// Now is the clock of leases and holds; nil means time.Now.
	Now func() time.Time
	// LockLease is how long a run lock outlives its holder's last renewal;
	// 0 means 30 s. The holder renews it every third of that.
	LockLease time.Duration
}

var _ store.Backend = (*Store)(nil)

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
	cfg, err := config.LoadDefaultConfig(ctx)
	if err != nil {
		return nil, fmt.Errorf("configure AWS for the DynamoDB table %s: %w", table, err)
	}
	db := dynamodb.NewFromConfig(cfg)
	if create && table != "" {
		if err := CreateTable(ctx, db, table); err != nil {
			return nil, err
		}
	}
	return OpenClient(ctx, db, table)
}

// OpenClient opens the store in table through db.
func OpenClient(ctx context.Context, db *dynamodb.Client, table string) (*Store, error) {
	if table == "" {
		return nil, errors.New("the db setting dynamodb:// names no table: use dynamodb://TABLE")
	}
	_, err := db.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: &table})
	var nf *types.ResourceNotFoundException
	if errors.As(err, &nf) {
		return nil, fmt.Errorf("DynamoDB table %s does not exist: deploy %s (docs/serverless.md), or, for local use, run reinvent lambda with create-table (REINVENT_CREATE_TABLE=true) once: %w", table, Template, ErrNoTable)
	}
	if err != nil {
		return nil, fmt.Errorf("open the DynamoDB table %s: %w", table, err)
	}
	return &Store{db: db, table: table}, nil
}

// CreateTable creates table as docs/serverless.md describes it (on-demand,
// the index GSI1, the stream of new images, and TTL on "ttl") and waits
// until it is active. A table that exists already is left as it is.
func CreateTable(ctx context.Context, db *dynamodb.Client, table string) error {
	str := func(name string) types.AttributeDefinition {
		return types.AttributeDefinition{AttributeName: aws.String(name), AttributeType: types.ScalarAttributeTypeS}
	}
	key := func(hash, rng string) []types.KeySchemaElement {
		return []types.KeySchemaElement{
			{AttributeName: aws.String(hash), KeyType: types.KeyTypeHash},
			{AttributeName: aws.String(rng), KeyType: types.KeyTypeRange},
		}
	}
	_, err := db.CreateTable(ctx, &dynamodb.CreateTableInput{
		TableName:            &table,
		BillingMode:          types.BillingModePayPerRequest,
		AttributeDefinitions: []types.AttributeDefinition{str(attrPK), str(attrSK), str(attrGSI1PK), str(attrGSI1SK)},
		KeySchema:            key(attrPK, attrSK),
		GlobalSecondaryIndexes: []types.GlobalSecondaryIndex{{
			IndexName:  aws.String(gsi1),
			KeySchema:  key(attrGSI1PK, attrGSI1SK),
			Projection: &types.Projection{ProjectionType: types.ProjectionTypeAll},
		}},
		StreamSpecification: &types.StreamSpecification{StreamEnabled: aws.Bool(true), StreamViewType: types.StreamViewTypeNewImage},
	})
	var inUse *types.ResourceInUseException
	if errors.As(err, &inUse) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("create the DynamoDB table %s: %w", table, err)
	}
	w := dynamodb.NewTableExistsWaiter(db, func(o *dynamodb.TableExistsWaiterOptions) { o.MinDelay = 100 * time.Millisecond })
	if err := w.Wait(ctx, &dynamodb.DescribeTableInput{TableName: &table}, 5*time.Minute); err != nil {
		return fmt.Errorf("wait for the DynamoDB table %s: %w", table, err)
	}
	_, err = db.UpdateTimeToLive(ctx, &dynamodb.UpdateTimeToLiveInput{
		TableName:               &table,
		TimeToLiveSpecification: &types.TimeToLiveSpecification{AttributeName: aws.String(attrTTL), Enabled: aws.Bool(true)},
	})
	if err != nil {
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
type item = map[string]types.AttributeValue

func sv(s string) types.AttributeValue { return &types.AttributeValueMemberS{Value: s} }
func nv(n int64) types.AttributeValue {
	return &types.AttributeValueMemberN{Value: strconv.FormatInt(n, 10)}
}
func bv(b []byte) types.AttributeValue {
	if b == nil {
		b = []byte{}
	}
	return &types.AttributeValueMemberB{Value: b}
}
func boolv(b bool) types.AttributeValue { return &types.AttributeValueMemberBOOL{Value: b} }

func keyOf(pk, sk string) item { return item{attrPK: sv(pk), attrSK: sv(sk)} }

// getS, getN, getB and getBool read an attribute, zero when missing or of
// another type.
func getS(it item, name string) string {
	if v, ok := it[name].(*types.AttributeValueMemberS); ok {
		return v.Value
	}
	return ""
}

func getN(it item, name string) int64 {
	if v, ok := it[name].(*types.AttributeValueMemberN); ok {
		n, _ := strconv.ParseInt(v.Value, 10, 64)
		return n
	}
	return 0
}

func getB(it item, name string) []byte {
	if v, ok := it[name].(*types.AttributeValueMemberB); ok {
		return v.Value
	}
	return nil
}

func getBool(it item, name string) bool {
	v, ok := it[name].(*types.AttributeValueMemberBOOL)
	return ok && v.Value
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
	var cf *types.ConditionalCheckFailedException
	return errors.As(err, &cf)
}

// get reads one item with a strongly consistent read; nil when missing.
func (s *Store) get(ctx context.Context, pk, sk string) (item, error) {
	out, err := s.db.GetItem(ctx, &dynamodb.GetItemInput{TableName: &s.table, Key: keyOf(pk, sk), ConsistentRead: aws.Bool(true)})
	if err != nil {
		return nil, err
	}
	return out.Item, nil
}

// query reads every item of a Query, page after page.
func (s *Store) query(ctx context.Context, in *dynamodb.QueryInput) ([]item, error) {
	in.TableName = &s.table
	var all []item
	p := dynamodb.NewQueryPaginator(s.db, in)
	for p.HasMorePages() {
		out, err := p.NextPage(ctx)
		if err != nil {
			return nil, err
		}
		all = append(all, out.Items...)
	}
	return all, nil
}

// queryPrefix reads the items of partition pk whose sort key begins with
// prefix, in order, strongly consistent.
func (s *Store) queryPrefix(ctx context.Context, pk, prefix string) ([]item, error) {
	return s.query(ctx, &dynamodb.QueryInput{
		KeyConditionExpression:    aws.String("PK = :pk AND begins_with(SK, :p)"),
		ExpressionAttributeValues: item{":pk": sv(pk), ":p": sv(prefix)},
		ConsistentRead:            aws.Bool(true),
	})
}

// batchWrite writes reqs in batches of 25 (BatchWriteItem's limit), again
// for what DynamoDB left unprocessed.
func (s *Store) batchWrite(ctx context.Context, reqs []types.WriteRequest) error {
	for len(reqs) > 0 {
		n := min(len(reqs), 25)
		batch := reqs[:n]
		reqs = reqs[n:]
		for wait := 10 * time.Millisecond; len(batch) > 0; wait = min(2*wait, time.Second) {
			out, err := s.db.BatchWriteItem(ctx, &dynamodb.BatchWriteItemInput{RequestItems: map[string][]types.WriteRequest{s.table: batch}})
			if err != nil {
				return err
			}
			batch = out.UnprocessedItems[s.table]
			if len(batch) > 0 {
				t := time.NewTimer(wait)
				select {
				case <-ctx.Done():
					t.Stop()
					return ctx.Err()
				case <-t.C:
				}
			}
		}
	}
	return nil
}

func put(it item) types.WriteRequest {
	return types.WriteRequest{PutRequest: &types.PutRequest{Item: it}}
}
func del(pk, sk string) types.WriteRequest {
	return types.WriteRequest{DeleteRequest: &types.DeleteRequest{Key: keyOf(pk, sk)}}
}

// update runs one UpdateItem of the item pk/sk that must exist; a missing
// item is an error wrapping store.ErrNotFound, named what.
func (s *Store) update(ctx context.Context, what, pk, sk, expr string, values item) error {
	if values == nil {
		values = item{}
	}
	in := &dynamodb.UpdateItemInput{
		TableName: &s.table, Key: keyOf(pk, sk),
		UpdateExpression:          &expr,
		ConditionExpression:       aws.String("attribute_exists(PK)"),
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
