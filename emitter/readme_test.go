package emitter_test

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestReadmeScriptBuilds builds the Go program of the flow in the README's
// emitter section (the task's script, YAML indentation removed), as the
// package emitter/internal/readmescript of a build overlay, so that nothing
// is written into the module.
func TestReadmeScriptBuilds(t *testing.T) {
	t.Parallel()
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	section := string(readme)
	start := strings.Index(section, "## Inside a Kestra task: `emitter`")
	if start < 0 {
		t.Fatal("emitter section not found in README.md")
	}
	_, script, ok := strings.Cut(section[start:], "    script: |\n")
	if !ok {
		t.Fatal("no script in the emitter section's flow")
	}
	var program strings.Builder
	for _, line := range strings.Split(script, "\n") {
		if line != "" && !strings.HasPrefix(line, "      ") {
			break // the end of the YAML block scalar
		}
		program.WriteString(strings.TrimPrefix(line, "      ") + "\n")
	}
	if !strings.Contains(program.String(), "func main()") {
		t.Fatalf("the script is not a Go program:\n%s", program.String())
	}
	dir := t.TempDir()
	src := filepath.Join(dir, "main.go")
	if err := os.WriteFile(src, []byte(program.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	virtual, err := filepath.Abs("internal/readmescript/main.go")
	if err != nil {
		t.Fatal(err)
	}
	overlay, _ := json.Marshal(map[string]map[string]string{"Replace": {virtual: src}})
	ov := filepath.Join(dir, "overlay.json")
	if err := os.WriteFile(ov, overlay, 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("go", "build", "-overlay", ov, "-o", filepath.Join(dir, "script"), "./internal/readmescript")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("README script does not build: %v\n%s\n%s", err, out, program.String())
	}
}
