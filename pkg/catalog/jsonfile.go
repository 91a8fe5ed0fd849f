package catalog

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
	"os"
	"reflect"
	"slices"
	"sort"
	"strings"
	"time"
)

// jsonCatalog is the document download --format json writes.
type jsonCatalog struct {
	Source    string    `json:"source"`
	Event     string    `json:"event"`
	FetchedAt string    `json:"fetched_at,omitempty"` // left out when unknown, never a zero time
	Sessions  []Session `json:"sessions"`
}

// WriteJSON writes c as the JSON document of download --format json:
// sessions with their times in RFC 3339 with loc's offset (UTC when loc is
// nil, or when the offset has seconds, as local mean time before 1900 has),
// fetched_at in UTC, empty lists as [], indented by two spaces. The
// caller's sessions are not changed.
func WriteJSON(w io.Writer, c *Catalog, loc *time.Location) error {
	if loc == nil {
		loc = time.UTC
	}
	doc := jsonCatalog{
		Source:    c.Source,
		Event:     c.Event,
		FetchedAt: formatFetchedAt(c.FetchedAt),
		Sessions:  make([]Session, len(c.Sessions)),
	}
	for i, s := range c.Sessions {
		s.Normalize(loc)
		s.Start, s.End = rfc3339Zone(s.Start), rfc3339Zone(s.End)
		doc.Sessions[i] = s
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("write JSON catalog: %w", err)
	}
	return nil
}

func formatFetchedAt(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

// rfc3339Zone returns t in UTC when its zone's offset is not a whole
// number of minutes (local mean time, before zones were standard), which
// RFC 3339 cannot write; else t.
func rfc3339Zone(t time.Time) time.Time {
	if _, off := t.Zone(); off%60 != 0 {
		return t.UTC()
	}
	return t
}

// jsonSessionIn is a session as read: times are strings so that a bad one
// is reported with its place in the file.
type jsonSessionIn struct {
	Session
	Start *string `json:"start"`
	End   *string `json:"end"`
}

type jsonCatalogIn struct {
	Source    string           `json:"source"`
	Event     string           `json:"event"`
	FetchedAt *string          `json:"fetched_at"`
	Sessions  *[]jsonSessionIn `json:"sessions"`
}

// ReadJSON reads a catalog written by WriteJSON, naming the file name in
// errors, with the line and column of what is wrong. Unknown fields are
// ignored. Every session must have a valid code and must not end before it
// starts; sessions are normalized with Normalize(loc) (UTC when loc is nil).
// Duplicate codes are allowed.
func ReadJSON(r io.Reader, name string, loc *time.Location) (*Catalog, error) {
	if loc == nil {
		loc = time.UTC
	}
	data, err := readAll(r)
	if err != nil {
		return nil, errorAt(name, 0, 0, "read: %w", err)
	}
	data = bytes.TrimPrefix(data, utf8BOM)
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, errorAt(name, 1, 1, "empty file; not a catalog written by reinvent download")
	}
	if i := invalidUTF8(data); i >= 0 {
		line, col := lineCol(data, int64(i))
		return nil, errorAt(name, line, col, "%s", notUTF8)
	}
	var doc jsonCatalogIn
	if err := json.Unmarshal(data, &doc); err != nil {
		return nil, jsonDecodeError(name, data, err)
	}
	if doc.Sessions == nil {
		return nil, errorAt(name, 0, 0, `not a catalog written by reinvent download: no "sessions" array`)
	}
	p := jsonPlaces{data: data}
	c := &Catalog{Source: doc.Source, Event: doc.Event, Sessions: make([]Session, len(*doc.Sessions))}
	if doc.FetchedAt != nil {
		if c.FetchedAt, err = parseJSONTime(*doc.FetchedAt); err != nil {
			line, col := lineCol(data, p.member(p.top(), "fetched_at"))
			return nil, errorAt(name, line, col, "fetched_at: %v", err)
		}
	}
	for i, in := range *doc.Sessions {
		s := in.Session
		for _, t := range []struct {
			field string
			in    *string
			out   *time.Time
		}{{"start", in.Start, &s.Start}, {"end", in.End, &s.End}} {
			if t.in == nil {
				continue
			}
			if *t.out, err = parseJSONTime(*t.in); err != nil {
				line, col := lineCol(data, p.member(p.session(i), t.field))
				return nil, errorAt(name, line, col, "sessions[%d].%s: %v", i, t.field, err)
			}
			if !t.out.IsZero() {
				*t.out = t.out.In(loc)
			}
		}
		if pr := checkSession(&s); pr != nil {
			line, col := lineCol(data, p.member(p.session(i), pr.field))
			return nil, errorAt(name, line, col, "sessions[%d].%s: %s", i, pr.field, pr.msg)
		}
		s.Normalize(loc)
		c.Sessions[i] = s
	}
	return c, nil
}

