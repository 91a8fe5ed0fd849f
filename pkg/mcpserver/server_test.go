package mcpserver_test

import (
	"context"
	"encoding/json"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/reinvent-cli/reinvent/internal/catalogtest"
	fakeevents "github.com/reinvent-cli/reinvent/internal/fake/events"
	"github.com/reinvent-cli/reinvent/internal/testenv"
	"github.com/reinvent-cli/reinvent/pkg/catalog"
	"github.com/reinvent-cli/reinvent/pkg/catalog/eventsapi"
	"github.com/reinvent-cli/reinvent/pkg/catalog/sample"
	"github.com/reinvent-cli/reinvent/pkg/mcpserver"
	"github.com/reinvent-cli/reinvent/pkg/store"
)

const event = "reinvent2026"

// connect starts a server of deps and o and returns a client session
// of the SDK's own client, over the SDK's in-memory transport.
func connect(t testing.TB, deps mcpserver.Deps, o mcpserver.Options) *mcp.ClientSession {
	t.Helper()
	if o.Location == nil {
		o.Location = testenv.Vegas
	}
	if o.Event == "" {
		o.Event = event
	}
	if o.Plan.Plan.UnknownTravel == 0 {
		o.Plan.Plan.UnknownTravel = 30 * time.Minute
	}
	if o.Plan.Plan.TimeLimit == 0 {
		o.Plan.Plan.TimeLimit = 2 * time.Second
	}
	ctx := context.Background()
	st, ct := mcp.NewInMemoryTransports()
	ss, err := mcpserver.New(deps, o).Connect(ctx, st, nil)
	if err != nil {
		t.Fatal(err)
	}
	cs, err := mcp.NewClient(&mcp.Implementation{Name: "test", Version: "1"}, nil).Connect(ctx, ct, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cs.Close()
		ss.Wait()
	})
	return cs
}

// storeIn opens a store in dir for each call, as the CLI does.
func storeIn(dir string) func(context.Context) (*store.Store, error) {
	return func(ctx context.Context) (*store.Store, error) {
		return store.Open(ctx, filepath.Join(dir, "reinvent.db"))
	}
}

var sampleOnce = sync.OnceValues(func() (*catalog.Catalog, error) {
	return sample.Source{}.Fetch(context.Background(), catalog.FetchOptions{Location: testenv.Vegas})
})

// sampleDeps read the embedded sample catalog, as --source sample does.
func sampleDeps(t testing.TB) mcpserver.Deps {
	return mcpserver.Deps{
		Fetch:     func(context.Context, bool) (*catalog.Catalog, error) { return sampleOnce() },
		OpenStore: storeIn(t.TempDir()),
	}
}

// catalogDeps read sessions as a catalog of a source with no account.
func catalogDeps(t testing.TB, sessions []catalog.Session) mcpserver.Deps {
	cat := &catalog.Catalog{Source: "test", FetchedAt: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC), Sessions: sessions}
	return mcpserver.Deps{
		Fetch:     func(context.Context, bool) (*catalog.Catalog, error) { return cat, nil },
		OpenStore: storeIn(t.TempDir()),
	}
}

// eventsDeps read the catalog and the account from a fake of the AWS
// Events API, signed in.
func eventsDeps(t testing.TB, api *fakeevents.Server) mcpserver.Deps {
	api.Token = "token-1"
	acct := &eventsapi.Catalog{BaseURL: api.URL, Event: event, Token: func(context.Context, bool) (string, error) { return "token-1", nil }}
	return mcpserver.Deps{
		Fetch: func(ctx context.Context, _ bool) (*catalog.Catalog, error) {
			return acct.Fetch(ctx, catalog.FetchOptions{Event: event, Location: testenv.Vegas})
		},
		Account:   func() (mcpserver.Account, error) { return acct, nil },
		OpenStore: storeIn(t.TempDir()),
	}
}

