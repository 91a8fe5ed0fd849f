package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/reinvent-cli/reinvent/pkg/catalog"
	"github.com/reinvent-cli/reinvent/pkg/catalog/cached"
	"github.com/reinvent-cli/reinvent/pkg/catalog/sample"
)

// countingWriter discards what it is given and counts the bytes.
type countingWriter struct{ n int64 }

func (w *countingWriter) Write(p []byte) (int, error) { w.n += int64(len(p)); return len(p), nil }

// BenchmarkDownloadSampleCSV is download --source sample --format csv in
// process: the embedded catalog decoded and streamed out as CSV.
func BenchmarkDownloadSampleCSV(b *testing.B) {
	b.Setenv("XDG_CONFIG_HOME", b.TempDir())
	b.Setenv("REINVENT_SOURCE", "")
	for b.Loop() {
		ios, _, _, _ := TestIO()
		out := &countingWriter{}
		ios.Out = out
		cmd := NewRootCmd(newFactory(ios, "bench"))
		cmd.SetArgs([]string{"download", "--source", "sample", "--format", "csv"})
		if err := cmd.ExecuteContext(context.Background()); err != nil {
			b.Fatal(err)
		}
		b.SetBytes(out.n)
	}
}

// catalog2400 is the sample catalog grown to 2,400 sessions by repeating
// its first 400 under new codes, the size the load-path target is set for
// (docs/performance.md, "The load path").
func catalog2400(b *testing.B) *catalog.Catalog {
	b.Helper()
	c, err := sample.Source{}.Fetch(context.Background(), catalog.FetchOptions{Location: time.UTC})
	if err != nil {
		b.Fatal(err)
	}
	for i := 0; len(c.Sessions) < 2400; i++ {
		s := c.Sessions[i]
		code, _ := catalog.ParseCode(s.Code)
		letters := strings.TrimRight(code.Base, "0123456789")
		s.Code = letters + "Q" + strings.TrimPrefix(s.Code, letters)
		s.SessionID += "-copy"
		s.Normalize(time.UTC)
		c.Sessions = append(c.Sessions, s)
	}
	return c
}

// runSchedule runs reinvent schedule SVS401 ARC302 in process with args.
func runSchedule(b *testing.B, args ...string) {
	ios, _, _, _ := TestIO()
	ios.Out = &countingWriter{}
	cmd := NewRootCmd(newFactory(ios, "bench"))
	cmd.SetArgs(append([]string{"schedule", "SVS401", "ARC302"}, args...))
	if err := cmd.ExecuteContext(context.Background()); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkScheduleFile2400 is reinvent schedule on a download --format
// json file of 2,400 sessions, read from the store's cache after the first
// run.
func BenchmarkScheduleFile2400(b *testing.B) {
	dir := b.TempDir()
	b.Setenv("XDG_CONFIG_HOME", dir)
	path := filepath.Join(dir, "sessions.json")
	var buf bytes.Buffer
	if err := catalog.WriteJSON(&buf, catalog2400(b), nil); err != nil {
		b.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		b.Fatal(err)
	}
	db := filepath.Join(dir, "reinvent.db")
	for b.Loop() {
		runSchedule(b, "--source", path, "--db", db)
	}
}

// BenchmarkScheduleCache2400 is reinvent schedule on the Events API with a
// fresh cached catalog of 2,400 sessions: nothing is fetched.
func BenchmarkScheduleCache2400(b *testing.B) {
	dir := b.TempDir()
	b.Setenv("XDG_CONFIG_HOME", dir)
	db := filepath.Join(dir, "reinvent.db")
	c := catalog2400(b)
	c.FetchedAt = time.Now()
	if err := cached.Beside(db).Put("events-api", "reinvent2026", "", c); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		runSchedule(b, "--source", "events-api", "--events-api-url", "http://127.0.0.1:1", "--db", db)
	}
}
