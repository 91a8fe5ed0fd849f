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

// TestOptionsCheck: a negative buffer or unknown-travel time, or no time
// for the search, is refused in the words of schedule's flags.
func TestOptionsCheck(t *testing.T) {
	for _, tt := range []struct {
		o    Options
		want string
	}{
		{Options{TimeLimit: 2e9}, ""},
		{Options{Buffer: 6e11, UnknownTravel: 18e11, TimeLimit: 1}, ""},
		{Options{Buffer: -1, TimeLimit: 2e9}, "--buffer must not be negative, got -1ns"},
		{Options{UnknownTravel: -6e10, TimeLimit: 2e9}, "--unknown-travel must not be negative, got -1m0s"},
		{Options{}, "--time-limit must be positive, got 0s"},
	} {
		err := tt.o.Check()
		if (tt.want == "") != (err == nil) || err != nil && err.Error() != tt.want {
			t.Errorf("%+v: %v, want %q", tt.o, err, tt.want)
		}
	}
}
