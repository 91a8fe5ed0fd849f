package cli

import (
	"context"
	"testing"
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
