package eventsapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"time"
)

// The writes of the AWS Events API (docs/reserve.md, docs/events-api.md):
// reserve and cancel seats, add and remove favorites. There is no
// idempotency key, so a write is never resent after an answer that did not
// come: the caller reads the schedule back first.

// ErrUncertain is wrapped by the error of a write whose outcome is not
// known: a 5xx, a timeout or a dropped connection. The write may have
// happened; read the schedule before anything else.
var ErrUncertain = errors.New("the outcome of the write is not known")

// ErrClosed is wrapped by the error of a write the API refused with 409:
// the operation is not open for the event (reservations before they open).
var ErrClosed = errors.New("not open for this event")

// ErrNotHeld is wrapped by the error of a cancel (or unfavorite) of
// something that was not held: 404.
var ErrNotHeld = errors.New("nothing to remove")

// The failure codes of ReserveSessions and AssociateFavorites. Codes may be
// added; one this version does not know is a refusal it cannot act on.
const (
	CodeSessionFull          = "sessionFull"
	CodeScheduleConflict     = "scheduleConflict"
	CodeAlreadyScheduled     = "alreadyScheduled"
	CodeSessionNotReservable = "sessionNotReservable"
	CodeInsufficientAccess   = "insufficientAccess"
	CodeTimePassed           = "timePassed"
	CodeAlreadyFavorited     = "alreadyFavorited"
	CodeOther                = "other"
)

// MaxBatch is how many session ids one write may carry.
const MaxBatch = 10

// Result is the answer of a batch write: {"result": {"successful",
// "failed"}}. A 200 can hold failures.
type Result struct {
	Successful []string
	Failed     []Failure
}

// Failure is one session a batch write did not do, and why.
type Failure struct {
	SessionID     string
	Code          string
	ConflictsWith []string
}

// Schedule is the attendee's schedule: GetSchedule's {"schedule":
// {"reserved", "favorites", "personalTime"}}.
type Schedule struct {
	Reserved, Favorites map[string]bool
	Personal            []PersonalTime
}

// PersonalTime is a block of the attendee's own time. The API writes its
// times in UTC without an offset.
type PersonalTime struct {
	ID, Title, Description, Location string
	Start, End                       time.Time
}

// Schedule reads the attendee's schedule of event; a read is safe to
// retry, and is retried like the catalog's.
func (c *Catalog) Schedule(ctx context.Context, event string) (*Schedule, error) {
	cl, err := c.signedIn(ctx, event)
	if err != nil {
		return nil, err
	}
	path := "/v1/events/" + url.PathEscape(event) + "/schedule"
	data, err := cl.get(ctx, path, nil)
	if err != nil {
		return nil, err
	}
	sch, err := decodeSchedule(data)
	if err != nil {
		return nil, fmt.Errorf("events-api: GET %s: %v", path, err)
	}
	return &Schedule{Reserved: sch.Reserved, Favorites: sch.Favorites, Personal: sch.Personal}, nil
}

// Reserve asks for seats in sessions (1 to MaxBatch distinct ids).
func (c *Catalog) Reserve(ctx context.Context, event string, ids []string) (*Result, error) {
	return c.batch(ctx, event, "reservations", ids)
}

// Favorite adds sessions (1 to MaxBatch distinct ids) to the favorites.
func (c *Catalog) Favorite(ctx context.Context, event string, ids []string) (*Result, error) {
	return c.batch(ctx, event, "favorites", ids)
}

// Cancel gives up the seat in a session; ErrNotHeld when none was held.
func (c *Catalog) Cancel(ctx context.Context, event, id string) error {
	return c.remove(ctx, event, "reservations", id)
}

// Unfavorite removes a session from the favorites; ErrNotHeld when it was
// not one.
func (c *Catalog) Unfavorite(ctx context.Context, event, id string) error {
	return c.remove(ctx, event, "favorites", id)
}

func (c *Catalog) signedIn(ctx context.Context, event string) (*client, error) {
	cl := &client{c: c, event: event, retry: c.Retry}
	if c.Token != nil {
		t, err := c.Token(ctx, false)
		if err != nil {
			return nil, err
		}
		cl.token = t
	}
	if cl.token == "" {
		return nil, &authError{"events-api: your schedule needs a sign-in: run `reinvent login`"}
	}
	return cl, nil
}

