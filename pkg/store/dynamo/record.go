package dynamo

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/reinvent-cli/reinvent/pkg/store"
	"github.com/reinvent-cli/reinvent/pkg/store/dynamo/internal/ddb"
)

// How a run is recorded all or nothing (docs/serverless.md, "The table"):
// DynamoDB's transactions hold 100 items and a run may hold thousands, so
// Record writes the run's versions, changes and outbox rows first, each
// tagged with the run's id, then commits the run with one conditional
// update of the event's META item (committed = the run), then moves the
// heads from the run's manifest and marks them applied. Readers see only
// committed runs: a run that died before its commit is invisible, and the
// next Record deletes what it left; a run that died after its commit has
// its heads applied by the next Heads or Record.

const (
	metaSK    = "META"
	outboxPK  = "OUTBOX"
	runBits   = 20 // an outbox id is run<<runBits | its number in the run
	headsPref = "HEAD#"
)

func eventPK(event string) string          { return "EVENT#" + event }
func versionPK(event, code string) string  { return "VERSION#" + event + "#" + code }
func runPK(event string, run int64) string { return "RUN#" + event + "#" + pad(run) }
func changesPK(event string) string        { return "CHANGES#" + event }
func pendingPK(event string) string        { return "PENDING#" + event }
func upper(code string) string             { return strings.ToUpper(strings.TrimSpace(code)) }

// meta is the state of an event's runs.
type meta struct {
	committed, applied, writing int64
}

func (s *Store) meta(ctx context.Context, event string) (meta, error) {
	it, err := s.get(ctx, eventPK(event), metaSK)
	if err != nil {
		return meta{}, fmt.Errorf("read the runs of %s: %w", event, err)
	}
	return meta{getN(it, "committed"), getN(it, "applied"), getN(it, "writing")}, nil
}

// settle applies the heads of a committed run that were not all applied,
// and, with clean, deletes what a run that never committed left; it
// returns the last committed run.
func (s *Store) settle(ctx context.Context, event string, clean bool) (meta, error) {
	m, err := s.meta(ctx, event)
	if err != nil {
		return m, err
	}
	if m.committed > m.applied {
		if err := s.apply(ctx, event, m.committed); err != nil {
			return m, err
		}
		m.applied = m.committed
	}
	if clean && m.writing > m.committed {
		if err := s.discard(ctx, event, m.writing, m.committed); err != nil {
			return m, fmt.Errorf("discard the run %d of %s that never finished: %w", m.writing, event, err)
		}
	}
	return m, nil
}

// apply moves the heads of event to what committed run wrote.
func (s *Store) apply(ctx context.Context, event string, run int64) error {
	man, err := s.queryPrefix(ctx, runPK(event, run), headsPref)
	if err != nil {
		return fmt.Errorf("read run %d of %s: %w", run, event, err)
	}
	reqs := make([]ddb.WriteRequest, len(man))
	for i, it := range man {
		it[attrPK] = sv(eventPK(event))
		reqs[i] = put(it)
	}
	if err := s.batchWrite(ctx, reqs); err != nil {
		return fmt.Errorf("apply run %d of %s: %w", run, event, err)
	}
	_, err = s.db.UpdateItem(ctx, &ddb.UpdateItemInput{
		TableName: s.table, Key: keyOf(eventPK(event), metaSK),
		UpdateExpression:          "SET #applied = :r",
		ConditionExpression:       "attribute_not_exists(#applied) OR #applied < :r",
		ExpressionAttributeNames:  exprNames("#applied"),
		ExpressionAttributeValues: item{":r": nv(run)},
	})
	if err != nil && !conditionFailed(err) {
		return fmt.Errorf("apply run %d of %s: %w", run, event, err)
	}
	return nil
}

