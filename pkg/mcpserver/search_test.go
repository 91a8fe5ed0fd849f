package mcpserver_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/reinvent-cli/reinvent/internal/catalogtest"
	fakeevents "github.com/reinvent-cli/reinvent/internal/fake/events"
	"github.com/reinvent-cli/reinvent/internal/testenv"
	"github.com/reinvent-cli/reinvent/pkg/catalog"
	"github.com/reinvent-cli/reinvent/pkg/mcpserver"
)

// searchResult is the part of search_sessions' result the tests read.
type searchResult struct {
	Total   int `json:"total"`
	Results []struct {
		Code      string `json:"code"`
		Instances []struct {
			Code string `json:"code"`
		} `json:"instances"`
	} `json:"results"`
	Fits       []string `json:"fits"`
	NextCursor string   `json:"next_cursor"`
}

func TestSearchTools(t *testing.T) {
	cs := connect(t, sampleDeps(t), mcpserver.Options{})
	r := decode[searchResult](t, mustCall(t, cs, "search_sessions", map[string]any{"query": "SVS401"}))
	if len(r.Results) == 0 || r.Results[0].Code != "SVS401" {
		t.Errorf("search_sessions SVS401 = %+v, want SVS401 first", r)
	}
	r = decode[searchResult](t, mustCall(t, cs, "search_sessions", map[string]any{"day": []string{"tue"}, "level": []int{300}, "limit": 5}))
	if len(r.Results) != 5 || r.Total <= 5 || r.NextCursor != "" {
		t.Errorf("search_sessions tue 300 limit 5 = %d results of %d, cursor %q; want 5 of more, no cursor", len(r.Results), r.Total, r.NextCursor)
	}
	if text, isErr := call(t, cs, "search_sessions", map[string]any{"day": []string{"someday"}}); !isErr || !strings.Contains(text, "someday") {
		t.Errorf("an unknown day = %q, want a tool error naming it", text)
	}
	d := decode[struct {
		Code      string
		Abstract  string
		Instances []struct{ Code string }
	}](t, mustCall(t, cs, "get_session", map[string]any{"code": "svs401"}))
	if d.Code != "SVS401" || d.Abstract == "" || len(d.Instances) == 0 {
		t.Errorf("get_session svs401 = %+v", d)
	}
	f := decode[searchResult](t, mustCall(t, cs, "find_sessions_that_fit", map[string]any{"codes": []string{"SVS401", "ARC302"}, "limit": 3}))
	if len(f.Fits) == 0 || len(f.Results) == 0 {
		t.Errorf("find_sessions_that_fit = %+v, want the plan and sessions that fit it", f)
	}
	for _, x := range f.Results {
		if x.Code == "SVS401" || x.Code == "ARC302" {
			t.Errorf("find_sessions_that_fit lists the plan's own %s", x.Code)
		}
	}
}

// Every session of the catalog, searched with no limit, comes in pages of
// at most 20,000 characters that hold each session once, in order.
func TestLongSearchPages(t *testing.T) {
	cs := connect(t, sampleDeps(t), mcpserver.Options{})
	var got []string
	args := map[string]any{"limit": 0}
	pages, total := 0, 0
	for {
		r := decode[searchResult](t, mustCall(t, cs, "search_sessions", args)) // call checks the size
		pages++
		total = r.Total
		for _, x := range r.Results {
			got = append(got, x.Code)
		}
		if r.NextCursor == "" {
			break
		}
		args = map[string]any{"limit": 0, "cursor": r.NextCursor}
	}
	if len(got) != total || pages < 2 {
		t.Errorf("%d pages hold %d sessions, want all %d in more than one", pages, len(got), total)
	}
	seen := map[string]bool{}
	for _, c := range got {
		if seen[c] {
			t.Errorf("%s on two pages", c)
		}
		seen[c] = true
	}
	// The cursor of one search is not another's.
	if text, isErr := call(t, cs, "search_sessions", map[string]any{"limit": 0, "query": "bedrock", "cursor": args["cursor"]}); !isErr {
		t.Errorf("another search's cursor answered %.200s", text)
	}
}

