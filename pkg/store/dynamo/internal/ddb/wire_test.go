package ddb_test

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/reinvent-cli/reinvent/internal/dynamolocal"
	"github.com/reinvent-cli/reinvent/pkg/store/dynamo/internal/ddb"
)

// table makes a table keyed PK/SK on a fresh local DynamoDB (minidyn)
// with our client, and returns our client and the SDK's, both of it.
func table(t *testing.T) (*ddb.Client, *dynamodb.Client) {
	t.Helper()
	ctx := context.Background()
	cfg := dynamolocal.Client(dynamolocal.Start(t))
	c := ddb.New(ctx, cfg)
	err := c.CreateTable(ctx, &ddb.CreateTableInput{
		TableName:            "t",
		BillingMode:          "PAY_PER_REQUEST",
		AttributeDefinitions: []ddb.AttributeDefinition{{AttributeName: "PK", AttributeType: "S"}, {AttributeName: "SK", AttributeType: "S"}},
		KeySchema:            []ddb.KeySchemaElement{{AttributeName: "PK", KeyType: "HASH"}, {AttributeName: "SK", KeyType: "RANGE"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.WaitActive(ctx, "t", 0, 10e9); err != nil {
		t.Fatal(err)
	}
	return c, dynamodb.NewFromConfig(cfg)
}

// ours and theirs are one item of every attribute type the store writes
// (and the sets, which it keeps as they are), in our types and in the
// SDK's. minidyn mixes up an empty binary or map with another attribute
// of its type, whoever writes it: those two are compared on the wire only
// (TestRequestsAsTheSDKSendsThem).
func ours(pk string) ddb.Item {
	return ddb.Item{
		"PK": ddb.S(pk), "SK": ddb.S("1"),
		"s": ddb.S("héllo \"quoted\"\n"), "s0": ddb.S(""),
		"n": ddb.N("-123.45"), "big": ddb.N("9223372036854775807"),
		"b": ddb.B{0, 1, 2, 0xff},
		"t": ddb.BOOL(true), "f": ddb.BOOL(false), "null": ddb.NULL(true),
		"l":    ddb.L{ddb.S("Cookies"), ddb.N("3.14159"), ddb.L{ddb.BOOL(true)}},
		"m":    ddb.M{"Name": ddb.S("Joe"), "Age": ddb.N("35"), "In": ddb.M{"x": ddb.B("y")}},
		"ss":   ddb.Other{Type: "SS", Members: []string{"Giraffe", "Hippo"}},
		"ns":   ddb.Other{Type: "NS", Members: []string{"42.2", "-19"}},
		"bs":   ddb.Other{Type: "BS", Members: []string{"U3Vubnk="}},
		"big2": ddb.S(string(make([]byte, 5000))),
	}
}

func theirs(pk string) map[string]types.AttributeValue {
	s := func(v string) types.AttributeValue { return &types.AttributeValueMemberS{Value: v} }
	n := func(v string) types.AttributeValue { return &types.AttributeValueMemberN{Value: v} }
	return map[string]types.AttributeValue{
		"PK": s(pk), "SK": s("1"),
		"s": s("héllo \"quoted\"\n"), "s0": s(""),
		"n": n("-123.45"), "big": n("9223372036854775807"),
		"b": &types.AttributeValueMemberB{Value: []byte{0, 1, 2, 0xff}},
		"t": &types.AttributeValueMemberBOOL{Value: true}, "f": &types.AttributeValueMemberBOOL{Value: false},
		"null": &types.AttributeValueMemberNULL{Value: true},
		"l":    &types.AttributeValueMemberL{Value: []types.AttributeValue{s("Cookies"), n("3.14159"), &types.AttributeValueMemberL{Value: []types.AttributeValue{&types.AttributeValueMemberBOOL{Value: true}}}}},
		"m": &types.AttributeValueMemberM{Value: map[string]types.AttributeValue{"Name": s("Joe"), "Age": n("35"),
			"In": &types.AttributeValueMemberM{Value: map[string]types.AttributeValue{"x": &types.AttributeValueMemberB{Value: []byte("y")}}}}},
		"ss":   &types.AttributeValueMemberSS{Value: []string{"Giraffe", "Hippo"}},
		"ns":   &types.AttributeValueMemberNS{Value: []string{"42.2", "-19"}},
		"bs":   &types.AttributeValueMemberBS{Value: [][]byte{[]byte("Sunny")}},
		"big2": s(string(make([]byte, 5000))),
	}
}

// TestTheSDKReadsWhatWeWrite: an item of every type that our client
// puts, the real aws-sdk-go-v2 client reads back from DynamoDB as the
// same values; and what the SDK puts, our client reads as the same.
func TestTheSDKReadsWhatWeWrite(t *testing.T) {
	c, sdk := table(t)
	ctx := context.Background()
	if _, err := c.PutItem(ctx, &ddb.PutItemInput{TableName: "t", Item: ours("ours")}); err != nil {
		t.Fatal(err)
	}
	got, err := sdk.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String("t"), ConsistentRead: aws.Bool(true),
		Key: map[string]types.AttributeValue{"PK": &types.AttributeValueMemberS{Value: "ours"}, "SK": &types.AttributeValueMemberS{Value: "1"}}})
	if err != nil {
		t.Fatal(err)
	}
	want := theirs("ours")
	for k, v := range want {
		if !reflect.DeepEqual(got.Item[k], v) {
			t.Errorf("the SDK reads %s as %#v, want %#v", k, got.Item[k], v)
		}
	}
	if len(got.Item) != len(want) {
		t.Errorf("the SDK reads %d attributes, want %d", len(got.Item), len(want))
	}

	if _, err := sdk.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String("t"), Item: theirs("theirs")}); err != nil {
		t.Fatal(err)
	}
	mine, err := c.GetItem(ctx, &ddb.GetItemInput{TableName: "t", Key: ddb.Item{"PK": ddb.S("theirs"), "SK": ddb.S("1")}, ConsistentRead: true})
	if err != nil {
		t.Fatal(err)
	}
	if w := ours("theirs"); !reflect.DeepEqual(mine.Item, w) {
		for k := range w {
			if !reflect.DeepEqual(mine.Item[k], w[k]) {
				t.Errorf("we read the SDK's %s as %#v, want %#v", k, mine.Item[k], w[k])
			}
		}
	}
}

