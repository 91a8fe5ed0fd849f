package store

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/reinvent-cli/reinvent/internal/catalogtest"
	"github.com/reinvent-cli/reinvent/pkg/catalog"
)

const event = "reinvent2026"

// openAt opens a store at path, migrated only up to schema version target.
func openAt(t testing.TB, path string, target int) *Store {
	t.Helper()
	s, err := open(context.Background(), path, target)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// newStore opens a new store in a fresh directory.
func newStore(t testing.TB) *Store {
	t.Helper()
	return openAt(t, filepath.Join(t.TempDir(), "data", "reinvent.db"), len(migrations))
}

// session returns a normalised session scheduled at 10:00 on Monday of
// re:Invent week in Las Vegas.
func session(code, title string) catalog.Session {
	return catalogtest.Session(catalog.Session{
		Code: code, Title: title, Abstract: "An abstract of " + title + ".", Type: "Breakout session",
		Level: 300, Tracks: []string{"Architecture"}, Speakers: []string{"Ada Lovelace"},
		Venue: "Venetian", Room: "Lando 4301",
	})
}

// pragma reads an integer or text PRAGMA of s.
func pragma[T any](t *testing.T, s *Store, name string) T {
	t.Helper()
	var v T
	if err := s.db.QueryRow("PRAGMA " + name).Scan(&v); err != nil {
		t.Fatal(err)
	}
	return v
}

// readFile returns the bytes of path.
func readFile(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// rawExec runs SQL on path without the store, as another program would.
func rawExec(t *testing.T, path string, query string) {
	t.Helper()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(query); err != nil {
		t.Fatal(err)
	}
}

func TestOpenCreatesPrivateWALStore(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "a", "b")
	path := filepath.Join(dir, "reinvent.db")
	s := openAt(t, path, len(migrations))
	for p, want := range map[string]os.FileMode{dir: 0o700, path: 0o600} {
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if got := fi.Mode().Perm(); got != want {
			t.Errorf("%s: mode %v, want %v", p, got, want)
		}
	}
	if got := pragma[string](t, s, "journal_mode"); got != "wal" {
		t.Errorf("journal_mode = %q, want wal", got)
	}
	if got := pragma[int](t, s, "user_version"); got != len(migrations) {
		t.Errorf("user_version = %d, want %d", got, len(migrations))
	}
	if got := pragma[int](t, s, "foreign_keys"); got != 1 {
		t.Errorf("foreign_keys = %d, want 1", got)
	}
	if got := pragma[int](t, s, "synchronous"); got != 1 {
		t.Errorf("synchronous = %d, want 1 (NORMAL; only the webhook's intake syncs)", got)
	}
	// A durable write leaves its connection as it found it.
	if _, err := s.EnqueueBatch(context.Background(), []Job{{ID: "1", UserID: "u"}}, 0, time.Hour); err != nil {
		t.Fatal(err)
	}
	for range 8 {
		if got := pragma[int](t, s, "synchronous"); got != 1 {
			t.Errorf("after a durable write, a connection has synchronous = %d", got)
		}
	}
}

// populate records a little of everything the schema version of s holds.
func populate(t *testing.T, s *Store, ver int) {
	t.Helper()
	ctx := context.Background()
	if ver >= 1 {
		a, b := session("ARC302", "Old title"), session("SVS401", "Serverless")
		_, err := s.Record(ctx, Run{Event: event, Source: "sample", Sessions: []catalog.Session{a, b},
			Changes: []Change{{Code: "ARC302", Kind: KindNew, Post: "NEW ARC302 #reInvent"}}})
		if err != nil {
			t.Fatal(err)
		}
	}
	if ver >= 2 {
		if _, err := s.Enqueue(ctx, Job{ID: "100", UserID: "7", User: "ada", Text: "@bot ARC302"}, 5, time.Hour); err != nil {
			t.Fatal(err)
		}
	}
	if ver >= 6 {
		c, d := session("DAT301", "Databases"), session("API304", "APIs")
		_, err := s.Record(ctx, Run{Event: event, Source: "sample", Sessions: []catalog.Session{c, d},
			Changes: []Change{{Code: "DAT301", Kind: KindNew}, {Code: "API304", Kind: KindNew}},
			Digests: []Digest{{Kind: KindNew, Text: "NEW #reInvent 2 sessions: API304 APIs; DAT301 Databases", Codes: []string{"API304", "DAT301"}}}})
		if err != nil {
			t.Fatal(err)
		}
	}
	if ver >= 7 {
		err := s.RecordFollow(ctx, event, []byte(`{}`), []NewNotice{{NoticeID: "n1", Kind: "moved", Code: "ARC302", Data: []byte(`{}`)}}, []string{"k"}, time.Now())
		if err != nil {
			t.Fatal(err)
		}
	}
}

func TestMigrateFromEveryVersionKeepsData(t *testing.T) {
	ctx := context.Background()
	type migrationCase struct {
		name    string
		from    int
		prepare func(t *testing.T, path string)
	}
	cases := []migrationCase{
		{"schema 0, empty file", 0, func(t *testing.T, path string) {
			if err := os.WriteFile(path, nil, 0o600); err != nil {
				t.Fatal(err)
			}
		}},
		{"schema 0, sqlite file without tables", 0, func(t *testing.T, path string) {
			rawExec(t, path, "CREATE TABLE x (a); DROP TABLE x")
		}},
	}
	for from := 1; from < len(migrations); from++ {
		cases = append(cases, migrationCase{fmt.Sprintf("schema %d", from), from, func(t *testing.T, path string) {
			old := openAt(t, path, from)
			populate(t, old, from)
			if err := old.Close(); err != nil {
				t.Fatal(err)
			}
		}})
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "reinvent.db")
			c.prepare(t, path)
			s := openAt(t, path, len(migrations))
			if got := pragma[int](t, s, "user_version"); got != len(migrations) {
				t.Fatalf("user_version = %d after Open, want %d", got, len(migrations))
			}
			if c.from >= 1 {
				vs, err := s.Versions(ctx, event, "ARC302")
				if err != nil || len(vs) != 1 || vs[0].Session.Title != "Old title" {
					t.Errorf("versions of ARC302 after migration = %+v, %v", vs, err)
				}
				want := 1 // ARC302's post, and from schema 6 on, a digest
				if c.from >= 6 {
					want = 2
				}
				if p, err := s.Pending(ctx, event); err != nil || len(p) != want {
					t.Errorf("pending after migration = %+v, %v", p, err)
				}
			}
			// The latest schema is complete: every part of it works.
			populate(t, s, len(migrations))
		})
	}
}