// discard deletes what run, which never committed, wrote, and marks
// committed the run being written again.
func (s *Store) discard(ctx context.Context, event string, run, committed int64) error {
	man, err := s.queryPrefix(ctx, runPK(event, run), "")
	if err != nil {
		return err
	}
	var reqs []ddb.WriteRequest
	for _, it := range man {
		if code, ok := strings.CutPrefix(getS(it, attrSK), headsPref); ok {
			reqs = append(reqs, del(versionPK(event, code), pad(getN(it, "seq"))))
		}
		reqs = append(reqs, del(getS(it, attrPK), getS(it, attrSK)))
	}
	changes, err := s.queryPrefix(ctx, changesPK(event), pad(run)+"#")
	if err != nil {
		return err
	}
	outbox, err := s.query(ctx, &ddb.QueryInput{
		KeyConditionExpression:    "PK = :pk AND SK BETWEEN :lo AND :hi",
		ExpressionAttributeValues: item{":pk": sv(outboxPK), ":lo": sv(pad(run << runBits)), ":hi": sv(pad((run+1)<<runBits - 1))},
		ConsistentRead:            true,
	})
	if err != nil {
		return err
	}
	for _, it := range append(changes, outbox...) {
		reqs = append(reqs, del(getS(it, attrPK), getS(it, attrSK)))
	}
	if err := s.batchWrite(ctx, reqs); err != nil {
		return err
	}
	_, err = s.db.UpdateItem(ctx, &ddb.UpdateItemInput{
		TableName: s.table, Key: keyOf(eventPK(event), metaSK),
		UpdateExpression:          "SET #writing = :c",
		ConditionExpression:       "#writing = :w",
		ExpressionAttributeNames:  exprNames("#writing"),
		ExpressionAttributeValues: item{":w": nv(run), ":c": nv(committed)},
	})
	if err != nil && !conditionFailed(err) {
		return err
	}
	return nil
}

// Heads reads the latest version of every code of event, as of the last
// committed run.
func (s *Store) Heads(ctx context.Context, event string) (*store.Heads, error) {
	if _, err := s.settle(ctx, event, false); err != nil {
		return nil, err
	}
	items, err := s.queryPrefix(ctx, eventPK(event), headsPref)
	if err != nil {
		return nil, fmt.Errorf("read heads of %s: %w", event, err)
	}
	heads := make([]store.Head, len(items))
	for i, it := range items {
		heads[i] = headOf(it)
	}
	return store.NewHeads(event, heads, func(code string, seq int) ([]byte, error) {
		it, err := s.get(context.WithoutCancel(ctx), versionPK(event, code), pad(int64(seq)))
		if err != nil {
			return nil, err
		}
		if it == nil {
			return nil, fmt.Errorf("version %d of %s: %w", seq, code, store.ErrNotFound)
		}
		return getB(it, "data"), nil
	}), nil
}

func headOf(it item) store.Head {
	h := store.Head{Code: strings.TrimPrefix(getS(it, attrSK), headsPref), Seq: int(getN(it, "seq")), Removed: getBool(it, "removed")}
	copy(h.Hash[:], getB(it, "hash"))
	return h
}

// Record stores r all or nothing, as store.Store.Record documents it, and
// returns the run's id. Two Records of one event at once cannot both
// commit: the second to claim the event's META item fails.
func (s *Store) Record(ctx context.Context, r store.Run) (int64, error) {
	if len(r.Sessions) == 0 && len(r.Removed) == 0 && len(r.Changes) == 0 {
		return 0, nil
	}
	if err := r.Check(); err != nil {
		return 0, err
	}
	now := time.Now()
	if r.At.IsZero() {
		r.At = now
	}
	m, err := s.settle(ctx, r.Event, true)
	if err != nil {
		return 0, fmt.Errorf("record run of %s: %w", r.Event, err)
	}
	run, err := s.claimRun(ctx, r.Event, m.committed)
	if err != nil {
		return 0, fmt.Errorf("record run of %s: %w", r.Event, err)
	}
	reqs, err := s.runItems(ctx, run, &r)
	if err != nil {
		return 0, fmt.Errorf("record run of %s: %w", r.Event, err)
	}
	if err := s.batchWrite(ctx, reqs); err != nil {
		return 0, fmt.Errorf("record run of %s: %w", r.Event, err)
	}
	_, err = s.db.UpdateItem(ctx, &ddb.UpdateItemInput{
		TableName: s.table, Key: keyOf(eventPK(r.Event), metaSK),
		UpdateExpression:          "SET #committed = :r",
		ConditionExpression:       "#writing = :r",
		ExpressionAttributeNames:  exprNames("#committed", "#writing"),
		ExpressionAttributeValues: item{":r": nv(run)},
	})
	if conditionFailed(err) {
		return 0, fmt.Errorf("record run of %s: another process recorded a run at the same time; nothing of this one was recorded", r.Event)
	}
	if err != nil {
		return 0, fmt.Errorf("record run of %s: %w", r.Event, err)
	}
	// Committed: if applying the heads fails, the next Heads or Record
	// applies them.
	_ = s.apply(ctx, r.Event, run)
	return run, nil
}

