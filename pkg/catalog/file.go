package catalog

import (
	"bytes"
	"context"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"
	"unicode/utf8"
)

// FileSource reads a catalog from a .json or .csv file written by
// download, so that every command can work from a saved catalog.
type FileSource struct {
	Path string
}

// NewFileSource returns a source for the catalog file at path. It fails
// when the name does not end in .json or .csv, the two formats download
// writes; it does not look at the file.
func NewFileSource(path string) (*FileSource, error) {
	if _, err := fileFormat(path); err != nil {
		return nil, err
	}
	return &FileSource{Path: path}, nil
}

// Name returns the file's path, so that output says where sessions came
// from.
func (s *FileSource) Name() string { return s.Path }

// Fetch reads the whole file. The catalog's Source is the file's path; a
// JSON file keeps the event it was downloaded for. Fetch returns ctx.Err()
// when ctx is done before the file has been read, which matters for a FIFO
// or a pipe whose writer is slow.
func (s *FileSource) Fetch(ctx context.Context, opts FetchOptions) (*Catalog, error) {
	read, err := fileFormat(s.Path)
	if err != nil {
		return nil, err
	}
	f, err := openContext(ctx, s.Path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	// A read deadline wakes a read blocked on a FIFO or pipe. Regular files
	// have no deadlines (os.ErrNoDeadline); their reads do not block.
	stop := context.AfterFunc(ctx, func() { _ = f.SetReadDeadline(time.Now()) })
	defer stop()

	c, err := read(f, s.Path, opts.Location)
	if ctxErr := ctx.Err(); ctxErr != nil {
		return nil, ctxErr
	}
	if err != nil {
		return nil, err
	}
	s.finish(c, opts, f.Stat)
	return c, nil
}

// finish fills in what the file could not say. A CSV file holds no event
// or fetch time (and a JSON file may lack them): what is known stands in,
// the event asked for and when the file was last written, so that no zero
// time is ever passed on.
func (s *FileSource) finish(c *Catalog, opts FetchOptions, stat func() (os.FileInfo, error)) {
	c.Source = s.Path
	if c.Event == "" {
		c.Event = opts.Event
	}
	if c.FetchedAt.IsZero() {
		if fi, err := stat(); err == nil && fi.Mode().IsRegular() {
			c.FetchedAt = fi.ModTime().UTC().Truncate(time.Second)
		}
	}
	if opts.Progress != nil {
		opts.Progress(len(c.Sessions), len(c.Sessions))
	}
}

// Stamp identifies the file without reading it: its size, modification
// time and, where the system has them, device, inode and change time
// (ctime, which nothing but a change of the file sets). changed is the
// last time the file changed as far as Stamp can tell; a stamp is trusted
// only for a file that had not changed for a while when it was taken
// (docs/cache.md). meta is "" for what is not a regular file (a FIFO, a
// device), whose content cannot be told before it is read.
func (s *FileSource) Stamp() (meta string, changed time.Time, err error) {
	fi, err := os.Stat(s.Path)
	if err != nil {
		return "", time.Time{}, fmt.Errorf("open catalog file: %w; check the --source path", err)
	}
	if !fi.Mode().IsRegular() {
		return "", time.Time{}, nil
	}
	sys, ctime := sysStamp(fi)
	changed = fi.ModTime()
	if ctime.IsZero() {
		changed = time.Now() // without a change time, never settled
	} else if ctime.After(changed) {
		changed = ctime
	}
	return fmt.Sprintf("%d %d %s", fi.Size(), fi.ModTime().UnixNano(), sys), changed, nil
}

// Sum returns the CRC-32C of the file's bytes, which tells its content
// when Stamp cannot be trusted.
func (s *FileSource) Sum() (string, error) {
	f, err := os.Open(s.Path)
	if err != nil {
		return "", fmt.Errorf("open catalog file: %w; check the --source path", err)
	}
	defer f.Close()
	h := crc32.New(castagnoli())
	if _, err := io.Copy(h, f); err != nil {
		return "", fmt.Errorf("read catalog file %s: %w", s.Path, err)
	}
	return fmt.Sprintf("%08x", h.Sum32()), nil
}

// FetchSum reads a regular file like Fetch and returns the Sum of the very
// bytes it decoded, so that a catalog is never cached under the sum of
// another content.
func (s *FileSource) FetchSum(ctx context.Context, opts FetchOptions) (*Catalog, string, error) {
	read, err := fileFormat(s.Path)
	if err != nil {
		return nil, "", err
	}
	data, err := os.ReadFile(s.Path)
	if err != nil {
		return nil, "", fmt.Errorf("open catalog file: %w; check the --source path", err)
	}
	if err := ctx.Err(); err != nil {
		return nil, "", err
	}
	c, err := read(bytes.NewReader(data), s.Path, opts.Location)
	if err != nil {
		return nil, "", err
	}
	s.finish(c, opts, func() (os.FileInfo, error) { return os.Stat(s.Path) })
	return c, fmt.Sprintf("%08x", crc32.Checksum(data, castagnoli())), nil
}

// FileFormat is the format a catalog file's name says it holds: "json" for
// *.json, "csv" for *.csv, else "".
func FileFormat(path string) string {
	switch ext := strings.ToLower(filepath.Ext(path)); ext {
	case ".json", ".csv":
		return ext[1:]
	}
	return ""
}

// OutputFormat is the format of a download written to path: format when
// the name says none or the same, else the one the name says unless format
// was given (by flag, environment or config file). A format given that
// contradicts the name is an error, since the file would not read back as
// its name says.
func OutputFormat(path, format string, given bool) (string, error) {
	switch byExt := FileFormat(path); {
	case byExt == "" || byExt == format:
		return format, nil
	case !given:
		return byExt, nil
	default:
		return "", fmt.Errorf("--format %s contradicts -o %s, which names a %s file: drop --format, or name the file *.%s",
			format, path, strings.ToUpper(byExt), format)
	}
}

// Formats are the formats a download is written in (Write).
var Formats = []string{"csv", "json"}

// Write writes c as format "json" (WriteJSON), else as CSV (WriteCSV).
func Write(w io.Writer, c *Catalog, format string, loc *time.Location) error {
	if format == "json" {
		return WriteJSON(w, c, loc)
	}
	return WriteCSV(w, c.Sessions, loc)
}

// fileFormat returns the reader for the catalog file named path, chosen by
// its extension.
func fileFormat(path string) (func(io.Reader, string, *time.Location) (*Catalog, error), error) {
	switch FileFormat(path) {
	case "json":
		return ReadJSON, nil
	case "csv":
		return ReadCSV, nil
	}
	return nil, fmt.Errorf("catalog file %q: the name must end in .json or .csv, the formats reinvent download writes", path)
}

// openContext opens path for reading, giving up when ctx is done: opening
// a FIFO blocks until something opens it for writing.
func openContext(ctx context.Context, path string) (*os.File, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	type opened struct {
		f   *os.File
		err error
	}
	ch := make(chan opened, 1)
	go func() {
		f, err := os.Open(path)
		ch <- opened{f, err}
	}()
	select {
	case o := <-ch:
		if o.err != nil {
			return nil, fmt.Errorf("open catalog file: %w; check the --source path", o.err)
		}
		return o.f, nil
	case <-ctx.Done():
		// The open goes on until a writer shows up; close what it opens.
		go func() {
			if o := <-ch; o.f != nil {
				o.f.Close()
			}
		}()
		return nil, ctx.Err()
	}
}

// The rest of this file is shared by the JSON and CSV readers.

// utf8BOM is the byte order mark some editors (Excel) put at the start of
// a file. Readers drop it; positions are counted without it, as an editor
// shows them.
var utf8BOM = []byte("\xef\xbb\xbf")

// errorAt returns an error that starts with the file name and, when known
// (not 0), the 1-based line and byte column, like a compiler's.
func errorAt(name string, line, col int, format string, args ...any) error {
	switch {
	case line > 0 && col > 0:
		return fmt.Errorf("%s:%d:%d: "+format, append([]any{name, line, col}, args...)...)
	case line > 0:
		return fmt.Errorf("%s:%d: "+format, append([]any{name, line}, args...)...)
	}
	return fmt.Errorf("%s: "+format, append([]any{name}, args...)...)
}

// lineCol returns the 1-based line and byte column of offset off in data.
func lineCol(data []byte, off int64) (line, col int) {
	off = max(0, min(off, int64(len(data))))
	before := data[:off]
	line = 1 + bytes.Count(before, []byte{'\n'})
	col = len(before) - bytes.LastIndexByte(before, '\n')
	return line, col
}

// notUTF8 says what to do about a file that is not UTF-8, as both formats
// must be.
const notUTF8 = `not valid UTF-8; save the file as UTF-8 (in Excel: "CSV UTF-8")`

// invalidUTF8 returns the offset of the first byte of data that is not
// UTF-8, or -1.
func invalidUTF8(data []byte) int {
	if utf8.Valid(data) {
		return -1
	}
	for i := 0; i < len(data); {
		r, n := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && n == 1 {
			return i
		}
		i += n
	}
	return -1
}

// problem is what is wrong with one field of a session read from a file.
type problem struct {
	field string // the session's JSON name / CSV column, e.g. "start"
	msg   string
}

// Oldest and newest years a session time may have. Any time in this range
// can be written in any zone in both formats.
const minYear, maxYear = 1000, 9000

// checkSession reports the first thing that keeps s, as read from a file,
// from being a session: a missing or malformed code, an end before the
// start, or a time no file could hold. It returns nil for a good session.
// Duplicate codes are not its business: commands report them.
func checkSession(s *Session) *problem {
	if strings.TrimSpace(s.Code) == "" {
		return &problem{"code", "missing; every session needs a code like SVS401"}
	}
	c, err := ParseCode(s.Code)
	if err != nil {
		return &problem{"code", err.Error()}
	}
	code := c.String()
	for _, t := range []struct {
		field string
		t     time.Time
	}{{"start", s.Start}, {"end", s.End}} {
		if y := t.t.UTC().Year(); !t.t.IsZero() && (y < minYear || y > maxYear) {
			return &problem{t.field, fmt.Sprintf("year %d is out of range (%d-%d)", y, minYear, maxYear)}
		}
	}
	switch {
	case s.Start.IsZero() && !s.End.IsZero():
		return &problem{"end", fmt.Sprintf("%s has an end but no start", code)}
	case s.End.Before(s.Start) && !s.End.IsZero():
		return &problem{"end", fmt.Sprintf("%s ends at %s, before it starts at %s",
			code, s.End.Format(time.RFC3339), s.Start.Format(time.RFC3339))}
	}
	return nil
}
