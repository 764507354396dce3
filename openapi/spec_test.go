package openapi_test

import (
	"context"
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
