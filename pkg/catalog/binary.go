package catalog

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"math"
	"sync"
	"time"
	"unsafe"
)

// The binary catalog is the form that loads fastest: the store's catalog
// cache and the embedded sample are kept in it (docs/performance.md, "The
// load path"). It is private to reinvent, versioned and checked:
//
//	"RNVCAT" version(1 byte) crc32c(payload, 4 bytes LE) payload
//
// The payload is uvarints and varints: the header (source, event,
// fetched_at), a table of the distinct one-line strings, a table of the
// distinct abstracts, then the sessions, each string as an index into its
// table. Decoding converts each table to one Go string and slices it, so a
// catalog of 2,400 sessions loads with a handful of allocations.
const (
	binaryMagic   = "RNVCAT"
	binaryVersion = 1
	binaryHeader  = len(binaryMagic) + 1 + 4
)

// ErrBinaryFormat is wrapped by the errors of DecodeBinary for data that is
// not a binary catalog of this version, or is damaged: a cache holding it
// is rebuilt.
var ErrBinaryFormat = errors.New("not a binary catalog of this reinvent version")

// castagnoli is the CRC-32C table, made on first use: making it at start-up
// would cost every command, version included, a fifth of a millisecond.
var castagnoli = sync.OnceValue(func() *crc32.Table { return crc32.MakeTable(crc32.Castagnoli) })

// Session flag bits in the binary form.
const (
	binAllDay = 1 << iota
	binStarred
	binReserved
	binEmbargoed
	binReservable
	binStart
	binEnd
)

// EncodeBinary returns c in the binary form. The same catalog always
// encodes to the same bytes. Warnings, Unkeyed and LeftOut are not kept,
// nor Session.Unreadable: they describe one fetch, not the catalog.
func EncodeBinary(c *Catalog) []byte {
	e := binEncoder{lines: map[string]uint64{}, texts: map[string]uint64{}}
	for i := range c.Sessions {
		e.session(&c.Sessions[i])
	}
	out := make([]byte, binaryHeader, binaryHeader+len(e.body)+e.tableSize+64)
	copy(out, binaryMagic)
	out[len(binaryMagic)] = binaryVersion
	out = appendString(out, c.Source)
	out = appendString(out, c.Event)
	if c.FetchedAt.IsZero() {
		out = append(out, 0)
	} else {
		out = append(out, 1)
		out = appendTime(out, c.FetchedAt)
	}
	for _, table := range [][]string{e.lineList, e.textList} {
		out = binary.AppendUvarint(out, uint64(len(table)))
		for _, s := range table {
			out = binary.AppendUvarint(out, uint64(len(s)))
		}
		for _, s := range table {
			out = append(out, s...)
		}
	}
	out = binary.AppendUvarint(out, uint64(len(c.Sessions)))
	out = binary.AppendUvarint(out, uint64(e.listItems))
	out = append(out, e.body...)
	binary.LittleEndian.PutUint32(out[len(binaryMagic)+1:], castagnoliSum(out[binaryHeader:]))
	return out
}

type binEncoder struct {
	lines, texts       map[string]uint64
	lineList, textList []string
	tableSize          int
	listItems          int
	body               []byte
}

func (e *binEncoder) line(s string) {
	id, ok := e.lines[s]
	if !ok {
		id = uint64(len(e.lineList))
		e.lines[s] = id
		e.lineList = append(e.lineList, s)
		e.tableSize += len(s) + 2
	}
	e.body = binary.AppendUvarint(e.body, id)
}

func (e *binEncoder) text(s string) {
	id, ok := e.texts[s]
	if !ok {
		id = uint64(len(e.textList))
		e.texts[s] = id
		e.textList = append(e.textList, s)
		e.tableSize += len(s) + 2
	}
	e.body = binary.AppendUvarint(e.body, id)
}