// parseJSONTime parses an RFC 3339 time; an empty string is the zero time
// (not scheduled).
func parseJSONTime(s string) (time.Time, error) {
	var t time.Time
	if s == "" {
		return t, nil
	}
	if err := t.UnmarshalText([]byte(s)); err != nil {
		return t, fmt.Errorf(`want an RFC 3339 time like "2025-12-01T10:00:00-08:00", got %q`, s)
	}
	return t, nil
}

// jsonDecodeError turns an error of json.Unmarshal into one that names the
// file, line and column, and the session and field when it is in one.
func jsonDecodeError(name string, data []byte, err error) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		// Offset is just past the byte that is wrong, or the end of the
		// input when it ends too soon.
		off := syn.Offset
		if off > 0 && !strings.HasPrefix(syn.Error(), "unexpected end") {
			off--
		}
		line, col := lineCol(data, off)
		return errorAt(name, line, col, "invalid JSON: %s", syn.Error())
	case errors.As(err, &typ):
		p := jsonPlaces{data: data}
		off := p.valueStart(typ.Offset)
		line, col := lineCol(data, off)
		path := strings.Split(typ.Field, ".")
		path = slices.DeleteFunc(path, func(s string) bool { return s == "Session" })
		field := path[len(path)-1]
		if len(path) == 1 && field == "" {
			return errorAt(name, line, col, `not a catalog written by reinvent download: want a JSON object with a "sessions" array, got %s`, typ.Value)
		}
		want := describeJSONType(typ.Type, typ.Value)
		switch field {
		case "start", "end", "fetched_at":
			want = "an RFC 3339 time string"
		}
		if len(path) > 1 && path[0] == "sessions" {
			if i := p.sessionAt(off); i >= 0 {
				field = fmt.Sprintf("sessions[%d].%s", i, field)
			}
			if isListField(path[len(path)-1]) && typ.Type.Kind() == reflect.String {
				return errorAt(name, line, col, "%s: want an array of strings, got %s in the array", field, typ.Value)
			}
		}
		return errorAt(name, line, col, "%s: want %s, got %s", field, want, typ.Value)
	}
	return errorAt(name, 0, 0, "%v", err)
}

// describeJSONType says in words what JSON value a Go type takes.
func describeJSONType(t reflect.Type, got string) string {
	switch t.Kind() {
	case reflect.Pointer:
		return describeJSONType(t.Elem(), got)
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		if strings.HasPrefix(got, "number ") {
			return "a whole number"
		}
		return "a number"
	case reflect.Slice:
		if t.Elem().Kind() == reflect.String {
			return "an array of strings"
		}
		return "an array"
	case reflect.Struct, reflect.Map:
		return "an object"
	}
	return t.String()
}

// isListField reports whether field is one of the string lists of a
// session.
func isListField(field string) bool {
	switch field {
	case "tracks", "topics", "services", "roles", "industries", "speakers":
		return true
	}
	return false
}

// jsonPlaces finds where things are in a JSON catalog that has been
// decoded, to say where an error is. It is used only on the way to an
// error, so it walks the document again rather than slow down reading.
type jsonPlaces struct {
	data   []byte
	starts []int64 // offset of each element of "sessions"; nil until needed
}

// top returns the offset of the document's top-level value.
func (p *jsonPlaces) top() int64 { return skipJSONSpace(p.data, 0) }

// sessionStarts returns the offset of each element of the "sessions"
// array, as encoding/json matches keys: the last key that matches, case
// folded.
func (p *jsonPlaces) sessionStarts() []int64 {
	if p.starts == nil {
		p.starts = []int64{}
		for key, off := range jsonMembers(p.data, p.top()) {
			if strings.EqualFold(key, "sessions") && off < int64(len(p.data)) && p.data[off] == '[' {
				p.starts = slices.Collect(jsonElements(p.data, off))
			}
		}
	}
	return p.starts
}

