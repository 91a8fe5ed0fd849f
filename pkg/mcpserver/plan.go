package mcpserver

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/reinvent-cli/reinvent/pkg/catalog"
	"github.com/reinvent-cli/reinvent/pkg/render"
	"github.com/reinvent-cli/reinvent/pkg/reserve"
	"github.com/reinvent-cli/reinvent/pkg/schedule"
)

// PlanArgs are plan_schedule's arguments.
type PlanArgs struct {
	Codes  List   `json:"codes" jsonschema:"session codes in priority order: a base code (SVS401) stands for every repeat, a full code (SVS401-R1) for that instance, a code ending in = (AIM306=) for exactly that instance"`
	Buffer string `json:"buffer,omitempty" jsonschema:"extra time to keep free between two sessions on one day, such as 10m; none when absent"`
	Cursor string `json:"cursor,omitempty" jsonschema:"next_cursor of the previous page of this plan, for the rest of a long schedule"`
}

// PlanResult is plan_schedule's result.
type PlanResult struct {
	Schedule render.ScheduleDoc `json:"schedule" jsonschema:"the same object as reinvent schedule --format json (docs/schedule.md): the plan with alternates and seat bands, what could not be scheduled and what blocks it, codes not found; on a page, scheduled holds this page's sessions"`
	// Travel are the walks into this page's scheduled sessions.
	Travel        []Leg               `json:"travel" jsonschema:"the walk into each scheduled session from the one before it on its day"`
	TravelMinutes int                 `json:"travel_minutes" jsonschema:"travel minutes of the whole plan"`
	Suggestions   map[string][]string `json:"suggestions,omitempty" jsonschema:"close codes of the catalog for each code not found"`
	Notes         []string            `json:"notes,omitempty" jsonschema:"held seats or personal time the plan left out, codes merged into another"`
	NextCursor    string              `json:"next_cursor,omitempty" jsonschema:"pass as cursor for the next page; absent on the last"`
}

// Leg is the walk from one scheduled session to the next on its day.
type Leg struct {
	From        string `json:"from"`
	To          string `json:"to"`
	Minutes     int    `json:"minutes" jsonschema:"travel minutes counted between the two venues"`
	Known       bool   `json:"known" jsonschema:"whether the travel table knows the pair of venues (else the server's unknown-travel time)"`
	SameVenue   bool   `json:"same_venue"`
	FreeMinutes int    `json:"free_minutes" jsonschema:"minutes from the end of from to the start of to"`
}

// MyScheduleArgs are get_my_schedule's arguments.
type MyScheduleArgs struct {
	Cursor string `json:"cursor,omitempty" jsonschema:"next_cursor of the previous page"`
}

// MySchedule is get_my_schedule's result.
type MySchedule struct {
	From         string     `json:"from" jsonschema:"account: the AWS Events API's schedule of the signed-in attendee; catalog: what the catalog marks reserved and starred"`
	Reserved     []Brief    `json:"reserved"`
	Favorites    []Brief    `json:"favorites"`
	PersonalTime []Personal `json:"personal_time"`
	// NotInCatalog are held or favorite session ids the catalog lacks.
	NotInCatalog []string `json:"not_in_catalog,omitempty"`
	NextCursor   string   `json:"next_cursor,omitempty" jsonschema:"pass as cursor for the next page; absent on the last"`
}

// Brief is one session in short.
type Brief struct {
	Code             string `json:"code"`
	Title            string `json:"title"`
	Start            string `json:"start,omitempty"`
	End              string `json:"end,omitempty"`
	Venue            string `json:"venue,omitempty"`
	Room             string `json:"room,omitempty"`
	SeatAvailability string `json:"seat_availability,omitempty"`
}

// Personal is a block of the attendee's personal time.
type Personal struct {
	Title       string `json:"title"`
	Description string `json:"description,omitempty"`
	Location    string `json:"location,omitempty"`
	Start       string `json:"start"`
	End         string `json:"end"`
}

