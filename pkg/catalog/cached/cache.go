package cached

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/reinvent-cli/reinvent/internal/atomicfile"
	"github.com/reinvent-cli/reinvent/pkg/catalog"
)

// Cache is the store's catalog cache: one file for each source and event,
// in the directory beside the SQLite file named after it with "-catalogs"
// added (reinvent.db-catalogs). Each file holds the catalog in
// catalog.EncodeBinary's form behind a checked header that says what it is
// a copy of. The cache lives in files rather than in SQLite because a
// schedule run reads it and nothing else: opening SQLite and reading a
// megabyte through it cost more than the rest of the run (docs/cache.md).
type Cache struct {
	// Dir is the cache's directory; it is created (mode 0700) on the first
	// Put.
	Dir string
}

// Store is where the catalog cache keeps its copies: *Cache keeps them in
// files beside the SQLite store, and the DynamoDB store in items of its
// table (pkg/store/dynamo). Both keep the bytes Encode makes.
type Store interface {
	// Get returns the entry of source and event, or an error wrapping
	// ErrNotFound when there is none, or catalog.ErrBinaryFormat when it
	// cannot be read.
	Get(source, event string) (*Entry, error)
	// Put replaces the entry of source and event with cat, atomically.
	Put(source, event, stamp string, cat *catalog.Catalog) error
}

var _ Store = (*Cache)(nil)

// Beside returns the catalog cache of the store at dbPath.
func Beside(dbPath string) *Cache { return &Cache{Dir: dbPath + "-catalogs"} }

// ErrNotFound is wrapped by the error of Cache.Get when the cache holds no
// copy of the catalog asked for.
var ErrNotFound = errors.New("not found")

// Entry is one entry of the cache, read but not yet decoded.
type Entry struct {
	// Stamp is what Put was given: for a file, what identifies the
	// content it was read from; "" for a live source.
	Stamp string
	// FetchedAt is when the catalog was fetched.
	FetchedAt time.Time
	data      []byte
}

// Catalog decodes the entry, its times in loc (see catalog.DecodeBinary).
// An entry that cannot be decoded is an error wrapping
// catalog.ErrBinaryFormat.
func (c *Entry) Catalog(loc *time.Location) (*catalog.Catalog, error) {
	return catalog.DecodeBinary(c.data, loc)
}

const (
	cacheMagic   = "RNVCACHE"
	cacheVersion = 1
)

// castagnoli is the CRC-32C table, made on first use: making it at start-up
// would cost every command, version included, a fifth of a millisecond.
var castagnoli = sync.OnceValue(func() *crc32.Table { return crc32.MakeTable(crc32.Castagnoli) })

// file is the path of the entry of source and event: a hash of the two,
// so that any source name (a path, a URL) makes a file name.
func (c *Cache) file(source, event string) string {
	sum := sha256.Sum256([]byte(source + "\x00" + event))
	return filepath.Join(c.Dir, hex.EncodeToString(sum[:16])+".bin")
}

// Get returns the entry of source and event, or an error wrapping
// ErrNotFound when there is none. An entry that cannot be read (damaged,
// of another version) is an error wrapping catalog.ErrBinaryFormat: fetch
// the catalog again and Put it over.
func (c *Cache) Get(source, event string) (*Entry, error) {
	data, err := os.ReadFile(c.file(source, event))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("cached catalog of %s from %s: %w", event, source, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("read cached catalog of %s from %s: %w", event, source, err)
	}
	return Decode(data, source, event)
}

// Decode reads an entry of source and event that Encode made. Bytes that
// are no entry are an error wrapping catalog.ErrBinaryFormat, and an entry
// of another source or event one wrapping ErrNotFound.
func Decode(data []byte, source, event string) (*Entry, error) {
	e, gotSource, gotEvent, err := parseCacheEntry(data)
	if err != nil {
		return nil, fmt.Errorf("cached catalog of %s from %s: %w", event, source, err)
	}
	if gotSource != source || gotEvent != event {
		// Two keys with one hash: as good as none.
		return nil, fmt.Errorf("cached catalog of %s from %s: %w", event, source, ErrNotFound)
	}
	return e, nil
}

// Encode returns the entry of cat, copied from source and event, with
// stamp (see Entry.Stamp): a checked header, then the catalog in
// catalog.EncodeBinary's form.
func Encode(source, event, stamp string, cat *catalog.Catalog) []byte {
	head := []byte(cacheMagic)
	head = append(head, cacheVersion, 0, 0, 0, 0)
	for _, s := range []string{source, event, stamp} {
		head = binary.AppendUvarint(head, uint64(len(s)))
		head = append(head, s...)
	}
	var at int64
	if !cat.FetchedAt.IsZero() {
		at = cat.FetchedAt.UnixNano()
	}
	head = binary.AppendVarint(head, at)
	binary.LittleEndian.PutUint32(head[len(cacheMagic)+1:], crc32.Checksum(head[len(cacheMagic)+5:], castagnoli()))
	out := binary.AppendUvarint(nil, uint64(len(head)))
	out = append(out, head...)
	return append(out, catalog.EncodeBinary(cat)...)
}

// Put replaces the entry of source and event with cat, atomically (a
// reader sees the old entry or the new one), mode 0600.
func (c *Cache) Put(source, event, stamp string, cat *catalog.Catalog) error {
	data := Encode(source, event, stamp, cat)
	if err := os.MkdirAll(c.Dir, 0o700); err != nil {
		return fmt.Errorf("cache catalog of %s from %s: %w", event, source, err)
	}
	err := atomicfile.Write(c.file(source, event), 0o600, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
	if err != nil {
		return fmt.Errorf("cache catalog of %s from %s: %w", event, source, err)
	}
	return nil
}

// parseCacheEntry reads an entry's header: uvarint length, then magic,
// version, CRC-32C of the rest of the header, source, event, stamp and
// fetched_at (Unix nanoseconds, 0 when unknown).
func parseCacheEntry(data []byte) (e *Entry, source, event string, err error) {
	bad := fmt.Errorf("%w: not a cache entry of this reinvent version", catalog.ErrBinaryFormat)
	n, k := binary.Uvarint(data)
	if k <= 0 || n > uint64(len(data)-k) || n < uint64(len(cacheMagic)+5) {
		return nil, "", "", bad
	}
	head, rest := data[k:k+int(n)], data[k+int(n):]
	if string(head[:len(cacheMagic)]) != cacheMagic || head[len(cacheMagic)] != cacheVersion ||
		crc32.Checksum(head[len(cacheMagic)+5:], castagnoli()) != binary.LittleEndian.Uint32(head[len(cacheMagic)+1:]) {
		return nil, "", "", bad
	}
	p := head[len(cacheMagic)+5:]
	var fields [3]string
	for i := range fields {
		l, k := binary.Uvarint(p)
		if k <= 0 || l > uint64(len(p)-k) {
			return nil, "", "", bad
		}
		fields[i], p = string(p[k:k+int(l)]), p[k+int(l):]
	}
	at, k := binary.Varint(p)
	if k <= 0 || k != len(p) {
		return nil, "", "", bad
	}
	e = &Entry{Stamp: fields[2], data: rest}
	if at != 0 {
		e.FetchedAt = time.Unix(0, at)
	}
	return e, fields[0], fields[1], nil
}
