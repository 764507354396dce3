package ion_test

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestReadmeSnippetCompiles builds the Go snippet of the README's ion
// section as the body of a main function (through a build overlay, so
// that nothing is written into the module).
func TestReadmeSnippetCompiles(t *testing.T) {
	t.Parallel()
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	section := string(readme)
	start := strings.Index(section, "## Kestra's Ion files: `ion`")
	if start < 0 {
		t.Fatal("ion section not found in README.md")
	}
	section = section[start+1:]
	if end := strings.Index(section, "\n## "); end >= 0 {
		section = section[:end]
	}
	m := regexp.MustCompile("(?s)```go\n(.*?)```").FindStringSubmatch(section)
	if m == nil {
		t.Fatal("no Go snippet in the ion section")
	}
	program := "package main\n\nimport (\n\t\"fmt\"\n\t\"log\"\n\t\"time\"\n\n\t\"github.com/kestra-go/kestra-go/ion\"\n)\n\nfunc main() {\n" + m[1] + "}\n"
	buildWithOverlay(t, program)
}

// buildWithOverlay builds program as if it were the package
// ion/internal/readmesnippet.
func buildWithOverlay(t *testing.T, program string) {
	t.Helper()
	dir := t.TempDir()
	src := filepath.Join(dir, "main.go")
	if err := os.WriteFile(src, []byte(program), 0o600); err != nil {
		t.Fatal(err)
	}
	virtual, err := filepath.Abs("internal/readmesnippet/main.go")
	if err != nil {
		t.Fatal(err)
	}
	overlay, _ := json.Marshal(map[string]map[string]string{"Replace": {virtual: src}})
	ov := filepath.Join(dir, "overlay.json")
	if err := os.WriteFile(ov, overlay, 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("go", "build", "-overlay", ov, "-o", filepath.Join(dir, "snippet"), "./internal/readmesnippet")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("README snippet does not build: %v\n%s\n%s", err, out, program)
	}
}
