package follow

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/reinvent-cli/reinvent/internal/catalogtest"
	"github.com/reinvent-cli/reinvent/pkg/catalog"
	"github.com/reinvent-cli/reinvent/pkg/notify"
)

// betterWorld is a world where --rebook holds ARC302 and API304 (DAT301
// is full), then DAT301 gets a repeat at API304's time and API304 one on
// the last day: the better plan holds DAT301-R1 in place of API304, and
// API304-R1 besides.
func betterWorld(t *testing.T, acct *account, repeatOfAPI bool) *world {
	t.Helper()
	w := newWorld(t)
	acct.full["id-DAT301"] = true
	w.rebook(acct, true) // the baseline
	w.rebook(acct, true) // books ARC302 and API304
	if !acct.reserved["id-ARC302"] || !acct.reserved["id-API304"] || len(acct.cancels) != 0 {
		t.Fatalf("held %v, cancels %v; want ARC302 and API304 booked, nothing cancelled", acct.reserved, acct.cancels)
	}
	add := func(code, venue string, start time.Time) {
		w.sessions = append(w.sessions, catalogtest.Session(catalog.Session{Code: code, SessionID: "id-" + code, Title: "Repeat of " + code,
			Venue: venue, Room: "Room 2", Start: start, SeatAvailability: "available", Reservable: true}))
	}
	add("DAT301-R1", "Caesars Forum", catalogtest.At(3, 10))
	if repeatOfAPI {
		add("API304-R1", "Caesars Forum", catalogtest.At(4, 10))
	}
	return w
}

func noticeOf(r *Report, kind, session string) *Notice {
	for i := range r.Notices {
		if r.Notices[i].Kind == kind && r.Notices[i].Session == session {
			return &r.Notices[i]
		}
	}
	return nil
}

// TestSwapForABetterPlan: a new repeat of a higher-priority code (DAT301)
// at the time of a held seat (API304) whose code has another instance
// that fits: API304-R1 is reserved first (it clashes with nothing), then
// API304 is given up and DAT301-R1 reserved. A rerun changes nothing.
func TestSwapForABetterPlan(t *testing.T) {
	acct := newAccount()
	w := betterWorld(t, acct, true)
	start := len(acct.writes)
	r := w.rebook(acct, true)
	if got, want := acct.writes[start:], []string{"reserve id-API304-R1", "cancel id-API304", "reserve id-DAT301-R1"}; !slices.Equal(got, want) {
		t.Fatalf("writes %q; want %q: the seat that clashes with nothing first", got, want)
	}
	for _, id := range []string{"id-ARC302", "id-DAT301-R1", "id-API304-R1", "id-SVS401", "id-CNS312"} {
		if !acct.reserved[id] {
			t.Errorf("held %v; want %s", acct.reserved, id)
		}
	}
	if acct.reserved["id-API304"] {
		t.Errorf("API304 still held")
	}
	if len(r.Swaps) != 1 || r.Swaps[0].Outcome != SwapDone {
		t.Fatalf("swaps %+v; want one done", r.Swaps)
	}
	got := kinds(r.Notices)
	for _, k := range []string{"reserved DAT301-R1", "reserved API304-R1", "released API304"} {
		if !slices.Contains(got, k) {
			t.Errorf("notices %v; want %q", got, k)
		}
	}
	if n := noticeOf(r, KindReleased, "API304"); n == nil || n.New != "no longer held, given up for DAT301-R1, a better plan" {
		t.Errorf("released notice %+v", n)
	}
	before := acct.requests
	if r := w.rebook(acct, true); len(r.Notices) != 0 || len(acct.cancels) != 1 || acct.requests != before {
		t.Errorf("a rerun: notices %v, cancels %v, %d reservations", kinds(r.Notices), acct.cancels, acct.requests-before)
	}
}

// TestSwapRolledBack: the new seat of a swap is full when asked: the seat
// given up is reserved again at once, a swap-failed notice says so, and
// the next run does not try that session again while its band is the
// same.
func TestSwapRolledBack(t *testing.T) {
	acct := newAccount()
	w := betterWorld(t, acct, false)
	acct.full["id-DAT301-R1"] = true // the band says available; the API says full
	start := len(acct.writes)
	r := w.rebook(acct, true)
	if got, want := acct.writes[start:], []string{"cancel id-API304", "reserve id-DAT301-R1", "reserve id-API304"}; !slices.Equal(got, want) {
		t.Fatalf("writes %q; want %q", got, want)
	}
	if !slices.Equal(acct.cancels, []string{"id-API304"}) || !acct.reserved["id-API304"] || acct.reserved["id-DAT301-R1"] {
		t.Fatalf("cancels %v, held %v; want API304 given up and held again", acct.cancels, acct.reserved)
	}
	if len(r.Swaps) != 1 || r.Swaps[0].Outcome != SwapRolledBack {
		t.Fatalf("swaps %+v; want one rolled back", r.Swaps)
	}
	n := noticeOf(r, KindSwapFailed, "DAT301-R1")
	if n == nil || n.New != "not made (DAT301-R1: sessionFull): API304 held again" {
		t.Fatalf("notices %+v; want swap-failed DAT301-R1", r.Notices)
	}
	if noticeOf(r, KindReleased, "API304") != nil || noticeOf(r, KindReserved, "API304") != nil {
		t.Errorf("notices %v: API304 is held as it was", kinds(r.Notices))
	}
	// The next run does not swap again for the same full session.
	r = w.rebook(acct, true)
	if len(acct.cancels) != 1 || len(r.Notices) != 0 {
		t.Errorf("a rerun: cancels %v, notices %v", acct.cancels, kinds(r.Notices))
	}
	// Its band changes (seats given back): the swap is tried again.
	delete(acct.full, "id-DAT301-R1")
	w.edit("DAT301-R1", func(s *catalog.Session) { s.SeatAvailability = "limited" })
	w.rebook(acct, true)
	if !acct.reserved["id-DAT301-R1"] || acct.reserved["id-API304"] {
		t.Errorf("held %v; want DAT301-R1 in place of API304 once its seats opened", acct.reserved)
	}
}