// call calls a tool and returns its result's text, which must be the
// JSON of its structured content; isError says whether it was a tool
// error.
func call(t testing.TB, cs *mcp.ClientSession, tool string, args any) (text string, isError bool) {
	t.Helper()
	res, err := cs.CallTool(context.Background(), &mcp.CallToolParams{Name: tool, Arguments: args})
	if err != nil {
		t.Fatalf("%s: protocol error %v", tool, err)
	}
	if len(res.Content) != 1 {
		t.Fatalf("%s: %d content blocks, want 1", tool, len(res.Content))
	}
	tc, ok := res.Content[0].(*mcp.TextContent)
	if !ok {
		t.Fatalf("%s: content is %T, want text", tool, res.Content[0])
	}
	if !res.IsError {
		want, _ := json.Marshal(res.StructuredContent)
		var a, b any
		if json.Unmarshal([]byte(tc.Text), &a) != nil || json.Unmarshal(want, &b) != nil || !jsonEqual(a, b) {
			t.Fatalf("%s: text %s is not the structured content %s", tool, tc.Text, want)
		}
	}
	if len(tc.Text) > mcpserver.MaxResult {
		t.Errorf("%s: result of %d characters, over %d", tool, len(tc.Text), mcpserver.MaxResult)
	}
	return tc.Text, res.IsError
}

func jsonEqual(a, b any) bool {
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return string(x) == string(y)
}

func decode[T any](t testing.TB, text string) T {
	t.Helper()
	var v T
	if err := json.Unmarshal([]byte(text), &v); err != nil {
		t.Fatalf("%v in %s", err, text)
	}
	return v
}

func toolNames(t *testing.T, cs *mcp.ClientSession) []string {
	t.Helper()
	var names []string
	for tool, err := range cs.Tools(context.Background(), nil) {
		if err != nil {
			t.Fatal(err)
		}
		names = append(names, tool.Name)
	}
	slices.Sort(names)
	return names
}

func TestWriteToolsOnlyWithAllowWrites(t *testing.T) {
	read := []string{"find_sessions_that_fit", "get_my_schedule", "get_session", "plan_schedule", "search_sessions"}
	if got := toolNames(t, connect(t, sampleDeps(t), mcpserver.Options{})); !slices.Equal(got, read) {
		t.Errorf("tools = %v, want %v", got, read)
	}
	all := slices.Sorted(slices.Values(append(slices.Clone(read), "reserve_sessions", "favorite_sessions", "cancel_reservation")))
	if got := toolNames(t, connect(t, sampleDeps(t), mcpserver.Options{AllowWrites: true})); !slices.Equal(got, all) {
		t.Errorf("tools with AllowWrites = %v, want %v", got, all)
	}
	// A write tool the server does not offer cannot be called.
	res, err := connect(t, sampleDeps(t), mcpserver.Options{}).CallTool(context.Background(), &mcp.CallToolParams{Name: "reserve_sessions", Arguments: map[string]any{"codes": []string{"SVS401"}, "confirm": true}})
	if err == nil && !res.IsError {
		t.Error("reserve_sessions answered on a server without AllowWrites")
	}
}

// planResult is the part of plan_schedule's result the tests read.
type planResult struct {
	Schedule struct {
		Requested []string `json:"requested"`
		Scheduled []struct {
			Code             string `json:"code"`
			Session          string `json:"session"`
			Venue            string `json:"venue"`
			SeatAvailability string `json:"seat_availability"`
		} `json:"scheduled"`
		Unscheduled []struct {
			Code      string   `json:"code"`
			BlockedBy []string `json:"blocked_by"`
		} `json:"unscheduled"`
		NotFound []string `json:"not_found"`
	} `json:"schedule"`
	Travel []struct {
		From, To string
		Minutes  int
	} `json:"travel"`
	NextCursor string `json:"next_cursor"`
}