// sessionResult is the part of get_session's result (show's Session) the
// tests read.
type sessionResult struct {
	Code      string `json:"code"`
	Abstract  string `json:"abstract"`
	Instances []struct {
		Code    string `json:"code"`
		Held    bool   `json:"held"`
		InPlan  bool   `json:"in_plan"`
		Clashes []struct {
			Code        string `json:"code"`
			Title       string `json:"title"`
			WalkMinutes int    `json:"walk_minutes"`
		} `json:"clashes"`
	} `json:"instances"`
	Others     []string `json:"others"`
	NextCursor string   `json:"next_cursor"`
}

// get_session is reinvent show's session: each instance says whether the
// attendee holds it, whether the plan made around what is held has it, and
// what of that plan (a held seat across a walk, personal time) it clashes
// with; a full code shows its instance and names the others; a session of
// more instances than the budget holds comes in pages.
func TestGetSessionIsShows(t *testing.T) {
	sessions := []catalog.Session{
		catalogtest.Session(catalog.Session{Code: "HLD101", SessionID: "id-h", Title: "Held", Venue: "Venetian", Start: catalogtest.At(1, 10), Reservable: true}),
		catalogtest.Session(catalog.Session{Code: "ARC302", SessionID: "id-a", Title: "Arc", Abstract: "About arcs.", Venue: "MGM Grand", Start: catalogtest.At(1, 10), Reservable: true}),
		catalogtest.Session(catalog.Session{Code: "ARC302-R1", SessionID: "id-b", Title: "Arc", Abstract: "About arcs.", Venue: "Venetian", Start: catalogtest.At(1, 14), Reservable: true}),
	}
	api := fakeevents.New(event, fakeevents.FromCatalog(sessions, testenv.Vegas))
	t.Cleanup(api.Close)
	api.Reserved = []string{"id-h"}
	api.PersonalTime = []fakeevents.PersonalTime{{PersonalTimeID: "p1", StartDateTime: "2026-12-01T22:00:00", EndDateTime: "2026-12-01T23:00:00", Title: "Lunch \x1b[31mwith\x1b[0m Ana"}}
	cs := connect(t, eventsDeps(t, api), mcpserver.Options{})

	h := decode[sessionResult](t, mustCall(t, cs, "get_session", map[string]any{"code": "hld101"}))
	if len(h.Instances) != 1 || !h.Instances[0].Held || !h.Instances[0].InPlan || len(h.Instances[0].Clashes) != 0 {
		t.Errorf("get_session hld101 = %+v, want its one instance held and in the plan", h)
	}
	whole := mustCall(t, cs, "get_session", map[string]any{"code": "ARC302"})
	a := decode[sessionResult](t, whole)
	if a.Code != "ARC302" || a.Abstract != "About arcs." || len(a.Instances) != 2 || a.NextCursor != "" {
		t.Fatalf("get_session ARC302 = %+v, want both instances on one page", a)
	}
	first, second := a.Instances[0], a.Instances[1]
	if first.Code != "ARC302" || first.Held || first.InPlan || len(first.Clashes) != 1 || first.Clashes[0].Code != "HLD101" || first.Clashes[0].WalkMinutes <= 0 {
		t.Errorf("ARC302 at 10:00 at MGM Grand = %+v, want it to clash with the held HLD101 at Venetian, across a walk", first)
	}
	if second.Code != "ARC302-R1" || len(second.Clashes) != 1 || second.Clashes[0].Code != "" || second.Clashes[0].Title != "personal time (Lunch with Ana)" {
		t.Errorf("ARC302-R1 at 14:00 = %+v, want it to clash with the personal time, its title cleaned", second)
	}
	r1 := decode[sessionResult](t, mustCall(t, cs, "get_session", map[string]any{"code": "ARC302-R1"}))
	if len(r1.Instances) != 1 || r1.Instances[0].Code != "ARC302-R1" || !slices.Equal(r1.Others, []string{"ARC302"}) {
		t.Errorf("get_session ARC302-R1 = %+v, want that instance and ARC302 among the others", r1)
	}

	// Pages (on a catalog of one fetch: a cursor is for the catalog it
	// was given for).
	deps := catalogDeps(t, sessions)
	budget := len(mustCall(t, connect(t, deps, mcpserver.Options{}), "get_session", map[string]any{"code": "ARC302"})) - 1
	small := connect(t, deps, mcpserver.Options{Budget: budget})
	var got []string
	args := map[string]any{"code": "ARC302"}
	pages := 0
	for {
		text := mustCall(t, small, "get_session", args)
		if len(text) > budget {
			t.Errorf("page of %d characters, over %d", len(text), budget)
		}
		p := decode[sessionResult](t, text)
		if p.Code != "ARC302" || p.Abstract == "" {
			t.Errorf("page %+v, want the session on every page", p)
		}
		for _, in := range p.Instances {
			got = append(got, in.Code)
		}
		pages++
		if p.NextCursor == "" {
			break
		}
		args = map[string]any{"code": "ARC302", "cursor": p.NextCursor}
	}
	if !slices.Equal(got, []string{"ARC302", "ARC302-R1"}) || pages != 2 {
		t.Errorf("%d pages hold %v, want ARC302 and ARC302-R1 on two", pages, got)
	}
}

