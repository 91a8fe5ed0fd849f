package catalog

import (
	"slices"
	"testing"
)

func TestCloseMatches(t *testing.T) {
	got := EditDistance("SVS402", "SVS401")
	if got != 1 {
		t.Errorf("EditDistance = %d", got)
	}
	if d := EditDistance("ARC302", "ARC302"); d != 0 {
		t.Errorf("EditDistance(same) = %d", d)
	}
	if d := EditDistance("arc302", "ARC302"); d != 0 {
		t.Errorf("EditDistance compares without case, got %d", d)
	}
	sessions := []Session{{BaseCode: "SVS401"}, {BaseCode: "SVS402"}, {BaseCode: "ARC302"}, {BaseCode: "SVS403", Embargoed: true}}
	m := CloseCodes([]string{"SVS400", "XYZ999"}, sessions)
	if !slices.Equal(m["SVS400"], []string{"SVS401", "SVS402"}) || m["XYZ999"] != nil {
		t.Errorf("CloseCodes = %v; want SVS401, SVS402 for SVS400 (embargoed SVS403 left out), nothing for XYZ999", m)
	}
}
