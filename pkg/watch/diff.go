// Package watch finds what changed between a freshly fetched catalog and the
// latest versions in the store, and words the posts that announce it.
package watch

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/reinvent-cli/reinvent/pkg/catalog"
	"github.com/reinvent-cli/reinvent/pkg/store"
)

// The kinds of change, as stored and printed.
const (
	KindNew        = "new"
	KindUpdated    = "updated"
	KindRemoved    = "removed"
	KindReappeared = "reappeared"
)

// MassRemoval is the share of known sessions a single fetch may remove
// before Diff's result counts as a mass removal (docs/watch.md: 20%).
const MassRemoval = 0.20

// Heads is what Diff needs to know of the store: the latest version of
// every code. *store.Heads implements it.
type Heads interface {
	Len() int
	Get(code string) (hash [32]byte, removed bool, ok bool)
	Session(code string) (catalog.Session, error)
	Codes() []string
}

// Result is the outcome of a diff: what to record and what changed.
type Result struct {
	// Sessions are the sessions to store as a new version: new, changed
	// or reappeared.
	Sessions []catalog.Session
	// Removed are the codes to tombstone.
	Removed []string
	// Changes has one entry per new, updated, removed or reappeared
	// session, in catalog order with removals last.
	Changes []Change
	// Known is the number of live (not removed) sessions the store held.
	Known int
	// Duplicates are the codes the fetch returned more than once; the
	// first of each was used.
	Duplicates []string
	// Embargoed is the number of embargoed sessions left out.
	Embargoed int
}

// Change is one change of one session.
type Change struct {
	Code   string
	Kind   string
	Fields []string       // updated: the changed fields, in the order of docs/formats.md
	Old    map[string]any // updated: old values of Fields; removed: the last data
	New    map[string]any // updated: new values of Fields; new, reappeared: the data
	// Session is the new data, or the last data of a removed session.
	Session catalog.Session
	// Previous is the data before an update.
	Previous catalog.Session
	// Newsworthy reports whether the change is posted: a new, removed or
	// reappeared session, or a change of title, start, end, venue or room.
	Newsworthy bool
}

// MassRemoval reports whether the result removes more than the allowed
// share of the sessions the store knew.
func (r *Result) MassRemoval() bool {
	return r.Known > 0 && float64(len(r.Removed)) > MassRemoval*float64(r.Known)
}

// Diff compares the fetched sessions with the store's heads. Sessions are
// normalised in loc first; embargoed sessions are skipped, neither stored
// nor counted as removed.
func Diff(heads Heads, fetched []catalog.Session, loc *time.Location) (*Result, error) {
	return diff(heads, fetched, nil, loc)
}

// DiffCatalog is Diff of a fetched catalog. What the source could not read
// is not a change: a session read in part keeps the stored values of the
// fields it could not read, and a session left out for having no code is
// not removed when the store knows its session id.
func DiffCatalog(heads Heads, cat *catalog.Catalog, loc *time.Location) (*Result, error) {
	keep := make(map[string]bool, len(cat.Unkeyed))
	for _, id := range cat.Unkeyed {
		keep[id] = true
	}
	return diff(heads, cat.Sessions, keep, loc)
}

func diff(heads Heads, fetched []catalog.Session, keepIDs map[string]bool, loc *time.Location) (*Result, error) {
	r := &Result{}
	seen := make(map[string]bool, len(fetched))
	embargoed := map[string]bool{}
	for i := range fetched {
		s := fetched[i]
		s.Normalize(loc)
		if s.Embargoed {
			embargoed[s.Code] = true
			r.Embargoed++
			continue
		}
		if seen[s.Code] {
			if !slices.Contains(r.Duplicates, s.Code) {
				r.Duplicates = append(r.Duplicates, s.Code)
			}
			continue
		}
		seen[s.Code] = true

		hash, removed, ok := heads.Get(s.Code)
		switch {
		case !ok:
			r.add(Change{Code: s.Code, Kind: KindNew, New: fieldMap(&s), Session: s, Newsworthy: true})
		case removed:
			r.add(Change{Code: s.Code, Kind: KindReappeared, New: fieldMap(&s), Session: s, Newsworthy: true})
		case len(s.Unreadable) > 0 || hash != store.Hash(&s):
			old, err := heads.Session(s.Code)
			if err != nil {
				return nil, fmt.Errorf("read stored version of %s: %w", s.Code, err)
			}
			old.Normalize(loc)
			if len(s.Unreadable) > 0 {
				// What the source could not read this time is not a
				// change: the stored values stand.
				if s, err = keepStored(s, &old, loc); err != nil {
					return nil, err
				}
				if hash == store.Hash(&s) {
					continue
				}
			}
			c := Change{Code: s.Code, Kind: KindUpdated, Session: s, Previous: old, Old: map[string]any{}, New: map[string]any{}}
			for _, f := range fields {
				ov, nv := f.value(&old), f.value(&s)
				if f.equal(&old, &s) {
					continue
				}
				c.Fields = append(c.Fields, f.name)
				c.Old[f.name], c.New[f.name] = ov, nv
				c.Newsworthy = c.Newsworthy || f.newsworthy
			}
			// A hash can differ with no field that compares unequal
			// (an older encoding); the new version is stored quietly.
			r.Sessions = append(r.Sessions, s)
			if len(c.Fields) > 0 {
				r.Changes = append(r.Changes, c)
			}
		}
	}
	for _, code := range heads.Codes() {
		_, removed, _ := heads.Get(code)
		if removed {
			continue
		}
		r.Known++
		if seen[code] || embargoed[code] {
			continue
		}
		last, err := heads.Session(code)
		if err != nil {
			return nil, fmt.Errorf("read stored version of %s: %w", code, err)
		}
		last.Normalize(loc)
		if last.SessionID != "" && keepIDs[last.SessionID] {
			continue
		}
		r.Removed = append(r.Removed, code)
		r.Changes = append(r.Changes, Change{Code: code, Kind: KindRemoved, Old: fieldMap(&last), Session: last, Newsworthy: true})
	}
	return r, nil
}