// Assistants send a list of one as the value itself ("day": "wed",
// "level": 300, "codes": "SVS401,ARC302"): each tool takes it as the array
// of it, and its schema says so.
func TestOneValueIsAList(t *testing.T) {
	cs := connect(t, sampleDeps(t), mcpserver.Options{})
	for _, tt := range []struct {
		tool      string
		one, many map[string]any
	}{
		{"search_sessions", map[string]any{"day": "wed", "level": 300, "limit": 0}, map[string]any{"day": []string{"wed"}, "level": []int{300}, "limit": 0}},
		{"search_sessions", map[string]any{"day": "tue,wed", "level": "200", "venue": "Venetian", "limit": 0}, map[string]any{"day": []string{"tue", "wed"}, "level": []any{"200"}, "venue": []string{"Venetian"}, "limit": 0}},
		{"find_sessions_that_fit", map[string]any{"codes": "SVS401,ARC302", "limit": 0}, map[string]any{"codes": []string{"SVS401", "ARC302"}, "limit": 0}},
		{"plan_schedule", map[string]any{"codes": "SVS401"}, map[string]any{"codes": []string{"SVS401"}}},
	} {
		// The page cursor names the arguments as given, so only it
		// may differ.
		one := decode[map[string]any](t, mustCall(t, cs, tt.tool, tt.one))
		many := decode[map[string]any](t, mustCall(t, cs, tt.tool, tt.many))
		delete(one, "next_cursor")
		delete(many, "next_cursor")
		if !jsonEqual(one, many) {
			t.Errorf("%s %v answers otherwise than %v", tt.tool, tt.one, tt.many)
		}
		if one["total"] == 0.0 {
			t.Errorf("%s %v found nothing", tt.tool, tt.one)
		}
	}
	if text, isErr := call(t, cs, "search_sessions", map[string]any{"level": "advanced"}); !isErr || !strings.Contains(text, `level "advanced" is not a number`) {
		t.Errorf("level advanced = %q, want the tool error of reinvent search --level", text)
	}
	if text, isErr := call(t, cs, "search_sessions", map[string]any{"day": map[string]any{"on": "wed"}}); !isErr || !strings.Contains(text, "day") {
		t.Errorf("a day that is an object = %q, want a tool error naming day", text)
	}
}
