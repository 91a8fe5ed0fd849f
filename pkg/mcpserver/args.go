package mcpserver

import (
	"bytes"
	"encoding/json"
	"errors"
	"reflect"

	"github.com/google/jsonschema-go/jsonschema"
)

// List is a list argument (codes, days, venues, levels, ...), which an
// assistant may send as an array or as one value: "wed" is ["wed"], and
// a value may be a comma list, "tue,wed", as the command line takes it.
// A number is taken as its digits, so that level 300 and "300" are one
// (docs/mcp.md, "Tools").
type List []string

// UnmarshalJSON takes a string, a number, an array of either, or null.
func (l *List) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if bytes.Equal(b, []byte("null")) {
		*l = nil
		return nil
	}
	if len(b) > 0 && b[0] == '[' {
		var raw []json.RawMessage
		if err := json.Unmarshal(b, &raw); err != nil {
			return err
		}
		out := make(List, 0, len(raw))
		for _, r := range raw {
			v, err := oneValue(r)
			if err != nil {
				return err
			}
			out = append(out, v)
		}
		*l = out
		return nil
	}
	v, err := oneValue(b)
	if err != nil {
		return err
	}
	*l = List{v}
	return nil
}

// oneValue is a string, or a number's digits.
func oneValue(b []byte) (string, error) {
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		return s, nil
	}
	var n json.Number
	if err := json.Unmarshal(b, &n); err == nil {
		return n.String(), nil
	}
	return "", errors.New("want a string, a number or an array of them")
}

// listSchema is a List's schema: what UnmarshalJSON takes.
var listSchema = &jsonschema.Schema{
	Types: []string{"string", "number", "array"},
	Items: &jsonschema.Schema{Types: []string{"string", "number"}},
}

// inputSchema is the input schema of a tool taking In, as the SDK infers
// it from In's fields and their jsonschema tags, a List being listSchema.
func inputSchema[In any]() *jsonschema.Schema {
	s, err := jsonschema.For[In](&jsonschema.ForOptions{TypeSchemas: map[reflect.Type]*jsonschema.Schema{reflect.TypeFor[List](): listSchema}})
	if err != nil {
		panic(err) // the argument types are this package's: a test builds every one
	}
	return s
}
