package mcpserver

import (
	"context"
	"io"
	"strings"
	"testing"
)

// FuzzInFlight: whatever a client sends, reading it never panics; every
// request it counts open is closed by an answer with its id, after which
// the input's end returns at once.
func FuzzInFlight(f *testing.F) {
	f.Add(`{"jsonrpc":"2.0","id":1,"method":"tools/call"}` + "\n" + `{"jsonrpc":"2.0","id":1,"result":{}}`)
	f.Add(`{"id":"a","method":"x"}` + "\n" + `{"method":"notifications/initialized"}`)
	f.Add(`[{"id":1,"method":"batch"}]` + "\n")
	f.Add(`{"id":null,"method":"x"}` + "\n" + `{"id":1.0,"method":"y"}` + "\n" + `{"id":1e0,"method":"z"}`)
	f.Add("\x00\xff{not json\n}\n")
	f.Fuzz(func(t *testing.T, in string) {
		done, cancel := context.WithCancel(context.Background())
		cancel() // reading to the end must not wait on answers no one writes
		fl := newInFlight(done)
		if _, err := io.Copy(io.Discard, fl.reader(strings.NewReader(in))); err != nil {
			t.Fatal(err)
		}
		fl.mu.Lock()
		var answers []string
		for id, n := range fl.open {
			for range n {
				answers = append(answers, `{"jsonrpc":"2.0","id":`+id+`,"result":{}}`)
			}
		}
		fl.mu.Unlock()
		w := fl.writer(io.Discard)
		for _, a := range answers {
			if _, err := io.WriteString(w, a[:len(a)/2]); err != nil { // a line may come in pieces
				t.Fatal(err)
			}
			if _, err := io.WriteString(w, a[len(a)/2:]+"\n"); err != nil {
				t.Fatal(err)
			}
		}
		fl.mu.Lock()
		defer fl.mu.Unlock()
		if len(fl.open) != 0 {
			t.Errorf("open after every answer: %v", fl.open)
		}
	})
}
