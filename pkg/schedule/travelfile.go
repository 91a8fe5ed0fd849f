package schedule

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"

	"github.com/reinvent-cli/reinvent/internal/yamlline"
	"github.com/reinvent-cli/reinvent/pkg/catalog"
)

// travelPos is a place in a travel file; 1-based, 0 when unknown.
type travelPos struct{ line, col int }

// travelEntry is one "a: {b: minutes}" of a travel file.
type travelEntry struct {
	a, b       string
	apos, bpos travelPos
	minutes    int
	vpos       travelPos
}

// ParseTravel reads a travel file, YAML or JSON, of the shape
//
//	{"minutes": {"Venetian": {"Wynn": 25, ...}, ...}}
//
// name is the file's name for error messages, which are *TravelError and
// read "travel file name:line:column: what is wrong". Minutes are whole numbers from 0
// to MaxTravelMinutes. The table is symmetric: a pair may be given in both
// directions only with the same value. A venue may be paired with itself
// (the time to move between rooms of one venue). A file starting with '{'
// is read as JSON, anything else as YAML.
func ParseTravel(data []byte, name string) (*Travel, error) {
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	var (
		entries []travelEntry
		err     error
	)
	if t := bytes.TrimLeft(data, " \t\r\n"); len(t) > 0 && t[0] == '{' {
		entries, err = travelFromJSON(data, name)
	} else {
		entries, err = travelFromYAML(data, name)
	}
	if err != nil {
		return nil, err
	}
	return travelFromEntries(entries, name)
}

func travelErr(name string, p travelPos, format string, args ...any) *TravelError {
	return &TravelError{File: name, Line: p.line, Column: p.col, Msg: fmt.Sprintf(format, args...)}
}

// travelFromEntries checks the names and the symmetry and builds the table.
func travelFromEntries(entries []travelEntry, name string) (*Travel, error) {
	t := newTravel()
	t.lines = map[string]int{}
	seen := map[[2]string]travelEntry{}
	for _, e := range entries {
		ka, kb := catalog.VenueKey(e.a), catalog.VenueKey(e.b)
		if ka == "" {
			return nil, travelErr(name, e.apos, "empty venue name")
		}
		if kb == "" {
			return nil, travelErr(name, e.bpos, "empty venue name (paired with %q)", travelDisplay(e.a))
		}
		k := travelPairKey(ka, kb)
		if p, ok := seen[k]; ok {
			if p.minutes != e.minutes {
				return nil, travelErr(name, e.vpos,
					"%s→%s %d (line %d) but %s→%s %d: travel is symmetric, give the pair one value",
					travelDisplay(p.a), travelDisplay(p.b), p.minutes, p.vpos.line,
					travelDisplay(e.a), travelDisplay(e.b), e.minutes)
			}
		} else {
			seen[k] = e
		}
		t.set(e.a, ka, e.b, kb, e.minutes)
		for _, v := range []struct {
			k string
			p travelPos
		}{{ka, e.apos}, {kb, e.bpos}} {
			if _, ok := t.lines[v.k]; !ok {
				t.lines[v.k] = v.p.line
			}
		}
	}
	return t, nil
}

// travelCheckMinutes checks a whole number of minutes.
func travelCheckMinutes(name string, e travelEntry, v int64) (int, error) {
	switch {
	case v < 0:
		return 0, travelErr(name, e.vpos, "%s→%s: minutes must not be negative, got %d",
			travelDisplay(e.a), travelDisplay(e.b), v)
	case v > MaxTravelMinutes:
		return 0, travelErr(name, e.vpos, "%s→%s: minutes must be at most %d (a day), got %d",
			travelDisplay(e.a), travelDisplay(e.b), MaxTravelMinutes, v)
	}
	return int(v), nil
}

const travelShape = `{"minutes": {"Venetian": {"Wynn": 25, ...}, ...}}`

// --- YAML ---

var yamlBigIntRE = regexp.MustCompile(`^[-+]?[0-9]{19,}$`)

var yamlLineRE = regexp.MustCompile(`(?s)^(?:yaml: )?line (\d+): (.*)$`)

