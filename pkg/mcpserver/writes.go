package mcpserver

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/reinvent-cli/reinvent/pkg/catalog"
	"github.com/reinvent-cli/reinvent/pkg/reserve"
	"github.com/reinvent-cli/reinvent/pkg/schedule"
	"github.com/reinvent-cli/reinvent/pkg/store"
)

// WriteArgs are the arguments of the write tools.
type WriteArgs struct {
	Codes   List `json:"codes" jsonschema:"session codes: a base code (SVS401) stands for every repeat, a full code (SVS401-R1) for that instance"`
	Confirm bool `json:"confirm,omitempty" jsonschema:"true to write; without it the tool only says what it would write"`
}

// WriteResult is the result of a write tool.
type WriteResult struct {
	Written bool   `json:"written" jsonschema:"whether anything was sent to the AWS Events API"`
	Note    string `json:"note"`
	Report  any    `json:"report" jsonschema:"what was done, or would be: reserve_sessions' is reinvent reserve --format json's object"`
}

// errNoAccount is the tool error of a confirmed write with no account to
// write to.
var errNoAccount = errors.New("writes go to the AWS Events API, and this server reads another source: start it with reinvent mcp --allow-writes --source events-api after reinvent login")

const dryNote = "nothing was written: this is what would be; call again with confirm: true to write"

func (s *server) addWriteTools(srv *mcp.Server) {
	write := func(destructive bool) *mcp.ToolAnnotations {
		return &mcp.ToolAnnotations{DestructiveHint: &destructive, OpenWorldHint: &destructive}
	}
	mcp.AddTool(srv, &mcp.Tool{
		Name:  "reserve_sessions",
		Title: "Reserve seats",
		Description: `Plan the codes as plan_schedule does, around the seats already held, and reserve the planned sessions not held yet on the AWS Events API, as reinvent reserve does: journaled, paced to the quota, replanned when one is full.
Without confirm: true it only reports the plan it would book (to_reserve) and writes nothing.`,
		InputSchema: inputSchema[WriteArgs](),
		Annotations: write(false),
	}, s.reserveSessions)
	mcp.AddTool(srv, &mcp.Tool{
		Name:        "favorite_sessions",
		Title:       "Add favorites",
		Description: "Add the sessions of the codes to the attendee's favorites on the AWS Events API, as reinvent favorite does. Without confirm: true it only says what it would add.",
		InputSchema: inputSchema[WriteArgs](),
		Annotations: write(false),
	}, s.favoriteSessions)
	mcp.AddTool(srv, &mcp.Tool{
		Name:        "cancel_reservation",
		Title:       "Give up seats",
		Description: "Cancel the attendee's reserved seats in the sessions of the codes (a base code: whichever repeat is held), as reinvent cancel does. Without confirm: true it only says what it would cancel.",
		InputSchema: inputSchema[WriteArgs](),
		Annotations: write(true),
	}, s.cancelReservation)
}

// writeSetup checks args and opens what a write needs: the account (a
// CatalogAccount standing in for none on a dry run), the store and the
// catalog, fresh.
func (s *server) writeSetup(ctx context.Context, args WriteArgs) (codes []string, acct Account, st *store.Store, cat *catalog.Catalog, err error) {
	codes = catalog.SplitCodes(args.Codes)
	switch {
	case len(codes) == 0:
		return nil, nil, nil, nil, errors.New(`give at least one session code in codes, e.g. ["SVS401"]`)
	case len(codes) > maxWriteCodes:
		return nil, nil, nil, nil, fmt.Errorf("%d codes: give at most %d a call (the AWS Events API takes %d sessions a minute)", len(codes), maxWriteCodes, reserve.Quota)
	}
	if err := schedule.CheckCodes(codes); err != nil {
		return nil, nil, nil, nil, toolError(err)
	}
	if acct, err = s.account(); err != nil {
		return nil, nil, nil, nil, toolError(err)
	}
	if acct == nil && args.Confirm {
		return nil, nil, nil, nil, errNoAccount
	}
	if cat, err = s.deps.Fetch(ctx, true); err != nil {
		return nil, nil, nil, nil, toolError(err)
	}
	if st, err = s.deps.OpenStore(ctx); err != nil {
		return nil, nil, nil, nil, toolError(err)
	}
	if acct == nil {
		acct = catalogAccount{reserve.CatalogAccount{Sessions: cat.Sessions}}
	}
	return codes, acct, st, cat, nil
}

