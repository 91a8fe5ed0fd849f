package ddb

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/reinvent-cli/reinvent/pkg/retry"
)

// The operations and the shapes of their requests and answers, with only
// the members the store uses (docs/dynamodb.md names the API Reference
// page of each). Every member is optional unless the page says otherwise;
// empty ones are left out of the request.

// ReturnValues of PutItem and UpdateItem.
const (
	ReturnAllOld     = "ALL_OLD"
	ReturnAllNew     = "ALL_NEW"
	ReturnUpdatedNew = "UPDATED_NEW"
)

// GetItemInput is GetItem's request.
type GetItemInput struct {
	TableName      string
	Key            Item
	ConsistentRead bool `json:",omitempty"`
}

// GetItemOutput is GetItem's answer: Item is nil when there is none.
type GetItemOutput struct {
	Item Item
}

// GetItem reads one item.
func (c *Client) GetItem(ctx context.Context, in *GetItemInput) (*GetItemOutput, error) {
	var out GetItemOutput
	return &out, c.call(ctx, "GetItem", in, &out)
}

// PutItemInput is PutItem's request.
type PutItemInput struct {
	TableName                 string
	Item                      Item
	ConditionExpression       string            `json:",omitempty"`
	ExpressionAttributeNames  map[string]string `json:",omitempty"`
	ExpressionAttributeValues Item              `json:",omitempty"`
	ReturnValues              string            `json:",omitempty"`
}

// PutItemOutput is PutItem's answer.
type PutItemOutput struct {
	Attributes Item
}

// PutItem writes one item.
func (c *Client) PutItem(ctx context.Context, in *PutItemInput) (*PutItemOutput, error) {
	var out PutItemOutput
	return &out, c.call(ctx, "PutItem", in, &out)
}

// UpdateItemInput is UpdateItem's request.
type UpdateItemInput struct {
	TableName                 string
	Key                       Item
	UpdateExpression          string            `json:",omitempty"`
	ConditionExpression       string            `json:",omitempty"`
	ExpressionAttributeNames  map[string]string `json:",omitempty"`
	ExpressionAttributeValues Item              `json:",omitempty"`
	ReturnValues              string            `json:",omitempty"`
}

// UpdateItemOutput is UpdateItem's answer.
type UpdateItemOutput struct {
	Attributes Item
}

// UpdateItem changes one item.
func (c *Client) UpdateItem(ctx context.Context, in *UpdateItemInput) (*UpdateItemOutput, error) {
	var out UpdateItemOutput
	return &out, c.call(ctx, "UpdateItem", in, &out)
}

// DeleteItemInput is DeleteItem's request.
type DeleteItemInput struct {
	TableName                 string
	Key                       Item
	ConditionExpression       string            `json:",omitempty"`
	ExpressionAttributeNames  map[string]string `json:",omitempty"`
	ExpressionAttributeValues Item              `json:",omitempty"`
}

// DeleteItem deletes one item.
func (c *Client) DeleteItem(ctx context.Context, in *DeleteItemInput) error {
	var out struct{}
	return c.call(ctx, "DeleteItem", in, &out)
}

// QueryInput is Query's request.
type QueryInput struct {
	TableName                 string
	IndexName                 string            `json:",omitempty"`
	KeyConditionExpression    string            `json:",omitempty"`
	ExpressionAttributeNames  map[string]string `json:",omitempty"`
	ExpressionAttributeValues Item              `json:",omitempty"`
	ConsistentRead            bool              `json:",omitempty"`
	Limit                     int32             `json:",omitempty"`
	ExclusiveStartKey         Item              `json:",omitempty"`
}

// QueryOutput is one page of Query's answer: LastEvaluatedKey is nil on
// the last page.
type QueryOutput struct {
	Items            []Item
	LastEvaluatedKey Item
}

// Query reads one page.
func (c *Client) Query(ctx context.Context, in *QueryInput) (*QueryOutput, error) {
	var out QueryOutput
	return &out, c.call(ctx, "Query", in, &out)
}

// QueryAll reads every page of in, each from where the last ended
// (LastEvaluatedKey as the next ExclusiveStartKey), and returns their
// items in order.
func (c *Client) QueryAll(ctx context.Context, in QueryInput) ([]Item, error) {
	var all []Item
	for {
		out, err := c.Query(ctx, &in)
		if err != nil {
			return nil, err
		}
		all = append(all, out.Items...)
		if len(out.LastEvaluatedKey) == 0 {
			return all, nil
		}
		in.ExclusiveStartKey = out.LastEvaluatedKey
	}
}

