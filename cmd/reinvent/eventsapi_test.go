package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	fakeevents "github.com/reinvent-cli/reinvent/internal/fake/events"
	fakex "github.com/reinvent-cli/reinvent/internal/fake/x"
)

// sessionAt is a session in the shape the 2026 catalog was served in
// (docs/events-api.md): local date and time, the length as a string, and a
// room that names the venue when venue is left out.
func sessionAt(id, code, title, venue, room, date, clock, length string) fakeevents.Session {
	return fakeevents.Session{SessionID: id, Abbreviation: code, Title: title, Level: "300 - Advanced",
		Type: "Breakout session", Venue: venue, Room: room,
		SessionTime: &fakeevents.SessionTime{Date: date, Time: clock, Length: length}}
}

// hostileTitle holds what a terminal would act on: an OSC 8 hyperlink, a
// clear screen, a right-to-left override, a bell.
const hostileTitle = "Click \x1b]8;;https://evil.example/\x1b\\here\x1b]8;;\x1b\\ \x1b[2J now \u202eevil\u202c\a"

// eventsWorld is a fake AWS Events API for the binary, with a 2026-shaped
// catalog served in short pages.
func eventsWorld(t *testing.T) *fakeevents.Server {
	t.Helper()
	fake := fakeevents.New("reinvent2026", []any{
		sessionAt("s1", "SVS401", "Serverless", "Venetian", "Level 5 | Palazzo D", "2026-11-30", "10:00", "60"),
		// Wynn and Caesars Palace come without a venue, the room naming it.
		sessionAt("s2", "DAT201", "Data at Wynn", "", "Wynn/Encore | Level 1 | Latour 1", "2026-12-01", "10:00", "60"),
		sessionAt("s3", "AIM315", "Agents at Encore", "", "Wynn/Encore | Level 1 | Chopin 2", "2026-12-02", "13:00", "120"),
		sessionAt("s4", "COP327", "Cost at Caesars Palace", "", "Caesars Palace | Level 3 | Palace 1", "2026-12-03", "14:00", "60"),
		// 35 minutes after DAT201 at Wynn: the measured walk to Caesars
		// Forum (23 min, planned as 35) makes it; the old derived 45 did not.
		sessionAt("s5", "NET305", "Networking at the Forum", "Caesars Forum", "Level 1 | Alliance 310", "2026-12-01", "11:35", "60"),
		sessionAt("s6", "HOS101", hostileTitle, "Venetian", "Level 2 |\nHall D\x1b[1m", "2026-12-04", "09:00", "60"),
		sessionAt("s7", "TBA101", "A date to come", "Venetian", "Level 3 | Lido 3001", "2026-12-04", "11:00", "60"),
	})
	fake.Lock() // the server is already serving: the binary's requests are read under the lock
	fake.Event.TimeZone = "America/Los_Angeles"
	fake.PageSizes = []int{2, 0, 3}
	fake.Unlock()
	t.Cleanup(fake.Close)
	return fake
}

func noEscapes(t *testing.T, what, s string) {
	t.Helper()
	if i := strings.IndexAny(s, "\x1b\a\u202e\u202c\u009b"); i >= 0 {
		t.Errorf("%s holds a control character at byte %d: %q", what, i, s[max(0, i-20):min(len(s), i+20)])
	}
}

// TestEventsAPIEndToEnd runs download, schedule, watch and serve-webhook of
// the built binary against the fake in the documented shapes.
func TestEventsAPIEndToEnd(t *testing.T) {
	fake := eventsWorld(t)
	api := []string{"--source", "events-api", "--events-api-url", fake.URL}

	out, errOut, code := run(t, append([]string{"download"}, api...)...)
	if code != 0 {
		t.Fatalf("download: exit %d: %s", code, errOut)
	}
	for _, want := range []string{
		",Venetian,Level 5 | Palazzo D,", ",Wynn,Level 1 | Latour 1,", ",Encore,Level 1 | Chopin 2,",
		",Caesars Palace,Level 3 | Palace 1,", "HOS101,Click here  now evil,", ",Venetian,Level 2 | Hall D,",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("download lacks %q:\n%s", want, out)
		}
	}
	noEscapes(t, "download --format csv", out)

	out, errOut, code = run(t, append([]string{"schedule", "DAT201", "NET305", "COP327", "HOS101"}, api...)...)
	if code != 0 || !strings.HasPrefix(out, "4 of 4 sessions scheduled") || !strings.Contains(out, "35 min to Caesars Forum") {
		t.Errorf("schedule: exit %d\n%s\n%s", code, out, errOut)
	}
	noEscapes(t, "schedule", out+errOut)

	// watch: a baseline, then a fetch in which TBA101's date cannot be read
	// and one session has lost its code. Neither is a change.
	db := filepath.Join(t.TempDir(), "reinvent.db")
	watch := append([]string{"watch", "--db", db}, api...)
	if _, errOut, code = run(t, watch...); code != 0 {
		t.Fatalf("watch baseline: exit %d: %s", code, errOut)
	}
	fake.Lock()
	fake.Sessions[6] = json.RawMessage(`{"sessionId":"s7","abbreviation":"TBA101","title":"A date to come","level":"300 - Advanced","type":"Breakout session","venue":"Venetian","room":"Level 3 | Lido 3001","sessionTime":{"date":"TBA","time":"11:00","length":"60"}}`)
	fake.Sessions[0] = json.RawMessage(`{"sessionId":"s1","title":"Serverless"}`)
	fake.Unlock()
	out, errOut, code = run(t, watch...)
	if code != 0 || out != "" {
		t.Errorf("watch of a catalog read in part: exit %d, stdout %q; want no change\n%s", code, out, errOut)
	}
	for _, want := range []string{"2 of 7 sessions could not be read in full", `TBA101: sessionTime: "TBA" is not a date`, "session s1 has no code"} {
		if !strings.Contains(errOut, want) {
			t.Errorf("watch stderr lacks %q:\n%s", want, errOut)
		}
	}

	// A change of the hostile title is printed without its escapes.
	fake.Lock()
	fake.Sessions[5] = sessionAt("s6", "HOS101", hostileTitle+" \x1b[31mred", "Venetian", "Level 2 | Hall D", "2026-12-04", "09:00", "60")
	fake.Unlock()
	out, errOut, code = run(t, watch...)
	if code != 0 || !strings.Contains(out, "HOS101") {
		t.Errorf("watch of a changed title: exit %d\n%s\n%s", code, out, errOut)
	}
	noEscapes(t, "watch", out+errOut)
}

