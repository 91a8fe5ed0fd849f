// Package store is reinvent's SQLite store: session versions, changes, the
// outbox of posts, and the webhook's job queue.
package store

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// ErrNotStore is wrapped by the error of Open when the file is not a SQLite
// database, is corrupt, or is a SQLite database of some other program.
var ErrNotStore = errors.New("not a reinvent store")

// ErrNewerSchema is wrapped by the error of Open when the file was migrated
// by a newer reinvent than this one.
var ErrNewerSchema = errors.New("written by a newer reinvent")

// ErrNotFound is wrapped by the errors of look-ups that found nothing.
var ErrNotFound = errors.New("not found")

// appID is the SQLite application_id ("rInv") that marks a file as a
// reinvent store, so a foreign database that happens to carry a
// user_version is not mistaken for one.
const appID = 0x72496e76

// Store is an open reinvent store. It is safe for concurrent use; write
// transactions of one Store are serialised in process, and those of other
// processes wait up to the busy timeout.
type Store struct {
	db   *sql.DB
	path string
	// wsem serialises the write transactions of this Store, so its
	// goroutines queue here instead of in SQLite's busy handler.
	wsem chan struct{}
}

// Open opens the store at path, creating the file (mode 0600) and its
// directory (0700) if they are missing, and migrating the schema to the
// latest version. It writes nothing to a file it refuses: one that is not
// a reinvent store (ErrNotStore) or one of a newer schema (ErrNewerSchema).
// An up-to-date store that is only read is left byte-for-byte unchanged.
func Open(ctx context.Context, path string) (*Store, error) {
	return open(ctx, path, len(migrations))
}

// open opens the store at path and migrates it up to schema version target,
// which tests set below the latest to build old stores.
func open(ctx context.Context, path string, target int) (*Store, error) {
	if err := prepareFile(path); err != nil {
		return nil, err
	}
	db, err := sql.Open("sqlite", dsn(path))
	if err != nil {
		return nil, fmt.Errorf("open store %s: %w", path, err)
	}
	db.SetMaxOpenConns(8)
	db.SetMaxIdleConns(4)
	s := &Store{db: db, path: path, wsem: make(chan struct{}, 1)}
	if err := s.migrate(ctx, target); err != nil {
		db.Close()
		return nil, err
	}
	return s, nil
}

// Close closes the store. Locks taken with Lock stay held until their
// unlock functions run or the process exits.
func (s *Store) Close() error {
	if err := s.db.Close(); err != nil {
		return fmt.Errorf("close store %s: %w", s.path, err)
	}
	return nil
}

// Path returns the file the store was opened from.
func (s *Store) Path() string { return s.path }

// sqliteMagic starts every SQLite database file.
var sqliteMagic = []byte("SQLite format 3\x00")

// prepareFile makes sure path exists as a file that SQLite may open. A
// non-empty file without the SQLite header is refused before SQLite ever
// sees it.
func prepareFile(path string) error {
	fi, err := os.Stat(path)
	switch {
	case errors.Is(err, os.ErrNotExist) || errors.Is(err, syscall.ENOTDIR):
		if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
			return fmt.Errorf("create store directory: %w; choose a writable --db", err)
		}
		f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
		if errors.Is(err, os.ErrExist) {
			return prepareFile(path) // another process created it first
		}
		if err != nil {
			return fmt.Errorf("create store: %w; choose a writable --db", err)
		}
		if err := f.Close(); err != nil {
			return fmt.Errorf("create store: %w", err)
		}
		return nil
	case err != nil:
		return fmt.Errorf("open store: %w", err)
	case fi.IsDir():
		return fmt.Errorf("open store %s: is a directory; choose a file with --db", path)
	case fi.Size() == 0:
		return nil // an empty file is a store of schema version 0
	}
	// Opened for writing, though only read here: SQLite would open a file
	// it may not write read-only, create -wal and -shm files with the
	// file's read-only mode beside it and fail later, leaving them behind.
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if errors.Is(err, fs.ErrPermission) || errors.Is(err, syscall.EROFS) {
		return fmt.Errorf("open store %s: it is read-only (%v); make it writable, or choose another --db", path, errors.Unwrap(err))
	}
	if err != nil {
		return fmt.Errorf("open store: %w", err)
	}
	defer f.Close()
	head := make([]byte, len(sqliteMagic))
	if _, err := io.ReadFull(f, head); err != nil || !bytes.Equal(head, sqliteMagic) {
		return notStore(path, "file is not a database")
	}
	return nil
}

