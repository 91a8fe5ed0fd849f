package ddb_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"reflect"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/reinvent-cli/reinvent/internal/dynamolocal"
	"github.com/reinvent-cli/reinvent/pkg/store/dynamo/internal/ddb"
)

// sent records the requests of a client, each answered {} (an empty
// answer of the operation).
type sent struct{ reqs []*http.Request }

func (s *sent) config() aws.Config {
	cfg := dynamolocal.Client("http://dynamodb.test")
	cfg.HTTPClient = &http.Client{Transport: roundTrip(func(r *http.Request) (*http.Response, error) {
		b, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(b))
		s.reqs = append(s.reqs, r)
		return &http.Response{StatusCode: 200, Header: http.Header{"Content-Type": {"application/x-amz-json-1.0"}},
			Body: io.NopCloser(bytes.NewReader([]byte(`{"Table":{"TableStatus":"ACTIVE"}}`)))}, nil
	})}
	return cfg
}

type roundTrip func(*http.Request) (*http.Response, error)

func (f roundTrip) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// TestRequestsAsTheSDKSendsThem: for each request the store makes, our
// client sends what the SDK's DynamoDB client sends for the same input:
// the same X-Amz-Target and Content-Type, a signature for the service
// dynamodb, and the same JSON body.
func TestRequestsAsTheSDKSendsThem(t *testing.T) {
	ctx := context.Background()
	var a, b sent
	c, sdk := ddb.New(ctx, a.config()), dynamodb.NewFromConfig(b.config())
	key := ddb.Item{"PK": ddb.S("p"), "SK": ddb.S("s")}
	skey := map[string]types.AttributeValue{"PK": &types.AttributeValueMemberS{Value: "p"}, "SK": &types.AttributeValueMemberS{Value: "s"}}
	item, sitem := ours("p"), theirs("p")
	item["b0"], sitem["b0"] = ddb.B{}, &types.AttributeValueMemberB{Value: []byte{}}
	item["m0"], sitem["m0"] = ddb.M{}, &types.AttributeValueMemberM{Value: map[string]types.AttributeValue{}}
	item["l0"], sitem["l0"] = ddb.L{}, &types.AttributeValueMemberL{Value: []types.AttributeValue{}}
	names := map[string]string{"#n": "n"}
	values := ddb.Item{":one": ddb.N("1"), ":s": ddb.S("x")}
	svalues := map[string]types.AttributeValue{":one": &types.AttributeValueMemberN{Value: "1"}, ":s": &types.AttributeValueMemberS{Value: "x"}}
	calls := []struct {
		name       string
		ours, sdks func() error
	}{
		{"GetItem", func() error {
			_, err := c.GetItem(ctx, &ddb.GetItemInput{TableName: "t", Key: key, ConsistentRead: true})
			return err
		}, func() error {
			_, err := sdk.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String("t"), Key: skey, ConsistentRead: aws.Bool(true)})
			return err
		}},
		{"PutItem", func() error {
			_, err := c.PutItem(ctx, &ddb.PutItemInput{TableName: "t", Item: item, ConditionExpression: "attribute_not_exists(PK) OR #n < :one",
				ExpressionAttributeNames: names, ExpressionAttributeValues: values, ReturnValues: ddb.ReturnAllOld})
			return err
		}, func() error {
			_, err := sdk.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String("t"), Item: sitem, ConditionExpression: aws.String("attribute_not_exists(PK) OR #n < :one"),
				ExpressionAttributeNames: names, ExpressionAttributeValues: svalues, ReturnValues: types.ReturnValueAllOld})
			return err
		}},
		{"UpdateItem", func() error {
			_, err := c.UpdateItem(ctx, &ddb.UpdateItemInput{TableName: "t", Key: key, UpdateExpression: "SET #n = :s ADD c :one",
				ConditionExpression: "attribute_exists(PK)", ExpressionAttributeNames: names, ExpressionAttributeValues: values, ReturnValues: ddb.ReturnUpdatedNew})
			return err
		}, func() error {
			_, err := sdk.UpdateItem(ctx, &dynamodb.UpdateItemInput{TableName: aws.String("t"), Key: skey, UpdateExpression: aws.String("SET #n = :s ADD c :one"),
				ConditionExpression: aws.String("attribute_exists(PK)"), ExpressionAttributeNames: names, ExpressionAttributeValues: svalues, ReturnValues: types.ReturnValueUpdatedNew})
			return err
		}},
		{"DeleteItem", func() error {
			return c.DeleteItem(ctx, &ddb.DeleteItemInput{TableName: "t", Key: key, ConditionExpression: "#n = :s", ExpressionAttributeNames: names, ExpressionAttributeValues: values})
		}, func() error {
			_, err := sdk.DeleteItem(ctx, &dynamodb.DeleteItemInput{TableName: aws.String("t"), Key: skey, ConditionExpression: aws.String("#n = :s"), ExpressionAttributeNames: names, ExpressionAttributeValues: svalues})
			return err
		}},
		{"Query", func() error {
			_, err := c.Query(ctx, &ddb.QueryInput{TableName: "t", IndexName: "GSI1", KeyConditionExpression: "GSI1PK = :s", ExpressionAttributeValues: values,
				ConsistentRead: true, Limit: 8, ExclusiveStartKey: key})
			return err
		}, func() error {
			_, err := sdk.Query(ctx, &dynamodb.QueryInput{TableName: aws.String("t"), IndexName: aws.String("GSI1"), KeyConditionExpression: aws.String("GSI1PK = :s"),
				ExpressionAttributeValues: svalues, ConsistentRead: aws.Bool(true), Limit: aws.Int32(8), ExclusiveStartKey: skey})
			return err
		}},
		{"BatchWriteItem", func() error {
			_, err := c.BatchWriteItem(ctx, &ddb.BatchWriteItemInput{RequestItems: map[string][]ddb.WriteRequest{"t": {
				{PutRequest: &ddb.PutRequest{Item: item}}, {DeleteRequest: &ddb.DeleteRequest{Key: key}}}}})
			return err
		}, func() error {
			_, err := sdk.BatchWriteItem(ctx, &dynamodb.BatchWriteItemInput{RequestItems: map[string][]types.WriteRequest{"t": {
				{PutRequest: &types.PutRequest{Item: sitem}}, {DeleteRequest: &types.DeleteRequest{Key: skey}}}}})
			return err
		}},
		{"DescribeTable", func() error {
			_, err := c.DescribeTable(ctx, "t")
			return err
		}, func() error {
			_, err := sdk.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: aws.String("t")})
			return err
		}},
		{"CreateTable", func() error {
			return c.CreateTable(ctx, &ddb.CreateTableInput{TableName: "t", BillingMode: "PAY_PER_REQUEST",
				AttributeDefinitions: []ddb.AttributeDefinition{{AttributeName: "PK", AttributeType: "S"}},
				KeySchema:            []ddb.KeySchemaElement{{AttributeName: "PK", KeyType: "HASH"}},
				GlobalSecondaryIndexes: []ddb.GlobalSecondaryIndex{{IndexName: "GSI1", KeySchema: []ddb.KeySchemaElement{{AttributeName: "G", KeyType: "HASH"}},
					Projection: ddb.Projection{ProjectionType: "ALL"}}},
				StreamSpecification: &ddb.StreamSpecification{StreamEnabled: true, StreamViewType: "NEW_IMAGE"}})
		}, func() error {
			_, err := sdk.CreateTable(ctx, &dynamodb.CreateTableInput{TableName: aws.String("t"), BillingMode: types.BillingModePayPerRequest,
				AttributeDefinitions: []types.AttributeDefinition{{AttributeName: aws.String("PK"), AttributeType: types.ScalarAttributeTypeS}},
				KeySchema:            []types.KeySchemaElement{{AttributeName: aws.String("PK"), KeyType: types.KeyTypeHash}},
				GlobalSecondaryIndexes: []types.GlobalSecondaryIndex{{IndexName: aws.String("GSI1"), KeySchema: []types.KeySchemaElement{{AttributeName: aws.String("G"), KeyType: types.KeyTypeHash}},
					Projection: &types.Projection{ProjectionType: types.ProjectionTypeAll}}},
				StreamSpecification: &types.StreamSpecification{StreamEnabled: aws.Bool(true), StreamViewType: types.StreamViewTypeNewImage}})
			return err
		}},
		{"UpdateTimeToLive", func() error {
			return c.UpdateTimeToLive(ctx, "t", "ttl")
		}, func() error {
			_, err := sdk.UpdateTimeToLive(ctx, &dynamodb.UpdateTimeToLiveInput{TableName: aws.String("t"),
				TimeToLiveSpecification: &types.TimeToLiveSpecification{AttributeName: aws.String("ttl"), Enabled: aws.Bool(true)}})
			return err
		}},
	}
	for _, call := range calls {
		a.reqs, b.reqs = nil, nil
		if err := call.ours(); err != nil {
			t.Fatalf("%s: %v", call.name, err)
		}
		if err := call.sdks(); err != nil {
			t.Fatalf("%s by the SDK: %v", call.name, err)
		}
		if len(a.reqs) != 1 || len(b.reqs) != 1 {
			t.Fatalf("%s: %d requests, the SDK %d", call.name, len(a.reqs), len(b.reqs))
		}
		ra, rb := a.reqs[0], b.reqs[0]
		for _, h := range []string{"X-Amz-Target", "Content-Type"} {
			if ra.Header.Get(h) != rb.Header.Get(h) {
				t.Errorf("%s: %s %q, the SDK's %q", call.name, h, ra.Header.Get(h), rb.Header.Get(h))
			}
		}
		if ra.Method != http.MethodPost || ra.URL.String() != rb.URL.String() {
			t.Errorf("%s: %s %s, the SDK %s %s", call.name, ra.Method, ra.URL, rb.Method, rb.URL)
		}
		if auth := ra.Header.Get("Authorization"); !bytes.Contains([]byte(auth), []byte("/"+dynamolocal.Region+"/dynamodb/aws4_request")) {
			t.Errorf("%s: Authorization %q is not signed for dynamodb", call.name, auth)
		}
		var ja, jb any
		ba, _ := io.ReadAll(ra.Body)
		bb, _ := io.ReadAll(rb.Body)
		if json.Unmarshal(ba, &ja) != nil || json.Unmarshal(bb, &jb) != nil || !reflect.DeepEqual(ja, jb) {
			t.Errorf("%s: we send\n%s\nthe SDK sends\n%s", call.name, ba, bb)
		}
	}
}
