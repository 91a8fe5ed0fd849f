package ddb

import (
	"encoding/json"
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

// wire is an attribute value as JSON has it: every type a member, of
// which one is set. Items are decoded through it in one pass.
type wire struct {
	S, N       *string
	B          []byte
	BOOL, NULL *bool
	L          []wire
	M          map[string]wire
	SS, NS, BS []string
}

// value is w as a Value: nil when no type is set (an empty object, which
// minidyn answers for an empty list, or a type unknown here), an error
// when more than one is.
func (w *wire) value() (Value, error) {
	var v Value
	n := 0
	set := func(x Value) { v = x; n++ }
	if w.S != nil {
		set(S(*w.S))
	}
	if w.N != nil {
		set(N(*w.N))
	}
	if w.B != nil {
		set(B(w.B))
	}
	if w.BOOL != nil {
		set(BOOL(*w.BOOL))
	}
	if w.NULL != nil {
		set(NULL(*w.NULL))
	}
	if w.L != nil {
		l := make(L, 0, len(w.L))
		for i := range w.L {
			x, err := w.L[i].value()
			if err != nil {
				return nil, fmt.Errorf("list member %d: %w", i, err)
			}
			if x != nil {
				l = append(l, x)
			}
		}
		set(l)
	}
	if w.M != nil {
		m, err := fromWire(w.M)
		if err != nil {
			return nil, err
		}
		set(M(m))
	}
	for _, st := range []struct {
		name    string
		members []string
	}{{"SS", w.SS}, {"NS", w.NS}, {"BS", w.BS}} {
		if st.members != nil {
			set(Other{Type: st.name, Members: st.members})
		}
	}
	if n > 1 {
		return nil, fmt.Errorf("an attribute value has %d types, not one", n)
	}
	return v, nil
}

func fromWire(ws map[string]wire) (M, error) {
	m := make(M, len(ws))
	for k, w := range ws {
		x, err := w.value()
		if err != nil {
			return nil, fmt.Errorf("attribute %q: %w", k, err)
		}
		if x != nil {
			m[k] = x
		}
	}
	return m, nil
}

// UnmarshalJSON decodes an item: each attribute a value of one type.
// Attributes of no type are left out.
func (it *Item) UnmarshalJSON(b []byte) error {
	var ws map[string]wire
	if err := json.Unmarshal(b, &ws); err != nil {
		return err
	}
	if ws == nil {
		*it = nil
		return nil
	}
	m, err := fromWire(ws)
	*it = Item(m)
	return err
}

// Decode decodes one attribute value: a JSON object of one member, named
// by its type; nil when it has none.
func Decode(b []byte) (Value, error) {
	var w wire
	if err := json.Unmarshal(b, &w); err != nil {
		return nil, err
	}
	return w.value()
}
