package mcpserver

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

// FuzzCursor: a cursor is text from the client. Whatever it is, offset
// answers a page start inside the list (never the first page, never past
// the end) or the one tool error errCursor, and a cursor it made reads back.
func FuzzCursor(f *testing.F) {
	key := listKey("search_sessions", map[string]any{"query": "bedrock"}, time.Unix(0, 0))
	for _, seed := range []string{"", "x", next(key, 3, 10), cursor{Offset: -1, Key: key}.String(), cursor{Offset: 10, Key: key}.String(), "eyJvIjoxfQ", "e30"} {
		f.Add(seed, 10)
	}
	f.Fuzz(func(t *testing.T, text string, n int) {
		if n < 0 || n > 1<<20 {
			return
		}
		off, err := offset(text, key, n)
		switch {
		case err != nil && err != errCursor:
			t.Fatalf("offset(%q) = %v, want errCursor", text, err)
		case err == nil && text != "" && (off <= 0 || off >= n):
			t.Fatalf("offset(%q, n=%d) = %d, outside the list", text, n, off)
		case err == nil && text == "" && off != 0:
			t.Fatalf("no cursor gave %d", off)
		}
		if n > 1 {
			if got, err := offset(next(key, n-1, n), key, n); err != nil || got != n-1 {
				t.Fatalf("own cursor read back %d, %v", got, err)
			}
		}
	})
}

// page never answers a page over its budget, and always one item at least.
func TestPageWithinBudget(t *testing.T) {
	items := make([]string, 100)
	for i := range items {
		items[i] = strings.Repeat("a", i*3)
	}
	for _, budget := range []int{400, 1000, 5000} {
		start := 0
		for start < len(items) {
			v, err := page(start, len(items), budget, func(end int) []string { return items[start:end] })
			if err != nil {
				if b, _ := json.Marshal(items[start : start+1]); len(b) <= budget {
					t.Fatalf("budget %d at %d: %v", budget, start, err)
				}
				break
			}
			if b, _ := json.Marshal(v); len(b) > budget || len(v) == 0 {
				t.Fatalf("budget %d: page of %d items, %d characters", budget, len(v), len(b))
			}
			if start+len(v) < len(items) {
				if b, _ := json.Marshal(items[start : start+len(v)+1]); len(b) <= budget {
					t.Errorf("budget %d: page at %d stops at %d items, one more fits", budget, start, len(v))
				}
			}
			start += len(v)
		}
	}
}
