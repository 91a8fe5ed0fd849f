package render

import (
	"strings"
	"testing"

	"github.com/reinvent-cli/reinvent/pkg/schedule"
)

// TestWriteMissing: the lines for CSV and iCalendar say what the table says
// under "Could not schedule:" and "Not found:", in the same words.
func TestWriteMissing(t *testing.T) {
	res := &schedule.Result{
		Requested: []string{"API308", "NET201", "SEC201", "XYZ999", "QQQ999"},
		Unscheduled: []schedule.Unscheduled{
			{Code: "API308", Reason: schedule.ReasonConflict, BlockedBy: []string{"ARC302-R1", "DEV301"}},
			{Code: "NET201", Reason: schedule.ReasonNoTime},
			{Code: "SEC201", Reason: schedule.ReasonConflict},
		},
		NotFound: []string{"XYZ999", "QQQ999"},
	}
	o := ScheduleOptions{Suggestions: map[string][]string{"XYZ999": {"SVS402", "SVS410"}}}
	var got strings.Builder
	if err := WriteMissing(&got, res, o); err != nil {
		t.Fatal(err)
	}
	want := "could not schedule API308 (conflict: blocked by ARC302-R1, DEV301)\n" +
		"could not schedule NET201 (no time announced yet)\n" +
		"could not schedule SEC201 (conflict)\n" +
		"not found: XYZ999 (did you mean SVS402, SVS410?)\n" +
		"not found: QQQ999\n"
	if got.String() != want {
		t.Errorf("WriteMissing:\n%s\nwant:\n%s", got.String(), want)
	}
	var table strings.Builder
	if err := ScheduleTable(&table, res, o); err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{"API308  conflict: blocked by ARC302-R1, DEV301\n", "NET201  no time announced yet\n", "XYZ999  did you mean SVS402, SVS410?\n"} {
		if !strings.Contains(table.String(), w) {
			t.Errorf("the table lacks %q:\n%s", w, table.String())
		}
	}
	if got := NotFound(res.NotFound, o.Suggestions); got != "XYZ999 (did you mean SVS402, SVS410?), QQQ999" {
		t.Errorf("NotFound = %q", got)
	}
}