func (e *binEncoder) session(s *Session) {
	for _, v := range []string{s.Code, s.BaseCode, s.SessionID, s.Title, s.Type, s.Venue, s.Room, s.Status, s.SeatAvailability} {
		e.line(v)
	}
	e.text(s.Abstract)
	e.body = binary.AppendVarint(e.body, int64(s.Level))
	for _, l := range [][]string{s.Tracks, s.Topics, s.Services, s.Roles, s.Industries, s.Speakers} {
		e.body = binary.AppendUvarint(e.body, uint64(len(l)))
		for _, v := range l {
			e.line(v)
		}
		e.listItems += len(l)
	}
	var flags uint64
	set := func(bit uint64, on bool) {
		if on {
			flags |= bit
		}
	}
	set(binAllDay, s.AllDay)
	set(binStarred, s.Starred)
	set(binReserved, s.Reserved)
	set(binEmbargoed, s.Embargoed)
	set(binReservable, s.Reservable)
	set(binStart, !s.Start.IsZero())
	set(binEnd, !s.End.IsZero())
	e.body = binary.AppendUvarint(e.body, flags)
	if !s.Start.IsZero() {
		e.body = appendTime(e.body, s.Start)
	}
	if !s.End.IsZero() {
		e.body = appendTime(e.body, s.End)
	}
}

func appendString(b []byte, s string) []byte {
	return append(binary.AppendUvarint(b, uint64(len(s))), s...)
}

// appendTime writes t as Unix seconds, nanoseconds and its zone's offset
// in seconds, so that it reads back as the same instant with the same
// offset.
func appendTime(b []byte, t time.Time) []byte {
	_, off := t.Zone()
	b = binary.AppendVarint(b, t.Unix())
	b = binary.AppendUvarint(b, uint64(t.Nanosecond()))
	return binary.AppendVarint(b, int64(off))
}

// DecodeBinary reads a catalog written by EncodeBinary. The catalog's
// strings share data's memory, which saves copying a megabyte on every
// load: data must not be changed afterwards. Session times are
// in loc, or keep the offset they were written with when loc is nil. The
// sessions come back in the canonical form of Normalize: lists are never
// nil, and text that the cleaning rules would change (data written by an
// older or foreign writer) is cleaned.
func DecodeBinary(data []byte, loc *time.Location) (*Catalog, error) {
	if len(data) < binaryHeader || string(data[:len(binaryMagic)]) != binaryMagic {
		return nil, fmt.Errorf("%w: no header", ErrBinaryFormat)
	}
	if v := data[len(binaryMagic)]; v != binaryVersion {
		return nil, fmt.Errorf("%w: version %d, want %d", ErrBinaryFormat, v, binaryVersion)
	}
	if castagnoliSum(data[binaryHeader:]) != binary.LittleEndian.Uint32(data[len(binaryMagic)+1:]) {
		return nil, fmt.Errorf("%w: checksum mismatch (damaged)", ErrBinaryFormat)
	}
	d := binDecoder{data: data, off: binaryHeader, loc: loc}
	c := &Catalog{Source: d.string(), Event: d.string()}
	if d.byte() == 1 {
		c.FetchedAt = d.time()
	}
	lines, linesPlain := d.table(true)
	texts, textsPlain := d.table(false)
	n, items := d.count(), d.count()
	if d.err != nil {
		return nil, d.err
	}
	// Every session takes at least 17 bytes, every list item one: counts
	// beyond that are damage, not a reason to allocate.
	if n > len(data)/17 || items > len(data) {
		return nil, fmt.Errorf("%w: counts beyond the data", ErrBinaryFormat)
	}
	c.Sessions = make([]Session, n)
	backing := make([]string, items)
	for i := range c.Sessions {
		s := &c.Sessions[i]
		for _, p := range []*string{&s.Code, &s.BaseCode, &s.SessionID, &s.Title, &s.Type, &s.Venue, &s.Room, &s.Status, &s.SeatAvailability} {
			*p = d.pick(lines)
		}
		s.Abstract = d.pick(texts)
		s.Level = d.int()
		for _, l := range []*[]string{&s.Tracks, &s.Topics, &s.Services, &s.Roles, &s.Industries, &s.Speakers} {
			k := d.count()
			if k > len(backing) {
				d.fail("list longer than the data")
				break
			}
			*l = backing[:k:k]
			backing = backing[k:]
			for j := range *l {
				(*l)[j] = d.pick(lines)
			}
		}
		flags := d.uvarint()
		s.AllDay, s.Starred, s.Reserved = flags&binAllDay != 0, flags&binStarred != 0, flags&binReserved != 0
		s.Embargoed, s.Reservable = flags&binEmbargoed != 0, flags&binReservable != 0
		if flags&binStart != 0 {
			s.Start = d.time()
		}
		if flags&binEnd != 0 {
			s.End = d.time()
		}
		if d.err != nil {
			return nil, d.err
		}
		if !linesPlain || !textsPlain {
			s.clean()
		}
	}
	if d.off != len(data) {
		return nil, fmt.Errorf("%w: %d bytes after the last session", ErrBinaryFormat, len(data)-d.off)
	}
	return c, nil
}

