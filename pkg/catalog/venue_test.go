package catalog

import "testing"

func TestPlaceVenue(t *testing.T) {
	for _, c := range []struct{ venue, room, wantVenue, wantRoom string }{
		{"Venetian", "Level 3 | Lido 3001A", "Venetian", "Level 3 | Lido 3001A"},
		{"", "Wynn/Encore | Level 1 | Latour 1", "Wynn", "Level 1 | Latour 1"},
		{"", "Wynn/Encore | Convention Promenade | Bollinger", "Wynn", "Convention Promenade | Bollinger"},
		{"", "Wynn/Encore | Level 1 | La Tache", "Wynn", "Level 1 | La Tache"},
		{"", "Wynn/Encore | Level 1 | Encore Ballroom A", "Encore", "Level 1 | Encore Ballroom A"},
		{"", "Wynn/Encore | Level 1 | Chopin 2", "Encore", "Level 1 | Chopin 2"},
		{"", "wynn/encore|Level 2|Lounge", "Wynn/Encore", "Level 2 | Lounge"},
		{"", "Caesars Palace | Level 3 | Palace 1", "Caesars Palace", "Level 3 | Palace 1"},
		{"", "The Venetian | Hall D", "Venetian", "Hall D"},
		{"", "Caesars Palace", "Caesars Palace", ""},
		{"", "Level 2 | Hall D", "", "Level 2 | Hall D"},
		{"", "Somewhere Else | Room 1", "", "Somewhere Else | Room 1"},
		{"", "", "", ""},
		{"MGM Grand", "MGM Grand | Level 1 | Room 116", "MGM Grand", "Level 1 | Room 116"},
		{"Wynn/Encore", "Latour 3", "Wynn", "Latour 3"},
		{"  Caesars   Forum ", "Level 1 |  Academy 411 ", "Caesars Forum", "Level 1 | Academy 411"},
		{"Mandalay Bay", "South Seas C", "Mandalay Bay", "South Seas C"},
	} {
		v, r := PlaceVenue(c.venue, c.room)
		if v != c.wantVenue || r != c.wantRoom {
			t.Errorf("PlaceVenue(%q, %q) = %q, %q; want %q, %q", c.venue, c.room, v, r, c.wantVenue, c.wantRoom)
		}
	}
}