func (s *server) addReadTools(srv *mcp.Server) {
	closed := false
	read := &mcp.ToolAnnotations{ReadOnlyHint: true, OpenWorldHint: &closed}
	mcp.AddTool(srv, &mcp.Tool{
		Name:  "plan_schedule",
		Title: "Plan the best schedule",
		Description: `The best schedule of session codes, exactly as reinvent schedule makes it: the most codes in priority order, across every repeat, allowing for the walk between venues, around the seats the attendee holds.
Result: schedule (the object of reinvent schedule --format json), travel, what could not be scheduled and what blocks it, alternates and seat bands.`,
		InputSchema: inputSchema[PlanArgs](),
		Annotations: read,
	}, s.planSchedule)
	mcp.AddTool(srv, &mcp.Tool{
		Name:        "get_my_schedule",
		Title:       "What the attendee holds",
		Description: "The attendee's reserved seats, favorites and personal time: from the AWS Events API when signed in, else what the catalog marks reserved and starred.",
		Annotations: read,
	}, s.mySchedule)
	s.addSearchTools(srv, read)
}

func (s *server) planSchedule(ctx context.Context, _ *mcp.CallToolRequest, args PlanArgs) (*mcp.CallToolResult, PlanResult, error) {
	codes := catalog.SplitCodes(args.Codes)
	if len(codes) == 0 {
		return nil, PlanResult{}, fmt.Errorf(`give at least one session code in codes, e.g. ["SVS401", "ARC302"]`)
	}
	po := s.planOptions(codes)
	if args.Buffer != "" {
		b, err := time.ParseDuration(args.Buffer)
		if err != nil {
			return nil, PlanResult{}, fmt.Errorf("buffer %q: want a duration such as 10m", catalog.CleanLine(args.Buffer))
		}
		po.Plan.Buffer = b
	}
	if err := po.Plan.Check(); err != nil {
		return nil, PlanResult{}, toolError(err)
	}
	if err := schedule.CheckCodes(codes); err != nil {
		return nil, PlanResult{}, toolError(err)
	}
	p, err := reserve.PlanAround(ctx, s.planDeps(), po)
	if err != nil {
		return nil, PlanResult{}, toolError(err)
	}
	res := p.Result
	if p.NoneFound {
		return nil, PlanResult{}, fmt.Errorf("no session in the catalog matches %s", catalog.CleanLine(render.NotFound(res.NotFound, p.Suggestions)))
	}
	doc := render.NewScheduleDoc(res, render.ScheduleOptions{
		Location: s.o.Location, Suggestions: p.Suggestions, Stamp: p.Catalog.FetchedAt,
		Seats: render.SeatsOf(res, p.Catalog.Sessions),
	})
	var notes bytes.Buffer
	if err := p.WriteNotes(&notes); err != nil {
		return nil, PlanResult{}, err
	}
	legs := make([]Leg, len(res.Scheduled))
	for i, c := range res.Scheduled {
		if l := c.Leg; l != nil {
			legs[i] = Leg{From: l.From, To: l.To, Minutes: l.Minutes, Known: l.Known, SameVenue: l.SameVenue, FreeMinutes: int(l.Free / time.Minute)}
		}
	}
	key := listKey("plan_schedule", PlanArgs{Codes: codes, Buffer: args.Buffer}, p.Catalog.FetchedAt)
	n := len(doc.Scheduled)
	start, err := offset(args.Cursor, key, n)
	if err != nil {
		return nil, PlanResult{}, err
	}
	out, err := page(start, n, s.o.Budget, func(end int) PlanResult {
		d := doc
		d.Scheduled = doc.Scheduled[start:end]
		r := PlanResult{Schedule: d, Travel: []Leg{}, TravelMinutes: res.TravelMinutes, Suggestions: p.Suggestions, NextCursor: next(key, end, n)}
		for _, l := range legs[start:end] {
			if l.From != "" {
				r.Travel = append(r.Travel, l)
			}
		}
		if notes.Len() > 0 {
			r.Notes = strings.Split(strings.TrimSuffix(notes.String(), "\n"), "\n")
		}
		return r
	})
	return nil, out, err
}

