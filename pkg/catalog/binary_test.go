package catalog

import (
	"bytes"
	"errors"
	"math/rand/v2"
	"testing"

	"github.com/reinvent-cli/reinvent/internal/testenv"
)

// A catalog read back from its binary form holds the same sessions, with
// the same instants and offsets, and encodes to the same bytes again.
func TestBinaryRoundTrip(t *testing.T) {
	loc := testenv.Vegas
	g := &sessionGen{r: rand.New(rand.NewPCG(2026, 12)), loc: loc}
	for range 300 {
		c := &Catalog{Source: g.text(), Event: g.text(), FetchedAt: g.when(), Sessions: normalized(g.sessions(), loc)}
		data := EncodeBinary(c)
		back, err := DecodeBinary(data, loc)
		if err != nil {
			t.Fatal(err)
		}
		assertSameSessions(t, back.Sessions, c.Sessions)
		if back.Source != c.Source || back.Event != c.Event || !back.FetchedAt.Equal(c.FetchedAt) {
			t.Errorf("source, event, fetched_at = %q, %q, %v; want %q, %q, %v",
				back.Source, back.Event, back.FetchedAt, c.Source, c.Event, c.FetchedAt)
		}
		for i := range back.Sessions {
			if s := &back.Sessions[i]; s.Scheduled() && s.Start.Location() != loc {
				t.Fatalf("%s starts in %v, want %v", s.Code, s.Start.Location(), loc)
			}
		}
		if again := EncodeBinary(back); !bytes.Equal(again, data) {
			t.Fatal("encoded again, the bytes changed")
		}
		// Without a zone, each time keeps the offset it was written with.
		raw, err := DecodeBinary(data, nil)
		if err != nil {
			t.Fatal(err)
		}
		for i := range raw.Sessions {
			_, off := raw.Sessions[i].Start.Zone()
			_, want := c.Sessions[i].Start.Zone()
			if off != want || !raw.Sessions[i].Start.Equal(c.Sessions[i].Start) {
				t.Fatalf("%s: start %v, want %v", c.Sessions[i].Code, raw.Sessions[i].Start, c.Sessions[i].Start)
			}
		}
	}
}

// Text that was not cleaned when written (an older writer, a damaged but
// checksummed file) is cleaned when read, as every source's text is.
func TestBinaryCleansText(t *testing.T) {
	c := &Catalog{Sessions: []Session{{Code: "SVS401", Title: "Evil\x1b]8;;http://x\x07 title", Abstract: "a\x1b[2Jb\nc",
		Tracks: []string{"t\u202e1"}}}}
	back, err := DecodeBinary(EncodeBinary(c), nil)
	if err != nil {
		t.Fatal(err)
	}
	s := back.Sessions[0]
	if s.Title != "Evil title" || s.Abstract != "ab\nc" || s.Tracks[0] != "t1" {
		t.Errorf("read back %q, %q, %q: want the escapes removed", s.Title, s.Abstract, s.Tracks)
	}
	for _, l := range [][]string{s.Topics, s.Services, s.Roles, s.Industries, s.Speakers} {
		if l == nil {
			t.Error("a nil list: want []")
		}
	}
}

// Damaged, truncated, foreign or older data is refused with
// ErrBinaryFormat, never read as a wrong catalog.
func TestBinaryRefusesDamage(t *testing.T) {
	loc := testenv.Vegas
	g := &sessionGen{r: rand.New(rand.NewPCG(1, 2)), loc: loc}
	good := EncodeBinary(&Catalog{Source: "events-api", Sessions: normalized(g.sessions(), loc)})
	flipped := bytes.Clone(good)
	flipped[len(flipped)/2] ^= 0x40
	newer := bytes.Clone(good)
	newer[len(binaryMagic)] = binaryVersion + 1
	for name, data := range map[string][]byte{
		"empty": nil, "gzip JSON of before": {0x1f, 0x8b, 8, 0}, "truncated": good[:len(good)-1],
		"one bit flipped": flipped, "a newer version": newer, "with bytes after": append(bytes.Clone(good), 0),
	} {
		if c, err := DecodeBinary(data, loc); !errors.Is(err, ErrBinaryFormat) {
			t.Errorf("%s: DecodeBinary = %v, %v; want ErrBinaryFormat", name, c, err)
		}
	}
}

func FuzzDecodeBinary(f *testing.F) {
	loc := testenv.Vegas
	g := &sessionGen{r: rand.New(rand.NewPCG(3, 4)), loc: loc}
	f.Add(EncodeBinary(&Catalog{Source: "s", Sessions: normalized(g.sessions(), loc)}))
	f.Add([]byte(binaryMagic + "\x01\x00\x00\x00\x00"))
	f.Fuzz(func(t *testing.T, data []byte) {
		// The checksum would stop almost every mutation at the door: fix
		// it, so that the fuzzer reaches the decoder proper.
		if len(data) >= binaryHeader && string(data[:len(binaryMagic)]) == binaryMagic {
			data = bytes.Clone(data)
			data[len(binaryMagic)] = binaryVersion
			sum := crcOf(data[binaryHeader:])
			copy(data[len(binaryMagic)+1:], sum[:])
		}
		c, err := DecodeBinary(data, loc)
		if err != nil {
			if !errors.Is(err, ErrBinaryFormat) {
				t.Fatalf("error %v does not wrap ErrBinaryFormat", err)
			}
			return
		}
		back, err := DecodeBinary(EncodeBinary(c), loc)
		if err != nil {
			t.Fatalf("decoded, but its encoding does not decode: %v", err)
		}
		assertSameSessions(t, back.Sessions, c.Sessions)
	})
}

func crcOf(b []byte) [4]byte {
	var out [4]byte
	sum := castagnoliSum(b)
	out[0], out[1], out[2], out[3] = byte(sum), byte(sum>>8), byte(sum>>16), byte(sum>>24)
	return out
}