// TestSwapLostSaysSoLoudly: the new seat is full and the seat given up is
// taken by someone else before it is reserved again: an urgent seat-lost
// notice, and the summary says SEAT LOST whatever the flags.
func TestSwapLostSaysSoLoudly(t *testing.T) {
	acct := newAccount()
	w := betterWorld(t, acct, false)
	acct.full["id-DAT301-R1"] = true
	acct.full["id-API304"] = true // held still; once given up, taken
	r := w.rebook(acct, true)
	if acct.reserved["id-API304"] || acct.reserved["id-DAT301-R1"] {
		t.Fatalf("held %v", acct.reserved)
	}
	if len(r.Swaps) != 1 || r.Swaps[0].Outcome != SwapLost || !slices.Equal(r.Swaps[0].Lost, []string{"API304"}) {
		t.Fatalf("swaps %+v; want API304 lost", r.Swaps)
	}
	if len(r.Notices) == 0 || r.Notices[0].Kind != KindSeatLost || !r.Notices[0].Urgent() {
		t.Fatalf("notices %v; want seat-lost first, urgent", kinds(r.Notices))
	}
	if n := r.Notices[0]; n.Session != "API304" || !strings.HasPrefix(n.New, "SEAT LOST: given up for DAT301-R1") {
		t.Errorf("seat-lost notice %+v", n)
	}
	if n := noticeOf(r, KindReleased, "API304"); n == nil || !strings.HasSuffix(n.New, "SEAT LOST") {
		t.Errorf("released notice %+v", n)
	}
	var out, errOut strings.Builder
	if err := r.Write(&out, &errOut, false, false); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(errOut.String(), "SEAT LOST: API304, given up for DAT301-R1") {
		t.Errorf("summary %q; want the lost seat said", errOut.String())
	}
	if !slices.ContainsFunc(w.sinks[0].got, func(n notify.Notice) bool { return n.Title == "API304 SEAT LOST" && n.Priority == notify.Urgent }) {
		t.Errorf("sent %+v; want API304 SEAT LOST, urgent", w.sinks[0].got)
	}
}

// TestNoSwapForNothingBetter: with API304 before DAT301 in the order, the
// held API304 is worth more than DAT301-R1 at its time: nothing is given
// up. A new repeat that only saves a walk is no reason to swap either.
func TestNoSwapForNothingBetter(t *testing.T) {
	t.Run("priority", func(t *testing.T) {
		acct := newAccount()
		w := newWorld(t)
		w.codes = []string{"ARC302", "API304", "DAT301"}
		acct.full["id-DAT301"] = true
		w.rebook(acct, true)
		w.rebook(acct, true)
		w.sessions = append(w.sessions, catalogtest.Session(catalog.Session{Code: "DAT301-R1", SessionID: "id-DAT301-R1", Title: "Databases",
			Venue: "Caesars Forum", Room: "Room 2", Start: catalogtest.At(3, 10), SeatAvailability: "available", Reservable: true}))
		before := acct.requests
		r := w.rebook(acct, true)
		if len(acct.cancels) != 0 || acct.requests != before || len(r.Swaps) != 0 {
			t.Errorf("cancels %v, %d reservations, swaps %+v; want nothing", acct.cancels, acct.requests-before, r.Swaps)
		}
	})
	t.Run("travel", func(t *testing.T) {
		acct := newAccount()
		w := newWorld(t)
		w.edit("ARC302", func(s *catalog.Session) { s.Venue = "MGM Grand" }) // a walk to SVS401 at the Venetian
		r1 := w.sessions[slices.IndexFunc(w.sessions, func(s catalog.Session) bool { return s.Code == "ARC302-R1" })]
		w.remove("ARC302-R1")
		w.rebook(acct, true)
		w.rebook(acct, true)
		if !acct.reserved["id-ARC302"] {
			t.Fatalf("held %v; want ARC302", acct.reserved)
		}
		w.sessions = append(w.sessions, r1) // back, on a day with no walk
		before := acct.requests
		r := w.rebook(acct, true)
		if len(acct.cancels) != 0 || acct.requests != before || acct.reserved["id-ARC302-R1"] {
			t.Errorf("cancels %v, %d reservations, held %v; want nothing written for a shorter walk", acct.cancels, acct.requests-before, acct.reserved)
		}
		if r.Planned.Result.TravelMinutes == 0 {
			t.Errorf("the plan has no walk: the case tests nothing")
		}
	})
}
