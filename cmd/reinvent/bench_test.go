package main

import (
	"os"
	"os/exec"
	"syscall"
	"testing"

	"github.com/reinvent-cli/reinvent/internal/testenv"
)

// benchBinary runs the built binary b.N times with args, stdout to
// /dev/null, and reports the largest max RSS seen as maxrss-MiB.
func benchBinary(b *testing.B, args ...string) {
	devnull, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		b.Fatal(err)
	}
	defer devnull.Close()
	home := b.TempDir()
	var maxRSS int64
	for b.Loop() {
		cmd := exec.Command(binary, args...)
		cmd.Env = testenv.HomeEnv(home)
		cmd.Stdout = devnull
		if err := cmd.Run(); err != nil {
			b.Fatal(err)
		}
		if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
			maxRSS = max(maxRSS, ru.Maxrss) // KiB on Linux
		}
	}
	b.ReportMetric(float64(maxRSS)/1024, "maxrss-MiB")
}

// BenchmarkBinaryDownloadSampleCSV is `reinvent download --source sample
// --format csv` of the whole sample, as a user runs it: process start,
// decode, CSV, write.
func BenchmarkBinaryDownloadSampleCSV(b *testing.B) {
	benchBinary(b, "download", "--source", "sample", "--format", "csv")
}

// BenchmarkBinaryVersion is the start-up cost of the binary.
func BenchmarkBinaryVersion(b *testing.B) {
	benchBinary(b, "version")
}
