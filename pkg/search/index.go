package search

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	_ "modernc.org/sqlite" // the database/sql driver "sqlite", with FTS5

	"github.com/reinvent-cli/reinvent/pkg/catalog"
)

// indexVersion is part of every index's digest: a change to what is
// indexed or how (the columns, the tokenizer) changes it, so that an index
// of an older reinvent is never read.
const indexVersion = "search-2"

// keepIndexes is how many index files a directory keeps: those of the
// catalogs searched last (one per source and event in use, say), the
// oldest removed when a new one is built.
const keepIndexes = 4

// columns are the indexed fields, in the order of the FTS5 table's
// columns, with their weights in the BM25 score: a word in the code or the
// title counts more than one in the abstract (docs/search.md, "Ranking").
var columns = []struct {
	name   string
	weight float64
}{
	{"code", 10}, {"title", 5}, {"abstract", 1}, {"speakers", 3}, {"tracks", 2}, {"services", 2}, {"topics", 2},
}

// group is one base code of the catalog and its instances.
type group struct {
	base string
	// sessions are indices into the catalog's sessions, in time order, the
	// ones with no time last.
	sessions []int
}

// doc is the text of a group as the index holds it, one string per column.
func (ix *Index) doc(g *group) []string {
	first := &ix.cat.Sessions[g.sessions[0]]
	codes := []string{g.base}
	var speakers, tracks, services, topics []string
	for _, si := range g.sessions {
		s := &ix.cat.Sessions[si]
		codes = append(codes, s.Code)
		speakers, tracks = union(speakers, s.Speakers), union(tracks, s.Tracks)
		services, topics = union(services, s.Services), union(topics, s.Topics)
	}
	j := func(l []string) string { return strings.Join(l, "\n") }
	return []string{j(codes), first.Title, first.Abstract, j(speakers), j(tracks), j(services), j(topics)}
}

// union appends the values of add that list does not hold yet.
func union(list, add []string) []string {
	for _, a := range add {
		if !slices.Contains(list, a) {
			list = append(list, a)
		}
	}
	return list
}

// grouped groups the sessions of cat by base code, in the order of their
// first appearance, embargoed sessions left out.
func grouped(cat *catalog.Catalog) []group {
	var groups []group
	at := map[string]int{}
	for i := range cat.Sessions {
		s := &cat.Sessions[i]
		if s.Embargoed {
			continue
		}
		base := cmp.Or(s.BaseCode, s.Code)
		g, ok := at[base]
		if !ok {
			g = len(groups)
			at[base] = g
			groups = append(groups, group{base: base})
		}
		groups[g].sessions = append(groups[g].sessions, i)
	}
	for gi := range groups {
		slices.SortStableFunc(groups[gi].sessions, func(a, b int) int {
			return catalog.ByStart(&cat.Sessions[a], &cat.Sessions[b])
		})
	}
	return groups
}

// Open returns the index of cat. Its full-text part is opened at the
// first search with words: the one kept in dir when it was built from the
// same text, else a new one, kept there atomically (a reader sees a whole
// index or none); "" keeps it in memory, as does a directory that cannot
// be written. Several processes may open and build at once. Times are read
// in loc, the event's zone (nil: as they are).
func Open(ctx context.Context, cat *catalog.Catalog, dir string, loc *time.Location) (*Index, error) {
	return &Index{cat: cat, loc: loc, dir: dir, groups: grouped(cat)}, nil
}

// fts returns the full-text index, opened or built on first use.
func (ix *Index) fts(ctx context.Context) (*sql.DB, error) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if ix.db != nil {
		return ix.db, nil
	}
	digest := ix.digest()
	if ix.dir != "" {
		if db, err := openKept(ctx, ix.dir, digest, ix.docs); err == nil {
			ix.db = db
			return db, nil
		}
	}
	db, err := sql.Open("sqlite", ":memory:")
	if err != nil {
		return nil, fmt.Errorf("search index: %w", err)
	}
	db.SetMaxOpenConns(1) // each connection to :memory: is a database of its own
	if err := build(ctx, db, digest, ix.docs()); err != nil {
		db.Close()
		return nil, err
	}
	ix.db = db
	return db, nil
}