func (s *server) mySchedule(ctx context.Context, _ *mcp.CallToolRequest, args MyScheduleArgs) (*mcp.CallToolResult, MySchedule, error) {
	cat, err := s.deps.Fetch(ctx, false)
	if err != nil {
		return nil, MySchedule{}, toolError(err)
	}
	all := MySchedule{From: "catalog", Reserved: []Brief{}, Favorites: []Brief{}, PersonalTime: []Personal{}}
	acct, err := s.account()
	if err != nil {
		return nil, MySchedule{}, toolError(err)
	}
	signedIn := false
	if acct != nil {
		if signedIn, err = acct.SignedIn(ctx); err != nil {
			return nil, MySchedule{}, toolError(err)
		}
	}
	if signedIn {
		sch, err := acct.Schedule(ctx, s.o.Event)
		if err != nil {
			return nil, MySchedule{}, toolError(err)
		}
		all.From = "account"
		byID := map[string]*catalog.Session{}
		for i := range cat.Sessions {
			byID[cat.Sessions[i].SessionID] = &cat.Sessions[i]
		}
		for _, x := range cat.Sessions {
			if sch.Reserved[x.SessionID] {
				all.Reserved = append(all.Reserved, s.brief(&x))
			}
			if sch.Favorites[x.SessionID] {
				all.Favorites = append(all.Favorites, s.brief(&x))
			}
		}
		for _, ids := range []map[string]bool{sch.Reserved, sch.Favorites} {
			for id, ok := range ids {
				if ok && byID[id] == nil {
					all.NotInCatalog = append(all.NotInCatalog, catalog.CleanLine(id))
				}
			}
		}
		for _, p := range sch.Personal {
			all.PersonalTime = append(all.PersonalTime, Personal{
				Title: catalog.CleanLine(p.Title), Description: catalog.CleanLine(p.Description), Location: catalog.CleanLine(p.Location),
				Start: p.Start.In(s.o.Location).Format(time.RFC3339), End: p.End.In(s.o.Location).Format(time.RFC3339),
			})
		}
	} else {
		for _, x := range cat.Sessions {
			if x.Reserved {
				all.Reserved = append(all.Reserved, s.brief(&x))
			}
			if x.Starred {
				all.Favorites = append(all.Favorites, s.brief(&x))
			}
		}
	}
	key := listKey("get_my_schedule", MyScheduleArgs{}, cat.FetchedAt)
	nr, nf := len(all.Reserved), len(all.Favorites)
	n := nr + nf + len(all.PersonalTime)
	start, err := offset(args.Cursor, key, n)
	if err != nil {
		return nil, MySchedule{}, err
	}
	out, err := page(start, n, s.o.Budget, func(end int) MySchedule {
		m := all
		m.Reserved = all.Reserved[clamp(start, 0, nr):clamp(end, 0, nr)]
		m.Favorites = all.Favorites[clamp(start-nr, 0, nf):clamp(end-nr, 0, nf)]
		m.PersonalTime = all.PersonalTime[clamp(start-nr-nf, 0, n-nr-nf):clamp(end-nr-nf, 0, n-nr-nf)]
		m.NextCursor = next(key, end, n)
		return m
	})
	return nil, out, err
}

func clamp(i, lo, hi int) int { return max(lo, min(i, hi)) }

// brief is x in short, its times in the event's zone.
func (s *server) brief(x *catalog.Session) Brief {
	b := Brief{Code: x.Code, Title: x.Title, Venue: x.Venue, Room: x.Room, SeatAvailability: x.SeatAvailability}
	if x.Scheduled() {
		b.Start = x.Start.In(s.o.Location).Format(time.RFC3339)
	}
	if !x.End.IsZero() {
		b.End = x.End.In(s.o.Location).Format(time.RFC3339)
	}
	return b
}