// travelFromYAML reads the entries of a YAML travel file.
func travelFromYAML(data []byte, name string) ([]travelEntry, error) {
	root, second, err := travelYAMLDocs(data)
	if err != nil {
		// The library's own line is one too few for most errors and
		// missing on line 1: it is left out of the message and found
		// again.
		msg := strings.TrimPrefix(err.Error(), "yaml: ")
		if m := yamlLineRE.FindStringSubmatch(err.Error()); m != nil {
			msg = m[2]
		}
		return nil, &TravelError{File: name, Line: travelYAMLErrorLine(data, err.Error()), Msg: "invalid YAML: " + msg}
	}
	if root == nil {
		return nil, travelErr(name, travelPos{1, 0}, "the file is empty; want %s", travelShape)
	}
	if second != nil {
		return nil, travelErr(name, travelPos{second.Line, 0}, "more than one YAML document; want one mapping %s", travelShape)
	}
	top := yamlResolve(root)
	if top.Kind != yaml.MappingNode {
		return nil, travelErr(name, yamlPos(root), "not a mapping: want %s, got %s", travelShape, yamlDescribe(top))
	}
	var (
		entries []travelEntry
		minutes *yaml.Node
	)
	for i := 0; i+1 < len(top.Content); i += 2 {
		k, v := top.Content[i], top.Content[i+1]
		key := yamlResolve(k)
		switch {
		case key.Kind != yaml.ScalarNode:
			return nil, travelErr(name, yamlPos(k), "a key must be a name, got %s", yamlDescribe(key))
		case key.ShortTag() == "!!merge":
			return nil, travelErr(name, yamlPos(k), "merge keys (<<) are not supported")
		case key.Value != "minutes":
			return nil, travelErr(name, yamlPos(k), "unknown key %q: the only key is \"minutes\"", key.Value)
		case minutes != nil:
			return nil, travelErr(name, yamlPos(k), "\"minutes\" given twice (first at line %d)", minutes.Line)
		}
		minutes = k
		mv := yamlResolve(v)
		if mv.Kind != yaml.MappingNode {
			return nil, travelErr(name, yamlPos(v), "\"minutes\" must be a mapping of venue to venue to minutes, got %s", yamlDescribe(mv))
		}
		for j := 0; j+1 < len(mv.Content); j += 2 {
			ak, av := mv.Content[j], mv.Content[j+1]
			a, err := yamlVenue(name, ak)
			if err != nil {
				return nil, err
			}
			inner := yamlResolve(av)
			if inner.Kind != yaml.MappingNode {
				return nil, travelErr(name, yamlPos(av), "%q must map to a mapping of venue to minutes, got %s", travelDisplay(a), yamlDescribe(inner))
			}
			for l := 0; l+1 < len(inner.Content); l += 2 {
				bk, bv := inner.Content[l], inner.Content[l+1]
				b, err := yamlVenue(name, bk)
				if err != nil {
					return nil, err
				}
				e := travelEntry{a: a, b: b, apos: yamlPos(ak), bpos: yamlPos(bk), vpos: yamlPos(bv)}
				val := yamlResolve(bv)
				if val.Kind == yaml.ScalarNode && val.Style == 0 && yamlBigIntRE.MatchString(val.Value) {
					// Digits too many for the library's integers.
					if strings.HasPrefix(val.Value, "-") {
						return nil, travelErr(name, e.vpos, "%s→%s: minutes must not be negative, got %s",
							travelDisplay(a), travelDisplay(b), val.Value)
					}
					return nil, travelErr(name, e.vpos, "%s→%s: minutes must be at most %d (a day), got %s",
						travelDisplay(a), travelDisplay(b), MaxTravelMinutes, val.Value)
				}
				if val.Kind != yaml.ScalarNode || val.ShortTag() != "!!int" {
					return nil, travelErr(name, e.vpos, "%s→%s: minutes must be a whole number, got %s",
						travelDisplay(a), travelDisplay(b), yamlDescribe(val))
				}
				var n int64
				if err := val.Decode(&n); err != nil {
					return nil, travelErr(name, e.vpos, "%s→%s: minutes must be at most %d (a day), got %s",
						travelDisplay(a), travelDisplay(b), MaxTravelMinutes, val.Value)
				}
				if e.minutes, err = travelCheckMinutes(name, e, n); err != nil {
					return nil, err
				}
				if len(entries) >= maxTravelEntries {
					return nil, travelErr(name, e.vpos, "more than %d pairs", maxTravelEntries)
				}
				entries = append(entries, e)
			}
		}
	}
	return entries, nil
}

