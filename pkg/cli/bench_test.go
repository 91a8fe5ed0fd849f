package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/reinvent-cli/reinvent/internal/catalogtest"
	"github.com/reinvent-cli/reinvent/pkg/catalog"
	"github.com/reinvent-cli/reinvent/pkg/catalog/cached"
	"github.com/reinvent-cli/reinvent/pkg/iostreams"
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
		ios, _, _, _ := iostreams.Test()
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

// benchCommand runs reinvent with args in process, its output counted
// and discarded.
func benchCommand(b *testing.B, args ...string) {
	ios, _, _, _ := iostreams.Test()
	ios.Out = &countingWriter{}
	cmd := NewRootCmd(newFactory(ios, "bench"))
	cmd.SetArgs(args)
	if err := cmd.ExecuteContext(context.Background()); err != nil {
		b.Fatal(err)
	}
}

// runSchedule runs reinvent schedule SVS401 ARC302 in process with args.
func runSchedule(b *testing.B, args ...string) {
	benchCommand(b, append([]string{"schedule", "SVS401", "ARC302"}, args...)...)
}

// cached2400 keeps catalogtest.Sample2400, fresh, in the Events API's
// catalog cache beside a new store, with the settings in a new home, and
// returns the store's path: a command given it and the Events API's source
// reads the cache and fetches nothing.
func cached2400(b *testing.B) (db string) {
	dir := b.TempDir()
	b.Setenv("XDG_CONFIG_HOME", dir)
	db = filepath.Join(dir, "reinvent.db")
	c := catalogtest.Sample2400(b)
	c.FetchedAt = time.Now()
	if err := cached.Beside(db).Put("events-api", "reinvent2026", "", c); err != nil {
		b.Fatal(err)
	}
	return db
}

// offline are the flags of a command that reads cached2400's store and
// would fail if it fetched.
func offline(db string) []string {
	return []string{"--source", "events-api", "--events-api-url", "http://127.0.0.1:1", "--db", db}
}

// BenchmarkScheduleFile2400 is reinvent schedule on a download --format
// json file of 2,400 sessions, read from the store's cache after the first
// run.
func BenchmarkScheduleFile2400(b *testing.B) {
	dir := b.TempDir()
	b.Setenv("XDG_CONFIG_HOME", dir)
	path := filepath.Join(dir, "sessions.json")
	var buf bytes.Buffer
	if err := catalog.WriteJSON(&buf, catalogtest.Sample2400(b), nil); err != nil {
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
	db := cached2400(b)
	for b.Loop() {
		runSchedule(b, offline(db)...)
	}
}
