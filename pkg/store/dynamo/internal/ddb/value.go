package ddb

import (
	"encoding/json"
	"errors"
	"fmt"
)

// Value is an attribute value (docs/dynamodb.md, "AttributeValue"): one
// of S, N, B, BOOL, NULL, L, M, or Other for the types the store never
// writes (the sets).
type Value interface{ isValue() }

type (
	// S is a string.
	S string
	// N is a number, in DynamoDB's decimal text.
	N string
	// B is binary, base64 in JSON.
	B []byte
	// BOOL is a Boolean.
	BOOL bool
	// NULL is the null value; DynamoDB only takes NULL(true).
	NULL bool
	// L is a list of values.
	L []Value
	// M is a map of values.
	M map[string]Value
	// Other is a set (SS, NS, or BS, whose members are base64), which the
	// store never writes but keeps as it was read.
	Other struct {
		Type    string
		Members []string
	}
)

func (S) isValue()     {}
func (N) isValue()     {}
func (B) isValue()     {}
func (BOOL) isValue()  {}
func (NULL) isValue()  {}
func (L) isValue()     {}
func (M) isValue()     {}
func (Other) isValue() {}

// Item is an item, or a key: attribute names and their values.
type Item map[string]Value

func (v S) MarshalJSON() ([]byte, error)    { return one("S", string(v)) }
func (v N) MarshalJSON() ([]byte, error)    { return one("N", string(v)) }
func (v B) MarshalJSON() ([]byte, error)    { return one("B", []byte(nonNil(v))) }
func (v BOOL) MarshalJSON() ([]byte, error) { return one("BOOL", bool(v)) }
func (v NULL) MarshalJSON() ([]byte, error) { return one("NULL", bool(v)) }
func (v L) MarshalJSON() ([]byte, error) {
	if v == nil {
		v = L{}
	}
	return one("L", []Value(v))
}
func (v M) MarshalJSON() ([]byte, error) {
	if v == nil {
		v = M{}
	}
	return one("M", map[string]Value(v))
}
func (v Other) MarshalJSON() ([]byte, error) {
	return one(v.Type, v.Members)
}

func nonNil(b []byte) []byte {
	if b == nil {
		return []byte{}
	}
	return b
}

func one(typ string, v any) ([]byte, error) {
	return json.Marshal(map[string]any{typ: v})
}

// UnmarshalJSON decodes an item: each attribute a value of one type.
func (it *Item) UnmarshalJSON(b []byte) error {
	m, err := decodeMap(b)
	if err != nil {
		return err
	}
	*it = Item(m)
	return nil
}

// UnmarshalJSON decodes a map value's members.
func (v *M) UnmarshalJSON(b []byte) error {
	m, err := decodeMap(b)
	if err != nil {
		return err
	}
	*v = m
	return nil
}

// UnmarshalJSON decodes a list value's members.
func (v *L) UnmarshalJSON(b []byte) error {
	var raws []json.RawMessage
	if err := json.Unmarshal(b, &raws); err != nil {
		return err
	}
	if raws == nil {
		*v = nil
		return nil
	}
	l := make(L, 0, len(raws))
	for i, r := range raws {
		x, err := Decode(r)
		if err != nil {
			return fmt.Errorf("list member %d: %w", i, err)
		}
		if x != nil {
			l = append(l, x)
		}
	}
	*v = l
	return nil
}

func decodeMap(b []byte) (M, error) {
	var raws map[string]json.RawMessage
	if err := json.Unmarshal(b, &raws); err != nil {
		return nil, err
	}
	if raws == nil {
		return nil, nil
	}
	m := make(M, len(raws))
	for k, r := range raws {
		x, err := Decode(r)
		if err != nil {
			return nil, fmt.Errorf("attribute %q: %w", k, err)
		}
		if x != nil {
			m[k] = x
		}
	}
	return m, nil
}

// Decode decodes one attribute value: a JSON object of exactly one
// member, named by its type. An object of none is nil, which the items,
// maps and lists that hold it leave out.
func Decode(b []byte) (Value, error) {
	var raws map[string]json.RawMessage
	if err := json.Unmarshal(b, &raws); err != nil {
		return nil, err
	}
	if len(raws) == 0 {
		return nil, nil // of no type: as if missing (minidyn answers an empty list so)
	}
	if len(raws) != 1 {
		return nil, fmt.Errorf("an attribute value has %d types, not one", len(raws))
	}
	for typ, r := range raws {
		switch typ {
		case "S":
			var s string
			err := json.Unmarshal(r, &s)
			return S(s), err
		case "N":
			var s string
			err := json.Unmarshal(r, &s)
			return N(s), err
		case "B":
			var s []byte
			err := json.Unmarshal(r, &s)
			return B(nonNil(s)), err
		case "BOOL":
			var x bool
			err := json.Unmarshal(r, &x)
			return BOOL(x), err
		case "NULL":
			var x bool
			err := json.Unmarshal(r, &x)
			return NULL(x), err
		case "L":
			var l L
			err := l.UnmarshalJSON(r)
			if l == nil {
				l = L{}
			}
			return l, err
		case "M":
			var m M
			err := m.UnmarshalJSON(r)
			if m == nil {
				m = M{}
			}
			return m, err
		case "SS", "NS", "BS":
			var members []string
			err := json.Unmarshal(r, &members)
			return Other{Type: typ, Members: members}, err
		default:
			return nil, fmt.Errorf("unknown attribute type %q", typ)
		}
	}
	return nil, errors.New("unreachable")
}