// digest identifies the text the index holds: two CRC-32s of different
// polynomials (Castagnoli and IEEE, both done by the processor, a tenth of
// the time of a SHA-256) and the length of indexVersion and the indexed
// fields of every session, group by group (doc makes the columns of those
// fields alone), in hex. It tells catalogs apart, not adversaries: an index
// file is the user's own.
func (ix *Index) digest() string {
	var c, e uint32
	var n uint64
	buf := append(make([]byte, 0, 64<<10), indexVersion...)
	flush := func() {
		c, e = crc32.Update(c, castagnoli(), buf), crc32.Update(e, crc32.IEEETable, buf)
		n += uint64(len(buf))
		buf = buf[:0]
	}
	put := func(s string) {
		if len(buf)+len(s)+binary.MaxVarintLen64 > cap(buf) {
			flush()
		}
		buf = binary.AppendUvarint(buf, uint64(len(s)))
		for len(s) > cap(buf)-len(buf) {
			k := cap(buf) - len(buf)
			buf = append(buf, s[:k]...)
			s = s[k:]
			flush()
		}
		buf = append(buf, s...)
	}
	for gi := range ix.groups {
		g := &ix.groups[gi]
		put(g.base)
		buf = binary.AppendUvarint(buf, uint64(len(g.sessions)))
		for _, si := range g.sessions {
			s := &ix.cat.Sessions[si]
			put(s.Code)
			put(s.Title)
			put(s.Abstract)
			for _, l := range [][]string{s.Speakers, s.Tracks, s.Services, s.Topics} {
				buf = binary.AppendUvarint(buf, uint64(len(l)))
				for _, v := range l {
					put(v)
				}
			}
		}
	}
	flush()
	return fmt.Sprintf("%08x%08x%016x", c, e, n)
}

// castagnoli is the CRC-32C table, made on first use: making it at start-up
// would cost every command a fifth of a millisecond.
var castagnoli = sync.OnceValue(func() *crc32.Table { return crc32.MakeTable(crc32.Castagnoli) })

// docs are the columns of every group, in order.
func (ix *Index) docs() [][]string {
	docs := make([][]string, len(ix.groups))
	for gi := range ix.groups {
		docs[gi] = ix.doc(&ix.groups[gi])
	}
	return docs
}

// openKept opens the index of digest in dir, building it first when dir
// has none that reads back the same digest.
func openKept(ctx context.Context, dir, digest string, docs func() [][]string) (*sql.DB, error) {
	path := filepath.Join(dir, "search-"+digest+".fts")
	if db, err := openFile(ctx, path, digest); err == nil {
		return db, nil
	} else if !errors.Is(err, fs.ErrNotExist) {
		os.Remove(path) // damaged, or not an index: built again below
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	tmp, err := os.CreateTemp(dir, ".search-*.tmp")
	if err != nil {
		return nil, err
	}
	tmp.Close()
	defer os.Remove(tmp.Name())
	db, err := sql.Open("sqlite", tmp.Name())
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(1)
	err = build(ctx, db, digest, docs())
	if cerr := db.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, err
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return nil, err
	}
	prune(dir, path)
	return openFile(ctx, path, digest)
}

// openFile opens the index file at path read-only, and checks that it is
// the index of digest. Index files are never changed once in place (a new
// catalog gets a new file), so they are opened immutable: no locks.
func openFile(ctx context.Context, path, digest string) (*sql.DB, error) {
	if _, err := os.Stat(path); err != nil {
		return nil, err
	}
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro&immutable=1")
	if err != nil {
		return nil, err
	}
	var got string
	if err := db.QueryRowContext(ctx, "SELECT digest FROM meta").Scan(&got); err != nil || got != digest {
		db.Close()
		return nil, fmt.Errorf("search index %s: not the index of this catalog", path)
	}
	return db, nil
}

