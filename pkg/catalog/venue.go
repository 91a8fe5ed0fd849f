package catalog

import (
	"strings"
	"unicode"
)

// WynnEncore is how the 2026 catalog names Wynn and Encore together, when
// it sends no venue and the room starts with the pair (docs/venues.md). A
// session keeps it as its venue when its room does not tell which of the two
// buildings it is in; the built-in travel table plans it as the longer of the
// two (docs/travel.md).
const WynnEncore = "Wynn/Encore"

// knownVenues are the venue names a room may start with, by their keys
// (see VenueKey): the six 2026 venues, the pair, and Mandalay Bay of
// earlier years.
var knownVenues = func() map[string]string {
	m := map[string]string{}
	for _, v := range []string{"Venetian", "Wynn", "Encore", WynnEncore, "Caesars Forum",
		"Caesars Palace", "MGM Grand", "Mandalay Bay"} {
		m[VenueKey(v)] = v
	}
	return m
}()

// The words of room names that tell Wynn from Encore: Wynn's convention
// rooms are named after wines, Encore's after composers, besides the
// Encore Ballroom (docs/venues.md).
var (
	wynnRoomWords   = []string{"convention promenade", "latour", "lafite", "margaux", "la tache", "montrachet", "mouton", "castillon", "fleurie", "meursault", "cristal", "bollinger"}
	encoreRoomWords = []string{"encore ballroom", "brahms", "chopin", "debussy", "mozart", "ravel", "beethoven"}
)

// VenueKey is a venue name folded for comparison, the one venue identity
// of the travel table, the solver, the renderer and the Events API reader:
// surrounding space trimmed, inner runs of space made one, a leading "The "
// dropped, and case folded, so that two names have one key exactly when
// strings.EqualFold says so of their trimmed forms. An empty or all-space
// name gives "".
func VenueKey(s string) string {
	f := strings.Fields(s)
	if len(f) > 1 && foldCase(f[0]) == "THE" {
		f = f[1:]
	}
	return foldCase(strings.Join(f, " "))
}

// foldCase maps every rune to the smallest rune of its case-folding orbit.
func foldCase(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		m := r
		for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
			m = min(m, f)
		}
		b.WriteRune(m)
	}
	return b.String()
}

// PlaceVenue returns the venue and room of a session from what the AWS
// Events API sends. The 2026 catalog leaves venue out for the Wynn, Encore
// and Caesars Palace sessions and starts their room with the venue instead
// ("Wynn/Encore | Level 1 | Latour 1"); a venue that is given is used as
// sent. So:
//
//   - with no venue, the first "|" segment of the room is the venue when it
//     names a known one, and the rest is the room;
//   - a room that starts with the venue it is given does not repeat it;
//   - Wynn/Encore becomes Wynn or Encore when the room names one of their
//     rooms, and stays Wynn/Encore when it names neither;
//   - the room keeps its own words, its segments joined by " | ".
func PlaceVenue(venue, room string) (string, string) {
	venue = strings.Join(strings.Fields(venue), " ")
	segs := strings.Split(room, "|")
	for i := range segs {
		segs[i] = strings.Join(strings.Fields(segs[i]), " ")
	}
	first, known := knownVenues[VenueKey(segs[0])]
	switch {
	case venue == "" && known:
		venue, segs = first, segs[1:]
	case venue != "" && len(segs) > 1 && VenueKey(segs[0]) == VenueKey(venue):
		segs = segs[1:]
	}
	room = strings.Join(nonEmpty(segs), " | ")
	if VenueKey(venue) == VenueKey(WynnEncore) {
		venue = whichOfWynnEncore(room)
	}
	return venue, room
}

// whichOfWynnEncore names the building of a Wynn/Encore room.
func whichOfWynnEncore(room string) string {
	r := strings.ToLower(room)
	for _, w := range encoreRoomWords {
		if strings.Contains(r, w) {
			return "Encore"
		}
	}
	for _, w := range wynnRoomWords {
		if strings.Contains(r, w) {
			return "Wynn"
		}
	}
	return WynnEncore
}

func nonEmpty(l []string) []string {
	out := l[:0:0]
	for _, s := range l {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}
