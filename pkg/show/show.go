// Package show gathers sessions in full for reinvent show: every instance,
// whether you hold it, and what it clashes with in the plan made around what
// you hold (docs/show.md).
package show

import (
	"context"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/reinvent-cli/reinvent/pkg/catalog"
	"github.com/reinvent-cli/reinvent/pkg/reserve"
	"github.com/reinvent-cli/reinvent/pkg/schedule"
)

// Options say what to show.
type Options struct {
	// Codes are the codes to show, in order: a base code shows every
	// instance, a full code (SVS401-R1) that instance, and a code ending
	// in = (AIM306=) exactly the instance of that code.
	Codes []string
	// Plan says how your plan is made: as reinvent schedule --starred
	// makes it around what you hold (its Codes and Starred are Run's).
	Plan reserve.PlanOptions
}

// Session is one code shown in full: the JSON object of reinvent show
// --format json (docs/show.md).
type Session struct {
	// Code is the code as asked for, canonical (SVS401, SVS401-R1).
	Code     string   `json:"code"`
	BaseCode string   `json:"base_code"`
	Title    string   `json:"title"`
	Type     string   `json:"type"`
	Level    int      `json:"level"`
	Tracks   []string `json:"tracks"`
	Topics   []string `json:"topics"`
	Services []string `json:"services"`
	Speakers []string `json:"speakers"`
	Abstract string   `json:"abstract"`
	// Instances are the instances the code names, in time order (those
	// with no time yet last).
	Instances []Instance `json:"instances"`
	// Others are the full codes of the other instances of the session,
	// not shown because a full code asked for one.
	Others []string `json:"others"`
}

// Instance is one scheduled instance of a session.
type Instance struct {
	Code  string     `json:"code"`
	Start *time.Time `json:"start"`
	End   *time.Time `json:"end"`
	// AllDay says the instance lasts its whole day.
	AllDay bool   `json:"all_day"`
	Venue  string `json:"venue"`
	Room   string `json:"room"`
	// SeatAvailability is the band (available, limited, veryLimited,
	// unavailable, walkUp); "" when the source gives none.
	SeatAvailability string `json:"seat_availability"`
	Reservable       bool   `json:"reservable"`
	// Held says you hold a seat for it: on the AWS Events API signed in,
	// your schedule says so; on any other source, the catalog's reserved
	// flag.
	Held bool `json:"held"`
	// InPlan says your plan chose this instance.
	InPlan bool `json:"in_plan"`
	// Clashes are what in your plan this instance cannot be combined
	// with, the walk between venues and the buffer included, in time
	// order; empty when it fits the plan or is in it.
	Clashes []Clash `json:"clashes"`
}

// Clash is a session or a block of personal time of the plan that an
// instance clashes with.
type Clash struct {
	// Code is the full code of the session; "" for personal time.
	Code string `json:"code"`
	// Title is the session's title, or "personal time (TITLE)".
	Title string     `json:"title"`
	Start *time.Time `json:"start"`
	End   *time.Time `json:"end"`
	Venue string     `json:"venue"`
	// WalkMinutes is the travel between the two venues that the plan
	// allows for (docs/travel.md); 0 at the same venue.
	WalkMinutes int `json:"walk_minutes"`
}

// Report is what Run found.
type Report struct {
	// Sessions are one per code found, in the order asked.
	Sessions []Session
	// NotFound are the codes that name no session, in the order asked;
	// Suggestions maps each to close codes of the catalog.
	NotFound    []string
	Suggestions map[string][]string
	// Catalog is the catalog the sessions come from.
	Catalog *catalog.Catalog
}

