package settings

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/reinvent-cli/reinvent/internal/yamlline"
)

// Key is a key of the config file and the line it is on.
type Key struct {
	Name string
	Line int
}

// FileKeys parses a config file and returns its keys in order, or a
// one-line error naming the file and the line where it goes wrong: YAML
// that does not parse, or a document that is not a mapping. An empty file
// or document has no keys. Whether a key names a setting is the caller's to
// say.
func FileKeys(path string, data []byte) ([]Key, error) {
	doc, err := parseYAML(data)
	if err != nil {
		return nil, yamlError(path, data, err)
	}
	if len(doc.Content) == 0 {
		return nil, nil // empty file
	}
	root := doc.Content[0]
	if root.Kind == yaml.ScalarNode && root.ShortTag() == "!!null" {
		return nil, nil // an empty document: "---", "~"
	}
	if root.Kind != yaml.MappingNode {
		return nil, fmt.Errorf("config file %s:%d: want a mapping of setting: value, like \"source: sample\"", path, root.Line)
	}
	var keys []Key
	for i := 0; i+1 < len(root.Content); i += 2 {
		keys = append(keys, Key{root.Content[i].Value, root.Content[i].Line})
	}
	return keys, nil
}

// parseYAML parses a YAML document, turning a panic of the library into an
// error.
func parseYAML(data []byte) (doc yaml.Node, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("yaml: %v", r)
		}
	}()
	err = yaml.Unmarshal(data, &doc)
	return doc, err
}

// yamlError is the one-line error for a config file YAML cannot parse, at
// the line where it goes wrong. The library's own "line N" is one too few
// for most errors and missing on line 1, so the line is found as the fewest
// leading lines of the file that fail the same way. A line indented with a
// tab is said to be: YAML forbids tabs there.
func yamlError(path string, data []byte, err error) error {
	n := yamlline.Find(data, func(prefix []byte) bool {
		_, e := parseYAML(prefix)
		return e != nil && e.Error() == err.Error()
	})
	line := data
	for range n - 1 {
		line = line[bytes.IndexByte(line, '\n')+1:]
	}
	if i := bytes.IndexByte(line, '\n'); i >= 0 {
		line = line[:i+1]
	}
	if indent := line[:len(line)-len(bytes.TrimLeft(line, " \t"))]; bytes.IndexByte(indent, '\t') >= 0 {
		return fmt.Errorf("config file %s:%d: the line is indented with a tab, which YAML forbids; indent with spaces", path, n)
	}
	msg := yamlLineRE.ReplaceAllString(strings.TrimPrefix(err.Error(), "yaml: "), "")
	return fmt.Errorf("config file %s:%d: invalid YAML: %s", path, n, msg)
}

// yamlLineRE matches the YAML library's own, unreliable, line number.
var yamlLineRE = regexp.MustCompile(`^line \d+: `)
