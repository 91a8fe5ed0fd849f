package webhook

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/reinvent-cli/reinvent/pkg/catalog"
	"github.com/reinvent-cli/reinvent/pkg/retry"
	"github.com/reinvent-cli/reinvent/pkg/store"
	"github.com/reinvent-cli/reinvent/pkg/x"
)

// Timeline reads the bot's account and its mention timeline; *x.Client is
// one.
type Timeline interface {
	Me(ctx context.Context) (x.User, error)
	Mentions(ctx context.Context, userID string, q x.MentionsQuery) (*x.MentionsPage, error)
}

// ErrWrongAccount is wrapped by the error of a poller whose credentials
// sign in as another account than the bot handle names.
var ErrWrongAccount = errors.New("the X credentials are not the bot's")

// DefaultBackfill is how far back the first poll of a store answers.
const DefaultBackfill = time.Hour

// Poller reads the bot's mention timeline every Interval and queues the
// mentions it finds into the same durable queue as webhook deliveries,
// keyed by post id, so that a mention seen both ways is answered once
// (docs/webhook.md, "Polling"). Where it stopped reading is a cursor in
// the store, saved after the mentions it read are queued: a restart reads
// on from there, missing none, and what it reads twice is not queued twice.
type Poller struct {
	Timeline Timeline
	Store    store.Cursors
	// Queue stores mentions durably before it returns nil; Batcher.Queue
	// and Worker.Enqueue are such.
	Queue     func(ctx context.Context, ms []Mention) error
	BotHandle string
	// Interval is the least time between two reads, whatever X's
	// headers allow: a sweep's pages, retries and reads after a 429 are
	// spaced by it too.
	Interval time.Duration
	// Backfill is how old a mention the first poll of a store answers:
	// older ones were there before the bot polled and are skipped. 0 means
	// DefaultBackfill.
	Backfill time.Duration
	Logger   *slog.Logger
	Now      func() time.Time
	// Read, when set, is called after every timeline read is handled
	// (its mentions queued, the cursor saved), with the read's error.
	Read func(err error)
	// Sleep waits between reads; nil is retry.Sleep. It returns an error
	// when ctx ends first.
	Sleep func(ctx context.Context, d time.Duration) error

	logged map[string]bool // the unreadable posts logged already
}

// pollState is the poller's cursor, saved in the store as JSON: the
// newest post id answered up to (SinceID), and while a sweep pages back
// through newer posts, the next page's token and the newest id the sweep
// began with.
type pollState struct {
	UserID  string `json:"user_id"`
	SinceID string `json:"since_id,omitempty"`
	Token   string `json:"next_token,omitempty"`
	Newest  string `json:"sweep_newest,omitempty"`
	// Cold marks the first sweep of a store, which answers only the
	// mentions of the last Backfill.
	Cold bool `json:"cold,omitempty"`
	// sent holds the page tokens this sweep has sent, so that a token X
	// hands out again ends the sweep instead of reading in a circle.
	sent map[string]bool
}

const cursorName = "x/mentions"

// backoff spaces the reads after failures: from 1 s, doubling up to 5
// minutes, with jitter.
var backoff = retry.Policy{BaseDelay: time.Second, MaxDelay: 5 * time.Minute}.WithDefaults()

