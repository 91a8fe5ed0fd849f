package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
)

// migrations are the forward-only schema changes; migrations[i] takes a
// store from schema version i to i+1 (PRAGMA user_version). Never edit one
// that has shipped: append a new one.
//
// Times are INTEGER Unix nanoseconds (0 for none); session data is the
// canonical JSON that Hash hashes, so it can be inspected with SQLite's
// JSON functions.
var migrations = []string{
	// 1: the watch tables and the catalog cache.
	`
CREATE TABLE runs (
	id          INTEGER PRIMARY KEY,
	event       TEXT    NOT NULL,
	source      TEXT    NOT NULL,
	started_at  INTEGER NOT NULL,
	finished_at INTEGER NOT NULL,
	sessions    INTEGER NOT NULL,
	removed     INTEGER NOT NULL,
	changes     INTEGER NOT NULL,
	posts       INTEGER NOT NULL
);
CREATE INDEX runs_event ON runs (event, id);

CREATE TABLE versions (
	id      INTEGER PRIMARY KEY,
	event   TEXT    NOT NULL,
	code    TEXT    NOT NULL,
	seq     INTEGER NOT NULL CHECK (seq > 0),
	run_id  INTEGER NOT NULL REFERENCES runs (id),
	hash    BLOB    NOT NULL CHECK (length(hash) = 32),
	removed INTEGER NOT NULL CHECK (removed IN (0, 1)),
	seen_at INTEGER NOT NULL,
	data    BLOB    NOT NULL,
	UNIQUE (event, code, seq)
);
CREATE INDEX versions_run ON versions (run_id);

CREATE TABLE heads (
	event   TEXT    NOT NULL,
	code    TEXT    NOT NULL,
	seq     INTEGER NOT NULL,
	hash    BLOB    NOT NULL,
	removed INTEGER NOT NULL CHECK (removed IN (0, 1)),
	PRIMARY KEY (event, code)
) WITHOUT ROWID;

CREATE TABLE changes (
	id     INTEGER PRIMARY KEY,
	run_id INTEGER NOT NULL REFERENCES runs (id),
	event  TEXT    NOT NULL,
	code   TEXT    NOT NULL,
	kind   TEXT    NOT NULL CHECK (kind IN ('new', 'updated', 'removed', 'reappeared')),
	fields TEXT    NOT NULL,
	old    TEXT,
	new    TEXT,
	post   TEXT    NOT NULL,
	UNIQUE (run_id, code)
);
CREATE INDEX changes_event ON changes (event, run_id);
CREATE INDEX changes_code ON changes (event, code);

CREATE TABLE outbox (
	id              INTEGER PRIMARY KEY,
	change_id       INTEGER NOT NULL UNIQUE REFERENCES changes (id),
	run_id          INTEGER NOT NULL REFERENCES runs (id),
	event           TEXT    NOT NULL,
	code            TEXT    NOT NULL,
	kind            TEXT    NOT NULL,
	text            TEXT    NOT NULL,
	state           TEXT    NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'posted', 'failed')),
	attempts        INTEGER NOT NULL DEFAULT 0,
	created_at      INTEGER NOT NULL,
	last_attempt_at INTEGER NOT NULL DEFAULT 0,
	posted_at       INTEGER NOT NULL DEFAULT 0,
	post_id         TEXT    NOT NULL DEFAULT '',
	duplicate       INTEGER NOT NULL DEFAULT 0,
	last_error      TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX outbox_state ON outbox (event, state, id);

CREATE TABLE catalogs (
	source     TEXT    NOT NULL,
	event      TEXT    NOT NULL,
	fetched_at INTEGER NOT NULL,
	sessions   INTEGER NOT NULL,
	data       BLOB    NOT NULL,
	PRIMARY KEY (source, event)
);
`,
	// 2: the webhook's job queue.
	`
CREATE TABLE jobs (
	id          TEXT    PRIMARY KEY,
	user_id     TEXT    NOT NULL,
	user        TEXT    NOT NULL,
	text        TEXT    NOT NULL,
	kind        TEXT    NOT NULL CHECK (kind IN ('schedule', 'limited')),
	state       TEXT    NOT NULL CHECK (state IN ('pending', 'running', 'done', 'dead', 'dropped')),
	attempts    INTEGER NOT NULL DEFAULT 0,
	next_at     INTEGER NOT NULL,
	lease_until INTEGER NOT NULL DEFAULT 0,
	thread      TEXT    NOT NULL DEFAULT '[]',
	replies     TEXT    NOT NULL DEFAULT '[]',
	created_at  INTEGER NOT NULL,
	last_error  TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX jobs_due ON jobs (state, next_at);
-- Claim takes the oldest job of a state; the per-user limit counts a
-- user's recent jobs that were not dropped.
CREATE INDEX jobs_claim ON jobs (state, created_at, id);
CREATE INDEX jobs_user_live ON jobs (user_id, created_at) WHERE state != 'dropped';
`,
	// 3: the catalog cache moves to files beside the store (pkg/catalog/cached).
	// It only saved work: the next fetch fills the new one.
	`
DROP TABLE catalogs;
`,
	// 4: the journal of writes to the attendee's account (reserve,
	// cancel, favorite), each committed before it is sent (docs/reserve.md).
	`
CREATE TABLE writes (
	id          INTEGER PRIMARY KEY,
	event       TEXT    NOT NULL,
	kind        TEXT    NOT NULL,
	session_ids TEXT    NOT NULL,
	state       TEXT    NOT NULL CHECK (state IN ('sent', 'done', 'reconciled')),
	outcome     TEXT    NOT NULL DEFAULT '',
	created_at  INTEGER NOT NULL,
	ended_at    INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX writes_open ON writes (event, state);
`,
	// 5: cursors, such as where serve-webhook --poll stopped reading the
	// mention timeline (docs/webhook.md, "Polling").
	`
CREATE TABLE cursors (
	name       TEXT    PRIMARY KEY,
	value      TEXT    NOT NULL,
	updated_at INTEGER NOT NULL
);
`,
	// 6: digests, one outbox row that carries several changes
	// (docs/watch.md, "Digests"). A digest row's change_id is its first
	// change; this table links it to every change it carries, in the
	// order of its text. A change is carried by at most one outbox row.
	`
CREATE TABLE outbox_changes (
	outbox_id INTEGER NOT NULL REFERENCES outbox (id),
	pos       INTEGER NOT NULL CHECK (pos >= 0),
	change_id INTEGER NOT NULL UNIQUE REFERENCES changes (id),
	PRIMARY KEY (outbox_id, pos)
) WITHOUT ROWID;
`,
	// 7: follow (docs/follow.md): what the last run saw and planned, one
	// document an event, and the outbox of private notices, one row per
	// notice and notify URL (by its key, never the URL itself).
	`
CREATE TABLE follow_state (
	event      TEXT    PRIMARY KEY,
	data       BLOB    NOT NULL,
	updated_at INTEGER NOT NULL
);
CREATE TABLE notices (
	id              INTEGER PRIMARY KEY,
	event           TEXT    NOT NULL,
	notice_id       TEXT    NOT NULL,
	sink            TEXT    NOT NULL,
	kind            TEXT    NOT NULL,
	code            TEXT    NOT NULL,
	data            BLOB    NOT NULL,
	state           TEXT    NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent')),
	attempts        INTEGER NOT NULL DEFAULT 0,
	created_at      INTEGER NOT NULL,
	last_attempt_at INTEGER NOT NULL DEFAULT 0,
	sent_at         INTEGER NOT NULL DEFAULT 0,
	last_error      TEXT    NOT NULL DEFAULT '',
	UNIQUE (notice_id, sink)
);
CREATE INDEX notices_pending ON notices (event, state, id);
`,
}