// catalogAccount is reserve.CatalogAccount as an Account: never signed in.
type catalogAccount struct{ reserve.CatalogAccount }

func (catalogAccount) SignedIn(context.Context) (bool, error) { return false, nil }

func (s *server) writeOptions(confirm bool) reserve.WriteOptions {
	return reserve.WriteOptions{Event: s.o.Event, DryRun: !confirm, Logger: s.log}
}

// result is what a write tool answers.
func result(confirm bool, report any) WriteResult {
	if !confirm {
		return WriteResult{Note: dryNote, Report: report}
	}
	return WriteResult{Written: true, Note: "written through the store's journal", Report: report}
}

func (s *server) reserveSessions(ctx context.Context, _ *mcp.CallToolRequest, args WriteArgs) (*mcp.CallToolResult, WriteResult, error) {
	codes, acct, st, cat, err := s.writeSetup(ctx, args)
	if err != nil {
		return nil, WriteResult{}, err
	}
	defer st.Close()
	po := s.planOptions(codes)
	var ra reserve.Account = acct
	if _, ok := acct.(catalogAccount); ok {
		ra = nil // a dry run off the Events API plans around the catalog's reserved sessions
	}
	rep, err := reserve.Run(ctx, st, ra, cat.Sessions, reserve.Options{
		Event: s.o.Event, Codes: codes, DryRun: !args.Confirm, Logger: s.log, Plan: po.Plan, TravelFile: po.TravelFile,
	})
	if err != nil {
		return nil, WriteResult{}, toolError(err)
	}
	var b bytes.Buffer
	if err := rep.WriteJSON(&b, s.o.Location); err != nil {
		return nil, WriteResult{}, err
	}
	return nil, result(args.Confirm, json.RawMessage(b.Bytes())), nil
}

// FavoriteReport is favorite_sessions' report.
type FavoriteReport struct {
	Sessions []Brief `json:"sessions" jsonschema:"the sessions the codes name"`
	// Added counts the sessions that are favorites now.
	Added    int      `json:"added"`
	NotFound []string `json:"not_found"`
	NotAdded []string `json:"not_added"`
}

func (s *server) favoriteSessions(ctx context.Context, _ *mcp.CallToolRequest, args WriteArgs) (*mcp.CallToolResult, WriteResult, error) {
	codes, acct, st, cat, err := s.writeSetup(ctx, args)
	if err != nil {
		return nil, WriteResult{}, err
	}
	defer st.Close()
	rep, err := reserve.Favorite(ctx, st, acct, cat.Sessions, codes, s.writeOptions(args.Confirm))
	if err != nil {
		return nil, WriteResult{}, toolError(err)
	}
	out := FavoriteReport{Sessions: []Brief{}, Added: rep.Added, NotFound: nonNil(rep.NotFound), NotAdded: nonNil(rep.NotAdded)}
	for i := range rep.Sessions {
		out.Sessions = append(out.Sessions, s.brief(&rep.Sessions[i]))
	}
	return nil, result(args.Confirm, out), nil
}

// CancelReport is cancel_reservation's report.
type CancelReport struct {
	Entries []CancelEntry `json:"entries"`
	// StillHeld counts the seats still held.
	StillHeld int `json:"still_held"`
}

// CancelEntry is what became of one code: cancelled, already gone, no
// seat held, still held (or, without confirm, would cancel).
type CancelEntry struct {
	Code    string `json:"code"`
	Outcome string `json:"outcome"`
}

func (s *server) cancelReservation(ctx context.Context, _ *mcp.CallToolRequest, args WriteArgs) (*mcp.CallToolResult, WriteResult, error) {
	codes, acct, st, cat, err := s.writeSetup(ctx, args)
	if err != nil {
		return nil, WriteResult{}, err
	}
	defer st.Close()
	rep, err := reserve.Cancel(ctx, st, acct, cat.Sessions, codes, s.writeOptions(args.Confirm))
	if err != nil {
		return nil, WriteResult{}, toolError(err)
	}
	out := CancelReport{Entries: []CancelEntry{}, StillHeld: rep.StillHeld()}
	for _, e := range rep.Entries {
		out.Entries = append(out.Entries, CancelEntry{Code: e.Code, Outcome: e.Outcome})
	}
	return nil, result(args.Confirm, out), nil
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
