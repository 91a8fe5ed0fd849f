package render

import (
	"bytes"
	"strings"
	"testing"

	"github.com/reinvent-cli/reinvent/pkg/schedule"
)

// TestWriteSchedule: every format writes to w; CSV and iCalendar say on
// notes what was not found, since they have no room for it, while the
// table and JSON hold it themselves; an unknown format is refused.
func TestWriteSchedule(t *testing.T) {
	res := &schedule.Result{NotFound: []string{"XYZ999"}}
	for _, format := range Formats {
		var out, notes bytes.Buffer
		if err := WriteSchedule(&out, &notes, format, res, ScheduleOptions{}); err != nil {
			t.Fatalf("%s: %v", format, err)
		}
		inNotes := strings.Contains(notes.String(), "not found: XYZ999")
		if want := format == "csv" || format == "ics"; inNotes != want || out.Len() == 0 {
			t.Errorf("%s: %d bytes written, notes %q", format, out.Len(), notes.String())
		}
	}
	if err := WriteSchedule(&bytes.Buffer{}, &bytes.Buffer{}, "png", res, ScheduleOptions{}); err == nil || !strings.Contains(err.Error(), "table, json, csv, ics") {
		t.Errorf("png: %v, want an error naming the formats", err)
	}
}
