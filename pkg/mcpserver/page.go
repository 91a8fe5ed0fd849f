package mcpserver

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"time"
)

// A cursor is where the next page of a list starts, and which list it is
// of: the tool, its arguments (but the cursor) and when the catalog was
// fetched. It goes to the client as opaque text.
type cursor struct {
	Offset int    `json:"o"`
	Key    string `json:"k"`
}

// errCursor is the tool error of a cursor that is not the next page of
// this list.
var errCursor = errors.New("cursor is not one this tool gave for these arguments, or the catalog changed since: call again without cursor")

// listKey names the list a tool's args (with their cursor "") ask for, on
// the catalog fetched at stamp.
func listKey(tool string, args any, stamp time.Time) string {
	h := fnv.New64a()
	b, _ := json.Marshal(args) // the tools' argument structs always marshal
	fmt.Fprintf(h, "%s\x00%s\x00%d", tool, b, stamp.UnixNano())
	return fmt.Sprintf("%016x", h.Sum64())
}

func (c cursor) String() string {
	b, _ := json.Marshal(c)
	return base64.RawURLEncoding.EncodeToString(b)
}

// offset is where the page of cursor text starts in the list of key: 0
// for no cursor. n is the length of the list.
func offset(text, key string, n int) (int, error) {
	if text == "" {
		return 0, nil
	}
	b, err := base64.RawURLEncoding.DecodeString(text)
	var c cursor
	if err != nil || json.Unmarshal(b, &c) != nil || c.Key != key || c.Offset <= 0 || c.Offset >= n {
		return 0, errCursor
	}
	return c.Offset, nil
}

// next is the cursor of the page after one that ends at end, "" when it
// ends the list of n.
func next(key string, end, n int) string {
	if end >= n {
		return ""
	}
	return cursor{Offset: end, Key: key}.String()
}

// page returns the end of the page of a list of n that starts at start:
// the most items whose result, as build makes it for the items
// [start, end), is within budget characters of JSON. A list that is empty
// is one empty page.
func page[T any](start, n, budget int, build func(end int) T) (T, error) {
	fits := func(end int) (T, bool) {
		v := build(end)
		b, err := json.Marshal(v)
		return v, err == nil && len(b) <= budget
	}
	if v, ok := fits(n); ok {
		return v, nil
	}
	v, ok := fits(start + 1)
	if !ok {
		var zero T
		return zero, fmt.Errorf("one item of this list is over the %d characters a result may have", budget)
	}
	lo, hi := start+1, n // fits(lo); not fits(hi)
	for hi-lo > 1 {
		mid := (lo + hi) / 2
		if w, ok := fits(mid); ok {
			lo, v = mid, w
		} else {
			hi = mid
		}
	}
	return v, nil
}