// The walk between venues (the travel table's 20 minutes from Venetian to
// MGM Grand) makes the second session's instance at 11:00 at MGM Grand too
// close: the plan takes the later one, and says what the walk is.
func TestPlanScheduleWalksAndBlocks(t *testing.T) {
	at := func(h, m int) time.Time { return catalogtest.At(1, h).Add(time.Duration(m) * time.Minute) }
	sessions := []catalog.Session{
		catalogtest.Session(catalog.Session{Code: "AAA101", SessionID: "1", Title: "First", Venue: "Venetian", Start: at(10, 0), End: at(11, 0), SeatAvailability: "limited"}),
		catalogtest.Session(catalog.Session{Code: "BBB202", SessionID: "2", Title: "Second", Venue: "MGM Grand", Start: at(11, 0), End: at(12, 0)}),
		catalogtest.Session(catalog.Session{Code: "BBB202-R1", SessionID: "3", Title: "Second", Venue: "MGM Grand", Start: at(13, 0), End: at(14, 0)}),
		catalogtest.Session(catalog.Session{Code: "CCC303", SessionID: "4", Title: "Third", Venue: "Venetian", Start: at(10, 0), End: at(11, 0)}),
	}
	cs := connect(t, catalogDeps(t, sessions), mcpserver.Options{})
	text, isErr := call(t, cs, "plan_schedule", map[string]any{"codes": []string{"AAA101", "BBB202,CCC303", "ZZZ999"}})
	if isErr {
		t.Fatal(text)
	}
	p := decode[planResult](t, text)
	var got []string
	for _, s := range p.Schedule.Scheduled {
		got = append(got, s.Session)
	}
	if !slices.Equal(got, []string{"AAA101", "BBB202-R1"}) {
		t.Errorf("scheduled %v, want AAA101 and BBB202-R1 (11:00 leaves no time for the walk)", got)
	}
	if p.Schedule.Scheduled[0].SeatAvailability != "limited" {
		t.Errorf("seat band %q, want limited", p.Schedule.Scheduled[0].SeatAvailability)
	}
	if len(p.Travel) != 1 || p.Travel[0].From != "AAA101" || p.Travel[0].To != "BBB202-R1" || p.Travel[0].Minutes <= 0 {
		t.Errorf("travel = %+v, want one walk AAA101 → BBB202-R1", p.Travel)
	}
	if len(p.Schedule.Unscheduled) != 1 || p.Schedule.Unscheduled[0].Code != "CCC303" || !slices.Equal(p.Schedule.Unscheduled[0].BlockedBy, []string{"AAA101"}) {
		t.Errorf("unscheduled = %+v, want CCC303 blocked by AAA101", p.Schedule.Unscheduled)
	}
	if !slices.Equal(p.Schedule.NotFound, []string{"ZZZ999"}) {
		t.Errorf("not found = %v", p.Schedule.NotFound)
	}
}

// The caller's mistakes are tool errors of one line, which the assistant
// reads and can correct; never protocol errors.
func TestCallersMistakesAreToolErrors(t *testing.T) {
	cs := connect(t, sampleDeps(t), mcpserver.Options{})
	for _, tt := range []struct {
		tool string
		args map[string]any
		want string
	}{
		{"plan_schedule", map[string]any{"codes": []string{"XYZ999"}}, "XYZ999"},
		{"plan_schedule", map[string]any{"codes": []string{}}, "give at least one session code"},
		{"plan_schedule", map[string]any{"codes": []string{"SVS401"}, "buffer": "soon"}, `buffer "soon"`},
		{"plan_schedule", map[string]any{"codes": []string{"SVS401"}, "cursor": "bm90IGEgY3Vyc29y"}, "cursor"},
		{"get_session", map[string]any{"code": "SVS4011"}, "did you mean SVS401"},
		{"get_my_schedule", map[string]any{"cursor": "x"}, "cursor"},
	} {
		text, isErr := call(t, cs, tt.tool, tt.args)
		if !isErr || !strings.Contains(text, tt.want) || strings.Contains(text, "\n") {
			t.Errorf("%s %v = %q (error %v), want one line of error saying %q", tt.tool, tt.args, text, isErr, tt.want)
		}
	}
}

// myScheduleResult is the part of get_my_schedule's result the tests read.
type myScheduleResult struct {
	From         string `json:"from"`
	Reserved     []struct{ Code string }
	Favorites    []struct{ Code string }
	PersonalTime []struct{ Title, Start string } `json:"personal_time"`
	NextCursor   string                          `json:"next_cursor"`
}

