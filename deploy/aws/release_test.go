package template_test

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// release is what the tests read of .goreleaser.yaml (GoReleaser v2's
// builds and archives).
type release struct {
	Builds []struct {
		ID      string   `yaml:"id"`
		Main    string   `yaml:"main"`
		Binary  string   `yaml:"binary"`
		Env     []string `yaml:"env"`
		Flags   []string `yaml:"flags"`
		Tags    []string `yaml:"tags"`
		Ldflags []string `yaml:"ldflags"`
		Goos    []string `yaml:"goos"`
		Goarch  []string `yaml:"goarch"`
	} `yaml:"builds"`
	Archives []struct {
		ID           string   `yaml:"id"`
		IDs          []string `yaml:"ids"`
		Formats      []string `yaml:"formats"`
		NameTemplate string   `yaml:"name_template"`
		Files        []string `yaml:"files"`
		Wrap         any      `yaml:"wrap_in_directory"`
	} `yaml:"archives"`
}

// TestReleaseBuildsBootstrapZips: a release holds, for each architecture
// the template offers, a zip with the function's bootstrap alone at its
// root, built as the reinvent archives are (the same version stamp, static)
// and for Lambda (lambda.norpc), and the reinvent archives hold no
// bootstrap (docs/serverless.md, "Deploying it").
func TestReleaseBuildsBootstrapZips(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "..", ".goreleaser.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var rel release
	if err := yaml.Unmarshal(data, &rel); err != nil {
		t.Fatalf(".goreleaser.yaml: %v", err)
	}
	cli, boot := -1, -1
	for i, b := range rel.Builds {
		switch b.Binary {
		case "reinvent":
			cli = i
		case "bootstrap":
			boot = i
		}
	}
	if cli < 0 || boot < 0 {
		t.Fatalf(".goreleaser.yaml builds no reinvent or no bootstrap binary")
	}
	b, c := rel.Builds[boot], rel.Builds[cli]
	if b.Main != c.Main || !slices.Equal(b.Ldflags, c.Ldflags) || !slices.Equal(b.Flags, c.Flags) {
		t.Errorf("bootstrap is built from %s with %q %q; want reinvent's %s with %q %q", b.Main, b.Flags, b.Ldflags, c.Main, c.Flags, c.Ldflags)
	}
	if !slices.Contains(b.Env, "CGO_ENABLED=0") || !slices.Contains(b.Tags, "lambda.norpc") {
		t.Errorf("bootstrap is built with env %q and tags %q; want CGO_ENABLED=0 and lambda.norpc", b.Env, b.Tags)
	}
	// The template's Architecture values, in Go's names.
	goarch := map[string]string{"arm64": "arm64", "x86_64": "amd64"}
	for _, a := range allowed(t, "Architecture") {
		if !slices.Contains(b.Goarch, goarch[a]) {
			t.Errorf("the template offers Architecture %s, but bootstrap is built for %q", a, b.Goarch)
		}
	}
	if !slices.Equal(b.Goos, []string{"linux"}) {
		t.Errorf("bootstrap is built for %q; want linux alone", b.Goos)
	}

	var zips int
	for _, a := range rel.Archives {
		if slices.Contains(a.IDs, b.ID) && slices.Contains(a.IDs, c.ID) {
			t.Errorf("archive %s holds both reinvent and bootstrap", a.ID)
		}
		if !slices.Contains(a.IDs, b.ID) {
			continue
		}
		zips++
		if !slices.Equal(a.Formats, []string{"zip"}) || a.Wrap != nil && a.Wrap != false {
			t.Errorf("archive %s: formats %q, wrap_in_directory %v; want a zip with bootstrap at its root", a.ID, a.Formats, a.Wrap)
		}
		if !strings.Contains(a.NameTemplate, ".Arch") {
			t.Errorf("archive %s: name %q is the same for every architecture", a.ID, a.NameTemplate)
		}
		// GoReleaser adds README and LICENSE files unless files is set;
		// set to globs that match nothing, the zip holds bootstrap alone.
		if len(a.Files) == 0 {
			t.Errorf("archive %s sets no files, so GoReleaser adds the README and LICENSE beside bootstrap", a.ID)
		}
		for _, f := range a.Files {
			if m, _ := filepath.Glob(filepath.Join("..", "..", f)); len(m) > 0 {
				t.Errorf("archive %s: files %q matches %q, which would go in the zip beside bootstrap", a.ID, f, m)
			}
		}
	}
	if zips != 1 {
		t.Errorf("%d archives hold bootstrap; want one zip per architecture from one archive", zips)
	}
}

// allowed is the AllowedValues of the template's parameter name.
func allowed(t *testing.T, name string) []string {
	t.Helper()
	var out []string
	for _, v := range path(load(t).parameters[name], "AllowedValues").Content {
		out = append(out, v.Value)
	}
	if len(out) == 0 {
		t.Fatalf("the template's %s has no AllowedValues", name)
	}
	return out
}