// dsn is the modernc.org/sqlite data source name for path. The pragmas are
// per connection and write nothing; journal_mode, which is persistent, is
// set by migrate only on a new file.
//
// synchronous is NORMAL: in WAL mode a commit then survives the process's
// death (kill -9) but not a power cut, which may undo the last commits.
// Every write of watch and of the webhook's workers is safe to undo that
// way: it is redone, and X's duplicate answer catches a post made twice.
// The one write that is not is the webhook's intake, after which X is told
// 200 and never redelivers: it syncs to disk (writeDurable).
func dsn(path string) string {
	abs, err := filepath.Abs(path)
	if err != nil {
		abs = path
	}
	u := url.URL{Scheme: "file", Path: filepath.ToSlash(abs)}
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "synchronous(NORMAL)")
	q.Set("_txlock", "immediate")
	u.RawQuery = q.Encode()
	return u.String()
}

// notStore returns the ErrNotStore error for path with SQLite's reason.
func notStore(path, reason string) error {
	return &openError{ErrNotStore, fmt.Sprintf("%s is not a reinvent store, or it is corrupt (%s); move it aside or choose another --db", path, reason)}
}

// openError is an error of Open that reads as one sentence about the file
// and still matches its sentinel with errors.Is.
type openError struct {
	kind error
	msg  string
}

func (e *openError) Error() string { return e.msg }
func (e *openError) Unwrap() error { return e.kind }

// isNotDB reports whether err is SQLite saying the file is not a database
// or is corrupt.
func isNotDB(err error) bool {
	var se *sqlite.Error
	if !errors.As(err, &se) {
		return false
	}
	switch se.Code() & 0xff {
	case sqlite3.SQLITE_NOTADB, sqlite3.SQLITE_CORRUPT:
		return true
	}
	return false
}

// write runs fn in one write transaction (BEGIN IMMEDIATE) and commits it,
// or rolls it back if fn or the commit fails.
func (s *Store) write(ctx context.Context, fn func(tx *sql.Tx) error) error {
	return s.writeOn(ctx, false, fn)
}

// writeDurable is write with the commit synced to disk (synchronous=FULL)
// before it returns, so that it survives a power cut.
func (s *Store) writeDurable(ctx context.Context, fn func(tx *sql.Tx) error) error {
	return s.writeOn(ctx, true, fn)
}

func (s *Store) writeOn(ctx context.Context, durable bool, fn func(tx *sql.Tx) error) (err error) {
	select {
	case s.wsem <- struct{}{}:
	case <-ctx.Done():
		return ctx.Err()
	}
	defer func() { <-s.wsem }()
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	if durable {
		if _, err := conn.ExecContext(ctx, "PRAGMA synchronous = FULL"); err != nil {
			return err
		}
		defer conn.ExecContext(context.WithoutCancel(ctx), "PRAGMA synchronous = NORMAL")
	}
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			tx.Rollback()
		}
	}()
	if err = fn(tx); err != nil {
		return err
	}
	return tx.Commit()
}

// nanos encodes t for an INTEGER column: Unix nanoseconds, 0 for the zero
// time.
func nanos(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixNano()
}

// fromNanos decodes what nanos encoded, in UTC.
func fromNanos(n int64) time.Time {
	if n == 0 {
		return time.Time{}
	}
	return time.Unix(0, n).UTC()
}

// updateOne runs an update that must change one row, named what in
// errors; no row is an error wrapping ErrNotFound.
func (s *Store) updateOne(ctx context.Context, what, query string, args ...any) error {
	err := s.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, query, args...)
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		if err == nil && n == 0 {
			err = ErrNotFound
		}
		return err
	})
	if err != nil {
		return fmt.Errorf("update %s: %w", what, err)
	}
	return nil
}

// upper returns the canonical (upper-case) form of a session code.
func upper(code string) string { return strings.ToUpper(strings.TrimSpace(code)) }
