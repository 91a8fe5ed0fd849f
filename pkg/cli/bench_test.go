package cli

import (
	"context"
	"testing"
)

// BenchmarkDownloadSampleCSV is download --source sample --format csv in
// process: the embedded catalog decoded and written as CSV.
func BenchmarkDownloadSampleCSV(b *testing.B) {
	b.Setenv("XDG_CONFIG_HOME", b.TempDir())
	b.Setenv("REINVENT_SOURCE", "")
	for b.Loop() {
		ios, _, out, _ := TestIO()
		cmd := NewRootCmd(newFactory(ios, "bench"))
		cmd.SetArgs([]string{"download", "--source", "sample", "--format", "csv"})
		if err := cmd.ExecuteContext(context.Background()); err != nil {
			b.Fatal(err)
		}
		b.SetBytes(int64(out.Len()))
	}
}
