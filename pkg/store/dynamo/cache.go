package dynamo

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"time"

	"github.com/reinvent-cli/reinvent/pkg/catalog"
	"github.com/reinvent-cli/reinvent/pkg/catalog/cached"
	"github.com/reinvent-cli/reinvent/pkg/store/dynamo/internal/ddb"
)

// The catalog cache (docs/serverless.md, "The table") keeps the bytes
// cached.Encode makes, cut into items of chunkSize bytes under a DynamoDB
// item's 400 KB limit: CATALOG#<hash>/CHUNK#<generation>#<n>. The item
// CATALOG#<hash>/HEAD names the current generation and its number of
// chunks, so a Put writes a new generation beside the old one and switches
// to it with one write: a reader sees the old catalog or the new one.
const chunkSize = 350 << 10

// Catalogs is the catalog cache of a DynamoDB store.
type Catalogs struct {
	s *Store
	// Timeout bounds each Get and Put; 0 means 30 s.
	Timeout time.Duration
}

var _ cached.Store = (*Catalogs)(nil)

// Catalogs returns the store's catalog cache.
func (s *Store) Catalogs() *Catalogs { return &Catalogs{s: s} }

func catalogPK(source, event string) string {
	sum := sha256.Sum256([]byte(source + "\x00" + event))
	return "CATALOG#" + hex.EncodeToString(sum[:16])
}

func chunkPrefix(gen int64) string { return "CHUNK#" + pad(gen) + "#" }

func (c *Catalogs) ctx() (context.Context, context.CancelFunc) {
	d := c.Timeout
	if d <= 0 {
		d = 30 * time.Second
	}
	return context.WithTimeout(context.Background(), d)
}

// Get returns the entry of source and event, or an error wrapping
// cached.ErrNotFound when there is none.
func (c *Catalogs) Get(source, event string) (*cached.Entry, error) {
	ctx, cancel := c.ctx()
	defer cancel()
	pk := catalogPK(source, event)
	head, err := c.s.get(ctx, pk, "HEAD")
	if err != nil {
		return nil, fmt.Errorf("read cached catalog of %s from %s: %w", event, source, err)
	}
	if head == nil {
		return nil, fmt.Errorf("cached catalog of %s from %s: %w", event, source, cached.ErrNotFound)
	}
	chunks, err := c.s.queryPrefix(ctx, pk, chunkPrefix(getN(head, "gen")))
	if err != nil {
		return nil, fmt.Errorf("read cached catalog of %s from %s: %w", event, source, err)
	}
	if int64(len(chunks)) != getN(head, "chunks") {
		// Replaced while it was read: as good as none.
		return nil, fmt.Errorf("cached catalog of %s from %s: %w", event, source, cached.ErrNotFound)
	}
	var data []byte
	for _, it := range chunks {
		data = append(data, getB(it, "data")...)
	}
	return cached.Decode(data, source, event)
}

// Put replaces the entry of source and event with cat, atomically, and
// then deletes the chunks of the entry it replaced.
func (c *Catalogs) Put(source, event, stamp string, cat *catalog.Catalog) error {
	ctx, cancel := c.ctx()
	defer cancel()
	pk := catalogPK(source, event)
	data := cached.Encode(source, event, stamp, cat)
	gen := time.Now().UnixNano()
	var reqs []ddb.WriteRequest
	for n := 0; len(data) > 0; n++ {
		k := min(len(data), chunkSize)
		reqs = append(reqs, put(item{attrPK: sv(pk), attrSK: sv(fmt.Sprintf("%s%06d", chunkPrefix(gen), n)), "data": bv(data[:k])}))
		data = data[k:]
	}
	if err := c.s.batchWrite(ctx, reqs); err != nil {
		return fmt.Errorf("cache catalog of %s from %s: %w", event, source, err)
	}
	out, err := c.s.db.PutItem(ctx, &ddb.PutItemInput{
		TableName:    c.s.table,
		Item:         item{attrPK: sv(pk), attrSK: sv("HEAD"), "gen": nv(gen), "chunks": nv(int64(len(reqs)))},
		ReturnValues: ddb.ReturnAllOld,
	})
	if err != nil {
		return fmt.Errorf("cache catalog of %s from %s: %w", event, source, err)
	}
	oldGen := getN(out.Attributes, "gen")
	if oldGen == 0 || oldGen == gen {
		return nil
	}
	old, err := c.s.queryPrefix(ctx, pk, chunkPrefix(oldGen))
	if err != nil {
		return nil // the new entry is in place; the old chunks wait for the next Put
	}
	var dels []ddb.WriteRequest
	for _, it := range old {
		dels = append(dels, del(pk, getS(it, attrSK)))
	}
	_ = c.s.batchWrite(ctx, dels)
	return nil
}
