package testenv

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// vdirsyncerConfig syncs a served calendar one way (vdirsyncer's
// read-only "http" storage) into a folder of .ics files, one per event,
// as a calendar client keeps its copy.
const vdirsyncerConfig = `[general]
status_path = "%[1]s/status/"

[pair follow]
a = "follow_served"
b = "follow_copy"
collections = null
conflict_resolution = "a wins"

[storage follow_served]
type = "http"
url = "%[2]s"

[storage follow_copy]
type = "filesystem"
path = "%[1]s/copy/"
fileext = ".ics"
`

// VdirsyncerClient makes dir a vdirsyncer client of the calendar at url:
// its config, then `vdirsyncer discover`. Vdirsyncer syncs it; the copy
// is in dir/copy. Install vdirsyncer first (Ensure).
func VdirsyncerClient(t testing.TB, dir, url string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, "config"), fmt.Appendf(nil, vdirsyncerConfig, dir, url), 0o600); err != nil {
		t.Fatal(err)
	}
	Vdirsyncer(t, dir, "discover")
}

// Vdirsyncer runs vdirsyncer with the config in dir, answering yes to any
// question, and fails the test when it fails.
func Vdirsyncer(t testing.TB, dir string, args ...string) {
	t.Helper()
	cmd := exec.Command("vdirsyncer", append([]string{"--config", filepath.Join(dir, "config")}, args...)...)
	cmd.Env = append(HomeEnv(dir), "LANG=C.UTF-8", "LC_ALL=C.UTF-8")
	cmd.Stdin = strings.NewReader(strings.Repeat("y\n", 8))
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("vdirsyncer %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	t.Logf("vdirsyncer %s:\n%s", strings.Join(args, " "), out)
}
