package eventsapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/reinvent-cli/reinvent/pkg/catalog"
)

// The shapes on this page are those of the AWS Events API Developer Guide,
// as docs/events-api.md records them with the page each comes from. The
// guide says of a session: "A field is present only when the event
// provides it. Treat any single field as optional, and read defensively."
// So every field is read on its own: a number may come as a string and a
// string as a number, unknown fields are ignored, and a field that cannot
// be read is left empty and named in Session.Unreadable, never a failed
// fetch. Only a page that is not JSON, or has no items, fails the fetch.

// page is one answer of ListSessions (docs/events-api.md, "ListSessions"):
// {"items": [...], "totalCount": N, "nextToken"?}.
type page struct {
	Items      []json.RawMessage
	TotalCount int
	NextToken  string // "" on the last page
}

// decodePage decodes a page of sessions.
func decodePage(data []byte) (*page, error) {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(data, &raw); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			return nil, fmt.Errorf("malformed answer: want a JSON object, got %s", te.Value)
		}
		return nil, errors.New("malformed answer: not JSON")
	}
	items, ok := raw["items"]
	if !ok || isNull(items) {
		return nil, errors.New(`malformed answer: no "items"`)
	}
	p := &page{}
	if err := json.Unmarshal(items, &p.Items); err != nil {
		return nil, errors.New(`malformed answer: "items" is not a list`)
	}
	if v, ok := raw["totalCount"]; ok {
		n, ok := number(v)
		if !ok || n < 0 || n > math.MaxInt32 {
			return nil, fmt.Errorf("totalCount: %s is not a count", short(v))
		}
		p.TotalCount = int(n)
	}
	if v, ok := raw["nextToken"]; ok && !isNull(v) {
		s, ok := text(v)
		if !ok {
			return nil, fmt.Errorf("nextToken: %s is not a token", short(v))
		}
		p.NextToken = s
	}
	return p, nil
}

// eventZone reads the time zone of GetEvent's answer, {"event": {...,
// "timezone"?}} (docs/events-api.md, "GetEvent"). An answer without the
// wrapper is read as the event itself.
func eventZone(data []byte) (string, error) {
	obj, err := unwrap(data, "event")
	if err != nil {
		return "", err
	}
	tz, _ := text(obj["timezone"])
	return strings.TrimSpace(tz), nil
}

// schedule is the part of GetSchedule's answer, {"schedule": {"reserved",
// "favorites", "personalTime"}} (docs/events-api.md, "GetSchedule"), that
// the catalog uses.
type schedule struct {
	Reserved, Favorites map[string]bool
	Personal            []PersonalTime
}

func decodeSchedule(data []byte) (*schedule, error) {
	obj, err := unwrap(data, "schedule")
	if err != nil {
		return nil, err
	}
	sch := &schedule{}
	for _, f := range []struct {
		key string
		to  *map[string]bool
	}{{"reserved", &sch.Reserved}, {"favorites", &sch.Favorites}} {
		*f.to = map[string]bool{}
		v, ok := obj[f.key]
		if !ok || isNull(v) {
			continue
		}
		var ids []json.RawMessage
		if err := json.Unmarshal(v, &ids); err != nil {
			return nil, fmt.Errorf("%s: want a list of session ids, got %s", f.key, short(v))
		}
		for _, id := range ids {
			if s, ok := text(id); ok && s != "" {
				(*f.to)[s] = true
			}
		}
	}
	if v, ok := obj["personalTime"]; ok && !isNull(v) {
		var pts []map[string]json.RawMessage
		if err := json.Unmarshal(v, &pts); err != nil {
			return nil, fmt.Errorf("personalTime: want a list of objects, got %s", short(v))
		}
		for i, p := range pts {
			var pt PersonalTime
			pt.ID, _ = text(p["personalTimeId"])
			pt.Title, _ = text(p["title"])
			pt.Description, _ = text(p["description"])
			pt.Location, _ = text(p["location"])
			var err error
			if pt.Start, err = utcTime(p["startDateTime"]); err == nil {
				pt.End, err = utcTime(p["endDateTime"])
			}
			if err != nil || !pt.End.After(pt.Start) {
				return nil, fmt.Errorf("personalTime[%d]: want startDateTime before endDateTime as YYYY-MM-DDTHH:mm:ss in UTC (%v)", i, err)
			}
			sch.Personal = append(sch.Personal, pt)
		}
	}
	return sch, nil
}

