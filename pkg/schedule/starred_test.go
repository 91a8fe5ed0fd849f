package schedule

import (
	"strings"
	"testing"
	"time"

	"github.com/reinvent-cli/reinvent/pkg/catalog"
)

func TestStarredCodes(t *testing.T) {
	at := func(h int) time.Time { return time.Date(2026, 12, 1, h, 0, 0, 0, time.UTC) }
	got := StarredCodes([]catalog.Session{
		{Code: "ARC302-R1", BaseCode: "ARC302", Starred: true, Start: at(15)},
		{Code: "SVS401-R", BaseCode: "SVS401", Starred: true, Reserved: true, Start: at(9)},
		{Code: "DAT301", BaseCode: "DAT301", Start: at(8)},
		{Code: "SEC201", BaseCode: "SEC201", Starred: true, Embargoed: true, Start: at(8)},
	})
	if strings.Join(got, " ") != "SVS401-R ARC302" {
		t.Errorf("StarredCodes = %v, want the reserved instance then the starred base code", got)
	}

	// A seat held on an instance whose code is its base code is asked for
	// as exactly that instance; starred keynotes come before other starred
	// sessions, which keep catalog order.
	got = StarredCodes([]catalog.Session{
		{Code: "DEV201", BaseCode: "DEV201", Type: "Lightning talk", Starred: true, Start: at(8)},
		{Code: "AIM306", BaseCode: "AIM306", Starred: true, Reserved: true, Start: at(15)},
		{Code: "AIM306-R", BaseCode: "AIM306", Starred: true, Start: at(9)},
		{Code: "KEY001", BaseCode: "KEY001", Type: "Keynote", Starred: true, Start: at(9)},
		{Code: "ARC453-R", BaseCode: "ARC453", Reserved: true, Start: at(10)},
		{Code: "CMP101", BaseCode: "CMP101", Type: "Breakout session", Starred: true, Start: at(7)},
	})
	if strings.Join(got, " ") != "AIM306= ARC453-R KEY001 DEV201 CMP101" {
		t.Errorf("StarredCodes = %v", got)
	}
}