// travelYAMLDocs parses the first YAML document and, if there is one, the
// start of a second. It turns a panic of the YAML library into an error.
func travelYAMLDocs(data []byte) (root, second *yaml.Node, err error) {
	defer func() {
		if r := recover(); r != nil {
			root, second, err = nil, nil, fmt.Errorf("yaml: %v", r)
		}
	}()
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, nil, nil
		}
		return nil, nil, err
	}
	if len(doc.Content) == 0 {
		return nil, nil, nil
	}
	var next yaml.Node
	switch err := dec.Decode(&next); {
	case errors.Is(err, io.EOF):
		return doc.Content[0], nil, nil
	case err != nil:
		return nil, nil, err
	}
	return doc.Content[0], &next, nil
}

// travelYAMLErrorLine finds the line of a YAML error: the fewest leading
// lines that give the same error. The library's "line N" counts from 0 for
// parser errors and is left out on line 1, for bad bytes and for unknown
// anchors.
func travelYAMLErrorLine(data []byte, msg string) int {
	return yamlline.Find(data, func(prefix []byte) bool {
		_, _, err := travelYAMLDocs(prefix)
		return err != nil && err.Error() == msg
	})
}

func yamlResolve(n *yaml.Node) *yaml.Node {
	for n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	if n.Kind == yaml.DocumentNode && len(n.Content) == 1 {
		return yamlResolve(n.Content[0])
	}
	return n
}

func yamlPos(n *yaml.Node) travelPos { return travelPos{n.Line, n.Column} }

// yamlVenue returns the venue name a key spells.
func yamlVenue(name string, k *yaml.Node) (string, error) {
	key := yamlResolve(k)
	switch {
	case key.Kind != yaml.ScalarNode:
		return "", travelErr(name, yamlPos(k), "a venue must be a name, got %s", yamlDescribe(key))
	case key.ShortTag() == "!!merge":
		return "", travelErr(name, yamlPos(k), "merge keys (<<) are not supported")
	case key.ShortTag() == "!!null":
		return "", travelErr(name, yamlPos(k), "empty venue name")
	}
	return key.Value, nil
}

func yamlDescribe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		switch n.ShortTag() {
		case "!!null":
			return "nothing"
		case "!!str":
			return fmt.Sprintf("the string %q", n.Value)
		case "!!int", "!!float":
			return n.Value
		case "!!bool":
			return "the boolean " + n.Value
		}
		return fmt.Sprintf("%s %q", n.ShortTag(), n.Value)
	}
	return "an alias"
}

// --- JSON ---

// travelJSON walks a JSON travel file token by token, to know where each
// token starts.
type travelJSON struct {
	name string
	data []byte
	dec  *json.Decoder
}