// migrate checks that the file is a reinvent store this binary can use and
// brings its schema up to version target. It writes nothing unless a
// migration is due.
func (s *Store) migrate(ctx context.Context, target int) error {
	ver, app, foreign, err := s.inspect(ctx)
	switch {
	case err != nil && isNotDB(err):
		return notStore(s.path, err.Error())
	case err != nil:
		return fmt.Errorf("open store %s: %w", s.path, err)
	case ver == 0 && len(foreign) > 0:
		return notStore(s.path, "it holds tables of another program ("+strings.Join(foreign, ", ")+")")
	case ver > 0 && app != appID:
		return notStore(s.path, fmt.Sprintf("its application_id is %#x, not reinvent's", app))
	case ver > len(migrations):
		return &openError{ErrNewerSchema, fmt.Sprintf("%s was written by a newer reinvent (schema %d; this one knows %d); upgrade reinvent or choose another --db",
			s.path, ver, len(migrations))}
	case ver >= target:
		return nil
	}
	if ver == 0 {
		// A new store: WAL lets readers work while watch or the webhook
		// write. The mode is persistent, so it is set only here.
		if _, err := s.db.ExecContext(ctx, "PRAGMA journal_mode = WAL"); err != nil {
			return fmt.Errorf("create store %s: set WAL mode: %w", s.path, err)
		}
	}
	for v := ver; v < target; v++ {
		err := s.write(ctx, func(tx *sql.Tx) error {
			var cur int
			if err := tx.QueryRowContext(ctx, "PRAGMA user_version").Scan(&cur); err != nil {
				return err
			}
			if cur > v {
				return nil // another process migrated it meanwhile
			}
			if _, err := tx.ExecContext(ctx, migrations[v]); err != nil {
				return err
			}
			_, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d; PRAGMA application_id = %d", v+1, appID))
			return err
		})
		if err != nil {
			return fmt.Errorf("migrate store %s to schema %d: %w", s.path, v+1, err)
		}
	}
	return nil
}

// inspect reads the schema version, the application id and the names of
// tables that are not the store's own (only meaningful at version 0).
func (s *Store) inspect(ctx context.Context) (ver, app int, foreign []string, err error) {
	if err := s.db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&ver); err != nil {
		return 0, 0, nil, err
	}
	if err := s.db.QueryRowContext(ctx, "PRAGMA application_id").Scan(&app); err != nil {
		return 0, 0, nil, err
	}
	if ver > 0 {
		return ver, app, nil, nil
	}
	rows, err := s.db.QueryContext(ctx,
		`SELECT name FROM sqlite_master WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite\_%' ESCAPE '\' ORDER BY name`)
	if err != nil {
		return 0, 0, nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			return 0, 0, nil, err
		}
		foreign = append(foreign, name)
	}
	return ver, app, foreign, rows.Err()
}