// prune removes the index files of dir beyond the keepIndexes newest, and
// the temporary files of builds that did not finish, an hour old; never
// keep, the index just made.
func prune(dir, keep string) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	type file struct {
		path string
		mod  time.Time
	}
	var indexes []file
	for _, e := range entries {
		info, err := e.Info()
		if err != nil {
			continue
		}
		path := filepath.Join(dir, e.Name())
		switch {
		case strings.HasPrefix(e.Name(), ".search-") && time.Since(info.ModTime()) > time.Hour:
			os.Remove(path)
		case strings.HasPrefix(e.Name(), "search-") && strings.HasSuffix(e.Name(), ".fts") && path != keep:
			indexes = append(indexes, file{path, info.ModTime()})
		}
	}
	slices.SortFunc(indexes, func(a, b file) int { return b.mod.Compare(a.mod) })
	for _, f := range indexes[min(len(indexes), keepIndexes-1):] {
		os.Remove(f.path)
	}
}

// build makes the index of docs in db: an FTS5 table that keeps no copy of
// the text (an empty content option), its words folded for case and
// accents (unicode61 remove_diacritics 2); row n+1 is group n. It has no
// prefix indexes: a prefix query scans the terms, no slower at this size,
// and the build takes a third of the time (docs/search.md).
func build(ctx context.Context, db *sql.DB, digest string, docs [][]string) error {
	names := make([]string, len(columns))
	for i, c := range columns {
		names[i] = c.name
	}
	stmts := []string{
		"PRAGMA journal_mode=OFF",
		"PRAGMA synchronous=OFF",
		"CREATE TABLE meta(digest TEXT NOT NULL)",
		`CREATE VIRTUAL TABLE s USING fts5(` + strings.Join(names, ", ") +
			`, content='', tokenize='unicode61 remove_diacritics 2')`,
	}
	for _, q := range stmts {
		if _, err := db.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("search index: %w", err)
		}
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("search index: %w", err)
	}
	defer tx.Rollback()
	ins, err := tx.PrepareContext(ctx, "INSERT INTO s(rowid, "+strings.Join(names, ", ")+") VALUES (?"+strings.Repeat(", ?", len(names))+")")
	if err != nil {
		return fmt.Errorf("search index: %w", err)
	}
	args := make([]any, len(names)+1)
	for gi, d := range docs {
		args[0] = gi + 1
		for i, f := range d {
			args[i+1] = f
		}
		if _, err := ins.ExecContext(ctx, args...); err != nil {
			return fmt.Errorf("search index: %w", err)
		}
	}
	if _, err := tx.ExecContext(ctx, "INSERT INTO s(s) VALUES ('optimize')"); err != nil {
		return fmt.Errorf("search index: %w", err)
	}
	if _, err := tx.ExecContext(ctx, "INSERT INTO meta(digest) VALUES (?)", digest); err != nil {
		return fmt.Errorf("search index: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("search index: %w", err)
	}
	return nil
}

// bm25 is the score expression of the FTS5 table with the columns'
// weights, negated so that a better match scores higher.
var bm25 = func() string {
	w := make([]string, len(columns))
	for i, c := range columns {
		w[i] = fmt.Sprint(c.weight)
	}
	return "-bm25(s, " + strings.Join(w, ", ") + ")"
}()

// matches returns the groups whose text holds every word, with their
// scores.
func (ix *Index) matches(ctx context.Context, ws []string) (map[int]float64, error) {
	db, err := ix.fts(ctx)
	if err != nil {
		return nil, err
	}
	rows, err := db.QueryContext(ctx, "SELECT rowid, "+bm25+" FROM s WHERE s MATCH ?", match(ws))
	if err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	defer rows.Close()
	scores := map[int]float64{}
	for rows.Next() {
		var id int
		var score float64
		if err := rows.Scan(&id, &score); err != nil {
			return nil, fmt.Errorf("search: %w", err)
		}
		if id >= 1 && id <= len(ix.groups) {
			scores[id-1] = score
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	return scores, nil
}