func codesOf(bs []struct{ Code string }) []string {
	var out []string
	for _, b := range bs {
		out = append(out, b.Code)
	}
	return out
}

func TestGetMySchedule(t *testing.T) {
	sessions := []catalog.Session{
		catalogtest.Session(catalog.Session{Code: "AAA101", SessionID: "id-1", Title: "First", Venue: "Venetian", Start: catalogtest.At(1, 10), Reservable: true}),
		catalogtest.Session(catalog.Session{Code: "BBB202", SessionID: "id-2", Title: "Second", Venue: "Venetian", Start: catalogtest.At(1, 12), Reservable: true, Starred: true}),
		catalogtest.Session(catalog.Session{Code: "CCC303", SessionID: "id-3", Title: "Third", Venue: "Venetian", Start: catalogtest.At(2, 12), Reserved: true}),
	}
	t.Run("account", func(t *testing.T) {
		api := fakeevents.New(event, fakeevents.FromCatalog(sessions, testenv.Vegas))
		defer api.Close()
		api.Reserved = []string{"id-1"}
		api.Favorites = []string{"id-2", "id-9"}
		api.PersonalTime = []fakeevents.PersonalTime{{PersonalTimeID: "p1", StartDateTime: "2026-12-01T20:00:00", EndDateTime: "2026-12-01T21:00:00", Title: "Lunch \x1b[31mwith\x1b[0m Ana", Description: "x"}}
		m := decode[myScheduleResult](t, mustCall(t, connect(t, eventsDeps(t, api), mcpserver.Options{}), "get_my_schedule", map[string]any{}))
		if m.From != "account" || !slices.Equal(codesOf(m.Reserved), []string{"AAA101"}) || !slices.Equal(codesOf(m.Favorites), []string{"BBB202"}) {
			t.Errorf("get_my_schedule = %+v, want the account's AAA101 held and BBB202 a favorite", m)
		}
		if len(m.PersonalTime) != 1 || m.PersonalTime[0].Title != "Lunch with Ana" || m.PersonalTime[0].Start != "2026-12-01T12:00:00-08:00" {
			t.Errorf("personal time = %+v, want Lunch with Ana (cleaned) at 12:00 Las Vegas", m.PersonalTime)
		}
	})
	t.Run("catalog", func(t *testing.T) {
		m := decode[myScheduleResult](t, mustCall(t, connect(t, catalogDeps(t, sessions), mcpserver.Options{}), "get_my_schedule", map[string]any{}))
		if m.From != "catalog" || !slices.Equal(codesOf(m.Reserved), []string{"CCC303"}) || !slices.Equal(codesOf(m.Favorites), []string{"BBB202"}) {
			t.Errorf("get_my_schedule = %+v, want the catalog's marks: CCC303 reserved, BBB202 starred", m)
		}
	})
}

func mustCall(t testing.TB, cs *mcp.ClientSession, tool string, args any) string {
	t.Helper()
	text, isErr := call(t, cs, tool, args)
	if isErr {
		t.Fatalf("%s: %s", tool, text)
	}
	return text
}

// A list longer than a result may hold comes in pages, each within the
// 20,000 characters, that together hold the whole list once.
func TestLongListsPage(t *testing.T) {
	base, err := sampleOnce()
	if err != nil {
		t.Fatal(err)
	}
	sessions := slices.Clone(base.Sessions)
	for i := range sessions {
		sessions[i].Starred = true
	}
	cs := connect(t, catalogDeps(t, sessions), mcpserver.Options{})
	var got []string
	pages := 0
	args := map[string]any{}
	for {
		m := decode[myScheduleResult](t, mustCall(t, cs, "get_my_schedule", args)) // call checks the size
		pages++
		got = append(got, codesOf(m.Favorites)...)
		if m.NextCursor == "" {
			break
		}
		args = map[string]any{"cursor": m.NextCursor}
	}
	var want []string
	for _, s := range sessions {
		want = append(want, s.Code)
	}
	if !slices.Equal(got, want) {
		t.Errorf("the pages hold %d favorites, want the %d sessions in order", len(got), len(want))
	}
	if pages < 2 {
		t.Errorf("%d sessions in %d page", len(want), pages)
	}
}