func (c *Catalog) batch(ctx context.Context, event, what string, ids []string) (*Result, error) {
	if len(ids) == 0 || len(ids) > MaxBatch {
		return nil, fmt.Errorf("events-api: %d session ids in one write; 1 to %d are allowed", len(ids), MaxBatch)
	}
	if len(slices.Compact(slices.Sorted(slices.Values(ids)))) != len(ids) {
		return nil, fmt.Errorf("events-api: the session ids of one write must be distinct: %v", ids)
	}
	body, _ := json.Marshal(map[string][]string{"sessionIds": ids})
	data, err := c.write(ctx, event, http.MethodPost, "/v1/events/"+url.PathEscape(event)+"/"+what, body)
	if err != nil {
		return nil, err
	}
	return decodeResult(data)
}

func (c *Catalog) remove(ctx context.Context, event, what, id string) error {
	_, err := c.write(ctx, event, http.MethodDelete, "/v1/events/"+url.PathEscape(event)+"/"+what+"/"+url.PathEscape(id), nil)
	return err
}

// write sends one write. It is sent again only after an answer that says
// it was refused unread: 429 (a refused request spends no quota), after
// waiting Retry-After, within the retry bound; and 401, once, with a fresh
// token. Anything else that leaves the outcome open wraps ErrUncertain.
func (c *Catalog) write(ctx context.Context, event, method, path string, body []byte) ([]byte, error) {
	cl, err := c.signedIn(ctx, event)
	if err != nil {
		return nil, err
	}
	var data []byte
	var st int
	var a *attempt
	var uncertain bool
	for {
		uncertain = false
		n, spent, rerr := cl.retry.Do(ctx, func() (bool, time.Duration) {
			data, st, a = cl.send(ctx, method, path, nil, body)
			if a != nil && st == http.StatusTooManyRequests {
				return true, a.retryAfter
			}
			return false, 0
		})
		switch {
		case rerr != nil:
			return nil, rerr
		case spent:
			return nil, &giveUpError{attempts: n, last: fmt.Errorf("%s %s: %w", method, path, a.err)}
		}
		if a == nil {
			return data, nil
		}
		if !a.auth {
			break
		}
		if cl.fresh || c.Token == nil {
			return nil, &authError{"events-api: the AWS Events API refused the sign-in even after a refresh (401 Unauthorized): run `reinvent login`"}
		}
		cl.fresh = true
		t, err := c.Token(ctx, true)
		if err != nil {
			return nil, err
		}
		if t == "" {
			return nil, &authError{"events-api: the sign-in has expired: run `reinvent login`"}
		}
		cl.token = t
	}
	switch {
	case st == http.StatusConflict:
		return nil, fmt.Errorf("events-api: %s %s: %s: %w", method, path, a.err, ErrClosed)
	case st == http.StatusNotFound && method == http.MethodDelete:
		return nil, fmt.Errorf("events-api: %s %s: %w", method, path, ErrNotHeld)
	case st == 0 || st >= 500 || a.transient:
		uncertain = true
	}
	if uncertain {
		return nil, fmt.Errorf("events-api: %s %s: %v: %w", method, path, a.err, ErrUncertain)
	}
	return nil, fmt.Errorf("events-api: %s %s: %w", method, path, a.err)
}

// decodeResult reads {"result": {"successful": [ids], "failed":
// [{sessionId, code, conflictsWith?}]}}, unwrapped as a fallback;
// conflictsWith may be one id or a list.
func decodeResult(data []byte) (*Result, error) {
	obj, err := unwrap(data, "result")
	if err != nil {
		return nil, fmt.Errorf("events-api: the answer of a write: %v", err)
	}
	r := &Result{}
	if v, ok := obj["successful"]; ok && !isNull(v) {
		var ids []json.RawMessage
		if err := json.Unmarshal(v, &ids); err != nil {
			return nil, fmt.Errorf("events-api: successful: want a list of session ids, got %s", short(v))
		}
		for _, id := range ids {
			if s, ok := text(id); ok && s != "" {
				r.Successful = append(r.Successful, s)
			}
		}
	}
	if v, ok := obj["failed"]; ok && !isNull(v) {
		var fs []map[string]json.RawMessage
		if err := json.Unmarshal(v, &fs); err != nil {
			return nil, fmt.Errorf("events-api: failed: want a list of objects, got %s", short(v))
		}
		for _, f := range fs {
			var fl Failure
			fl.SessionID, _ = text(f["sessionId"])
			fl.Code, _ = text(f["code"])
			if cw, ok := f["conflictsWith"]; ok && !isNull(cw) {
				var many []json.RawMessage
				if json.Unmarshal(cw, &many) == nil {
					for _, m := range many {
						if s, ok := text(m); ok && s != "" {
							fl.ConflictsWith = append(fl.ConflictsWith, s)
						}
					}
				} else if s, ok := text(cw); ok && s != "" {
					fl.ConflictsWith = []string{s}
				}
			}
			if fl.SessionID != "" {
				r.Failed = append(r.Failed, fl)
			}
		}
	}
	return r, nil
}