// keepStored returns s with the fields it could not read taken from old.
func keepStored(s catalog.Session, old *catalog.Session, loc *time.Location) (catalog.Session, error) {
	var o, n map[string]json.RawMessage
	ob, err1 := json.Marshal(old)
	nb, err2 := json.Marshal(&s)
	if err := errors.Join(err1, err2, json.Unmarshal(ob, &o), json.Unmarshal(nb, &n)); err != nil {
		return s, fmt.Errorf("keep stored fields of %s: %w", s.Code, err)
	}
	for _, f := range s.Unreadable {
		if v, ok := o[f]; ok {
			n[f] = v
		} else {
			delete(n, f)
		}
	}
	var r catalog.Session
	b, err := json.Marshal(n)
	if err == nil {
		err = json.Unmarshal(b, &r)
	}
	if err != nil {
		return s, fmt.Errorf("keep stored fields of %s: %w", s.Code, err)
	}
	r.Normalize(loc)
	return r, nil
}

func (r *Result) add(c Change) {
	r.Sessions = append(r.Sessions, c.Session)
	r.Changes = append(r.Changes, c)
}

// field is one compared field of a session, named as in docs/formats.md.
type field struct {
	name       string
	newsworthy bool
	value      func(*catalog.Session) any
	equal      func(a, b *catalog.Session) bool
}

func str(name string, get func(*catalog.Session) string, newsworthy bool) field {
	return field{name, newsworthy,
		func(s *catalog.Session) any { return get(s) },
		func(a, b *catalog.Session) bool { return get(a) == get(b) }}
}

func list(name string, get func(*catalog.Session) []string) field {
	return field{name, false,
		func(s *catalog.Session) any { return get(s) },
		func(a, b *catalog.Session) bool { return slices.Equal(get(a), get(b)) }}
}

func boolean(name string, get func(*catalog.Session) bool) field {
	return field{name, false,
		func(s *catalog.Session) any { return get(s) },
		func(a, b *catalog.Session) bool { return get(a) == get(b) }}
}

func instant(name string, get func(*catalog.Session) time.Time) field {
	return field{name, true,
		func(s *catalog.Session) any {
			if t := get(s); !t.IsZero() {
				return t.Format(time.RFC3339)
			}
			return nil
		},
		func(a, b *catalog.Session) bool { return get(a).Equal(get(b)) }}
}

// fields are the compared fields in the order of docs/formats.md. The code is the key.
var fields = []field{
	str("base_code", func(s *catalog.Session) string { return s.BaseCode }, false),
	str("session_id", func(s *catalog.Session) string { return s.SessionID }, false),
	str("title", func(s *catalog.Session) string { return s.Title }, true),
	str("abstract", func(s *catalog.Session) string { return s.Abstract }, false),
	str("type", func(s *catalog.Session) string { return s.Type }, false),
	{"level", false,
		func(s *catalog.Session) any { return s.Level },
		func(a, b *catalog.Session) bool { return a.Level == b.Level }},
	list("tracks", func(s *catalog.Session) []string { return s.Tracks }),
	list("topics", func(s *catalog.Session) []string { return s.Topics }),
	list("services", func(s *catalog.Session) []string { return s.Services }),
	list("roles", func(s *catalog.Session) []string { return s.Roles }),
	list("industries", func(s *catalog.Session) []string { return s.Industries }),
	list("speakers", func(s *catalog.Session) []string { return s.Speakers }),
	instant("start", func(s *catalog.Session) time.Time { return s.Start }),
	instant("end", func(s *catalog.Session) time.Time { return s.End }),
	boolean("all_day", func(s *catalog.Session) bool { return s.AllDay }),
	str("venue", func(s *catalog.Session) string { return s.Venue }, true),
	str("room", func(s *catalog.Session) string { return s.Room }, true),
	boolean("starred", func(s *catalog.Session) bool { return s.Starred }),
	boolean("reserved", func(s *catalog.Session) bool { return s.Reserved }),
	str("status", func(s *catalog.Session) string { return s.Status }, false),
	boolean("embargoed", func(s *catalog.Session) bool { return s.Embargoed }),
	boolean("reservable", func(s *catalog.Session) bool { return s.Reservable }),
	// A band change is stored but never posted: how full a session is
	// changes all day, and is for a private notice, not a public post.
	str("seat_availability", func(s *catalog.Session) string { return s.SeatAvailability }, false),
}

// fieldMap is the whole session as field → value, code included.
func fieldMap(s *catalog.Session) map[string]any {
	m := make(map[string]any, len(fields)+1)
	m["code"] = s.Code
	for _, f := range fields {
		m[f.name] = f.value(s)
	}
	return m
}

// FieldNames lists the compared fields, for documentation and tests.
func FieldNames() []string {
	names := make([]string, len(fields))
	for i, f := range fields {
		names[i] = f.name
	}
	return names
}
