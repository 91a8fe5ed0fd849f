// Package catalog holds the re:Invent session model, session codes, and the
// sources a catalog can be read from.
package catalog

import (
	"slices"
	"strings"
	"time"
)

// Session is one scheduled instance of a session: a repeat of a talk is a
// Session of its own with a full code such as ARC302-R1.
type Session struct {
	Code       string    `json:"code"`
	BaseCode   string    `json:"base_code"`
	SessionID  string    `json:"session_id"`
	Title      string    `json:"title"`
	Abstract   string    `json:"abstract"`
	Type       string    `json:"type"`
	Level      int       `json:"level"`
	Tracks     []string  `json:"tracks"`
	Topics     []string  `json:"topics"`
	Services   []string  `json:"services"`
	Roles      []string  `json:"roles"`
	Industries []string  `json:"industries"`
	Speakers   []string  `json:"speakers"`
	Start      time.Time `json:"start,omitzero"`
	End        time.Time `json:"end,omitzero"`
	AllDay     bool      `json:"all_day"`
	Venue      string    `json:"venue"`
	Room       string    `json:"room"`
	Starred    bool      `json:"starred"`
	Reserved   bool      `json:"reserved"`
	Status     string    `json:"status"`
	Embargoed  bool      `json:"embargoed"`
	// Reservable says a seat can be reserved for the session.
	Reservable bool `json:"reservable"`
	// SeatAvailability is the Events API's band of how full a reservable
	// session is (SeatAvailable, SeatLimited, ...), as sent; empty when the
	// source gives none. Bands may be added, so any value is kept.
	SeatAvailability string `json:"seat_availability"`

	// Unreadable names the fields of this model (by their JSON names,
	// such as "start" and "end" for a date of "TBA") that the source sent
	// but could not be read, and were left empty. It is not part of the
	// session's data: it is never written or stored, and watch keeps the
	// stored values of these fields.
	Unreadable []string `json:"-"`
}

// The seat availability bands of the AWS Events API (docs/events-api.md).
const (
	SeatAvailable   = "available"
	SeatLimited     = "limited"
	SeatVeryLimited = "veryLimited"
	SeatUnavailable = "unavailable"
	SeatWalkUp      = "walkUp"
)

// Scheduled reports whether the session has a time announced.
func (s *Session) Scheduled() bool { return !s.Start.IsZero() }

// ByStart orders sessions in time: by start, those with no time last,
// then by code. It is the one order in which every list of sessions is
// shown (search, show, the MCP tools), for slices.SortFunc.
func ByStart(a, b *Session) int {
	if a.Scheduled() != b.Scheduled() {
		if a.Scheduled() {
			return -1
		}
		return 1
	}
	if c := a.Start.Compare(b.Start); c != 0 {
		return c
	}
	return strings.Compare(a.Code, b.Code)
}

// Normalize puts a session into the canonical form every source returns:
// text cleaned of what a terminal would act on (CleanText), the code
// upper-cased with its base code derived, lists never nil, and times in
// loc. It is idempotent.
func (s *Session) Normalize(loc *time.Location) {
	s.clean()
	if c, err := ParseCode(s.Code); err == nil {
		s.Code = c.String()
		s.BaseCode = c.Base
	}
	for _, l := range []*[]string{&s.Tracks, &s.Topics, &s.Services, &s.Roles, &s.Industries, &s.Speakers} {
		if *l == nil {
			*l = []string{}
		}
	}
	if loc != nil {
		if !s.Start.IsZero() {
			s.Start = s.Start.In(loc)
		}
		if !s.End.IsZero() {
			s.End = s.End.In(loc)
		}
	}
}

// Equal reports whether two sessions hold the same data, comparing times as
// instants.
func (s *Session) Equal(o *Session) bool {
	return s.Code == o.Code && s.BaseCode == o.BaseCode && s.SessionID == o.SessionID &&
		s.Title == o.Title && s.Abstract == o.Abstract && s.Type == o.Type && s.Level == o.Level &&
		slices.Equal(s.Tracks, o.Tracks) && slices.Equal(s.Topics, o.Topics) &&
		slices.Equal(s.Services, o.Services) && slices.Equal(s.Roles, o.Roles) &&
		slices.Equal(s.Industries, o.Industries) && slices.Equal(s.Speakers, o.Speakers) &&
		s.Start.Equal(o.Start) && s.End.Equal(o.End) && s.AllDay == o.AllDay &&
		s.Venue == o.Venue && s.Room == o.Room && s.Starred == o.Starred &&
		s.Reserved == o.Reserved && s.Status == o.Status && s.Embargoed == o.Embargoed &&
		s.Reservable == o.Reservable && s.SeatAvailability == o.SeatAvailability
}

// Catalog is the result of one fetch from a source.
type Catalog struct {
	Source    string    `json:"source"`
	Event     string    `json:"event"`
	FetchedAt time.Time `json:"fetched_at"`
	Sessions  []Session `json:"sessions"`
	// Warnings say, one line each, which sessions a live source could read
	// only in part (they carry Session.Unreadable) or not at all (they are
	// left out), and why.
	Warnings []string `json:"-"`
	// Unkeyed are the session ids of the sessions left out for having no
	// code, so that watch does not take them for removed.
	Unkeyed []string `json:"-"`
	// LeftOut counts the sessions left out because they could not be read
	// at all.
	LeftOut int `json:"-"`
}

// Published is what a download writes of sessions: all of them but the
// embargoed, or only the starred of those when starredOnly. It filters
// sessions in place.
func Published(sessions []Session, starredOnly bool) []Session {
	return slices.DeleteFunc(sessions, func(s Session) bool { return s.Embargoed || (starredOnly && !s.Starred) })
}
