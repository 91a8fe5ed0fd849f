package fakeevents

import (
	"strconv"
	"strings"
	"time"

	"github.com/reinvent-cli/reinvent/pkg/catalog"
)

// FromCatalog returns sessions of the model in the shape the 2026 catalog
// was served in (docs/events-api.md): local date and time with the length
// as a string, the level as words, and for Wynn, Encore and Caesars Palace
// no venue but a room that starts with it ("Wynn/Encore | Level 1 |
// Latour 1", "Caesars Palace | Level 3 | Palace 1"). Times are written in
// loc, the event's zone, without a timezone key.
func FromCatalog(sessions []catalog.Session, loc *time.Location) []any {
	out := make([]any, len(sessions))
	for i := range sessions {
		out[i] = FromSession(&sessions[i], loc)
	}
	return out
}

// levelWords are the levels as the catalog writes them.
var levelWords = map[int]string{100: "100 - Foundational", 200: "200 - Intermediate", 300: "300 - Advanced", 400: "400 - Expert"}

// FromSession is FromCatalog for one session.
func FromSession(s *catalog.Session, loc *time.Location) Session {
	w := Session{
		SessionID: s.SessionID, Title: s.Title, Abbreviation: s.Code, Abstract: s.Abstract,
		Type: s.Type, Level: levelWords[s.Level], Venue: s.Venue, Room: s.Room,
		SeatAvailability: s.SeatAvailability,
		Tracks:           s.Tracks, Topics: s.Topics, Industries: s.Industries, Roles: s.Roles, Services: s.Services,
	}
	if s.AllDay {
		w.IsAllDaySession = ptr(true)
	}
	w.IsReservable = ptr(s.Reservable)
	switch s.Venue {
	case "Wynn", "Encore", catalog.WynnEncore:
		w.Venue, w.Room = "", join(catalog.WynnEncore, s.Room)
	case "Caesars Palace":
		w.Venue, w.Room = "", join("Caesars Palace", s.Room)
	}
	for _, n := range s.Speakers {
		w.Speakers = append(w.Speakers, Speaker{Name: n})
	}
	if !s.Start.IsZero() {
		st := s.Start.In(loc)
		w.SessionTime = &SessionTime{Date: st.Format("2006-01-02"), Time: st.Format("15:04")}
		if !s.End.IsZero() {
			w.SessionTime.Length = strconv.Itoa(int(s.End.Sub(s.Start) / time.Minute))
		}
	}
	return w
}

func join(venue, room string) string {
	if strings.TrimSpace(room) == "" {
		return venue
	}
	return venue + " | " + room
}

func ptr[T any](v T) *T { return &v }
