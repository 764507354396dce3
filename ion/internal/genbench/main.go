// Command genbench writes the ion package's benchmark file (see package
// benchdata): go run ./ion/internal/genbench -out ion/testdata/bench/rows.ion
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/kestra-go/kestra-go/ion/internal/benchdata"
)

func main() {
	out := flag.String("out", "ion/testdata/bench/rows.ion", "file to write")
	rows := flag.Int("rows", benchdata.DefaultRows, "number of rows")
	flag.Parse()
	if err := run(*out, *rows); err != nil {
		fmt.Fprintln(os.Stderr, "genbench:", err)
		os.Exit(1)
	}
}

func run(out string, rows int) error {
	if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
		return err
	}
	f, err := os.Create(out)
	if err != nil {
		return err
	}
	if err := benchdata.Write(f, rows); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