// utcTime reads a personal time's time: UTC written without an offset, as
// the guide has it, or with one.
func utcTime(v json.RawMessage) (time.Time, error) {
	s, ok := text(v)
	if !ok || s == "" {
		return time.Time{}, fmt.Errorf("missing time")
	}
	for _, layout := range []string{"2006-01-02T15:04:05", "2006-01-02T15:04", time.RFC3339} {
		if t, err := time.ParseInLocation(layout, s, time.UTC); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("%q is not a time", s)
}

// unwrap returns the members of the object under key, or of the whole
// answer when it has no such key.
func unwrap(data []byte, key string) (map[string]json.RawMessage, error) {
	var top map[string]json.RawMessage
	if err := json.Unmarshal(data, &top); err != nil || top == nil {
		return nil, errors.New("malformed answer: want a JSON object")
	}
	inner, ok := top[key]
	if !ok {
		return top, nil
	}
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(inner, &obj); err != nil || obj == nil {
		return nil, fmt.Errorf("malformed answer: %q is not an object", key)
	}
	return obj, nil
}

// reader reads the fields of one session and collects what it could not.
type reader struct {
	obj        map[string]json.RawMessage
	unreadable []string // model fields left empty
	why        []string // one phrase per field, for the warning
}

func (r *reader) fail(wire, why string, model ...string) {
	r.why = append(r.why, wire+": "+why)
	r.unreadable = append(r.unreadable, model...)
}

// str reads a string (a number is taken as its digits).
func (r *reader) str(key, model string) string {
	v, ok := r.obj[key]
	if !ok || isNull(v) {
		return ""
	}
	if s, ok := text(v); ok {
		return s
	}
	if s, ok := nameOf(v); ok {
		return s
	}
	r.fail(key, short(v)+" is not text", model)
	return ""
}

// boolean reads true/false, also as the strings "true"/"false".
func (r *reader) boolean(key, model string) bool {
	v, ok := r.obj[key]
	if !ok || isNull(v) {
		return false
	}
	var b bool
	if json.Unmarshal(v, &b) == nil {
		return b
	}
	if s, ok := text(v); ok {
		if b, err := strconv.ParseBool(strings.TrimSpace(s)); err == nil {
			return b
		}
	}
	r.fail(key, short(v)+" is not true or false", model)
	return false
}

// list reads a list of strings or of objects with a name; empty names are
// dropped, and so are elements that are neither.
func (r *reader) list(key, model string) []string {
	v, ok := r.obj[key]
	if !ok || isNull(v) {
		return []string{}
	}
	var elems []json.RawMessage
	if json.Unmarshal(v, &elems) != nil {
		if s, ok := text(v); ok && strings.TrimSpace(s) != "" {
			return []string{strings.TrimSpace(s)}
		}
		r.fail(key, short(v)+" is not a list", model)
		return []string{}
	}
	out := make([]string, 0, len(elems))
	for _, e := range elems {
		s, ok := text(e)
		if !ok {
			s, _ = nameOf(e)
		}
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// level reads "300 - Advanced", "300" or 300 as 100-400, 0 when absent or
// not a level.
func (r *reader) level() int {
	v, ok := r.obj["level"]
	if !ok || isNull(v) {
		return 0
	}
	if s, ok := text(v); ok {
		return catalog.ParseLevel(s)
	}
	r.fail("level", short(v)+" is not a level", "level")
	return 0
}

// readSession maps one item of a page onto the model; loc is the event's
// zone. A session it cannot key (not an object, no code) is an error, with
// the session id when there is one.
func readSession(item json.RawMessage, loc *time.Location) (catalog.Session, []string, error) {
	r := &reader{}
	if err := json.Unmarshal(item, &r.obj); err != nil || r.obj == nil {
		return catalog.Session{}, nil, fmt.Errorf("%s is not a session object", short(item))
	}
	s := catalog.Session{
		SessionID: strings.TrimSpace(r.str("sessionId", "session_id")),
		Code:      strings.TrimSpace(r.str("abbreviation", "code")),
	}
	if s.Code == "" {
		id := s.SessionID
		if id == "" {
			id = "without an id"
		}
		return catalog.Session{SessionID: s.SessionID}, nil, fmt.Errorf("session %s has no code (abbreviation)", id)
	}
	s.Title = r.str("title", "title")
	s.Abstract = r.str("abstract", "abstract")
	s.Type = r.str("type", "type")
	s.Level = r.level()
	s.Venue, s.Room = catalog.PlaceVenue(r.str("venue", "venue"), r.str("room", "room"))
	s.AllDay = r.boolean("isAllDaySession", "all_day")
	s.Reservable = r.boolean("isReservable", "reservable")
	s.SeatAvailability = strings.TrimSpace(r.str("seatAvailability", "seat_availability"))
	s.Status = r.str("status", "status")
	s.Embargoed = r.boolean("embargoed", "embargoed") || r.boolean("isEmbargoed", "embargoed")
	s.Speakers = r.list("speakers", "speakers")
	s.Tracks = r.list("tracks", "tracks")
	s.Topics = r.list("topics", "topics")
	s.Services = r.list("services", "services")
	s.Roles = r.list("roles", "roles")
	s.Industries = r.list("industries", "industries")
	if v, ok := r.obj["sessionTime"]; ok && !isNull(v) {
		start, end, err := sessionTime(v, s.AllDay, loc)
		if err != nil {
			r.fail("sessionTime", err.Error()+"; kept as not scheduled", "start", "end")
		} else {
			s.Start, s.End = start, end
		}
	}
	s.Unreadable = r.unreadable
	s.Normalize(loc)
	return s, r.why, nil
}

// maxLength bounds a session's length: a week.
const maxLength = 7 * 24 * 60

// sessionTime reads {date "YYYY-MM-DD", time (local), length (minutes,
// a string such as "60"), timezone?} (docs/events-api.md, "What a session
// contains").
func sessionTime(v json.RawMessage, allDay bool, loc *time.Location) (start, end time.Time, err error) {
	r := &reader{}
	if json.Unmarshal(v, &r.obj) != nil || r.obj == nil {
		return start, end, fmt.Errorf("%s is not an object", short(v))
	}
	date := strings.TrimSpace(r.str("date", "start"))
	clock := strings.TrimSpace(r.str("time", "start"))
	tz := strings.TrimSpace(r.str("timezone", "start"))
	length, hasLength := r.obj["length"]
	hasLength = hasLength && !isNull(length)
	if len(r.why) > 0 {
		return start, end, errors.New(strings.Join(r.why, "; "))
	}
	if date == "" {
		if clock == "" && !hasLength {
			return start, end, nil // not scheduled yet
		}
		return start, end, errors.New("no date")
	}
	zone := loc
	if tz != "" {
		if zone, err = time.LoadLocation(tz); err != nil {
			return start, end, fmt.Errorf("unknown time zone %q", tz)
		}
	}
	if clock == "" {
		if !allDay {
			return start, end, fmt.Errorf("date %q has no time", date)
		}
		start, err = time.ParseInLocation("2006-01-02", date, zone)
		if err != nil {
			return start, end, fmt.Errorf("%q is not a date", date)
		}
		return start, start.AddDate(0, 0, 1), nil
	}
	start, err = parseClock(date, clock, zone)
	if err != nil {
		return start, end, err
	}
	end = start
	if hasLength {
		n, ok := number(length)
		if !ok || n != math.Trunc(n) || n < 0 || n > maxLength {
			return time.Time{}, end, fmt.Errorf("length %s is not a number of minutes", short(length))
		}
		end = start.Add(time.Duration(n) * time.Minute)
	}
	return start, end, nil
}

// clockLayouts are the ways the time of day is written: "13:30",
// "13:30:00", "1:30 PM".
var clockLayouts = []string{"15:04", "15:04:05", "3:04 PM", "3:04PM", "3:04:05 PM"}

func parseClock(date, clock string, zone *time.Location) (time.Time, error) {
	c := strings.ToUpper(clock)
	for _, layout := range clockLayouts {
		if t, err := time.ParseInLocation("2006-01-02 "+layout, date+" "+c, zone); err == nil {
			return t, nil
		}
	}
	if _, err := time.Parse("2006-01-02", date); err != nil {
		return time.Time{}, fmt.Errorf("%q is not a date", date)
	}
	return time.Time{}, fmt.Errorf("%q is not a time of day", clock)
}

// text reads a JSON string, or a number as its digits.
func text(v json.RawMessage) (string, bool) {
	v = bytes.TrimSpace(v)
	if len(v) == 0 {
		return "", false
	}
	switch c := v[0]; {
	case c == '"':
		var s string
		if json.Unmarshal(v, &s) == nil {
			return s, true
		}
	case c == '-' || c >= '0' && c <= '9':
		var n json.Number
		if json.Unmarshal(v, &n) == nil {
			return n.String(), true
		}
	}
	return "", false
}

// nameOf reads an object's "name".
func nameOf(v json.RawMessage) (string, bool) {
	var o struct {
		Name *string `json:"name"`
	}
	if json.Unmarshal(v, &o) != nil || o.Name == nil {
		return "", false
	}
	return *o.Name, true
}

// number reads a JSON number or a string that holds one ("60").
func number(v json.RawMessage) (float64, bool) {
	s, ok := text(v)
	if !ok {
		return 0, false
	}
	n, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	return n, err == nil && !math.IsInf(n, 0) && !math.IsNaN(n)
}

func isNull(v json.RawMessage) bool { return string(bytes.TrimSpace(v)) == "null" }

// short is a value as it is shown in an error: at most 40 characters.
func short(v json.RawMessage) string {
	s := strings.Join(strings.Fields(string(v)), " ")
	if r := []rune(s); len(r) > 40 {
		s = string(r[:40]) + "…"
	}
	return catalog.CleanLine(s)
}