// Run polls until ctx ends, then returns nil. It returns an error when the
// account cannot be read or X refuses the credentials (wrapping x.ErrAuth),
// or when the credentials are another account's (ErrWrongAccount); every
// other failure is logged and tried again: a 429 after X's reset, a page
// that is not JSON or a 5xx with a growing backoff.
func (p *Poller) Run(ctx context.Context) error {
	now := p.Now
	if now == nil {
		now = time.Now
	}
	sleep := p.Sleep
	if sleep == nil {
		sleep = retry.Sleep
	}
	if p.Logger == nil {
		p.Logger = slog.New(slog.DiscardHandler)
	}
	log := p.Logger
	me, err := p.Timeline.Me(ctx)
	if err != nil {
		if ctx.Err() != nil {
			return nil
		}
		return err
	}
	if !sameHandle(me.Username, strings.TrimPrefix(p.BotHandle, "@")) {
		return fmt.Errorf("%w: bot-handle is %q but they sign in as @%s; set bot-handle to %s or use that account's tokens",
			ErrWrongAccount, p.BotHandle, me.Username, me.Username)
	}
	st, err := p.load(ctx, me.ID)
	if err != nil {
		return err
	}
	log.Info("polling the mention timeline", "every", p.Interval, "bot", me.Username, "since_id", st.SinceID)
	var fails int
	stretched := false
	for {
		page, err := p.Timeline.Mentions(ctx, me.ID, x.MentionsQuery{SinceID: st.SinceID, PaginationToken: st.Token})
		if ctx.Err() != nil {
			return nil
		}
		var wait time.Duration
		var rl *x.RateLimitError
		var api *x.APIError
		switch {
		case errors.As(err, &rl):
			// X's timeline windows last 15 minutes; a reset said to be
			// later is not believed (x.UntilReset).
			wait = x.Window
			if !rl.Reset.IsZero() {
				wait = x.UntilReset(rl.Reset, now())
			}
			log.Warn("X rate-limits the mention timeline; the mentions wait, none is lost", "reading_again_in", wait.Round(time.Second))
		case errors.Is(err, x.ErrAuth):
			return err
		case errors.As(err, &api) && api.Status == 400 && st.Token != "":
			// X no longer knows the page: read the sweep again from
			// since_id; what is read twice is not queued twice.
			log.Warn("X refused the next page's token; reading the new mentions again", "err", err)
			st.Token, st.Newest = "", ""
			wait = p.Interval
		case errors.As(err, &api) && api.Status == 400 && st.SinceID != "":
			// X refuses the cursor itself: start over as a first poll.
			// A mention answered before is never queued again, so only
			// the last Backfill's unanswered mentions are taken.
			log.Warn("X refused the saved since_id; reading the latest mentions as on a first poll", "since_id", st.SinceID, "err", err)
			st = pollState{UserID: st.UserID, Cold: true}
			wait = p.Interval
		case err != nil:
			fails++
			wait = backoff.Delay(fails, 0)
			if !errors.Is(err, x.ErrTransient) {
				wait = max(wait, time.Minute) // a refusal a quick retry will not mend
			}
			log.Warn("could not read the mention timeline; trying again", "in", wait, "err", err)
		default:
			if err := p.take(ctx, &st, page, now()); err != nil {
				if ctx.Err() != nil {
					return nil
				}
				fails++
				wait = backoff.Delay(fails, 0)
				log.Error("could not queue the mentions read; reading them again", "in", wait, "err", err)
				break
			}
			fails = 0
			// At most one window (x.RateLimit.Pace), whatever the headers.
			wait = page.Rate.Pace(now())
			if wait > p.Interval && !stretched {
				stretched = true
				log.Warn("the poll interval is shorter than X's rate limit allows; reading as often as it does",
					"interval", p.Interval, "every", wait.Round(100*time.Millisecond),
					"remaining", page.Rate.Remaining, "reset", page.Rate.Reset.UTC().Format(time.RFC3339))
			}
		}
		if p.Read != nil {
			p.Read(err)
		}
		// Never faster than the interval: not between a sweep's pages, nor
		// when X sends no rate-limit headers, nor after a failure.
		if sleep(ctx, max(wait, p.Interval)) != nil {
			return nil
		}
	}
}

// load reads the cursor; a store that has none, or one of another
// account, starts cold.
func (p *Poller) load(ctx context.Context, userID string) (pollState, error) {
	raw, err := p.Store.Cursor(ctx, cursorName)
	if err != nil {
		return pollState{}, err
	}
	var st pollState
	if raw != "" {
		if err := json.Unmarshal([]byte(raw), &st); err != nil {
			p.Logger.Warn("the saved mention cursor is unreadable; starting over", "err", err)
			st = pollState{}
		}
	}
	if !x.ValidID(st.SinceID) && st.SinceID != "" {
		st.SinceID, st.Token, st.Newest, st.Cold = "", "", "", true
	}
	if st.UserID != userID {
		st = pollState{UserID: userID, Cold: true}
	}
	return st, nil
}

