package ddb_test

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/reinvent-cli/reinvent/internal/awsjson"
	"github.com/reinvent-cli/reinvent/pkg/store/dynamo/internal/ddb"
)

// FuzzAnswer decodes DynamoDB answers as the client does: a Query page's
// items and key, and an error's code and message. It never panics; what
// decodes encodes back to JSON that decodes to the same items; an error's
// words are printable. The seeds are the API Reference's examples
// (docs/dynamodb.md).
func FuzzAnswer(f *testing.F) {
	for _, s := range []string{
		`{"Item":{"S":{"S":"Hello"},"N":{"N":"123.45"},"B":{"B":"dGhpcyB0ZXh0IGlzIGJhc2U2NC1lbmNvZGVk"},"BOOL":{"BOOL":true},"NULL":{"NULL":true}}}`,
		`{"Items":[{"L":{"L":[{"S":"Cookies"},{"S":"Coffee"},{"N":"3.14159"}]},"M":{"M":{"Name":{"S":"Joe"},"Age":{"N":"35"}}}}],"Count":1,"ScannedCount":1}`,
		`{"Items":[{"SS":{"SS":["Giraffe","Hippo","Zebra"]},"NS":{"NS":["42.2","-19","7.5","3.14"]},"BS":{"BS":["U3Vubnk=","UmFpbnk=","U25vd3k="]}}],"LastEvaluatedKey":{"PK":{"S":"a"},"SK":{"S":"b"}}}`,
		`{"Attributes":{"n":{"N":"1"}}}`,
		`{"UnprocessedItems":{"t":[{"PutRequest":{"Item":{"PK":{"S":"p"}}}},{"DeleteRequest":{"Key":{"PK":{"S":"p"}}}}]}}`,
		`{"__type":"com.amazonaws.dynamodb.v20120810#ResourceNotFoundException","message":"Requested resource not found: Table: tablename not found"}`,
		`{"__type":"com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException","Message":"The conditional request failed"}`,
		`{"Items":[{"x":{}}]}`, `{"Items":[{"x":{"S":"a","N":"1"}}]}`, `{"Item":{"x":{"Q":1}}}`, `{}`, `null`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		code, msg := awsjson.ErrorCode(data), awsjson.ErrorMessage(data)
		if strings.ContainsFunc(msg, func(r rune) bool { return r < ' ' || r == 0x7f }) || len(msg) > 203 {
			t.Errorf("message %q", msg)
		}
		_ = (&ddb.Error{Op: "Query", Status: 400, Code: code, Message: msg}).Error()

		var page struct {
			Item             ddb.Item
			Items            []ddb.Item
			LastEvaluatedKey ddb.Item
			UnprocessedItems map[string][]ddb.WriteRequest
		}
		if json.Unmarshal(data, &page) != nil {
			return
		}
		enc, err := json.Marshal(page)
		if err != nil {
			t.Fatalf("what decoded does not encode: %v", err)
		}
		again := page
		again.Item, again.Items, again.LastEvaluatedKey, again.UnprocessedItems = nil, nil, nil, nil
		if err := json.Unmarshal(enc, &again); err != nil {
			t.Fatalf("%s does not decode again: %v", enc, err)
		}
		if !reflect.DeepEqual(page, again) {
			t.Errorf("decoded %#v\nencoded %s\ndecoded again %#v", page, enc, again)
		}
	})
}
