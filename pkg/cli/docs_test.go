package cli

import (
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/spf13/cobra"
	"github.com/spf13/cobra/doc"

	"github.com/reinvent-cli/reinvent/internal/testenv"
	"github.com/reinvent-cli/reinvent/pkg/iostreams"
)

var update = flag.Bool("update", false, "rewrite docs/cli and golden files")

// TestDocsUpToDate regenerates the CLI reference and fails when docs/cli
// differs. Run `go test ./pkg/cli -run TestDocsUpToDate -update` to refresh.
func TestDocsUpToDate(t *testing.T) {
	testenv.Isolate(t)
	ios, _, _, _ := iostreams.Test()
	root := NewRootCmd(newFactory(ios, ""))
	var disable func(*cobra.Command)
	disable = func(c *cobra.Command) {
		c.DisableAutoGenTag = true
		for _, sub := range c.Commands() {
			disable(sub)
		}
	}
	disable(root)

	got := t.TempDir()
	if err := doc.GenMarkdownTree(root, got); err != nil {
		t.Fatal(err)
	}
	want := filepath.Join("..", "..", "docs", "cli")
	if *update {
		if err := os.RemoveAll(want); err != nil {
			t.Fatal(err)
		}
		if err := os.CopyFS(want, os.DirFS(got)); err != nil {
			t.Fatal(err)
		}
		return
	}
	gotFiles, _ := os.ReadDir(got)
	wantFiles, _ := os.ReadDir(want)
	if len(gotFiles) != len(wantFiles) {
		t.Errorf("docs/cli has %d files, the commands make %d; run go test ./pkg/cli -run TestDocsUpToDate -update", len(wantFiles), len(gotFiles))
	}
	for _, e := range gotFiles {
		g, _ := os.ReadFile(filepath.Join(got, e.Name()))
		w, err := os.ReadFile(filepath.Join(want, e.Name()))
		if err != nil || string(g) != string(w) {
			t.Errorf("docs/cli/%s is stale; run go test ./pkg/cli -run TestDocsUpToDate -update", e.Name())
		}
	}
}