// WriteRequest is one put or delete of BatchWriteItem.
type WriteRequest struct {
	PutRequest    *PutRequest    `json:",omitempty"`
	DeleteRequest *DeleteRequest `json:",omitempty"`
}

// PutRequest puts Item.
type PutRequest struct{ Item Item }

// DeleteRequest deletes the item of Key.
type DeleteRequest struct{ Key Item }

// BatchWriteItemInput is BatchWriteItem's request: at most 25 writes.
type BatchWriteItemInput struct {
	RequestItems map[string][]WriteRequest
}

// BatchWriteItemOutput is BatchWriteItem's answer: the writes DynamoDB
// left undone, to send again.
type BatchWriteItemOutput struct {
	UnprocessedItems map[string][]WriteRequest
}

// BatchWriteItem makes up to 25 writes.
func (c *Client) BatchWriteItem(ctx context.Context, in *BatchWriteItemInput) (*BatchWriteItemOutput, error) {
	var out BatchWriteItemOutput
	return &out, c.call(ctx, "BatchWriteItem", in, &out)
}

// TableDescription is the part of a table's description the store reads.
type TableDescription struct {
	TableName   string
	TableStatus string
}

// DescribeTable describes table.
func (c *Client) DescribeTable(ctx context.Context, table string) (*TableDescription, error) {
	var out struct{ Table *TableDescription }
	if err := c.call(ctx, "DescribeTable", map[string]string{"TableName": table}, &out); err != nil {
		return nil, err
	}
	if out.Table == nil {
		return &TableDescription{TableName: table}, nil
	}
	return out.Table, nil
}

// AttributeDefinition, KeySchemaElement, GlobalSecondaryIndex, Projection
// and StreamSpecification are the members of CreateTable's request.
type (
	AttributeDefinition struct {
		AttributeName string
		AttributeType string // S, N or B
	}
	KeySchemaElement struct {
		AttributeName string
		KeyType       string // HASH or RANGE
	}
	GlobalSecondaryIndex struct {
		IndexName  string
		KeySchema  []KeySchemaElement
		Projection Projection
	}
	Projection struct {
		ProjectionType string // ALL, KEYS_ONLY or INCLUDE
	}
	StreamSpecification struct {
		StreamEnabled  bool
		StreamViewType string `json:",omitempty"`
	}
)

// CreateTableInput is CreateTable's request.
type CreateTableInput struct {
	TableName              string
	BillingMode            string `json:",omitempty"`
	AttributeDefinitions   []AttributeDefinition
	KeySchema              []KeySchemaElement
	GlobalSecondaryIndexes []GlobalSecondaryIndex `json:",omitempty"`
	StreamSpecification    *StreamSpecification   `json:",omitempty"`
}

// CreateTable creates a table; it is usable once it is ACTIVE
// (WaitActive).
func (c *Client) CreateTable(ctx context.Context, in *CreateTableInput) error {
	var out struct{}
	return c.call(ctx, "CreateTable", in, &out)
}

// WaitActive waits until table is ACTIVE, as the SDK's TableExists waiter
// does: it describes the table again and again, a missing table
// included, the waits doubling from first, for at most timeout in all.
func (c *Client) WaitActive(ctx context.Context, table string, first, timeout time.Duration) error {
	parent := ctx
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	wait := first
	for {
		d, err := c.DescribeTable(ctx, table)
		switch {
		case err == nil && d.TableStatus == "ACTIVE":
			return nil
		case err != nil && !IsCode(err, ResourceNotFound):
			if parent.Err() != nil {
				return parent.Err()
			}
			if errors.Is(err, context.DeadlineExceeded) {
				return fmt.Errorf("the table is not ACTIVE after %v", timeout)
			}
			return err
		}
		if retry.Sleep(ctx, wait) != nil {
			if parent.Err() != nil {
				return parent.Err()
			}
			return fmt.Errorf("the table is not ACTIVE after %v", timeout)
		}
		wait = min(2*wait, 20*time.Second)
	}
}

// UpdateTimeToLive turns on the expiry of items by attribute, a Unix time
// in seconds.
func (c *Client) UpdateTimeToLive(ctx context.Context, table, attribute string) error {
	in := map[string]any{
		"TableName":               table,
		"TimeToLiveSpecification": map[string]any{"AttributeName": attribute, "Enabled": true},
	}
	var out struct{}
	return c.call(ctx, "UpdateTimeToLive", in, &out)
}
