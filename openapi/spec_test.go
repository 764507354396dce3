package openapi_test

import (
	"context"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/kestra-go/kestra-go/openapi"
)

// TestSpecIsValid loads the embedded document the way a validating test
// server does and runs kin-openapi's full document validation on it.
func TestSpecIsValid(t *testing.T) {
	doc, err := openapi3.NewLoader().LoadFromData(openapi.Spec())
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		t.Fatalf("validate: %v", err)
	}
	if doc.Paths.Find("/api/v1/{tenant}/executions/{namespace}/{id}") == nil {
		t.Fatal("createExecution route missing from the embedded document")
	}
}

// TestServerShapedAnswersValidate checks that answers shaped like the real
// server's (api/testdata/execution.json: unknown fields, mixed-type inputs,
// omitted nulls) satisfy the document's schemas, as a validating test server
// will require.
func TestServerShapedAnswersValidate(t *testing.T) {
	doc, err := openapi3.NewLoader().LoadFromData(openapi.Spec())
	if err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile("../api/testdata/execution.json")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		schema string
		doc    string
		valid  bool
	}{
		{"ExecutionResponse", string(raw), true},
		{"Execution", string(raw), true},
		{"Execution", `{"id":"x","namespace":"n","flowId":"f","flowRevision":1,"originalId":"x",
			"metadata":{"originalCreatedDate":"2026-05-01T10:00:00Z"},"state":{"current":"RUNNING","histories":[]}}`, true},
		{"Execution", `{"id":"x","namespace":"n","flowId":"f","flowRevision":1,"originalId":"x",
			"metadata":{"originalCreatedDate":"2026-05-01T10:00:00Z"}}`, false}, // no state
		{"LogEntry", `{"namespace":"n","flowId":"f","attemptNumber":null,"level":"INFO","timestamp":"2026-05-01T10:00:00.123456Z","message":"hi"}`, true},
		{"LogEntry", `{"namespace":"n","flowId":"f","level":"LOUD"}`, false},
		{"KVValue", `{"type":"JSON","value":{"a":[1,2]}}`, true},
		{"KVValue", `{"type":"STRING","value":"hello"}`, true},
		{"PagedResultsExecution", `{"results":[],"total":0}`, true},
	} {
		var v any
		if err := json.Unmarshal([]byte(tc.doc), &v); err != nil {
			t.Fatalf("%s: bad test document: %v", tc.schema, err)
		}
		err := doc.Components.Schemas[tc.schema].Value.VisitJSON(v)
		if (err == nil) != tc.valid {
			t.Errorf("%s: valid=%v, got error %v", tc.schema, tc.valid, err)
		}
	}
}

// TestDocumentConventions checks the rules openapi/README.md states for
// every operation: a typed error answer, filters only as the documented
// deepObject parameter, and Enterprise-only operations both marked and
// saying so in their summary (the generated doc comment).
func TestDocumentConventions(t *testing.T) {
	doc, err := openapi3.NewLoader().LoadFromData(openapi.Spec())
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			n++
			where := method + " " + path + " (" + op.OperationID + ")"
			if def := op.Responses.Default(); def == nil || def.Ref != "#/components/responses/Error" {
				t.Errorf("%s: no default response #/components/responses/Error", where)
			}
			for _, p := range op.Parameters {
				if p.Value.Name == "filters" && p.Ref != "#/components/parameters/Filters" {
					t.Errorf("%s: filters declared otherwise than #/components/parameters/Filters", where)
				}
			}
			enterprise, _ := op.Extensions["x-kestra-enterprise"].(bool)
			says := strings.Contains(op.Summary, "Enterprise Edition only")
			if enterprise != says {
				t.Errorf("%s: x-kestra-enterprise %v but summary %q", where, enterprise, op.Summary)
			}
			if len(op.Tags) != 1 {
				t.Errorf("%s: tags %v, want one", where, op.Tags)
			}
		}
	}
	if n != 167 {
		t.Errorf("%d operations, want 167", n)
	}
	f := doc.Components.Parameters["Filters"].Value
	if f.Style != "deepObject" || f.Explode == nil || !*f.Explode || f.In != "query" {
		t.Errorf("Filters parameter: style %q explode %v in %q", f.Style, f.Explode, f.In)
	}
}
