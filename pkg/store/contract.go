package store

import (
	"context"
	"time"
)

// The interfaces below are the seam between the bot and watch and the
// store they run on: *Store (SQLite) provides them all, and so does the
// DynamoDB store (pkg/store/dynamo). Every promise their doc comments make
// is checked against both by one behaviour suite (pkg/store/storetest);
// the method comments on *Store say what each call does.

// Sessions keeps the versions of sessions and the changes of watch runs.
type Sessions interface {
	// Heads reads the latest version of every code of event.
	Heads(ctx context.Context, event string) (*Heads, error)
	// Record stores a run all or nothing and returns its id, 0 for a run
	// that holds nothing; its outbox rows are pending from then on.
	Record(ctx context.Context, r Run) (int64, error)
	// Changes returns the changes run runID of event recorded.
	Changes(ctx context.Context, event string, runID int64) ([]Change, error)
	// Versions returns every version of code, oldest first.
	Versions(ctx context.Context, event, code string) ([]Version, error)
}

// Posts is the outbox of watch's posts: journaled before a post is sent
// (Attempt) and settled after X answered (Posted, Retry, Failed).
type Posts interface {
	Pending(ctx context.Context, event string) ([]Outbox, error)
	OutboxByID(ctx context.Context, id int64) (*Outbox, error)
	Attempt(ctx context.Context, id int64, at time.Time) error
	Posted(ctx context.Context, id int64, postID string, at time.Time, duplicate bool) error
	Retry(ctx context.Context, id int64, msg string) error
	Failed(ctx context.Context, id int64, msg string) error
	Counts(ctx context.Context, event string) (pending, posted, failed int, err error)
}

// Queue is the webhook's queue of mentions and the journal of their
// replies: a mention is queued once however often it is delivered, claimed
// by one worker at a time, and each post of its thread recorded after X
// took it.
type Queue interface {
	Enqueue(ctx context.Context, j Job, limit int, window time.Duration) (Outcome, error)
	EnqueueBatch(ctx context.Context, jobs []Job, limit int, window time.Duration) ([]Outcome, error)
	Claim(ctx context.Context, now time.Time, lease time.Duration) (*Job, error)
	NextDue(ctx context.Context) (at time.Time, ok bool, err error)
	JobByID(ctx context.Context, id string) (*Job, error)
	SetThread(ctx context.Context, id string, posts []string) error
	AddReply(ctx context.Context, id, postID string) error
	Finish(ctx context.Context, id string) error
	Dead(ctx context.Context, id string, msg string) error
	Postpone(ctx context.Context, id string, nextAt time.Time, msg string) error
	RetryJob(ctx context.Context, id string, nextAt time.Time, msg string) error
	ResetRunning(ctx context.Context) (int, error)
}

// Cursors are named values saved durably, such as where the poller
// stopped reading the mention timeline.
type Cursors interface {
	Cursor(ctx context.Context, name string) (string, error)
	SetCursor(ctx context.Context, name, value string, at time.Time) error
}

// Locker takes a store's run locks: one holder of name at a time, and a
// lock whose holder died is taken over (at once for SQLite's flock, when
// its lease lapses for DynamoDB). A lock held elsewhere is an error
// wrapping ErrLocked.
type Locker interface {
	Lock(name string) (unlock func() error, err error)
}

// Holds are times before which nothing of a kind may happen, shared by
// every process on the store: X's post rate limit holds every worker's
// posts, whichever worker heard of it.
type Holds interface {
	// Hold holds name until until, or later if it already is.
	Hold(ctx context.Context, name string, until time.Time) error
	// Held returns when the hold of name lifts; the zero time when it was
	// never held.
	Held(ctx context.Context, name string) (time.Time, error)
}

// HoldPosts is the hold of X's post rate limit (pkg/webhook).
const HoldPosts = "x-posts"

// Watch is what a run of watch needs of its store.
type Watch interface {
	Locker
	Sessions
	Posts
}

// Bot is what the webhook's server, worker and poller need of their store.
type Bot interface {
	Locker
	Queue
	Cursors
	Holds
}

// Backend is a whole store, as every implementation provides it.
type Backend interface {
	Watch
	Bot
	Close() error
}

var _ Backend = (*Store)(nil)
