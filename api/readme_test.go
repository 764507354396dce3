package api_test

import (
	"os"
	"regexp"
	"strings"
	"testing"
)

// TestReadmeSnippetsAreExamples checks that every Go snippet of the README's
// API section is, line for line, part of a runnable Example of this package
// (so the README shows code that compiles and runs).
func TestReadmeSnippetsAreExamples(t *testing.T) {
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	section := string(readme)
	start := strings.Index(section, "## The typed client: `api`")
	end := strings.Index(section, "### Conformance to the real server")
	if start < 0 || end < start {
		t.Fatal("API section not found in README.md")
	}
	section = section[start:end]
	examples, err := os.ReadFile("example_kestratest_test.go")
	if err != nil {
		t.Fatal(err)
	}
	// The examples' lines, without their function-body indentation.
	var unindented []string
	for _, l := range strings.Split(string(examples), "\n") {
		unindented = append(unindented, strings.TrimPrefix(l, "\t"))
	}
	body := strings.Join(unindented, "\n")
	snippets := regexp.MustCompile("(?s)```go\n(.*?)```").FindAllStringSubmatch(section, -1)
	if len(snippets) < 3 {
		t.Fatalf("%d Go snippets in the API section, want search, deploy and KV", len(snippets))
	}
	for _, m := range snippets {
		if !strings.Contains(body, m[1]) {
			t.Errorf("README snippet is not in example_kestratest_test.go:\n%s", m[1])
		}
	}
}
