package reserve

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/reinvent-cli/reinvent/internal/catalogtest"
	"github.com/reinvent-cli/reinvent/internal/testenv"
	"github.com/reinvent-cli/reinvent/pkg/catalog"
)

// TestReportWrite: reserve --format json prints one JSON object a script
// can read, and the default is the table people read, its summary first.
func TestReportWrite(t *testing.T) {
	s := catalogtest.Session(catalog.Session{Code: "SVS401", Venue: "Venetian", Title: "Serverless"})
	rep := &Report{Reserved: []Entry{{Code: "SVS401", Session: s}}, Requests: 1}

	var js bytes.Buffer
	if err := rep.Write(&js, true, testenv.Vegas); err != nil {
		t.Fatal(err)
	}
	var got struct {
		Reserved []struct{ Code, Title string } `json:"reserved"`
	}
	if err := json.Unmarshal(js.Bytes(), &got); err != nil {
		t.Fatalf("--format json is not JSON: %v\n%s", err, js.String())
	}
	if len(got.Reserved) != 1 || got.Reserved[0].Code != "SVS401" || got.Reserved[0].Title != "Serverless" {
		t.Errorf("reserved = %+v, want SVS401 Serverless", got.Reserved)
	}

	var table bytes.Buffer
	if err := rep.Write(&table, false, testenv.Vegas); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(table.String(), "Reserved 1 session;") || !strings.Contains(table.String(), "SVS401") {
		t.Errorf("table:\n%s", table.String())
	}
}
