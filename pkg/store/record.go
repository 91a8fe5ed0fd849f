package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/reinvent-cli/reinvent/pkg/catalog"
)

// The kinds of Change.
const (
	KindNew        = "new"
	KindUpdated    = "updated"
	KindRemoved    = "removed"
	KindReappeared = "reappeared"
)

// Change is one change a watch run found in one session.
type Change struct {
	Code   string
	Kind   string         // KindNew, KindUpdated, KindRemoved or KindReappeared
	Fields []string       // for updated: the changed field names (snake_case, as in JSON)
	Old    map[string]any // field -> old value (JSON-able), for updated/removed
	New    map[string]any // field -> new value, for new/updated/reappeared
	// Post is the text of the change's own post; "" means it has no
	// outbox row of its own. Changes returns the text of the post that
	// carries the change, its own or a digest's.
	Post string
	// Posted is set by Changes when the post that carries the change, its
	// own or a digest's, is posted. Record ignores it.
	Posted bool
}

// Digest is one post that carries several changes of a run
// (docs/watch.md, "Digests"): one outbox row, posted once, after which
// every change it carries counts as posted.
type Digest struct {
	Kind string // the kind of the outbox row, that of its changes
	Text string
	// Codes are the codes of the changes it carries, in the order of its
	// text: changes of the same Run without a Post of their own, each in
	// at most one Digest.
	Codes []string
}

// Run is what one watch run records.
type Run struct {
	Event, Source string
	At            time.Time // when the catalog was fetched; zero means now
	// Finished is when the run finished comparing; zero means now.
	Finished time.Time
	// Sessions are the new versions to store: sessions that are new,
	// changed or reappeared, already normalised.
	Sessions []catalog.Session
	Removed  []string // codes to tombstone
	Changes  []Change
	// Digests are posts that carry several of Changes each.
	Digests []Digest
}

// ErrBadRun is wrapped by the errors of Record about a malformed Run, one
// that no store could record.
var ErrBadRun = errors.New("bad run")

// Record stores r in one transaction: a version for every session in
// r.Sessions (Seq one more than the code's last), a tombstone for every
// code in r.Removed (keeping its last data), a run row, the change rows,
// a pending outbox row for every change with a Post and one for every
// Digest, linked to the changes it carries. It returns the run id. A run with no versions and no changes writes nothing and returns
// 0. If anything fails, nothing at all is recorded.
func (s *Store) Record(ctx context.Context, r Run) (int64, error) {
	if len(r.Sessions) == 0 && len(r.Removed) == 0 && len(r.Changes) == 0 {
		return 0, nil
	}
	if err := r.check(); err != nil {
		return 0, err
	}
	now := time.Now()
	if r.At.IsZero() {
		r.At = now
	}
	if r.Finished.IsZero() {
		r.Finished = now
	}
	type encoded struct {
		code string
		hash [32]byte
		data []byte
	}
	enc := make([]encoded, len(r.Sessions))
	for i := range r.Sessions {
		data := canonical(&r.Sessions[i])
		enc[i] = encoded{code: upper(r.Sessions[i].Code), hash: sha256.Sum256(data), data: data}
	}
	posts := len(r.Digests)
	carrier := map[string]string{} // code -> the text of the digest that carries it
	for _, d := range r.Digests {
		for _, code := range d.Codes {
			carrier[upper(code)] = d.Text
		}
	}
	for _, c := range r.Changes {
		if c.Post != "" {
			posts++
		}
	}
	var runID int64
	err := s.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO runs (event, source, started_at, finished_at, sessions, removed, changes, posts)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
			r.Event, r.Source, nanos(r.At), nanos(r.Finished), len(r.Sessions), len(r.Removed), len(r.Changes), posts)
		if err != nil {
			return err
		}
		if runID, err = res.LastInsertId(); err != nil {
			return err
		}
		seen := nanos(r.At)
		for _, e := range enc {
			var seq int
			err := tx.QueryRowContext(ctx, `INSERT INTO heads (event, code, seq, hash, removed) VALUES (?, ?, 1, ?, 0)
				ON CONFLICT (event, code) DO UPDATE SET seq = seq + 1, hash = excluded.hash, removed = 0
				RETURNING seq`, r.Event, e.code, e.hash[:]).Scan(&seq)
			if err != nil {
				return fmt.Errorf("session %s: %w", e.code, err)
			}
			_, err = tx.ExecContext(ctx, `INSERT INTO versions (event, code, seq, run_id, hash, removed, seen_at, data)
				VALUES (?, ?, ?, ?, ?, 0, ?, ?)`, r.Event, e.code, seq, runID, e.hash[:], seen, e.data)
			if err != nil {
				return fmt.Errorf("session %s: %w", e.code, err)
			}
		}
		for _, code := range r.Removed {
			if err := tombstone(ctx, tx, r.Event, upper(code), runID, seen); err != nil {
				return err
			}
		}
		changeIDs := make(map[string]int64, len(r.Changes))
		for _, c := range r.Changes {
			id, err := insertChange(ctx, tx, r.Event, runID, seen, c, carrier[upper(c.Code)])
			if err != nil {
				return err
			}
			changeIDs[upper(c.Code)] = id
		}
		for _, d := range r.Digests {
			if err := insertDigest(ctx, tx, r.Event, runID, seen, d, changeIDs); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("record run of %s: %w", r.Event, err)
	}
	return runID, nil
}

