package main

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/reinvent-cli/reinvent/internal/testenv"
)

// searchJSON is reinvent search --format json, as documented in
// docs/search.md.
type searchJSON struct {
	Query   string   `json:"query"`
	Total   int      `json:"total"`
	Fits    []string `json:"fits"`
	Results []struct {
		Code      string  `json:"code"`
		Title     string  `json:"title"`
		Score     float64 `json:"score"`
		Instances []struct {
			Code             string     `json:"code"`
			Start            *time.Time `json:"start"`
			End              *time.Time `json:"end"`
			Venue            string     `json:"venue"`
			Room             string     `json:"room"`
			SeatAvailability string     `json:"seat_availability"`
		} `json:"instances"`
	} `json:"results"`
}

func searchOf(t *testing.T, args ...string) searchJSON {
	t.Helper()
	out, errOut, code := run(t, append([]string{"search", "--source", "sample", "--format", "json"}, args...)...)
	if code != 0 {
		t.Fatalf("search %v: exit %d: %s", args, code, errOut)
	}
	var res searchJSON
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("search %v: %v\n%s", args, err, out)
	}
	return res
}

// TestSearch runs reinvent search on the sample as a newcomer would: the
// best match first in each format, every instance under its base code,
// the table's zone and width, filters, and user text that looks like query syntax searched as words.
func TestSearch(t *testing.T) {
	out, errOut, code := run(t, "search", "--source", "sample", "kubernetes")
	if code != 0 || !strings.HasPrefix(out, "times in Las Vegas time, PST\n\nKUB234  The next frontier of Kubernetes\n") || !strings.Contains(errOut, "20 of 32 sessions shown; --limit 0 shows all") {
		t.Errorf("table: exit %d\n%s%s", code, out, errOut)
	}
	// The table keeps to the width COLUMNS says (100 when not a terminal
	// and unset).
	for _, columns := range []int{0, 60} {
		cmd := exec.Command(binary, "search", "--source", "sample", "--db", filepath.Join(t.TempDir(), "reinvent.db"), "bedrock", "agent", "--limit", "0")
		cmd.Env = testenv.HomeEnv(t.TempDir())
		width := 100
		if columns > 0 {
			cmd.Env, width = append(cmd.Env, fmt.Sprintf("COLUMNS=%d", columns)), columns
		}
		out, errOut, code := runCmd(t, cmd)
		if code != 0 || !strings.Contains(out, "Bedrock") {
			t.Fatalf("COLUMNS=%d: exit %d\n%s%s", columns, code, out, errOut)
		}
		for _, l := range strings.Split(out, "\n") {
			if n := utf8.RuneCountInString(l); n > width {
				t.Errorf("COLUMNS=%d: a line of %d columns: %q", columns, n, l)
			}
		}
	}

	res := searchOf(t, "kubernetes", "--limit", "0")
	if res.Query != "kubernetes" || res.Total != 32 || len(res.Results) != 32 || res.Results[0].Code != "KUB234" {
		t.Fatalf("json: %+v", res)
	}
	for i, r := range res.Results {
		if i > 0 && r.Score > res.Results[i-1].Score {
			t.Errorf("%s scores %v after %v", r.Code, r.Score, res.Results[i-1].Score)
		}
		for _, in := range r.Instances {
			if !strings.HasPrefix(in.Code, r.Code) || (in.Start != nil && (in.End == nil || in.Venue == "" || in.Room == "")) {
				t.Errorf("%s: instance %+v", r.Code, in)
			}
		}
	}

	out, _, code = run(t, "search", "--source", "sample", "--format", "csv", "ARC3", "--day", "tue,wed")
	rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if code != 0 || err != nil || len(rows) < 2 || strings.Join(rows[0], ",") != "code,score,title,session,day,start,end,venue,room,seat_availability" {
		t.Fatalf("csv: exit %d, %v\n%s", code, err, out)
	}
	for _, r := range rows[1:] {
		if !strings.HasPrefix(r[0], "ARC3") || !strings.HasPrefix(r[3], r[0]) || (r[4] != "Tuesday" && r[4] != "Wednesday") {
			t.Errorf("csv row %v: not an ARC3 instance on Tuesday or Wednesday", r)
		}
	}

	res = searchOf(t, "--day", "thu", "--after", "14:00", "--venue", "venetian", "--limit", "0")
	for i, r := range res.Results {
		for _, in := range r.Instances {
			if s := in.Start.In(testenv.Vegas); s.Weekday() != time.Thursday || s.Hour() < 14 || in.Venue != "Venetian" {
				t.Errorf("%s at %v in %s passes --day thu --after 14:00 --venue venetian", in.Code, s, in.Venue)
			}
		}
		if i > 0 && r.Instances[0].Start.Before(*res.Results[i-1].Instances[0].Start) {
			t.Errorf("no words, yet %s comes after a later session", r.Code)
		}
	}
	if len(res.Results) == 0 {
		t.Error("nothing on Thursday afternoon at the Venetian")
	}

	for _, words := range [][]string{{`"`}, {"NEAR(", "AND", "-", ":", "*"}, {`title:kubernetes"`}} {
		if out, errOut, code := run(t, append([]string{"search", "--source", "sample"}, words...)...); code != 0 {
			t.Errorf("search %q: exit %d\n%s%s", words, code, out, errOut)
		}
	}
}