// claimRun takes the next run id and marks it the event's run being
// written, if no other run was committed since committed was read.
func (s *Store) claimRun(ctx context.Context, event string, committed int64) (int64, error) {
	out, err := s.db.UpdateItem(ctx, &ddb.UpdateItemInput{
		TableName: s.table, Key: keyOf("COUNTER", "RUN"),
		UpdateExpression:          "ADD #n :one",
		ExpressionAttributeNames:  exprNames("#n"),
		ExpressionAttributeValues: item{":one": nv(1)},
		ReturnValues:              ddb.ReturnUpdatedNew,
	})
	if err != nil {
		return 0, err
	}
	run := getN(out.Attributes, "n")
	cond := "(attribute_not_exists(#committed) OR #committed = :c) AND (attribute_not_exists(#writing) OR #writing <= :c)"
	_, err = s.db.UpdateItem(ctx, &ddb.UpdateItemInput{
		TableName: s.table, Key: keyOf(eventPK(event), metaSK),
		UpdateExpression:          "SET #writing = :r, #committed = if_not_exists(#committed, :c)",
		ConditionExpression:       cond,
		ExpressionAttributeNames:  exprNames(cond),
		ExpressionAttributeValues: item{":r": nv(run), ":c": nv(committed)},
	})
	if conditionFailed(err) {
		return 0, fmt.Errorf("another process is recording a run of %s", event)
	}
	return run, err
}

// runItems returns the writes of run: its versions and manifest, its
// changes and its outbox rows.
func (s *Store) runItems(ctx context.Context, run int64, r *store.Run) ([]ddb.WriteRequest, error) {
	items, err := s.queryPrefix(ctx, eventPK(r.Event), headsPref)
	if err != nil {
		return nil, err
	}
	heads := make(map[string]store.Head, len(items))
	for _, it := range items {
		h := headOf(it)
		heads[h.Code] = h
	}
	seen := nanos(r.At)
	var reqs []ddb.WriteRequest
	version := func(code string, seq int, hash []byte, removed bool, data []byte) {
		reqs = append(reqs,
			put(item{attrPK: sv(versionPK(r.Event, code)), attrSK: sv(pad(int64(seq))), "run": nv(run),
				"hash": bv(hash), "removed": boolv(removed), "seen": nv(seen), "data": bv(data)}),
			put(item{attrPK: sv(runPK(r.Event, run)), attrSK: sv(headsPref + code), "seq": nv(int64(seq)),
				"hash": bv(hash), "removed": boolv(removed)}))
	}
	for i := range r.Sessions {
		data := store.Canonical(&r.Sessions[i])
		hash := sha256.Sum256(data)
		code := upper(r.Sessions[i].Code)
		version(code, heads[code].Seq+1, hash[:], false, data)
	}
	for _, code := range r.Removed {
		code = upper(code)
		h, ok := heads[code]
		if !ok || h.Removed {
			return nil, fmt.Errorf("%w: tombstone for %s, which is not a live session", store.ErrBadRun, code)
		}
		last, err := s.get(ctx, versionPK(r.Event, code), pad(int64(h.Seq)))
		if err != nil || last == nil {
			return nil, fmt.Errorf("tombstone %s: read version %d: %v", code, h.Seq, err)
		}
		version(code, h.Seq+1, h.Hash[:], true, getB(last, "data"))
	}
	carrier := map[string]int{} // code -> index of the digest that carries it
	for i, d := range r.Digests {
		for _, code := range d.Codes {
			carrier[upper(code)] = i
		}
	}
	n := int64(0)
	outbox := func(code, kind, text string, codes []string) int64 {
		n++
		id := run<<runBits | n
		it := item{attrPK: sv(outboxPK), attrSK: sv(pad(id)), "id": nv(id), "run": nv(run), "event": sv(r.Event),
			"code": sv(code), "kind": sv(kind), "text": sv(text), "state": sv(store.OutboxPending), "attempts": nv(0),
			"created_at": nv(seen), "last_error": sv(""), "post_id": sv(""), "posted_at": nv(0), "duplicate": boolv(false),
			attrGSI1PK: sv(pendingPK(r.Event)), attrGSI1SK: sv(pad(id))}
		if codes != nil {
			it["codes"] = listv(codes)
		}
		reqs = append(reqs, put(it))
		return id
	}
	own := make([]int64, len(r.Changes))
	for i, c := range r.Changes {
		if c.Post != "" {
			own[i] = outbox(upper(c.Code), c.Kind, c.Post, nil)
		}
	}
	digestIDs := make([]int64, len(r.Digests))
	for i, d := range r.Digests {
		codes := make([]string, len(d.Codes))
		for j, c := range d.Codes {
			codes[j] = upper(c)
		}
		digestIDs[i] = outbox(codes[0], d.Kind, d.Text, codes)
	}
	for i, c := range r.Changes {
		code := upper(c.Code)
		post, id := c.Post, own[i]
		if d, ok := carrier[code]; ok && c.Post == "" {
			post, id = r.Digests[d].Text, digestIDs[d]
		}
		fields := c.Fields
		if fields == nil {
			fields = []string{}
		}
		it := item{attrPK: sv(changesPK(r.Event)), attrSK: sv(pad(run) + "#" + pad(int64(i))), "run": nv(run),
			"code": sv(code), "kind": sv(c.Kind), "fields": listv(fields), "post": sv(post), "outbox": nv(id)}
		for name, m := range map[string]map[string]any{"old": c.Old, "new": c.New} {
			if m == nil {
				continue
			}
			b, err := json.Marshal(m)
			if err != nil {
				return nil, fmt.Errorf("change of %s: %s values: %w", code, name, err)
			}
			it[name] = sv(string(b))
		}
		reqs = append(reqs, put(it))
	}
	return reqs, nil
}