// TestQueryPagesAndConditions: a query is read page after page to its
// end; a failed condition, a missing table and a table that exists are
// told apart by their exception names; UpdateItem answers what it was
// asked to, and a missing item is a nil Item.
func TestQueryPagesAndConditions(t *testing.T) {
	c, _ := table(t)
	ctx := context.Background()
	var reqs []ddb.WriteRequest
	for i := range 7 {
		reqs = append(reqs, ddb.WriteRequest{PutRequest: &ddb.PutRequest{Item: ddb.Item{"PK": ddb.S("p"), "SK": ddb.S(fmt.Sprint(i))}}})
	}
	reqs = append(reqs, ddb.WriteRequest{DeleteRequest: &ddb.DeleteRequest{Key: ddb.Item{"PK": ddb.S("p"), "SK": ddb.S("3")}}})
	out, err := c.BatchWriteItem(ctx, &ddb.BatchWriteItemInput{RequestItems: map[string][]ddb.WriteRequest{"t": reqs[:7]}})
	if err != nil || len(out.UnprocessedItems) != 0 {
		t.Fatalf("BatchWriteItem = %+v, %v", out, err)
	}
	if _, err := c.BatchWriteItem(ctx, &ddb.BatchWriteItemInput{RequestItems: map[string][]ddb.WriteRequest{"t": reqs[7:]}}); err != nil {
		t.Fatal(err)
	}
	items, err := c.QueryAll(ctx, ddb.QueryInput{TableName: "t", KeyConditionExpression: "PK = :p",
		ExpressionAttributeValues: ddb.Item{":p": ddb.S("p")}, ConsistentRead: true, Limit: 2})
	if err != nil {
		t.Fatal(err)
	}
	var sks []string
	for _, it := range items {
		sks = append(sks, string(it["SK"].(ddb.S)))
	}
	if fmt.Sprint(sks) != "[0 1 2 4 5 6]" {
		t.Errorf("a query in pages of 2 read %v", sks)
	}

	_, err = c.PutItem(ctx, &ddb.PutItemInput{TableName: "t", Item: ddb.Item{"PK": ddb.S("p"), "SK": ddb.S("0")},
		ConditionExpression: "attribute_not_exists(PK)"})
	if !ddb.IsCode(err, ddb.ConditionalCheckFailed) {
		t.Errorf("a put on an existing item with attribute_not_exists = %v, want %s", err, ddb.ConditionalCheckFailed)
	}
	up, err := c.UpdateItem(ctx, &ddb.UpdateItemInput{TableName: "t", Key: ddb.Item{"PK": ddb.S("c"), "SK": ddb.S("c")},
		UpdateExpression: "ADD #n :one", ExpressionAttributeNames: map[string]string{"#n": "n"},
		ExpressionAttributeValues: ddb.Item{":one": ddb.N("1")}, ReturnValues: ddb.ReturnUpdatedNew})
	if err != nil || up.Attributes["n"] != ddb.N("1") {
		t.Errorf("UpdateItem ADD = %+v, %v", up, err)
	}
	got, err := c.GetItem(ctx, &ddb.GetItemInput{TableName: "t", Key: ddb.Item{"PK": ddb.S("none"), "SK": ddb.S("none")}})
	if err != nil || got.Item != nil {
		t.Errorf("GetItem of a missing item = %+v, %v", got.Item, err)
	}
	if err := c.DeleteItem(ctx, &ddb.DeleteItemInput{TableName: "t", Key: ddb.Item{"PK": ddb.S("p"), "SK": ddb.S("0")}}); err != nil {
		t.Error(err)
	}
	_, err = c.DescribeTable(ctx, "nope")
	var e *ddb.Error
	if !ddb.IsCode(err, ddb.ResourceNotFound) || !errors.As(err, &e) || e.Status != 400 {
		t.Errorf("DescribeTable of a missing table = %v", err)
	}
	err = c.CreateTable(ctx, &ddb.CreateTableInput{TableName: "t",
		AttributeDefinitions: []ddb.AttributeDefinition{{AttributeName: "PK", AttributeType: "S"}},
		KeySchema:            []ddb.KeySchemaElement{{AttributeName: "PK", KeyType: "HASH"}}, BillingMode: "PAY_PER_REQUEST"})
	if !ddb.IsCode(err, ddb.ResourceInUse) {
		t.Errorf("CreateTable of an existing table = %v, want %s", err, ddb.ResourceInUse)
	}
}
