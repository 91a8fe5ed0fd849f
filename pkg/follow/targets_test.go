package follow

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/reinvent-cli/reinvent/pkg/notify"
)

// TestTargets: each notify URL becomes a target under notify.Key, in
// order; a URL that cannot be used fails the whole list without saying
// its secret topic.
func TestTargets(t *testing.T) {
	urls := []string{"ntfy://ntfy.example.com/first-secret-topic", "ntfy://ntfy.example.com/second-secret-topic"}
	got, err := Targets(urls, notify.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].Key != notify.Key(urls[0]) || got[1].Key != notify.Key(urls[1]) || got[0].Key == got[1].Key {
		t.Fatalf("targets %+v, want one per URL keyed by notify.Key", got)
	}
	if got[0].Sink.Service() != "ntfy" {
		t.Errorf("sink service %q, want ntfy", got[0].Sink.Service())
	}
	if got, err := Targets(nil, notify.Options{}); err != nil || len(got) != 0 {
		t.Errorf("no URL: %v, %v; want none and no error", got, err)
	}
	_, err = Targets([]string{urls[0], "nosuchservice://host/third-secret-topic"}, notify.Options{})
	if err == nil {
		t.Fatal("an unknown service was accepted")
	}
	if strings.Contains(err.Error(), "third-secret-topic") {
		t.Errorf("the error shows the secret topic: %v", err)
	}
}

func TestCalendarName(t *testing.T) {
	for event, want := range map[string]string{
		"reinvent2026":  "re:Invent 2026 (reinvent follow)",
		"reinvent":      "reinvent (reinvent follow)",
		"reinforce2026": "reinforce2026 (reinvent follow)",
	} {
		if got := CalendarName(event); got != want {
			t.Errorf("CalendarName(%q) = %q, want %q", event, got, want)
		}
	}
}

// TestReportWrite: the notices go to w as text or NDJSON; the summary
// goes to errOut when asked for, and always after a baseline.
func TestReportWrite(t *testing.T) {
	r := &Report{Codes: 2, Sessions: 3, Notices: []Notice{{Kind: KindMoved, Session: "SVS401", Title: "Serverless", Old: "Mon 10:00", New: "Tue 11:00"}}}
	var out, errOut strings.Builder
	if err := r.Write(&out, &errOut, false, false); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "SVS401") || !strings.Contains(out.String(), "Mon 10:00 → Tue 11:00") || errOut.Len() != 0 {
		t.Errorf("text: out %q, errOut %q; want the notice and no summary", out.String(), errOut.String())
	}
	out.Reset()
	if err := r.Write(&out, &errOut, true, true); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(out.String(), `{"`) || !strings.Contains(out.String(), `"sent":[]`) || errOut.String() != r.Summary() {
		t.Errorf("json: out %q, errOut %q; want an object and the summary", out.String(), errOut.String())
	}
	out.Reset()
	errOut.Reset()
	b := &Report{Baseline: true, Codes: 2, Sessions: 3}
	if err := b.Write(&out, &errOut, false, false); err != nil {
		t.Fatal(err)
	}
	if out.Len() != 0 || !strings.Contains(errOut.String(), "baseline recorded") {
		t.Errorf("baseline: out %q, errOut %q; want only the summary", out.String(), errOut.String())
	}
}

// TestEveryLogsTheCalendarURL: a follow that serves the calendar says at
// info level the secret URL to subscribe to, at the address it listens on.
func TestEveryLogsTheCalendarURL(t *testing.T) {
	w := newWorld(t)
	var log bytes.Buffer
	d := w.deps()
	d.Logger = slog.New(slog.NewTextHandler(&log, nil))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var addr string
	tok := strings.Repeat("cd", 16)
	err := Every(ctx, d, w.options(), EveryOptions{Every: time.Hour, Serve: "127.0.0.1:0", Token: tok,
		Ready: func(a string) { addr = a },
		Done:  func(*Report, error) { cancel() }})
	if err != nil {
		t.Fatal(err)
	}
	want := `msg="serving the calendar: subscribe to this URL, and share it with no one" url=http://` + addr + "/calendar/" + tok + ".ics"
	if addr == "" || !strings.Contains(log.String(), want) {
		t.Errorf("log:\n%s\nwant a line with %s", log.String(), want)
	}
}