// TestSearchBadInput: a value search cannot use is exit 2 and one line
// that says what to give; --fits with no code that exists is exit 1 with
// the closest codes.
func TestSearchBadInput(t *testing.T) {
	for _, c := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"--day", "someday"}, 2, `reinvent: unknown day "someday": give a weekday (tue, Tuesday) or a date (2026-12-01)`},
		{[]string{"--seats", "full"}, 2, `reinvent: unknown seat band "full": give available, limited, veryLimited, unavailable or walkUp`},
		{[]string{"--level", "3OO"}, 2, `reinvent: level "3OO" is not a number: give one such as 200 or 300`},
		{[]string{"--after", "25:00"}, 2, `reinvent: after "25:00" is not a time: give a local time such as 14:30`},
		{[]string{"--limit", "-1"}, 2, `reinvent: limit -1 is negative: give a number of results, or 0 for all`},
		{[]string{"--format", "xml"}, 2, `reinvent: unknown --format "xml": use table, json, csv`},
		{[]string{"--buffer", "5m", "kubernetes"}, 2, `reinvent: --buffer is for --fits: give --fits CODE... or --fits-starred too`},
		{[]string{"--fits", "SVS3I3"}, 2, `reinvent: `},
		{[]string{"--fits", "XYZ999"}, 1, `reinvent: no session matches XYZ999`},
	} {
		out, errOut, code := run(t, append([]string{"search", "--source", "sample"}, c.args...)...)
		if code != c.code || !strings.HasPrefix(errOut, c.want) || strings.Count(errOut, "\n") != 1 || out != "" {
			t.Errorf("%v: exit %d, stderr %q; want exit %d and %q", c.args, code, errOut, c.code, c.want)
		}
	}
}

// TestSearchFitsAsTheSolverSays: every instance search --fits lists,
// asked for exactly (CODE=) with the same codes, is scheduled by reinvent
// schedule with nothing left out.
func TestSearchFitsAsTheSolverSays(t *testing.T) {
	res := searchOf(t, "--fits", "SVS313", "--fits", "ARC302", "--day", "wed", "--after", "12:00", "--limit", "6")
	if len(res.Fits) != 8 || len(res.Results) != 6 {
		t.Fatalf("fits %v, %d results", res.Fits, len(res.Results))
	}
	for _, r := range res.Results {
		for _, in := range r.Instances {
			out, errOut, code := run(t, "schedule", "--source", "sample", "--format", "json", "SVS313", "ARC302", in.Code+"=")
			var doc struct {
				Scheduled   []struct{ Session string } `json:"scheduled"`
				Unscheduled []json.RawMessage          `json:"unscheduled"`
			}
			if code != 0 || json.Unmarshal([]byte(out), &doc) != nil || len(doc.Unscheduled) != 0 || len(doc.Scheduled) != 9 {
				t.Errorf("%s fits, yet schedule says (exit %d): %s%s", in.Code, code, out, errOut)
			}
		}
	}
}

// TestSearchKeepsItsIndex: the first search with words builds the index
// beside the catalog cache; later runs read it.
func TestSearchKeepsItsIndex(t *testing.T) {
	home := t.TempDir()
	db := filepath.Join(t.TempDir(), "reinvent.db")
	for range 2 {
		cmd := exec.Command(binary, "search", "--source", "sample", "--db", db, "bedrock", "agent")
		cmd.Env = testenv.HomeEnv(home)
		if out, errOut, code := runCmd(t, cmd); code != 0 || !strings.Contains(out, "Bedrock") {
			t.Fatalf("exit %d\n%s%s", code, out, errOut)
		}
	}
	if files, _ := filepath.Glob(db + "-catalogs/search-*.fts"); len(files) != 1 {
		t.Errorf("index files beside the cache: %v", files)
	}
}
