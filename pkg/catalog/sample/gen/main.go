// Command gen writes sample.bin, the sample catalog embedded by package
// sample. Run it with go generate ./pkg/catalog/sample.
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/reinvent-cli/reinvent/pkg/catalog/sample/internal/generate"
)

func main() {
	out := flag.String("o", "sample.bin", "file to write")
	flag.Parse()
	b, err := generate.Generate()
	if err == nil {
		err = os.WriteFile(*out, b, 0o644)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}