// travelFromJSON reads the entries of a JSON travel file.
func travelFromJSON(data []byte, name string) ([]travelEntry, error) {
	j := &travelJSON{name: name, data: data, dec: json.NewDecoder(bytes.NewReader(data))}
	j.dec.UseNumber()
	if _, _, err := j.next(); err != nil { // the '{' ParseTravel saw
		return nil, err
	}
	var (
		entries []travelEntry
		minutes *travelPos
	)
	for j.dec.More() {
		key, kpos, err := j.next()
		if err != nil {
			return nil, err
		}
		switch {
		case key != "minutes":
			return nil, travelErr(name, kpos, "unknown key %q: the only key is \"minutes\"", key)
		case minutes != nil:
			return nil, travelErr(name, kpos, "\"minutes\" given twice (first at line %d)", minutes.line)
		}
		minutes = &kpos
		tok, vpos, err := j.next()
		if err != nil {
			return nil, err
		}
		if tok != json.Delim('{') {
			return nil, travelErr(name, vpos, "\"minutes\" must be a mapping of venue to venue to minutes, got %s", jsonDescribe(tok))
		}
		for j.dec.More() {
			a, apos, err := j.next()
			if err != nil {
				return nil, err
			}
			tok, vpos, err := j.next()
			if err != nil {
				return nil, err
			}
			if tok != json.Delim('{') {
				return nil, travelErr(name, vpos, "%q must map to a mapping of venue to minutes, got %s", travelDisplay(a.(string)), jsonDescribe(tok))
			}
			for j.dec.More() {
				b, bpos, err := j.next()
				if err != nil {
					return nil, err
				}
				tok, vpos, err := j.next()
				if err != nil {
					return nil, err
				}
				e := travelEntry{a: a.(string), b: b.(string), apos: apos, bpos: bpos, vpos: vpos}
				num, ok := tok.(json.Number)
				if !ok {
					return nil, travelErr(name, vpos, "%s→%s: minutes must be a whole number, got %s",
						travelDisplay(e.a), travelDisplay(e.b), jsonDescribe(tok))
				}
				n, err := strconv.ParseInt(string(num), 10, 64)
				if err != nil {
					if errors.Is(err, strconv.ErrRange) {
						return nil, travelErr(name, vpos, "%s→%s: minutes must be at most %d (a day), got %s",
							travelDisplay(e.a), travelDisplay(e.b), MaxTravelMinutes, num)
					}
					return nil, travelErr(name, vpos, "%s→%s: minutes must be a whole number, got %s",
						travelDisplay(e.a), travelDisplay(e.b), num)
				}
				if e.minutes, err = travelCheckMinutes(name, e, n); err != nil {
					return nil, err
				}
				if len(entries) >= maxTravelEntries {
					return nil, travelErr(name, e.vpos, "more than %d pairs", maxTravelEntries)
				}
				entries = append(entries, e)
			}
			if _, _, err := j.next(); err != nil { // '}'
				return nil, err
			}
		}
		if _, _, err := j.next(); err != nil { // '}'
			return nil, err
		}
	}
	if _, _, err := j.next(); err != nil { // '}'
		return nil, err
	}
	if rest := bytes.TrimLeft(j.data[j.dec.InputOffset():], " \t\r\n"); len(rest) > 0 {
		p := j.pos(len(j.data) - len(rest))
		tok, err := j.dec.Token()
		if err != nil {
			return nil, j.syntaxError(err, p)
		}
		return nil, travelErr(name, p, "unexpected %s after the JSON object", jsonDescribe(tok))
	}
	return entries, nil
}

// next returns the next token and where it starts; errors are *TravelError.
func (j *travelJSON) next() (json.Token, travelPos, error) {
	off := int(j.dec.InputOffset())
	for off < len(j.data) && strings.IndexByte(" \t\r\n,:", j.data[off]) >= 0 {
		off++
	}
	pos := j.pos(off)
	tok, err := j.dec.Token()
	if err != nil {
		return nil, pos, j.syntaxError(err, pos)
	}
	return tok, pos, nil
}

// syntaxError turns an error of the token stream into a *TravelError. The
// decoder's offsets are not always from the start of the file, so the place
// comes from decoding the whole file at once, which stops at the same error.
func (j *travelJSON) syntaxError(err error, pos travelPos) error {
	var v any
	var se *json.SyntaxError
	if errors.As(json.Unmarshal(j.data, &v), &se) {
		// Offset counts the bytes read, the bad one included.
		p, msg := j.pos(int(se.Offset)-1), se.Error()
		if strings.HasPrefix(msg, "unexpected end") {
			p, msg = j.pos(len(j.data)), "unexpected end of input"
		}
		return &TravelError{File: j.name, Line: p.line, Column: p.col, Msg: "invalid JSON: " + msg}
	}
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		p := j.pos(len(j.data))
		return &TravelError{File: j.name, Line: p.line, Column: p.col, Msg: "invalid JSON: unexpected end of input"}
	}
	return &TravelError{File: j.name, Line: pos.line, Column: pos.col, Msg: "invalid JSON: " + err.Error()}
}

// pos turns a byte offset into a line and a column (in characters).
func (j *travelJSON) pos(off int) travelPos {
	off = max(0, min(off, len(j.data)))
	before := j.data[:off]
	line := bytes.Count(before, []byte("\n")) + 1
	start := bytes.LastIndexByte(before, '\n') + 1
	return travelPos{line, utf8.RuneCount(before[start:]) + 1}
}

func jsonDescribe(tok json.Token) string {
	switch v := tok.(type) {
	case json.Delim:
		switch v {
		case '{':
			return "a mapping"
		case '[':
			return "a list"
		}
		return fmt.Sprintf("%q", string(v))
	case string:
		return fmt.Sprintf("the string %q", v)
	case json.Number:
		return string(v)
	case bool:
		return fmt.Sprintf("the boolean %t", v)
	case nil:
		return "null"
	}
	return fmt.Sprint(tok)
}
