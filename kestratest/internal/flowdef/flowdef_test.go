package flowdef_test

import (
	"errors"
	"fmt"
	"slices"
	"testing"

	"github.com/kestra-go/kestra-go/kestratest/internal/flowdef"
)

func TestParseReadsDeclarations(t *testing.T) {
	f, err := flowdef.Parse(`id: hello
namespace: company.team
labels: {team: data, env: prod}
inputs:
  - name: n
    type: int
    defaults: 3
tasks:
  - id: log
    type: io.kestra.plugin.core.log.Log
    message: hi
outputs:
  - id: o
    type: STRING
    value: x
`)
	if err != nil {
		t.Fatal(err)
	}
	if f.ID != "hello" || f.Namespace != "company.team" || len(f.Tasks) != 1 || f.Tasks[0].Props["message"] != "hi" {
		t.Fatalf("%+v", f)
	}
	if in := f.Inputs[0]; in.ID != "n" || in.Type != "INT" || !in.Required || !in.HasDefaults {
		t.Fatalf("input %+v", in)
	}
	if want := []flowdef.Label{{Key: "env", Value: "prod"}, {Key: "team", Value: "data"}}; !slices.Equal(f.Labels, want) {
		t.Fatalf("labels %v", f.Labels)
	}
	if len(f.Outputs) != 1 || f.Outputs[0].Value != "x" {
		t.Fatalf("outputs %+v", f.Outputs)
	}
}

func TestParseRefusesWithConstraints(t *testing.T) {
	for src, want := range map[string]string{
		"namespace: a\ntasks: [{id: t, type: x}]\n":                          "id: must not be null",
		"id: a\nnamespace: B\ntasks: [{id: t, type: x}]\n":                   `namespace: must match "^[a-z0-9][a-z0-9._-]*"`,
		"id: a\nnamespace: b\n":                                              "tasks: must not be empty",
		"id: a\nnamespace: b\ntasks: [{id: t, type: x}, {id: t, type: x}]\n": `tasks: duplicate task id "t"`,
		"id: a\nnamespace: b\ntasks: [{id: t, type: x}]\n---\nid: c\n":       "several YAML documents in one flow source",
		"~\n": "empty flow source",
	} {
		_, err := flowdef.Parse(src)
		var inv *flowdef.InvalidError
		if !errors.Is(err, flowdef.ErrInvalid) || !errors.As(err, &inv) || inv.Constraints() != want {
			t.Errorf("%q: %v, want constraints %q", src, err, want)
		}
	}
}

func TestSplitDocuments(t *testing.T) {
	docs := flowdef.SplitDocuments("id: a\n---\n\n---  \nid: b\n")
	if !slices.Equal(docs, []string{"id: a\n", "id: b\n"}) {
		t.Fatalf("%q", docs)
	}
}

// Parse never accepts an incomplete flow and refuses only with an
// *InvalidError (corpus under testdata/fuzz/FuzzParse).
func FuzzParse(f *testing.F) {
	f.Add("id: a\nnamespace: b\ntasks:\n  - id: t\n    type: io.kestra.plugin.core.log.Log\n    message: m\n")
	f.Add("id: a\nnamespace: b\ninputs:\n  - name: x\n    type: int\n    defaults: 3\ntasks: []\n")
	f.Add("labels: [1]\n")
	f.Add("\x00\xff\xfe: [")
	f.Fuzz(func(t *testing.T, src string) {
		fl, err := flowdef.Parse(src)
		if err != nil {
			var inv *flowdef.InvalidError
			if !errors.As(err, &inv) || len(inv.Problems) == 0 {
				t.Fatalf("error %T %v", err, err)
			}
			return
		}
		if fl.ID == "" || fl.Namespace == "" || len(fl.Tasks) == 0 {
			t.Fatalf("accepted an incomplete flow: %+v", fl)
		}
	})
}

func ExampleParse() {
	_, err := flowdef.Parse("id: hello\nnamespace: company.team\n")
	var inv *flowdef.InvalidError
	if errors.As(err, &inv) {
		fmt.Println(inv.Constraints())
	}
	// Output: tasks: must not be empty
}