// take queues the mentions of page and moves the cursor past them.
func (p *Poller) take(ctx context.Context, st *pollState, page *x.MentionsPage, now time.Time) error {
	tl, err := ParseTimeline(page.Body, p.BotHandle, st.UserID)
	if err != nil {
		return err
	}
	p.logSkipped(tl.Skipped)
	ms, ids := tl.Mentions, tl.IDs
	last := page.NextToken == ""
	if st.Token == "" {
		st.sent = nil // a new sweep
	} else {
		if st.sent == nil {
			st.sent = map[string]bool{}
		}
		st.sent[st.Token] = true
	}
	if !last && st.sent[page.NextToken] {
		// X hands out a page it gave before: following it would read the
		// same pages for ever. The sweep ends here, with what it read.
		p.Logger.Warn("X repeated a page token of the mention timeline; ending the sweep here", "pages", len(st.sent)+1)
		last = true
	}
	if st.Cold {
		backfill := p.Backfill
		if backfill == 0 {
			backfill = DefaultBackfill
		}
		cutoff := now.Add(-backfill)
		kept := ms[:0]
		for _, m := range ms {
			if m.CreatedAt.IsZero() || !m.CreatedAt.Before(cutoff) {
				kept = append(kept, m)
			}
		}
		if len(kept) < len(ms) {
			last = true // the rest of the sweep is older still
			p.Logger.Info("first poll: older mentions are left unanswered", "skipped", len(ms)-len(kept), "older_than", backfill)
		}
		ms = kept
	}
	if len(ms) > 0 {
		if err := p.Queue(ctx, ms); err != nil {
			return err
		}
		p.Logger.Info("mentions read from the timeline", "mentions", len(ms))
	}
	if st.Token == "" {
		// Only ids of X's shape become the cursor: one that is not would
		// be sent back as since_id and refused for ever.
		st.Newest = ""
		for _, id := range append(ids, page.NewestID) {
			if x.ValidID(id) {
				st.Newest = maxID(st.Newest, id)
			}
		}
	}
	if last {
		st.SinceID = maxID(st.SinceID, st.Newest)
		st.Token, st.Newest, st.Cold, st.sent = "", "", false, nil
	} else {
		st.Token = page.NextToken
	}
	raw, err := json.Marshal(st)
	if err != nil {
		return err
	}
	return p.Store.SetCursor(ctx, cursorName, string(raw), now)
}

// TimelinePage is a mention timeline page as ParseTimeline reads it.
type TimelinePage struct {
	// Mentions are the page's mentions of the bot, oldest first.
	Mentions []Mention
	// IDs are the ids of all the page's posts that have one, oldest
	// first, whether or not they are mentions or readable.
	IDs []string
	// Skipped says, for each post that could not be read, which it was
	// and why. The rest of the page is read all the same.
	Skipped []error
}

// ParseTimeline reads a mention timeline page (GetUsersMentionsResponse,
// docs/x-api-research.md section 1j) into the mentions of botHandle,
// oldest first, with the ids of all the page's posts. The bot's own
// posts (botID, when known), retweets and posts that do not name the bot
// are left out, as Parse leaves them out of a delivery. Ids are read as
// strings, as X documents them, or as numbers. A post that cannot be read
// (a field of the wrong type, say) is skipped and reported in Skipped; only
// a page that is not a JSON object with an array of posts is an error.
func ParseTimeline(body []byte, botHandle, botID string) (TimelinePage, error) {
	var page struct {
		Data     []json.RawMessage `json:"data"`
		Includes *v2Includes       `json:"includes"`
	}
	var tl TimelinePage
	if err := json.Unmarshal(body, &page); err != nil {
		return tl, fmt.Errorf("parse mention timeline: %w", err)
	}
	handle := strings.TrimPrefix(botHandle, "@")
	for i := len(page.Data) - 1; i >= 0; i-- {
		var post v2Post
		if err := json.Unmarshal(page.Data[i], &post); err != nil {
			// Its id, if that much is readable, still moves the cursor
			// past it, so the post is not read (and reported) again.
			var only struct {
				ID x.ID `json:"id"`
			}
			_ = json.Unmarshal(page.Data[i], &only)
			if only.ID != "" {
				tl.IDs = append(tl.IDs, string(only.ID))
			}
			id := catalog.CleanLine(string(only.ID))
			if len(id) > 40 {
				id = id[:40] + "…"
			}
			tl.Skipped = append(tl.Skipped, fmt.Errorf("post %d of the page (id %q) is unreadable: %w", i+1, id, err))
			continue
		}
		if post.ID != "" {
			tl.IDs = append(tl.IDs, string(post.ID))
		}
		if m, ok := post.mention(handle, botID, page.Includes); ok && handle != "" {
			tl.Mentions = append(tl.Mentions, m)
		}
	}
	return tl, nil
}

// logSkipped logs each unreadable post once, however often it is read.
func (p *Poller) logSkipped(skipped []error) {
	for _, err := range skipped {
		msg := catalog.CleanLine(err.Error())
		if p.logged[msg] {
			continue
		}
		if p.logged == nil || len(p.logged) > 1000 {
			p.logged = map[string]bool{}
		}
		p.logged[msg] = true
		p.Logger.Warn("skipped a post of the mention timeline that cannot be read; the rest of the page is answered", "err", msg)
	}
}

// cmpID orders post ids, decimal numbers of up to 19 digits, by value;
// "" is the least.
func cmpID(a, b string) int {
	if len(a) != len(b) {
		return len(a) - len(b)
	}
	return strings.Compare(a, b)
}

func maxID(a, b string) string {
	if cmpID(a, b) >= 0 {
		return a
	}
	return b
}
