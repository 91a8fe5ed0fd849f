package mcpserver

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/reinvent-cli/reinvent/pkg/catalog"
	"github.com/reinvent-cli/reinvent/pkg/render"
	"github.com/reinvent-cli/reinvent/pkg/reserve"
	"github.com/reinvent-cli/reinvent/pkg/schedule"
	"github.com/reinvent-cli/reinvent/pkg/search"
	"github.com/reinvent-cli/reinvent/pkg/show"
)

// SearchArgs are search_sessions' arguments.
type SearchArgs struct {
	Query  string `json:"query,omitempty" jsonschema:"words searched for in the code, title, abstract, speakers, tracks, services and topics, as whole words and prefixes; none lists the matches in time order"`
	Day    List   `json:"day,omitempty" jsonschema:"weekday names (tue, Tuesday) or dates (2026-12-01)"`
	Venue  List   `json:"venue,omitempty" jsonschema:"venues, such as Venetian or MGM Grand"`
	Track  List   `json:"track,omitempty"`
	Level  List   `json:"level,omitempty" jsonschema:"levels, such as 300"`
	Type   List   `json:"type,omitempty" jsonschema:"session types, such as Breakout session or Workshop"`
	Topic  List   `json:"topic,omitempty"`
	Limit  *int   `json:"limit,omitempty" jsonschema:"the most sessions listed in all, over every page; 20 when absent, 0 for all"`
	Cursor string `json:"cursor,omitempty" jsonschema:"next_cursor of the previous page of this search"`
}

// SearchResult is search_sessions' and find_sessions_that_fit's result.
type SearchResult struct {
	Query string `json:"query"`
	// Total is how many sessions matched, before the limit.
	Total   int             `json:"total" jsonschema:"how many sessions matched, before the limit"`
	Results []search.Result `json:"results" jsonschema:"best match first; each session's repeats are its instances"`
	// Fits are the plan's full codes, in time order, for
	// find_sessions_that_fit.
	Fits       []string `json:"fits,omitempty" jsonschema:"the plan the results fit around: its sessions' full codes, in time order"`
	Notes      []string `json:"notes,omitempty" jsonschema:"codes of the plan not found, and what the plan merged or left out"`
	NextCursor string   `json:"next_cursor,omitempty" jsonschema:"pass as cursor for the next page; absent on the last"`
}

// FitArgs are find_sessions_that_fit's arguments.
type FitArgs struct {
	Codes  List   `json:"codes" jsonschema:"the session codes of the plan, in priority order, as plan_schedule takes them"`
	Query  string `json:"query,omitempty" jsonschema:"words the sessions that fit must match; none lists them in time order"`
	Limit  *int   `json:"limit,omitempty" jsonschema:"the most sessions listed in all; 20 when absent, 0 for all"`
	Cursor string `json:"cursor,omitempty" jsonschema:"next_cursor of the previous page"`
}

// SessionArgs are get_session's arguments.
type SessionArgs struct {
	Code   string `json:"code" jsonschema:"a base code (SVS401) for every repeat, a full code (SVS401-R1) for that instance, or a code ending in = (AIM306=) for exactly that instance"`
	Cursor string `json:"cursor,omitempty" jsonschema:"next_cursor of the previous page of this session's instances"`
}

// SessionResult is get_session's result: the object reinvent show
// --format json prints for the code (docs/show.md), with each instance
// held or not, in the plan or not, and what of the plan it clashes with.
type SessionResult struct {
	show.Session
	NextCursor string `json:"next_cursor,omitempty" jsonschema:"pass as cursor for the next page of instances; absent on the last"`
}

// maxAbstract bounds an abstract, so that one session stays within the
// budget.
const maxAbstract = 4000

func (s *server) addSearchTools(srv *mcp.Server, read *mcp.ToolAnnotations) {
	mcp.AddTool(srv, &mcp.Tool{
		Name:        "search_sessions",
		Title:       "Search sessions",
		Description: "Find sessions by words (ranked by relevance) and filters, as reinvent search does; repeats are grouped under their base code, with each instance's time, venue and seat band.",
		InputSchema: inputSchema[SearchArgs](),
		Annotations: read,
	}, s.searchSessions)
	mcp.AddTool(srv, &mcp.Tool{
		Name:        "get_session",
		Title:       "One session in full",
		Description: "One session in full, as reinvent show gives it: abstract, speakers, every repeat with its time, venue and seat band, whether the attendee holds it, whether the plan around what is held has it, and what of that plan it clashes with. An unknown code's error names the closest codes.",
		Annotations: read,
	}, s.getSession)
	mcp.AddTool(srv, &mcp.Tool{
		Name:        "find_sessions_that_fit",
		Title:       "What else fits",
		Description: "Sessions that fit the gaps of the best plan of the codes (walk included, nothing of the plan or held moved), as reinvent search --fits finds them.",
		InputSchema: inputSchema[FitArgs](),
		Annotations: read,
	}, s.findThatFit)
}

func (s *server) searchSessions(ctx context.Context, _ *mcp.CallToolRequest, args SearchArgs) (*mcp.CallToolResult, SearchResult, error) {
	levels, err := search.ParseLevels(args.Level)
	if err != nil {
		return nil, SearchResult{}, err
	}
	q := search.Query{Words: args.Query, Days: args.Day, Venues: args.Venue, Tracks: args.Track, Levels: levels, Types: args.Type, Topics: args.Topic}
	key := args
	key.Cursor = ""
	return s.find(ctx, "search_sessions", key, args.Cursor, args.Limit, q)
}

