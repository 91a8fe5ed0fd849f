package yamlline

import (
	"bytes"
	"testing"
)

func TestFind(t *testing.T) {
	// A stand-in parser that fails once it has seen the byte '!'.
	fails := func(p []byte) bool { return bytes.IndexByte(p, '!') >= 0 }
	for _, tt := range []struct {
		data string
		want int
	}{
		{"!", 1},
		{"a\n!\n", 2},
		{"a\nb\nc\nd\n!", 5},
		{"a\nb\n!\nd\ne\n", 3},
		{"a\r\n!\r\n", 2},
	} {
		if got := Find([]byte(tt.data), fails); got != tt.want {
			t.Errorf("Find(%q) = %d, want %d", tt.data, got, tt.want)
		}
	}
}