// Changes returns the changes recorded for event by run runID, or by every
// run when runID is 0, as store.Store.Changes does.
func (s *Store) Changes(ctx context.Context, event string, runID int64) ([]store.Change, error) {
	m, err := s.meta(ctx, event)
	if err != nil {
		return nil, err
	}
	prefix := ""
	if runID != 0 {
		prefix = pad(runID) + "#"
	}
	items, err := s.queryPrefix(ctx, changesPK(event), prefix)
	if err != nil {
		return nil, fmt.Errorf("read changes of %s: %w", event, err)
	}
	posted := map[int64]bool{}
	var cs []store.Change
	for _, it := range items {
		if getN(it, "run") > m.committed {
			continue
		}
		c := store.Change{Code: getS(it, "code"), Kind: getS(it, "kind"), Fields: getList(it, "fields"), Post: getS(it, "post")}
		if c.Fields == nil {
			c.Fields = []string{}
		}
		for name, dst := range map[string]*map[string]any{"old": &c.Old, "new": &c.New} {
			if v := getS(it, name); v != "" {
				if err := json.Unmarshal([]byte(v), dst); err != nil {
					return nil, fmt.Errorf("change of %s: values: %w", c.Code, err)
				}
			}
		}
		if id := getN(it, "outbox"); id != 0 {
			p, ok := posted[id]
			if !ok {
				o, err := s.get(ctx, outboxPK, pad(id))
				if err != nil {
					return nil, fmt.Errorf("read changes of %s: %w", event, err)
				}
				p = getS(o, "state") == store.OutboxPosted
				posted[id] = p
			}
			c.Posted = p
		}
		cs = append(cs, c)
	}
	return cs, nil
}

// Versions returns every stored version of code in event, oldest first.
func (s *Store) Versions(ctx context.Context, event, code string) ([]store.Version, error) {
	code = upper(code)
	m, err := s.meta(ctx, event)
	if err != nil {
		return nil, err
	}
	items, err := s.queryPrefix(ctx, versionPK(event, code), "")
	if err != nil {
		return nil, fmt.Errorf("read versions of %s: %w", code, err)
	}
	var vs []store.Version
	for _, it := range items {
		if getN(it, "run") > m.committed {
			continue
		}
		seq, err := strconv.Atoi(getS(it, attrSK))
		if err != nil {
			return nil, fmt.Errorf("versions of %s: bad sort key %q", code, getS(it, attrSK))
		}
		v := store.Version{Event: event, Code: code, Seq: seq, Removed: getBool(it, "removed"), SeenAt: fromNanos(getN(it, "seen"))}
		copy(v.Hash[:], getB(it, "hash"))
		if v.Session, err = store.DecodeSession(getB(it, "data")); err != nil {
			return nil, fmt.Errorf("version %d of %s: %w", v.Seq, code, err)
		}
		vs = append(vs, v)
	}
	return vs, nil
}
