package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/reinvent-cli/reinvent/pkg/catalog"
)

// Version is one stored version of a session.
type Version struct {
	Event   string
	Code    string   // full code, upper case
	Seq     int      // 1, 2, ... per (event, code)
	Hash    [32]byte // SHA-256 of the canonical JSON of the session (see Hash)
	Removed bool     // a tombstone: the session disappeared
	// Session is the data of this version; a tombstone keeps the data the
	// session had when it disappeared. Times are in UTC.
	Session catalog.Session
	SeenAt  time.Time
}

// Hash returns the SHA-256 of the canonical JSON of s: json.Marshal of the
// session with its times in UTC and nil lists as empty ones, so sessions
// that are Equal hash the same.
func Hash(s *catalog.Session) [32]byte {
	return sha256.Sum256(canonical(s))
}

// canonical returns the canonical JSON of s, which is also what the store
// keeps as a version's data.
func canonical(s *catalog.Session) []byte {
	c := *s
	for _, l := range []*[]string{&c.Tracks, &c.Topics, &c.Services, &c.Roles, &c.Industries, &c.Speakers} {
		if *l == nil {
			*l = []string{}
		}
	}
	if !c.Start.IsZero() {
		c.Start = c.Start.UTC()
	}
	if !c.End.IsZero() {
		c.End = c.End.UTC()
	}
	b, err := json.Marshal(&c)
	if err != nil {
		// A Session holds only strings, numbers, bools, lists and times
		// within years 0-9999; nothing else can fail to marshal.
		panic(fmt.Sprintf("store: marshal session %s: %v", s.Code, err))
	}
	return b
}

// decodeSession decodes a version's data.
func decodeSession(data []byte) (catalog.Session, error) {
	var s catalog.Session
	if err := json.Unmarshal(data, &s); err != nil {
		return catalog.Session{}, fmt.Errorf("decode stored session: %w", err)
	}
	return s, nil
}

// head is the latest version of one code.
type head struct {
	code    string
	seq     int
	hash    [32]byte
	removed bool
}

// Heads is the latest version of each code of an event, read in one
// snapshot for diffing. Hashes and tombstone flags are in memory; session
// data is read and decoded only by Session, so diffing thousands of
// unchanged sessions decodes nothing.
type Heads struct {
	event string
	heads []head // sorted by code
	// load reads the data of version seq of code.
	load func(code string, seq int) ([]byte, error)
}

// Head is the latest version of one code, as a store lists it for
// NewHeads.
type Head struct {
	Code    string // upper case
	Seq     int
	Hash    [32]byte
	Removed bool
}

// NewHeads makes the Heads of event from the latest version of each of its
// codes, in any order; load reads the canonical JSON (as Hash hashes it) of
// one version's data when Session asks for it. It is how a store other
// than SQLite hands its heads to watch.
func NewHeads(event string, heads []Head, load func(code string, seq int) ([]byte, error)) *Heads {
	h := &Heads{event: event, load: load, heads: make([]head, len(heads))}
	for i, e := range heads {
		h.heads[i] = head{code: e.Code, seq: e.Seq, hash: e.Hash, removed: e.Removed}
	}
	slices.SortFunc(h.heads, func(a, b head) int { return strings.Compare(a.code, b.code) })
	return h
}

// Canonical returns the canonical JSON of s, the data a store keeps of a
// version and what Hash hashes.
func Canonical(s *catalog.Session) []byte { return canonical(s) }

// DecodeSession decodes a version's data as Canonical made it.
func DecodeSession(data []byte) (catalog.Session, error) { return decodeSession(data) }

// Heads reads the latest version of every code of event.
func (s *Store) Heads(ctx context.Context, event string) (*Heads, error) {
	rows, err := s.db.QueryContext(ctx,
		`SELECT code, seq, hash, removed FROM heads WHERE event = ? ORDER BY code`, event)
	if err != nil {
		return nil, fmt.Errorf("read heads of %s: %w", event, err)
	}
	defer rows.Close()
	h := &Heads{event: event, load: func(code string, seq int) ([]byte, error) {
		var data []byte
		err := s.db.QueryRow(`SELECT data FROM versions WHERE event = ? AND code = ? AND seq = ?`, event, code, seq).Scan(&data)
		return data, err
	}}
	var hash sql.RawBytes
	for rows.Next() {
		var e head
		if err := rows.Scan(&e.code, &e.seq, &hash, &e.removed); err != nil {
			return nil, fmt.Errorf("read heads of %s: %w", event, err)
		}
		copy(e.hash[:], hash)
		h.heads = append(h.heads, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read heads of %s: %w", event, err)
	}
	return h, nil
}

// Len returns the number of codes, tombstones included.
func (h *Heads) Len() int { return len(h.heads) }

// find returns the head of code.
func (h *Heads) find(code string) (*head, bool) {
	code = upper(code)
	i, ok := slices.BinarySearchFunc(h.heads, code, func(e head, c string) int { return strings.Compare(e.code, c) })
	if !ok {
		return nil, false
	}
	return &h.heads[i], true
}

// Get returns the hash of the latest version of code and whether it is a
// tombstone; ok is false for a code never seen.
func (h *Heads) Get(code string) (hash [32]byte, removed bool, ok bool) {
	e, ok := h.find(code)
	if !ok {
		return hash, false, false
	}
	return e.hash, e.removed, true
}

// Seq returns the Seq of the latest version of code, 0 for a code never
// seen; the version a run records next is Seq+1.
func (h *Heads) Seq(code string) int {
	if e, ok := h.find(code); ok {
		return e.seq
	}
	return 0
}

// Session reads and decodes the data of the latest version of code (for a
// tombstone, the data it had when it disappeared), with times in UTC. It
// reads the version Heads saw, even if a newer one was recorded since.
func (h *Heads) Session(code string) (catalog.Session, error) {
	e, ok := h.find(code)
	if !ok {
		return catalog.Session{}, fmt.Errorf("session %s of %s: %w", code, h.event, ErrNotFound)
	}
	data, err := h.load(e.code, e.seq)
	if err != nil {
		return catalog.Session{}, fmt.Errorf("read session %s of %s: %w", e.code, h.event, err)
	}
	return decodeSession(data)
}

// Codes returns every code, tombstones included, sorted.
func (h *Heads) Codes() []string {
	codes := make([]string, len(h.heads))
	for i, e := range h.heads {
		codes[i] = e.code
	}
	return codes
}

// Versions returns every stored version of code in event, oldest first.
func (s *Store) Versions(ctx context.Context, event, code string) ([]Version, error) {
	code = upper(code)
	rows, err := s.db.QueryContext(ctx,
		`SELECT seq, hash, removed, seen_at, data FROM versions WHERE event = ? AND code = ? ORDER BY seq`,
		event, code)
	if err != nil {
		return nil, fmt.Errorf("read versions of %s: %w", code, err)
	}
	defer rows.Close()
	var vs []Version
	for rows.Next() {
		v := Version{Event: event, Code: code}
		var hash, data []byte
		var seen int64
		if err := rows.Scan(&v.Seq, &hash, &v.Removed, &seen, &data); err != nil {
			return nil, fmt.Errorf("read versions of %s: %w", code, err)
		}
		copy(v.Hash[:], hash)
		v.SeenAt = fromNanos(seen)
		if v.Session, err = decodeSession(data); err != nil {
			return nil, fmt.Errorf("version %d of %s: %w", v.Seq, code, err)
		}
		vs = append(vs, v)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read versions of %s: %w", code, err)
	}
	return vs, nil
}
