package main

import (
	"slices"
	"strings"
	"testing"
	"time"

	fakeevents "github.com/reinvent-cli/reinvent/internal/fake/events"
)

// TestFollowRebook: follow --rebook books, run after run, what became
// possible, from the built binary against the Events API fake: the plan's
// sessions with seats; a session whose seats another attendee gives back
// (the fake's seat script) once they are back; another instance of a held
// seat that a move made clash, never cancelling that seat. Each seat taken
// is a notice, sent once.
func TestFollowRebook(t *testing.T) {
	w := newFollowWorld(t, reInvent2026)
	w.events.Lock()
	w.events.Seats = map[string]int{"f6": 0} // SEA101 is full
	w.events.Unlock()
	if _, errOut, code := w.run("--rebook"); code != 0 || w.writes() != 0 {
		t.Fatalf("baseline: exit %d, %d writes; want 0 and none\n%s", code, w.writes(), errOut)
	}

	out, errOut, code := w.run("--rebook", "--format", "json")
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, errOut)
	}
	var got []string
	for _, n := range notices(t, out) {
		got = append(got, n.Kind+" "+n.Session)
	}
	want := []string{"reserved CAN101", "reserved MOV101", "reserved REN101", "reserved REP101", "reserved ROO101"}
	if !slices.Equal(got, want) {
		t.Fatalf("notices %v, want %v\n%s", got, want, errOut)
	}
	if held := w.held(); !slices.Contains(held, "f1") || slices.Contains(held, "f6") || slices.Contains(held, "f7") {
		t.Errorf("held %v; want the planned sessions with seats, not SEA101 (full) nor FIT101 (does not fit)", held)
	}

	// Another attendee gives SEA101's seats back.
	w.events.Lock()
	w.events.SeatScript = []fakeevents.SeatChange{{At: time.Now(), SessionID: "f6", Seats: 3, Band: "limited"}}
	w.events.Unlock()
	out, errOut, code = w.run("--rebook", "--format", "json")
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, errOut)
	}
	ns := notices(t, out)
	got = nil
	for _, n := range ns {
		got = append(got, n.Kind+" "+n.Session)
		if n.Kind == "reserved" && (!strings.HasSuffix(n.New, ", seats opened") || !slices.Equal(n.Sent, []string{"ntfy"})) {
			t.Errorf("reserved notice %+v; want why (seats opened) and sent to ntfy", n)
		}
	}
	if !slices.Equal(got, []string{"seats SEA101", "reserved SEA101"}) || !slices.Contains(w.held(), "f6") {
		t.Fatalf("notices %v, held %v; want SEA101's seats and its reservation", got, w.held())
	}

	// HLD303 moves onto HLD404's day and time; HLD303-R, Thursday, has seats.
	w.add(w.session("h5", "HLD303-R", "Held third", 3, "15:00"))
	w.change("h3", func(s *fakeevents.Session) {
		s.SessionTime.Date, s.SessionTime.Time = w.monday.AddDate(0, 0, 4).Format("2006-01-02"), "10:30"
	})
	writes := w.writes()
	out, errOut, code = w.run("--rebook", "--format", "json")
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, errOut)
	}
	got = nil
	for _, n := range notices(t, out) {
		got = append(got, n.Kind+" "+n.Session)
	}
	if !slices.Contains(got, "clash HLD303") || !slices.Contains(got, "reserved HLD303-R") {
		t.Fatalf("notices %v; want HLD303's clash and HLD303-R reserved\n%s", got, errOut)
	}
	if held := w.held(); !slices.Contains(held, "h3") || !slices.Contains(held, "h5") {
		t.Errorf("held %v; want HLD303 kept (no swap without --swap) and HLD303-R", held)
	}
	for _, wr := range w.writesSince(writes) {
		if wr.Key != "reserve" {
			t.Errorf("a %s write; follow --rebook only reserves", wr.Key)
		}
	}
	// Nothing new: nothing written, nothing sent.
	writes, sent := w.writes(), w.ntfy.Published()
	if out, _, code := w.run("--rebook"); code != 0 || out != "" || w.writes() != writes || w.ntfy.Published() != sent {
		t.Errorf("a rerun: exit %d, stdout %q, %d writes, %d sent", code, out, w.writes()-writes, w.ntfy.Published()-sent)
	}

	// With --swap, the seat that clashes is given up, now that HLD303-R
	// holds its place: one cancel, of that seat, and a notice.
	out, errOut, code = w.run("--rebook", "--swap", "--format", "json")
	ns = notices(t, out)
	if code != 0 || len(ns) != 1 || ns[0].Kind != "released" || ns[0].Session != "HLD303" || ns[0].New != "no longer held, given up: it clashed with HLD404" {
		t.Fatalf("--swap: exit %d, notices %+v\n%s", code, ns, errOut)
	}
	var keys []string
	for _, wr := range w.writesSince(writes) {
		keys = append(keys, wr.Key+" "+strings.Join(wr.SessionIDs, ","))
	}
	if !slices.Equal(keys, []string{"cancel h3"}) || slices.Contains(w.held(), "h3") || !slices.Contains(w.held(), "h5") {
		t.Errorf("writes %v, held %v; want one cancel of HLD303, HLD303-R held", keys, w.held())
	}
}

// held are the session ids the fake says are reserved.
func (w *followWorld) held() []string {
	w.events.Lock()
	defer w.events.Unlock()
	return slices.Clone(w.events.Reserved)
}

// writes counts the writes the fake received.
func (w *followWorld) writes() int {
	w.events.Lock()
	defer w.events.Unlock()
	return len(w.events.Writes)
}

// writesSince are the writes the fake received after the first n.
func (w *followWorld) writesSince(n int) []fakeevents.Write {
	w.events.Lock()
	defer w.events.Unlock()
	return slices.Clone(w.events.Writes[n:])
}