// Check returns the error wrapping ErrBadRun that Record gives r when no
// store could record it, nil when it is well formed; every store checks a
// run with it.
func (r *Run) Check() error { return r.check() }

// check rejects runs that would store two versions of one code, a change
// of an unknown kind, or two changes of one code.
func (r *Run) check() error {
	if r.Event == "" {
		return fmt.Errorf("%w: no event", ErrBadRun)
	}
	seen := make(map[string]bool, len(r.Sessions)+len(r.Removed))
	for i := range r.Sessions {
		c := upper(r.Sessions[i].Code)
		if c == "" || seen[c] {
			return fmt.Errorf("%w: session code %q empty or given twice", ErrBadRun, c)
		}
		seen[c] = true
	}
	for _, c := range r.Removed {
		c = upper(c)
		if c == "" || seen[c] {
			return fmt.Errorf("%w: removed code %q empty or given twice", ErrBadRun, c)
		}
		seen[c] = true
	}
	changed := make(map[string]bool, len(r.Changes))
	own := make(map[string]bool, len(r.Changes)) // code -> has a post of its own
	for _, c := range r.Changes {
		switch c.Kind {
		case KindNew, KindUpdated, KindRemoved, KindReappeared:
		default:
			return fmt.Errorf("%w: change of %s has kind %q", ErrBadRun, c.Code, c.Kind)
		}
		code := upper(c.Code)
		if code == "" || changed[code] {
			return fmt.Errorf("%w: change code %q empty or given twice", ErrBadRun, code)
		}
		changed[code] = true
		own[code] = c.Post != ""
	}
	carried := map[string]bool{}
	for _, d := range r.Digests {
		switch d.Kind {
		case KindNew, KindUpdated, KindRemoved, KindReappeared:
		default:
			return fmt.Errorf("%w: digest has kind %q", ErrBadRun, d.Kind)
		}
		if d.Text == "" || len(d.Codes) == 0 {
			return fmt.Errorf("%w: digest without text or changes", ErrBadRun)
		}
		for _, code := range d.Codes {
			code = upper(code)
			switch hasPost, ok := own[code]; {
			case !ok:
				return fmt.Errorf("%w: digest carries %q, which is not a change of the run", ErrBadRun, code)
			case hasPost:
				return fmt.Errorf("%w: digest carries %s, which has a post of its own", ErrBadRun, code)
			case carried[code]:
				return fmt.Errorf("%w: two digests carry %s", ErrBadRun, code)
			}
			carried[code] = true
		}
	}
	return nil
}

