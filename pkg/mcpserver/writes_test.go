package mcpserver_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/reinvent-cli/reinvent/internal/catalogtest"
	fakeevents "github.com/reinvent-cli/reinvent/internal/fake/events"
	"github.com/reinvent-cli/reinvent/internal/testenv"
	"github.com/reinvent-cli/reinvent/pkg/catalog"
	"github.com/reinvent-cli/reinvent/pkg/mcpserver"
	"github.com/reinvent-cli/reinvent/pkg/store"
)

// account is a fake AWS Events API with three reservable sessions, the
// third held.
func account(t *testing.T) *fakeevents.Server {
	sessions := []catalog.Session{
		catalogtest.Session(catalog.Session{Code: "AAA101", SessionID: "id-1", Title: "First", Venue: "Venetian", Start: catalogtest.At(1, 10), Reservable: true, SeatAvailability: "available"}),
		catalogtest.Session(catalog.Session{Code: "BBB202", SessionID: "id-2", Title: "Second", Venue: "Venetian", Start: catalogtest.At(1, 12), Reservable: true, SeatAvailability: "limited"}),
		catalogtest.Session(catalog.Session{Code: "CCC303", SessionID: "id-3", Title: "Third", Venue: "Venetian", Start: catalogtest.At(2, 12), Reservable: true}),
	}
	api := fakeevents.New(event, fakeevents.FromCatalog(sessions, testenv.Vegas))
	t.Cleanup(api.Close)
	api.Reserved = []string{"id-3"}
	return api
}

type writeResult struct {
	Written bool   `json:"written"`
	Note    string `json:"note"`
	Report  struct {
		ToReserve []struct{ Code string } `json:"to_reserve"`
		Reserved  []struct{ Code string } `json:"reserved"`
		Entries   []struct{ Code, Outcome string }
		Sessions  []struct{ Code string }
	} `json:"report"`
}