// evilTitle is a title with a colour and a window title in it. A terminal
// shows it as "Evil RED title", and so must every output (docs/security.md).
const evilTitle = "Evil \x1b[31mRED\x1b[0m title\x1b]0;pwned\x07"

// TestHostileTitleInEveryOutput shows a title holding escape sequences in
// every output that shows catalog text, as the terminal would show it: no
// escape byte, and none of the sequences' printable parts.
func TestHostileTitleInEveryOutput(t *testing.T) {
	fake := eventsWorld(t)
	fake.Lock()
	fake.Sessions[5] = sessionAt("s6", "HOS101", evilTitle, "Venetian", "Level 2 | Hall D\x1b[1m", "2026-12-04", "09:00", "60")
	fake.Unlock()
	api := []string{"--source", "events-api", "--events-api-url", fake.URL}
	const clean = "Evil RED title"

	for _, c := range []struct{ args []string }{
		{[]string{"download", "--format", "csv"}},
		{[]string{"download", "--format", "json"}},
		{[]string{"schedule", "HOS101"}},
		{[]string{"schedule", "HOS101", "--format", "json"}},
		{[]string{"schedule", "HOS101", "--format", "csv"}},
		{[]string{"schedule", "HOS101", "--format", "ics"}},
	} {
		name := strings.Join(c.args, " ")
		out, errOut, code := run(t, append(c.args, api...)...)
		if code != 0 {
			t.Errorf("%s: exit %d: %s", name, code, errOut)
			continue
		}
		if !strings.Contains(out, clean) || strings.Contains(out, "31m") || strings.Contains(out, "pwned") {
			t.Errorf("%s does not show the title as %q:\n%s", name, clean, out)
		}
		noEscapes(t, name, out+errOut)
	}

	// watch, with every session announced: its lines and its posts.
	fx := fakex.New(xCred)
	t.Cleanup(fx.Close)
	cmd := command(t, append([]string{"watch", "--tweet", "--announce-initial"}, api...)...)
	cmd.Env = append(cmd.Env, "REINVENT_DB="+filepath.Join(t.TempDir(), "reinvent.db"), "REINVENT_X_API_URL="+fx.URL(),
		"REINVENT_X_CONSUMER_KEY="+xCred.ConsumerKey, "REINVENT_X_CONSUMER_SECRET="+xCred.ConsumerSecret,
		"REINVENT_X_ACCESS_TOKEN="+xCred.AccessToken, "REINVENT_X_ACCESS_TOKEN_SECRET="+xCred.AccessTokenSecret)
	var out, errOut strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Run(); err != nil {
		t.Fatalf("watch --tweet: %v\n%s", err, errOut.String())
	}
	if !strings.Contains(out.String(), clean) {
		t.Errorf("watch does not show the title as %q:\n%s", clean, out.String())
	}
	noEscapes(t, "watch", out.String()+errOut.String())
	var posted bool
	for _, p := range fx.Posts() {
		noEscapes(t, "a post", p.Text)
		posted = posted || strings.Contains(p.Text, "HOS101") && strings.Contains(p.Text, clean)
	}
	if !posted {
		t.Errorf("no post shows HOS101 as %q: %q", clean, fx.Posts())
	}
}

// TestBotOnEventsAPI answers a mention from the Events API catalog, with
// the Wynn/Encore session placed at Wynn and the hostile title cleaned.
func TestBotOnEventsAPI(t *testing.T) {
	fake := eventsWorld(t)
	db := filepath.Join(t.TempDir(), "reinvent.db")
	fx, accepted := xWithSignal(t, "5001")
	bot := startBot(t, db, fx.URL(), "--source", "events-api", "--events-api-url", fake.URL)
	if code := bot.deliver(t, "5001", "carol", "@reinventbot DAT201 NET305 HOS101"); code != 200 {
		t.Fatalf("delivery answered %d", code)
	}
	p := waitPost(t, accepted)
	if !strings.HasPrefix(p.Text, "@carol 3 of 3 sessions scheduled:") || !strings.Contains(p.Text, "DAT201 – Tue 10:00 at Wynn") {
		t.Errorf("reply %q", p.Text)
	}
	noEscapes(t, "the bot's reply", p.Text)
	noEscapes(t, "the bot's log", bot.stderr.String())
}