// Run fetches the catalog, makes your plan (reserve.PlanAround with
// Starred; none when nothing is starred or held), and gathers each code of
// o.Codes in full. A code that names no session is in Report.NotFound;
// errors are PlanAround's.
func Run(ctx context.Context, deps reserve.PlanDeps, o Options) (*Report, error) {
	var cat *catalog.Catalog
	fetch := deps.Fetch
	deps.Fetch = func(ctx context.Context) (*catalog.Catalog, error) {
		if cat == nil {
			c, err := fetch(ctx)
			if err != nil {
				return nil, err
			}
			cat = c
		}
		return cat, nil
	}
	po := o.Plan
	po.Codes, po.Starred = nil, true
	p, err := reserve.PlanAround(ctx, deps, po)
	if errors.Is(err, reserve.ErrNothingStarred) {
		po.Starred = false
		p, err = reserve.PlanAround(ctx, deps, po)
	}
	if err != nil {
		return nil, err
	}
	r := &Report{Catalog: p.Catalog}
	for _, code := range o.Codes {
		s, ok := gather(code, p)
		if !ok {
			r.NotFound = append(r.NotFound, code)
			continue
		}
		r.Sessions = append(r.Sessions, s)
	}
	r.Suggestions = catalog.CloseCodes(r.NotFound, p.Catalog.Sessions)
	return r, nil
}

// gather is the Session of code in the plan's catalog, and whether code
// names one.
func gather(code string, p *reserve.Planned) (Session, bool) {
	bare, exact := schedule.CutExact(code)
	want, err := catalog.ParseCode(bare)
	if err != nil {
		return Session{}, false
	}
	var named, others []*catalog.Session
	for i := range p.Catalog.Sessions {
		s := &p.Catalog.Sessions[i]
		full, err := catalog.ParseCode(s.Code)
		if s.Embargoed || err != nil || full.Base != want.Base {
			continue
		}
		if want.Matches(full) && (!exact || full == want) {
			named = append(named, s)
		} else {
			others = append(others, s)
		}
	}
	if len(named) == 0 {
		return Session{}, false
	}
	slices.SortStableFunc(named, catalog.ByStart)
	slices.SortStableFunc(others, catalog.ByStart)
	first := named[0]
	s := Session{
		Code: want.String(), BaseCode: first.BaseCode, Title: first.Title, Type: first.Type, Level: first.Level,
		Tracks: first.Tracks, Topics: first.Topics, Services: first.Services, Speakers: first.Speakers,
		Abstract: first.Abstract, Instances: []Instance{}, Others: []string{},
	}
	if exact && want.IsBase() {
		s.Code += schedule.ExactMark
	}
	for _, in := range named {
		s.Instances = append(s.Instances, instance(in, p))
	}
	for _, o := range others {
		s.Others = append(s.Others, o.Code)
	}
	return s, true
}

// instance is s as shown: held, in the plan, and what of the plan it
// clashes with.
func instance(s *catalog.Session, p *reserve.Planned) Instance {
	in := Instance{
		Code: s.Code, Start: timeOf(s.Start), End: timeOf(s.End), AllDay: s.AllDay,
		Venue: s.Venue, Room: s.Room, SeatAvailability: s.SeatAvailability, Reservable: s.Reservable,
		Held: p.Held[strings.ToUpper(s.Code)], Clashes: []Clash{},
	}
	for i := range p.Result.Scheduled {
		c := &p.Result.Scheduled[i].Session
		if c.Code == s.Code && c.SessionID == s.SessionID {
			in.InPlan = true
			continue
		}
		if p.Options.Clash(s, c) {
			in.Clashes = append(in.Clashes, clashWith(s, c, c.Code, c.Title, p.Options))
		}
	}
	for i := range p.Personal {
		if b := &p.Personal[i]; p.Options.Clash(s, b) {
			in.Clashes = append(in.Clashes, clashWith(s, b, "", reserve.PersonalName(b.Title), p.Options))
		}
	}
	slices.SortStableFunc(in.Clashes, func(a, b Clash) int { return a.Start.Compare(*b.Start) })
	return in
}

// clashWith is the Clash of s with c, named code and title.
func clashWith(s, c *catalog.Session, code, title string, o schedule.Options) Clash {
	walk := 0
	if !schedule.SameVenue(s.Venue, c.Venue) {
		m, known := o.Travel.Minutes(s.Venue, c.Venue)
		if !known {
			m = int(o.UnknownTravel / time.Minute)
		}
		walk = m
	}
	return Clash{Code: code, Title: title, Start: timeOf(c.Start), End: timeOf(c.End), Venue: c.Venue, WalkMinutes: walk}
}

// timeOf is t, or nil when it is not set.
func timeOf(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}