func journal(t *testing.T, deps mcpserver.Deps) []store.Write {
	t.Helper()
	st, err := deps.OpenStore(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ws, err := st.Writes(context.Background(), event, "")
	if err != nil {
		t.Fatal(err)
	}
	return ws
}

// Without confirm: true a write tool reports what it would write and
// sends nothing: the fake API gets no write, and the journal holds none.
func TestWriteWithoutConfirmWritesNothing(t *testing.T) {
	api := account(t)
	deps := eventsDeps(t, api)
	cs := connect(t, deps, mcpserver.Options{AllowWrites: true})

	r := decode[writeResult](t, mustCall(t, cs, "reserve_sessions", map[string]any{"codes": []string{"AAA101", "BBB202"}}))
	var plan []string
	for _, e := range r.Report.ToReserve {
		plan = append(plan, e.Code)
	}
	if r.Written || !slices.Equal(plan, []string{"AAA101", "BBB202"}) || !strings.Contains(r.Note, "confirm") {
		t.Errorf("reserve_sessions = %+v, want the plan AAA101, BBB202 to reserve, not written, and how to confirm", r)
	}
	f := decode[writeResult](t, mustCall(t, cs, "favorite_sessions", map[string]any{"codes": []string{"AAA101"}, "confirm": false}))
	if f.Written || len(f.Report.Sessions) != 1 {
		t.Errorf("favorite_sessions = %+v, want AAA101 not written", f)
	}
	c := decode[writeResult](t, mustCall(t, cs, "cancel_reservation", map[string]any{"codes": []string{"CCC303"}}))
	if c.Written || len(c.Report.Entries) != 1 || c.Report.Entries[0].Code != "CCC303" {
		t.Errorf("cancel_reservation = %+v, want CCC303 not written", c)
	}

	api.Lock()
	defer api.Unlock()
	if len(api.Writes) != 0 || !slices.Equal(api.Reserved, []string{"id-3"}) || len(api.Favorites) != 0 {
		t.Errorf("the API got %d writes (%+v); reserved %v, favorites %v; want none", len(api.Writes), api.Writes, api.Reserved, api.Favorites)
	}
	if ws := journal(t, deps); len(ws) != 0 {
		t.Errorf("journal holds %+v, want nothing", ws)
	}
}

// With confirm: true the writes go through pkg/reserve: journaled before
// they are sent, and done.
func TestWriteWithConfirmGoesThroughTheJournal(t *testing.T) {
	api := account(t)
	deps := eventsDeps(t, api)
	cs := connect(t, deps, mcpserver.Options{AllowWrites: true})

	r := decode[writeResult](t, mustCall(t, cs, "reserve_sessions", map[string]any{"codes": []string{"AAA101", "BBB202"}, "confirm": true}))
	if !r.Written || len(r.Report.Reserved) != 2 {
		t.Errorf("reserve_sessions = %+v, want AAA101 and BBB202 reserved", r)
	}
	c := decode[writeResult](t, mustCall(t, cs, "cancel_reservation", map[string]any{"codes": []string{"CCC303"}, "confirm": true}))
	if !c.Written || len(c.Report.Entries) != 1 || c.Report.Entries[0].Outcome != "cancelled" {
		t.Errorf("cancel_reservation = %+v, want CCC303 cancelled", c)
	}
	api.Lock()
	held := slices.Sorted(slices.Values(api.Reserved))
	api.Unlock()
	if !slices.Equal(held, []string{"id-1", "id-2"}) {
		t.Errorf("the API holds %v, want id-1 and id-2", held)
	}
	var kinds []string
	for _, w := range journal(t, deps) {
		kinds = append(kinds, w.Kind+" "+strings.Join(w.SessionIDs, ",")+" "+w.State)
	}
	if !slices.Equal(kinds, []string{"reserve id-1,id-2 done", "cancel id-3 done"}) {
		t.Errorf("journal = %q, want the reservation and the cancel, done", kinds)
	}
}

// A server whose source has no account can say what it would write, and
// refuses to write.
func TestConfirmWithNoAccount(t *testing.T) {
	cs := connect(t, sampleDeps(t), mcpserver.Options{AllowWrites: true})
	if text, isErr := call(t, cs, "reserve_sessions", map[string]any{"codes": []string{"SVS401"}}); isErr {
		t.Errorf("dry run on the sample: %s", text)
	}
	text, isErr := call(t, cs, "reserve_sessions", map[string]any{"codes": []string{"SVS401"}, "confirm": true})
	if !isErr || !strings.Contains(text, "--source events-api") {
		t.Errorf("confirmed write on the sample = %q, want an error naming --source events-api", text)
	}
}

// Text from the network reaches the assistant cleaned: a title with
// terminal escapes, and an error message of the API.
func TestNetworkTextArrivesCleaned(t *testing.T) {
	evil := catalog.Session{Code: "EVL101", SessionID: "id-e", Title: "Red \x1b[31malert\x1b[0m\x1b]0;pwned\x07 title", Venue: "Venetian",
		Start: catalogtest.At(1, 9), End: catalogtest.At(1, 10)}
	api := fakeevents.New(event, fakeevents.FromCatalog([]catalog.Session{evil}, testenv.Vegas))
	t.Cleanup(api.Close)
	cs := connect(t, eventsDeps(t, api), mcpserver.Options{})
	for tool, args := range map[string]any{"get_session": map[string]any{"code": "EVL101"}, "plan_schedule": map[string]any{"codes": []string{"EVL101"}}} {
		text := mustCall(t, cs, tool, args)
		if strings.Contains(text, `\u001b`) || strings.Contains(text, `\u0007`) || !strings.Contains(text, "Red alert") {
			t.Errorf("%s = %s, want the title without escapes", tool, text)
		}
	}
	api.FailNext("schedule", fakeevents.Failure{Status: 400, Body: `{"message":"bad \u001b[2Jrequest"}`})
	text, isErr := call(t, cs, "get_my_schedule", map[string]any{})
	if !isErr || strings.ContainsAny(text, "\x1b\a") || !strings.Contains(text, "bad") {
		t.Errorf("get_my_schedule = %q, want a tool error without escapes", text)
	}
}