func TestOpenNewerSchemaWritesNothing(t *testing.T) {
	path := filepath.Join(t.TempDir(), "reinvent.db")
	s := openAt(t, path, len(migrations))
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	rawExec(t, path, "PRAGMA user_version = 99")
	before := readFile(t, path)
	_, err := Open(context.Background(), path)
	if !errors.Is(err, ErrNewerSchema) {
		t.Fatalf("Open = %v, want ErrNewerSchema", err)
	}
	for _, want := range []string{"schema 99", fmt.Sprintf("knows %d", len(migrations)), "upgrade reinvent or choose another --db"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not say %q", err, want)
		}
	}
	if !bytes.Equal(readFile(t, path), before) {
		t.Error("a refused Open changed the file")
	}
}

func TestOpenNotStoreWritesNothing(t *testing.T) {
	cases := map[string]func(t *testing.T, path string){
		"text file": func(t *testing.T, path string) {
			if err := os.WriteFile(path, []byte("code,title\nARC302,x\n"), 0o600); err != nil {
				t.Fatal(err)
			}
		},
		"sqlite header then garbage": func(t *testing.T, path string) {
			b := append([]byte("SQLite format 3\x00"), bytes.Repeat([]byte{0xa5}, 4096)...)
			if err := os.WriteFile(path, b, 0o600); err != nil {
				t.Fatal(err)
			}
		},
		"database of another program": func(t *testing.T, path string) {
			rawExec(t, path, "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT); INSERT INTO notes (body) VALUES ('keep me')")
		},
		"another program's schema version": func(t *testing.T, path string) {
			rawExec(t, path, "CREATE TABLE notes (body TEXT); PRAGMA user_version = 1")
		},
	}
	for name, make := range cases {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "reinvent.db")
			make(t, path)
			before := readFile(t, path)
			_, err := Open(context.Background(), path)
			if !errors.Is(err, ErrNotStore) {
				t.Fatalf("Open = %v, want ErrNotStore", err)
			}
			if !strings.Contains(err.Error(), "move it aside or choose another --db") {
				t.Errorf("error %q does not say what to do", err)
			}
			if !bytes.Equal(readFile(t, path), before) {
				t.Error("a refused Open changed the file")
			}
		})
	}
}

func TestOpenUnwritableLocation(t *testing.T) {
	dir := t.TempDir()
	notDir := filepath.Join(dir, "file")
	if err := os.WriteFile(notDir, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	paths := []string{filepath.Join(notDir, "reinvent.db")}
	if os.Geteuid() != 0 { // root may write anywhere
		ro := filepath.Join(dir, "ro")
		if err := os.Mkdir(ro, 0o500); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, filepath.Join(ro, "reinvent.db"), filepath.Join(ro, "sub", "reinvent.db"))
	}
	for _, path := range paths {
		_, err := Open(context.Background(), path)
		if err == nil {
			t.Fatalf("Open(%s) succeeded", path)
		}
		if !strings.Contains(err.Error(), "create store") {
			t.Errorf("Open(%s) = %q, want an error saying the store could not be created", path, err)
		}
	}
}

func TestReadingLeavesFileUnchanged(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "reinvent.db")
	s := openAt(t, path, len(migrations))
	populate(t, s, len(migrations))
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	before := readFile(t, path)

	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	h, err := s.Heads(ctx, event)
	if err != nil || h.Len() != 4 {
		t.Fatalf("Heads = %v, %v", h, err)
	}
	if _, err := h.Session("ARC302"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Record(ctx, Run{Event: event, Source: "sample"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Versions(ctx, event, "SVS401"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Pending(ctx, event); err != nil {
		t.Fatal(err)
	}
	if _, _, _, err := s.Counts(ctx, event); err != nil {
		t.Fatal(err)
	}
	if _, err := s.JobByID(ctx, "100"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.NextDue(ctx); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(readFile(t, path), before) {
		t.Error("opening, reading and closing an up-to-date store changed the file")
	}
}

func FuzzOpen(f *testing.F) {
	f.Add([]byte{})
	f.Add([]byte("not a database"))
	f.Add([]byte("SQLite format 3\x00"))
	f.Add(append([]byte("SQLite format 3\x00\x10\x00\x01\x01"), make([]byte, 200)...))
	f.Fuzz(func(t *testing.T, data []byte) {
		path := filepath.Join(t.TempDir(), "reinvent.db")
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		s, err := Open(context.Background(), path)
		if err == nil {
			s.Close()
			return
		}
		if !errors.Is(err, ErrNotStore) && !errors.Is(err, ErrNewerSchema) {
			t.Errorf("Open = %v, want ErrNotStore or ErrNewerSchema", err)
		}
		if !bytes.Equal(readFile(t, path), data) {
			t.Error("a refused Open changed the file")
		}
	})
}
