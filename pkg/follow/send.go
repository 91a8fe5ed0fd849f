package follow

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"slices"

	"github.com/reinvent-cli/reinvent/pkg/catalog"
)

// send sends every pending notice, oldest first, to its sink: the send is
// recorded as started before it goes out and as ended after, so that a
// notice is sent again only when a run died between the two (a sink that
// Replaces makes that resend harmless; docs/follow.md, "Exactly once"). A
// sink that fails keeps its notices pending and is not tried again in this
// run; the other sinks go on.
func (d *Deps) send(ctx context.Context, event string, r *Report) error {
	if len(d.Notify) == 0 {
		return nil
	}
	pending, err := d.Store.PendingNotices(ctx, event, d.keys())
	if err != nil {
		return err
	}
	sinks := map[string]Target{}
	for _, t := range d.Notify {
		sinks[t.Key] = t
	}
	mine := map[string]int{}
	for i, n := range r.Notices {
		mine[n.ID] = i
	}
	failed := map[string]bool{}
	earlier := map[string]bool{}
	for _, p := range pending {
		t := sinks[p.Sink]
		if failed[p.Sink] {
			r.Pending++
			continue
		}
		var n Notice
		if err := json.Unmarshal(p.Data, &n); err != nil {
			return fmt.Errorf("read notice %s in the store: %w", p.NoticeID, err)
		}
		if p.Attempts > 0 && !t.Sink.Replaces() {
			d.logger().Warn("sending a notice again: the run that sent it stopped before it knew whether it arrived, and this service cannot replace a copy",
				"notice", p.NoticeID, "to", t.Sink.Where())
		}
		if err := d.Store.StartNotice(ctx, p.ID, d.now()); err != nil {
			return err
		}
		serr := t.Sink.Send(ctx, sinkNotice(&n))
		failure := ""
		if serr != nil {
			failure = catalog.CleanLine(serr.Error())
		}
		if err := d.Store.EndNotice(context.WithoutCancel(ctx), p.ID, failure, d.now()); err != nil {
			return err
		}
		if serr != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			failed[p.Sink] = true
			r.Failures = append(r.Failures, failure)
			r.Pending++
			d.logger().Warn("notice not sent; it stays pending for the next run", "notice", p.NoticeID, "err", failure)
			continue
		}
		if i, ok := mine[p.NoticeID]; ok {
			if !slices.Contains(r.Notices[i].Sent, t.Sink.Service()) {
				r.Notices[i].Sent = append(r.Notices[i].Sent, t.Sink.Service())
			}
		} else {
			earlier[p.NoticeID] = true
		}
	}
	r.Earlier = len(earlier)
	slices.Sort(r.Failures)
	r.Failures = slices.Compact(r.Failures)
	return nil
}

func (d *Deps) logger() *slog.Logger {
	if d.Logger == nil {
		return slog.New(slog.DiscardHandler)
	}
	return d.Logger
}
