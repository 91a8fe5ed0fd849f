// Package mcpserver serves the catalog's search, the exact planner and the journaled writes of pkg/reserve to AI assistants as an MCP server (docs/mcp.md).
package mcpserver

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/reinvent-cli/reinvent/pkg/catalog"
	"github.com/reinvent-cli/reinvent/pkg/reserve"
	"github.com/reinvent-cli/reinvent/pkg/store"
)

// Account is the AWS Events API as the server uses it: what is held, and
// the writes of pkg/reserve. *eventsapi.Catalog implements it.
type Account interface {
	reserve.Holder
	reserve.Account
	reserve.Writer
}

// Deps are what the tools read and write through.
type Deps struct {
	// Fetch returns the catalog: from the store's cache when its copy
	// will do, unless fresh, which the write tools ask for, as reserve
	// does.
	Fetch func(ctx context.Context, fresh bool) (*catalog.Catalog, error)
	// Account returns the AWS Events API with the stored sign-in. Nil, or
	// a nil Account, means the source is another: what the catalog marks
	// reserved and starred is what is held.
	Account func() (Account, error)
	// OpenStore opens the store whose journal the writes go through.
	OpenStore func(ctx context.Context) (*store.Store, error)
	// KeepCatalog, when set, hands set the catalog, and a fresh one
	// whenever it is old, until ctx ends (cached.Keep); wait returns once
	// it has stopped. Serve then answers from the catalog in memory, as
	// serve-webhook does; Fetch is left for fresh reads and for when
	// keeping failed.
	KeepCatalog func(ctx context.Context, set func(*catalog.Catalog)) (wait func(), err error)
	// SearchDir is where the search index is kept between runs
	// (search.Deps.Dir); "" builds it in memory.
	SearchDir string
}

// Options say how the server plans and what it may do.
type Options struct {
	// AllowWrites adds the write tools (reserve_sessions,
	// favorite_sessions, cancel_reservation).
	AllowWrites bool
	// Event is the AWS Events API event whose schedule is read and written.
	Event string
	// Location is the event's zone: times are given in it.
	Location *time.Location
	// Plan are the planner's settings, as reinvent schedule's --travel
	// (TravelFile), --unknown-travel and --time-limit (Plan.UnknownTravel
	// and Plan.TimeLimit); each tool call gives its codes, and Event and
	// Location are the server's.
	Plan reserve.PlanOptions
	// Logger logs to stderr, never to the protocol's stdout; nil discards.
	Logger *slog.Logger
	// Version is the server's version, told to the client.
	Version string
	// Budget bounds the characters of one result's JSON; 0 means
	// MaxResult.
	Budget int
}

// MaxResult is the most characters the JSON of one tool result may have
// (docs/mcp.md, "Budget and paging").
const MaxResult = 20000

// maxWriteCodes bounds the codes of one write call, so that its report
// stays within the budget; it is the API's quota of sessions a minute.
const maxWriteCodes = reserve.Quota

// server holds what every tool handler shares.
type server struct {
	deps Deps
	o    Options
	log  *slog.Logger
}

// New returns the MCP server with its tools: the write tools only with
// o.AllowWrites.
func New(deps Deps, o Options) *mcp.Server {
	if o.Budget == 0 {
		o.Budget = MaxResult
	}
	if o.Location == nil {
		o.Location = time.UTC
	}
	log := o.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	s := &server{deps: deps, o: o, log: log}
	srv := mcp.NewServer(&mcp.Implementation{Name: "reinvent", Title: "AWS re:Invent planner", Version: o.Version}, &mcp.ServerOptions{
		// The SDK says at info what every session does; warnings are news.
		Logger:       slog.New(atLeast{log.Handler(), slog.LevelWarn}),
		Instructions: instructions,
	})
	s.addReadTools(srv)
	if o.AllowWrites {
		s.addWriteTools(srv)
	}
	return srv
}

const instructions = `Find AWS re:Invent sessions (search_sessions, get_session), plan the best schedule of session codes exactly, across every repeat and the walk between venues (plan_schedule), find what else fits that plan (find_sessions_that_fit), and read what the attendee holds (get_my_schedule). Long lists come in pages: call again with next_cursor as cursor.`

// Serve runs the server on in and out, newline-delimited JSON-RPC as over
// stdio, until in ends or ctx is done (a signal), either of which is a
// normal end: nil.
func Serve(ctx context.Context, deps Deps, o Options, in io.Reader, out io.Writer) error {
	if deps.KeepCatalog != nil {
		ctx, cancel := context.WithCancel(ctx)
		var cur atomic.Pointer[catalog.Catalog]
		if wait, err := deps.KeepCatalog(ctx, cur.Store); err != nil {
			if o.Logger != nil {
				o.Logger.Warn("the catalog could not be kept in memory; each call fetches it", "error", catalog.CleanLine(err.Error()))
			}
		} else {
			defer wait()
		}
		defer cancel() // before wait: the keeper stops when ctx ends
		fetch := deps.Fetch
		deps.Fetch = func(ctx context.Context, fresh bool) (*catalog.Catalog, error) {
			if c := cur.Load(); c != nil && !fresh {
				return c, nil
			}
			return fetch(ctx, fresh)
		}
	}
	fl := newInFlight(ctx)
	t := &mcp.IOTransport{Reader: io.NopCloser(fl.reader(in)), Writer: nopCloser{fl.writer(out)}}
	// Server.Run, but that a signal (ctx ending) is how a client stops a
	// server, as closing stdin is: no error, and no error logged.
	ss, err := New(deps, o).Connect(ctx, t, nil)
	if err != nil {
		return err
	}
	done := make(chan error, 1)
	go func() { done <- ss.Wait() }()
	select {
	case <-ctx.Done():
		ss.Close()
		<-done
		return nil
	case err := <-done:
		if ctx.Err() != nil || errors.Is(err, io.EOF) {
			return nil
		}
		return err
	}
}

// atLeast passes on the records of level or above.
type atLeast struct {
	slog.Handler
	level slog.Level
}

func (h atLeast) Enabled(ctx context.Context, l slog.Level) bool {
	return l >= h.level && h.Handler.Enabled(ctx, l)
}

func (h atLeast) WithAttrs(as []slog.Attr) slog.Handler {
	return atLeast{h.Handler.WithAttrs(as), h.level}
}

func (h atLeast) WithGroup(name string) slog.Handler {
	return atLeast{h.Handler.WithGroup(name), h.level}
}

type nopCloser struct{ io.Writer }

func (nopCloser) Close() error { return nil }

// account is deps.Account's account, nil when there is none.
func (s *server) account() (Account, error) {
	if s.deps.Account == nil {
		return nil, nil
	}
	return s.deps.Account()
}

// planDeps are what reserve.PlanAround reads, as reinvent schedule's.
func (s *server) planDeps() reserve.PlanDeps {
	pd := reserve.PlanDeps{Fetch: func(ctx context.Context) (*catalog.Catalog, error) { return s.deps.Fetch(ctx, false) }}
	if s.deps.Account != nil {
		pd.Account = func() (reserve.Holder, error) {
			a, err := s.deps.Account()
			if err != nil || a == nil {
				return nil, err // not a nil Account in an interface
			}
			return a, nil
		}
	}
	return pd
}

// toolError is err as the one line a tool error says, cleaned: an error
// can carry text from the network.
func toolError(err error) error {
	return errors.New(catalog.CleanLine(err.Error()))
}
