package catalog

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/reinvent-cli/reinvent/internal/testenv"
)

func TestFileSource(t *testing.T) {
	loc := testenv.Vegas
	dir := t.TempDir()
	upper := filepath.Join(dir, "SESSIONS.JSON")
	if err := os.WriteFile(upper, readFixture(t, "catalog-small.json"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		path, event string
	}{
		{"../../testdata/catalog-small.json", "reinvent2025"},
		{"../../testdata/catalog-small.csv", "asked-for"}, // a CSV file has no event: the one asked for
		{upper, "reinvent2025"},
	} {
		t.Run(filepath.Base(tt.path), func(t *testing.T) {
			src, err := NewFileSource(tt.path)
			if err != nil {
				t.Fatal(err)
			}
			if src.Name() != tt.path {
				t.Errorf("Name() = %q, want the path", src.Name())
			}
			var done, total int
			c, err := src.Fetch(context.Background(), FetchOptions{
				Event: "asked-for", Location: loc,
				Progress: func(d, n int) { done, total = d, n },
			})
			if err != nil {
				t.Fatal(err)
			}
			if c.Source != tt.path || c.Event != tt.event {
				t.Errorf("source, event = %q, %q; want %q, %q", c.Source, c.Event, tt.path, tt.event)
			}
			if c.FetchedAt.IsZero() {
				t.Error("no fetch time: want the file's, when it holds none")
			}
			if len(c.Sessions) != 5 || c.Sessions[0].Code != "SVS401" || c.Sessions[0].Start.Location() != loc {
				t.Errorf("got sessions %+v", c.Sessions)
			}
			if done != 5 || total != 5 {
				t.Errorf("progress %d/%d, want 5/5", done, total)
			}
		})
	}
}

func TestFileSourceErrors(t *testing.T) {
	for _, path := range []string{"sessions.txt", "sessions", "sessions.json.bak", "/dev/fd/63"} {
		if _, err := NewFileSource(path); err == nil || !strings.Contains(err.Error(), ".json or .csv") {
			t.Errorf("NewFileSource(%q) = %v, want an error that says the name must end in .json or .csv", path, err)
		}
	}
	if _, err := (&FileSource{Path: "sessions.txt"}).Fetch(context.Background(), FetchOptions{}); err == nil {
		t.Errorf("Fetch of sessions.txt succeeded")
	}

	missing := filepath.Join(t.TempDir(), "missing.csv")
	src, err := NewFileSource(missing)
	if err != nil {
		t.Fatal(err)
	}
	_, err = src.Fetch(context.Background(), FetchOptions{})
	if !errors.Is(err, fs.ErrNotExist) || !strings.Contains(err.Error(), missing) || !strings.Contains(err.Error(), "--source") ||
		strings.Contains(err.Error(), "\n") {
		t.Errorf("Fetch of a missing file: %v; want one line naming the file and --source", err)
	}

	bad := filepath.Join(t.TempDir(), "bad.json")
	if err := os.WriteFile(bad, []byte(`{"sessions": [{"code": "SVS 401"}]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err = (&FileSource{Path: bad}).Fetch(context.Background(), FetchOptions{})
	if err == nil || !strings.HasPrefix(err.Error(), bad+":1:24: sessions[0].code: ") {
		t.Errorf("Fetch of a bad file: %v; want the place in the file", err)
	}
}

// fifo returns the path of a new named pipe.
func fifo(t *testing.T, name string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := syscall.Mkfifo(path, 0o600); err != nil {
		t.Skipf("no FIFOs here: %v", err)
	}
	return path
}

type fetched struct {
	c   *Catalog
	err error
}

func fetchInBackground(ctx context.Context, path string) <-chan fetched {
	ch := make(chan fetched, 1)
	go func() {
		c, err := (&FileSource{Path: path}).Fetch(ctx, FetchOptions{})
		ch <- fetched{c, err}
	}()
	return ch
}

func TestFileSourceFIFO(t *testing.T) {
	path := fifo(t, "sessions.csv")
	ch := fetchInBackground(context.Background(), path)
	w, err := os.OpenFile(path, os.O_WRONLY, 0) // waits for Fetch to open it
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.WriteString("code\nSVS401\n"); err != nil {
		t.Fatal(err)
	}
	w.Close()
	r := <-ch
	if r.err != nil || len(r.c.Sessions) != 1 {
		t.Fatalf("Fetch from a FIFO: %+v, %v", r.c, r.err)
	}
}

func TestFileSourceCancelWhileReading(t *testing.T) {
	path := fifo(t, "sessions.json")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ch := fetchInBackground(ctx, path)
	w, err := os.OpenFile(path, os.O_WRONLY, 0) // waits for Fetch to open it
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	if _, err := w.WriteString(`{"sessions": [`); err != nil {
		t.Fatal(err)
	}
	cancel() // the writer is still open: only the cancel can end the read
	r := <-ch
	if !errors.Is(r.err, context.Canceled) || r.c != nil {
		t.Fatalf("Fetch = %+v, %v; want context.Canceled", r.c, r.err)
	}
}

func TestFileSourceCancelWhileOpening(t *testing.T) {
	path := fifo(t, "sessions.json")
	ctx, cancel := context.WithCancel(context.Background())
	ch := fetchInBackground(ctx, path)
	cancel() // nothing ever opens the FIFO for writing while Fetch waits
	r := <-ch
	if !errors.Is(r.err, context.Canceled) || r.c != nil {
		t.Fatalf("Fetch = %+v, %v; want context.Canceled", r.c, r.err)
	}
	// Let an open that Fetch gave up on finish, so that it closes the file.
	// (On Linux, opening a FIFO for reading and writing does not wait.)
	w, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	w.Close()
}
