package mcpserver

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"sync"
)

// inFlight keeps the end of the server's input from ending the server
// while requests it read are unanswered (docs/mcp.md, "Running it"): the
// SDK closes the session when its input ends, and would drop the answers
// of a client that writes its requests and closes its end, as a script
// piping into reinvent mcp does. The stdio transport sends one JSON-RPC
// message a line (MCP specification, "Transports", stdio), so the input's
// lines name the requests (an id and a method) and the output's lines
// their answers (the id, no method).
type inFlight struct {
	ctx context.Context

	mu      sync.Mutex
	open    map[string]int // the ids read and not answered
	changed chan struct{}  // closed and replaced when open shrinks
	inLine  []byte         // the input's line being read
	outLine []byte         // the output's line being written
}

func newInFlight(ctx context.Context) *inFlight {
	return &inFlight{ctx: ctx, open: map[string]int{}, changed: make(chan struct{})}
}

// message is what inFlight reads of a JSON-RPC message.
type message struct {
	ID     json.RawMessage `json:"id"`
	Method string          `json:"method"`
}

// id is the message's id in one spelling, "" for none (a notification).
func (m message) id() string {
	var v any
	if len(m.ID) == 0 || json.Unmarshal(m.ID, &v) != nil || v == nil {
		return ""
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// lines calls each with every whole line of p after what buf holds, and
// keeps the rest in buf.
func lines(buf *[]byte, p []byte, each func(line []byte)) {
	*buf = append(*buf, p...)
	for {
		i := bytes.IndexByte(*buf, '\n')
		if i < 0 {
			return
		}
		each((*buf)[:i])
		*buf = (*buf)[i+1:]
	}
}

// reader is in, whose end waits until every request read is answered or
// ctx is done.
func (f *inFlight) reader(in io.Reader) io.Reader {
	return readFunc(func(p []byte) (int, error) {
		n, err := in.Read(p)
		f.mu.Lock()
		lines(&f.inLine, p[:n], f.note)
		if err == io.EOF && len(f.inLine) > 0 { // a last line with no newline
			lines(&f.inLine, []byte{'\n'}, func(line []byte) { f.note(line) })
		}
		f.mu.Unlock()
		if err == io.EOF {
			f.wait()
		}
		return n, err
	})
}

// note counts line, when it is a request, as open; f.mu is held.
func (f *inFlight) note(line []byte) {
	var m message
	if json.Unmarshal(line, &m) == nil && m.Method != "" {
		if id := m.id(); id != "" {
			f.open[id]++
		}
	}
}

// writer is out, noting the answers written.
func (f *inFlight) writer(out io.Writer) io.Writer {
	return writeFunc(func(p []byte) (int, error) {
		n, err := out.Write(p)
		f.mu.Lock()
		lines(&f.outLine, p[:n], func(line []byte) {
			var m message
			if json.Unmarshal(line, &m) == nil && m.Method == "" {
				if id := m.id(); id != "" && f.open[id] > 0 {
					if f.open[id]--; f.open[id] == 0 {
						delete(f.open, id)
					}
					close(f.changed)
					f.changed = make(chan struct{})
				}
			}
		})
		f.mu.Unlock()
		return n, err
	})
}

// wait returns once no request read is unanswered, or ctx is done.
func (f *inFlight) wait() {
	for {
		f.mu.Lock()
		n, changed := len(f.open), f.changed
		f.mu.Unlock()
		if n == 0 {
			return
		}
		select {
		case <-changed:
		case <-f.ctx.Done():
			return
		}
	}
}

type readFunc func([]byte) (int, error)

func (f readFunc) Read(p []byte) (int, error) { return f(p) }

type writeFunc func([]byte) (int, error)

func (f writeFunc) Write(p []byte) (int, error) { return f(p) }