// A plan pages the same way, with a small budget; every page carries the
// rest of the schedule's object.
func TestPlanPagesWithinTheBudget(t *testing.T) {
	const budget = 2500
	codes := []string{"SVS401", "ARC302", "SVS313", "DAT301", "AIM306"}
	whole := decode[planResult](t, mustCall(t, connect(t, sampleDeps(t), mcpserver.Options{}), "plan_schedule", map[string]any{"codes": codes}))
	cs := connect(t, sampleDeps(t), mcpserver.Options{Budget: budget})
	var got []string
	args := map[string]any{"codes": codes}
	pages := 0
	for {
		text := mustCall(t, cs, "plan_schedule", args)
		if len(text) > budget {
			t.Errorf("page of %d characters, over %d", len(text), budget)
		}
		p := decode[planResult](t, text)
		if !slices.Equal(p.Schedule.Requested, whole.Schedule.Requested) {
			t.Errorf("page's requested %v, want %v", p.Schedule.Requested, whole.Schedule.Requested)
		}
		for _, s := range p.Schedule.Scheduled {
			got = append(got, s.Session)
		}
		pages++
		if p.NextCursor == "" {
			break
		}
		args = map[string]any{"codes": codes, "cursor": p.NextCursor}
	}
	var want []string
	for _, s := range whole.Schedule.Scheduled {
		want = append(want, s.Session)
	}
	if !slices.Equal(got, want) || pages < 2 {
		t.Errorf("%d pages hold %v, want %v in more than one", pages, got, want)
	}
	// A cursor is for its own arguments only.
	if text, isErr := call(t, cs, "plan_schedule", map[string]any{"codes": []string{"SVS401"}, "cursor": mustNext(t, cs, codes)}); !isErr {
		t.Errorf("another plan's cursor answered %s", text)
	}
}

func mustNext(t *testing.T, cs *mcp.ClientSession, codes []string) string {
	p := decode[planResult](t, mustCall(t, cs, "plan_schedule", map[string]any{"codes": codes}))
	if p.NextCursor == "" {
		t.Fatal("no next_cursor")
	}
	return p.NextCursor
}

// The assistant learns each tool's arguments and result from tools/list:
// schemas made from the Go types, with the descriptions of their fields,
// the required ones required.
func TestSchemasFromGoTypes(t *testing.T) {
	cs := connect(t, sampleDeps(t), mcpserver.Options{AllowWrites: true})
	type schema struct {
		Required   []string `json:"required"`
		Properties map[string]struct {
			Description string `json:"description"`
		} `json:"properties"`
	}
	want := map[string][]string{
		"plan_schedule": {"codes"}, "get_session": {"code"}, "find_sessions_that_fit": {"codes"},
		"reserve_sessions": {"codes"}, "search_sessions": nil, "get_my_schedule": nil,
	}
	for tool, err := range cs.Tools(context.Background(), nil) {
		if err != nil {
			t.Fatal(err)
		}
		var in, out schema
		b, _ := json.Marshal(tool.InputSchema)
		json.Unmarshal(b, &in)
		b, _ = json.Marshal(tool.OutputSchema)
		json.Unmarshal(b, &out)
		if req, ok := want[tool.Name]; ok && !slices.Equal(in.Required, req) {
			t.Errorf("%s requires %v, want %v", tool.Name, in.Required, req)
		}
		if tool.Description == "" || len(out.Properties) == 0 {
			t.Errorf("%s: no description (%q) or no output schema", tool.Name, tool.Description)
		}
		if tool.Name == "plan_schedule" && (!strings.Contains(in.Properties["codes"].Description, "base code") || !strings.Contains(out.Properties["schedule"].Description, "schedule --format json")) {
			t.Errorf("plan_schedule's schemas do not describe codes (%q) or schedule (%q)", in.Properties["codes"].Description, out.Properties["schedule"].Description)
		}
	}
}