func (s *server) findThatFit(ctx context.Context, _ *mcp.CallToolRequest, args FitArgs) (*mcp.CallToolResult, SearchResult, error) {
	codes := catalog.SplitCodes(args.Codes)
	if len(codes) == 0 {
		return nil, SearchResult{}, errors.New(`give at least one session code in codes, e.g. ["SVS401", "ARC302"]`)
	}
	if err := schedule.CheckCodes(codes); err != nil {
		return nil, SearchResult{}, toolError(err)
	}
	fits := s.planOptions(codes)
	q := search.Query{Words: args.Query, Fits: &fits}
	key := args
	key.Cursor = ""
	return s.find(ctx, "find_sessions_that_fit", key, args.Cursor, args.Limit, q)
}

// find answers q through search.Find, the page cursor asks for of the
// first limit results.
func (s *server) find(ctx context.Context, tool string, args any, cur string, limit *int, q search.Query) (*mcp.CallToolResult, SearchResult, error) {
	lim := search.DefaultLimit
	if limit != nil {
		lim = *limit
	}
	if lim < 0 {
		return nil, SearchResult{}, fmt.Errorf("limit %d is negative: give the most sessions to list, or 0 for all", lim)
	}
	if err := q.Check(); err != nil {
		return nil, SearchResult{}, toolError(err)
	}
	cat, err := s.deps.Fetch(ctx, false)
	if err != nil {
		return nil, SearchResult{}, toolError(err)
	}
	key := listKey(tool, args, cat.FetchedAt)
	start := 0
	if cur != "" {
		// The offset is checked against the list once its length is known.
		if start, err = offset(cur, key, int(^uint(0)>>1)); err != nil {
			return nil, SearchResult{}, err
		}
		if lim > 0 && start >= lim {
			return nil, SearchResult{}, errCursor
		}
	}
	q.Offset = start
	if lim > 0 {
		q.Limit = lim - start
	}
	res, err := search.Find(ctx, search.Deps{Plan: s.planDeps(), Dir: s.deps.SearchDir, Location: s.o.Location}, q)
	if err != nil {
		return nil, SearchResult{}, toolError(err)
	}
	if start > 0 && start >= res.Total {
		return nil, SearchResult{}, errCursor
	}
	var notes []string
	if p := res.Planned; p != nil {
		var b strings.Builder
		if err := p.WriteNotes(&b); err != nil {
			return nil, SearchResult{}, err
		}
		if len(p.Result.NotFound) > 0 {
			fmt.Fprintf(&b, "not found: %s\n", render.NotFound(p.Result.NotFound, p.Suggestions))
		}
		if b.Len() > 0 {
			notes = strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
		}
	}
	listed := start + len(res.Results) // the end of the limited list
	n := len(res.Results)
	out, err := page(0, n, s.o.Budget, func(end int) SearchResult {
		r := SearchResult{Query: res.Query, Total: res.Total, Results: res.Results[:end], Fits: res.Fits, Notes: notes}
		if start+end < listed {
			r.NextCursor = cursor{Offset: start + end, Key: key}.String()
		}
		return r
	})
	if out.Results == nil {
		out.Results = []search.Result{}
	}
	return nil, out, err
}

func (s *server) getSession(ctx context.Context, _ *mcp.CallToolRequest, args SessionArgs) (*mcp.CallToolResult, SessionResult, error) {
	code := strings.ToUpper(strings.TrimSpace(args.Code))
	if code == "" {
		return nil, SessionResult{}, errors.New(`give a session code in code, e.g. "SVS401"`)
	}
	if err := schedule.CheckCodes([]string{code}); err != nil {
		return nil, SessionResult{}, toolError(err)
	}
	r, err := show.Run(ctx, s.planDeps(), show.Options{Codes: []string{code}, Plan: s.planOptions(nil)})
	if err != nil {
		return nil, SessionResult{}, toolError(err)
	}
	if len(r.Sessions) == 0 {
		return nil, SessionResult{}, fmt.Errorf("no session in the catalog matches %s", catalog.CleanLine(render.NotFound(r.NotFound, r.Suggestions)))
	}
	all := r.Sessions[0]
	if a := []rune(all.Abstract); len(a) > maxAbstract {
		all.Abstract = string(a[:maxAbstract-1]) + "…"
	}
	key := listKey("get_session", SessionArgs{Code: code}, r.Catalog.FetchedAt)
	n := len(all.Instances)
	start, err := offset(args.Cursor, key, n)
	if err != nil {
		return nil, SessionResult{}, err
	}
	out, err := page(start, n, s.o.Budget, func(end int) SessionResult {
		p := SessionResult{Session: all, NextCursor: next(key, end, n)}
		p.Instances = all.Instances[start:end]
		return p
	})
	return nil, out, err
}

// planOptions are the options of the plan of codes that the tools make
// as reinvent schedule does, with the server's settings.
func (s *server) planOptions(codes []string) reserve.PlanOptions {
	po := s.o.Plan
	po.Codes, po.Event, po.Plan.Location = codes, s.o.Event, s.o.Location
	return po
}
