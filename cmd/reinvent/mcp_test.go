package main

import (
	"encoding/json"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/reinvent-cli/reinvent/internal/testenv"
)

// mcpSDK is the TypeScript MCP SDK release the client of these tests is.
const mcpSDK = "1.32.2"

// mcpCall is one tool call of testdata/mcp-client.cjs.
type mcpCall struct {
	Name      string         `json:"name"`
	Arguments map[string]any `json:"arguments"`
}

// mcpOutput is what testdata/mcp-client.cjs prints.
type mcpOutput struct {
	Tools   []string `json:"tools"`
	Results []struct {
		Name       string          `json:"name"`
		IsError    bool            `json:"isError"`
		Structured json.RawMessage `json:"structured"`
		Text       string          `json:"text"`
		Ms         float64         `json:"ms"`
	} `json:"results"`
}

// mcpClient runs the TypeScript SDK's client (testdata/mcp-client.cjs),
// which starts reinvent mcp with args over stdio, lists its tools and makes
// the calls.
func mcpClient(t *testing.T, args []string, calls []mcpCall) mcpOutput {
	t.Helper()
	sdk, err := testenv.NpmPackage("the MCP tests (a real client of reinvent mcp)", "@modelcontextprotocol/sdk", mcpSDK)
	if err != nil {
		t.Fatal(err)
	}
	script, err := filepath.Abs(filepath.Join("testdata", "mcp-client.cjs"))
	if err != nil {
		t.Fatal(err)
	}
	a, _ := json.Marshal(args)
	c, _ := json.Marshal(calls)
	cmd := command(t)
	cmd.Path, _ = exec.LookPath("node")
	cmd.Args = []string{"node", script, sdk, binary, string(a), string(c)}
	stdout, stderr, code := runCmd(t, cmd)
	if code != 0 {
		t.Fatalf("the MCP client exited %d:\n%s", code, stderr)
	}
	var out mcpOutput
	if err := json.Unmarshal([]byte(stdout), &out); err != nil {
		t.Fatalf("%v in %s\nstderr: %s", err, stdout, stderr)
	}
	return out
}

// An assistant's client (the TypeScript SDK's, over stdio) sees the tools,
// the write tools only with --allow-writes; plan_schedule answers what
// reinvent schedule --format json prints for the same codes, on the same
// account; a write tool without confirm writes nothing; search and the
// account's schedule answer from the binary too, and get_session with what
// reinvent show --format json prints.
func TestMCPWithTheTypeScriptClient(t *testing.T) {
	fake, flags := reserveWorld(t)
	sched, stderr, code := run(t, append(append([]string{"schedule", "--format", "json"}, flags...), worldCodes...)...)
	if code != 0 {
		t.Fatalf("schedule exited %d: %s", code, stderr)
	}
	shown, stderr, code := run(t, append(append([]string{"show", "--format", "json"}, flags...), "DAT301")...)
	if code != 0 {
		t.Fatalf("show exited %d: %s", code, stderr)
	}

	out := mcpClient(t, append([]string{"mcp", "--allow-writes"}, flags...), []mcpCall{
		{"plan_schedule", map[string]any{"codes": worldCodes}},
		{"reserve_sessions", map[string]any{"codes": []string{"SVS401", "ARC302"}}},
		{"cancel_reservation", map[string]any{"codes": []string{"DAT301"}}},
		{"get_session", map[string]any{"code": "NOPE999"}},
		{"search_sessions", map[string]any{"query": "arc302"}},
		{"get_my_schedule", map[string]any{}},
		{"get_session", map[string]any{"code": "DAT301"}},
	})
	want := []string{"cancel_reservation", "favorite_sessions", "find_sessions_that_fit", "get_my_schedule", "get_session", "plan_schedule", "reserve_sessions", "search_sessions"}
	if !slices.Equal(out.Tools, want) {
		t.Errorf("tools = %v, want %v", out.Tools, want)
	}
	plan, write, cancel, unknown, found, mine, session := out.Results[0], out.Results[1], out.Results[2], out.Results[3], out.Results[4], out.Results[5], out.Results[6]
	var got struct{ Schedule json.RawMessage }
	if err := json.Unmarshal(plan.Structured, &got); err != nil || plan.IsError {
		t.Fatalf("plan_schedule: %v %s", err, plan.Text)
	}
	if g, w := canonicalJSON(t, got.Schedule), canonicalJSON(t, []byte(sched)); g != w {
		t.Errorf("plan_schedule's schedule\n%s\nwant reinvent schedule --format json's\n%s", g, w)
	}
	if write.IsError || !strings.Contains(write.Text, `"written":false`) || !strings.Contains(write.Text, `"to_reserve"`) {
		t.Errorf("reserve_sessions without confirm = %s, want what it would reserve, not written", write.Text)
	}
	if cancel.IsError || !strings.Contains(cancel.Text, `"written":false`) {
		t.Errorf("cancel_reservation without confirm = %s, want not written", cancel.Text)
	}
	if !unknown.IsError || !strings.Contains(unknown.Text, "NOPE999") {
		t.Errorf("get_session of an unknown code = %+v, want a tool error naming it", unknown)
	}
	if found.IsError || !strings.Contains(found.Text, `"results":[{"code":"ARC302"`) {
		t.Errorf("search_sessions arc302 = %s, want ARC302 first", found.Text)
	}
	if mine.IsError || !strings.Contains(mine.Text, `"from":"account"`) || !strings.Contains(mine.Text, `"reserved":[{"code":"DAT301"`) {
		t.Errorf("get_my_schedule = %s, want the account's seat for DAT301", mine.Text)
	}
	var shownOne []json.RawMessage
	if err := json.Unmarshal([]byte(shown), &shownOne); err != nil || len(shownOne) != 1 {
		t.Fatalf("show --format json DAT301 = %s (%v), want one session", shown, err)
	}
	if session.IsError || canonicalJSON(t, session.Structured) != canonicalJSON(t, shownOne[0]) {
		t.Errorf("get_session DAT301 = %s\nwant reinvent show --format json's\n%s", session.Text, shownOne[0])
	}
	fake.Lock()
	defer fake.Unlock()
	if len(fake.Writes) != 0 || !slices.Equal(fake.Reserved, []string{"c1"}) {
		t.Errorf("the API got writes %+v and holds %v, want none and c1 alone", fake.Writes, fake.Reserved)
	}

	read := mcpClient(t, append([]string{"mcp"}, flags...), nil)
	if slices.Contains(read.Tools, "reserve_sessions") || !slices.Contains(read.Tools, "plan_schedule") {
		t.Errorf("tools without --allow-writes = %v, want no write tool", read.Tools)
	}
}

// canonicalJSON is JSON with its keys sorted and no spaces.
func canonicalJSON(t *testing.T, b []byte) string {
	t.Helper()
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatalf("%v in %s", err, b)
	}
	c, _ := json.Marshal(v)
	return string(c)
}
