package openapi_test

import (
	"context"
	"encoding/json"
	"os"
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
