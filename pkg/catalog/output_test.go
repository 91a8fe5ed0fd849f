package catalog

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

// TestOutputFormat: -o's extension picks the format unless one was given;
// a given format that contradicts it is an error naming both.
func TestOutputFormat(t *testing.T) {
	for _, c := range []struct {
		path, format string
		given        bool
		want, err    string
	}{
		{path: "", format: "csv", want: "csv"},
		{path: "-", format: "json", given: true, want: "json"},
		{path: "out/sessions.json", format: "csv", want: "json"},
		{path: "sessions.CSV", format: "json", want: "csv"},
		{path: "sessions.txt", format: "json", given: true, want: "json"},
		{path: "sessions.json", format: "json", given: true, want: "json"},
		{path: "sessions.json", format: "csv", given: true, err: "--format csv contradicts -o sessions.json, which names a JSON file: drop --format, or name the file *.csv"},
	} {
		got, err := OutputFormat(c.path, c.format, c.given)
		if c.err != "" {
			if err == nil || err.Error() != c.err {
				t.Errorf("OutputFormat(%q, %q, %v) = %q, %v; want error %q", c.path, c.format, c.given, got, err, c.err)
			}
			continue
		}
		if err != nil || got != c.want {
			t.Errorf("OutputFormat(%q, %q, %v) = %q, %v; want %q", c.path, c.format, c.given, got, err, c.want)
		}
	}
}

// TestWriteFormats: Write writes what WriteJSON and WriteCSV write.
func TestWriteFormats(t *testing.T) {
	c := &Catalog{Sessions: []Session{{Code: "SVS401", Title: "Serverless"}}}
	for format, write := range map[string]func(*bytes.Buffer) error{
		"json": func(b *bytes.Buffer) error { return WriteJSON(b, c, time.UTC) },
		"csv":  func(b *bytes.Buffer) error { return WriteCSV(b, c.Sessions, time.UTC) },
	} {
		var got, want bytes.Buffer
		if err := Write(&got, c, format, time.UTC); err != nil {
			t.Fatal(err)
		}
		if err := write(&want); err != nil {
			t.Fatal(err)
		}
		if got.String() != want.String() || !strings.Contains(got.String(), "SVS401") {
			t.Errorf("Write %s:\n%s\nwant:\n%s", format, got.String(), want.String())
		}
	}
}
