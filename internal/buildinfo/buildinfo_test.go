package buildinfo

import (
	"runtime"
	"strings"
	"testing"
)

// TestLine: the version given comes first, then Go and the platform; with
// none, the module's version or (devel), never an empty one.
func TestLine(t *testing.T) {
	got := Line("v1.2.3")
	if !strings.HasPrefix(got, "reinvent v1.2.3 ("+runtime.Version()) || !strings.HasSuffix(got, ", "+runtime.GOOS+"/"+runtime.GOARCH+")") {
		t.Errorf("Line(v1.2.3) = %q", got)
	}
	if got := Line(""); strings.HasPrefix(got, "reinvent  ") || !strings.HasPrefix(got, "reinvent ") {
		t.Errorf("Line(\"\") = %q: no version", got)
	}
}

// TestVersion: the version given, else never an empty one.
func TestVersion(t *testing.T) {
	if got := Version("v1.2.3"); got != "v1.2.3" {
		t.Errorf("Version(v1.2.3) = %q", got)
	}
	if got := Version(""); got == "" {
		t.Error(`Version("") is empty; want the module's version or (devel)`)
	}
}
