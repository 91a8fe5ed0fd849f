package schedule

import (
	"strings"
	"testing"
)

// TestCheckCodes: base codes, full codes and exact codes (AIM306=) pass;
// the first code that is not one is named in the error.
func TestCheckCodes(t *testing.T) {
	if err := CheckCodes([]string{"SVS401", "svs401-r1", "AIM306=", " ARC302 "}); err != nil {
		t.Errorf("good codes refused: %v", err)
	}
	if err := CheckCodes(nil); err != nil {
		t.Errorf("no codes: %v", err)
	}
	err := CheckCodes([]string{"SVS401", "not-a-code!", "??"})
	if err == nil || !strings.Contains(err.Error(), `"NOT-A-CODE!"`) {
		t.Errorf("bad code: %v, want an error naming NOT-A-CODE!", err)
	}
}