type binDecoder struct {
	data  []byte
	off   int
	loc   *time.Location
	zones map[int]*time.Location
	err   error
}

func (d *binDecoder) fail(what string) {
	if d.err == nil {
		d.err = fmt.Errorf("%w: %s at byte %d", ErrBinaryFormat, what, d.off)
	}
	d.off = len(d.data)
}

func (d *binDecoder) uvarint() uint64 {
	v, n := binary.Uvarint(d.data[d.off:])
	if n <= 0 {
		d.fail("bad number")
		return 0
	}
	d.off += n
	return v
}

func (d *binDecoder) varint() int64 {
	v, n := binary.Varint(d.data[d.off:])
	if n <= 0 {
		d.fail("bad number")
		return 0
	}
	d.off += n
	return v
}

// count reads a length, which can never exceed the bytes there are.
func (d *binDecoder) count() int {
	v := d.uvarint()
	if v > uint64(len(d.data)) {
		d.fail("length beyond the data")
		return 0
	}
	return int(v)
}

func (d *binDecoder) int() int {
	v := d.varint()
	if v < math.MinInt32 || v > math.MaxInt32 {
		d.fail("number out of range")
		return 0
	}
	return int(v)
}

func (d *binDecoder) byte() byte {
	if d.off >= len(d.data) {
		d.fail("truncated")
		return 0
	}
	d.off++
	return d.data[d.off-1]
}

func (d *binDecoder) string() string {
	n := d.count()
	if d.off+n > len(d.data) {
		d.fail("truncated string")
		return ""
	}
	d.off += n
	return string(d.data[d.off-n : d.off])
}

// table reads a string table as one Go string, sliced, and reports
// whether all of it is already clean (as a one-line field when line).
func (d *binDecoder) table(line bool) ([]string, bool) {
	n := d.count()
	lens := make([]int, n)
	total := 0
	for i := range lens {
		lens[i] = d.count()
		total += lens[i]
	}
	if d.err != nil || total > len(d.data)-d.off {
		d.fail("truncated table")
		return nil, true
	}
	// The strings share data's memory instead of copying it: DecodeBinary's
	// contract is that data is not changed afterwards.
	var all string
	if total > 0 {
		all = unsafe.String(&d.data[d.off], total)
	}
	d.off += total
	table := make([]string, n)
	at := 0
	for i, l := range lens {
		table[i] = all[at : at+l]
		at += l
	}
	return table, isPlain(all, line)
}

func (d *binDecoder) pick(table []string) string {
	i := d.uvarint()
	if i >= uint64(len(table)) {
		d.fail("string index beyond its table")
		return ""
	}
	return table[i]
}

func (d *binDecoder) time() time.Time {
	sec, nsec, off := d.varint(), d.uvarint(), d.varint()
	if nsec >= 1e9 || off < -24*3600 || off > 24*3600 {
		d.fail("bad time")
		return time.Time{}
	}
	t := time.Unix(sec, int64(nsec))
	if d.loc != nil {
		return t.In(d.loc)
	}
	z, ok := d.zones[int(off)]
	if !ok {
		if d.zones == nil {
			d.zones = map[int]*time.Location{}
		}
		z = time.FixedZone("", int(off))
		d.zones[int(off)] = z
	}
	return t.In(z)
}

func castagnoliSum(b []byte) uint32 { return crc32.Checksum(b, castagnoli()) }
