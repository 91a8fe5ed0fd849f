package calendar

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/reinvent-cli/reinvent/internal/testenv"
	"github.com/reinvent-cli/reinvent/internal/tools/history"
)

// weekCalendar is a realistic live calendar: 40 events, eight a day from
// Monday to Friday of re:Invent week, of internal/tools/history's sessions
// (abstracts of about 500 characters, one to three speakers), some held,
// some moved once, as follow writes it with a 5-minute refresh.
func weekCalendar(b *testing.B) (body []byte, modified time.Time) {
	b.Helper()
	monday := time.Date(2026, time.November, 30, 8, 0, 0, 0, testenv.Vegas)
	var plan []Planned
	for i := range 40 {
		s := history.Session(i, 0)
		s.Start = monday.AddDate(0, 0, i/8).Add(time.Duration(i%8) * time.Hour)
		s.End = s.Start.Add(50 * time.Minute)
		plan = append(plan, Planned{Session: s, Held: i%3 == 0})
	}
	first := time.Date(2026, time.November, 20, 12, 0, 0, 0, time.UTC)
	cal := Update(nil, plan, first)
	for i := 0; i < len(plan); i += 7 {
		plan[i].Session.Room += " (moved)"
	}
	modified = first.Add(24 * time.Hour)
	cal = Update(cal, plan, modified)
	var buf bytes.Buffer
	if err := Write(&buf, cal, Options{Name: "re:Invent 2026 (reinvent follow)", Refresh: 5 * time.Minute, Location: testenv.Vegas}); err != nil {
		b.Fatal(err)
	}
	return buf.Bytes(), modified
}

// BenchmarkCalendarServer is the calendar server over real HTTP on
// loopback, as subscribed clients poll it: a revalidation with the ETag
// they hold (304, no body) and a full GET (200, the whole calendar), from
// 16 goroutines per core on keep-alive connections. It reports requests a
// second (req/s); the client shares the cores with the server.
func BenchmarkCalendarServer(b *testing.B) {
	body, modified := weekCalendar(b)
	s := &Server{Token: "0123456789abcdef0123456789abcdef", Current: func() ([]byte, time.Time) { return body, modified }}
	srv := httptest.NewServer(s)
	defer srv.Close()
	url := srv.URL + s.Path()
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 256}}
	defer client.CloseIdleConnections()
	resp, err := client.Get(url)
	if err != nil {
		b.Fatal(err)
	}
	resp.Body.Close()
	tag := resp.Header.Get("ETag")
	if resp.StatusCode != http.StatusOK || tag == "" {
		b.Fatalf("GET %s: %s, ETag %q; want 200 and an ETag", url, resp.Status, tag)
	}

	for _, tc := range []struct {
		name        string
		ifNoneMatch string
		status      int
		size        int
	}{
		{"revalidate-304", tag, http.StatusNotModified, 0},
		{"full-200", "", http.StatusOK, len(body)},
	} {
		b.Run(tc.name, func(b *testing.B) {
			b.SetParallelism(16)
			b.ReportAllocs()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					req, err := http.NewRequest(http.MethodGet, url, nil)
					if err != nil {
						b.Error(err)
						return
					}
					if tc.ifNoneMatch != "" {
						req.Header.Set("If-None-Match", tc.ifNoneMatch)
					}
					resp, err := client.Do(req)
					if err != nil {
						b.Error(err)
						return
					}
					n, err := io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					if err != nil || resp.StatusCode != tc.status || int(n) != tc.size {
						b.Errorf("GET: %s, %d bytes, %v; want %d and %d bytes", resp.Status, n, err, tc.status, tc.size)
						return
					}
				}
			})
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "req/s")
			b.ReportMetric(float64(tc.size), "body-bytes")
		})
	}
}
