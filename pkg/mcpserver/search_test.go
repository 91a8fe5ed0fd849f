package mcpserver_test

import (
	"strings"
	"testing"

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