// session returns the offset of session i.
func (p *jsonPlaces) session(i int) int64 {
	if s := p.sessionStarts(); i < len(s) {
		return s[i]
	}
	return p.top()
}

// sessionAt returns the index of the session holding offset off, or -1.
func (p *jsonPlaces) sessionAt(off int64) int {
	s := p.sessionStarts()
	return sort.Search(len(s), func(i int) bool { return s[i] > off }) - 1
}

// member returns the offset of the value of key in the object at obj, or
// obj when the object has no such key.
func (p *jsonPlaces) member(obj int64, key string) int64 {
	found := obj
	for k, off := range jsonMembers(p.data, obj) {
		if strings.EqualFold(k, key) {
			found = off
		}
	}
	return found
}

// valueStart returns where the JSON value that an UnmarshalTypeError
// reports ends at end (or just inside, for an object or array) starts.
func (p *jsonPlaces) valueStart(end int64) int64 {
	d := p.data
	i := max(0, min(end, int64(len(d))))
	if i == 0 {
		return 0
	}
	switch c := d[i-1]; {
	case c == '{' || c == '[':
		return i - 1
	case c == '"':
		// The opening quote is the nearest one before that is not escaped:
		// an escaped quote has an odd number of backslashes before it.
		for j := i - 2; j >= 0; j-- {
			if d[j] != '"' {
				continue
			}
			n := int64(0)
			for j-1-n >= 0 && d[j-1-n] == '\\' {
				n++
			}
			if n%2 == 0 {
				return j
			}
		}
		return 0
	case isJSONLiteralByte(c):
		for i > 0 && isJSONLiteralByte(d[i-1]) {
			i--
		}
		return i
	}
	return i
}

// isJSONLiteralByte reports whether c can be part of a number, true,
// false or null.
func isJSONLiteralByte(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c == '-' || c == '+' || c == '.' || c == 'E'
}

// jsonMembers yields each key of the valid JSON object at data[off:] with
// the offset of its value.
func jsonMembers(data []byte, off int64) iter.Seq2[string, int64] {
	return func(yield func(string, int64) bool) {
		if off >= int64(len(data)) || data[off] != '{' {
			return
		}
		dec := json.NewDecoder(bytes.NewReader(data[off:]))
		if _, err := dec.Token(); err != nil {
			return
		}
		for dec.More() {
			t, err := dec.Token()
			if err != nil {
				return
			}
			key, _ := t.(string)
			if !yield(key, skipJSONSpace(data, off+dec.InputOffset())) {
				return
			}
			var skip json.RawMessage
			if dec.Decode(&skip) != nil {
				return
			}
		}
	}
}

// jsonElements yields the offset of each element of the valid JSON array
// at data[off:].
func jsonElements(data []byte, off int64) iter.Seq[int64] {
	return func(yield func(int64) bool) {
		dec := json.NewDecoder(bytes.NewReader(data[off:]))
		if _, err := dec.Token(); err != nil {
			return
		}
		for dec.More() {
			if !yield(skipJSONSpace(data, off+dec.InputOffset())) {
				return
			}
			var skip json.RawMessage
			if dec.Decode(&skip) != nil {
				return
			}
		}
	}
}

// skipJSONSpace returns the offset of the first byte at or after off that
// is not white space or a separator.
func skipJSONSpace(data []byte, off int64) int64 {
	for off < int64(len(data)) {
		switch data[off] {
		case ' ', '\t', '\r', '\n', ':', ',':
			off++
		default:
			return off
		}
	}
	return off
}

// readAll reads r to the end in one buffer, sized up front when r is a
// regular file: a 5,000-session catalog is 7 MB, and growing a buffer to
// that size step by step costs more than decoding it.
func readAll(r io.Reader) ([]byte, error) {
	var buf bytes.Buffer
	if f, ok := r.(*os.File); ok {
		if st, err := f.Stat(); err == nil && st.Mode().IsRegular() {
			buf.Grow(int(st.Size()) + bytes.MinRead)
		}
	}
	_, err := buf.ReadFrom(r)
	return buf.Bytes(), err
}