// tombstone stores a removed version of code that keeps its last data.
func tombstone(ctx context.Context, tx *sql.Tx, event, code string, runID, seen int64) error {
	var seq int
	err := tx.QueryRowContext(ctx, `UPDATE heads SET seq = seq + 1, removed = 1
		WHERE event = ? AND code = ? AND removed = 0 RETURNING seq`, event, code).Scan(&seq)
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("%w: tombstone for %s, which is not a live session", ErrBadRun, code)
	}
	if err != nil {
		return fmt.Errorf("tombstone %s: %w", code, err)
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO versions (event, code, seq, run_id, hash, removed, seen_at, data)
		SELECT event, code, seq + 1, ?, hash, 1, ?, data FROM versions WHERE event = ? AND code = ? AND seq = ?`,
		runID, seen, event, code, seq-1)
	if err != nil {
		return fmt.Errorf("tombstone %s: %w", code, err)
	}
	return nil
}

// insertChange stores a change and, if it has a Post, its outbox row, and
// returns the change's id. digest is the text of the digest that carries
// it, if one does, kept as the change's post.
func insertChange(ctx context.Context, tx *sql.Tx, event string, runID, at int64, c Change, digest string) (int64, error) {
	code := upper(c.Code)
	fields, err := json.Marshal(c.Fields)
	if err != nil {
		return 0, fmt.Errorf("change of %s: %w", code, err)
	}
	if c.Fields == nil {
		fields = []byte("[]")
	}
	oldJSON, err := jsonOrNull(c.Old)
	if err != nil {
		return 0, fmt.Errorf("change of %s: old values: %w", code, err)
	}
	newJSON, err := jsonOrNull(c.New)
	if err != nil {
		return 0, fmt.Errorf("change of %s: new values: %w", code, err)
	}
	post := c.Post
	if post == "" {
		post = digest
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO changes (run_id, event, code, kind, fields, old, new, post)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, runID, event, code, c.Kind, string(fields), oldJSON, newJSON, post)
	if err != nil {
		return 0, fmt.Errorf("change of %s: %w", code, err)
	}
	changeID, err := res.LastInsertId()
	if err != nil {
		return 0, err
	}
	if c.Post == "" {
		return changeID, nil
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO outbox (change_id, run_id, event, code, kind, text, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, changeID, runID, event, code, c.Kind, c.Post, at)
	if err != nil {
		return 0, fmt.Errorf("outbox row of %s: %w", code, err)
	}
	return changeID, nil
}

// insertDigest stores the outbox row of digest d, whose change_id is its
// first change, and links it to every change it carries; changeIDs are
// the ids of the run's changes by code.
func insertDigest(ctx context.Context, tx *sql.Tx, event string, runID, at int64, d Digest, changeIDs map[string]int64) error {
	first := upper(d.Codes[0])
	var outboxID int64
	err := tx.QueryRowContext(ctx, `INSERT INTO outbox (change_id, run_id, event, code, kind, text, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`, changeIDs[first], runID, event, first, d.Kind, d.Text, at).Scan(&outboxID)
	if err != nil {
		return fmt.Errorf("outbox row of the digest of %s: %w", first, err)
	}
	for pos, code := range d.Codes {
		_, err := tx.ExecContext(ctx, `INSERT INTO outbox_changes (outbox_id, pos, change_id) VALUES (?, ?, ?)`,
			outboxID, pos, changeIDs[upper(code)])
		if err != nil {
			return fmt.Errorf("link the digest of %s to %s: %w", first, upper(code), err)
		}
	}
	return nil
}

// jsonOrNull encodes m as JSON, or SQL NULL when m is nil.
func jsonOrNull(m map[string]any) (any, error) {
	if m == nil {
		return nil, nil
	}
	b, err := json.Marshal(m)
	if err != nil {
		return nil, err
	}
	return string(b), nil
}

// Changes returns the changes recorded for event by run runID, or by every
// run when runID is 0, in the order they were recorded, each with the text
// of the post that carries it and whether that post was made (Posted),
// be it the change's own post or a digest. Old and New values come back as
// encoding/json decodes them (numbers are float64).
func (s *Store) Changes(ctx context.Context, event string, runID int64) ([]Change, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT c.code, c.kind, c.fields, c.old, c.new, c.post, coalesce(o.state = 'posted', 0)
		FROM changes c LEFT JOIN outbox o ON o.id = coalesce(
			(SELECT l.outbox_id FROM outbox_changes l WHERE l.change_id = c.id),
			(SELECT b.id FROM outbox b WHERE b.change_id = c.id))
		WHERE c.event = ? AND (? = 0 OR c.run_id = ?) ORDER BY c.id`, event, runID, runID)
	if err != nil {
		return nil, fmt.Errorf("read changes of %s: %w", event, err)
	}
	defer rows.Close()
	var cs []Change
	for rows.Next() {
		var c Change
		var fields string
		var oldJSON, newJSON sql.NullString
		if err := rows.Scan(&c.Code, &c.Kind, &fields, &oldJSON, &newJSON, &c.Post, &c.Posted); err != nil {
			return nil, fmt.Errorf("read changes of %s: %w", event, err)
		}
		if err := json.Unmarshal([]byte(fields), &c.Fields); err != nil {
			return nil, fmt.Errorf("change of %s: fields: %w", c.Code, err)
		}
		for _, p := range []struct {
			src sql.NullString
			dst *map[string]any
		}{{oldJSON, &c.Old}, {newJSON, &c.New}} {
			if !p.src.Valid {
				continue
			}
			if err := json.Unmarshal([]byte(p.src.String), p.dst); err != nil {
				return nil, fmt.Errorf("change of %s: values: %w", c.Code, err)
			}
		}
		cs = append(cs, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read changes of %s: %w", event, err)
	}
	return cs, nil
}
